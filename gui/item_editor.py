"""Edit one agenda item and its case: fields, text sections, decision, bilag, preview.

Each change becomes a ``ReplaceItem`` (or ``ReorderAttachments``) through the session,
so it is saved at once and undoable. Typing is saved after a short pause, and undone a
word at a time (``gui.typing_undo`` decides where a step of typing ends).
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agenda.model import (
    DECISION_LABEL,
    AgendaItem,
    Case,
    ItemId,
    ItemKind,
    MeetingStatus,
    TextSection,
)
from agenda.operations import ReplaceItem, case_of, with_fields
from agenda.records import LOCKED
from gui.attachments import AttachmentPanel
from gui.errors import guarded
from gui.i18n import _
from gui.item_bilag import BilagEditingMixin
from gui.resources import icon
from gui.session import MeetingSession
from gui.settings import UiSettings
from gui.typing_undo import TypingSteps

if TYPE_CHECKING:
    from gui.workspace import SearchIndexer

DECISION = "decision"  # the key of the decision editor beside the TextSection values
FIELDS = "fields"  # the pending key of the title, case number and case officer fields


class ItemEditor(BilagEditingMixin, QWidget):
    attachment_shown = Signal(object)  # Attachment or None, after the preview updated
    typing_changed = Signal()  # typing began or was saved: what Fortryd would undo changed

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: UiSettings | None = None,
        search_indexer: SearchIndexer | None = None,
    ) -> None:
        super().__init__(parent)
        self.session: MeetingSession | None = None
        self.item_id: ItemId | None = None
        self.preview = None  # built on first use: QtPdf is the heaviest import
        self.settings = settings  # remembers the folder bilag were added from
        self.search_indexer = search_indexer  # makes added PDFs searchable
        self._pending: set[str] = set()
        self._conversion = None  # the preview's conversion task, kept alive
        self.steps = TypingSteps(self)
        self.steps.step_ended.connect(self.commit_pending)
        self._build()
        self.setEnabled(False)

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        self.heading = QLabel(_("Choose an item on the agenda"))
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        # why the fields cannot be edited (a held meeting): said, not just greyed out
        self.locked_note = QLabel()
        self.locked_note.setWordWrap(True)
        self.locked_note.setStyleSheet("color: palette(dark); font-style: italic;")
        self.locked_note.setVisible(False)
        layout.addWidget(self.locked_note)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit()
        form.addRow(_("Title"), self.title)
        self.kind = QComboBox()
        for kind in ItemKind:
            self.kind.addItem(icon(f"kind-{kind.value}"), kind.label, kind)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(_("e.g. 24/04521"))
        self.reference.setMaximumWidth(140)
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(QLabel(_("Case no.")))
        row.addWidget(self.reference)
        form.addRow(_("Kind"), row)
        self.officer = QLineEdit()
        self.closed = QCheckBox(_("Closed item (never published)"))
        row2 = QHBoxLayout()
        row2.addWidget(self.officer, 1)
        row2.addWidget(self.closed)
        form.addRow(_("Case officer"), row2)
        layout.addLayout(form)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # seven tabs must fit beside the agenda on a 1366-pixel screen
        self.tabs.tabBar().setStyleSheet(
            "QTabBar::tab { padding: 4px 6px; margin-right: 1px; border: 1px solid palette(mid);"
            " border-bottom: none; background: palette(button); }"
            "QTabBar::tab:selected { background: palette(base);"
            " border-top: 2px solid palette(highlight); }"
        )
        text_font = QFont(self.font())
        text_font.setPointSizeF(text_font.pointSizeF() * 1.1)
        self.texts: dict[str, QPlainTextEdit] = {}
        for key, label in [(s.value, s.label) for s in TextSection] + [(DECISION, DECISION_LABEL)]:
            editor = QPlainTextEdit()
            editor.setFont(text_font)
            editor.setTabChangesFocus(True)
            editor.textChanged.connect(lambda key=key, e=editor: self._text_edited(key, e))
            self.steps.watch(editor)
            self.texts[key] = editor
            self.tabs.addTab(editor, label)

        self.attachments = AttachmentPanel()
        self.bilag_split = QSplitter(Qt.Orientation.Vertical)
        self.bilag_split.setObjectName("bilagSplitter")
        self.bilag_split.addWidget(self.attachments)
        self.bilag_tab = self.tabs.addTab(self.bilag_split, _("Attachments"))
        layout.addWidget(self.tabs, 1)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(700)
        self._typing.timeout.connect(self.commit_pending)

        for field in (self.title, self.reference, self.officer):
            field.textEdited.connect(lambda _text, f=field: self._text_edited(FIELDS, f))
            field.editingFinished.connect(self._fields_edited)
            self.steps.watch(field)
        self.kind.activated.connect(self._fields_edited)
        self.closed.clicked.connect(self._fields_edited)
        panel = self.attachments
        panel.add_requested.connect(self.choose_files)
        panel.remove_requested.connect(self.remove_attachment)
        panel.confidential_toggled.connect(self.toggle_confidential)
        panel.open_requested.connect(self.open_attachment)
        panel.current_changed.connect(self.show_attachment)
        panel.model.rename_requested.connect(self.rename_attachment)
        panel.model.reorder_requested.connect(self.reorder_attachments)
        panel.model.files_dropped.connect(self.add_files)

    # -- feeding -------------------------------------------------------------------------
    def set_session(self, session: MeetingSession | None) -> None:
        self.end_typing()
        if self.session is not None:
            self.session.meeting_changed.disconnect(self._meeting_changed)
        self.session = session
        if session is not None:
            session.meeting_changed.connect(self._meeting_changed)
        self.show_item(None)

    def show_item(self, item_id: ItemId | None) -> None:
        self.end_typing()
        fresh = item_id != self.item_id
        self.item_id = item_id
        self._refresh(fresh=fresh)

    def current_item(self) -> AgendaItem | None:
        if self.session is None or self.item_id is None:
            return None
        try:
            return self.session.meeting.agenda.item(self.item_id)
        except KeyError:
            return None

    def _meeting_changed(self, _meeting: object) -> None:
        self._refresh()

    def _refresh(self, *, fresh: bool = False) -> None:
        """Show the item as saved; fields being typed in (pending) are left alone.
        ``fresh``: another item, so the text cursors start at the top."""
        item = self.current_item()
        self.setEnabled(item is not None)
        blockers = [
            QSignalBlocker(w)
            for w in (self.title, self.reference, self.officer, self.kind, self.closed)
        ]
        blockers += [QSignalBlocker(e) for e in self.texts.values()]
        if item is None:
            self.heading.setText(_("Choose an item on the agenda"))
            for widget in (self.title, self.reference, self.officer):
                widget.clear()
            self.closed.setChecked(False)  # no item: not the last one's state
            for editor in self.texts.values():
                editor.clear()
            self.attachments.model.set_attachments(())
            self._set_tab_title(0)
            return
        self._set_locked(self.session.meeting.status)
        from agenda.numbering import item_numbers

        number = item_numbers(self.session.meeting.agenda, self.session.meeting.body.numbering)
        self.heading.setText(item.heading(number.get(item.id, "")))
        self.kind.setCurrentIndex(self.kind.findData(item.kind))
        self.closed.setChecked(item.closed)
        case = item.case
        if FIELDS not in self._pending:
            _set_text(self.title, item.title)
            _set_text(self.reference, case.reference if case else "")
            _set_text(self.officer, case.officer if case else "")
        for section in TextSection:
            if section.value not in self._pending:
                text = case.text(section) if case else ""
                _set_plain(self.texts[section.value], text, fresh=fresh)
        if DECISION not in self._pending:
            _set_plain(self.texts[DECISION], item.decision, fresh=fresh)
        current = self.attachments.current()
        self.attachments.model.set_attachments(item.attachments)
        if current is not None:
            self.attachments.select(current.id)
        self._set_tab_title(len(item.attachments))
        del blockers

    def locked(self) -> bool:
        return self.locked_note.isVisibleTo(self)

    def _set_locked(self, status: MeetingStatus) -> None:
        """A held meeting: everything read-only but the decision; approved minutes:
        everything (they take corrections only, agenda.records)."""
        locked = status in LOCKED
        approved = status is MeetingStatus.MINUTES_APPROVED
        if approved:
            self.locked_note.setText(
                _(
                    "The minutes are approved: the item cannot be changed. A correction "
                    "is added to the minutes instead."
                )
            )
        elif locked:
            self.locked_note.setText(
                _(
                    "The meeting is held: its agenda is a record and cannot be changed. "
                    "Only the decision (the minutes) can be written."
                )
            )
        self.locked_note.setVisible(locked)
        for field in (self.title, self.reference, self.officer):
            field.setReadOnly(locked)
        for key, editor in self.texts.items():
            editor.setReadOnly(locked and (key != DECISION or approved))
        self.kind.setEnabled(not locked)
        self.closed.setEnabled(not locked)
        # a read-only field must not look like one to type in: the window's colour
        self.setStyleSheet(
            'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"]'
            " { background: palette(window); }"
            if locked
            else ""
        )
        self.attachments.set_locked(locked)

    def _set_tab_title(self, count: int) -> None:
        label = _("Attachments")
        self.tabs.setTabText(self.bilag_tab, f"{label} ({count})" if count else label)

    # -- edits ---------------------------------------------------------------------------
    def _execute(self, new: AgendaItem, text: str, merge_key: object | None = None) -> None:
        assert self.session is not None
        self.session.execute(ReplaceItem(new), text, merge_key=merge_key)

    def _case_of(self, item: AgendaItem) -> Case:
        """The item's case; a fixed item gets one the first time it needs text or bilag."""
        return case_of(item)

    def _fields_edited(self) -> None:
        """A kind or the closed box chosen, or Enter or leaving a field: one step of
        its own, apart from the typing before and after it."""
        self.end_typing()
        self._pending.add(FIELDS)
        self.end_typing()

    def _with_fields(self, item: AgendaItem) -> AgendaItem:
        """``item`` with what the title, kind, case number, officer and closed show."""
        return with_fields(
            item,
            title=self.title.text(),
            kind=self.kind.currentData(),
            closed=self.closed.isChecked(),
            reference=self.reference.text(),
            officer=self.officer.text(),
        )

    def _text_edited(self, key: str, widget: QWidget) -> None:
        was_pending = bool(self._pending)
        self._pending.add(key)
        self.steps.edited(widget)
        self._typing.start()
        if not was_pending:
            self.typing_changed.emit()

    def typing_pending(self) -> bool:
        """Typing not saved yet (Fortryd is on for it)."""
        return bool(self._pending)

    def end_typing(self) -> None:
        """Save what was typed as one undo step; the next keystroke starts a new one."""
        self.steps.end_step()

    @guarded
    def commit_pending(self) -> None:
        """Save what was typed (after a pause, at the end of a word, on leaving the item,
        before export). Saved again under the same step, it merges into one undo command."""
        self._typing.stop()
        pending, self._pending = self._pending, set()
        if pending:
            self.typing_changed.emit()
        item = self.current_item()
        if item is None or not pending:
            return
        new = self._with_fields(item) if FIELDS in pending else item
        for key in sorted(pending - {FIELDS}):
            text = self.texts[key].toPlainText()
            if key == DECISION:
                new = replace(new, decision=text)
            else:
                case = self._case_of(new)
                texts = dict(case.texts)
                texts[TextSection(key)] = text
                new = replace(new, case=replace(case, texts=MappingProxyType(texts)))
        if new != item:
            label = _("Edit item") if pending == {FIELDS} else _("Edit text")
            key = ("text", item.id, tuple(sorted(pending)), self.steps.serial)
            self._execute(new, label, merge_key=key)


