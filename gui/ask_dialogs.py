"""The small dialogs that ask for a name: "Ny sag", "Nyt afsnit", "Omdøb afsnit".

Qt's QInputDialog.getText sized itself to its one line of text, so the title bar cut
"Ny sag" short; these have a minimum width. "Ny sag" asks for the kind too, proposing
the kind the section the case goes into is named for (a case put under
"Orienteringssager" is an Orienteringssag unless the user says otherwise).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agenda.model import ItemKind
from gui.i18n import _
from gui.resources import icon

CASE_KINDS = (ItemKind.DECISION, ItemKind.INFORMATION, ItemKind.DISCUSSION, ItemKind.THEME)
#: Wide enough for a long name, and for the dialog's title in any title bar.
MIN_WIDTH = 460


class NewCaseDialog(QDialog):
    def __init__(
        self, parent: QWidget | None = None, kind: ItemKind = ItemKind.DECISION, where: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New case"))
        layout = QVBoxLayout(self)
        if where:
            note = QLabel(_("The case is put on the agenda in %(section)s.") % {"section": where})
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setPlaceholderText(_("e.g. Evaluation of the regional business hubs"))
        form.addRow(_("Title"), self.title)
        self.kind = QComboBox()
        for choice in CASE_KINDS:
            self.kind.addItem(icon(f"kind-{choice.value}"), choice.label, choice)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        form.addRow(_("Kind"), self.kind)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Create case"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.title.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.ok.setEnabled(False)
        # room for a long case title, and for the window title in any title bar
        metrics = self.fontMetrics()
        self.setMinimumWidth(max(MIN_WIDTH, metrics.horizontalAdvance("x" * 60)))
        self.title.setFocus()

    def chosen(self) -> tuple[str, ItemKind]:
        return self.title.text().strip(), self.kind.currentData()


def ask_new_case(
    parent: QWidget | None, kind: ItemKind = ItemKind.DECISION, where: str = ""
) -> tuple[str, ItemKind] | None:
    """The title and kind of a new case, or None when the user cancels."""
    dialog = NewCaseDialog(parent, kind, where)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    title, chosen = dialog.chosen()
    return (title, chosen) if title else None


class TextDialog(QDialog):
    """One line of text under a label (QInputDialog's layout overrides a minimum width)."""

    def __init__(self, parent: QWidget | None, title: str, label: str, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label))
        self.text = QLineEdit(text)
        self.text.selectAll()
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(MIN_WIDTH)


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text (stripped), or None when the user cancels or leaves it empty."""
    dialog = TextDialog(parent, title, label, text)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text.text().strip() or None
