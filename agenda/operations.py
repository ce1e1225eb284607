"""Editing operations on an agenda, each a pure function paired with its inverse,
and the rules that choose them (where a moved or new item goes, what is refused).

An operation is a small frozen value. ``apply(agenda)`` returns the new agenda and
the operation that undoes it, computed against the agenda it was applied to; the
GUI wraps that pair in a QUndoCommand, the CLI and tests call it directly. The rules
at the end turn a user's gesture (Ctrl+Up, "Ny sag", a drop from the case library)
into operations, so keyboard, menu and drag share one decision, testable without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from agenda.errors import UserFacingError
from agenda.model import (
    Agenda,
    AgendaItem,
    AttachmentId,
    Case,
    ItemId,
    ItemKind,
    Meeting,
    NumberingStyle,
    Section,
    SectionId,
)
from agenda.numbering import item_numbers


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


def case_of(item: AgendaItem) -> Case:
    """The item's case; a fixed item gets one the first time it needs text or bilag."""
    return item.case or Case(title=item.title, kind=item.kind)


def with_fields(
    item: AgendaItem, *, title: str, kind: ItemKind, closed: bool, reference: str, officer: str
) -> AgendaItem:
    """``item`` with an edited title, kind, closed flag, case number and officer. A
    blank title keeps the old one; the case's kind follows the item's, and its title
    too while the two were the same; a case number or officer gives a fixed item a case."""
    title = title.strip() or item.title
    new = replace(item, title=title, kind=kind, closed=closed)
    reference, officer = reference.strip(), officer.strip()
    if item.case is not None or reference or officer:
        case = case_of(item)
        new = replace(
            new,
            case=replace(
                case,
                reference=reference,
                officer=officer,
                kind=kind,
                title=title if case.title == item.title else case.title,
            ),
        )
    return new


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


# -- the rules that choose an operation ----------------------------------------------------


class CaseAlreadyOnAgendaError(UserFacingError):
    """A case may stand on an agenda once: the item it already has is ``number``."""

    def __init__(self, reference: str, number: str) -> None:
        super().__init__(f"Sagen {reference} er allerede på dagsordenen som punkt {number}.")
        self.reference, self.number = reference, number


class SectionNotEmptyError(UserFacingError):
    """Only an empty section is removed: its items are never removed with it unasked."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Afsnittet {name} har stadig punkter. Flyt eller fjern dem først.")
        self.name = name


def step_move(agenda: Agenda, item_id: ItemId, step: int) -> MoveItem | None:
    """Move one place up (-1) or down (+1), across into the neighbouring section at
    its edge. None when the item is already first or last."""
    s, p = agenda.find(item_id)
    count = len(agenda.sections[s].items)
    if step < 0:
        if p > 0:
            target = (s, p - 1)
        elif s > 0:
            target = (s - 1, len(agenda.sections[s - 1].items))
        else:
            return None
    else:
        if p < count - 1:
            target = (s, p + 1)
        elif s < len(agenda.sections) - 1:
            target = (s + 1, 0)
        else:
            return None
    return MoveItem(item_id, *target)


def insertion_point(agenda: Agenda, after: ItemId | None) -> tuple[int, int]:
    """Where a new item goes: after the selected item, else at the end of the last
    section that holds cases (the "Sager" section), else of the middle section."""
    if after is not None:
        try:
            s, p = agenda.find(after)
            return s, p + 1
        except KeyError:
            pass
    for s in range(len(agenda.sections) - 1, -1, -1):
        if any(i.kind.in_heading for i in agenda.sections[s].items):
            return s, len(agenda.sections[s].items)
    s = len(agenda.sections) // 2 if len(agenda.sections) > 2 else 0
    return s, len(agenda.sections[s].items)


def refuse_duplicate_case(agenda: Agenda, case: Case, numbering: NumberingStyle) -> None:
    """Raise ``CaseAlreadyOnAgendaError`` when ``case`` (a saved one) is on the agenda."""
    if case.id is None:
        return
    numbers = item_numbers(agenda, numbering)
    for existing in agenda.items():
        if existing.case is not None and existing.case.id == case.id:
            raise CaseAlreadyOnAgendaError(case.reference or case.title, numbers[existing.id])


def place_case(
    agenda: Agenda,
    case: Case,
    numbering: NumberingStyle,
    *,
    at: tuple[int, int] | None = None,
    after: ItemId | None = None,
    section_name: str = "Sager",
) -> tuple[AgendaItem, tuple[Operation, ...]]:
    """The new item for ``case`` and the operations that put it on the agenda: at
    ``at`` (a drop), else where a new item goes (``insertion_point``); an agenda
    without sections first gets one, named ``section_name``. Refuses a case already
    on the agenda (``CaseAlreadyOnAgendaError``)."""
    refuse_duplicate_case(agenda, case, numbering)
    item = AgendaItem(kind=case.kind, title=case.title, case=case)
    operations: list[Operation] = []
    if not agenda.sections:
        operations.append(AddSection(Section(section_name), 0))
        at = (0, 0)
    section, position = at if at is not None else insertion_point(agenda, after)
    operations.append(AddItem(item, section, position))
    return item, tuple(operations)


def new_case_place(agenda: Agenda, after: ItemId | None) -> tuple[Section | None, ItemKind]:
    """The section a new case goes into and the kind it starts as: the kind the
    section is named for ("Orienteringssager"), else a decision."""
    from agenda.preflight_sections import kinds_named

    if not agenda.sections:
        return None, ItemKind.DECISION
    section = agenda.sections[insertion_point(agenda, after)[0]]
    named = kinds_named(section.name)
    return section, next(iter(named)) if len(named) == 1 else ItemKind.DECISION


def new_section_position(agenda: Agenda, after: int | None) -> int:
    """A new section goes after the selected one, else last."""
    return (after + 1) if after is not None else len(agenda.sections)


def remove_empty_section(agenda: Agenda, section: int) -> RemoveSection:
    """Only an empty section: its items must be moved or removed first."""
    target = agenda.sections[section]
    if target.items:
        raise SectionNotEmptyError(target.name)
    return RemoveSection(target.id)


def toggle_closed(agenda: Agenda, item_id: ItemId) -> SetClosed:
    return SetClosed(item_id, not agenda.item(item_id).closed)


def successor_after_removal(agenda: Agenda, item_id: ItemId) -> ItemId | None:
    """The item that takes a removed item's place, as in a file list: the one after
    it, else the one before it; None when it was the only one."""
    order = [i.id for i in agenda.items()]
    at = order.index(item_id)
    return (order[at + 1 : at + 2] or order[max(0, at - 1) : at] or [None])[0]


def meeting_update(meeting: Meeting, **changes: object) -> UpdateMeeting | None:
    """The update that makes these changes; None when they change nothing (no undo
    step for an edit that left everything as it was)."""
    current = {name: getattr(meeting, name) for name in changes}
    return UpdateMeeting.of(**changes) if changes != current else None
