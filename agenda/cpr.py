"""CPR numbers (Danish personal identity numbers) in free text, for the preflight check.

A CPR number is ``ddmmyy-xxxx`` or ``ddmmyyxxxx``: a date of birth and four digits. The
rule, in order (a "fejl" in preflight is a number this module finds):

1. **Shape.** Ten digits, optionally with one hyphen after the sixth, standing alone: no
   digit, letter, ``+`` or ``/`` glued on before or after, and no ``12.``/``12-``/``12/``
   run of digits glued on (``24/04521``, ``+4512345678``, ``1.604.241.234``,
   ``2024-160424-1234`` are not CPR numbers). ``160424 1234`` with a space counts only
   right after a CPR word (rule 4), since phone numbers and amounts are often written
   in groups of digits.
2. **Date.** The first six digits must be a real date, the century taken from the
   seventh digit (the CPR office's table), so 29 February counts only in leap years.
   Not a date: never a CPR number, whatever the context.
3. **Modulus 11.** A number with a valid date that also passes the modulus-11 check
   (weights 4 3 2 7 6 5 4 3 2 1) is a CPR number whatever the words around it: every
   number issued before 2007 passes, and a random ten-digit number passes only one time
   in eleven, so a label in front is not enough to wave it through.
4. **Context.** The up to three words before the number on the same line decide for a
   number with a valid date that fails modulus 11 (numbers issued since 2007 need not
   pass it, so failing it proves nothing):

   - a CPR word (``cpr``, ``cpr-nr.``, ``cpr-nummer``, ``personnummer``, ``personnr.``)
     makes it a CPR number, also written ``ddmmyy xxxx`` with a space, and wins over
     any other label;
   - otherwise a label that says the number is something else (``konto``, ``kontonr.``,
     ``reg.nr.``, ``faktura``, ``fakturanr.``, ``ordre``, ``ordrenr.``, ``sagsnr.``,
     ``journalnr.``, ``telefon``, ``tlf.``, ``mobil``, ``CVR``, ``EAN``, ``p-nr.``,
     ``bilagsnr.``, ``løbenr.`` and their long forms), or a group of four digits right
     in front separated by one space (``3100 0101901234``: a bank registration number
     and account), makes it *not* a CPR number;
   - otherwise (no label) it is a CPR number: a missed CPR number in a published
     document is worse than a false alarm.

Invisible characters do not hide a number: Unicode format characters (category Cf: soft
hyphen, zero-width space and joiners, word joiner, byte-order mark, bidi controls) are
left out before matching (the text is read as given, too), since renderers drop them
and print the number whole
(``0101\u00ad90-1235`` is printed ``010190-1235``), and every dash look-alike (U+2010 to
U+2015, minus U+2212, small and full-width hyphens) counts as the hyphen. Positions are
those of the text as given, so masking still masks the whole number.

So ``Konto 3100 0101901234`` and ``Faktura 311299-0001`` are quiet (valid dates, but
both fail modulus 11 and are labelled), ``Borgeren 311299-0001`` and ``Faktura
160424-1231`` (passes modulus 11) are found.

We never hand back the full number: ``CprMatch.masked`` is ``160424-xxxx``; ``mask_cpr``
masks every number with a valid date, labelled or not, since a message shown to the
user has no business repeating one either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

#: Hyphen-like characters Word, PDFs and text extraction use between the two groups.
_DASHES = re.escape(
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
)  # escaped: "-" in a [class]


def _invisible_characters() -> str:
    """Every format character (Cf) of the planes that have them, and the invisible
    marks that are not Cf (combining grapheme joiner, variation selectors)."""
    planes = (*range(0x20000), *range(0xE0000, 0xE1000))
    found = [chr(c) for c in planes if unicodedata.category(chr(c)) == "Cf"]
    found += ["\u034f", *map(chr, range(0xFE00, 0xFE10))]
    return "".join(found)


#: Left out before matching: printed as nothing, they would hide a number from the rule.
_INVISIBLE = re.compile(f"[{re.escape(_invisible_characters())}]")

_SHAPE = r"""
    (?<![\w+/])                 # not glued to a word, a +45 prefix or a case number
    (?<!\d[.,/{dashes}])       # not the tail of 12.34 / 12-34 / 24/04521
    (?P<dd>\d\d)(?P<mm>\d\d)(?P<yy>\d\d)
    (?P<sep>{sep})
    (?P<serial>\d{{4}})
    (?![\w/])                   # nothing glued on after
    (?![.,{dashes}]\d)         # not followed by more digits: 1234-56, 1234.5
