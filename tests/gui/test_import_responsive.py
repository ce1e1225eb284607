"""Importing a large meeting never blocks the window: the file is read and its PDF
bilag's text extracted in a worker, and only the short commit runs on the UI thread."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

from app.exchange_export import export_exchange
from tests import factories
from tests.gui.conftest import close_test_workspace, make_pdf, open_test_workspace

BILAG = 40


def _large_meeting_file(tmp_path):  # type: ignore[no-untyped-def]
    """A meeting in the exchange format with BILAG PDF bilag on its first case."""
    source = open_test_workspace(tmp_path / "kilde.kkrdb")
    try:
        meeting = factories.meeting()
        bilag = []
        with source.transaction():
            for n in range(BILAG):
                pdf = make_pdf(f"Bilag nummer {n} om praktikpladser", pages=3)
                source.store_blob(pdf)
                bilag.append(factories.attachment(f"Bilag {n}", pdf, f"bilag-{n}.pdf"))
            sections = list(meeting.agenda.sections)
            items = list(sections[1].items)
            items[0] = replace(items[0], case=replace(items[0].case, attachments=tuple(bilag)))
            sections[1] = replace(sections[1], items=tuple(items))
            meeting = replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))
            meeting = source.save_meeting(meeting)
        return export_exchange(source, meeting.id, tmp_path / "udveksling")
    finally:
        close_test_workspace(source)


def test_a_timer_keeps_firing_while_a_large_meeting_is_imported(
    qtbot, window, tmp_path, monkeypatch
):
    import export.pdf.text_extract as text_extract

    folder = _large_meeting_file(tmp_path)
    window.workspace_menu.switch_workspace(tmp_path / "andet.kkrdb")
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(folder / "meeting.json"), "")),
    )
    # each bilag takes a while to read, as a long PDF does; ``reading`` is set while the
    # import is inside the reading of a bilag
    reading = threading.Event()
    real = text_extract.extract_text
    read_on: set[str] = set()

    def slow_extract(pdf: bytes, max_pages: int | None = None) -> str:
        reading.set()
        read_on.add(threading.current_thread().name)
        try:
            time.sleep(0.03)
            return real(pdf, max_pages=max_pages)
        finally:
            reading.clear()

    monkeypatch.setattr(text_extract, "extract_text", slow_extract)
    ticks_while_reading = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: reading.is_set() and ticks_while_reading.append(1))
    timer.start()
    with qtbot.waitSignal(window.workspace_menu.meeting_importer().finished, timeout=30000):
        window.workspace_menu.import_meeting()
    timer.stop()

    # the UI thread's event loop ran while bilag were being read: on the UI thread the
    # timer could not have fired once while ``reading`` was set
    assert len(ticks_while_reading) > 10
    assert read_on == {"kkr-worker"}
    (summary,) = window.workspace.meetings()
    imported = window.workspace.meeting(summary.id)
    attachments = [a for i in imported.agenda.items() for a in i.attachments]
    assert len(attachments) == BILAG
    # the text read in the worker is in the search index after the commit
    text = window.workspace.attachment_text(attachments[7].sha256)
    assert text is not None and "Bilag nummer 7 om praktikpladser" in text
    hits = window.workspace.search_cases("praktikpladser", 5)
    assert [h.title for h in hits] == [imported.agenda.sections[1].items[0].case.title]
