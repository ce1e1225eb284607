"""Outputs are written atomically: to a temporary file beside the target, then renamed,
so a crash, a full disk or a cancel never leaves a half-written document behind."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from agenda.errors import ExportError, is_disk_full, os_error_reason


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target``.

    On any exception the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Not mkstemp: its 0600 mode would stay on the renamed file, and a pack the
        # secretariat puts on a shared drive must be readable by colleagues (umask applies).
        tmp_name = str(target.parent / f".~{target.stem[:40]}-{secrets.token_hex(4)}.tmp")
        with open(tmp_name, "xb"):
            pass
    except OSError as error:
        raise ExportError(describe(error, target), path=str(target)) from error
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as error:
        raise ExportError(describe(error, target), path=str(target)) from error
    finally:
        # OSError, not only FileNotFoundError: on Windows a writer that failed may still
        # hold the file open (python-docx leaves its ZipFile to the garbage collector), and
        # the user must see why the export failed, not that a temporary file is in use
        with contextlib.suppress(OSError):
            tmp.unlink()


def describe(error: OSError, target: Path) -> str:
    if is_disk_full(error):
        return (
            f"Der er ikke plads på disken til {target.name} i {target.parent}. "
            "Frigør plads eller vælg en anden mappe, og prøv igen."
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"Programmet må ikke skrive i mappen {target.parent}. "
            "Vælg en anden mappe, eller luk filen hvis den er åben i et andet program."
        )
    return (
        f"{target.name} kunne ikke gemmes i {target.parent}: {os_error_reason(error)}. "
        "Den tidligere fil er urørt."
    )
