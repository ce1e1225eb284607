"""Opening a workspace (through ``app.workspace``) and keeping the search index fed, on
the UI thread.

The UI thread owns the workspace connection (STYLE rule 6): workers get a
``MeetingSnapshot`` (immutable meeting + bytes), never the connection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from agenda.repository import WorkspaceRepository


def open_workspace(path: Path, *, backup: bool = True) -> WorkspaceRepository:
    """The workspace at ``path`` (created if missing), backed up first at most once a day
    (``app.workspace.open_workspace``). A backup that cannot be written is logged, not a
    reason to keep the user from working; a damaged workspace is opened, so the user can
    restore a backup from the File menu."""
    from app.workspace import open_workspace as open_app_workspace
    from gui.errors import log

    return open_app_workspace(
        path,
        create=True,
        backup=backup,
        warn=lambda error: log.warning("backup: %s", error.message),
    )


def close_workspace(workspace: Any) -> None:
    from app.workspace import close_workspace as close

    close(workspace)


def extract_texts(
    task: Any, pdfs: dict[str, bytes], token: tuple[str, bool]
) -> tuple[tuple[str, bool], dict[str, str]]:
    """On a worker: ``app.search.extract_texts``; ``token`` comes back with it."""
    from app.search import extract_texts as extract

    return token, extract(pdfs, task)


class SearchIndexer(QObject):
    """Makes PDF bilag searchable: their text is read in a worker and stored in the
    workspace they came from, if that is still the one open (``current()``).

    What a closed window or a switched workspace left unread is caught up with when a
    workspace is opened (``catch_up``), a batch at a time."""

    #: PDFs read per catch-up job (their bytes are held while it runs).
    BATCH = 20

    def __init__(self, parent: QObject, current: Callable[[], WorkspaceRepository | None]) -> None:
        super().__init__(parent)
        self._current = current
        self.tasks: list[Any] = []

    def index_meeting(self, meeting: Any) -> None:
        from app.snapshots import unindexed_pdfs

        workspace = self._current()
        if workspace is not None:
            self.index(unindexed_pdfs(workspace, meeting))

    def catch_up(self) -> None:
        workspace = self._current()
        if workspace is not None:
            self.index(workspace.unindexed_pdfs(self.BATCH), catching_up=True)

    def index(self, pdfs: dict[str, bytes], *, catching_up: bool = False) -> None:
        workspace = self._current()
        if not pdfs or workspace is None:
            return
        from gui.worker import run_in_background

        self.tasks = [t for t in self.tasks if not t.finished]
        token = (_identity(workspace), catching_up)
        self.tasks.append(
            run_in_background(
                extract_texts, pdfs, token, on_success=self._store, on_failure=self._failed
            )
        )

    def cancel(self) -> None:
        """On close: stop reading (what is left is caught up with next time)."""
        for task in self.tasks:
            task.cancel()

    def _store(self, result: tuple[tuple[str, bool], dict[str, str]]) -> None:
        from app.snapshots import store_export_results

        (identity, catching_up), texts = result
        workspace = self._current()
        if workspace is None or _identity(workspace) != identity:
            return  # another workspace now: caught up with when this one opens again
        try:
            store_export_results(workspace, {}, texts)
        except Exception as error:  # a locked or full workspace: say so, retry next open
            _report(error, self.parent())
            return
        if catching_up:
            self.catch_up()

    def _failed(self, error: BaseException) -> None:
        _report(error, self.parent())


def _identity(workspace: WorkspaceRepository) -> str:
    return str(getattr(workspace, "path", id(workspace)))


def _report(error: BaseException, parent: Any) -> None:
    from PySide6.QtWidgets import QWidget

    from gui.errors import report_exception

    report_exception(error, parent if isinstance(parent, QWidget) else None)
