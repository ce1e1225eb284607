"""What the agenda and the minutes say, computed once from the snapshot for Word and PDF.

Both writers lay out the same ``DocumentContent``, so the two files cannot disagree on
a heading, a bilag number or on what the public edition leaves out. The rules of the
editions live here and nowhere else:

- public: a closed item is only ``<nr> Lukket punkt`` (no title, text, decision or bilag);
  a section holding only closed items is headed ``Lukkede punkter``, not by its name (the
  name can say what the closed items are about; the section stays, so every number is
  the same in both editions); confidential bilag of open items are not listed
  (``agenda.snapshot.attachments_for``);
- complete: everything; a closed item is marked "Lukket punkt" on its page and
  "(lukket punkt)" in its heading (so in the contents), a confidential bilag
  "(fortroligt)" in the item's list, and the front page says "Fuld udgave" with the
  pack's own warning when there is anything of the kind.

Minutes of a meeting that is not held yet are a draft: "Udkast til referat" is their
title, running header, footer mark and metadata title, so no page of it can pass for
the minutes the body approves.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from agenda.edition import attachments_for
from agenda.formatting import long_date, medium_date, time_span
from agenda.model import DECISION_LABEL, Correction, Meeting, MeetingStatus, Participant
from agenda.numbering import NumberedItem
from agenda.snapshot import MeetingSnapshot

CLOSED_LABEL = "Lukket punkt"
#: The public edition's heading of a section holding only closed items, for its name.
CLOSED_SECTION_LABEL = "Lukkede punkter"
CONFIDENTIAL_LABEL = "Fortroligt"
#: After a heading or a bilag in the complete edition's contents and lists.
CLOSED_SUFFIX = f"({CLOSED_LABEL.lower()})"
CONFIDENTIAL_SUFFIX = f"({CONFIDENTIAL_LABEL.lower()})"
PUBLIC_EDITION = "Offentlig udgave"
FULL_EDITION = "Fuld udgave"
#: Under ``FULL_EDITION`` on the front page of the agenda, the minutes and the pack.
RESTRICTED_NOTE = "Indeholder lukkede punkter eller fortrolige bilag og må ikke offentliggøres."
NO_DECISION = "Der er ikke skrevet en beslutning."
ATTACHMENTS_LABEL = "Bilag"
CONTENTS_LABEL = "Indhold"
DRAFT_MINUTES_LABEL = "Udkast til referat"
#: Draft minutes before any attendance is recorded: the members are invited, not present.
INVITED_LABEL = "Indbudte"
#: Minutes: members whose attendance was not recorded among those who were.
UNRECORDED_LABEL = "Fremmøde ikke registreret"
#: Statuses after the meeting: its minutes are no longer a draft.
_HELD = frozenset({MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED})


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One labelled part of an item; each paragraph keeps its own line breaks."""

    label: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemContent:
    number: str
    #: ``2.5 Beslutningssag: Titel``; a closed item in the public edition: ``2.5 Lukket punkt``.
    heading: str
    #: A name for bookmarks and links, unique in the document and free of item words.
    anchor: str
    #: The complete edition marks a closed item; the public one shows only its heading.
    closed: bool
    redacted: bool
    reference: str = ""  # "Sagsnr. 24/04521" or ""
    sections: tuple[TextBlock, ...] = ()
    #: The decision's paragraphs in the minutes; () in the agenda or when none is written.
    decision: tuple[str, ...] = ()
    #: Minutes only: no decision was written, and the reader must see that.
    decision_missing: bool = False
    attachments: tuple[str, ...] = ()  # "Bilag 1: Titel", "Bilag 2: Titel (fortroligt)"
    #: A tillægsdagsorden: what changed since sending, under the heading ("Ændret: …").
    change: str = ""
    #: A tillægsdagsorden: only the heading and ``change`` (an item only moved, or gone).
    change_only: bool = False

    @property
    def mark(self) -> str:
        """``(lukket punkt)`` after the heading of a closed item in the complete edition.
        It is part of the heading paragraph, not only of the contents: Word rebuilds its
        table of contents from the headings when it updates the field."""
        return CLOSED_SUFFIX if self.closed and not self.redacted else ""

    @property
    def marked_heading(self) -> str:
        """The heading as the contents list it (the pack's contents say the same)."""
        return f"{self.heading} {self.mark}" if self.mark else self.heading


@dataclass(frozen=True, slots=True)
class SectionContent:
    name: str
    anchor: str
    items: tuple[ItemContent, ...]


