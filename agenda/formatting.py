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


#: Device names Windows will not create a file under, whatever the extension; it counts
#: the superscript digits ¹²³ as digits here too (COM¹, LPT²).
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
#: Invisible characters that reorder or hide what a name shows: bidirectional embeddings,
#: overrides and isolates (``faktura\u202efdp.exe`` shows as ``fakturaexe.pdf``) and
#: marks.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,10})$")


def safe_file_name(name: str) -> str:
    """A file name every desktop accepts (Windows is the strictest); æøå are kept, and a
    long name is shortened before its extension, never through it."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]', "", _BIDI_CONTROLS.sub("", name)).strip(" ")
    # the extension is taken before the dots are trimmed: "..pdf" is a PDF without a name
    found = _EXTENSION.search(cleaned)
    suffix = f".{found.group(1)}" if found else ""
    stem = (cleaned[: found.start()] if found else cleaned).strip(" .")
    stem = stem[: _MAX_CHARS - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > _MAX_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(" .")
    if stem.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"  # Windows cannot make a file called CON.pdf, nul.docx or COM¹.pdf
    return (stem or "uden navn") + suffix


def output_name(kind: str, body_name: str, start: datetime, *, public: bool, suffix: str) -> str:
    """``Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf``: the two editions cannot be
    confused, and names sort by date."""
    edition = " (offentlig)" if public else ""
    return safe_file_name(f"{kind} {body_name} {start:%Y-%m-%d}{edition}") + suffix
