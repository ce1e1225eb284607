"""Opening a workspace and reading what a worker needs from it, on the UI thread.

The UI thread owns the workspace connection (STYLE rule 6): workers get a
``MeetingSnapshot`` (immutable meeting + bytes), never the connection.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from agenda.model import looks_like_pdf
from agenda.repository import WorkspaceRepository


def open_workspace(path: Path, *, backup: bool = True) -> WorkspaceRepository:
    """The SQLite workspace at ``path`` (created if missing). An existing one is first
    backed up, at most once a day (``storage.backup``); a backup that cannot be written
    is logged, not a reason to keep the user from working."""
    _import_storage()
    from storage.workspace import open_workspace as open_sqlite

    existed = Path(path).is_file()
    workspace = open_sqlite(path, create=True)
    if backup and existed:
        from agenda.errors import UserFacingError
        from gui.errors import log
        from storage.backup import daily_backup

        try:
            daily_backup(path)
        except UserFacingError as error:
            log.warning("backup: %s", error.message)
    return workspace


def _import_storage() -> None:
    """Import the storage layer without numpy. sqlite-utils imports numpy when it happens
    to be installed (to store numpy values, which we never do): a third of the window's
    start on such a machine. Only this import is affected; numpy stays importable."""
    if "storage.workspace" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" -> ImportError
    try:
        import storage.workspace  # noqa: F401
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]


def close_workspace(workspace: Any) -> None:
    close = getattr(workspace, "close", None)
    if close is not None:
        close()


def cached_pdf(workspace: WorkspaceRepository, attachment: Any) -> bytes | None:
    """The attachment as PDF for the preview: itself when it is a PDF, else its cached
    conversion (None when it has not been converted yet)."""
    data = None
    if attachment.extension == "pdf" or attachment.media_type == "application/pdf":
        data = workspace.blob(attachment.sha256)
        if looks_like_pdf(data):
            return data
    from export.conversion.convert import conversion_key

    key = conversion_key(attachment)
    return workspace.converted(key) if key is not None else None


def convert_one(task: Any, attachment: Any, data: bytes) -> Any:
    """On a worker: one attachment to PDF (``export.conversion.convert.ConvertedAttachment``)."""
    from export.conversion.convert import convert_all

    return convert_all([attachment], {attachment.sha256: data}, {}, task)[attachment.id]


def extract_texts(
    task: Any, pdfs: dict[str, bytes], token: tuple[str, bool]
) -> tuple[tuple[str, bool], dict[str, str]]:
    """On a worker: the text of each PDF for the search index (of a 2,000-page one its
    first 300 pages, as the CLI's import), by SHA-256; ``token`` comes back with it."""
    from agenda.tasks import check
    from export.pdf.text_extract import extract_text

    texts: dict[str, str] = {}
    for done, (sha, pdf) in enumerate(pdfs.items()):
        check(task)
        task.report(done, len(pdfs), "")
        texts[sha] = extract_text(pdf, max_pages=300)
    return token, texts


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
