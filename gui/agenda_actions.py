"""The agenda edits the window offers, as domain operations through the session.

Kept apart from the window so tests and the keyboard, menu and drag paths all share
one implementation.
"""

from __future__ import annotations

from agenda.errors import UserFacingError
from agenda.model import AgendaItem, Case, CaseId, ItemId, ItemKind, Section
from agenda.numbering import item_numbers
from agenda.operations import (
    AddItem,
    AddSection,
    MoveItem,
    RemoveItem,
    RemoveSection,
    RenameSection,
    SetClosed,
)
from gui.i18n import _
from gui.session import MeetingSession


def move_by(session: MeetingSession, item_id: ItemId, step: int) -> bool:
    """Move one place up (-1) or down (+1), across into the neighbouring section at
    its edge. False when the item is already first or last."""
    agenda = session.meeting.agenda
    s, p = agenda.find(item_id)
    count = len(agenda.sections[s].items)
    if step < 0:
        if p > 0:
            target = (s, p - 1)
        elif s > 0:
            target = (s - 1, len(agenda.sections[s - 1].items))
        else:
            return False
    else:
        if p < count - 1:
            target = (s, p + 1)
        elif s < len(agenda.sections) - 1:
            target = (s + 1, 0)
        else:
            return False
    session.execute(MoveItem(item_id, *target), _("Move item"))
    return True


def move_to(session: MeetingSession, item_id: ItemId, section: int, position: int) -> None:
    session.execute(MoveItem(item_id, section, position), _("Move item"))


def remove(session: MeetingSession, item_id: ItemId) -> None:
    session.execute(RemoveItem(item_id), _("Remove item"))


def toggle_closed(session: MeetingSession, item_id: ItemId) -> None:
    item = session.meeting.agenda.item(item_id)
    text = _("Open item") if item.closed else _("Close item")
    session.execute(SetClosed(item_id, not item.closed), text)


def insertion_point(session: MeetingSession, after: ItemId | None) -> tuple[int, int]:
    """Where a new item goes: after the selected item, else at the end of the last
    section that holds cases (the "Sager" section), else of the middle section."""
    agenda = session.meeting.agenda
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


def add_case(
    session: MeetingSession,
    case_id: CaseId,
    at: tuple[int, int] | None = None,
    *,
    after: ItemId | None = None,
) -> ItemId:
    """Put a case from the library on the agenda; refuses a case already on it."""
    case = session.workspace.case(case_id)
    return add_item_for_case(session, case, at, after=after)


def add_item_for_case(
    session: MeetingSession,
    case: Case,
    at: tuple[int, int] | None = None,
    *,
    after: ItemId | None = None,
) -> ItemId:
    agenda = session.meeting.agenda
    if case.id is not None:
        numbers = item_numbers(agenda, session.meeting.body.numbering)
        for existing in agenda.items():
            if existing.case is not None and existing.case.id == case.id:
                raise UserFacingError(
                    _("The case %(ref)s is already on this agenda as item %(number)s.")
                    % {"ref": case.reference or case.title, "number": numbers[existing.id]}
                )
    item = AgendaItem(kind=case.kind, title=case.title, case=case)
    stack = session.undo_stack
    stack.beginMacro(_("Add %(title)s") % {"title": case.title})
    try:
        if not agenda.sections:
            session.execute(AddSection(Section(_("Cases")), 0), _("Add section"))
            at = (0, 0)
        section, position = at if at is not None else insertion_point(session, after)
        session.execute(AddItem(item, section, position), _("Add item"))
    finally:
        stack.endMacro()
    return item.id


def new_case(
    session: MeetingSession, title: str, kind: ItemKind, *, after: ItemId | None = None
) -> ItemId:
    """A new case, saved to the library first so undo/redo never makes it twice."""
    with session.workspace.transaction():
        case = session.workspace.save_case(Case(title=title, kind=kind))
    return add_item_for_case(session, case, after=after)


def add_section(session: MeetingSession, name: str, after: int | None) -> None:
    position = (after + 1) if after is not None else len(session.meeting.agenda.sections)
    session.execute(AddSection(Section(name), position), _("Add section"))


def rename_section(session: MeetingSession, section: int, name: str) -> None:
    section_id = session.meeting.agenda.sections[section].id
    session.execute(RenameSection(section_id, name), _("Rename section"))


def remove_section(session: MeetingSession, section: int) -> None:
    """Only an empty section: its items must be moved or removed first."""
    target = session.meeting.agenda.sections[section]
    if target.items:
        raise UserFacingError(
            _("The section %(name)s still has items. Move or remove them first.")
            % {"name": target.name}
        )
    session.execute(RemoveSection(target.id), _("Remove section"))
