"""A set of outputs is written all or nothing: when one fails the dialog says, in red,
that the export failed and nothing was saved, never "Færdig"."""

from __future__ import annotations

from pathlib import Path

from agenda.errors import ExportError
from gui.export_job import OutputKind
from gui.export_progress import FAILURE_COLOR
from tests.gui.test_export_dialog import (
    FakeOutput,
    document_kind,
    fake_document,
    make_dialog,
)


def failing_pack(snapshot, target: Path, *, public: bool, task):  # type: ignore[no-untyped-def]
    target.write_bytes(b"%PDF-1.7 partial")
    raise ExportError(f"Der er ikke plads på disken til {target.name}.")


def test_a_failed_output_says_nothing_was_saved_in_red(qtbot, window, tmp_path):
    folder = tmp_path / "ud"
    folder.mkdir()
    earlier = folder / "Dagsorden KKR Sjælland 2024-04-16.docx"
    earlier.write_text("den tidligere dagsorden", encoding="utf-8")
    kinds = [
        document_kind(fake_document),
        OutputKind(
            "pack-complete",
            "Bilagspakke, fuld udgave",
            FakeOutput("Bilagspakke", ".pdf", failing_pack, pack=True),
            False,
        ),
    ]
    dialog = make_dialog(qtbot, window, folder, kinds)
    dialog._may_replace = lambda plan: True  # the earlier agenda may be replaced
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000) as finished:
        dialog.start_button.click()
    outcome = finished.args[0]
    assert outcome.failed and not outcome.written

    assert dialog.overall_label.text() == "Eksporten mislykkedes: intet blev gemt"
    assert FAILURE_COLOR in dialog.overall_label.styleSheet()
    assert dialog.result_label.text() == (
        "Ingen fil blev gemt; filerne, der allerede lå i mappen, er som før."
    )
    assert not dialog.open_button.isVisible()
    assert dialog.errors.isVisible()
    shown = dialog.errors.item(0)
    assert "Der er ikke plads på disken til Bilagspakke" in shown.text()
    assert shown.foreground().color().name() == FAILURE_COLOR
    # nothing was saved: the earlier agenda is as it was, and no pack appeared
    assert sorted(p.name for p in folder.iterdir()) == [earlier.name]
    assert earlier.read_text(encoding="utf-8") == "den tidligere dagsorden"

    # the next export that succeeds says "Færdig" again, not in red
    dialog.checks["pack-complete"].setChecked(False)
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000):
        dialog.start_button.click()
    assert dialog.overall_label.text() == "Færdig"
    assert FAILURE_COLOR not in dialog.overall_label.styleSheet()
