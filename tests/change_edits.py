"""Hypothesis strategies for the change list: a meeting, and edits made after sending.

Shared by the change list's property tests and the supplements' no-leak tests. Edits are
drawn as data and applied here, so a failing example prints what was done.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

from hypothesis import strategies as st

from agenda.item_content import item_attachments, with_attachments, with_reference, with_text
from agenda.model import (
    AgendaItem,
    Attachment,
    Case,
    ItemKind,
    Meeting,
    Section,
    TextSection,
)
from agenda.operations import (
    AddItem,
    AddSection,
    MoveItem,
    RemoveItem,
    RemoveSection,
    RenameSection,
    SetClosed,
)
from tests import factories

KINDS = [ItemKind.DECISION, ItemKind.INFORMATION, ItemKind.DISCUSSION, ItemKind.THEME]
_WORDS = st.sampled_from(
    ["Trafikplan", "Sundhedsaftale", "Klyngekontor", "Budget", "Praktikplads", "Evaluering"]
)


def bilag(title: str, seed: str, *, confidential: bool = False) -> Attachment:
    data = f"%PDF-1.4 {seed}".encode()
    return Attachment(
        title=title,
        file_name=f"{seed}.pdf",
        media_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        confidential=confidential,
    )


@st.composite
def items(draw: st.DrawFn, label: str) -> AgendaItem:
    title = f"{draw(_WORDS)} {label}"
    texts = draw(
        st.dictionaries(st.sampled_from(list(TextSection)), _WORDS.map(lambda w: f"{w} tekst."))
    )
    attachments = tuple(
        bilag(f"Notat {label}.{n}", f"{label}-{n}", confidential=secret)
        for n, secret in enumerate(draw(st.lists(st.booleans(), max_size=3)), start=1)
    )
    has_case = draw(st.booleans()) or bool(texts) or bool(attachments)
    case = (
        Case(
            title,
            reference=f"24/{draw(st.integers(1, 99999)):05d}",
            texts=texts,
            attachments=attachments,
        )
        if has_case
        else None
    )
    return AgendaItem(draw(st.sampled_from(KINDS)), title, case=case, closed=draw(st.booleans()))


@st.composite
def meetings(draw: st.DrawFn) -> Meeting:
    counts = draw(st.lists(st.integers(0, 4), min_size=1, max_size=3))
    sections = [
        (f"Afsnit {s}", [draw(items(f"{s}.{n}")) for n in range(count)])
        for s, count in enumerate(counts, start=1)
    ]
    return factories.meeting(sections)


#: An edit: (what, fractions and flags that pick the target). Applied by ``edit``.
EDITS = st.tuples(
    st.sampled_from(
        [
            "add",
            "remove",
            "move",
            "retitle",
            "kind",
            "reference",
            "text",
            "close",
            "open",
            "add_bilag",
            "replace_bilag",
            "replace_bilag_new_id",
            "remove_bilag",
            "confidential",
            "move_bilag",
            "add_section",
            "rename_section",
            "move_section",
            "remove_section",
            "meeting",
        ]
    ),
    st.floats(0, 1, exclude_max=True),
    st.floats(0, 1, exclude_max=True),
    st.integers(0, 10**6),
)


def _pick(sequence, fraction: float):
    return sequence[int(fraction * len(sequence))] if sequence else None


def edit(meeting: Meeting, step: tuple[str, float, float, int]) -> Meeting:
    """One edit made after sending; an edit with no target leaves the meeting as it is."""
    what, a, b, n = step
    agenda = meeting.agenda
    all_items = agenda.items()
    item = _pick(all_items, a)
    sections = agenda.sections
    if what == "add" and sections:
        s = int(b * len(sections))
        new = _new_item(n)
        return replace(meeting, agenda=AddItem(new, s, n % 5).apply(agenda)[0])
    if what == "meeting":
        return replace(
            meeting, location=f"Mødelokale {n % 3}", start=meeting.start + timedelta(hours=n % 2)
        )
    if what == "add_section":
        section = Section(f"Nyt afsnit {n}")
        return replace(meeting, agenda=AddSection(section, n % 4).apply(agenda)[0])
    if what == "rename_section" and sections:
        target = _pick(sections, a)
        return replace(meeting, agenda=RenameSection(target.id, f"Afsnit {n}").apply(agenda)[0])
    if what == "remove_section" and len(sections) > 1:
        target = _pick(sections, a)
        return replace(meeting, agenda=RemoveSection(target.id).apply(agenda)[0])
    if what == "move_section" and len(sections) > 1:
        target = _pick(sections, a)
        without = tuple(s for s in sections if s.id != target.id)
        at = int(b * len(sections))
        moved = (*without[:at], target, *without[at:])
        return replace(meeting, agenda=replace(agenda, sections=moved))
    if item is None:
        return meeting
    if what == "remove":
        return replace(meeting, agenda=RemoveItem(item.id).apply(agenda)[0])
    if what == "move":
        s = int(b * len(sections))
        return replace(meeting, agenda=MoveItem(item.id, s, n % 5).apply(agenda)[0])
    if what in ("close", "open"):
        return replace(meeting, agenda=SetClosed(item.id, what == "close").apply(agenda)[0])
    return _with_item(meeting, _edited(item, what, b, n))


def _new_item(n: int) -> AgendaItem:
    attachments = tuple(bilag(f"Nyt notat {n}.{m}", f"ny-{n}-{m}") for m in range(n % 3))
    case = Case(
        f"Ny sag {n}",
        reference=f"25/{n % 99999:05d}",
        texts={TextSection.INDSTILLING: f"Det indstilles, at {n} godkendes."},
        attachments=attachments,
    )
    return AgendaItem(KINDS[n % len(KINDS)], f"Ny sag {n}", case=case, closed=n % 4 == 0)


def _with_item(meeting: Meeting, item: AgendaItem) -> Meeting:
    s, p = meeting.agenda.find(item.id)
    section = meeting.agenda.sections[s]
    items_ = (*section.items[:p], item, *section.items[p + 1 :])
    sections = list(meeting.agenda.sections)
    sections[s] = replace(section, items=items_)
    return replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))


def _edited(item: AgendaItem, what: str, b: float, n: int) -> AgendaItem:
    if what == "retitle":
        return replace(item, title=f"{item.title} (rettet {n})")
    if what == "kind":
        return replace(item, kind=KINDS[n % len(KINDS)])
    if what == "reference":
        return with_reference(item, f"26/{n % 99999:05d}")
    if what == "text":
        section = list(TextSection)[int(b * len(TextSection))]
        return with_text(item, section, "" if n % 3 == 0 else f"Ny tekst {n}.")
    current = list(item_attachments(item))
    if what == "add_bilag":
        current.insert(n % (len(current) + 1), bilag(f"Tillæg {n}", f"tillaeg-{n}"))
        return with_attachments(item, tuple(current))
    target = _pick(current, b)
    if target is None:
        return item
    at = current.index(target)
    if what == "replace_bilag":  # a new file under the same bilag
        new = bilag(target.title, f"erstattet-{n}", confidential=target.confidential)
        current[at] = replace(new, id=target.id)
    elif what == "replace_bilag_new_id":  # the old bilag removed, a new one in its place
        current[at] = bilag(target.title, f"afloser-{n}", confidential=target.confidential)
    elif what == "remove_bilag":
        del current[at]
    elif what == "confidential":
        current[at] = replace(target, confidential=not target.confidential)
    elif what == "move_bilag":
        del current[at]
        current.insert(n % (len(current) + 1), target)
    return with_attachments(item, tuple(current))
