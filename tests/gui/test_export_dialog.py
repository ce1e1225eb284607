"""The export dialog runs in a worker (the UI thread keeps working), reports progress,
lists per-file errors, and Cancel stops quickly leaving nothing behind."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer

from agenda.errors import ConversionError, UserFacingError
from agenda.tasks import check
from app.snapshots import read_snapshot
from export.conversion.convert import conversion_key
from export.outputs import Output
from gui.export_dialog import ExportDialog
from gui.export_job import MeetingReader, OutputKind


def fake_document(snapshot, target: Path, *, minutes: bool, public: bool) -> Path:
    words = "Referat" if minutes else "Dagsorden"
    target.write_text(f"{words} {snapshot.meeting.title} public={public}", encoding="utf-8")
    return target


@dataclass
class FakePack:
    path: Path
    problems: tuple = ()
    new_conversions: dict | None = None
    extracted_text: dict | None = None
    converted_count: int = 0


def slow_pack(snapshot, target: Path, *, public: bool, task) -> FakePack:  # type: ignore[no-untyped-def]
    target.write_bytes(b"%PDF-1.7 partial")  # a half-written file, as a real build has
    for n in range(20):
        check(task)
        time.sleep(0.03)
        task.report(n + 1, 20, f"Bilag {n + 1}")
    return FakePack(target, extracted_text={"abc": "tekst"})


def endless_pack(snapshot, target: Path, *, public: bool, task) -> FakePack:  # type: ignore[no-untyped-def]
    target.write_bytes(b"%PDF-1.7 partial")
    for n in range(10_000):
        check(task)
        time.sleep(0.02)
        task.report(n, 10_000, f"Bilag {n}")
    raise AssertionError("never cancelled")


class FakeOutput(Output):
    """A shared output whose writer is a test function (no real document library)."""

    def __init__(self, document: str, suffix: str, func, *, pack: bool = False):  # type: ignore[no-untyped-def]
        super().__init__(document.lower(), document, suffix, pack=pack)
        self.__dict__["func"] = func  # Output is frozen; a subclass instance has a __dict__

    def write(self, snapshot, target, *, public, task):  # type: ignore[no-untyped-def]
        if self.pack:
            return self.func(snapshot, target, public=public, task=task)
        return self.func(snapshot, target, minutes=self.minutes, public=public)


def document_kind(func) -> OutputKind:  # type: ignore[no-untyped-def]
    return OutputKind("agenda-docx", "Dagsorden som Word", FakeOutput("Dagsorden", ".docx", func))


def outputs(pack=slow_pack) -> list[OutputKind]:  # type: ignore[no-untyped-def]
    return [
        document_kind(fake_document),
        OutputKind(
            "pack-public",
            "Bilagspakke, offentlig",
            FakeOutput("Bilagspakke", ".pdf", pack, pack=True),
            True,
        ),
    ]


def reader(window) -> MeetingReader:  # type: ignore[no-untyped-def]
    """As the main window gives it: the window's meeting, read when asked."""
    return MeetingReader(
        window.workspace, window.session.meeting.id, window.item_editor.commit_pending
    )


def make_dialog(qtbot, window, folder: Path, kinds: list[OutputKind] | None) -> ExportDialog:
    """The dialog as the main window opens it (its meeting, its change signal)."""
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
    for check_box in dialog.checks.values():
        check_box.setChecked(True)
    dialog.complete_documents.setChecked(True)  # the tests name the edition they want
    dialog.show()
    return dialog


def test_export_runs_in_a_worker_while_the_ui_keeps_working(qtbot, window, tmp_path):
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, outputs())
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(dialog.current.value()))
    timer.start(10)
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000) as finished:
        dialog.start_button.click()
        assert dialog.running()
        assert not dialog.start_button.isEnabled()
    timer.stop()
    assert len(ticks) >= 20  # the UI thread ran the timer all through the ~0.6 s export
    assert any(0 < value < 20 for value in ticks)  # and saw the progress move
    outcome = finished.args[0]
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf",
        "Dagsorden KKR Sjælland 2024-04-16.docx",
    ]
    assert sorted(p.name for p in outcome.written) == names
    assert "Møde i KKR Sjælland" in (folder / names[1]).read_text(encoding="utf-8")
    assert dialog.open_button.isVisible()
    assert dialog.overall_label.text() == "Færdig"
    assert not dialog.errors.isVisible()


