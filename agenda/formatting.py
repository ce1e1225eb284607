"""Dates, times and output names as a Danish reader expects them (Babel, da_DK)."""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_date, format_time

LOCALE = "da_DK"


def long_date(when: datetime) -> str:
    """``tirsdag den 16. april 2024``."""
    return format_date(when, "EEEE 'den' d. MMMM y", locale=LOCALE)


def medium_date(when: datetime) -> str:
    """``16. april 2024``."""
    return format_date(when, "d. MMMM y", locale=LOCALE)


def clock(when: datetime) -> str:
    """``10.00``."""
    return format_time(when, "HH.mm", locale=LOCALE)


def time_span(start: datetime, end: datetime | None) -> str:
    """``kl. 10.00-13.00``, or ``kl. 10.00`` when the end is open."""
    if end is None:
        return f"kl. {clock(start)}"
    return f"kl. {clock(start)}-{clock(end)}"


#: Linux allows 255 bytes of UTF-8 in a name, Windows 255 UTF-16 units; room is left
#: for " (2)" and a temporary prefix.
_MAX_CHARS = 150
_MAX_BYTES = 200


_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)


def safe_file_name(name: str) -> str:
    """A file name every desktop accepts (Windows is the strictest); æøå are kept, and a
    long name is shortened before its extension, never through it."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", name).strip(" .")
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix) > 10 or not suffix.isalnum():
        stem, suffix = cleaned, ""
    suffix = f".{suffix}" if suffix else ""
    stem = stem[: _MAX_CHARS - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > _MAX_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"  # Windows cannot make a file called CON.pdf or nul.docx
    return stem + suffix if stem else "uden navn"


def output_name(kind: str, body_name: str, start: datetime, *, public: bool, suffix: str) -> str:
    """``Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf``: the two editions cannot be
    confused, and names sort by date."""
    edition = " (offentlig)" if public else ""
    return safe_file_name(f"{kind} {body_name} {start:%Y-%m-%d}{edition}") + suffix
