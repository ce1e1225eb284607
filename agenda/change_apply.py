"""Applying a change list to the sent meeting gives the current one.

``apply(sent, changes(sent, now))`` shows what ``now`` shows (``agenda.changes``
compares the same things); it is the proof that the change list leaves nothing out.
Places are rebuilt the way the list was made: what was not moved keeps its order, and
what was added or moved is put at its final index, lowest first, which lands every
element where it is now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from agenda.changes import Change, ChangeKind
from agenda.item_content import (
    item_attachments,
    item_reference,
    item_texts,
    with_attachments,
    with_reference,
    with_text,
)
from agenda.model import (
    Agenda,
    AgendaItem,
    Attachment,
    AttachmentId,
    ItemId,
    Meeting,
    Section,
    SectionId,
)

T = TypeVar("T")

_ITEM_PLACES = frozenset({ChangeKind.ITEM_ADDED, ChangeKind.ITEM_REMOVED, ChangeKind.ITEM_MOVED})
_SECTION_KINDS = frozenset(
    {
        ChangeKind.SECTION_ADDED,
        ChangeKind.SECTION_REMOVED,
        ChangeKind.SECTION_RENAMED,
        ChangeKind.SECTION_MOVED,
    }
)


def apply(sent: Meeting, changes: Iterable[Change]) -> Meeting:
    changes = tuple(changes)
    meeting = sent
    for change in changes:
        if change.kind is ChangeKind.MEETING:
            meeting = replace(meeting, **dict(change.meeting))
    sections = _sections(sent.agenda.sections, [c for c in changes if c.kind in _SECTION_KINDS])
    items = {item.id: item for item in sent.agenda.items()}
    by_item: dict[ItemId, list[Change]] = defaultdict(list)
    for change in changes:
        if change.item is not None and change.kind not in _ITEM_PLACES:
            by_item[change.item].append(change)
    for item_id, own in by_item.items():
        items[item_id] = _item(items[item_id], own)
    places = [c for c in changes if c.kind in _ITEM_PLACES]
    for change in places:
        if change.kind is ChangeKind.ITEM_ADDED and change.new_item is not None:
            items[change.item] = change.new_item
    removed = {c.item for c in places if c.kind is ChangeKind.ITEM_REMOVED}
    placed = {c.item for c in places if c.kind is not ChangeKind.ITEM_REMOVED}
    sent_sections = {s.id: s for s in sent.agenda.sections}
    final = []
    for section in sections:
        stay = [
            items[i.id]
            for i in (sent_sections[section.id].items if section.id in sent_sections else ())
            if i.id not in removed and i.id not in placed
        ]
        arriving = [
            (c.index or 0, items[c.item])
            for c in places
            if c.kind is not ChangeKind.ITEM_REMOVED and c.section == section.id
        ]
        final.append(replace(section, items=tuple(_insert(stay, arriving))))
    return replace(meeting, agenda=Agenda(tuple(final)))


def _insert(stay: list[T], arriving: list[tuple[int, T]]) -> list[T]:
    result = list(stay)
    for index, element in sorted(arriving, key=lambda pair: pair[0]):
        result.insert(index, element)
    return result


def _sections(sent: tuple[Section, ...], changes: list[Change]) -> list[Section]:
    names: dict[SectionId, str] = {}
    removed: set[SectionId] = set()
    arriving: list[tuple[int, Section]] = []
    moved = {c.section for c in changes if c.kind is ChangeKind.SECTION_MOVED}
    for change in changes:
        if change.kind is ChangeKind.SECTION_RENAMED and change.section is not None:
            names[change.section] = change.value or ""
        elif change.kind is ChangeKind.SECTION_REMOVED and change.section is not None:
            removed.add(change.section)
    by_id = {s.id: replace(s, name=names.get(s.id, s.name)) for s in sent}
    for change in changes:
        if change.kind is ChangeKind.SECTION_ADDED and change.section is not None:
            arriving.append((change.index or 0, Section(change.value or "", (), change.section)))
        elif change.kind is ChangeKind.SECTION_MOVED and change.section is not None:
            arriving.append((change.index or 0, by_id[change.section]))
    stay = [by_id[s.id] for s in sent if s.id not in removed and s.id not in moved]
    return _insert(stay, arriving)


def _item(item: AgendaItem, changes: list[Change]) -> AgendaItem:
    bilag: list[Change] = []
    for change in changes:
        kind = change.kind
        if kind is ChangeKind.ITEM_CLOSED or kind is ChangeKind.ITEM_OPENED:
            item = replace(item, closed=kind is ChangeKind.ITEM_CLOSED)
        elif kind is ChangeKind.ITEM_KIND and change.item_kind is not None:
            item = replace(item, kind=change.item_kind)
        elif kind is ChangeKind.ITEM_RETITLED:
            item = replace(item, title=change.value or "")
        elif kind is ChangeKind.REFERENCE:
            item = with_reference(item, change.value or "")
        elif kind is ChangeKind.TEXT and change.text_section is not None:
            item = with_text(item, change.text_section, change.value or "")
        elif kind.value.startswith("bilag_"):
            bilag.append(change)
    if bilag:
        item = with_attachments(item, _bilag(item_attachments(item), bilag))
    return item


def _bilag(sent: tuple[Attachment, ...], changes: list[Change]) -> tuple[Attachment, ...]:
    current: dict[AttachmentId, Attachment] = {a.id: a for a in sent}
    removed: set[AttachmentId] = set()
    moved: dict[AttachmentId, int] = {}
    arriving: list[tuple[int, Attachment]] = []
    for change in changes:  # titles and flags first: a replacement brings its own
        aid = change.attachment
        if aid is None:
            continue
        if change.kind is ChangeKind.BILAG_RETITLED:
            current[aid] = replace(current[aid], title=change.value or "")
        elif change.kind in (ChangeKind.BILAG_CONFIDENTIAL, ChangeKind.BILAG_PUBLIC):
            confidential = change.kind is ChangeKind.BILAG_CONFIDENTIAL
            current[aid] = replace(current[aid], confidential=confidential)
    for change in changes:
        aid = change.attachment
        if aid is None:
            continue
        if change.kind is ChangeKind.BILAG_REPLACED and change.new_attachment is not None:
            current[aid] = change.new_attachment
        elif change.kind is ChangeKind.BILAG_REMOVED:
            removed.add(aid)
        elif change.kind is ChangeKind.BILAG_MOVED:
            moved[aid] = change.index or 0
        elif change.kind is ChangeKind.BILAG_ADDED and change.new_attachment is not None:
            arriving.append((change.index or 0, change.new_attachment))
    arriving += [(index, current[aid]) for aid, index in moved.items()]
    stay = [current[a.id] for a in sent if a.id not in removed and a.id not in moved]
    return tuple(_insert(stay, arriving))


def shown(meeting: Meeting) -> tuple:
    """What the agenda's documents show of a meeting, as plain values: two meetings
    with equal views make the same agenda and pack. Numbers are derived from order, so
    the order of sections and items stands for them."""
    front = (
        meeting.title,
        meeting.start,
        meeting.end,
        meeting.location,
        tuple((p.name, p.role) for p in meeting.participants),
    )
    sections = tuple(
        (section.id, section.name, tuple(shown_item(item) for item in section.items))
        for section in meeting.agenda.sections
    )
    return front, sections


def shown_item(item: AgendaItem) -> tuple:
    return (
        item.id,
        item.kind,
        item.title,
        item.closed,
        item_reference(item),
        tuple(sorted((s.value, t) for s, t in item_texts(item).items())),
        tuple(
            (a.id, a.title, a.file_name, a.media_type, a.size, a.sha256, a.confidential)
            for a in item_attachments(item)
        ),
    )
