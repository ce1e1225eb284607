"""First start on a clean user account: an empty workspace shows the welcome with its
three ways to begin; the demo is its own workspace, filled only when asked for."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

import main
from gui.app import create_main_window
from tests.gui.conftest import sample_meeting


def empty_window(qtbot, workspace, workspace_path, settings, **kwargs):  # type: ignore[no-untyped-def]
    win = create_main_window(workspace, workspace_path, settings=settings, **kwargs)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_an_empty_workspace_shows_the_welcome_in_danish(qtbot, workspace, workspace_path, settings):
    win = empty_window(qtbot, workspace, workspace_path, settings, fill_demo=main._ensure_demo)
    assert win.showing_welcome()
    assert win.welcome.isVisible() and not win.agenda_view.isVisible()
    buttons = [win.welcome.create_button, win.welcome.import_button, win.welcome.demo_button]
    assert [b.text() for b in buttons] == [
        "Opret et møde",
        "Importér et møde …",
        "Åbn demo-arbejdsområdet",
    ]
    assert all(b.isVisible() for b in buttons)
    assert "Velkommen til KKR Dagsorden" in [
        label.text() for label in win.welcome.findChildren(type(win.meeting_header))
    ]
    assert workspace.meetings() == []  # no demo data by default


def test_the_welcome_gives_way_to_the_agenda_once_there_is_a_meeting(
    qtbot, workspace, workspace_path, settings
):
    win = empty_window(qtbot, workspace, workspace_path, settings)
    assert not win.welcome.demo_button.isVisible()  # no demo without main.py's glue
    meeting = sample_meeting(workspace)
    win.refresh_meetings(select=meeting.id)
    assert not win.showing_welcome() and win.agenda_view.isVisible()
    assert win.session is not None and win.session.meeting.id == meeting.id
    assert win.item_editor.isVisible()


def test_import_from_the_welcome(qtbot, workspace, workspace_path, settings, tmp_path, monkeypatch):
    from exchange.transfer import export_meeting
    from storage.workspace import open_workspace

    other = open_workspace(tmp_path / "andet.kkrdb", create=True)
    try:
        meeting = sample_meeting(other)
        folder = export_meeting(other, meeting.id, tmp_path / "ud")
    finally:
        other.close()
    win = empty_window(qtbot, workspace, workspace_path, settings)
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(folder / "meeting.json"), "")),
    )
    with qtbot.waitSignal(win.workspace_menu.meeting_importer().finished, timeout=10000):
        win.welcome.import_button.click()  # the file is read in a worker
    assert not win.showing_welcome() and win.agenda_view.isVisible()
    assert win.session.meeting.title == meeting.title


@pytest.mark.slow
def test_open_the_demo_workspace_from_the_welcome(
    qtbot, workspace, workspace_path, settings, tmp_path, monkeypatch
):
    import storage.paths

    demo_path = tmp_path / "data" / "demo.kkrdb"
    demo_path.parent.mkdir()
    monkeypatch.setattr(storage.paths, "demo_workspace_path", lambda: demo_path)
    monkeypatch.setenv("KKR_DAGSORDEN_BACKUP_DIR", str(tmp_path / "backups"))
    win = empty_window(qtbot, workspace, workspace_path, settings, fill_demo=main._ensure_demo)
    win.welcome.demo_button.click()
    assert win.workspace_path == demo_path and win.demo
    assert "(demo)" in win.windowTitle()
    assert len(win.workspace.meetings()) >= 2
    assert not win.showing_welcome() and win.agenda_view.isVisible()
    assert win.settings.recent_workspaces() == []  # the demo is not one of the user's own
