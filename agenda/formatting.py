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


def safe_file_name(name: str) -> str:
    """A file name every desktop accepts (Windows is the strictest); æøå are kept."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", name).strip(" .")
    return cleaned[:150] or "uden navn"


def output_name(kind: str, body_name: str, start: datetime, *, public: bool, suffix: str) -> str:
    """``Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf``: the two editions cannot be
    confused, and names sort by date."""
    edition = " (offentlig)" if public else ""
    return safe_file_name(f"{kind} {body_name} {start:%Y-%m-%d}{edition}") + suffix
