"""The File menu: new/open/recent workspaces, import and export of a meeting, quit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QWidget

from agenda.errors import UserFacingError
from gui.errors import guarded
from gui.i18n import _
from gui.item_editor import ItemEditor
from gui.menu_actions import add_action
from gui.session import MeetingSession
from gui.settings import UiSettings
from gui.window_controller import WindowController
from gui.workspace import SearchIndexer

APP_NAME = "KKR Dagsorden"
WORKSPACE_FILTER = f"{APP_NAME} (*.kkrdb);;"


class WorkspaceMenu(QObject):
    """Builds the File menu into ``menu``: which workspace the controller works on, and
    meetings in and out of it as exchange files."""

    def __init__(
        self,
        menu: QMenu,
        controller: WindowController,
        *,
        window: QWidget,
        settings: UiSettings,
        item_editor: ItemEditor,
        search_indexer: SearchIndexer,
        status_bar: QStatusBar,
        export_running: Callable[[], bool],
        fill_demo: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.controller = controller
        self.window = window
        self.settings = settings
        self.item_editor = item_editor
        self.search_indexer = search_indexer
        self.status_bar = status_bar
        #: an export reads the workspace: it is never switched or restored under one
        self.export_running = export_running
        #: fills the demo workspace at a path with the demo meetings (main.py's; the
        #: welcome's "Åbn demo-arbejdsområdet" is hidden without it)
        self.fill_demo = fill_demo

        def action(menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
            return add_action(window, menu, text, slot, shortcut)

        action(menu, _("New workspace …"), self.new_workspace)
        action(menu, _("Open workspace …"), self.choose_workspace, QKeySequence.StandardKey.Open)
        self.recent_menu = menu.addMenu(_("Recent workspaces"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.restore_action = action(menu, _("Restore backup …"), self.restore_backup)
        menu.addSeparator()
        action(menu, _("Import meeting …"), self.import_meeting, "Ctrl+I")
        self.export_meeting_action = action(
            menu, _("Export meeting as exchange file …"), self.export_meeting
        )
        menu.addSeparator()
        action(menu, _("Quit"), window.close, QKeySequence.StandardKey.Quit)

    @property
    def workspace(self):  # type: ignore[no-untyped-def]
        return self.controller.workspace

    @property
    def workspace_path(self) -> Path | None:
        return self.controller.workspace_path

    @property
    def session(self) -> MeetingSession | None:
        return self.controller.session

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_workspaces()
        for path in recent:
            act = self.recent_menu.addAction(str(path))
            act.triggered.connect(lambda _checked=False, p=path: self.switch_workspace(p))
        if not recent:
            self.recent_menu.addAction(_("(none)")).setEnabled(False)

    @guarded
    def new_workspace(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self.window,
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
            self.window,
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
        if self.export_running():
            raise UserFacingError(_("Wait for the export to finish before changing workspace."))
        workspace = open_workspace(path)  # raises a WorkspaceError before anything changes
        close_workspace(self.workspace)
        if not demo:  # the demo is not one of the user's own workspaces
            self.settings.add_recent_workspace(Path(path))
            self.settings.set_last_folder("workspace", Path(path).parent)
        self.controller.set_workspace(workspace, Path(path), demo=demo)

    @guarded
    def restore_backup(self) -> None:
        """Choose one of the workspace's backups, confirm, restore it and reopen."""
        if self.workspace_path is None:
            return
        from PySide6.QtWidgets import QMessageBox

        from app.workspace import list_backups
        from gui.restore_dialog import RestoreDialog, backup_label

        self.item_editor.commit_pending()
        if self.export_running():
            raise UserFacingError(_("Wait for the export to finish before restoring a backup."))
        dialog = RestoreDialog(
            list_backups(self.workspace_path), self.workspace_path.name, self.window
        )
        if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        backup = dialog.chosen()
        answer = QMessageBox.question(
            self.window,
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
            workspace = open_workspace(path, backup=False)
            self.controller.set_workspace(workspace, path, demo=self.controller.demo)
        self.status_bar.showMessage(
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
            self.window,
            _("Import meeting"),
            self.settings.start_folder("exchange"),
            _("Meeting (meeting.json *.zip);;All files (*)"),
        )
        if not path:
            return
        self.settings.set_last_folder("exchange", Path(path).parent)
        importer.start(Path(path))

    def meeting_importer(self):  # type: ignore[no-untyped-def]
        """The importer of meeting files, made the first time it is needed."""
        importer = getattr(self, "_meeting_importer", None)
        if importer is None:
            from gui.import_job import MeetingImporter

            importer = MeetingImporter(
                self.window,
                lambda: self.workspace,
                lambda text: self.status_bar.showMessage(text) if text else None,
            )
            importer.imported.connect(self._meeting_imported)
            importer.show_existing.connect(
                lambda meeting_id: self.controller.list_meetings(select=meeting_id)
            )
            self._meeting_importer = importer
        return importer

    def cancel_import(self) -> None:
        """The window closes: a meeting still being read is not imported."""
        importer = getattr(self, "_meeting_importer", None)
        if importer is not None:
            importer.cancel()

    def _meeting_imported(self, meeting) -> None:  # type: ignore[no-untyped-def]
        self.controller.list_meetings(select=getattr(meeting, "id", meeting))
        self.search_indexer.index_meeting(meeting)  # bilag of kept cases not yet searchable

    @guarded
    def export_meeting(self) -> None:
        if self.session is None or self.session.meeting.id is None:
            return
        from app.exchange_export import export_exchange

        self.item_editor.commit_pending()
        folder = QFileDialog.getExistingDirectory(
            self.window, _("Export meeting to folder"), self.settings.start_folder("exchange")
        )
        if not folder:
            return
        self.settings.set_last_folder("exchange", folder)
        result = export_exchange(self.workspace, self.session.meeting.id, Path(folder))
        self.status_bar.showMessage(_("Meeting exported to %(path)s") % {"path": result}, 8000)
