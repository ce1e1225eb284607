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

        from app.workspace import list_backups
        from gui.restore_dialog import RestoreDialog, backup_label

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
        from app.workspace import restore_backup
        from gui.restore_dialog import backup_label
        from gui.workspace import close_workspace, open_workspace

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
        from app.workspace import demo_workspace_path

        path = Path(demo_workspace_path())
        self.fill_demo(path)
        self.switch_workspace(path, demo=True)

    @guarded
    def import_meeting(self) -> None:
        """Import a meeting file, read in a worker (``gui.import_job``); one the workspace
        already has is imported only when the user chooses so (as a new meeting beside
        it), never over it."""
        importer = self.meeting_importer()
        if importer.running():
            raise UserFacingError(_("Wait for the import that is running to finish."))
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import meeting"),
            self.settings.start_folder("exchange"),
            _("Meeting (meeting.json *.zip);;All files (*)"),
        )
        if not path:
            return
        self.settings.set_last_folder("exchange", Path(path).parent)
        importer.start(Path(path))

    def meeting_importer(self):  # type: ignore[no-untyped-def]
        """The window's importer, made the first time it is needed."""
        importer = getattr(self, "_meeting_importer", None)
        if importer is None:
            from gui.import_job import MeetingImporter

            importer = MeetingImporter(
                self,
                lambda: self.workspace,
                lambda text: self.statusBar().showMessage(text) if text else None,
            )
            importer.imported.connect(self._meeting_imported)
            importer.show_existing.connect(lambda meeting_id: self.refresh_meetings(meeting_id))
            self._meeting_importer = importer
        return importer

    def _meeting_imported(self, meeting) -> None:  # type: ignore[no-untyped-def]
        self.refresh_meetings(select=getattr(meeting, "id", meeting))
        self.search_indexer.index_meeting(meeting)  # bilag of kept cases not yet searchable

    @guarded
    def export_meeting(self) -> None:
        if self.session is None or self.session.meeting.id is None:
            return
        from app.exchange_export import export_exchange

        self.item_editor.commit_pending()
        folder = QFileDialog.getExistingDirectory(
            self, _("Export meeting to folder"), self.settings.start_folder("exchange")
        )
        if not folder:
            return
        self.settings.set_last_folder("exchange", folder)
        result = export_exchange(self.workspace, self.session.meeting.id, Path(folder))
        self.statusBar().showMessage(_("Meeting exported to %(path)s") % {"path": result}, 8000)
