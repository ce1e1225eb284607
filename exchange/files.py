"""Writing an exported meeting to disk: a folder (or a zip) that appears whole or not at
all, and an earlier export that no kill can lose.

A zip is one file, renamed into place at once. A folder cannot replace a folder in one
step everywhere (Windows has no such rename), so the earlier export is first moved aside
and the new one renamed to its name. A process killed between those two renames leaves
no folder under the target's name, only the earlier export moved aside: the next export
of the same target puts it back first (so that a failure of that export, too, leaves
the earlier one where the user left it) and then removes what the kill left.

What lies beside the target while an export runs, hidden and named for the target by
a digest of its name (so an export only ever touches its own, never the staging of a
document export, ``.kkr-eksport-<random>``, nor another meeting's export running now):

- ``.kkr-eksport-<digest>-<random>[.zip]``: the new export being written;
- ``.kkr-tidligere-<digest>-<random>``: the earlier export, moved aside for the rename.
  Not ``.kkr-eksport-…``: the document export removes old staging of that name, and
  this is the user's earlier export until it is back or replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import zipfile
from pathlib import Path

STAGING = ".kkr-eksport-"
ASIDE = ".kkr-tidligere-"


def _digest(target: Path) -> str:
    return hashlib.sha256(target.name.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _token() -> str:
    return secrets.token_hex(4)


def recover(target: Path) -> None:
    """Undo what a killed export of ``target`` left: the earlier export back under its
    name when a kill came between the renames, and the hidden leftovers removed."""
    digest = _digest(target)
    folder = target.parent
    if not folder.is_dir():
        return
    aside = [p for p in folder.glob(f"{ASIDE}{digest}-*") if p.is_dir() and not p.is_symlink()]
    # what the version before this one named the earlier export while it renamed
    legacy = folder / f".~gammel-{target.name}"
    if legacy.is_dir() and not legacy.is_symlink():
        aside.append(legacy)
    if aside and not target.exists() and not target.is_symlink():
        newest = max(aside, key=lambda p: p.stat().st_mtime)
        os.replace(newest, target)
        aside.remove(newest)
    for path in [*folder.glob(f"{STAGING}{digest}-*"), *aside]:
        _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def write_folder(target: Path, payload: dict[str, bytes]) -> Path:
    """``payload`` (relative path -> bytes) as the folder ``target``."""
    recover(target)
    digest = _digest(target)
    # Not mkdtemp: its 0700 mode would stay after the rename, and an export on a shared
    # drive must be readable by colleagues (the umask applies instead).
    tmp = target.with_name(f"{STAGING}{digest}-{_token()}")
    tmp.mkdir()
    try:
        for rel, data in payload.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            old = target.with_name(f"{ASIDE}{digest}-{_token()}")
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except OSError:
                os.replace(old, target)  # the earlier export stays where it was
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def write_zip(target: Path, folder: str, payload: dict[str, bytes]) -> Path:
    """``payload`` in the zip ``target``, under the folder ``folder``."""
    recover(target)
    tmp_name = str(target.with_name(f"{STAGING}{_digest(target)}-{_token()}.zip"))
    try:
        with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel, data in payload.items():
                archive.writestr(f"{folder}/{rel}", data)
        os.replace(tmp_name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    return target
