"""The agenda tree: sections expanded, items draggable, keyboard moves in the window."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from agenda.model import ItemId
from gui.agenda_model import AgendaModel, Column


class AgendaView(QTreeView):
    item_selected = Signal(object)  # ItemId or None
    item_activated = Signal(str)

    def __init__(self, model: AgendaModel, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.agenda_model = model
        self.setModel(model)
        self.setUniformRowHeights(True)
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
        for column in (Column.CLOSED, Column.ATTACHMENTS):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            header.resizeSection(column, max(48, metrics.horizontalAdvance(title) + 20))
        model.modelReset.connect(self._after_reset)
        model.rowsInserted.connect(self._span_sections)
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        self.activated.connect(self._activated)

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
