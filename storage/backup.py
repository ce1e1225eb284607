"""Daily backups of the workspace, and restoring one.

On open, at most once a day, the workspace is copied through SQLite's backup API (a
consistent copy even while another connection writes) into the user's backup folder;
the newest ``KEEP`` copies of each workspace are kept. Restoring first backs up the
current file, so a restore can itself be undone.

File names: ``<workspace stem>-<YYYY-MM-DD>[-HHMMSS].kkrdb``; the date is the day the copy
belongs to; the time part (HHMMSS, or with microseconds) only for copies taken by
``restore_backup`` (a second copy on the same day must not replace the daily one).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from agenda.errors import WorkspaceError
from storage.sqlite_errors import damaged, is_damage

KEEP = 7
SUFFIX = ".kkrdb"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})(?:-(?P<time>\d{6,12}))?\.kkrdb$")


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    day: date
    #: When the copy was taken (the file's modification time).
    taken: datetime

    @property
    def label(self) -> str:
        """What the user sees in a list: "16.04.2024 kl. 10.05"."""
        return f"{self.taken:%d.%m.%Y} kl. {self.taken:%H.%M}"


#: Set to a folder to keep backups elsewhere (tests, a site that wants them on a share).
BACKUP_DIR_ENV = "KKR_DAGSORDEN_BACKUP_DIR"


def default_backup_dir() -> Path:
    """``storage.paths.user_backup_dir()``, or ``$KKR_DAGSORDEN_BACKUP_DIR`` when set."""
    override = os.environ.get(BACKUP_DIR_ENV)
    if override:
        return Path(override)
    from storage.paths import user_backup_dir

    return user_backup_dir()


def list_backups(workspace_path: Path | str, backup_dir: Path | None = None) -> list[Backup]:
    """The backups of this workspace, newest first."""
    folder = Path(backup_dir) if backup_dir is not None else default_backup_dir()
    stem = Path(workspace_path).stem
    found = []
    if not folder.is_dir():
        return []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != stem or not path.is_file():
            continue
        day = date.fromisoformat(match["day"])
        found.append(Backup(path, day, datetime.fromtimestamp(path.stat().st_mtime)))
    found.sort(key=lambda b: (b.day, b.path.name, b.taken), reverse=True)
    return found


def daily_backup(
    workspace_path: Path | str,
    backup_dir: Path | None = None,
    *,
    today: date | None = None,
    keep: int = KEEP,
) -> Backup | None:
    """A copy of the workspace unless one of today exists; prunes to ``keep``.

    Returns the new backup, or None when today's copy was already there (or the
    workspace file does not exist yet). Raises WorkspaceError when it cannot be written.
    """
    source = Path(workspace_path)
    if not source.is_file():
        return None
    folder = Path(backup_dir) if backup_dir is not None else default_backup_dir()
    today = today or date.today()
    if any(b.day == today for b in list_backups(source, folder)):
        return None
    if not _intact(source):
        # a copy of a damaged file would push a good copy out of the seven kept
        raise damaged(source)
    target = folder / f"{source.stem}-{today.isoformat()}{SUFFIX}"
    backup = _copy(source, target, today)
    prune(source, folder, keep=keep)
    return backup


def prune(workspace_path: Path | str, backup_dir: Path, *, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns what was deleted."""
    removed = []
    for old in list_backups(workspace_path, backup_dir)[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
            removed.append(old.path)
    return removed


def restore_backup(
    backup: Backup | Path | str,
    workspace_path: Path | str,
    backup_dir: Path | None = None,
) -> Backup | None:
    """Put ``backup`` in place of the workspace, after backing up the current file.

    The workspace must be closed by the caller (the GUI closes its connection first).
    Returns the backup taken of the current file (None when there was no file).
    """
    source = Path(backup.path if isinstance(backup, Backup) else backup)
    target = Path(workspace_path)
    folder = Path(backup_dir) if backup_dir is not None else default_backup_dir()
    if not source.is_file():
        raise WorkspaceError(
            f"Sikkerhedskopien {source} findes ikke længere. Vælg en anden.", path=str(source)
        )
    _check_readable(source)
    safety = None
    if target.is_file():
        now = datetime.now()
        name = folder / f"{target.stem}-{now:%Y-%m-%d-%H%M%S}{SUFFIX}"
        if name.exists():  # two restores in one second: never overwrite a copy
            name = folder / f"{target.stem}-{now:%Y-%m-%d-%H%M%S%f}{SUFFIX}"
        safety = _copy(target, name, now.date())
    tmp = target.with_name(f".~gendan-{target.name}")
    try:
        _backup_api(source, tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as error:
        tmp.unlink(missing_ok=True)
        raise WorkspaceError(
            f"Sikkerhedskopien kunne ikke lægges tilbage som {target}: {error}. "
            "Arbejdsområdet er som før.",
            path=str(target),
        ) from error
    return safety


def _copy(source: Path, target: Path, day: date) -> Backup:
    tmp = target.with_name(f".~{target.name}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _backup_api(source, tmp)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise WorkspaceError(
            f"Sikkerhedskopien af arbejdsområdet kunne ikke gemmes i {target.parent}: "
            f"{error}. Arbejdsområdet selv er ikke berørt; frigør plads eller kontrollér "
            "mappen.",
            path=str(target),
        ) from error
    return Backup(target, day, datetime.fromtimestamp(target.stat().st_mtime))


def _backup_api(source: Path, target: Path) -> None:
    """A consistent copy even while someone writes: SQLite's online backup."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=10.0)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _intact(path: Path) -> bool:
    """SQLite's quick check of every page: once a day, before the copy that reads every
    page anyway (the backup API copies a damaged page as it is, without a word)."""
    try:
        conn = sqlite3.connect(path, timeout=10.0)
        try:
            return conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return False
        raise


def _check_readable(path: Path) -> None:
    try:
        conn = sqlite3.connect(path)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise WorkspaceError(
            f"Sikkerhedskopien {path.name} kan ikke læses ({error}). Vælg en anden.",
            path=str(path),
        ) from error
    if ok != "ok":
        raise WorkspaceError(
            f"Sikkerhedskopien {path.name} er beskadiget. Vælg en anden.", path=str(path)
        )