@dataclass(frozen=True, slots=True)
class Attendance:
    #: "Deltagere" (agenda); minutes: "Til stede", "Afbud", and "Indbudte" (a draft with
    #: no attendance recorded) or "Fremmøde ikke registreret" for the rest
    label: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocumentContent:
    kind: str  # "Dagsorden", "Referat" or "Udkast til referat"
    minutes: bool
    #: Minutes of a meeting not held yet; ``footer_mark`` then says so on every page.
    draft: bool
    public: bool
    body: str
    meeting_title: str
    date: str  # "tirsdag den 16. april 2024"
    short_date: str  # "16. april 2024"
    time: str  # "kl. 10.00-13.00"
    place: str
    attendance: tuple[Attendance, ...]
    #: "Offentlig udgave", or "Fuld udgave" when the complete edition holds closed items
    #: or confidential bilag; else "".
    edition: str
    #: Under a "Fuld udgave": it must not be published (``RESTRICTED_NOTE``); else "".
    edition_note: str
    sections: tuple[SectionContent, ...]
    # metadata
    title: str
    subject: str
    header: str  # "KKR Sjælland · Dagsorden · 16. april 2024"
    #: Paragraphs at the foot of the front page (a tillægsdagsorden says what it is).
    intro: tuple[str, ...] = ()

    @property
    def front_title(self) -> str:
        """The meeting's title under the document's kind on the front page, as the pack's
        front page shows it ("Møde i KKR Sjælland"); "" when it only repeats the body."""
        return self.meeting_title if self.meeting_title != self.body else ""

    @property
    def footer_mark(self) -> str:
        """Beside "Side X af Y" on every page, the front page too (it has no header)."""
        return DRAFT_MINUTES_LABEL if self.draft else ""

    @property
    def items(self) -> list[ItemContent]:
        return [item for section in self.sections for item in section.items]


def document_kind(meeting: Meeting, *, minutes: bool) -> str:
    """``Dagsorden``, ``Referat``, or ``Udkast til referat`` before the meeting is held: the
    document's title, and the first words of its file name."""
    if not minutes:
        return "Dagsorden"
    return "Referat" if meeting.status in _HELD else DRAFT_MINUTES_LABEL


def document_content(
    snapshot: MeetingSnapshot, *, minutes: bool = False, public: bool = False
) -> DocumentContent:
    meeting = snapshot.meeting
    draft = minutes and meeting.status not in _HELD
    kind = document_kind(meeting, minutes=minutes)
    numbered = snapshot.items()
    sections: list[SectionContent] = []
    for s, section in enumerate(meeting.agenda.sections, start=1):
        mine = [n for n in numbered if n.section.id == section.id]
        if not mine:
            continue
        items = tuple(
            _item(
                n,
                f"punkt{s}_{i}",
                minutes=minutes,
                public=public,
                corrections=_corrections(meeting, n.item.id) if minutes else (),
            )
            for i, n in enumerate(mine, start=1)
        )
        name = section.name
        if public and name and all(n.item.closed for n in mine):
            name = CLOSED_SECTION_LABEL
        sections.append(SectionContent(name, f"afsnit{s}", items))
    restricted = any(
        n.item.closed or any(a.confidential for a in n.item.attachments) for n in numbered
    )
    if public:
        edition, note = PUBLIC_EDITION, ""
    elif restricted:
        edition, note = FULL_EDITION, RESTRICTED_NOTE
    else:
        edition, note = "", ""
    short = medium_date(meeting.start)
    content = DocumentContent(
        kind=kind,
        minutes=minutes,
        draft=draft,
        public=public,
        body=meeting.body.name,
        meeting_title=meeting.title,
        date=long_date(meeting.start),
        short_date=short,
        time=time_span(meeting.start, meeting.end),
        place=meeting.location or meeting.body.default_place,
        attendance=_attendance(meeting, minutes=minutes, draft=draft)
        + _meeting_corrections(meeting, minutes=minutes, public=public),
        edition=edition,
        edition_note=note,
        sections=tuple(sections),
        title=f"{kind} – {meeting.body.name} {short}",
        subject=f"{kind}: {meeting.title}, {long_date(meeting.start)}",
        header=f"{meeting.body.name} · {kind} · {short}",
    )
    return _cleaned(content)


def paragraphs(text: str) -> tuple[str, ...]:
    """A blank line separates paragraphs; single line breaks stay as written."""
    parts = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip())
    return tuple(p.strip("\n") for p in parts if p.strip())


#: Heads the corrections to the meeting as a whole on the minutes' front page.
CORRECTIONS_LABEL = "Rettelser til referatet"


