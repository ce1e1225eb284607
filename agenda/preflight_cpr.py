"""Preflight: CPR numbers in the strings the public edition prints or publishes.

The public agenda, minutes and bilagspakke print the meeting, its participants, its
section names and every open item; the public meeting export (``meeting.json``) also
writes the unknown fields kept from an import (``extra``) at every level. So every one
of those strings is scanned, each named by where it is ("Deltager 3 (rolle)", "Afsnit 2
(navn)", "Sagsnummeret i punktet »2.5 …«"), so the user can find it. Closed items are
left out of the public edition and so of this scan (``is_published``); the bilag and
their files are scanned in ``preflight_files`` under the same edition rule.

What counts as a CPR number (and what a label like "Konto" or "Faktura" keeps quiet) is
``agenda.cpr``'s rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from agenda.cpr import find_cpr_numbers
from agenda.edition import is_published
from agenda.model import Extra, Meeting
from agenda.numbering import NumberedItem
from agenda.preflight_findings import Findings, Severity, Where, cpr_count

RULE = "cpr-in-text"

#: What to do about a CPR number in an unknown field (nothing in the app edits those).
FROM_IMPORT = (
    "Feltet kommer fra en importeret mødefil og skrives med, når mødet eksporteres; ret "
    "det i filen, og importér mødet igen."
)


def meeting_cpr_rules(out: Findings, meeting: Meeting) -> None:
    """The meeting's own strings: title, place, body, participants, section names."""
    for place, text, fix in _meeting_strings(meeting):
        matches = find_cpr_numbers(text)
        if matches:
            out.add(
                Severity.ERROR,
                RULE,
                f"{place} indeholder {cpr_count(matches)} og kommer med i den offentlige "
                f"udgave. {fix}",
            )


def item_cpr_rules(out: Findings, at: Where) -> None:
    """An open item's strings: title, case title, case number, officer, every text
    section, the decision, and the unknown fields of item and case."""
    numbered = at.numbered
    if not is_published(numbered.item):
        return
    for source, text in _item_strings(numbered):
        matches = find_cpr_numbers(text)
        if matches:
            out.add(
                Severity.ERROR,
                RULE,
                f"{source} i punktet »{numbered.heading}« indeholder {cpr_count(matches)}, "
                "og punktet er åbent, så det kommer med i den offentlige udgave. Fjern "
                "CPR-nummeret, eller gør punktet lukket."
                + (f" {FROM_IMPORT}" if source.startswith("Det ukendte felt") else ""),
                at,
            )


def extra_strings(extra: Extra, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text to scan) for every key and value of an ``extra`` dict, nested
    dicts and lists followed down. A value is scanned behind its key ("kontonr: …"), so
    the key labels it as the CPR rule expects; numbers are scanned as JSON writes them."""
    for key, value in extra.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        yield from _value_strings(path, str(key), value)


def _value_strings(path: str, key: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        yield path, key
        yield from extra_strings(value, path)
    elif isinstance(value, (list, tuple)):
        yield path, key
        for index, element in enumerate(value, start=1):
            yield from _value_strings(f"{path}.{index}", key, element)
    elif isinstance(value, str):
        yield path, f"{key}: {value}"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value) if isinstance(value, float) and value.is_integer() else value
        yield path, f"{key}: {number}"
    # None and booleans print no digits


def _meeting_strings(meeting: Meeting) -> Iterator[tuple[str, str, str]]:
    """(place, text, what to do) of every meeting-level string that goes public."""
    edit = "Ret det under mødets oplysninger."
    yield "Mødets titel", meeting.title, edit
    yield "Mødestedet", meeting.location, edit
    yield "Udvalgets navn", meeting.body.name, "Ret udvalgets navn."
    yield from _unknown("på mødet", meeting.extra)
    yield from _unknown("på udvalget", meeting.body.extra)
    for n, person in enumerate(meeting.participants, start=1):
        yield f"Deltager {n} (navn)", person.name, "Ret deltagerlisten."
        yield f"Deltager {n} (rolle)", person.role, "Ret deltagerlisten."
        yield from _unknown(f"hos deltager {n}", person.extra)
    for n, section in enumerate(meeting.agenda.sections, start=1):
        # printed as a heading even when all its items are closed
        yield f"Afsnit {n} (navn)", section.name, "Omdøb afsnittet."
        yield from _unknown(f"på afsnit {n}", section.extra)


def _unknown(owner: str, extra: Extra) -> Iterator[tuple[str, str, str]]:
    for path, text in extra_strings(extra):
        yield f"Det ukendte felt »{path}« {owner}", text, FROM_IMPORT


def _item_strings(numbered: NumberedItem) -> list[tuple[str, str]]:
    """What of an open item is printed in the public agenda and minutes, or written into
    the public meeting export."""
    item = numbered.item
    texts = [("Titlen", item.title)]
    case = item.case
    if case is not None:
        if case.title != item.title:
            texts.append(("Sagens titel", case.title))
        texts += [("Sagsnummeret", case.reference), ("Sagsbehandleren", case.officer)]
        texts += [(f"Afsnittet »{s.label}«", t) for s, t in case.filled_sections()]
    if item.decision.strip():
        texts.append(("Beslutningen", item.decision))
    texts += [(f"Det ukendte felt »{p}« på punktet", t) for p, t in extra_strings(item.extra)]
    if case is not None:
        texts += [(f"Det ukendte felt »{p}« på sagen", t) for p, t in extra_strings(case.extra)]
    return texts
