"""CPR numbers (Danish personal identity numbers) in free text, for the preflight check.

A CPR number is ``ddmmyy-xxxx`` or ``ddmmyyxxxx``: a date of birth and four digits. We
find the shape, then keep only those whose first six digits are a real date, with the
century taken from the seventh digit (the CPR office's rule), so 29 February counts only
in leap years. The modulus-11 check is *not* applied: numbers issued since 2007 need not
pass it, and a missed CPR number in a published document is worse than a false alarm.

What keeps the false alarms down:

- the digits must stand alone: no digit, letter, ``+`` or ``/`` directly before or after,
  and no ``12.``/``12-``/``12/`` run of digits glued on (``24/04521``, ``+4512345678``,
  ``1.604.241.234``, ``2024-160424-1234`` are not CPR numbers);
- the separator, if any, is a single hyphen (or a dash/hyphen character that PDF text
  extraction produces); ``160424 1234`` with a space is not matched, since phone numbers
  and amounts are often written in groups of digits;
- day and month must make a date, which rules out most phone numbers and amounts.

We never hand back the full number: ``CprMatch.masked`` is ``160424-xxxx``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: Hyphen-like characters Word, PDFs and text extraction use between the two groups.
_DASHES = re.escape("-\u2010\u2011\u2012\u2013\u2212")  # escaped: "-" in a [class]

_CPR = re.compile(
    rf"""
    (?<![\w+/])                 # not glued to a word, a +45 prefix or a case number
    (?<!\d[.,/{_DASHES}])       # not the tail of 12.34 / 12-34 / 24/04521
    (?P<dd>\d\d)(?P<mm>\d\d)(?P<yy>\d\d)
    (?P<sep>[{_DASHES}]?)
    (?P<serial>\d{{4}})
    (?![\w/])                   # nothing glued on after
    (?![.,{_DASHES}]\d)         # not followed by more digits: 1234-56, 1234.5
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class CprMatch:
    """One CPR number found in a text: where it is, and a masked form safe to show."""

    start: int
    end: int
    birth_date: date

    @property
    def masked(self) -> str:
        """``160424-xxxx``: enough for the user to find it, not enough to leak it."""
        return f"{self.birth_date:%d%m%y}-xxxx"


def birth_date(ddmmyy: str, serial: str) -> date | None:
    """The date of birth a CPR number's first six digits and serial mean, or None when
    they are not a date (``320124``, ``290223``)."""
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    year = _century(yy, int(serial[0])) + yy
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _century(yy: int, seventh: int) -> int:
    """The CPR office's table: the seventh digit and the year give the century."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800  # 5-8


def find_cpr_numbers(text: str) -> list[CprMatch]:
    """Every CPR number in ``text``, in the order they occur."""
    found = []
    for match in _CPR.finditer(text):
        born = birth_date(match["dd"] + match["mm"] + match["yy"], match["serial"])
        if born is not None:
            found.append(CprMatch(match.start(), match.end(), born))
    return found


def mask_cpr(text: str) -> str:
    """``text`` with every CPR number replaced by its masked form (``160424-xxxx``)."""
    for match in reversed(find_cpr_numbers(text)):
        text = text[: match.start] + match.masked + text[match.end :]
    return text


def contains_cpr(text: str) -> bool:
    return bool(find_cpr_numbers(text))
