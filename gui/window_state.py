"""What the window remembers between starts (QSettings, UI state only: STYLE rule 13):
its size and place, whether it was maximised, the splitters, and the meeting and item
that were selected in the workspace last shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter

from agenda.model import ItemId, MeetingId
from gui.agenda_view import AgendaView
from gui.settings import UiSettings
from gui.window_controller import WindowController


class WindowState:
    """Restores and saves the state of ``window``: its geometry, the three splitters
    (the window's columns, the left column, the editor's bilag) and the selection."""

    def __init__(
        self,
        window: QMainWindow,
        settings: UiSettings,
        controller: WindowController,
        *,
        splitter: QSplitter,
        left: QSplitter,
        bilag_split: QSplitter,
        agenda_view: AgendaView,
    ) -> None:
        self.window, self.settings, self.controller = window, settings, controller
        self.splitter, self.left, self.bilag_split = splitter, left, bilag_split
        self.agenda_view = agenda_view
        self._start_maximized = False
        self._splitters_restored = False

    def restore(self) -> None:
        window = self.window
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(1280, 760)
        # restoreGeometry carries the maximised state, but not on every platform and
        # window manager (X11 without one, some Windows DPI changes): say it ourselves
        self._start_maximized = _flag(self.settings.qsettings.value("window/maximized"))
        if self._start_maximized:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        self._splitters_restored = False
        for splitter in self._splitters():
            state = self.settings.bytes_value(f"splitters/{splitter.objectName()}")
            if state is not None and splitter.restoreState(state):
                self._splitters_restored = True

    def _splitters(self) -> tuple:
        return (self.splitter, self.left, self.bilag_split)

    def showing(self) -> None:
        """The window is about to show (its showEvent): maximised as it was left, and
        on a first start splitter shares that fit the screen."""
        window = self.window
        if self._start_maximized and not window.isMaximized():
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        self._start_maximized = False
        if not self._splitters_restored:  # first start: shares that fit the screen
            width = window.width()
            left = max(240, int(width * 0.18))
            middle = (width - left) // 2
            self.splitter.setSizes([left, middle, width - left - middle])
            self.left.setSizes([window.height() // 2, window.height() // 2])
            self.bilag_split.setSizes([140, max(200, window.height() - 420)])
            self._splitters_restored = True

    def save(self) -> None:
        settings = self.settings
        settings.set_bytes("window/geometry", QByteArray(self.window.saveGeometry()))
        settings.qsettings.setValue("window/maximized", self.window.isMaximized())
        for splitter in self._splitters():
            settings.set_bytes(
                f"splitters/{splitter.objectName()}", QByteArray(splitter.saveState())
            )
        self._save_selection()
        settings.sync()

    # -- the selected meeting and item -------------------------------------------------------
    def _save_selection(self) -> None:
        """The meeting and item shown, for the workspace they belong to (ids are only
        meaningful in their own workspace file)."""
        path, session = self.controller.workspace_path, self.controller.session
        if path is None or session is None:
            return
        values = self.settings.qsettings
        values.setValue("selection/workspace", str(Path(path).resolve()))
        values.setValue("selection/meeting", session.meeting.id)
        values.setValue("selection/item", self.agenda_view.current_item_id() or "")

    def remembered_selection(self) -> tuple[MeetingId | None, ItemId | None]:
        """The meeting and item selected when this workspace was last shown."""
        values = self.settings.qsettings
        path = self.controller.workspace_path
        if path is None or values.value("selection/workspace") != str(Path(path).resolve()):
            return None, None
        try:
            meeting = MeetingId(int(values.value("selection/meeting")))
        except (TypeError, ValueError):
            return None, None
        item = str(values.value("selection/item") or "")
        return meeting, ItemId(item) if item else None


def _flag(value: object) -> bool:
    """A QSettings bool: IniFormat gives it back as the string "true"."""
    return value is True or str(value).lower() == "true"
