"""Opening a workspace and reading what a worker needs from it, on the UI thread.

The UI thread owns the workspace connection (STYLE rule 6): workers get a
``MeetingSnapshot`` (immutable meeting + bytes), never the connection.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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
        if data[:1024].lstrip().startswith(b"%PDF"):
            return data
    from export.convert import conversion_key

    key = conversion_key(attachment)
    return workspace.converted(key) if key is not None else None


def convert_one(task: Any, attachment: Any, data: bytes) -> Any:
    """On a worker: one attachment to PDF (``export.convert.ConvertedAttachment``)."""
    from export.convert import convert_all

    return convert_all([attachment], {attachment.sha256: data}, {}, task)[attachment.id]
