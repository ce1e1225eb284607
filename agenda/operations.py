"""Editing operations on an agenda, each a pure function paired with its inverse.

An operation is a small frozen value. ``apply(agenda)`` returns the new agenda and
the operation that undoes it, computed against the agenda it was applied to; the
GUI wraps that pair in a QUndoCommand, the CLI and tests call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from agenda.model import (
    Agenda,
    AgendaItem,
    AttachmentId,
    Case,
    ItemId,
    Meeting,
    Section,
    SectionId,
)


class Operation(Protocol):
    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]: ...


def _with_items(agenda: Agenda, s: int, items: tuple[AgendaItem, ...]) -> Agenda:
    sections = list(agenda.sections)
    sections[s] = replace(sections[s], items=items)
    return replace(agenda, sections=tuple(sections))


def _clamp(index: int, length: int) -> int:
    return max(0, min(index, length))


@dataclass(frozen=True, slots=True)
class AddItem:
    item: AgendaItem
    section: int
    position: int

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        if any(i.id == self.item.id for i in agenda.items()):
            raise ValueError(f"item {self.item.id} is already on the agenda")
        items = list(agenda.sections[self.section].items)
        items.insert(_clamp(self.position, len(items)), self.item)
        return _with_items(agenda, self.section, tuple(items)), RemoveItem(self.item.id)


@dataclass(frozen=True, slots=True)
class RemoveItem:
    item_id: ItemId

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        s, p = agenda.find(self.item_id)
        items = list(agenda.sections[s].items)
        item = items.pop(p)
        return _with_items(agenda, s, tuple(items)), AddItem(item, s, p)


@dataclass(frozen=True, slots=True)
class MoveItem:
    """Move an item to ``position`` in ``section`` (positions count after removal)."""

    item_id: ItemId
    section: int
    position: int

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        s, p = agenda.find(self.item_id)
        item = agenda.sections[s].items[p]
        without, _ = RemoveItem(self.item_id).apply(agenda)
        target = list(without.sections[self.section].items)
        target.insert(_clamp(self.position, len(target)), item)
        return _with_items(without, self.section, tuple(target)), MoveItem(self.item_id, s, p)


@dataclass(frozen=True, slots=True)
class SetClosed:
    item_id: ItemId
    closed: bool

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        old = agenda.item(self.item_id)
        return _replace_item(agenda, replace(old, closed=self.closed)), SetClosed(
            self.item_id, old.closed
        )


@dataclass(frozen=True, slots=True)
class ReplaceItem:
    """Replace an item by an edited copy (title, kind, decision, its case's texts ...)."""

    item: AgendaItem

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        old = agenda.item(self.item.id)
        return _replace_item(agenda, self.item), ReplaceItem(old)


@dataclass(frozen=True, slots=True)
class ReorderAttachments:
    """Give an item's case's attachments a new order (a permutation of their ids)."""

    item_id: ItemId
    order: tuple[AttachmentId, ...]

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        item = agenda.item(self.item_id)
        if item.case is None:
            raise ValueError("item has no case")
        case = reorder_attachments(item.case, self.order)
        before = tuple(a.id for a in item.case.attachments)
        new = replace(item, case=case)
        return _replace_item(agenda, new), ReorderAttachments(self.item_id, before)


@dataclass(frozen=True, slots=True)
class AddSection:
    section: Section
    position: int

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        sections = list(agenda.sections)
        sections.insert(_clamp(self.position, len(sections)), self.section)
        return replace(agenda, sections=tuple(sections)), RemoveSection(self.section.id)


@dataclass(frozen=True, slots=True)
class RemoveSection:
    section_id: SectionId

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        for index, section in enumerate(agenda.sections):
            if section.id == self.section_id:
                sections = agenda.sections[:index] + agenda.sections[index + 1 :]
                return replace(agenda, sections=sections), AddSection(section, index)
        raise KeyError(self.section_id)


def reorder_attachments(case: Case, order: tuple[AttachmentId, ...]) -> Case:
    by_id = {a.id: a for a in case.attachments}
    if sorted(order) != sorted(by_id):
        raise ValueError("the new order must name each attachment once")
    return replace(case, attachments=tuple(by_id[i] for i in order))


def _replace_item(agenda: Agenda, item: AgendaItem) -> Agenda:
    s, p = agenda.find(item.id)
    items = list(agenda.sections[s].items)
    items[p] = item
    return _with_items(agenda, s, tuple(items))


_MEETING_FIELDS = frozenset(
    {"body", "title", "start", "end", "location", "status", "participants", "extra"}
)


@dataclass(frozen=True, slots=True)
class UpdateMeeting:
    """Change a meeting's own fields (title, time, place, status, participants, body);
    the agenda is untouched. Works on the meeting, not the agenda, so it has its own
    ``apply_to_meeting``; the inverse holds the old values."""

    changes: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, **changes: object) -> UpdateMeeting:
        unknown = set(changes) - _MEETING_FIELDS
        if unknown:
            raise ValueError(f"not a meeting field: {sorted(unknown)}")
        return cls(tuple(sorted(changes.items())))

    def apply_to_meeting(self, meeting: Meeting) -> tuple[Meeting, UpdateMeeting]:
        before = tuple((name, getattr(meeting, name)) for name, _ in self.changes)
        return replace(meeting, **dict(self.changes)), UpdateMeeting(before)


@dataclass(frozen=True, slots=True)
class RenameSection:
    section_id: SectionId
    name: str

    def apply(self, agenda: Agenda) -> tuple[Agenda, Operation]:
        for index, section in enumerate(agenda.sections):
            if section.id == self.section_id:
                sections = list(agenda.sections)
                sections[index] = replace(section, name=self.name)
                inverse = RenameSection(self.section_id, section.name)
                return replace(agenda, sections=tuple(sections)), inverse
        raise KeyError(self.section_id)
