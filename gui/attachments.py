"""The bilag of one case: a list model with drag reorder and file drops, and its panel.

The model never edits: renames, reorders and drops become requests that the item
editor turns into undoable operations.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agenda.errors import UserFacingError
from agenda.model import Attachment, AttachmentId, looks_like_pdf
from gui.i18n import _
from gui.model_index import ROOT, Index
from gui.resources import icon

ATTACHMENT_MIME = "application/x-kkr-attachment"
AttachmentIdRole = Qt.ItemDataRole.UserRole + 1
MAX_SIZE = 500 * 1024 * 1024


def read_attachment_file(path: Path) -> tuple[bytes, str, str]:
    """(bytes, file name, media type) of a file the user wants to attach.

    Raises ``UserFacingError`` for what a user can fix: a missing file, a folder, an
    empty or unreadable file, a ".pdf" that is not a PDF.
    """
    path = Path(path)
    if not path.exists():
        raise UserFacingError(
            _("The file %(name)s no longer exists in %(folder)s. Check the name and try again.")
            % {"name": path.name, "folder": path.parent},
            path=str(path),
        )
    if path.is_dir():
        raise UserFacingError(
            _("%(name)s is a folder. Choose the files inside it instead.") % {"name": path.name},
            path=str(path),
        )
    try:
        size = path.stat().st_size
        if size > MAX_SIZE:
            raise UserFacingError(
                _("%(name)s is larger than 500 MB and cannot be attached.") % {"name": path.name},
                path=str(path),
            )
        data = path.read_bytes()
    except OSError as error:
        raise UserFacingError(
            _("%(name)s could not be read (%(reason)s). Close it in other programs and try again.")
            % {"name": path.name, "reason": error.strerror or error},
            path=str(path),
        ) from error
    if not data:
        raise UserFacingError(
            _("%(name)s is empty. Choose the file with the content.") % {"name": path.name},
            path=str(path),
        )
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() == ".pdf" and not looks_like_pdf(data):
        raise UserFacingError(
            _(
                "%(name)s is called .pdf but is not a PDF file. Save it as PDF again from "
                "the program that made it, and attach that."
            )
            % {"name": path.name},
            path=str(path),
        )
    return data, path.name, media_type


def title_from_file_name(file_name: str) -> str:
    stem = Path(file_name).stem.replace("_", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else file_name


class AttachmentListModel(QAbstractListModel):
    rename_requested = Signal(str, str)  # attachment id, new title
    reorder_requested = Signal(tuple)  # the attachment ids in their new order
    files_dropped = Signal(list)  # list[Path]

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._attachments: tuple[Attachment, ...] = ()

    def set_attachments(self, attachments: tuple[Attachment, ...]) -> None:
        if [a.id for a in attachments] == [a.id for a in self._attachments]:
            self._attachments = attachments
            if attachments:
                self.dataChanged.emit(self.index(0), self.index(len(attachments) - 1))
            return
        self.beginResetModel()
        self._attachments = attachments
        self.endResetModel()

    def attachment(self, row: int) -> Attachment:
        return self._attachments[row]

    def row_of(self, attachment_id: AttachmentId) -> int:
        return next((r for r, a in enumerate(self._attachments) if a.id == attachment_id), -1)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._attachments)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        attachment = self._attachments[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "  " + _("(confidential)") if attachment.confidential else ""
            return f"{index.row() + 1}. {attachment.title}{mark}"
        if role == Qt.ItemDataRole.EditRole:
            return attachment.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{attachment.file_name} · {_human_size(attachment.size)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return icon("confidential" if attachment.confidential else "attachment")
        if role == AttachmentIdRole:
            return attachment.id
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # type: ignore[no-untyped-def]
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        title = str(value).strip()
        attachment = self._attachments[index.row()]
        if not title or title == attachment.title:
            return False
        self.rename_requested.emit(attachment.id, title)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ATTACHMENT_MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:  # type: ignore[no-untyped-def]
        data = QMimeData()
        for index in indexes:
            if index.isValid():
                data.setData(
                    ATTACHMENT_MIME, QByteArray(self._attachments[index.row()].id.encode())
                )
                break
        return data

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]
        return data.hasFormat(ATTACHMENT_MIME) or data.hasUrls()

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]
        if data.hasUrls():
            paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
            if paths:
                self.files_dropped.emit(paths)
            return False
        if not data.hasFormat(ATTACHMENT_MIME):
            return False
        moved = bytes(data.data(ATTACHMENT_MIME).data()).decode()
        ids = [a.id for a in self._attachments]
        if moved not in ids:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(ids))
        old = ids.index(moved)
        ids.pop(old)
        if old < target:
            target -= 1
        ids.insert(max(0, min(target, len(ids))), AttachmentId(moved))
        if ids != [a.id for a in self._attachments]:
            self.reorder_requested.emit(tuple(ids))
        return False  # the reorder is done by the operation, not by the view


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


class AttachmentPanel(QWidget):
    """The bilag list with its buttons. Files can be dropped on it from the file manager."""

    add_requested = Signal()
    remove_requested = Signal(str)
    confidential_toggled = Signal(str)
    open_requested = Signal(str)
    current_changed = Signal(object)  # Attachment or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AttachmentListModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setIconSize(QSize(16, 16))
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDragEnabled(True)
        self.list.setAcceptDrops(True)
        self.list.setDropIndicatorShown(True)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.list.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._after_reset)
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add …"))
        self.rename_button = QPushButton(_("Rename"))
        self.confidential_button = QPushButton(_("Confidential"))
        self.confidential_button.setCheckable(True)
        self.open_button = QPushButton(_("Open"))
        self.remove_button = QPushButton(_("Remove"))
        for button in (
            self.add_button,
            self.rename_button,
            self.confidential_button,
            self.open_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        #: a held meeting's bilag are a record: shown and opened, never changed
        self.locked = False
        self.add_button.clicked.connect(self.add_requested)
        self.rename_button.clicked.connect(self._rename)
        self.confidential_button.clicked.connect(self._toggle_confidential)
        self.open_button.clicked.connect(self._open)
        self.remove_button.clicked.connect(self._remove)
        self._update_buttons()

    def current(self) -> Attachment | None:
        index = self.list.currentIndex()
        return self.model.attachment(index.row()) if index.isValid() else None

    def select(self, attachment_id: AttachmentId) -> None:
        row = self.model.row_of(attachment_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def _after_reset(self) -> None:
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))
        else:
            self.current_changed.emit(None)
        self._update_buttons()

    def _current_changed(self, *_: object) -> None:
        self._update_buttons()
        self.current_changed.emit(self.current())

    def _update_buttons(self) -> None:
        current = self.current()
        for button in (
            self.rename_button,
            self.confidential_button,
            self.open_button,
            self.remove_button,
        ):
            button.setEnabled(current is not None)
        if self.locked:
            for button in (
                self.add_button,
                self.rename_button,
                self.confidential_button,
                self.remove_button,
            ):
                button.setEnabled(False)
        else:
            self.add_button.setEnabled(True)
        self.confidential_button.setChecked(bool(current and current.confidential))

    def set_locked(self, locked: bool) -> None:
        """Read-only (a held meeting): bilag are shown and opened, not changed."""
        self.locked = locked
        self.list.setAcceptDrops(not locked)
        self.list.setDragEnabled(not locked)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if locked
            else QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self._update_buttons()

    def _rename(self) -> None:
        if self.list.currentIndex().isValid():
            self.list.edit(self.list.currentIndex())

    def _toggle_confidential(self) -> None:
        current = self.current()
        if current is not None:
            self.confidential_toggled.emit(current.id)

    def _open(self) -> None:
        current = self.current()
        if current is not None:
            self.open_requested.emit(current.id)

    def _remove(self) -> None:
        current = self.current()
        if current is not None:
            self.remove_requested.emit(current.id)
