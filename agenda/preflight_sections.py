"""Preflight: an item whose kind does not fit the section it stands in.

A secretariat names its sections for the kinds of case they hold ("Beslutningssager",
"Sager til orientering", "Drøftelsessager og temadrøftelser"). A Beslutningssag under
"Orienteringssager" is almost always a slip: the members read it as information and
nobody decides. The rule reads which case kinds a section's name names; a section whose
name names none ("Sager", "Indledning") accepts every kind, and fixed items
(Godkendelse, Meddelelser, Eventuelt) may stand anywhere.
"""

from __future__ import annotations

import re

from agenda.model import ItemKind
from agenda.preflight_findings import Findings, Severity, Where

#: The beginning of a word in a section's name that names a case kind. "tema" is
#: checked before "drøftelse": a "Temadrøftelse" is not a "Drøftelsessag".
_KIND_WORDS = (
    ("beslutning", ItemKind.DECISION),
    ("orientering", ItemKind.INFORMATION),
    ("tema", ItemKind.THEME),
    ("drøftelse", ItemKind.DISCUSSION),
)


def kinds_named(section_name: str) -> frozenset[ItemKind]:
    """The case kinds a section's name names; empty when it names none."""
    named = set()
    for word in re.findall(r"[^\W\d_]+", section_name.casefold()):
        for stem, kind in _KIND_WORDS:
            if word.startswith(stem):
                named.add(kind)
                break
    return frozenset(named)


def kind_fits_section(kind: ItemKind, section_name: str) -> bool:
    if not kind.in_heading:
        return True
    named = kinds_named(section_name)
    return not named or kind in named


def section_rule(out: Findings, at: Where) -> None:
    item, section = at.numbered.item, at.numbered.section
    if kind_fits_section(item.kind, section.name):
        return
    out.add(
        Severity.WARNING,
        "kind-not-section",
        f"Punktet »{at.numbered.heading}« er en {item.kind.label.lower()}, men står under "
        f"afsnittet »{section.name}«. Ret punktets type, eller flyt det til det afsnit, "
        "det hører til.",
        at,
    )
