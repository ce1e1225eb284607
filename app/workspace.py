"""Opening a workspace, with its daily backup: the one way the CLI and the window do it.

The workspace file is SQLite (``storage.workspace``); what callers get is the
``agenda.repository.WorkspaceRepository`` it implements. An existing workspace is backed
up at most once a day before it is used (``storage.backup``); a backup that cannot be
written is a warning, not a reason to keep the user from working. A damaged workspace
is the exception where the caller decides: a command cannot work on it and stops
(``refuse_damaged``), while the window opens it so the user can restore a backup from
its File menu.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from agenda.errors import UserFacingError, WorkspaceError
from agenda.repository import WorkspaceRepository
from storage.backup import Backup, list_backups, restore_backup

__all__ = [
    "DATABASE_ERRORS",
    "Backup",
    "close_workspace",
    "database_error",
    "default_workspace_path",
    "demo_workspace_path",
    "list_backups",
    "open_workspace",
    "remove_workspace_file",
    "restore_backup",
    "workspace_session",
]

#: what SQLite raises when a query meets a damaged page or a locked file, in any command
DATABASE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)


def default_workspace_path() -> Path:
    """The workspace in the user's data folder (``storage.paths``, asked each time)."""
    from storage import paths

    return Path(paths.default_workspace_path())


def demo_workspace_path() -> Path:
    """The demo's own workspace in the user's data folder."""
    from storage import paths

    return Path(paths.demo_workspace_path())


def open_workspace(
    path: Path,
    *,
    create: bool = True,
    backup: bool = True,
    refuse_damaged: bool = False,
    warn: Callable[[UserFacingError], None] | None = None,
) -> WorkspaceRepository:
    """The workspace at ``path`` (made when missing and ``create``). An existing file is
    first backed up, at most once a day; a backup that cannot be written goes to
    ``warn``. With ``refuse_damaged`` a damaged file raises ``DamagedWorkspaceError``."""
    _import_storage()
    from storage.backup import daily_backup
    from storage.sqlite_errors import DamagedWorkspaceError
    from storage.workspace import open_workspace as open_sqlite

    path = Path(path)
    existed = path.is_file()
    workspace = open_sqlite(path, create=create)
    if backup and existed:
        try:
            daily_backup(path)
        except UserFacingError as error:
            if refuse_damaged and isinstance(error, DamagedWorkspaceError):
                close_workspace(workspace)
                raise
            if warn is not None:
                warn(error)
    return workspace


@contextmanager
def workspace_session(
    path: Path,
    *,
    create: bool = False,
    refuse_damaged: bool = True,
    warn: Callable[[UserFacingError], None] | None = None,
) -> Iterator[WorkspaceRepository]:
    """The workspace for one command: closed afterwards; a workspace this command made
    is removed again when the command fails, so a failure leaves no empty file behind."""
    path = Path(path)
    existed = path.is_file()
    workspace = open_workspace(path, create=create, refuse_damaged=refuse_damaged, warn=warn)
    try:
        yield workspace
    except BaseException:
        close_workspace(workspace)
        if not existed:
            remove_workspace_file(path)
        raise
    close_workspace(workspace)


def close_workspace(workspace: object) -> None:
    close = getattr(workspace, "close", None)
    if close is not None:
        close()


def remove_workspace_file(path: Path) -> None:
    """The workspace file and SQLite's companions (its write-ahead log and index)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def database_error(error: BaseException, path: Path) -> WorkspaceError | None:
    """The Danish message for a database error that is the file's situation (damaged,
    locked, read-only), or None when it is a bug."""
    from storage.sqlite_errors import is_damage, is_situation, workspace_error

    if isinstance(error, sqlite3.DatabaseError) and (is_damage(error) or is_situation(error)):
        return workspace_error(error, Path(path))
    return None


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
