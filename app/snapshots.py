"""Reading a meeting's snapshot from the workspace, and storing what an export produced.

These run on the thread that owns the workspace (the CLI's, or the window's UI thread);
the snapshot they read is what ``export/`` works on in a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from agenda.edition import attachments_for
from agenda.errors import NotFoundError
from agenda.model import Attachment, CaseId, Meeting, looks_like_pdf
from agenda.repository import CaseUse, ConversionKey, Elsewhere, WorkspaceRepository
from agenda.snapshot import MeetingSnapshot


def read_snapshot(
    workspace: WorkspaceRepository,
    meeting: Meeting,
    key_for: Callable[[Attachment], ConversionKey | None],
) -> MeetingSnapshot:
    """Read every byte an export of ``meeting`` needs, on the thread that owns the
    workspace, so the worker never asks. ``key_for`` is the converter's cache key
    (``export.conversion.convert.conversion_key``), passed in to keep this module free of export."""
    blobs: dict[str, bytes] = {}
    converted: dict[ConversionKey, bytes] = {}
    for item in meeting.agenda.items():
        for attachment in item.attachments:
            if attachment.sha256 in blobs:
                continue
            try:
                blobs[attachment.sha256] = workspace.blob(attachment.sha256)
            except NotFoundError:
                continue  # reported as missing by the export
            key = key_for(attachment)
            if key is not None and key not in converted:
                pdf = workspace.converted(key)
                if pdf is not None:
                    converted[key] = pdf
    return MeetingSnapshot(
        meeting,
        MappingProxyType(blobs),
        MappingProxyType(converted),
        elsewhere(workspace, meeting),
    )


def elsewhere(workspace: WorkspaceRepository, meeting: Meeting) -> Elsewhere:
    """The other meetings the cases of ``meeting`` stand on, and the files of its public
    bilag that are confidential somewhere else in the workspace."""
    items = meeting.agenda.items()
    ids = {i.case.id for i in items if i.case is not None and i.case.id}
    found: dict[CaseId, list[CaseUse]] = {}
    for use in workspace.case_uses(ids):
        if use.meeting_id != meeting.id:
            found.setdefault(use.case_id, []).append(use)
    public = {a.sha256 for i in items for a in attachments_for(i, public=True)}
    # a file confidential on this meeting itself: the preflight names that bilag itself
    here = {a.sha256 for i in items for a in i.attachments if a.confidential}
    return Elsewhere(
        MappingProxyType({k: tuple(v) for k, v in found.items()}),
        frozenset(workspace.confidential_sha256s(public) - here),
    )


def store_export_results(
    workspace: WorkspaceRepository,
    new_conversions: Mapping[ConversionKey, bytes],
    extracted_text: Mapping[str, str],
) -> None:
    """Keep what an export produced besides its files: the converted PDFs for the next
    export, and their text for search. One transaction.

    The one place by-products are written back: after an export
    (``app.exporting.finish_export``), an import (``app.importing.index_import``), a
    preview's conversion (``app.previews.store_conversion``) and the window's search
    indexer all store through here."""
    with workspace.transaction():
        for key, pdf in new_conversions.items():
            workspace.store_converted(key, pdf)
        for sha256, text in extracted_text.items():
            workspace.set_attachment_text(sha256, text)


def unindexed_pdfs(workspace: WorkspaceRepository, meeting: Meeting) -> dict[str, bytes]:
    """The meeting's PDF bilag whose text is not in the search index yet (after an
    import; office files get theirs when an export converts them), by SHA-256."""
    found: dict[str, bytes] = {}
    for item in meeting.agenda.items():
        for attachment in item.attachments:
            sha = attachment.sha256
            if sha in found or workspace.attachment_text(sha) is not None:
                continue
            try:
                data = workspace.blob(sha)
            except NotFoundError:
                continue
            if looks_like_pdf(data):
                found[sha] = data
    return found


def index_pdf_texts(
    workspace: WorkspaceRepository, meeting: Meeting, extract: Callable[[bytes], str]
) -> int:
    """Feed the search index with the text of the meeting's ``unindexed_pdfs``, here and
    now (the CLI's import; the window extracts in a worker, ``app.search.extract_texts``,
    and stores with ``store_export_results``).
    Returns how many were indexed. ``extract`` is ``export.pdf.text_extract.extract_text``."""
    pdfs = unindexed_pdfs(workspace, meeting)
    store_export_results(workspace, {}, {sha: extract(data) for sha, data in pdfs.items()})
    return len(pdfs)
