"""The window makes PDF bilag searchable off the UI thread, and catches up, when a
workspace opens, with what a closed window or another workspace left unread."""

from __future__ import annotations

from gui.app import create_main_window
from tests.gui.conftest import make_pdf


def test_pdfs_left_unread_are_read_when_the_workspace_opens(
    qtbot, workspace, workspace_path, settings
):
    with workspace.transaction():  # more than one batch, none with text yet
        shas = [workspace.store_blob(make_pdf(f"Ulæst bilag nummer {n}")) for n in range(23)]
        other = workspace.store_blob(b"PK\x03\x04 not a pdf")
    assert all(workspace.attachment_text(sha) is None for sha in shas)
    window = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(
        lambda: all(workspace.attachment_text(sha) is not None for sha in shas), timeout=20_000
    )
    assert "Ulæst bilag nummer 22" in workspace.attachment_text(shas[22])
    assert workspace.attachment_text(other) is None  # only PDFs
    assert workspace.unindexed_pdfs(50) == {}


def test_closing_the_window_stops_the_reading(qtbot, workspace, workspace_path, settings):
    with workspace.transaction():
        for n in range(5):
            workspace.store_blob(make_pdf(f"Bilag {n}", pages=30))
    window = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(window)
    (task,) = window.search_indexer.tasks
    window.close()
    assert task.cancelled()
