"""What a new, empty workspace shows instead of an empty agenda: what the program is for
and the three ways to begin (a new meeting, an imported one, or the demo to look around)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.i18n import _


class WelcomePanel(QWidget):
    create_meeting = Signal()
    import_meeting = Signal()
    open_demo = Signal()

    def __init__(self, parent: QWidget | None = None, *, demo_available: bool = True) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        column = QWidget()
        # a readable line length and buttons of a button's width on a wide screen
        column.setMaximumWidth(column.fontMetrics().horizontalAdvance("x") * 80)
        outer.addWidget(column, 1)
        outer.addStretch(0)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        heading = QLabel(_("Welcome to KKR Dagsorden"))
        heading.setStyleSheet("font-size: 16pt; font-weight: bold")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        text = QLabel(
            _(
                "Here you prepare the KKR's meetings: you keep the cases with their "
                "attachments, build the agenda from them, and make the agenda, the minutes "
                "and the bilagspakke as Word and PDF, in a complete and a public edition."
            )
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(text)
        layout.addSpacing(12)
        self.create_button = QPushButton(_("Create a meeting"))
        self.import_button = QPushButton(_("Import a meeting …"))
        self.demo_button = QPushButton(_("Open the demo workspace"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_meeting)
        self.import_button.clicked.connect(self.import_meeting)
        self.demo_button.clicked.connect(self.open_demo)
        self.demo_button.setVisible(demo_available)
        for button in (self.create_button, self.import_button, self.demo_button):
            button.setMinimumHeight(button.sizeHint().height() + 8)
            layout.addWidget(button)
        hint = QLabel(
            _(
                "The demo workspace is a separate file with made-up meetings; "
                "your own workspace stays empty until you use it."
            )
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        hint.setVisible(demo_available)
        layout.addWidget(hint)
        layout.addStretch(2)
