"""The export dialog's progress: the file being made of how many, and the bilag in it.

The labels show a file or bilag name of any length: they elide it in the middle to the
width they have (the whole name in the tooltip), never clip it or widen the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import _


class ElidedLabel(QLabel):
    """One line of plain text, elided to the label's width; ``text()`` is the whole."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self.setToolTip(text if text.strip() else "")

    def minimumSizeHint(self) -> QSize:
        # no minimum width: a long name must not make the dialog wider than the screen
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(0, super().sizeHint().height())

    def displayed_text(self) -> str:
        """The text as painted: the whole, or elided in the middle to fit."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, width)

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.displayed_text(),
            self.foregroundRole(),
        )


class ExportProgress(QWidget):
    """Overall progress (files) and the current file's progress (bilag)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.overall_label = ElidedLabel(" ")
        self.overall = QProgressBar()
        self.overall.setTextVisible(True)
        self.overall.setFormat(_("All files: %p%"))
        self.current_label = ElidedLabel(" ")
        self.current = QProgressBar()
        self.current.setFormat(_("This file: %p%"))
        for widget in (self.overall_label, self.overall, self.current_label, self.current):
            layout.addWidget(widget)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._stage_index, self._stage_count = 0, 1

    def reset(self) -> None:
        self.overall.setRange(0, 1)
        self.overall.setValue(0)
        self.current.setRange(0, 1)
        self.current.setValue(0)
        self.current_label.setText(" ")

    def begin(self, count: int) -> None:
        self.overall_label.setStyleSheet("")  # a failure shown before is over
        self._stage_index, self._stage_count = 0, max(count, 1)
        self.overall.setRange(0, self._stage_count * 100)
        self.overall.setValue(0)
        self.current.setRange(0, 0)

    def stage(self, index: int, count: int, label: str) -> None:
        """The worker starts on file ``index`` of ``count``, named ``label``."""
        self._stage_index, self._stage_count = index, max(count, 1)
        self.overall.setRange(0, self._stage_count * 100)
        self.overall.setValue(index * 100)
        if index < count:
            self.overall_label.setText(
                _("File %(n)d of %(count)d: %(name)s")
                % {"n": index + 1, "count": count, "name": label}
            )
        self.current.setRange(0, 0)

    def progressed(self, done: int, total: int, label: str) -> None:
        """Within the current file: ``done`` of ``total`` (bilag), at ``label``."""
        self.current.setRange(0, max(total, 1))
        self.current.setValue(done)
        self.current_label.setText(label)
        # overall: the files done so far plus this file's share
        self.overall.setValue(self._stage_index * 100 + (100 * done) // max(total, 1))

    def finish(self, text: str) -> None:
        self.overall.setValue(self.overall.maximum())
        self.current.setRange(0, 1)
        self.current.setValue(1)
        self.overall_label.setText(text)
        self.current_label.setText(" ")

    def stop(self, text: str) -> None:
        self.overall_label.setText(text)
        self.current_label.setText(" ")

    def fail(self, text: str) -> None:
        """The export failed: ``text`` in red, where "Done" would have been."""
        self.stop(text)
        self.overall_label.setStyleSheet(f"color: {FAILURE_COLOR}")


#: red that reads on a light and a dark background alike
FAILURE_COLOR = "#c62828"


def fixed_height_area(label: QLabel, lines: int) -> QScrollArea:
    """``label`` (wrapped) in an area ``lines`` lines high that scrolls when the text is
    longer: text that grows as the user works must not move the widgets around it."""
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    area = QScrollArea()
    area.setWidget(label)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # the text on the dialog's own background, as a label is (setWidget fills it)
    area.viewport().setAutoFillBackground(False)
    label.setAutoFillBackground(False)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFixedHeight(lines * label.fontMetrics().lineSpacing() + 6)
    area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return area
