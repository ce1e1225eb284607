"""File → Importér møde, off the UI thread: the import use case (``app.importing``) run
through the worker helper.

The file is read and checked, and its PDF bilag's text extracted, in a worker
(``read_import``); the window stays responsive however large the meeting. Then, on the
UI thread that owns the workspace, the meeting is saved in one short transaction
(``commit_import``), and the text goes into the search index after it
(``index_import``). A meeting the workspace already has is asked about
(``gui.import_dialog``); imported as new, the same read is saved again, the file is not
read twice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from agenda.errors import DuplicateMeetingError, UserFacingError
from agenda.repository import WorkspaceRepository
from app.importing import PreparedImport, commit_import, index_import, read_import
from gui.errors import report_exception
from gui.i18n import _
from gui.worker import Task, run_in_background


def read_in_worker(task: Any, path: Path) -> PreparedImport:
    """On the worker: the file read and checked, its PDFs' text extracted."""
    return read_import(path, task)


class MeetingImporter(QObject):
    """Runs one import at a time for the window that owns it."""

    #: the saved meeting (after its notices were shown)
    imported = Signal(object)
    #: the user chose to see the meeting the workspace already has (its id)
    show_existing = Signal(int)
    #: an import is over, however it ended
    finished = Signal()

    def __init__(
        self,
        parent: QObject,
        current: Callable[[], WorkspaceRepository | None],
        status: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._current = current
        self._status = status or (lambda _text: None)
        self.task: Task | None = None
        #: from start until ``finished`` is emitted: the task's own flag is set only after
        #: its callbacks ran, so a new import asked for from a ``finished`` slot (or right
        #: after a failed one) would be refused as if one were still running
        self._busy = False
        self._workspace: WorkspaceRepository | None = None

    def running(self) -> bool:
        return self._busy

    def start(self, path: Path) -> None:
        if self.running():
            raise UserFacingError(_("Wait for the import that is running to finish."))
        self._workspace = self._current()
        self._busy = True
        self._status(_("Reading %(name)s …") % {"name": Path(path).name})
        try:
            self.task = run_in_background(
                read_in_worker,
                Path(path),
                on_success=self._read,
                on_failure=self._failed,
                on_cancel=self._cancelled,
            )
        except BaseException:
            self._busy = False
            raise

    def cancel(self) -> None:
        if self.running():
            assert self.task is not None
            self.task.cancel()

    def _window(self) -> Any:
        parent = self.parent()
        return parent.window() if hasattr(parent, "window") else None

    def _read(self, prepared: PreparedImport) -> None:
        """Back on the UI thread: save it, in the workspace the import was started in."""
        try:
            workspace = self._current()
            if workspace is None or workspace is not self._workspace:
                raise UserFacingError(
                    _(
                        "The workspace was changed while %(name)s was read, so nothing was "
                        "imported. Import the meeting again."
                    )
                    % {"name": prepared.path.name}
                )
            self._commit(workspace, prepared)
        except Exception as error:
            report_exception(error, self._window())
        finally:
            self._status("")
            self._done()

    def _commit(self, workspace: WorkspaceRepository, prepared: PreparedImport) -> None:
        from gui.import_dialog import ImportChoice, ask_about_duplicate, show_import_notices

        try:
            report = commit_import(workspace, prepared)
        except DuplicateMeetingError as duplicate:
            choice = ask_about_duplicate(duplicate, self._window())
            if choice is ImportChoice.SHOW_EXISTING:
                self.show_existing.emit(duplicate.existing_id)
            if choice is not ImportChoice.AS_NEW:
                return
            report = commit_import(workspace, prepared, as_new=True)
        try:
            index_import(workspace, prepared, report.meeting)
        except UserFacingError as error:
            # the meeting is saved; its text is caught up with when the workspace opens
            report_exception(error, self._window())
        self.imported.emit(report.meeting)
        # where the file differed from cases the workspace has: kept, and said so
        show_import_notices(report.notices, self._window())

    def _failed(self, error: BaseException) -> None:
        self._status("")
        report_exception(error, self._window())
        self._done()

    def _done(self) -> None:
        self._busy = False
        self.finished.emit()

    def _cancelled(self) -> None:
        self._status("")
        self._done()
