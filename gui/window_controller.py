"""What the main window works on, without its widgets: the open workspace, one
``MeetingSession`` per meeting opened (each with its undo stack) and the undo group
that makes the shown meeting's stack the active one.

The menus change this state only through the controller, and the window and menus
follow it through signals named for what happened. The controller holds no widget,
so which meeting is shown and what a switch of workspace drops is decided in one place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup

from agenda.model import ItemId, Meeting, MeetingId
from agenda.repository import WorkspaceRepository
from gui.session import MeetingSession


class WindowController(QObject):
    #: another workspace is open (or the same one reopened); every session was dropped
    workspace_changed = Signal()
    #: meetings were added or removed; the MeetingId to show next (None: the next one)
    meetings_changed = Signal(object)
    #: the shown meeting was saved or reloaded (the Meeting as it is now)
    meeting_changed = Signal(object)
    #: the ItemId selected on the agenda, or None
    item_selected = Signal(object)

    def __init__(
        self,
        workspace: WorkspaceRepository,
        workspace_path: Path | None,
        *,
        demo: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.workspace_path = workspace_path
        #: the demo workspace is shown: not one of the user's own (no recent entry)
        self.demo = demo
        self.sessions: dict[MeetingId, MeetingSession] = {}
        #: the meeting shown, None when there is none
        self.session: MeetingSession | None = None
        self.undo_group = QUndoGroup(self)

    # -- the workspace -----------------------------------------------------------------------
    def set_workspace(
        self, workspace: WorkspaceRepository, path: Path | None, *, demo: bool = False
    ) -> None:
        """Work on ``workspace`` from now on (the caller closed the one before): the
        sessions of the old one, and their undo history, are dropped."""
        self.workspace, self.workspace_path, self.demo = workspace, path, demo
        self._drop_sessions()
        self.workspace_changed.emit()

    def _drop_sessions(self) -> None:
        for session in self.sessions.values():
            self.undo_group.removeStack(session.undo_stack)
        self.sessions.clear()
        self.session = None

    # -- meetings ----------------------------------------------------------------------------
    def open_meeting(self, meeting_id: MeetingId) -> MeetingSession:
        """Show the meeting: its session (made the first time, else read again, as a
        case may have been edited in another meeting), its undo stack the active one."""
        session = self.sessions.get(meeting_id)
        if session is None:
            session = MeetingSession(self.workspace, self.workspace.meeting(meeting_id), self)
            session.meeting_changed.connect(self._session_changed)
            self.sessions[meeting_id] = session
            self.undo_group.addStack(session.undo_stack)
        else:
            session.reload()
        self.session = session
        self.undo_group.setActiveStack(session.undo_stack)
        return session

    def close_meeting(self) -> None:
        """Show no meeting (the workspace has none, or the shown one was deleted)."""
        self.session = None

    def create_meeting(self, meeting: Meeting) -> Meeting:
        """Save a new meeting in one transaction and show it."""
        with self.workspace.transaction():
            saved = self.workspace.save_meeting(meeting)
        self.meetings_changed.emit(saved.id)
        return saved

    def delete_meeting(self, meeting_id: MeetingId) -> None:
        """Delete the meeting (its cases stay in the library) with its undo history."""
        with self.workspace.transaction():
            self.workspace.delete_meeting(meeting_id)
        session = self.sessions.pop(meeting_id, None)
        if session is not None:
            self.undo_group.removeStack(session.undo_stack)
        if self.session is session:
            self.session = None
        self.meetings_changed.emit(None)

    def list_meetings(self, select: MeetingId | None) -> None:
        """The meetings are to be read again (one was imported) and ``select`` shown."""
        self.meetings_changed.emit(select)

    def _session_changed(self, meeting: Meeting) -> None:
        # sessions of meetings not shown save too (an undo in the stack group): only
        # the shown one's changes reach the window
        if self.session is not None and meeting.id == self.session.meeting.id:
            self.meeting_changed.emit(meeting)

    # -- the agenda --------------------------------------------------------------------------
    def select_item(self, item_id: ItemId | None) -> None:
        """The agenda view's selection changed (relayed, so editor and menus follow it
        without knowing the view)."""
        self.item_selected.emit(item_id)