"""
_CPR = re.compile(_SHAPE.format(dashes=_DASHES, sep=f"[{_DASHES}]?"), re.VERBOSE)
#: ``160424 1234``: only after a CPR word.
_SPACED = re.compile(_SHAPE.format(dashes=_DASHES, sep="[ \u00a0]"), re.VERBOSE)

#: How many words before a number its label may be ("Konto nr. 3100 0101901234").
CONTEXT_WORDS = 3
_WORD = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*")
#: A bank registration number (four digits) in front: "3100 0101901234" is an account.
_GLUED_GROUP = re.compile(r"(?<![\d.,\-/])\d{4}[ \u00a0]$")

#: Words (lower case, without dots and hyphens) that say a number is a CPR number.
CPR_WORDS = frozenset(
    {"personnummer", "personnr", "personnumre", "personnumer", "persnr", "personregisternummer"}
)
#: Labels that say a number is something else: account, invoice, order, case, phone...
OTHER_WORDS = frozenset(
    {
        "konto", "kontonr", "kontonummer", "bankkonto", "reg", "regnr", "registreringsnr",
        "registreringsnummer", "faktura", "fakturanr", "fakturanummer", "ordre", "ordrenr",
        "ordrenummer", "sagsnr", "sagsnummer", "journalnr", "journalnummer", "jnr",
        "telefon", "telefonnr", "telefonnummer", "tlf", "tlfnr", "mobil", "mobilnr",
        "cvr", "cvrnr", "cvrnummer", "senr", "ean", "eannr", "eannummer", "pnr",
        "pnummer", "bilagsnr", "bilagsnummer", "løbenr", "løbenummer",
    }
)  # fmt: skip

_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


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


def modulus_11(digits: str) -> bool:
    """The old CPR check digit rule: the weighted digit sum is divisible by 11."""
    return sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=True)) % 11 == 0


def find_cpr_numbers(text: str, *, ignore_labels: bool = False) -> list[CprMatch]:
    """Every CPR number in ``text``, in the order they occur (the rule is in the module's
    docstring). ``ignore_labels`` also returns numbers a label says are something else
    (for masking: a message never repeats anything that might be a CPR number).

    Invisible characters are left out first, and the text is also read as given (an
    invisible character that glues a number to a word must not hide it either);
    positions are in ``text`` as given."""
    found = _find(text, ignore_labels)
    if _INVISIBLE.search(text) is None:
        return found
    visible, where = _without_invisible(text)
    found += [
        CprMatch(where[m.start], where[m.end - 1] + 1, m.birth_date)
        for m in _find(visible, ignore_labels)
    ]
    kept: list[CprMatch] = []
    for match in sorted(found, key=lambda m: (m.start, -m.end)):
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept


def _without_invisible(text: str) -> tuple[str, list[int]]:
    """``text`` without its invisible characters, and for each character left its
    position in ``text``."""
    kept: list[str] = []
    where: list[int] = []
    last = 0
    for invisible in _INVISIBLE.finditer(text):  # by runs, not characters: texts are long
        kept.append(text[last : invisible.start()])
        where.extend(range(last, invisible.start()))
        last = invisible.end()
    kept.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(kept), where


def _find(text: str, ignore_labels: bool) -> list[CprMatch]:
    found = []
    for match in _CPR.finditer(text):
        digits = match["dd"] + match["mm"] + match["yy"] + match["serial"]
        born = birth_date(digits[:6], digits[6:])
        if born is None:
            continue
        if ignore_labels or modulus_11(digits) or _context(text, match.start()) != "other":
            found.append(CprMatch(match.start(), match.end(), born))
    for match in _SPACED.finditer(text):
        born = birth_date(match["dd"] + match["mm"] + match["yy"], match["serial"])
        if born is not None and _context(text, match.start()) == "cpr":
            found.append(CprMatch(match.start(), match.end(), born))
    return sorted(found, key=lambda m: m.start)


def _context(text: str, start: int) -> str | None:
    """ "cpr" when a CPR word is among the few words before ``start`` on its line, else
    "other" when a label there (or a registration number in front) says the number
    is something else, else None."""
    window = text[max(0, start - 80) : start]
    window = window[max(window.rfind("\n"), window.rfind("\r")) + 1 :]
    words = [re.sub(r"[.\-]", "", w.lower()) for w in _WORD.findall(window)]
    words = words[-CONTEXT_WORDS:]
    if any(w.startswith("cpr") or w in CPR_WORDS for w in words):
        return "cpr"
    if _GLUED_GROUP.search(window) or any(w in OTHER_WORDS for w in words):
        return "other"
    return None


def mask_cpr(text: str) -> str:
    """``text`` with every CPR number, labelled or not, replaced by its masked form
    (``160424-xxxx``)."""
    for match in reversed(find_cpr_numbers(text, ignore_labels=True)):
        text = text[: match.start] + match.masked + text[match.end :]
    return text


_DIGIT = re.compile(r"\d")


def may_hold_cpr(text: str) -> bool:
    """At least ten digits: a cheap filter before the real scan
    (``export.inspection.inspect_places`` keeps only such strings of a file)."""
    return sum(1 for _ in zip(range(10), _DIGIT.finditer(text), strict=False)) >= 10


def contains_cpr(text: str) -> bool:
    return bool(find_cpr_numbers(text))