def _set_text(widget: QLineEdit, text: str) -> None:
    # saved stripped: the space just typed after a word stays in the field
    if widget.text().strip() != text:
        widget.setText(text)
        if not widget.hasFocus():  # show a long title from its beginning
            widget.setCursorPosition(0)


def _set_plain(editor: QPlainTextEdit, text: str, *, fresh: bool = False) -> None:
    """Show ``text``; an undo or redo changes only what differs, and leaves the cursor
    at the end of the change, where the user goes on typing (as Word does)."""
    old = editor.toPlainText()
    if old == text:
        return
    shown = _as_shown(text)  # a field shows \r\n as \n and a no-break space as a space
    if old == shown:
        return
    if fresh or not _bmp(old) or not _bmp(shown):
        editor.setPlainText(text)  # Qt counts UTF-16 units: a diff needs one unit a character
        return
    text = shown
    start = 0
    limit = min(len(old), len(text))
    while start < limit and old[start] == text[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[-1 - tail] == text[-1 - tail]:
        tail += 1
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start)
    cursor.setPosition(len(old) - tail, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text[start : len(text) - tail])
    editor.setTextCursor(cursor)


def _bmp(text: str) -> bool:
    return text.isascii() or all(ord(c) <= 0xFFFF for c in text)


def _as_shown(text: str) -> str:
    """``text`` as a plain text field gives it back."""
    document = QTextDocument()
    document.setPlainText(text)
    return document.toPlainText()
