"""run_gui, as main.py calls it: opens the window on the workspace and returns the exit
code when the window closes."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

import gui.app
from gui import errors
from gui.settings import UiSettings
from tests.gui.conftest import close_test_workspace, open_test_workspace, sample_meeting


def test_run_gui_opens_the_workspace_and_returns_on_close(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "arbejde.kkrdb"
    workspace = open_test_workspace(path)
    sample_meeting(workspace)
    close_test_workspace(workspace)
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(
        gui.app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat))
    )
    monkeypatch.setattr(errors, "log_dir", lambda: tmp_path / "log")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    seen = []

    def look_and_close() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if w.isVisible())
        title = window.windowTitle()
        # Windows and X11 show the title with " – <display name>" added unless it ends
        # with it (QPlatformWindow::formatWindowTitle): the name must not appear twice
        shown = title if title.endswith(QApplication.applicationDisplayName()) else title + " –"
        seen.append((shown, window.agenda_model.rowCount()))
        window.close()

    QTimer.singleShot(200, look_and_close)
    assert gui.app.run_gui(path) == 0
    assert seen == [("arbejde.kkrdb – KKR Dagsorden", 3)]
    assert UiSettings(QSettings(ini, QSettings.Format.IniFormat)).recent_workspaces() == [
        path.resolve()
    ]
    assert (tmp_path / "log" / "gui.log").exists()
    for handler in list(errors.log.handlers):
        errors.log.removeHandler(handler)
        handler.close()


def test_run_gui_on_a_file_that_is_not_a_workspace(qtbot, tmp_path, monkeypatch, message_boxes):
    bad = tmp_path / "bad.kkrdb"
    bad.write_text("nej", encoding="utf-8")
    monkeypatch.setattr(errors, "log_dir", lambda: tmp_path / "log")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(
        gui.app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat))
    )
    assert gui.app.run_gui(bad) == 1
    boxes, _crashes = message_boxes
    assert boxes and "ikke et arbejdsområde" in boxes[0][1]
    for handler in list(errors.log.handlers):
        errors.log.removeHandler(handler)
        handler.close()
