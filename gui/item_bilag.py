"""The bilag half of the item editor: add (dialog or drop), rename, confidential,
reorder, remove, open in the system viewer, and the preview of the selected one (its
converted PDF; a conversion for the preview runs in the worker and is cached)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from agenda.model import Attachment, AttachmentId, looks_like_pdf
from agenda.operations import ReorderAttachments
from app.previews import cached_pdf, convert_one, store_conversion
from gui.attachments import read_attachment_file, title_from_file_name
from gui.errors import guarded, report_exception
from gui.i18n import _
from gui.settings import documents_folder


class BilagEditingMixin:
    """Mixed into ItemEditor, whose session, current item and widgets it uses."""

    @guarded
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Add attachments"),
            self.settings.start_folder("bilag") if self.settings else documents_folder(),
            _(
                "Documents (*.pdf *.docx *.doc *.xlsx *.xls *.pptx *.ppt *.png *.jpg *.jpeg);;"
                "All files (*)"
            ),
        )
        if paths:
            if self.settings is not None:
                self.settings.set_last_folder("bilag", Path(paths[0]).parent)
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Attach files; a bad one gets a message and the good ones are still added."""
        item = self.current_item()
        if item is None or self.session is None:
            return
        workspace = self.session.workspace
        added: list[Attachment] = []
        pdfs: dict[str, bytes] = {}
        for path in paths:
            try:
                data, file_name, media_type = read_attachment_file(path)
                with workspace.transaction():
                    sha = workspace.store_blob(data)
            except Exception as error:
                report_exception(error, self.window())
                continue
            if looks_like_pdf(data) and workspace.attachment_text(sha) is None:
                pdfs[sha] = data
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
        if self.search_indexer is not None:  # office files get their text when converted
            self.search_indexer.index(pdfs)

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
        stored = self.session is not None and store_conversion(self.session.workspace, result)
        if stored and self.search_indexer is not None:  # as an export would: text for search
            self.search_indexer.index({result.attachment.sha256: result.pdf})
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
