"""The panel "Ændringer siden udsendelse": what changed since the agenda was last sent
(issue 14), one line per change (``agenda.change_notes.describe``), read again after
every edit. Clicking a line shows its item. Hidden while the meeting was never sent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from agenda.change_notes import by_item, describe, item_line
from agenda.model import ItemId
from app import identity
from app.supplements import SinceSent
from gui.i18n import _


def item_lines(since: SinceSent | None) -> dict[ItemId, str]:
    """Each changed item's line ("Ændret: Titel, Bilag 2 erstattet"), for the marks."""
    if since is None:
        return {}
    return {item: item_line(own) for item, own in by_item(since.changes).items()}


class ChangesPanel(QWidget):
    item_activated = Signal(object)  # the ItemId of a clicked change

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName(_("Changes since sending"))
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout.addWidget(self.list)
        self.setMaximumHeight(170)
        self.setVisible(False)

    def lines(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def show_changes(self, since: SinceSent | None) -> None:
        """The changes since the last sending; hidden for a meeting never sent."""
        self.list.clear()
        self.setVisible(since is not None)
        if since is None:
            return
        when = f"{identity.shown(since.version.at):%d.%m.%Y %H:%M}"
        self.title.setText(_("Changes since sending (%(when)s)") % {"when": when})
        for change in since.changes:
            line = QListWidgetItem(describe(change))
            line.setData(Qt.ItemDataRole.UserRole, change.item)
            self.list.addItem(line)
        if not since.changes:
            none = QListWidgetItem(_("No changes: the agenda is as sent."))
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(none)

    def _activated(self, line: QListWidgetItem) -> None:
        item = line.data(Qt.ItemDataRole.UserRole)
        if item is not None:
            self.item_activated.emit(ItemId(item))
