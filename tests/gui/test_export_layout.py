"""The export dialog as a user works it: nothing moves as boxes are ticked or the check
finishes, long names elide instead of clipping, the choices are remembered, a held
meeting starts with the minutes, both editions come in one run, existing files are
replaced only when the user says so, and "Åbn mappe" says so when it cannot open."""

from __future__ import annotations

from pathlib import Path

import docx
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QMessageBox

from agenda.model import MeetingStatus
from agenda.operations import UpdateMeeting
from gui.export_dialog import ExportDialog
from tests.gui.test_export_dialog import make_dialog, outputs, reader
from tests.gui.test_preflight_panel import drop_recommendation

AGENDA = "Dagsorden KKR Sjælland 2024-04-16"


def open_dialog(qtbot, window, folder: Path, kinds=None) -> ExportDialog:  # type: ignore[no-untyped-def]
    """As the main window opens it, with the choices it starts with (none ticked here)."""
    dialog = ExportDialog(
        window.workspace,
        reader(window),
        changed=window.session.meeting_changed,
        folder=str(folder),
        outputs=kinds,
        settings=window.settings,
        parent=window,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ticked(dialog: ExportDialog) -> set[str]:
    return {key for key, box in dialog.checks.items() if box.isChecked()}


def places(dialog: ExportDialog) -> list[tuple[int, int, int, int]]:
    """Where every control a user clicks is, in the dialog."""
    QApplication.processEvents()  # the layout is redone on a posted event
    widgets = [
        *dialog.checks.values(),
        dialog.complete_documents,
        dialog.public_documents,
        dialog.both_documents,
        dialog.folder,
        dialog.start_button,
        dialog.preflight.override,
    ]
    out = []
    for widget in widgets:
        at = widget.mapTo(dialog, QPoint(0, 0))
        out.append((at.x(), at.y(), widget.width(), widget.height()))
    return out


def test_nothing_moves_as_boxes_are_ticked_or_the_check_finishes(qtbot, window, tmp_path):
    dialog = open_dialog(qtbot, window, tmp_path / "ud")
    qtbot.waitExposed(dialog)
    before = places(dialog)  # the check may still run
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    assert places(dialog) == before
    for box in dialog.checks.values():
        box.click()  # every box ticked, one by one: the list of files grows
        assert places(dialog) == before
    for edition in (dialog.both_documents, dialog.complete_documents, dialog.public_documents):
        edition.click()
        assert places(dialog) == before
    drop_recommendation(window)  # a fejl, and the override box, appear
    qtbot.waitUntil(dialog.preflight.has_errors, timeout=10_000)
    assert dialog.preflight.override.isVisible()
    assert places(dialog) == before
    window.session.execute(UpdateMeeting.of(status=MeetingStatus.HELD), "test")
    qtbot.waitUntil(lambda: not dialog.draft_note.isVisible(), timeout=10_000)
    assert places(dialog) == before


def test_the_progress_takes_the_place_of_the_list_of_files(qtbot, window, tmp_path):
    dialog = make_dialog(qtbot, window, tmp_path / "ud", outputs())
    qtbot.waitUntil(lambda: not dialog.preflight.running(), timeout=5000)
    before = places(dialog)
    assert dialog.selection_summary.isVisible() and not dialog.overall.isVisible()
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000):
        dialog.start_button.click()
    assert dialog.overall.isVisible() and not dialog.selection_summary.isVisible()
    assert dialog.open_button.isVisible()
    assert places(dialog) == before
    dialog.checks["pack-public"].click()  # a new choice: the files it makes are shown
    assert dialog.selection_summary.isVisible() and not dialog.overall.isVisible()
    assert places(dialog) == before


def test_long_names_elide_in_the_progress_instead_of_clipping(qtbot, window, tmp_path):
    dialog = open_dialog(qtbot, window, tmp_path / "ud")
    dialog.resize(700, dialog.height())
    long = "Høringssvar fra " + "Foreningen af meget lange navne " * 12 + "bilag 7.pdf"
    dialog.progress.begin(3)
    dialog.progress.stage(0, 3, long)
    dialog.progress.progressed(1, 4, long)
    QApplication.processEvents()
    assert dialog.minimumSizeHint().width() <= 700  # a long name does not widen the dialog
    assert dialog.width() == 700
    for label in (dialog.overall_label, dialog.current_label):
        shown = label.displayed_text()
        assert "…" in shown and shown.endswith("bilag 7.pdf")
        assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
        assert label.toolTip().endswith(long)  # the whole name is a hover away
    assert dialog.current_label.text() == long


