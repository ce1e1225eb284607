"""What the window remembers between starts (QSettings, UI state only: STYLE rule 13):
its size and place, whether it was maximised, the splitters, and the meeting and item
that were selected in the workspace last shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt

from agenda.model import ItemId, MeetingId


class WindowStateMixin:
    """Mixed into MainWindow (mixins first in the bases: STYLE rule 12)."""

    def _restore_state(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 760)
        # restoreGeometry carries the maximised state, but not on every platform and
        # window manager (X11 without one, some Windows DPI changes): say it ourselves
        self._start_maximized = _flag(self.settings.qsettings.value("window/maximized"))
        if self._start_maximized:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        self._splitters_restored = False
        for splitter in self._splitters():
            state = self.settings.bytes_value(f"splitters/{splitter.objectName()}")
            if state is not None and splitter.restoreState(state):
                self._splitters_restored = True

    def _splitters(self) -> tuple:
        return (self.splitter, self.left, self.item_editor.bilag_split)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._start_maximized and not self.isMaximized():
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        self._start_maximized = False
        if not self._splitters_restored:  # first start: shares that fit the screen
            width = self.width()
            left = max(240, int(width * 0.18))
            middle = (width - left) // 2
            self.splitter.setSizes([left, middle, width - left - middle])
            self.left.setSizes([self.height() // 2, self.height() // 2])
            self.item_editor.bilag_split.setSizes([140, max(200, self.height() - 420)])
            self._splitters_restored = True
        super().showEvent(event)

    def save_state(self) -> None:
        settings = self.settings
        settings.set_bytes("window/geometry", QByteArray(self.saveGeometry()))
        settings.qsettings.setValue("window/maximized", self.isMaximized())
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
        if self.workspace_path is None or self.session is None:
            return
        values = self.settings.qsettings
        values.setValue("selection/workspace", str(Path(self.workspace_path).resolve()))
        values.setValue("selection/meeting", self.session.meeting.id)
        values.setValue("selection/item", self.agenda_view.current_item_id() or "")

    def _remembered_selection(self) -> tuple[MeetingId | None, ItemId | None]:
        """The meeting and item selected when this workspace was last shown."""
        values = self.settings.qsettings
        if self.workspace_path is None or values.value("selection/workspace") != str(
            Path(self.workspace_path).resolve()
        ):
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
