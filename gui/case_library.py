"""The case library: search as you type, then add a case to the agenda (button,
double-click, or drag onto the agenda)."""

from __future__ import annotations

import re

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agenda.repository import SearchHit, WorkspaceRepository
from app.search import search
from gui.agenda_model import CASE_MIME
from gui.errors import guarded
from gui.i18n import _, ngettext
from gui.model_index import ROOT, Index
from gui.resources import icon

CaseIdRole = Qt.ItemDataRole.UserRole + 1


class SearchHitModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.reference}  {hit.title}" if hit.reference else hit.title
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole title, then where it matched
            heading = f"{hit.reference}  {hit.title}" if hit.reference else hit.title
            snippet = _strip_marks(hit.snippet)
            return f"{heading}\n{snippet}" if snippet and snippet != hit.title else heading
        if role == Qt.ItemDataRole.DecorationRole:
            return icon("case")
        if role == CaseIdRole:
            return hit.case_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [CASE_MIME]

    def mimeData(self, indexes) -> QMimeData:  # type: ignore[no-untyped-def]
        data = QMimeData()
        for index in indexes:
            if index.isValid():
                data.setData(CASE_MIME, QByteArray(str(self._hits[index.row()].case_id).encode()))
                break
        return data


def as_you_type(text: str) -> str:
    """The word being typed is a prefix ("kommun" finds "kommunale"); a finished word
    (followed by a space), a quoted phrase or an explicit ``*`` is left as typed. So is a
    first letter: its prefix has no index and would expand over every word that begins
    with it (seconds at 100,000 cases, on the UI thread), for results nobody reads."""
    stripped = text.strip()
    if not stripped or text.endswith((" ", "\t")) or stripped.endswith(('"', "*")):
        return stripped
    if len(re.sub(r"\W", "", stripped.split()[-1])) < 2:
        return stripped
    return stripped + "*"


def _strip_marks(snippet: str) -> str:
    for mark in ("<b>", "</b>", "[", "]"):
        snippet = snippet.replace(mark, "")
    return snippet


class CaseLibrary(QWidget):
    add_case_requested = Signal(int)  # case id
    new_case_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: WorkspaceRepository | None = None
        self.model = SearchHitModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Case library"))
        title.setStyleSheet("font-weight: bold")
        layout.addWidget(title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search cases: number, title or text …"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setDragEnabled(True)
        self.results.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        # titles wrap in the narrow library rather than being cut to a few words
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setIconSize(QSize(16, 16))
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.doubleClicked.connect(self._add_current)
        layout.addWidget(self.results)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: palette(dark)")
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add to agenda"))
        self.add_button.clicked.connect(self._add_current)
        self.new_button = QPushButton(_("New case …"))
        self.new_button.clicked.connect(self.new_case_requested)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.new_button)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # search when typing pauses, not on every key
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_search)

    def set_workspace(self, workspace: WorkspaceRepository | None) -> None:
        self.workspace = workspace
        self.search.clear()
        self.run_search()

    @guarded
    def run_search(self) -> None:
        self._timer.stop()
        query = self.search.text().strip()
        if not query or self.workspace is None:
            self.model.set_hits([])
            self.status.setText(_("Type to search the cases; drag one onto the agenda."))
            return
        hits = search(self.workspace, as_you_type(self.search.text()), 50)
        self.model.set_hits(hits)
        self.status.setText(
            _("No cases found")
            if not hits
            else ngettext("%(n)d case", "%(n)d cases", len(hits)) % {"n": len(hits)}
        )
        if hits:
            self.results.setCurrentIndex(self.model.index(0))

    def _add_current(self, *_args: object) -> None:
        index = self.results.currentIndex()
        if index.isValid():
            self.add_case_requested.emit(self.model.hit(index.row()).case_id)
