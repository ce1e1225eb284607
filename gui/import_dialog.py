"""File → Importér møde: a clear choice when the workspace already has the meeting, and
what the user must know after an import.

Cancel is the default (Enter and Escape): nothing is imported. "Vis det eksisterende
møde" selects that meeting; "Importér som nyt møde" imports the file as a new meeting
beside it, leaving the existing one (its decisions, its cases, its body) unchanged.

After an import, where the file differs from cases the workspace already has (whose
texts and bilag were kept, and whose bilag stay confidential), the user is told so.
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


#: How many notices the box lists itself; all of them are under "Vis detaljer".
NOTICES_SHOWN = 8


class ImportNoticesBox(QMessageBox):
    """The import is done, and the file differed from cases the workspace has."""

    def __init__(self, notices: list[str] | tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle(_("The meeting is imported"))
        self.setText(
            _(
                "The meeting is imported. Some of its cases were already in the workspace, "
                "and the file differs from them. The cases in the workspace are kept as they "
                "were; meetings sent or held are not changed."
            )
        )
        shown = [f"• {n}" for n in notices[:NOTICES_SHOWN]]
        if len(notices) > NOTICES_SHOWN:
            shown.append(
                _("… and %(count)d more (see the details).")
                % {"count": len(notices) - NOTICES_SHOWN}
            )
        self.setInformativeText("\n".join(shown))
        if len(notices) > NOTICES_SHOWN:
            self.setDetailedText("\n".join(notices))
        self.setStandardButtons(QMessageBox.StandardButton.Ok)


def show_import_notices(notices: tuple[str, ...], parent: QWidget | None) -> None:
    if notices:
        ImportNoticesBox(notices, parent).exec()
