"""Finding LibreOffice (``soffice``) and its version, without starting it.

``KKR_SOFFICE`` first, then PATH, then the folders the installers use on Windows, macOS
and Linux (also snap and flatpak). The version, part of the conversion cache key, is
read from the install's registry file.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from export.conversion.convert_office import OfficeSuite

__all__ = ["find_libreoffice"]


@functools.cache
def find_libreoffice() -> OfficeSuite | None:
    """The first soffice found on PATH or in the usual install folders, with its version
    read from its files (never by starting it). Cached for the process."""
    for candidate in _candidates():
        path = Path(candidate)
        if path.is_file() and os.access(path, os.X_OK):
            # soffice.com is the console launcher: it waits for the conversion to end
            console = path.with_suffix(".com")
            if sys.platform == "win32" and console.is_file():
                path = console
            from export.conversion.convert_office import OfficeSuite  # it imports this module

            return OfficeSuite("LibreOffice", "libreoffice", _version(path), path)
    return None


def _candidates() -> list[str]:
    found = [os.environ.get("KKR_SOFFICE", "")]
    for name in ("soffice", "libreoffice"):
        found.append(shutil.which(name) or "")
    if sys.platform == "win32":
        found += _windows_app_paths()
        for root in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
            base = os.environ.get(root)
            if base:
                found.append(str(Path(base, "LibreOffice", "program", "soffice.exe")))
                found += sorted(
                    glob.glob(str(Path(base, "LibreOffice*", "program", "soffice.exe")))
                )
    elif sys.platform == "darwin":
        for apps in ("/Applications", str(Path.home() / "Applications")):
            found.append(f"{apps}/LibreOffice.app/Contents/MacOS/soffice")
    else:
        found += [
            "/usr/bin/soffice",
            "/usr/local/bin/soffice",
            "/usr/lib/libreoffice/program/soffice",
        ]
        found += sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True)
        found += [
            "/snap/bin/libreoffice",
            "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
            str(Path.home() / ".local/share/flatpak/exports/bin/org.libreoffice.LibreOffice"),
        ]
    return [c for c in found if c]


def _windows_app_paths() -> list[str]:
    import winreg  # only on Windows

    found = []
    for hive in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):
        key = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe"
        with contextlib.suppress(OSError), winreg.OpenKey(hive, key) as handle:
            found.append(str(winreg.QueryValue(handle, None)).strip('"'))
    return found


_ABOUT_VERSION = re.compile(rb'"ooSetupVersionAboutBox">\s*<value>([^<]+)</value>')


def _version(executable: Path) -> str:
    """LibreOffice's version ("7.4.7.2") from its registry file, which every install
    ships; else its build id; else a fingerprint of the executable."""
    real = executable.resolve()
    program = real.parent
    for xcd in (
        program.parent / "share" / "registry" / "main.xcd",  # Linux, Windows
        program.parent / "Resources" / "registry" / "main.xcd",  # macOS
    ):
        with contextlib.suppress(OSError):
            match = _ABOUT_VERSION.search(xcd.read_bytes())
            if match:
                return match.group(1).decode("ascii", "replace").strip()
    for rc in ("versionrc", "version.ini"):
        with contextlib.suppress(OSError):
            build = re.search(r"buildid=(\S+)", (program / rc).read_text("utf-8", "replace"))
            if build:
                return "build " + build.group(1)
    stat = real.stat()
    return f"ukendt {stat.st_size}-{int(stat.st_mtime)}"
