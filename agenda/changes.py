"""What changed since the agenda was sent: the change list between two meetings.

``changes(sent, now)`` compares what the documents show (``view``): the meeting's title,
time, place and participants, the sections, and per item its number, kind, title, case
number, text sections, closed flag and bilag (title, file, confidentiality, order).
Decisions are the minutes' business and not compared; neither are the case's officer
or title, which no agenda shows.

Items match by ``AgendaItem.id`` across versions; bilag by attachment id, then (a file
that was replaced by a new bilag) by title, then by position. An item is *moved* when it
changed section, or when keeping it in place would break the order of the items around
it (the fewest moves that explain the new order, a longest common subsequence); an item
whose number changed only because others came or went is *renumbered*. Bilag order
works the same way.

Every change carries what ``agenda.change_apply.apply`` needs to make the current
meeting from the sent one, and the numbers a description needs (``agenda.change_notes``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from agenda.item_content import item_attachments, item_reference, item_texts
from agenda.model import (
    AgendaItem,
    Attachment,
    AttachmentId,
    ItemId,
    ItemKind,
    Meeting,
    SectionId,
    TextSection,
)
from agenda.numbering import item_numbers


class ChangeKind(Enum):
    """One kind of difference. Values are stable (the CLI and the window may show them)."""

    MEETING = "meeting"  # title, time, place or participants
    SECTION_ADDED = "section_added"
    SECTION_REMOVED = "section_removed"
    SECTION_RENAMED = "section_renamed"
    SECTION_MOVED = "section_moved"
    ITEM_ADDED = "item_added"
    ITEM_REMOVED = "item_removed"
    ITEM_MOVED = "item_moved"
    ITEM_RENUMBERED = "item_renumbered"
    ITEM_RETITLED = "item_retitled"
    ITEM_KIND = "item_kind"
    REFERENCE = "reference"
    TEXT = "text"
    ITEM_CLOSED = "item_closed"
    ITEM_OPENED = "item_opened"
    BILAG_ADDED = "bilag_added"
    BILAG_REPLACED = "bilag_replaced"
    BILAG_REMOVED = "bilag_removed"
    BILAG_RETITLED = "bilag_retitled"
    BILAG_MOVED = "bilag_moved"
    BILAG_CONFIDENTIAL = "bilag_confidential"
    BILAG_PUBLIC = "bilag_public"


#: The meeting's own fields a document shows (the front page).
MEETING_FIELDS = ("title", "start", "end", "location", "participants")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the sent meeting and the current one.

    Which fields are set depends on ``kind``; ids name the sent object where there is
    one (a removed or replaced bilag), else the new one.
    """

    kind: ChangeKind
    item: ItemId | None = None
    #: The section an item is in now (added, moved), or was in (removed); a section change's.
    section: SectionId | None = None
    attachment: AttachmentId | None = None
    text_section: TextSection | None = None
    #: Where it is now: the item's place in its section, the bilag's in its item, the
    #: section's among the sections (0-based).
    index: int | None = None
    #: The item's number now and when sent ("2.3"); "" where it has none.
    number: str = ""
    sent_number: str = ""
    #: The bilag's number in its item now and when sent (1-based); 0 where it has none.
    bilag_number: int = 0
    sent_bilag_number: int = 0
    #: The new title (item, section, bilag), text (a text section, "" when emptied) or
    #: case number; None where the change has none.
    value: str | None = None
    item_kind: ItemKind | None = None
    #: The whole item added, or the whole bilag added or put in a sent one's place.
    new_item: AgendaItem | None = None
    new_attachment: Attachment | None = None
    #: MEETING: (field, new value) for each field of ``MEETING_FIELDS`` that changed.
    meeting: tuple[tuple[str, Any], ...] = ()


def changes(sent: Meeting, now: Meeting) -> tuple[Change, ...]:
    """The change list from ``sent`` to ``now``: meeting, sections, then items in the
    current agenda's order (removed items where they were), each item's own changes in
    a fixed order (place, closed, kind, title, case number, texts, bilag)."""
    result: list[Change] = []
    fields = tuple(
        (name, getattr(now, name))
        for name in MEETING_FIELDS
        if _meeting_value(sent, name) != _meeting_value(now, name)
    )
    if fields:
        result.append(Change(ChangeKind.MEETING, meeting=fields))
    result += _section_changes(sent, now)
    result += _item_changes(sent, now)
    return tuple(result)


def _meeting_value(meeting: Meeting, name: str) -> Any:
    value = getattr(meeting, name)
    if name == "participants":  # what the front page prints
        return tuple((p.name, p.role) for p in value)
    return value


