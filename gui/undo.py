"""Thin QUndoCommands over the domain's operations (STYLE rule 10).

The command holds data only: the operation to (re)do and its inverse. Applying either
goes through ``MeetingSession.apply``, which saves the meeting in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from gui.errors import report_exception

if TYPE_CHECKING:
    from gui.session import MeetingSession

#: QUndoCommand.id() of edits that merge while the user keeps typing in one field.
TYPING_ID = 1


class EditCommand(QUndoCommand):
    """One user edit, already applied when pushed (so a failure never reaches the stack)."""

    def __init__(
        self,
        session: MeetingSession,
        redo_op: Any,
        inverse: Any,
        text: str,
        merge_key: object | None = None,
    ) -> None:
        super().__init__(text)
        self._session = session
        self.redo_op = redo_op
        self.inverse = inverse
        self.merge_key = merge_key
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # the first redo is the push: the edit is already done
            return
        try:
            self.inverse, self.redo_op = self._session.apply(self.redo_op)
        except Exception as error:  # Qt called us: report here, it cannot
            report_exception(error)
            return
        self._applied = True

    def undo(self) -> None:
        try:
            self.redo_op, self.inverse = self._session.apply(self.inverse)
        except Exception as error:
            report_exception(error)
            return
        self._applied = False

    def id(self) -> int:
        return TYPING_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        # keep our inverse (the state before the first keystroke), take the newest edit
        self.redo_op = other.redo_op
        return True
