"""The window makes PDF bilag searchable off the UI thread, and catches up, when a
workspace opens, with what a closed window or another workspace left unread."""

from __future__ import annotations

from dataclasses import replace

from gui.app import create_main_window
from tests import factories
from tests.gui.conftest import make_pdf


def _meeting_with_pdfs(workspace, count: int, pages: int = 1) -> list[str]:  # type: ignore[no-untyped-def]
    """A meeting whose first case has ``count`` PDF bilag, none with text yet."""
    pdfs = [make_pdf(f"Ulæst bilag nummer {n}", pages=pages) for n in range(count)]
    with workspace.transaction():
        shas = [workspace.store_blob(pdf) for pdf in pdfs]
        meeting = factories.meeting()
        bilag = tuple(factories.attachment(f"Bilag {n}", p, f"{n}.pdf") for n, p in enumerate(pdfs))
        sections = list(meeting.agenda.sections)
        items = list(sections[1].items)
        items[0] = replace(items[0], case=replace(items[0].case, attachments=bilag))
        sections[1] = replace(sections[1], items=tuple(items))
        workspace.save_meeting(
            replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))
        )
    return shas


def test_pdfs_left_unread_are_read_when_the_workspace_opens(
    qtbot, workspace, workspace_path, settings
):
    shas = _meeting_with_pdfs(workspace, 23)  # more than one batch
    assert all(workspace.attachment_text(sha) is None for sha in shas)
    window = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(
        lambda: all(workspace.attachment_text(sha) is not None for sha in shas), timeout=20_000
    )
    assert "Ulæst bilag nummer 22" in workspace.attachment_text(shas[22])
    assert workspace.unindexed_pdfs(50) == {}
    (hit,) = workspace.search_cases("Ulæst")  # the case the bilag belong to
    assert hit.title == factories.meeting().agenda.sections[1].items[0].case.title


def test_closing_the_window_stops_the_reading(qtbot, workspace, workspace_path, settings):
    _meeting_with_pdfs(workspace, 5, pages=30)
    window = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(window)
    (task,) = window.search_indexer.tasks
    window.close()
    assert task.cancelled()
