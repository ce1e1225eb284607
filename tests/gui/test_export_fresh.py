"""The export dialog is not modal: the meeting can change in the main window while it is
open. What it exports, the check before sending and the public gate are all of the
meeting as it is when Eksportér is clicked, never as it was when the dialog opened."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import docx

from agenda.operations import ReplaceItem
from tests.gui.conftest import make_pdf
from tests.gui.test_export_dialog import make_dialog, outputs
from tests.gui.test_preflight_panel import drop_recommendation
from tests.test_no_leaks import docx_findings, pdf_findings

SECRET_BILAG = "Qzfortroligxq"  # in a bilag marked confidential after the dialog opened
CLOSED_BILAG = "Qzlukketxq"  # in a bilag of the item closed after the dialog opened


def add_bilag(window, item, path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    window.agenda_view.select_item(item.id)
    path.write_bytes(make_pdf(f"Bilagets tekst: {text}"))
    window.item_editor.add_files([path])


def open_export(qtbot, window, folder: Path):  # type: ignore[no-untyped-def]
    """Ctrl+E in the main window; the dialog's own check is left to finish."""
    window.settings.set_last_folder("export", folder)
    window.meeting_menu.open_export()
    dialog = window.meeting_menu.export_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=10_000)
    return dialog


def text_of(path: Path) -> str:
    if path.suffix == ".docx":
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_what_is_closed_after_the_dialog_opened_stays_out_of_the_public_edition(
    qtbot, window, tmp_path
):
    evaluation, status = window.session.meeting.agenda.sections[1].items
    add_bilag(window, evaluation, tmp_path / f"{SECRET_BILAG}.pdf", SECRET_BILAG)
    add_bilag(window, status, tmp_path / f"{CLOSED_BILAG}.pdf", CLOSED_BILAG)
    folder = tmp_path / "ud"
    dialog = open_export(qtbot, window, folder)
    for key, check_box in dialog.checks.items():
        check_box.setChecked(key in ("agenda-docx", "agenda-pdf", "pack-public"))
    dialog.public_documents.setChecked(True)

    # while the dialog stays open, in the main window: close an item, and mark a bilag
    # confidential, both by the window's own actions (undoable session operations)
    window.agenda_view.select_item(status.id)
    window.agenda_menu.closed_action.trigger()
    window.agenda_view.select_item(evaluation.id)
    editor = window.item_editor
    editor.tabs.setCurrentIndex(editor.bilag_tab)
    secret = next(a for a in editor.current_item().attachments if a.title == SECRET_BILAG)
    editor.attachments.select(secret.id)
    editor.attachments.confidential_button.click()
    saved = window.workspace.meeting(window.session.meeting.id)
    assert saved.agenda.item(status.id).closed
    assert saved.agenda.item(evaluation.id).attachments[1].confidential

    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as finished:
        dialog.start_button.click()
    outcome = finished.args[0]
    assert outcome.problems == []
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf",
        "Dagsorden KKR Sjælland 2024-04-16 (offentlig).docx",
        "Dagsorden KKR Sjælland 2024-04-16 (offentlig).pdf",
    ]
    for name in names:
        path = folder / name
        data = path.read_bytes()
        scan = docx_findings if path.suffix == ".docx" else pdf_findings
        for marker in (SECRET_BILAG, CLOSED_BILAG):
            assert scan(data, marker) == [], (name, marker)
        text = text_of(path)
        assert status.title not in text, name  # the item closed after the dialog opened
        # what stays public is there: the open item, and in the pack its public bilag
        kept = "Evaluering af klyngekontorer" if "Bilagspakke" in name else evaluation.title
        assert kept in text, name


def test_a_fejl_fixed_while_the_dialog_is_open_no_longer_blocks(
    qtbot, window, tmp_path, message_boxes
):
    drop_recommendation(window)
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    assert dialog.preflight.has_errors()
    window.undo_action.trigger()  # the recommendation is back
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000):
        dialog.start_button.click()
    boxes, _crashes = message_boxes
    assert boxes == []
    assert not dialog.preflight.has_errors()
    assert len(list(folder.iterdir())) == 2


def test_a_fejl_made_while_the_dialog_is_open_blocks_the_public_edition(
    qtbot, window, tmp_path, message_boxes
):
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    assert not dialog.preflight.has_errors()
    drop_recommendation(window)  # in the main window, after the check
    dialog.start_button.click()  # at once: before the check runs again by itself
    boxes, _crashes = message_boxes
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    assert "Kontrollen før udsendelse fandt fejl" in boxes[-1][1]
    assert dialog.task is None and not folder.exists()
    assert dialog.preflight.has_errors() and dialog.preflight.override.isVisibleTo(dialog)
    assert dialog.start_button.isEnabled()


def test_the_check_runs_again_when_the_meeting_changes(qtbot, window, tmp_path):
    dialog = make_dialog(qtbot, window, tmp_path / "ud", outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    assert not dialog.preflight.has_errors()
    drop_recommendation(window)
    qtbot.waitUntil(dialog.preflight.has_errors, timeout=10_000)  # nothing clicked
    assert "1 fejl" in dialog.preflight.summary.text()
    window.undo_action.trigger()
    panel = dialog.preflight
    qtbot.waitUntil(lambda: not panel.running() and not panel.has_errors(), timeout=10_000)
    assert panel.summary.text() == "Kontrollen før udsendelse fandt 0 fejl og 1 advarsel."


def test_an_override_given_for_one_fejl_does_not_pass_another(
    qtbot, window, tmp_path, message_boxes
):
    drop_recommendation(window)
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    dialog.preflight.override.setChecked(True)
    # another fejl appears (a CPR number in an open item): the override was for the first
    status = window.session.meeting.agenda.sections[1].items[1]
    window.session.execute(ReplaceItem(replace(status, decision="Borger 1604241234.")), "test")
    qtbot.waitUntil(lambda: not dialog.preflight.override.isChecked(), timeout=10_000)
    dialog.start_button.click()
    boxes, _crashes = message_boxes
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    assert "Kontrollen før udsendelse fandt fejl" in boxes[-1][1]
    assert not folder.exists()


def test_checking_again_inspects_only_files_not_seen_before(qtbot, window, tmp_path, monkeypatch):
    import export.inspection.inspect

    inspected: list[str] = []
    real = export.inspection.inspect.inspect_file

    def counting(file_name, data, **kwargs):  # type: ignore[no-untyped-def]
        inspected.append(file_name)
        return real(file_name, data, **kwargs)

    monkeypatch.setattr(export.inspection.inspect, "inspect_file", counting)
    dialog = make_dialog(qtbot, window, tmp_path / "ud", outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    assert inspected == ["evaluering.pdf"]
    drop_recommendation(window)  # the meeting changes, its files do not
    qtbot.waitUntil(dialog.preflight.has_errors, timeout=10_000)
    assert inspected == ["evaluering.pdf"]
    status = window.session.meeting.agenda.sections[1].items[1]
    add_bilag(window, status, tmp_path / "notat.pdf", "Et nyt notat")
    qtbot.waitUntil(lambda: len(inspected) == 2, timeout=10_000)
    assert inspected == ["evaluering.pdf", "notat.pdf"]
