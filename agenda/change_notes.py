"""The change list in Danish: one short line per item ("Ændret: Indstilling, Bilag 2
erstattet"), one for the meeting, one per change (the CLI's ``changes``).

The lines name only what the change list of the edition holds (``agenda.edition.
edition_changes``): numbers, the names of text sections, "Bilag 2"; never a bilag's
title or an old title, so a line cannot carry more than the document around it.
"""

from __future__ import annotations

from collections.abc import Iterable

from agenda.changes import Change, ChangeKind
from agenda.formatting import long_date, time_span
from agenda.model import ItemId

ADDED_LINE = "Nyt punkt"
REMOVED_LINE = "Udgår: punktet er taget af dagsordenen"
#: The public edition of an item opened after sending: all of it is new to the reader.
OPENED_LINE = "Nyt på den offentlige dagsorden"
CHANGED_PREFIX = "Ændret: "

_MEETING_FIELD_LABELS = {
    "title": "Mødets titel",
    "start": "Mødets tidspunkt",
    "end": "Mødets sluttidspunkt",
    "location": "Mødested",
    "participants": "Deltagere",
}

#: The order of the parts of an item's line, whatever the order of its changes.
_ORDER = (
    ChangeKind.ITEM_MOVED,
    ChangeKind.ITEM_RENUMBERED,
    ChangeKind.ITEM_CLOSED,
    ChangeKind.ITEM_OPENED,
    ChangeKind.ITEM_KIND,
    ChangeKind.ITEM_RETITLED,
    ChangeKind.REFERENCE,
    ChangeKind.TEXT,
)
_BILAG_ORDER = (
    ChangeKind.BILAG_REMOVED,
    ChangeKind.BILAG_ADDED,
    ChangeKind.BILAG_REPLACED,
    ChangeKind.BILAG_RETITLED,
    ChangeKind.BILAG_MOVED,
    ChangeKind.BILAG_CONFIDENTIAL,
    ChangeKind.BILAG_PUBLIC,
)


def by_item(changes: Iterable[Change]) -> dict[ItemId, tuple[Change, ...]]:
    """Each item's changes, items in the change list's order."""
    grouped: dict[ItemId, list[Change]] = {}
    for change in changes:
        if change.item is not None:
            grouped.setdefault(change.item, []).append(change)
    return {item: tuple(own) for item, own in grouped.items()}


def part(change: Change) -> str:
    """What one change says, as a part of an item's line ("Bilag 2 erstattet")."""
    kind = change.kind
    bilag = f"Bilag {change.bilag_number}"
    text = {
        ChangeKind.ITEM_ADDED: ADDED_LINE,
        ChangeKind.ITEM_REMOVED: "Udgår",
        ChangeKind.ITEM_MOVED: f"Flyttet fra punkt {change.sent_number}",
        ChangeKind.ITEM_RENUMBERED: f"Nyt nummer (før {change.sent_number})",
        ChangeKind.ITEM_CLOSED: "Gjort til lukket punkt",
        ChangeKind.ITEM_OPENED: "Gjort til åbent punkt",
        ChangeKind.ITEM_KIND: "Sagstype",
        ChangeKind.ITEM_RETITLED: "Titel",
        ChangeKind.REFERENCE: "Sagsnummer",
        ChangeKind.BILAG_ADDED: f"{bilag} tilføjet",
        ChangeKind.BILAG_REPLACED: f"{bilag} erstattet",
        ChangeKind.BILAG_REMOVED: f"Bilag {change.sent_bilag_number} fjernet",
        ChangeKind.BILAG_RETITLED: f"{bilag} har fået ny titel",
        ChangeKind.BILAG_MOVED: f"{bilag} flyttet (før bilag {change.sent_bilag_number})",
        ChangeKind.BILAG_CONFIDENTIAL: f"{bilag} gjort fortroligt",
        ChangeKind.BILAG_PUBLIC: f"{bilag} ikke længere fortroligt",
    }.get(kind)
    if kind is ChangeKind.TEXT and change.text_section is not None:
        return change.text_section.label
    if text is None:
        raise ValueError(f"{kind} is not a change of an item")
    return text


