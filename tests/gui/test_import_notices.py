"""The box after an import that kept the workspace's cases: what it says, in Danish, and
that a long list does not make a box taller than the screen."""

from __future__ import annotations

from gui.import_dialog import NOTICES_SHOWN, ImportNoticesBox, show_import_notices


def test_the_notices_are_listed_and_the_rest_are_under_details(qtbot):
    notices = [f"Sag 24/0000{n} (»Sag {n}«): teksten i filen afviger." for n in range(10)]
    box = ImportNoticesBox(notices)
    qtbot.addWidget(box)
    assert box.windowTitle() == "Mødet er importeret"
    assert "Sagerne i arbejdsområdet er beholdt, som de var" in box.text()
    lines = box.informativeText().splitlines()
    assert lines[:NOTICES_SHOWN] == [f"• {n}" for n in notices[:NOTICES_SHOWN]]
    assert lines[NOTICES_SHOWN:] == ["… og 2 til (se detaljerne)."]
    assert box.detailedText().splitlines() == notices


def test_no_notices_no_box(qtbot, message_boxes):
    show_import_notices((), None)
    boxes, crashes = message_boxes
    assert not boxes and not crashes