def test_cancel_stops_within_a_second_and_leaves_no_output(qtbot, window, tmp_path):
    folder = tmp_path / "ud"
    folder.mkdir()
    (folder / "gammel.txt").write_text("fra sidste gang")
    dialog = make_dialog(qtbot, window, folder, outputs(endless_pack))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.current.value() > 3, timeout=5000)
    with qtbot.waitSignal(dialog.task.was_cancelled, timeout=1000):
        started = time.monotonic()
        dialog.cancel_button.click()
    assert time.monotonic() - started < 1.0
    qtbot.waitUntil(lambda: dialog.task.finished, timeout=1000)
    assert [p.name for p in folder.iterdir()] == ["gammel.txt"]  # no partial, no staging
    assert dialog.overall_label.text() == "Annulleret: intet blev gemt"
    assert dialog.start_button.isEnabled()


def test_one_failing_file_is_listed_and_none_of_the_set_is_written(qtbot, window, tmp_path):
    """A set of outputs is written all or nothing (issue #12): the pack is not saved
    without the agenda it goes with."""

    def broken_document(snapshot, target, *, minutes, public):  # type: ignore[no-untyped-def]
        raise UserFacingError("Skabelonen dagsorden.dotx kunne ikke læses.")

    @dataclass
    class Problem:
        attachment: object
        error: Exception

    def pack_with_problem(snapshot, target, *, public, task):  # type: ignore[no-untyped-def]
        target.write_bytes(b"%PDF-1.7")
        bilag = snapshot.meeting.agenda.items()[2].attachments[0]
        return FakePack(target, problems=(Problem(bilag, ConversionError("Filen er beskadiget.")),))

    kinds = outputs(pack_with_problem)
    kinds[0] = document_kind(broken_document)
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, kinds)
    with qtbot.waitSignal(dialog.export_finished, timeout=5000):
        dialog.start_button.click()
    errors = [dialog.errors.item(n).text() for n in range(dialog.errors.count())]
    assert errors == [
        "Dagsorden KKR Sjælland 2024-04-16.docx: Skabelonen dagsorden.dotx kunne ikke læses. "
        f"Ingen af filerne er gemt, og de tidligere filer i {folder} er urørte; eksportér "
        "igen, når fejlen er rettet."
    ]
    assert dialog.errors.isVisible()
    assert list(folder.iterdir()) == []


def test_nothing_chosen_gives_a_message(qtbot, window, tmp_path, message_boxes):
    dialog = make_dialog(qtbot, window, tmp_path, outputs())
    for check_box in dialog.checks.values():
        check_box.setChecked(False)
    dialog.start_button.click()
    assert message_boxes[0] == [("warning", "Vælg mindst én ting at eksportere.")]
    assert dialog.task is None


def test_real_bilagspakke_from_the_dialog(qtbot, window, tmp_path):
    """The dialog with the product's own export: the public pack holds the bilag."""
    import pypdf

    dialog = make_dialog(qtbot, window, tmp_path / "ud", None)
    for key, check_box in dialog.checks.items():
        check_box.setChecked(key == "pack-public")
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as finished:
        dialog.start_button.click()
    outcome = finished.args[0]
    assert outcome.problems == []
    (path,) = outcome.written
    assert path.name == "Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert "Evaluering af klyngekontorer (side 2)" in text
    assert "Evalueringsrapport" in text


def test_a_bug_in_an_export_reaches_the_crash_dialog_and_cleans_up(
    qtbot, window, tmp_path, message_boxes
):
    def buggy(snapshot, target, *, minutes, public):  # type: ignore[no-untyped-def]
        target.write_text("half")
        raise RuntimeError("bug in the exporter")

    kinds = [document_kind(buggy)]
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, kinds)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.task.finished, timeout=5000)
    qtbot.waitUntil(lambda: bool(message_boxes[1]), timeout=2000)
    assert "RuntimeError: bug in the exporter" in message_boxes[1][0]
    assert list(folder.iterdir()) == []
    assert dialog.overall_label.text() == "Eksporten stoppede"
    assert dialog.start_button.isEnabled()


