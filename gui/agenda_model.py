"""The agenda as a tree model: sections, then their items (STYLE rule 9).

The model never edits the agenda itself. A drop asks for a move (or for a case to be
added) through a signal; the session applies the domain operation, saves, and hands
the new agenda back through ``set_agenda``, which tells the views only what changed
(a move is a layout change, so selection and scroll position survive it).
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from agenda.model import Agenda, AgendaItem, ItemId, NumberingStyle
from agenda.numbering import item_numbers
from gui.i18n import _, ngettext
from gui.model_index import ROOT, Index
from gui.resources import icon

ITEM_MIME = "application/x-kkr-agenda-item"
CASE_MIME = "application/x-kkr-case"
ItemIdRole = Qt.ItemDataRole.UserRole + 1

_SECTION = 0  # internalId of section rows; items carry their section's row + 1


class Column(IntEnum):
    NUMBER = 0
    KIND = 1
    TITLE = 2
    CLOSED = 3
    ATTACHMENTS = 4


class AgendaModel(QAbstractItemModel):
    item_move_requested = Signal(str, int, int)  # item id, section, position after removal
    case_drop_requested = Signal(int, int, int)  # case id, section, position

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._agenda = Agenda()
        self._style = NumberingStyle.SECTION
        self._numbers: dict[ItemId, str] = {}
        self._headers = {
            Column.NUMBER: _("No."),
            Column.KIND: _("Kind"),
            Column.TITLE: _("Title"),
            Column.CLOSED: _("Closed"),
            Column.ATTACHMENTS: _("Attachments"),
        }
        self._bold = QFont()
        self._bold.setBold(True)
        #: items changed since the agenda was sent: their line ("Ændret: Titel, …")
        self._changed: dict[ItemId, str] = {}

    # -- feeding ---------------------------------------------------------------------
    @property
    def agenda(self) -> Agenda:
        return self._agenda

    def set_agenda(self, agenda: Agenda, style: NumberingStyle) -> None:
        """Show ``agenda``; tell the views as little as describes the change."""
        old = self._agenda
        shape_old = [(s.id, [i.id for i in s.items]) for s in old.sections]
        shape_new = [(s.id, [i.id for i in s.items]) for s in agenda.sections]
        if shape_old == shape_new and style is self._style:
            self._agenda = agenda
            if self.rowCount():
                self._emit_all_changed()
            return
        same_members = sorted(i.id for i in old.items()) == sorted(
            i.id for i in agenda.items()
        ) and [s.id for s in old.sections] == [s.id for s in agenda.sections]
        if same_members:
            self._relayout(agenda, style)
            return
        self.beginResetModel()
        self._agenda, self._style = agenda, style
        self._numbers = item_numbers(agenda, style)
        self.endResetModel()

    def _relayout(self, agenda: Agenda, style: NumberingStyle) -> None:
        """Items moved: a layout change that keeps persistent indexes on their items."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        keys = [self._key(QModelIndex(p)) for p in persistent]
        self._agenda, self._style = agenda, style
        self._numbers = item_numbers(agenda, style)
        new = [
            self._index_for_key(key, p.column()) for key, p in zip(keys, persistent, strict=True)
        ]
        self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    def _key(self, index: QModelIndex) -> tuple[str, str] | None:
        if not index.isValid():
            return None
        if index.internalId() == _SECTION:
            return ("section", self._agenda.sections[index.row()].id)
        return ("item", self.item_at(index).id)

    def _index_for_key(self, key: tuple[str, str] | None, column: int) -> QModelIndex:
        if key is None:
            return QModelIndex()
        kind, ident = key
        if kind == "section":
            for row, section in enumerate(self._agenda.sections):
                if section.id == ident:
                    return self.createIndex(row, column, _SECTION)
            return QModelIndex()
        return self.index_of_item(ItemId(ident), column)

    def _emit_all_changed(self) -> None:
        last = Column.ATTACHMENTS
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, last))
        for row in range(self.rowCount()):
            parent = self.index(row, 0)
            count = self.rowCount(parent)
            if count:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(count - 1, last, parent))

    def set_changes(self, lines: dict[ItemId, str]) -> None:
        """Mark the items changed since sending (``lines``: each one's change line;
        empty for a meeting never sent)."""
        if lines == self._changed:
            return
        self._changed = dict(lines)
        if self.rowCount():
            self._emit_all_changed()

    def change_line(self, item_id: ItemId) -> str:
        return self._changed.get(item_id, "")

    # -- lookup --------------------------------------------------------------------------
    def item_at(self, index: Index) -> AgendaItem | None:
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        section = self._agenda.sections[index.internalId() - 1]
        return section.items[index.row()]

    def section_row(self, index: Index) -> int | None:
        """The section an index is in (its own row for a section row)."""
        if not index.isValid():
            return None
        return index.row() if index.internalId() == _SECTION else index.internalId() - 1

    def index_of_item(self, item_id: ItemId, column: int = 0) -> QModelIndex:
        try:
            s, p = self._agenda.find(item_id)
        except KeyError:
            return QModelIndex()
        return self.createIndex(p, column, s + 1)

    def number(self, item_id: ItemId) -> str:
        return self._numbers.get(item_id, "")

    # -- the QAbstractItemModel contract ------------------------------------------------
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _SECTION)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _SECTION)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self._agenda.sections)
        if parent.internalId() == _SECTION and parent.column() == 0:
            return len(self._agenda.sections[parent.row()].items)
        return 0

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):  # type: ignore[no-untyped-def]
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if section == Column.CLOSED:  # a padlock, not a word: the title gets the room
            if role == Qt.ItemDataRole.DecorationRole:
                return icon("padlock")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._headers[Column.CLOSED]
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        if index.internalId() == _SECTION:
            return self._section_data(index, role)
        item = self.item_at(index)
        assert item is not None
        column = index.column()
        if role == ItemIdRole:
            return item.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.NUMBER:
                return self._numbers.get(item.id, "")
            if column == Column.KIND:
                return item.kind.label
            if column == Column.TITLE:
                return item.title
            if column == Column.ATTACHMENTS:
                count = len(item.attachments)
                return str(count) if count else ""
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if column == Column.KIND:
                return icon(f"kind-{item.kind.value}")
            if column == Column.CLOSED and item.closed:
                return icon("padlock")
            if column == Column.ATTACHMENTS and item.attachments:
                return icon("attachment")
            if column == Column.TITLE and item.id in self._changed:
                return icon("changed")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.CLOSED and item.closed:
                return _("Closed item: left out of everything that is published")
            if column == Column.ATTACHMENTS:
                n = len(item.attachments)
                return ngettext("%(n)d attachment", "%(n)d attachments", n) % {"n": n}
            heading = item.heading(self._numbers.get(item.id, ""))
            if item.id in self._changed:
                heading += "\n" + _("Since sending: %(line)s") % {"line": self._changed[item.id]}
            return heading
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and item.id in self._changed:
            return self._changed[item.id]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.ATTACHMENTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _section_data(self, index: Index, role: int):  # type: ignore[no-untyped-def]
        section = self._agenda.sections[index.row()]
        if role == Qt.ItemDataRole.DisplayRole and index.column() == Column.NUMBER:
            if self._style is NumberingStyle.SECTION:
                return f"{index.row() + 1}  {section.name}"
            return section.name
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.DecorationRole and index.column() == Column.NUMBER:
            return icon("section")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() == _SECTION:
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled

    # -- drag and drop ---------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME, CASE_MIME]

    def mimeData(self, indexes) -> QMimeData:  # type: ignore[no-untyped-def]
        data = QMimeData()
        for index in indexes:
            item = self.item_at(index)
            if item is not None:
                data.setData(ITEM_MIME, QByteArray(item.id.encode()))
                break
        return data

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]
        return bool(self._agenda.sections) and (
            data.hasFormat(ITEM_MIME) or data.hasFormat(CASE_MIME)
        )

    def drop_target(self, row: int, parent: Index) -> tuple[int, int]:
        """(section, position) for a drop at ``row`` under ``parent`` as Qt reports it."""
        if not parent.isValid():  # between sections: the end of the one above
            s = max(0, (row if row >= 0 else len(self._agenda.sections)) - 1)
            return s, len(self._agenda.sections[s].items)
        if parent.internalId() == _SECTION:  # on a section, or between its items
            s = parent.row()
            return s, row if row >= 0 else len(self._agenda.sections[s].items)
        return parent.internalId() - 1, parent.row()  # on an item: take its place

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        section, position = self.drop_target(row, parent)
        if data.hasFormat(ITEM_MIME):
            item_id = ItemId(bytes(data.data(ITEM_MIME).data()).decode())
            try:
                s, p = self._agenda.find(item_id)
            except KeyError:
                return False
            if s == section and p < position:
                position -= 1  # MoveItem counts positions after removal
            if (s, p) != (section, position):
                self.item_move_requested.emit(item_id, section, position)
            # False: the view must not remove the dragged row itself; the move did it
            return False
        case_id = int(bytes(data.data(CASE_MIME).data()).decode())
        self.case_drop_requested.emit(case_id, section, position)
        return False
