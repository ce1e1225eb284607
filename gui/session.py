"""The meeting being edited: its current state, its undo stack, and saving.

Every edit is a domain operation (``agenda.operations``). ``execute`` applies it, saves
the meeting in one transaction at once, and pushes an ``EditCommand`` so Ctrl+Z applies
the inverse (and saves again). Views listen to ``meeting_changed``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack

from agenda.errors import StaleEditError
from agenda.model import Meeting
from agenda.operations import AddItem, ReplaceItem, UpdateMeeting
from agenda.repository import WorkspaceRepository
from gui.undo import EditCommand


class MeetingSession(QObject):
    meeting_changed = Signal(object)  # the new Meeting, already saved
    stale = Signal()  # another user saved the meeting first; it has been reloaded

    def __init__(
        self, workspace: WorkspaceRepository, meeting: Meeting, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.meeting = meeting
        self.undo_stack = QUndoStack(self)
        # cleared after the current stack operation, never inside one
        self.stale.connect(self.undo_stack.clear, Qt.ConnectionType.QueuedConnection)

    def execute(self, op: Any, text: str, *, merge_key: object | None = None) -> None:
        """Apply and save ``op`` now, and make it undoable. Errors propagate before
        anything reaches the undo stack (the workspace rolls back its transaction)."""
        inverse, redo_op = self.apply(op)
        self.undo_stack.push(EditCommand(self, redo_op, inverse, text, merge_key))

    def apply(self, op: Any) -> tuple[Any, Any]:
        """Apply ``op`` to the current meeting and save it. Returns (inverse, op as it
        should be redone: with the ids the workspace gave new cases)."""
        if isinstance(op, UpdateMeeting):
            new, inverse = op.apply_to_meeting(self.meeting)
        else:
            agenda, inverse = op.apply(self.meeting.agenda)
            new = replace(self.meeting, agenda=agenda)
        try:
            with self.workspace.transaction():
                saved = self.workspace.save_meeting(new)
        except StaleEditError:
            # someone else saved this meeting: show theirs; our undo history no longer fits
            self.reload()
            self.stale.emit()
            raise
        self.meeting = saved
        self.meeting_changed.emit(saved)
        return inverse, _with_saved_ids(op, saved)

    def reload(self) -> None:
        """Read the meeting again (a case may have been edited in another meeting)."""
        if self.meeting.id is not None:
            self.meeting = self.workspace.meeting(self.meeting.id)
            self.meeting_changed.emit(self.meeting)


def _with_saved_ids(op: Any, saved: Meeting) -> Any:
    """A redo must not create the same new case twice: take the item as saved."""
    if isinstance(op, AddItem):
        return replace(op, item=saved.agenda.item(op.item.id))
    if isinstance(op, ReplaceItem):
        return ReplaceItem(saved.agenda.item(op.item.id))
    return op