def test_the_choices_are_remembered(qtbot, window, tmp_path):
    folder = tmp_path / "ud"
    first = make_dialog(qtbot, window, folder, outputs())
    first.checks["pack-public"].setChecked(False)
    first.both_documents.setChecked(True)
    with qtbot.waitSignal(first.export_finished, timeout=10_000):
        first.start_button.click()
    first.close()
    again = open_dialog(qtbot, window, folder, outputs())
    assert ticked(again) == {"agenda-docx"}
    assert again.both_documents.isChecked()


def test_a_held_meeting_starts_with_the_minutes(qtbot, window, tmp_path):
    dialog = open_dialog(qtbot, window, tmp_path)
    assert ticked(dialog) == {"agenda-pdf", "pack-public"}  # before the meeting: the agenda
    assert dialog.public_documents.isChecked()
    dialog.close()
    window.session.execute(UpdateMeeting.of(status=MeetingStatus.HELD), "test")
    dialog = open_dialog(qtbot, window, tmp_path)
    assert ticked(dialog) == {"minutes-pdf", "pack-public"}
    assert dialog.public_documents.isChecked()
    assert "Referat KKR Sjælland 2024-04-16 (offentlig).pdf" in dialog.selection_summary.text()
    # what was last made before the meeting does not carry over to after it
    window.settings.set_export_choices("before", ["agenda-docx"], "complete")
    dialog = open_dialog(qtbot, window, tmp_path)
    assert ticked(dialog) == {"minutes-pdf", "pack-public"}


def test_both_editions_in_one_run(qtbot, window, tmp_path):
    closed = window.session.meeting.agenda.sections[1].items[1]
    window.agenda_view.select_item(closed.id)
    window.agenda_menu.closed_action.trigger()
    folder = tmp_path / "ud"
    dialog = open_dialog(qtbot, window, folder)
    for key, box in dialog.checks.items():
        box.setChecked(key == "agenda-docx")
    dialog.both_documents.setChecked(True)
    summary = dialog.selection_summary.text()
    assert f"{AGENDA}.docx" in summary and f"{AGENDA} (offentlig).docx" in summary
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000):
        dialog.start_button.click()
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{AGENDA} (offentlig).docx", f"{AGENDA}.docx"]

    def body(name: str) -> str:
        return "\n".join(p.text for p in docx.Document(str(folder / name)).paragraphs)

    assert closed.title in body(f"{AGENDA}.docx")
    assert closed.title not in body(f"{AGENDA} (offentlig).docx")


def test_existing_files_are_replaced_only_when_the_user_says_so(
    qtbot, window, tmp_path, monkeypatch
):
    folder = tmp_path / "ud"
    folder.mkdir()
    old = folder / f"{AGENDA}.docx"
    old.write_text("fra sidste gang", encoding="utf-8")
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = make_dialog(qtbot, window, folder, outputs())  # full agenda, public pack
    dialog.start_button.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    (text,) = asked
    assert f"{AGENDA}.docx" in text and "Bilagspakke" not in text  # only the existing one
    assert dialog.task is None and not dialog.running()
    assert [p.name for p in folder.iterdir()] == [old.name]  # nothing written ...
    assert old.read_text(encoding="utf-8") == "fra sidste gang"  # ... nor replaced

    answer[0] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000):
        dialog.start_button.click()
    assert len(asked) == 2
    assert "Møde i KKR Sjælland" in old.read_text(encoding="utf-8")


def test_open_folder_says_so_when_nothing_can_show_it(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    import gui.export_dialog

    opened: list[str] = []

    def no_launcher(url):  # type: ignore[no-untyped-def]
        opened.append(url.toLocalFile())
        return False

    monkeypatch.setattr(gui.export_dialog.QDesktopServices, "openUrl", staticmethod(no_launcher))
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, outputs())
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000):
        dialog.start_button.click()
    dialog.open_button.click()
    assert opened == [str(folder)]
    boxes, _crashes = message_boxes
    ((kind, text),) = boxes
    assert kind == "warning"
    assert text.startswith("Mappen kunne ikke åbnes") and str(folder) in text


def test_remembered_choices_survive_a_restart(tmp_path):
    from PySide6.QtCore import QSettings

    from gui.settings import UiSettings

    path = str(tmp_path / "ui.ini")
    first = UiSettings(QSettings(path, QSettings.Format.IniFormat))
    first.set_export_choices("held", ["minutes-pdf", "pack-public"], "both")
    first.set_export_choices("before", ["agenda-docx"], "complete")
    first.sync()
    again = UiSettings(QSettings(path, QSettings.Format.IniFormat))
    assert again.export_choices("held") == (["minutes-pdf", "pack-public"], "both")
    assert again.export_choices("before") == (["agenda-docx"], "complete")
    assert (
        UiSettings(QSettings(str(tmp_path / "new.ini"), QSettings.Format.IniFormat)).export_choices(
            "held"
        )
        is None
    )
