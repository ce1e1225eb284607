"""The "Ny sag" dialog: the new case's title and kind, wide enough to read.

Qt's QInputDialog sized itself to its one line of text, so the title bar cut "Ny sag"
short; this one has a minimum size, and asks for the kind too, proposing the kind the
section the case goes into is named for (a case put under "Orienteringssager" is an
Orienteringssag unless the user says otherwise).
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
        self.setMinimumWidth(max(460, metrics.horizontalAdvance("x" * 60)))
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
