"""Edit one agenda item and its case: fields, text sections, decision, bilag, preview.

Each change becomes a ``ReplaceItem`` (or ``ReorderAttachments``) through the session,
so it is saved at once and undoable; typing in one field merges into one undo step.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
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
    Attachment,
    AttachmentId,
    Case,
    ItemId,
    ItemKind,
    TextSection,
)
from agenda.operations import ReorderAttachments, ReplaceItem
from gui.attachments import AttachmentPanel, read_attachment_file, title_from_file_name
from gui.errors import guarded, report_exception
from gui.i18n import _
from gui.resources import icon
from gui.session import MeetingSession
from gui.workspace import cached_pdf, can_convert, convert_one

DECISION = "decision"  # the key of the decision editor beside the TextSection values


class ItemEditor(QWidget):
    attachment_shown = Signal(object)  # Attachment or None, after the preview updated

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: MeetingSession | None = None
        self.item_id: ItemId | None = None
        self.preview = None  # built on first use: QtPdf is the heaviest import
        self._last_folder = ""
        self._pending: set[str] = set()
        self._conversion = None  # the preview's conversion task, kept alive
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
            "QTabBar::tab { padding: 4px 7px; margin-right: 1px; border: 1px solid palette(mid);"
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
            editor.textChanged.connect(lambda key=key: self._text_edited(key))
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

        self.title.editingFinished.connect(self._fields_edited)
        self.reference.editingFinished.connect(self._fields_edited)
        self.officer.editingFinished.connect(self._fields_edited)
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
        self.commit_pending()
        if self.session is not None:
            self.session.meeting_changed.disconnect(self._meeting_changed)
        self.session = session
        if session is not None:
            session.meeting_changed.connect(self._meeting_changed)
        self.show_item(None)

    def show_item(self, item_id: ItemId | None) -> None:
        self.commit_pending()
        self.item_id = item_id
        self._refresh()

    def current_item(self) -> AgendaItem | None:
        if self.session is None or self.item_id is None:
            return None
        try:
            return self.session.meeting.agenda.item(self.item_id)
        except KeyError:
            return None

    def _meeting_changed(self, _meeting: object) -> None:
        self._refresh()

    def _refresh(self) -> None:
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
            for editor in self.texts.values():
                editor.clear()
            self.attachments.model.set_attachments(())
            self._set_tab_title(0)
            return
        from agenda.numbering import item_numbers

        number = item_numbers(self.session.meeting.agenda, self.session.meeting.body.numbering)
        self.heading.setText(item.heading(number.get(item.id, "")))
        _set_text(self.title, item.title)
        self.kind.setCurrentIndex(self.kind.findData(item.kind))
        self.closed.setChecked(item.closed)
        case = item.case
        _set_text(self.reference, case.reference if case else "")
        _set_text(self.officer, case.officer if case else "")
        for section in TextSection:
            if section.value not in self._pending:
                _set_plain(self.texts[section.value], case.text(section) if case else "")
        if DECISION not in self._pending:
            _set_plain(self.texts[DECISION], item.decision)
        current = self.attachments.current()
        self.attachments.model.set_attachments(item.attachments)
        if current is not None:
            self.attachments.select(current.id)
        self._set_tab_title(len(item.attachments))
        del blockers

    def _set_tab_title(self, count: int) -> None:
        label = _("Attachments")
        self.tabs.setTabText(self.bilag_tab, f"{label} ({count})" if count else label)

    # -- edits ---------------------------------------------------------------------------
    def _execute(self, new: AgendaItem, text: str, merge_key: object | None = None) -> None:
        assert self.session is not None
        self.session.execute(ReplaceItem(new), text, merge_key=merge_key)

    def _case_of(self, item: AgendaItem) -> Case:
        """The item's case; a fixed item gets one the first time it needs text or bilag."""
        return item.case or Case(title=item.title, kind=item.kind)

    @guarded
    def _fields_edited(self) -> None:
        item = self.current_item()
        if item is None:
            return
        title = self.title.text().strip() or item.title
        kind = self.kind.currentData()
        new = replace(item, title=title, kind=kind, closed=self.closed.isChecked())
        reference, officer = self.reference.text().strip(), self.officer.text().strip()
        if item.case is not None or reference or officer:
            case = self._case_of(item)
            new = replace(
                new,
                case=replace(
                    case,
                    reference=reference,
                    officer=officer,
                    kind=kind,
                    title=title if case.title == item.title else case.title,
                ),
            )
        if new != item:
            self._execute(new, _("Edit item"))

    def _text_edited(self, key: str) -> None:
        self._pending.add(key)
        self._typing.start()

    @guarded
    def commit_pending(self) -> None:
        """Save what was typed (after a pause, on leaving the item, before export)."""
        self._typing.stop()
        pending, self._pending = self._pending, set()
        item = self.current_item()
        if item is None or not pending:
            return
        new = item
        for key in sorted(pending):
            text = self.texts[key].toPlainText()
            if key == DECISION:
                new = replace(new, decision=text)
            else:
                case = self._case_of(new)
                texts = dict(case.texts)
                texts[TextSection(key)] = text
                new = replace(new, case=replace(case, texts=MappingProxyType(texts)))
        if new != item:
            self._execute(new, _("Edit text"), merge_key=("text", item.id, tuple(sorted(pending))))

    # -- bilag ----------------------------------------------------------------------------
    @guarded
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Add attachments"),
            self._last_folder,
            _(
                "Documents (*.pdf *.docx *.doc *.xlsx *.xls *.pptx *.ppt *.png *.jpg *.jpeg);;"
                "All files (*)"
            ),
        )
        if paths:
            self._last_folder = str(Path(paths[0]).parent)
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Attach files; a bad one gets a message and the good ones are still added."""
        item = self.current_item()
        if item is None or self.session is None:
            return
        workspace = self.session.workspace
        added: list[Attachment] = []
        for path in paths:
            try:
                data, file_name, media_type = read_attachment_file(path)
                with workspace.transaction():
                    sha = workspace.store_blob(data)
            except Exception as error:
                report_exception(error, self.window())
                continue
            added.append(
                Attachment(
                    title=title_from_file_name(file_name),
                    file_name=file_name,
                    media_type=media_type,
                    size=len(data),
                    sha256=sha,
                )
            )
        if not added:
            return
        case = self._case_of(item)
        new = replace(item, case=replace(case, attachments=case.attachments + tuple(added)))
        try:
            self._execute(new, _("Add attachment"))
        except Exception as error:
            report_exception(error, self.window())
            return
        self.attachments.select(added[-1].id)

    def _replace_attachment(self, attachment_id: str, text: str, **changes: object) -> None:
        item = self.current_item()
        if item is None or item.case is None:
            return
        attachments = tuple(
            replace(a, **changes) if a.id == attachment_id else a for a in item.case.attachments
        )
        self._execute(replace(item, case=replace(item.case, attachments=attachments)), text)
        self.attachments.select(AttachmentId(attachment_id))

    @guarded
    def rename_attachment(self, attachment_id: str, title: str) -> None:
        self._replace_attachment(attachment_id, _("Rename attachment"), title=title)

    @guarded
    def toggle_confidential(self, attachment_id: str) -> None:
        item = self.current_item()
        if item is None:
            return
        old = next(a for a in item.attachments if a.id == attachment_id)
        self._replace_attachment(
            attachment_id, _("Mark attachment confidential"), confidential=not old.confidential
        )

    @guarded
    def remove_attachment(self, attachment_id: str) -> None:
        item = self.current_item()
        if item is None or item.case is None:
            return
        attachments = tuple(a for a in item.case.attachments if a.id != attachment_id)
        self._execute(
            replace(item, case=replace(item.case, attachments=attachments)),
            _("Remove attachment"),
        )

    @guarded
    def reorder_attachments(self, order: tuple) -> None:
        if self.session is not None and self.item_id is not None:
            current = self.attachments.current()
            self.session.execute(
                ReorderAttachments(self.item_id, tuple(order)), _("Reorder attachments")
            )
            if current is not None:
                self.attachments.select(current.id)

    @guarded
    def open_attachment(self, attachment_id: str) -> None:
        item = self.current_item()
        if item is None or self.session is None:
            return
        attachment = next(a for a in item.attachments if a.id == attachment_id)
        folder = Path(tempfile.mkdtemp(prefix="kkr-bilag-"))
        target = folder / attachment.file_name
        target.write_bytes(self.session.workspace.blob(attachment.sha256))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    @guarded
    def show_attachment(self, attachment: Attachment | None) -> None:
        if attachment is None:
            if self.preview is not None:
                self.preview.show_message(_("Choose an attachment to see it here."))
            self.attachment_shown.emit(None)
            return
        preview = self._ensure_preview()
        assert self.session is not None
        workspace = self.session.workspace
        pdf = cached_pdf(workspace, attachment)
        if pdf is not None:
            preview.show_pdf(pdf, attachment.file_name)
            self.attachment_shown.emit(attachment)
            return
        if not can_convert():
            preview.show_message(
                _("%(name)s cannot be previewed by this version.") % {"name": attachment.file_name}
            )
            self.attachment_shown.emit(attachment)
            return
        preview.show_message(
            _("Converting %(name)s to PDF for the preview …") % {"name": attachment.file_name}
        )
        from gui.worker import run_in_background

        self._conversion = run_in_background(
            convert_one,
            attachment,
            workspace.blob(attachment.sha256),
            on_success=self._converted,
            on_failure=self._conversion_failed,
        )

    def _converted(self, result) -> None:  # type: ignore[no-untyped-def]
        """A conversion for the preview is back: cache it, show it if still wanted."""
        fresh = result.pdf is not None and result.key is not None and not result.from_cache
        if self.session is not None and fresh:
            with self.session.workspace.transaction():
                self.session.workspace.store_converted(result.key, result.pdf)
        current = self.attachments.current()
        if self.preview is None or current is None or current.sha256 != result.attachment.sha256:
            return
        if result.pdf is not None:
            self.preview.show_pdf(result.pdf, current.file_name)
        else:
            self.preview.show_message(result.error.message if result.error else "")
        self.attachment_shown.emit(current)

    def _conversion_failed(self, error: BaseException) -> None:
        if self.preview is not None:
            message = getattr(error, "message", None)
            if message is None:
                report_exception(error, self.window())
                message = _("The preview could not be made.")
            self.preview.show_message(message)

    def _ensure_preview(self):  # type: ignore[no-untyped-def]
        if self.preview is None:
            from gui.preview import PreviewPanel

            self.preview = PreviewPanel()
            self.bilag_split.addWidget(self.preview)
            self.bilag_split.setStretchFactor(0, 1)
            self.bilag_split.setStretchFactor(1, 3)
            if self.bilag_split.sizes()[-1] == 0:  # no remembered sizes: most to the preview
                total = max(sum(self.bilag_split.sizes()), 400)
                self.bilag_split.setSizes([min(170, total // 3), total - min(170, total // 3)])
        return self.preview


def _set_text(widget: QLineEdit, text: str) -> None:
    if widget.text() != text:
        widget.setText(text)


def _set_plain(editor: QPlainTextEdit, text: str) -> None:
    if editor.toPlainText() != text:
        editor.setPlainText(text)
