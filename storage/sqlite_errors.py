"""SQLite's English errors turned into the Danish WorkspaceError the user reads.

A read-only file, a full disk, a workspace busy with another user or a damaged file is
the user's situation, told plainly; any other SQLite error is a bug and is left to
propagate.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from agenda.errors import WorkspaceError


class DamagedWorkspaceError(WorkspaceError):
    """Part of the workspace file cannot be read (SQLite: "database disk image is
    malformed"): a disk error, a copy cut short. Nothing can be saved into it."""


def is_situation(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return any(w in text for w in ("readonly", "read-only", "locked", "busy", "full", "disk i/o"))


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """SQLite met pages it cannot make sense of (any query may, not only the opening).
    The search index says so as "vtable constructor failed" when its own pages are hit."""
    return isinstance(error, sqlite3.DatabaseError) and any(
        w in str(error).lower() for w in ("malformed", "corrupt", "vtable constructor failed")
    )


def damaged(path: Path) -> DamagedWorkspaceError:
    from storage.backup import default_backup_dir

    return DamagedWorkspaceError(
        f"Arbejdsområdet {path} er beskadiget: en del af filen kan ikke læses, så intet er "
        "læst fra eller gemt i det. Gendan det fra sikkerhedskopien (i vinduet: Filer > "
        f"Gendan sikkerhedskopi; kopierne ligger i {default_backup_dir()}), og tag en kopi "
        "af den beskadigede fil, før du gør det.",
        path=str(path),
    )


def workspace_error(error: sqlite3.DatabaseError, path: Path) -> WorkspaceError:
    text = str(error).lower()
    if is_damage(error):
        return damaged(path)
    if "not a database" in text:
        message = (
            f"Filen {path} er ikke et arbejdsområde fra KKR Dagsorden, eller den er "
            "beskadiget. Vælg en anden fil, eller gendan en sikkerhedskopi."
        )
    elif "locked" in text or "busy" in text:
        message = (
            f"Arbejdsområdet {path} er optaget af et andet program eller en anden "
            "bruger. Vent et øjeblik, og prøv igen."
        )
    elif "readonly" in text or "read-only" in text:
        message = (
            f"Arbejdsområdet {path} er skrivebeskyttet, så ændringer kan ikke gemmes. "
            "Kopiér filen til en mappe, hvor du må skrive."
        )
    elif "disk" in text and "full" in text:
        message = (
            f"Der er ikke plads på disken til arbejdsområdet {path}. Frigør plads, "
            "og prøv igen. Intet er gemt halvt."
        )
    elif "unable to open" in text:
        # SQLite cannot create or open the file: no right to write in its folder, or the
        # folder is gone (a network drive that is not connected)
        message = (
            f"Arbejdsområdet {path} kan ikke åbnes eller oprettes: du har ikke lov til at "
            f"skrive i mappen {path.parent}, eller mappen er ikke tilgængelig. Vælg en mappe, "
            "hvor du må skrive, eller forbind netværksdrevet."
        )
    else:
        message = f"Arbejdsområdet {path} kunne ikke åbnes: {error}."
    return WorkspaceError(message, path=str(path))
