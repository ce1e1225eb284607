"""File → Gendan sikkerhedskopi: the workspace's daily backups by date, newest first.

Restoring replaces the workspace file (``storage.backup.restore_backup`` backs up the
current file first, so a restore can itself be undone); the window closes its connection
before and reopens the workspace after.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agenda.formatting import clock, long_date
from gui.i18n import _


def backup_label(backup) -> str:  # type: ignore[no-untyped-def]
    """``mandag den 23. november 2026, kl. 09.00``: when the copy was taken."""
    return f"{long_date(backup.taken)}, kl. {clock(backup.taken)}"


class RestoreDialog(QDialog):
    def __init__(self, backups: list, workspace_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups = backups
        self.setWindowTitle(_("Restore backup"))
        layout = QVBoxLayout(self)
        text = QLabel(
            _(
                "Choose the backup of %(name)s to restore. The workspace as it is now is "
                "backed up first, so you can go back to it."
            )
            % {"name": workspace_name}
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget()
        for backup in backups:
            item = QListWidgetItem(backup_label(backup))
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        if backups:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        if not backups:
            layout.addWidget(QLabel(_("There are no backups of this workspace yet.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(
            _("Restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(bool(backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def chosen(self):  # type: ignore[no-untyped-def]
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None
