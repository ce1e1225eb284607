"""File → Importér møde, when the workspace already has the meeting: a clear choice.

Cancel is the default (Enter and Escape): nothing is imported. "Vis det eksisterende
møde" selects that meeting; "Importér som nyt møde" imports the file as a new meeting
beside it, leaving the existing one (its decisions, its cases, its body) unchanged.
"""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget

from agenda.errors import DuplicateMeetingError
from gui.i18n import _


class ImportChoice(enum.Enum):
    CANCEL = "cancel"
    SHOW_EXISTING = "show-existing"
    AS_NEW = "as-new"


class DuplicateImportBox(QMessageBox):
    def __init__(self, duplicate: DuplicateMeetingError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(_("The meeting is already in the workspace"))
        self.setText(duplicate.situation)
        self.setInformativeText(
            _(
                "Import the file as a new meeting beside it? The existing meeting is not "
                "changed, nor the cases on it."
            )
        )
        self.as_new_button = self.addButton(
            _("Import as a new meeting"), QMessageBox.ButtonRole.AcceptRole
        )
        self.show_button = self.addButton(
            _("Show the existing meeting"), QMessageBox.ButtonRole.ActionRole
        )
        self.cancel_button = self.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)

    def choice(self) -> ImportChoice:
        """What the user chose; closing the box any other way is Cancel."""
        clicked = self.clickedButton()
        if clicked is not None and clicked == self.as_new_button:
            return ImportChoice.AS_NEW
        if clicked is not None and clicked == self.show_button:
            return ImportChoice.SHOW_EXISTING
        return ImportChoice.CANCEL


def ask_about_duplicate(duplicate: DuplicateMeetingError, parent: QWidget | None) -> ImportChoice:
    box = DuplicateImportBox(duplicate, parent)
    box.exec()
    return box.choice()
