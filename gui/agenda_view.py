"""The agenda tree: sections expanded, items draggable, keyboard moves in the window."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

from agenda.model import ItemId
from gui.agenda_model import AgendaModel, Column

#: Room above and below a title, so the lines of wrapped titles stay apart row from row.
ROW_PADDING = 4


class WrappingDelegate(QStyledItemDelegate):
    """Asks for the rows a wrapped title needs at the title column's present width (a
    tree view measures rows without a width, which gives every title one line)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        width = self._view.header().sectionSize(index.column())
        measured = QStyleOptionViewItem(option)
        measured.rect = QRect(0, 0, width, 1)
        hint = super().sizeHint(measured, index)
        return QSize(min(hint.width(), width), hint.height() + ROW_PADDING)


class AgendaView(QTreeView):
    item_selected = Signal(object)  # ItemId or None
    item_activated = Signal(str)

    def __init__(self, model: AgendaModel, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.agenda_model = model
        self.setModel(model)
        # a title wraps onto more lines rather than being cut to a few words: the whole
        # title must be readable beside the editor on a 1366-pixel screen
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegateForColumn(Column.TITLE, WrappingDelegate(self))
        self.setAlternatingRowColors(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setIndentation(14)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NUMBER, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.KIND, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.CLOSED, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.ATTACHMENTS, QHeaderView.ResizeMode.Fixed)
        metrics = self.fontMetrics()
        header.resizeSection(Column.NUMBER, metrics.horizontalAdvance("00.00") + 34)
        header.resizeSection(Column.KIND, metrics.horizontalAdvance("Orienteringssag") + 34)
        # the closed column is headed by the padlock alone (its tooltip says "Lukket")
        header.resizeSection(Column.CLOSED, 30)
        title = str(model.headerData(Column.ATTACHMENTS, Qt.Orientation.Horizontal) or "")
        header.resizeSection(Column.ATTACHMENTS, max(44, metrics.horizontalAdvance(title) + 16))
        # wrapped rows take their height from the title column's width: lay out again
        header.sectionResized.connect(self._title_resized)
        model.modelReset.connect(self._after_reset)
        model.rowsInserted.connect(self._span_sections)
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        self.activated.connect(self._activated)

    def _title_resized(self, column: int, _old: int, _new: int) -> None:
        if column == Column.TITLE:
            self.scheduleDelayedItemsLayout()

    def _after_reset(self) -> None:
        self._span_sections()
        self.expandAll()

    def _span_sections(self, *_: object) -> None:
        for row in range(self.agenda_model.rowCount()):
            self.setFirstColumnSpanned(row, QModelIndex(), True)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.agenda_model.item_at(current)
        self.item_selected.emit(item.id if item else None)

    def _activated(self, index: QModelIndex) -> None:
        item = self.agenda_model.item_at(index)
        if item is not None:
            self.item_activated.emit(item.id)

    def current_item_id(self) -> ItemId | None:
        item = self.agenda_model.item_at(self.currentIndex())
        return item.id if item else None

    def select_item(self, item_id: ItemId) -> None:
        index = self.agenda_model.index_of_item(item_id)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)
