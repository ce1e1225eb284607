"""A bilag as PDF for the window's preview: itself, its cached conversion, or a fresh
conversion (in a worker) whose result is stored like an export's by-products."""

from __future__ import annotations

from typing import Any

from agenda.model import Attachment, looks_like_pdf
from agenda.repository import WorkspaceRepository
from agenda.tasks import TaskState


def cached_pdf(workspace: WorkspaceRepository, attachment: Attachment) -> bytes | None:
    """The attachment as PDF: itself when it is a PDF, else its cached conversion (None
    when it has not been converted yet). On the workspace's thread."""
    if attachment.extension == "pdf" or attachment.media_type == "application/pdf":
        data = workspace.blob(attachment.sha256)
        if looks_like_pdf(data):
            return data
    from export.conversion.convert import conversion_key

    key = conversion_key(attachment)
    return workspace.converted(key) if key is not None else None


def convert_one(state: TaskState, attachment: Attachment, data: bytes) -> Any:
    """Anywhere (a worker): one attachment to PDF
    (``export.conversion.convert.ConvertedAttachment``)."""
    from export.conversion.convert import convert_all

    return convert_all([attachment], {attachment.sha256: data}, {}, state)[attachment.id]


def store_conversion(workspace: WorkspaceRepository, converted: Any) -> bool:
    """Keep a fresh conversion for the next preview and export (as an export keeps its
    by-products); True when there was one to keep."""
    from app.snapshots import store_export_results

    fresh = converted.pdf is not None and converted.key is not None and not converted.from_cache
    if fresh:
        store_export_results(workspace, {converted.key: converted.pdf}, {})
    return fresh
