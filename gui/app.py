"""Start the desktop app: ``run_gui(path)`` is what ``main.py`` calls."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from agenda.errors import UserFacingError
from agenda.repository import WorkspaceRepository
from gui import i18n
from gui.errors import install_excepthook, setup_logging
from gui.settings import UiSettings


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our names, Danish translations and error handling."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("KKR Dagsorden")
    app.setOrganizationName("KKR Dagsorden")
    app.setApplicationDisplayName("KKR Dagsorden")
    i18n.install()
    if not i18n._qt_translators:
        i18n.install_qt_translations(app)
    return app  # type: ignore[return-value]


def create_main_window(
    workspace: WorkspaceRepository,
    workspace_path: Path | None,
    *,
    settings: UiSettings | None = None,
    demo: bool = False,
    fill_demo: Callable[[Path], None] | None = None,
):  # type: ignore[no-untyped-def]
    from gui.main_window import MainWindow

    return MainWindow(
        workspace, workspace_path, settings or UiSettings(), demo=demo, fill_demo=fill_demo
    )


def chosen_workspace(workspace_path: Path | None, settings: UiSettings) -> Path:
    """The workspace to open: the one given, else the last one used, else the default."""
    if workspace_path is not None:
        return Path(workspace_path)
    last = settings.last_workspace()
    if last is not None and last.exists():
        return last
    from app.workspace import default_workspace_path

    return Path(default_workspace_path())


def run_gui(
    workspace_path: Path | None,
    *,
    demo: bool = False,
    fill_demo: Callable[[Path], None] | None = None,
) -> int:
    """Open the main window on ``workspace_path`` (None: the last or default one) and run
    until it closes. Returns the process exit code. ``fill_demo(path)`` fills the demo
    workspace at ``path`` with the demo meetings (main.py composes it: demo data come from
    agenda and export, stored by storage); without it the welcome offers no demo."""
    app = make_application()
    # no log folder (read-only profile): the app still works, crashes still show
    with contextlib.suppress(OSError):
        setup_logging()
    install_excepthook()
    settings = UiSettings()
    from gui.workspace import close_workspace, open_workspace

    path = chosen_workspace(workspace_path, settings)
    try:
        workspace = open_workspace(path)
    except UserFacingError as error:
        QMessageBox.critical(None, "KKR Dagsorden", error.message)
        return 1
    if not demo:
        settings.add_recent_workspace(path)
    window = create_main_window(workspace, path, settings=settings, demo=demo, fill_demo=fill_demo)
    window.show()
    code = app.exec()
    from gui.worker import wait_for_all

    wait_for_all()
    close_workspace(workspace)
    return code
