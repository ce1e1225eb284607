"""UI state is remembered in QSettings: recent workspaces, folders, window layout."""

from __future__ import annotations

from pathlib import Path

from gui.app import chosen_workspace, create_main_window


def test_recent_workspaces_newest_first_without_duplicates(settings, tmp_path):
    a, b = tmp_path / "a.kkrdb", tmp_path / "b.kkrdb"
    settings.add_recent_workspace(a)
    settings.add_recent_workspace(b)
    settings.add_recent_workspace(a)
    assert settings.recent_workspaces() == [a.resolve(), b.resolve()]
    a.write_bytes(b"")
    assert chosen_workspace(None, settings) == a.resolve()
    assert chosen_workspace(Path("given.kkrdb"), settings) == Path("given.kkrdb")


def test_window_layout_is_remembered(qtbot, window, workspace, workspace_path, settings):
    window.resize(760, 560)  # within the offscreen screen
    window.splitter.setSizes([240, 220, 300])
    sizes = window.splitter.sizes()
    window.close()
    again = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (760, 560)
    assert again.splitter.sizes() == sizes
