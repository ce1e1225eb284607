"""Preflight warns when an item's kind does not fit its section's name (a Beslutningssag
under "Orienteringssager"): the rule is pure, tested without Qt or files."""

from __future__ import annotations

from datetime import date

import pytest

from agenda.model import ItemKind
from agenda.preflight import Severity, preflight
from agenda.preflight_sections import kind_fits_section, kinds_named
from tests import factories as f

D, INFO, Dr, T = ItemKind.DECISION, ItemKind.INFORMATION, ItemKind.DISCUSSION, ItemKind.THEME


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("Beslutningssager", {D}),
        ("Sager til beslutning", {D}),
        ("Orienteringssager", {INFO}),
        ("Til orientering", {INFO}),
        ("Drøftelsessager", {Dr}),
        ("Temadrøftelse", {T}),
        ("Drøftelsessager og temadrøftelser", {Dr, T}),
        ("Beslutnings- og orienteringssager", {D, INFO}),
        ("ORIENTERINGSSAGER", {INFO}),
        ("Sager", set()),
        ("Indledning", set()),
        ("", set()),
    ],
)
def test_the_kinds_a_section_name_names(name: str, kinds: set[ItemKind]) -> None:
    assert kinds_named(name) == kinds


def test_which_kinds_fit_which_sections() -> None:
    assert not kind_fits_section(D, "Orienteringssager")
    assert not kind_fits_section(Dr, "Temadrøftelser")  # a theme is not a discussion
    assert not kind_fits_section(T, "Drøftelsessager")
    assert kind_fits_section(T, "Drøftelsessager og temadrøftelser")
    assert kind_fits_section(D, "Sager")  # a name that names no kind takes every kind
    for fixed in (ItemKind.APPROVAL, ItemKind.ANNOUNCEMENTS, ItemKind.ANY_OTHER):
        assert kind_fits_section(fixed, "Orienteringssager")


def _case_item(title: str, kind: ItemKind, reference: str):  # type: ignore[no-untyped-def]
    texts = {"indstilling": "Det indstilles, at KKR godkender."}
    return f.item(title, kind, case_=f.case(title, reference, kind, **texts))


def test_preflight_warns_of_a_decision_under_orienteringssager() -> None:
    meeting = f.meeting(
        [
            ("Beslutningssager", [_case_item("Klyngekontorer", D, "24/00001")]),
            (
                "Orienteringssager",
                [
                    _case_item("Status på sundhedsaftalen", INFO, "24/00002"),
                    _case_item("Praktikpladser", D, "24/00003"),
                    f.item("Meddelelser", ItemKind.ANNOUNCEMENTS),
                ],
            ),
        ]
    )
    findings = preflight(meeting, {}, today=date(2024, 4, 1), blobs_present=())
    [found] = [x for x in findings if x.rule == "kind-not-section"]
    assert found.severity is Severity.WARNING
    assert found.item_heading == "2.2 Beslutningssag: Praktikpladser"
    assert "»2.2 Beslutningssag: Praktikpladser«" in found.message
    assert "»Orienteringssager«" in found.message
    assert "Ret punktets type, eller flyt det" in found.message