def kept_in_order(before: Sequence[Hashable], after: Sequence[Hashable]) -> set[Hashable]:
    """The largest set of the keys common to both sequences whose order did not change
    (a longest common subsequence of sequences without repeats, via the longest
    increasing run of old positions: O(n log n)). Ties go to the earliest keys."""
    position = {key: n for n, key in enumerate(before)}
    common = [key for key in after if key in position]
    tails: list[int] = []  # tails[k]: the smallest old position ending a run of k+1
    tail_at: list[int] = []  # index in ``common`` of that tail
    parent: list[int] = [-1] * len(common)
    for n, key in enumerate(common):
        old = position[key]
        k = bisect_left(tails, old)
        if k == len(tails):
            tails.append(old)
            tail_at.append(n)
        else:
            tails[k] = old
            tail_at[k] = n
        parent[n] = tail_at[k - 1] if k else -1
    kept: set[Hashable] = set()
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        kept.add(common[n])
        n = parent[n]
    return kept


def _section_changes(sent: Meeting, now: Meeting) -> list[Change]:
    old = {s.id: (n, s) for n, s in enumerate(sent.agenda.sections)}
    new_ids = [s.id for s in now.agenda.sections]
    kept = kept_in_order(list(old), new_ids)
    result: list[Change] = []
    for index, section in enumerate(now.agenda.sections):
        if section.id not in old:
            result.append(
                Change(
                    ChangeKind.SECTION_ADDED, section=section.id, index=index, value=section.name
                )
            )
            continue
        if section.id not in kept:
            result.append(Change(ChangeKind.SECTION_MOVED, section=section.id, index=index))
        if old[section.id][1].name != section.name:
            result.append(
                Change(ChangeKind.SECTION_RENAMED, section=section.id, value=section.name)
            )
    present = set(new_ids)
    result += [
        Change(ChangeKind.SECTION_REMOVED, section=sid, index=n, value=s.name)
        for sid, (n, s) in old.items()
        if sid not in present
    ]
    return result


@dataclass(frozen=True, slots=True)
class _Place:
    section: SectionId
    index: int
    number: str
    item: AgendaItem


def _places(meeting: Meeting) -> dict[ItemId, _Place]:
    numbers = item_numbers(meeting.agenda, meeting.body.numbering)
    return {
        item.id: _Place(section.id, index, numbers[item.id], item)
        for section in meeting.agenda.sections
        for index, item in enumerate(section.items)
    }


def _item_changes(sent: Meeting, now: Meeting) -> list[Change]:
    before = _places(sent)
    after = _places(now)
    moved = _moved_items(sent, now, before)
    result: list[Change] = []
    removed_at: dict[int, list[Change]] = {}  # by the sent item's order: where they were
    order = {item_id: n for n, item_id in enumerate(before)}
    for item_id, old in before.items():
        if item_id not in after:
            change = Change(
                ChangeKind.ITEM_REMOVED,
                item=item_id,
                section=old.section,
                index=old.index,
                sent_number=old.number,
                value=old.item.title,
            )
            removed_at.setdefault(order[item_id], []).append(change)
    # a removed item is listed before the first current item that came after it when sent
    pending = sorted(removed_at)
    for item_id, new in after.items():
        old = before.get(item_id)
        if old is not None:
            while pending and pending[0] < order[item_id]:
                result += removed_at.pop(pending.pop(0))
        if old is None:
            result.append(
                Change(
                    ChangeKind.ITEM_ADDED,
                    item=item_id,
                    section=new.section,
                    index=new.index,
                    number=new.number,
                    new_item=new.item,
                )
            )
            continue
        place = dict(item=item_id, number=new.number, sent_number=old.number)
        if item_id in moved:
            result.append(
                Change(ChangeKind.ITEM_MOVED, section=new.section, index=new.index, **place)
            )
        elif new.number != old.number:
            result.append(Change(ChangeKind.ITEM_RENUMBERED, **place))
        result += _content_changes(old.item, new.item, place)
    for n in pending:
        result += removed_at[n]
    return result


def _moved_items(sent: Meeting, now: Meeting, before: dict[ItemId, _Place]) -> set[ItemId]:
    """Items that changed section, or whose place within it breaks the order kept."""
    moved: set[ItemId] = set()
    sent_sections = {s.id: s for s in sent.agenda.sections}
    for section in now.agenda.sections:
        stayed = [
            i.id for i in section.items if i.id in before and before[i.id].section == section.id
        ]
        moved |= {i.id for i in section.items if i.id in before and i.id not in stayed}
        if section.id in sent_sections:
            old_order = [i.id for i in sent_sections[section.id].items]
            kept = kept_in_order(old_order, stayed)
            moved |= set(stayed) - kept
    return moved


