"""The Møde menu: new, edit and delete a meeting, its status, and the export of its
documents (the one export dialog, of the meeting shown)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from agenda.model import ItemId, MeetingStatus
from agenda.operations import meeting_update
from agenda.records import LOCKED
from gui.agenda_view import AgendaView
from gui.errors import guarded
from gui.i18n import _
from gui.item_editor import ItemEditor
from gui.menu_actions import add_action
from gui.session import MeetingSession
from gui.settings import UiSettings
from gui.window_controller import WindowController


class MeetingMenu(QObject):
    """Builds the Møde menu into ``menu``; owns the export dialog while it is open."""

    def __init__(
        self,
        menu: QMenu,
        controller: WindowController,
        *,
        window: QWidget,
        settings: UiSettings,
        item_editor: ItemEditor,
        agenda_view: AgendaView,
    ) -> None:
        super().__init__(window)
        self.controller = controller
        self.window = window
        self.settings = settings
        self.item_editor = item_editor
        self.agenda_view = agenda_view
        #: the export dialog, built the first time (an import of the export machinery)
        self.export_dialog: Any = None

        def action(text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
            return add_action(window, menu, text, slot, shortcut)

        action(_("New meeting …"), self.new_meeting, "Ctrl+Shift+N")
        self.edit_meeting_action = action(_("Edit meeting …"), self.edit_meeting)
        self.delete_meeting_action = action(_("Delete meeting …"), self.delete_meeting)
        status_menu = menu.addMenu(_("Status"))
        self.status_actions = QActionGroup(window)
        for status in MeetingStatus:
            act = QAction(status.label, window, checkable=True)
            act.setData(status)
            act.triggered.connect(lambda _checked=False, s=status: self.set_status(s))
            self.status_actions.addAction(act)
            status_menu.addAction(act)
        menu.addSeparator()
        self.send_action = action(_("Send …"), self.send_meeting)
        self.versions_action = action(_("Sent versions …"), self.show_versions)
        self.export_action = action(_("Export documents …"), self.open_export, "Ctrl+E")
        #: the Udsend dialog while it is open
        self.send_dialog: Any = None
        # the dialog reads from the workspace being left
        controller.workspace_changed.connect(self.close_export)

    @property
    def workspace(self):  # type: ignore[no-untyped-def]
        return self.controller.workspace

    @property
    def session(self) -> MeetingSession | None:
        return self.controller.session

    def update_actions(self) -> None:
        has_meeting = self.session is not None
        for act in (self.edit_meeting_action, self.export_action, self.versions_action):
            act.setEnabled(has_meeting)
        # a held meeting's agenda is a record: it is not sent again
        self.send_action.setEnabled(
            has_meeting and self.session.meeting.status not in LOCKED  # type: ignore[union-attr]
        )
        if self.session is not None:
            for act in self.status_actions.actions():
                act.setChecked(act.data() is self.session.meeting.status)
        for act in self.status_actions.actions():
            act.setEnabled(has_meeting)

    @guarded
    def new_meeting(self) -> None:
        from gui.meeting_dialog import MeetingDialog

        summaries = self.workspace.meetings()
        last = self.workspace.meeting(summaries[-1].id) if summaries else None
        dialog = MeetingDialog(self.workspace.bodies(), last=last, parent=self.window)
        if dialog.exec() != MeetingDialog.DialogCode.Accepted:
            return
        self.controller.create_meeting(dialog.new_meeting())

    @guarded
    def edit_meeting(self) -> None:
        if self.session is None:
            return
        from gui.meeting_dialog import MeetingDialog

        dialog = MeetingDialog(self.workspace.bodies(), self.session.meeting, parent=self.window)
        if dialog.exec() != MeetingDialog.DialogCode.Accepted:
            return
        update = meeting_update(self.session.meeting, **dialog.changes())
        if update is not None:
            self.session.execute(update, _("Edit meeting"))

    @guarded
    def delete_meeting(self) -> None:
        """Delete the meeting (its cases stay in the library). Asks first: not undoable."""
        if self.session is None or self.session.meeting.id is None:
            return
        meeting = self.session.meeting
        answer = QMessageBox.question(
            self.window,
            _("Delete meeting"),
            _(
                "Delete %(title)s of %(date)s with its agenda? The cases stay in the case "
                "library. This cannot be undone."
            )
            % {"title": meeting.title, "date": f"{meeting.start:%d.%m.%Y}"},
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.controller.delete_meeting(meeting.id)

    @guarded
    def set_status(self, status: MeetingStatus) -> None:
        if self.session is not None:
            update = meeting_update(self.session.meeting, status=status)
            if update is not None:
                self.session.execute(update, _("Change status"))

    # -- the record (issue 14) ----------------------------------------------------------------
    @guarded
    def send_meeting(self) -> None:
        """Udsend: ask to whom, freeze the files as a version (the dialog runs the work)."""
        if self.session is None or self.session.meeting.id is None:
            return
        from gui.record_dialogs import SendDialog

        session = self.session
        dialog = SendDialog(
            session.workspace,
            session.meeting.id,
            commit_pending=self.item_editor.commit_pending,
            parent=self.window,
        )
        dialog.sent.connect(lambda _outcome: session.reload())
        self.send_dialog = dialog
        dialog.open()

    @guarded
    def show_versions(self) -> None:
        if self.session is None or self.session.meeting.id is None:
            return
        from gui.record_dialogs import VersionsDialog

        dialog = VersionsDialog(self.session.workspace, self.session.meeting.id, self.window)
        self.versions_dialog = dialog
        dialog.open()

    # -- export ----------------------------------------------------------------------------------
    def export_running(self) -> bool:
        return self.export_dialog is not None and self.export_dialog.running()

    def cancel_export(self) -> None:
        if self.export_running():
            self.export_dialog.cancel()

    def close_export(self) -> None:
        if self.export_dialog is not None:
            self.export_dialog.close()

    @guarded
    def open_export(self) -> None:
        if self.session is None:
            return
        if self.export_dialog is not None and self.export_dialog.running():
            self.export_dialog.raise_()
            return
        from gui.export_dialog import ExportDialog
        from gui.export_job import MeetingReader

        if self.export_dialog is not None:
            self.export_dialog.close()  # one export dialog, of the meeting shown now
        session = self.session
        # the dialog reads the meeting again when Eksportér is clicked (and after each
        # change), so what it exports is what the window shows then, not at opening
        dialog = ExportDialog(
            session.workspace,
            MeetingReader(session.workspace, session.meeting.id, self.item_editor.commit_pending),
            changed=session.meeting_changed,
            folder=self.settings.last_folder("export"),
            settings=self.settings,
            parent=self.window,
        )
        dialog.folder.textChanged.connect(lambda f: self.settings.set_last_folder("export", f))
        dialog.export_finished.connect(self._export_finished)
        dialog.finding_activated.connect(self.show_finding)
        self.export_dialog = dialog
        dialog.show()

    def show_finding(self, item_id: str) -> None:
        self.agenda_view.select_item(ItemId(item_id))
        self.window.raise_()

    def _export_finished(self, _outcome: object) -> None:
        if self.session is not None:  # conversions for the preview may have arrived
            self.item_editor.show_attachment(self.item_editor.attachments.current())