def item_line(changes: Iterable[Change], *, public: bool = False) -> str:
    """The line under an item's heading: "Nyt punkt", "Udgår: …" or "Ændret: …"."""
    own = list(changes)
    kinds = {c.kind for c in own}
    if ChangeKind.ITEM_ADDED in kinds:
        return ADDED_LINE
    if ChangeKind.ITEM_REMOVED in kinds:
        return REMOVED_LINE
    if public and ChangeKind.ITEM_OPENED in kinds:
        return OPENED_LINE
    parts: list[str] = []
    for kind in _ORDER:
        parts += [part(c) for c in own if c.kind is kind]
    bilag = [c for c in own if c.kind in _BILAG_ORDER]
    # by bilag: the removed ones (sent numbers) first, then the current ones in order
    bilag.sort(
        key=lambda c: (
            c.kind is not ChangeKind.BILAG_REMOVED,
            c.bilag_number or c.sent_bilag_number,
            _BILAG_ORDER.index(c.kind),
        )
    )
    parts += _dedup(part(c) for c in bilag)
    return CHANGED_PREFIX + ", ".join(parts)


def _dedup(parts: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for text in parts:
        if text not in seen:
            seen.append(text)
    return seen


def only_placed(changes: Iterable[Change]) -> bool:
    """The item's content is as sent; only its place or number changed."""
    return all(c.kind in (ChangeKind.ITEM_MOVED, ChangeKind.ITEM_RENUMBERED) for c in changes)


def meeting_line(changes: Iterable[Change]) -> str:
    """ "Ændret: Mødets tidspunkt, Mødested", or "" when the meeting's own fields are as
    sent. Section changes are not named: the items in them are."""
    names = [
        _MEETING_FIELD_LABELS[name]
        for change in changes
        if change.kind is ChangeKind.MEETING
        for name, _ in change.meeting
    ]
    return CHANGED_PREFIX + ", ".join(names) if names else ""


_SECTION_KINDS = frozenset(
    {
        ChangeKind.SECTION_ADDED,
        ChangeKind.SECTION_REMOVED,
        ChangeKind.SECTION_RENAMED,
        ChangeKind.SECTION_MOVED,
    }
)


def section_lines(changes: Iterable[Change]) -> list[str]:
    """ "Nyt afsnit: …", "Afsnit omdøbt til: …": the sections' own changes, one a line.
    Section names are on the agenda of both editions."""
    return [describe(c) for c in changes if c.kind in _SECTION_KINDS]


def describe(change: Change) -> str:
    """One change as a sentence for a list (the CLI's ``changes``)."""
    kind = change.kind
    if kind is ChangeKind.MEETING:
        values = dict(change.meeting)
        said = []
        for name in values:
            if name == "start":
                said.append(
                    f"{_MEETING_FIELD_LABELS[name]}: {long_date(values[name])} "
                    f"{time_span(values[name], values.get('end'))}"
                )
            elif name in ("title", "location"):
                said.append(f"{_MEETING_FIELD_LABELS[name]}: {values[name]}")
            else:
                said.append(_MEETING_FIELD_LABELS[name])
        return "Mødet ændret: " + "; ".join(said)
    if kind is ChangeKind.SECTION_ADDED:
        return f"Nyt afsnit: {change.value}"
    if kind is ChangeKind.SECTION_REMOVED:
        return f"Afsnit fjernet: {change.value}"
    if kind is ChangeKind.SECTION_RENAMED:
        return f"Afsnit omdøbt til: {change.value}"
    if kind is ChangeKind.SECTION_MOVED:
        return f"Afsnit flyttet til plads {(change.index or 0) + 1}"
    number = change.number or change.sent_number
    return f"Punkt {number}: {part(change)}"


__all__ = [
    "ADDED_LINE",
    "CHANGED_PREFIX",
    "OPENED_LINE",
    "REMOVED_LINE",
    "by_item",
    "describe",
    "item_line",
    "meeting_line",
    "only_placed",
    "part",
    "section_lines",
]
