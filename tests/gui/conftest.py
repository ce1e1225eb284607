"""GUI tests run on the offscreen platform, with their own settings and workspace."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything loads Qt

import io
from dataclasses import replace
from pathlib import Path

import pytest

from agenda.model import Meeting
from tests import factories


def make_pdf(*lines: str, pages: int = 1) -> bytes:
    """A small real PDF with text (reportlab), for bilag."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        for n, line in enumerate(lines or ("Bilag",)):
            pdf.drawString(72, 770 - 18 * n, f"{line} (side {page + 1})")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def open_test_workspace(path: Path):  # type: ignore[no-untyped-def]
    from storage.workspace import open_workspace

    return open_workspace(path, create=True)


def close_test_workspace(workspace) -> None:  # type: ignore[no-untyped-def]
    close = getattr(workspace, "close", None)
    if close is not None:
        close()


@pytest.fixture(autouse=True, scope="session")
def danish() -> None:
    """The UI in Danish, as users see it (tests assert on the Danish words)."""
    from gui import i18n

    i18n.install()


@pytest.fixture(autouse=True)
def backup_dir(tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """Backups taken on open go to the test's folder, never the user's data folder."""
    from storage.backup import BACKUP_DIR_ENV

    folder = tmp_path / "backups"
    monkeypatch.setenv(BACKUP_DIR_ENV, str(folder))
    return folder


@pytest.fixture()
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "test.kkrdb"


@pytest.fixture()
def workspace(workspace_path: Path):  # type: ignore[no-untyped-def]
    ws = open_test_workspace(workspace_path)
    yield ws
    close_test_workspace(ws)


def sample_meeting(workspace, pdf: bytes | None = None) -> Meeting:  # type: ignore[no-untyped-def]
    """The factories' meeting with one real PDF bilag on the first case, saved."""
    meeting = factories.meeting()
    pdf = pdf or make_pdf("Evaluering af klyngekontorer", pages=2)
    with workspace.transaction():
        sha = workspace.store_blob(pdf)
        bilag = factories.attachment("Evalueringsrapport", pdf, "evaluering.pdf")
        assert bilag.sha256 == sha
        sections = list(meeting.agenda.sections)
        items = list(sections[1].items)
        items[0] = replace(items[0], case=replace(items[0].case, attachments=(bilag,)))
        sections[1] = replace(sections[1], items=tuple(items))
        meeting = replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))
        return workspace.save_meeting(meeting)


@pytest.fixture()
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from gui.settings import UiSettings

    return UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))


@pytest.fixture()
def window(qtbot, workspace, workspace_path, settings):  # type: ignore[no-untyped-def]
    from gui.app import create_main_window

    sample_meeting(workspace)
    win = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):  # type: ignore[no-untyped-def]
    """Record message boxes and crash dialogs instead of showing them: a modal box would
    hang a test. Autouse, so no test can hang on one; tests that expect one assert it."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def record(kind):  # type: ignore[no-untyped-def]
        def show(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))

    def exec_box(self):  # type: ignore[no-untyped-def]
        # a box built by hand with a choice (gui.import_dialog): recorded, then closed
        # without a button (Cancel); a test that wants a button patches exec to click it
        shown.append(("exec", self.text()))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    crashes: list[str] = []

    def crash_exec(self):  # type: ignore[no-untyped-def]
        crashes.append(self.details.toPlainText())
        return 0

    from gui.errors import CrashDialog

    monkeypatch.setattr(CrashDialog, "exec", crash_exec)
    shown_crashes = shown, crashes
    return shown_crashes


def pytest_collection_modifyitems(items) -> None:  # type: ignore[no-untyped-def]
    """The offscreen platform warns that it cannot propagate size hints (whenever a window
    is shown) or raise a window; that is the test platform talking, not the app."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(
                pytest.mark.qt_log_ignore(
                    "This plugin does not support (propagateSizeHints|raise)\\(\\)"
                )
            )
