"""The Møde menu's slots: new, edit and delete a meeting, and its status."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from agenda.model import MeetingStatus
from agenda.operations import UpdateMeeting
from gui.errors import guarded
from gui.i18n import _


class MeetingMenuMixin:
    """Mixed into MainWindow (mixins first in the bases: STYLE rule 12)."""

    @guarded
    def new_meeting(self) -> None:
        from gui.meeting_dialog import MeetingDialog

        summaries = self.workspace.meetings()
        last = self.workspace.meeting(summaries[-1].id) if summaries else None
        dialog = MeetingDialog(self.workspace.bodies(), last=last, parent=self)
        if dialog.exec() != MeetingDialog.DialogCode.Accepted:
            return
        with self.workspace.transaction():
            meeting = self.workspace.save_meeting(dialog.new_meeting())
        self.refresh_meetings(select=meeting.id)

    @guarded
    def edit_meeting(self) -> None:
        if self.session is None:
            return
        from gui.meeting_dialog import MeetingDialog

        dialog = MeetingDialog(self.workspace.bodies(), self.session.meeting, parent=self)
        if dialog.exec() != MeetingDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()
        current = {k: getattr(self.session.meeting, k) for k in changes}
        if changes != current:
            self.session.execute(UpdateMeeting.of(**changes), _("Edit meeting"))

    @guarded
    def delete_meeting(self) -> None:
        """Delete the meeting (its cases stay in the library). Asks first: not undoable."""
        if self.session is None or self.session.meeting.id is None:
            return
        meeting = self.session.meeting
        answer = QMessageBox.question(
            self,
            _("Delete meeting"),
            _(
                "Delete %(title)s of %(date)s with its agenda? The cases stay in the case "
                "library. This cannot be undone."
            )
            % {"title": meeting.title, "date": f"{meeting.start:%d.%m.%Y}"},
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self.workspace.transaction():
            self.workspace.delete_meeting(meeting.id)
        session = self.sessions.pop(meeting.id)
        self.undo_group.removeStack(session.undo_stack)
        self.session = None
        self.refresh_meetings(select=None)

    @guarded
    def set_status(self, status: MeetingStatus) -> None:
        if self.session is not None and self.session.meeting.status is not status:
            self.session.execute(UpdateMeeting.of(status=status), _("Change status"))
