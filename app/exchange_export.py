"""Exporting a meeting in the exchange format (``docs/meeting-format.md``).

The public exchange file passes the same gate as the public documents: the check before
sending on the meeting as it is now, and an explicit, recorded override of its fejl
(``app.preflight.gate_public``). Its PDF bilag are cleaned as in the public pack
(``export.pdf.pdf_clean.public_file_bytes``); one that cannot be cleaned stops it.
"""

from __future__ import annotations

from pathlib import Path

from agenda.model import MeetingId
from agenda.repository import WorkspaceRepository
from app.exporting import read_meeting_snapshot
from app.preflight import PublicGate, check_meeting, gate_public


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
) -> Path:
    """Write the meeting into ``out``; returns the folder or zip written. A public one
    must have passed ``check_public_exchange`` first."""
    from exchange.transfer import export_meeting
    from export.pdf.pdf_clean import public_file_bytes

    clean = public_file_bytes if public else None
    return export_meeting(
        workspace, meeting_id, Path(out), zip=zip, public=public, clean_file=clean
    )