def _correction_line(c: Correction) -> str:
    """``Rettelse 12. maj 2024 (Anne Berg): …``: approved minutes change only by an
    addition that says when and by whom."""
    return f"Rettelse {medium_date(c.at)} ({c.user}): {c.text}"


def _corrections(meeting: Meeting, item_id: object) -> tuple[str, ...]:
    return tuple(_correction_line(c) for c in meeting.corrections if c.item_id == item_id)


def _meeting_corrections(
    meeting: Meeting, *, minutes: bool, public: bool
) -> tuple[Attendance, ...]:
    # not in the public edition: a correction to the meeting as a whole may speak of a
    # closed item, and what is not known to be public is left out (fail closed)
    lines = _corrections(meeting, None) if minutes and not public else ()
    return (Attendance(CORRECTIONS_LABEL, lines),) if lines else ()


def _item(
    numbered: NumberedItem,
    anchor: str,
    *,
    minutes: bool,
    public: bool,
    corrections: tuple[str, ...] = (),
) -> ItemContent:
    item = numbered.item
    if public and item.closed:
        heading = f"{numbered.number} {CLOSED_LABEL}"
        return ItemContent(numbered.number, heading, anchor, closed=True, redacted=True)
    case = item.case
    sections = tuple(
        TextBlock(section.label, paragraphs(text))
        for section, text in (case.filled_sections() if case else [])
    )
    decision = (paragraphs(item.decision) if minutes else ()) + corrections
    shown = attachments_for(item, public=public)
    return ItemContent(
        number=numbered.number,
        heading=numbered.heading,
        anchor=anchor,
        closed=item.closed,
        redacted=False,
        reference=f"Sagsnr. {case.reference}" if case and case.reference else "",
        sections=sections,
        decision=decision,
        decision_missing=minutes and not decision,
        attachments=tuple(
            f"Bilag {n}: {a.title}" + (f" {CONFIDENTIAL_SUFFIX}" if a.confidential else "")
            for n, a in enumerate(shown, start=1)
        ),
    )


#: Fields whose text may span lines; every other string is one line.
_MULTILINE = frozenset({"paragraphs", "decision", "intro"})
#: Control characters XML (and so Word) refuses; Word's own line and page breaks
#: (\x0b, \x0c, pasted from Word) become line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _cleaned(value, multiline: bool = False):
    """Every string of the content made safe for both writers (recursively)."""
    if isinstance(value, str):
        text = _CONTROL.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text if multiline else " ".join(text.split())
    if isinstance(value, tuple):
        return tuple(_cleaned(v, multiline) for v in value)
    if dataclasses.is_dataclass(value):
        changes = {
            f.name: _cleaned(getattr(value, f.name), f.name in _MULTILINE)
            for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def cleaned(content: DocumentContent) -> DocumentContent:
    """Content made elsewhere (a tillægsdagsorden) made safe for both writers too."""
    return _cleaned(content)


def _attendance(meeting: Meeting, *, minutes: bool, draft: bool) -> tuple[Attendance, ...]:
    """Who takes part: the agenda lists the participants; the minutes say who came and
    who sent apologies, and never let members whose attendance is not recorded pass
    for present: before the meeting they are the invited ("Indbudte")."""
    people = meeting.participants or meeting.body.members
    if not minutes:
        return (Attendance("Deltagere", tuple(map(_person, people))),) if people else ()
    unrecorded = [p for p in people if p.present is None]
    nothing_recorded = len(unrecorded) == len(people)
    groups = (
        ("Til stede", [p for p in people if p.present is True]),
        ("Afbud", [p for p in people if p.present is False]),
        (INVITED_LABEL if draft and nothing_recorded else UNRECORDED_LABEL, unrecorded),
    )
    return tuple(Attendance(label, tuple(map(_person, ps))) for label, ps in groups if ps)


def _person(participant: Participant) -> str:
    return f"{participant.name}, {participant.role}" if participant.role else participant.name


__all__ = [
    "ATTACHMENTS_LABEL",
    "CLOSED_LABEL",
    "CLOSED_SUFFIX",
    "CONFIDENTIAL_LABEL",
    "CONFIDENTIAL_SUFFIX",
    "CONTENTS_LABEL",
    "DECISION_LABEL",
    "DRAFT_MINUTES_LABEL",
    "FULL_EDITION",
    "NO_DECISION",
    "PUBLIC_EDITION",
    "RESTRICTED_NOTE",
    "DocumentContent",
    "ItemContent",
    "SectionContent",
    "TextBlock",
    "cleaned",
    "document_content",
    "document_kind",
    "paragraphs",
]
