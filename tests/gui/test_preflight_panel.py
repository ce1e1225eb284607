"""Kontrol før udsendelse in the export dialog: findings listed, a fejl stops the public
edition until the user overrides it, and the override is recorded."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from types import MappingProxyType

from agenda.model import TextSection
from agenda.operations import ReplaceItem
from gui import errors
from gui.preflight_panel import FindingsModel
from tests.gui.test_export_dialog import make_dialog, outputs


def drop_recommendation(window):  # type: ignore[no-untyped-def]
    item = window.session.meeting.agenda.sections[1].items[0]
    texts = {k: v for k, v in item.case.texts.items() if k is not TextSection.INDSTILLING}
    case = replace(item.case, texts=MappingProxyType(texts))
    window.session.execute(ReplaceItem(replace(item, case=case)), "test")
    return item


def test_findings_model(qtmodeltester, qtbot, window, tmp_path):
    dialog = make_dialog(qtbot, window, tmp_path, outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    model = dialog.preflight.model
    qtmodeltester.check(model)
    # the meeting date has passed while it is a draft; the sample bilag is an untagged PDF
    assert model.rowCount() == 2
    assert model.data(model.index(0)).startswith("Advarsel: Mødedatoen")
    assert model.data(model.index(1)).startswith("Info: Bilaget »Evalueringsrapport«")
    assert "uden tilgængelighedsmærker" in model.data(model.index(1))
    assert not dialog.preflight.override.isVisible()
    assert dialog.preflight.summary.text() == (
        "Kontrollen før udsendelse fandt 0 fejl og 1 advarsel."
    )
    qtmodeltester.check(FindingsModel())


def test_a_fejl_stops_the_public_edition_until_overridden(qtbot, window, tmp_path, message_boxes):
    item = drop_recommendation(window)
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    assert dialog.preflight.has_errors()
    assert dialog.preflight.override.isVisibleTo(dialog)
    texts = [
        dialog.preflight.model.data(dialog.preflight.model.index(r))
        for r in range(dialog.preflight.model.rowCount())
    ]
    assert texts[0].startswith("Fejl:") and "ingen indstilling" in texts[0]

    dialog.finding_activated.connect(window.meeting_menu.show_finding)  # as open_export wires it
    with qtbot.waitSignal(dialog.finding_activated) as activated:
        dialog.preflight.list.activated.emit(dialog.preflight.model.index(0))
    assert activated.args == [item.id]
    assert window.agenda_view.current_item_id() == item.id

    dialog.start_button.click()
    boxes, _crashes = message_boxes
    assert "Kontrollen før udsendelse fandt fejl" in boxes[-1][1]
    assert dialog.task is None and not folder.exists()

    log_file = errors.setup_logging(tmp_path / "log")
    try:
        dialog.preflight.override.setChecked(True)
        with qtbot.waitSignal(dialog.export_finished, timeout=5000):
            dialog.start_button.click()
        logged = log_file.read_text(encoding="utf-8")
    finally:
        for handler in list(errors.log.handlers):
            errors.log.removeHandler(handler)
            handler.close()
        logging.shutdown()
    record = json.loads(logged.split("preflight override: ", 1)[1].splitlines()[0])
    assert record["action"] == "public-export-despite-errors"
    assert record["error_count"] == 1 and record["meeting_id"] == window.session.meeting.id
    assert len(list(folder.iterdir())) == 2
    (stored,) = [e for e in window.workspace.events() if e.kind == "public-export-override"]
    assert stored.meeting_id == window.session.meeting.id
    assert stored.payload == record


def test_without_a_public_edition_errors_do_not_stop_the_export(qtbot, window, tmp_path):
    drop_recommendation(window)
    dialog = make_dialog(qtbot, window, tmp_path / "ud", outputs())
    dialog.checks["pack-public"].setChecked(False)
    with qtbot.waitSignal(dialog.export_finished, timeout=5000):
        dialog.start_button.click()
    assert [p.name for p in (tmp_path / "ud").iterdir()] == [
        "Dagsorden KKR Sjælland 2024-04-16.docx"
    ]


def test_a_check_that_cannot_run_holds_the_public_edition_back_too(
    qtbot, window, tmp_path, message_boxes, monkeypatch
):
    import gui.preflight_panel

    def broken(task, snapshot, known):  # type: ignore[no-untyped-def]
        raise RuntimeError("inspection crashed")

    monkeypatch.setattr(gui.preflight_panel, "inspect", broken)
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    _boxes, crashes = message_boxes
    assert crashes  # the bug is reported ...
    assert dialog.preflight.has_errors()  # ... and counts as a fejl, not as "all clear"
    assert dialog.preflight.override.isVisibleTo(dialog)
    dialog.start_button.click()
    assert dialog.task is None and not folder.exists()
