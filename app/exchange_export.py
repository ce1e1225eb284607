"""Exporting a meeting in the exchange format (``docs/meeting-format.md``).

The public exchange file passes the same gate as the public documents: the check before
sending on the meeting as it is now, and an explicit, recorded override of its fejl
(``app.preflight.gate_public``). It publishes what the public bilagspakke publishes:
every bilag as a cleaned PDF. A PDF is cleaned as in the pack
(``export.pdf.pdf_clean.public_file_bytes``); an office file, an image or a text file is
converted first (the pack's conversion and the workspace's cache), because its own bytes
carry what its pages do not show (tracked changes, comments, authors, EXIF). One that
cannot be converted or cleaned stops the export: nothing unclean is published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from agenda.edition import attachments_for, is_published
from agenda.errors import ConversionError
from agenda.model import Attachment, MeetingId, looks_like_pdf
from agenda.numbering import meeting_items
from agenda.repository import WorkspaceRepository
from agenda.tasks import NullTaskState, TaskState
from app.exporting import read_meeting_snapshot
from app.preflight import PublicGate, check_meeting, gate_public
from app.snapshots import store_export_results


def check_public_exchange(
    workspace: WorkspaceRepository, meeting_id: MeetingId, *, force: bool
) -> PublicGate:
    """The gate of a public exchange export, on the meeting as it is now."""
    snapshot = read_meeting_snapshot(workspace, meeting_id)
    return gate_public(workspace, snapshot, check_meeting(snapshot), override=force)


def export_exchange(
    workspace: WorkspaceRepository,
    meeting_id: MeetingId,
    out: Path,
    *,
    zip: bool = False,
    public: bool = False,
    task: TaskState | None = None,
) -> Path:
    """Write the meeting into ``out``; returns the folder or zip written. A public one
    must have passed ``check_public_exchange`` first. ``task`` hears of each bilag
    converted for the public edition."""
    from exchange.transfer import export_meeting

    clean = public_cleaner(workspace, meeting_id, task or NullTaskState()) if public else None
    return export_meeting(
        workspace, meeting_id, Path(out), zip=zip, public=public, clean_file=clean
    )


def public_cleaner(
    workspace: WorkspaceRepository, meeting_id: MeetingId, task: TaskState
) -> Callable[[str, bytes], bytes]:
    """``clean_file`` for the public exchange export: each public bilag that is no PDF
    is converted now (the new conversions kept in the workspace's cache); the function
    returns a bilag's cleaned PDF, or raises ConversionError naming it."""
    from export.conversion.convert import cache_view, convert_all
    from export.pdf.pdf_clean import not_convertible, public_file_bytes

    snapshot = read_meeting_snapshot(workspace, meeting_id)
    wanted: dict[str, Attachment] = {}
    for numbered in meeting_items(snapshot.meeting):
        if not is_published(numbered.item):
            continue
        for attachment in attachments_for(numbered.item, public=True):
            data = snapshot.blobs.get(attachment.sha256)
            if data is not None and not looks_like_pdf(data):
                wanted.setdefault(attachment.sha256, attachment)
    pdfs: dict[str, bytes] = {}
    errors: dict[str, ConversionError] = {}
    if wanted:
        results = convert_all(
            list(wanted.values()), snapshot.blobs, cache_view(workspace.converted), task
        )
        fresh = {}
        for result in results.values():
            sha256 = result.attachment.sha256
            if result.pdf is None:
                errors[sha256] = result.error or not_convertible(result.attachment.file_name)
                continue
            pdfs[sha256] = result.pdf
            if result.key is not None and not result.from_cache:
                fresh[result.key] = result.pdf
        if fresh:
            store_export_results(workspace, fresh, {})

    def clean(file_name: str, data: bytes) -> bytes:
        if looks_like_pdf(data):
            return public_file_bytes(file_name, data)
        sha256 = hashlib.sha256(data).hexdigest()
        pdf = pdfs.get(sha256)
        if pdf is None:
            raise not_convertible(file_name, errors.get(sha256))
        return public_file_bytes(file_name, pdf)

    return clean
