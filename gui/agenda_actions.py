"""The agenda edits the window offers, on the shown meeting through its session.

The decisions (where a moved or new item goes, what is refused) are the domain's
(``agenda.operations``); this runs them as undoable steps. Kept apart from the menu so
tests and the keyboard, menu and drag paths all share one implementation.
"""

from __future__ import annotations

from dataclasses import replace

from agenda.errors import RecordLockedError, UserFacingError
from agenda.model import Case, CaseId, ItemId, ItemKind, Meeting, Section
from agenda.operations import (
    AddSection,
    MoveItem,
    RemoveItem,
    RenameSection,
    ReplaceItem,
    new_section_position,
    place_case,
    remove_empty_section,
    step_move,
    toggle_closed,
)
from agenda.records import LOCKED
from agenda.sent_numbers import check_move
from app.supplements import last_sent
from gui.i18n import _
from gui.session import MeetingSession
from gui.window_controller import WindowController


class AgendaActions:
    """Edits of the meeting the controller shows; each is a no-op without one."""

    def __init__(self, controller: WindowController) -> None:
        self.controller = controller

    @property
    def session(self) -> MeetingSession:
        session = self.controller.session
        if session is None:
            raise RuntimeError("no meeting is shown")  # the menus check first: a bug
        return session

    def sent_meeting(self) -> Meeting | None:
        """The meeting as last sent (what members have read), None if never sent."""
        session = self.session
        if session.meeting.id is None:
            return None
        version = last_sent(session.workspace, session.meeting.id)
        return None if version is None else session.workspace.sent_meeting(version.id)

    def move_by(self, item_id: ItemId, step: int, *, confirmed: bool = False) -> bool:
        """Move one place up (-1) or down (+1), across into the neighbouring section at
        its edge. False when the item is already first or last. SentItemMoveError for
        an item sent with its number, unless ``confirmed`` (the window asks first)."""
        move = step_move(self.session.meeting.agenda, item_id, step)
        if move is None:
            return False
        check_move(
            self.session.meeting, self.sent_meeting(), item_id, move.section, confirmed=confirmed
        )
        self.session.execute(move, _("Move item"))
        return True

    def move_to(
        self, item_id: ItemId, section: int, position: int, *, confirmed: bool = False
    ) -> None:
        """SentItemMoveError as for ``move_by``."""
        if self.session.meeting.agenda.find(item_id) != (section, position):
            check_move(
                self.session.meeting, self.sent_meeting(), item_id, section, confirmed=confirmed
            )
        self.session.execute(MoveItem(item_id, section, position), _("Move item"))

    def pull_case_text(self, item_id: ItemId) -> None:
        """ "Hent sagens nyeste tekst" as an undoable step: the same rule as
        ``app.records.pull_case_text`` (refused for a held meeting, title and decision
        kept), run through the session so Fortryd puts the item back."""
        session = self.session
        meeting = session.meeting
        item = meeting.agenda.item(item_id)
        if item.case is None or item.case.id is None:
            raise UserFacingError(
                _(
                    "The item »%(title)s« has no case in the case library, so there is "
                    "no newer text to fetch."
                )
                % {"title": item.title}
            )
        if meeting.status in LOCKED:
            raise RecordLockedError(
                _("The meeting is held, so the items' text is locked. Nothing was fetched.")
            )
        latest = session.workspace.case(item.case.id)
        session.execute(ReplaceItem(replace(item, case=latest)), _("Fetch the case's latest text"))

    def remove(self, item_id: ItemId) -> None:
        self.session.execute(RemoveItem(item_id), _("Remove item"))

    def toggle_closed(self, item_id: ItemId) -> None:
        op = toggle_closed(self.session.meeting.agenda, item_id)
        self.session.execute(op, _("Close item") if op.closed else _("Open item"))

    def add_case(
        self, case_id: CaseId, at: tuple[int, int] | None = None, *, after: ItemId | None = None
    ) -> ItemId:
        """Put a case from the library on the agenda; refuses a case already on it."""
        case = self.session.workspace.case(case_id)
        return self.add_item_for_case(case, at, after=after)

    def add_item_for_case(
        self, case: Case, at: tuple[int, int] | None = None, *, after: ItemId | None = None
    ) -> ItemId:
        session = self.session
        meeting = session.meeting
        item, operations = place_case(
            meeting.agenda,
            case,
            meeting.body.numbering,
            at=at,
            after=after,
            section_name=_("Cases"),
        )
        texts = {AddSection: _("Add section")}
        stack = session.undo_stack
        stack.beginMacro(_("Add %(title)s") % {"title": case.title})
        try:
            for op in operations:
                session.execute(op, texts.get(type(op), _("Add item")))
        finally:
            stack.endMacro()
        return item.id

    def new_case(self, title: str, kind: ItemKind, *, after: ItemId | None = None) -> ItemId:
        """A new case, saved to the library first so undo/redo never makes it twice."""
        workspace = self.session.workspace
        with workspace.transaction():
            case = workspace.save_case(Case(title=title, kind=kind))
        return self.add_item_for_case(case, after=after)

    def add_section(self, name: str, after: int | None) -> None:
        position = new_section_position(self.session.meeting.agenda, after)
        self.session.execute(AddSection(Section(name), position), _("Add section"))

    def rename_section(self, section: int, name: str) -> None:
        section_id = self.session.meeting.agenda.sections[section].id
        self.session.execute(RenameSection(section_id, name), _("Rename section"))

    def remove_section(self, section: int) -> None:
        """Only an empty section: its items must be moved or removed first."""
        op = remove_empty_section(self.session.meeting.agenda, section)
        self.session.execute(op, _("Remove section"))
