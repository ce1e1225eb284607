"""A preview of one bilag as PDF (QtPdf), built the first time a bilag is shown."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from gui.i18n import _


class PreviewPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: palette(mid); padding: 12px")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._buffer: QBuffer | None = None
        self.show_message(_("Choose an attachment to see it here."))

    def show_message(self, text: str) -> None:
        self.document.close()
        self._buffer = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_pdf(self, pdf: bytes, name: str) -> bool:
        """Show ``pdf``; a broken one gives a message in the panel, not an error box."""
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer  # QPdfDocument reads from it while it shows pages
        self.document.load(buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() == 0:
            self.show_message(
                _("%(name)s cannot be shown: the PDF is damaged or protected.") % {"name": name}
            )
            return False
        self.stack.setCurrentWidget(self.view)
        return True

    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.stack.currentWidget() is self.view else 0
