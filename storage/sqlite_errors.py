"""SQLite's English errors turned into the Danish WorkspaceError the user reads.

A read-only file, a full disk or a workspace busy with another user is the user's
situation, told plainly; any other SQLite error is a bug and is left to propagate.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from agenda.errors import WorkspaceError


def is_situation(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return any(w in text for w in ("readonly", "read-only", "locked", "busy", "full", "disk i/o"))


def workspace_error(error: sqlite3.DatabaseError, path: Path) -> WorkspaceError:
    text = str(error).lower()
    if "not a database" in text or "malformed" in text:
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