def _content_changes(old: AgendaItem, new: AgendaItem, place: dict) -> list[Change]:
    result: list[Change] = []
    if old.closed != new.closed:
        kind = ChangeKind.ITEM_CLOSED if new.closed else ChangeKind.ITEM_OPENED
        result.append(Change(kind, **place))
    if old.kind != new.kind:
        result.append(Change(ChangeKind.ITEM_KIND, item_kind=new.kind, **place))
    if old.title != new.title:
        result.append(Change(ChangeKind.ITEM_RETITLED, value=new.title, **place))
    if item_reference(old) != item_reference(new):
        result.append(Change(ChangeKind.REFERENCE, value=item_reference(new), **place))
    old_texts, new_texts = item_texts(old), item_texts(new)
    for section in TextSection:
        text = new_texts.get(section, "")
        if old_texts.get(section, "") != text:
            result.append(Change(ChangeKind.TEXT, text_section=section, value=text, **place))
    result += _bilag_changes(item_attachments(old), item_attachments(new), place)
    return result


def match_bilag(
    old: Sequence[Attachment], new: Sequence[Attachment]
) -> dict[AttachmentId, Attachment]:
    """Sent bilag id -> the current bilag that is it: the same id, else (a file replaced
    by a new bilag) the same title, else the same position."""
    matched: dict[AttachmentId, Attachment] = {}
    new_ids = {a.id for a in new}
    taken: set[AttachmentId] = set()
    for attachment in old:
        if attachment.id in new_ids:
            matched[attachment.id] = next(a for a in new if a.id == attachment.id)
            taken.add(attachment.id)
    for same in (
        lambda o, n, i, j: o.title == n.title,
        lambda o, n, i, j: i == j,
    ):
        for i, attachment in enumerate(old):
            if attachment.id in matched:
                continue
            for j, candidate in enumerate(new):
                if candidate.id not in taken and same(attachment, candidate, i, j):
                    matched[attachment.id] = candidate
                    taken.add(candidate.id)
                    break
    return matched


def _same_file(old: Attachment, new: Attachment) -> bool:
    return (old.id, old.sha256, old.file_name, old.media_type, old.size) == (
        new.id,
        new.sha256,
        new.file_name,
        new.media_type,
        new.size,
    )


def _bilag_changes(
    old: Sequence[Attachment], new: Sequence[Attachment], place: dict
) -> list[Change]:
    matched = match_bilag(old, new)
    new_number = {a.id: n for n, a in enumerate(new, start=1)}
    old_number = {a.id: n for n, a in enumerate(old, start=1)}
    # order is judged on the matched pairs, named by the sent bilag's id
    current_of = {a.id: sent_id for sent_id, a in matched.items()}
    kept = kept_in_order(
        [a.id for a in old if a.id in matched],
        [current_of[a.id] for a in new if a.id in current_of],
    )
    result: list[Change] = []
    for attachment in new:
        number = new_number[attachment.id]
        if attachment.id not in current_of:
            result.append(
                Change(
                    ChangeKind.BILAG_ADDED,
                    attachment=attachment.id,
                    index=number - 1,
                    bilag_number=number,
                    new_attachment=attachment,
                    **place,
                )
            )
            continue
        sent_id = current_of[attachment.id]
        sent = next(a for a in old if a.id == sent_id)
        at = dict(attachment=sent_id, bilag_number=number, sent_bilag_number=old_number[sent_id])
        if sent_id not in kept:
            result.append(Change(ChangeKind.BILAG_MOVED, index=number - 1, **at, **place))
        if not _same_file(sent, attachment):
            result.append(
                Change(ChangeKind.BILAG_REPLACED, new_attachment=attachment, **at, **place)
            )
        if sent.title != attachment.title:
            result.append(Change(ChangeKind.BILAG_RETITLED, value=attachment.title, **at, **place))
        if sent.confidential != attachment.confidential:
            kind = (
                ChangeKind.BILAG_CONFIDENTIAL
                if attachment.confidential
                else ChangeKind.BILAG_PUBLIC
            )
            result.append(Change(kind, **at, **place))
    result += [
        Change(
            ChangeKind.BILAG_REMOVED, attachment=a.id, sent_bilag_number=old_number[a.id], **place
        )
        for a in old
        if a.id not in matched
    ]
    return result


__all__ = [
    "MEETING_FIELDS",
    "Change",
    "ChangeKind",
    "changes",
    "kept_in_order",
    "match_bilag",
]