def test_real_agenda_and_minutes_from_the_dialog(qtbot, window, tmp_path):
    """Word and PDF documents from the product's exporters, public edition of the agenda."""
    import docx
    import pypdf

    closed = window.session.meeting.agenda.sections[1].items[1]
    window.agenda_view.select_item(closed.id)
    window.agenda_menu.closed_action.trigger()
    folder = tmp_path / "ud"
    dialog = make_dialog(qtbot, window, folder, None)
    for key, check_box in dialog.checks.items():
        check_box.setChecked(key in ("agenda-docx", "minutes-pdf"))
    dialog.public_documents.setChecked(True)
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as finished:
        dialog.start_button.click()
    outcome = finished.args[0]
    assert outcome.problems == []
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "Dagsorden KKR Sjælland 2024-04-16 (offentlig).docx",
        # the meeting is not held yet: its minutes are a draft, named so
        "Udkast til referat KKR Sjælland 2024-04-16 (offentlig).pdf",
    ]
    body = "\n".join(p.text for p in docx.Document(str(folder / names[0])).paragraphs)
    assert "Evaluering af regionale klyngekontorer" in body
    assert closed.title not in body  # the closed item is not in the public edition
    pdf_text = "\n".join(page.extract_text() for page in pypdf.PdfReader(folder / names[1]).pages)
    assert "Evaluering af regionale klyngekontorer" in pdf_text and "Udkast til referat" in pdf_text
    assert closed.title not in pdf_text


def test_the_default_selection_never_mixes_editions(qtbot, window, tmp_path):
    """What the dialog ticks by itself is one edition, the public one: never the full
    (internal) agenda next to the public pack."""
    dialog = ExportDialog(window.workspace, reader(window), folder=str(tmp_path), parent=window)
    qtbot.addWidget(dialog)
    requests = dialog.requests()
    assert requests  # something is ticked
    assert dialog.chosen_editions() == {True}
    assert {r.kind.key for r in requests} == {"agenda-pdf", "pack-public"}
    assert dialog.public_documents.isChecked() and not dialog.complete_documents.isChecked()
    summary = dialog.selection_summary.text()
    assert "Offentlig udgave" in summary and "Fuld udgave" not in summary
    assert "Dagsorden KKR Sjælland 2024-04-16 (offentlig).pdf" in summary
    # the user mixing them on purpose is told which files are which
    dialog.checks["pack-complete"].setChecked(True)
    assert dialog.chosen_editions() == {True, False}
    summary = dialog.selection_summary.text()
    assert "Fuld udgave (intern)</b>, ikke til hjemmesiden: Bilagspakke" in summary
    assert "Begge udgaver er valgt." in summary
    # one radio choice moves agenda and minutes to the full edition
    dialog.checks["pack-public"].setChecked(False)
    dialog.complete_documents.setChecked(True)
    assert dialog.chosen_editions() == {False}
    assert not dialog.public_documents.isChecked()


def test_progress_bars_appear_when_the_export_starts(qtbot, window, tmp_path):
    dialog = make_dialog(qtbot, window, tmp_path / "ud", outputs())
    assert not dialog.overall.isVisible() and not dialog.current.isVisible()
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000):
        dialog.start_button.click()  # the public pack first waits for the check
        qtbot.waitUntil(lambda: dialog.overall.isVisible() and dialog.current.isVisible())
    assert dialog.overall.isVisible()  # "Færdig" and the full bar stay


def test_minutes_of_a_meeting_not_held_are_called_a_draft(qtbot, window, tmp_path):
    from dataclasses import replace

    from agenda.model import MeetingStatus

    snapshot = read_snapshot(window.workspace, window.session.meeting, conversion_key)
    dialog = ExportDialog(
        window.workspace, lambda **_: snapshot, folder=str(tmp_path), parent=window
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert snapshot.meeting.status is MeetingStatus.DRAFT
    assert dialog.draft_note.isVisible()
    assert "»Udkast til referat«" in dialog.draft_note.text()
    held = replace(snapshot, meeting=replace(snapshot.meeting, status=MeetingStatus.HELD))
    dialog = ExportDialog(window.workspace, lambda **_: held, folder=str(tmp_path), parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.draft_note.isVisible()


def test_long_findings_wrap_in_a_list_that_scrolls(qtbot):
    from PySide6.QtWidgets import QListView

    from gui.preflight_panel import PreflightPanel

    panel = PreflightPanel()
    qtbot.addWidget(panel)
    assert panel.list.wordWrap()
    assert panel.list.resizeMode() is QListView.ResizeMode.Adjust
    assert panel.list.minimumHeight() >= 150
