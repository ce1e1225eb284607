"""The File menu: new/open/recent workspaces, import and export of a meeting, quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from agenda.errors import UserFacingError
from gui.errors import guarded
from gui.i18n import _

APP_NAME = "KKR Dagsorden"
WORKSPACE_FILTER = f"{APP_NAME} (*.kkrdb);;"


class WorkspaceMenuMixin:
    """Mixed into MainWindow (mixins first in the bases: STYLE rule 12)."""

    def _build_file_menu(self, menu: QMenu) -> None:
        self.action(menu, _("New workspace …"), self.new_workspace)
        self.action(
            menu, _("Open workspace …"), self.choose_workspace, QKeySequence.StandardKey.Open
        )
        self.recent_menu = menu.addMenu(_("Recent workspaces"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.restore_action = self.action(menu, _("Restore backup …"), self.restore_backup)
        menu.addSeparator()
        self.action(menu, _("Import meeting …"), self.import_meeting, "Ctrl+I")
        self.export_meeting_action = self.action(
            menu, _("Export meeting as exchange file …"), self.export_meeting
        )
        menu.addSeparator()
        self.action(menu, _("Quit"), self.close, QKeySequence.StandardKey.Quit)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_workspaces()
        for path in recent:
            act = self.recent_menu.addAction(str(path))
            act.triggered.connect(lambda _checked=False, p=path: self.switch_workspace(p))
        if not recent:
            self.recent_menu.addAction(_("(none)")).setEnabled(False)

    def _update_title(self) -> None:
        name = self.workspace_path.name if self.workspace_path else _("in memory")
        demo = " " + _("(demo)") if self.demo else ""
        # the program's name last, once: Windows and X11 add the application's display
        # name to a title that does not already end with it
        self.setWindowTitle(f"{name}{demo} – {APP_NAME}")
        if self.workspace_path:
            self.statusBar().showMessage(_("Workspace: %(path)s") % {"path": self.workspace_path})

    @guarded
    def new_workspace(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("New workspace"),
            self.settings.start_folder("workspace"),
            WORKSPACE_FILTER + _("All files (*)"),
        )
        if path:
            if not path.endswith(".kkrdb"):
                path += ".kkrdb"
            self.switch_workspace(Path(path))

    @guarded
    def choose_workspace(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Open workspace"),
            self.settings.start_folder("workspace"),
            WORKSPACE_FILTER + _("All files (*)"),
        )
        if path:
            self.switch_workspace(Path(path))

    @guarded
    def switch_workspace(self, path: Path, *, demo: bool = False) -> None:
        from gui.workspace import close_workspace, open_workspace

        self.item_editor.commit_pending()
        if self.export_dialog is not None and self.export_dialog.running():
            raise UserFacingError(_("Wait for the export to finish before changing workspace."))
        workspace = open_workspace(path)  # raises a WorkspaceError before anything changes
        close_workspace(self.workspace)
        self.workspace, self.workspace_path, self.demo = workspace, Path(path), demo
        if not demo:  # the demo is not one of the user's own workspaces
            self.settings.add_recent_workspace(Path(path))
            self.settings.set_last_folder("workspace", Path(path).parent)
        self._load_workspace()

    @guarded
    def restore_backup(self) -> None:
        """Choose one of the workspace's backups, confirm, restore it and reopen."""
        if self.workspace_path is None:
            return
        from PySide6.QtWidgets import QMessageBox

        from gui.restore_dialog import RestoreDialog, backup_label
        from storage.backup import list_backups

        self.item_editor.commit_pending()
        if self.export_dialog is not None and self.export_dialog.running():
            raise UserFacingError(_("Wait for the export to finish before restoring a backup."))
        dialog = RestoreDialog(list_backups(self.workspace_path), self.workspace_path.name, self)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        backup = dialog.chosen()
        answer = QMessageBox.question(
            self,
            _("Restore backup"),
            _(
                "%(name)s is replaced by the backup from %(when)s. Changes made since then "
                "are no longer shown, but the workspace as it is now is backed up first. "
                "Restore?"
            )
            % {"name": self.workspace_path.name, "when": backup_label(backup)},
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_from(backup)

    def restore_from(self, backup) -> None:  # type: ignore[no-untyped-def]
        """Close the workspace, put ``backup`` in its place and open it again (the old
        file is reopened when the restore fails: restore_backup leaves it as it was)."""
        from gui.restore_dialog import backup_label
        from gui.workspace import close_workspace, open_workspace
        from storage.backup import restore_backup

        path = self.workspace_path
        close_workspace(self.workspace)
        try:
            restore_backup(backup, path)
        finally:
            self.workspace = open_workspace(path, backup=False)
            self._load_workspace()
        self.statusBar().showMessage(
            _("The backup from %(when)s is restored.") % {"when": backup_label(backup)}, 8000
        )

    @guarded
    def open_demo(self) -> None:
        """The demo workspace (its own file, filled with the demo meetings the first time)."""
        if self.fill_demo is None:
            return
        from storage.paths import demo_workspace_path

        path = Path(demo_workspace_path())
        self.fill_demo(path)
        self.switch_workspace(path, demo=True)

    @guarded
    def import_meeting(self) -> None:
        """Import a meeting file; one the workspace already has is imported only when the
        user chooses so (as a new meeting beside it), never over it."""
        from agenda.errors import DuplicateMeetingError
        from exchange.transfer import import_meeting_report
        from gui.import_dialog import ImportChoice, ask_about_duplicate, show_import_notices

        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import meeting"),
            self.settings.start_folder("exchange"),
            _("Meeting (meeting.json *.zip);;All files (*)"),
        )
        if not path:
            return
        self.settings.set_last_folder("exchange", Path(path).parent)
        try:
            report = import_meeting_report(self.workspace, Path(path))
        except DuplicateMeetingError as duplicate:
            choice = ask_about_duplicate(duplicate, self)
            if choice is ImportChoice.SHOW_EXISTING:
                self.refresh_meetings(select=duplicate.existing_id)
            if choice is not ImportChoice.AS_NEW:
                return
            report = import_meeting_report(self.workspace, Path(path), as_new=True)
        meeting = report.meeting
        self.refresh_meetings(select=getattr(meeting, "id", meeting))
        # where the file differed from cases the workspace has: kept, and said so
        show_import_notices(report.notices, self)
        self.search_indexer.index_meeting(meeting)  # its PDF bilag become searchable

    @guarded
    def export_meeting(self) -> None:
        if self.session is None or self.session.meeting.id is None:
            return
        from exchange.transfer import export_meeting

        self.item_editor.commit_pending()
        folder = QFileDialog.getExistingDirectory(
            self, _("Export meeting to folder"), self.settings.start_folder("exchange")
        )
        if not folder:
            return
        self.settings.set_last_folder("exchange", folder)
        result = export_meeting(self.workspace, self.session.meeting.id, Path(folder))
        self.statusBar().showMessage(_("Meeting exported to %(path)s") % {"path": result}, 8000)
