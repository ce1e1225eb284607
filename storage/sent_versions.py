"""Sent versions (what "Udsend" and approving the minutes froze) and corrections to
approved minutes. ``SqliteWorkspace`` delegates to these.

A version's files are stored by SHA-256 in ``blobs``, so a file sent twice unchanged (the
same bilagspakke in a second send) takes its room once; ``sent_version_files`` names them
in the order they were written. The meeting as it was is kept as JSON
(``agenda/meeting_codec.py``) for the change list and for opening the version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agenda.errors import NotFoundError
from agenda.meeting_codec import meeting_from_dict, meeting_to_dict
from agenda.model import Correction, ItemId, Meeting, MeetingId
from agenda.records import SentFile, SentVersion, SentVersionId, VersionKind

if TYPE_CHECKING:
    from storage.workspace import SqliteWorkspace


def utc_text(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("a record's time must be timezone-aware")
    return when.astimezone(UTC).isoformat()


def record(
    ws: SqliteWorkspace,
    meeting: Meeting,
    kind: VersionKind,
    at: datetime,
    user: str,
    note: str,
    files: Sequence[tuple[str, bytes]],
    parent_id: SentVersionId | None,
) -> SentVersion:
    with ws.transaction():
        cur = ws.conn.execute(
            "INSERT INTO sent_versions(meeting_id, kind, at, user, note, meeting, parent_id)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                meeting.id,
                kind.value,
                utc_text(at),
                user,
                note,
                json.dumps(meeting_to_dict(meeting), ensure_ascii=False, sort_keys=True),
                parent_id,
            ),
        )
        version_id = cur.lastrowid
        for position, (name, data) in enumerate(files):
            sha = hashlib.sha256(data).hexdigest()
            ws.conn.execute(
                "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)",
                (sha, len(data), data),
            )
            ws.conn.execute(
                "INSERT INTO sent_version_files(version_id, position, name, sha256, size)"
                " VALUES (?,?,?,?,?)",
                (version_id, position, name, sha, len(data)),
            )
        return version(ws, version_id)


def _from_row(ws: SqliteWorkspace, r: dict) -> SentVersion:
    files = tuple(
        SentFile(f["name"], f["sha256"], f["size"])
        for f in ws._all(
            "SELECT name, sha256, size FROM sent_version_files WHERE version_id = ?"
            " ORDER BY position",
            (r["id"],),
        )
    )
    return SentVersion(
        id=r["id"],
        meeting_id=MeetingId(r["meeting_id"]),
        kind=VersionKind(r["kind"]),
        at=datetime.fromisoformat(r["at"]),
        user=r["user"],
        note=r["note"],
        files=files,
        parent_id=r["parent_id"],
    )


def versions(ws: SqliteWorkspace, meeting_id: MeetingId) -> list[SentVersion]:
    return [
        _from_row(ws, r)
        for r in ws._all(
            "SELECT id, meeting_id, kind, at, user, note, parent_id FROM sent_versions"
            " WHERE meeting_id = ? ORDER BY id",
            (meeting_id,),
        )
    ]


def _missing(version_id: SentVersionId) -> NotFoundError:
    return NotFoundError(
        f"Den udsendte version med id {version_id} findes ikke i arbejdsområdet. "
        "Se listen over mødets udsendte versioner."
    )


def version(ws: SqliteWorkspace, version_id: SentVersionId) -> SentVersion:
    found = ws._all(
        "SELECT id, meeting_id, kind, at, user, note, parent_id FROM sent_versions WHERE id = ?",
        (version_id,),
    )
    if not found:
        raise _missing(version_id)
    return _from_row(ws, found[0])


def sent_meeting(ws: SqliteWorkspace, version_id: SentVersionId) -> Meeting:
    row = ws.conn.execute(
        "SELECT meeting FROM sent_versions WHERE id = ?", (version_id,)
    ).fetchone()
    if row is None:
        raise _missing(version_id)
    return meeting_from_dict(json.loads(row[0]))


def sent_file(ws: SqliteWorkspace, version_id: SentVersionId, name: str) -> bytes:
    row = ws.conn.execute(
        "SELECT b.data FROM sent_version_files f JOIN blobs b ON b.sha256 = f.sha256"
        " WHERE f.version_id = ? AND f.name = ?",
        (version_id, name),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"Den udsendte version {version_id} har ingen fil med navnet »{name}«.")
    return bytes(row[0])


def add_correction(ws: SqliteWorkspace, meeting_id: MeetingId, correction: Correction) -> None:
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO corrections(meeting_id, item_id, at, user, text) VALUES (?,?,?,?,?)",
            (
                meeting_id,
                correction.item_id,
                utc_text(correction.at),
                correction.user,
                correction.text,
            ),
        )


def corrections(ws: SqliteWorkspace, meeting_id: MeetingId) -> tuple[Correction, ...]:
    return tuple(
        Correction(
            datetime.fromisoformat(r["at"]),
            r["user"],
            r["text"],
            ItemId(r["item_id"]) if r["item_id"] else None,
        )
        for r in ws._all(
            "SELECT item_id, at, user, text FROM corrections WHERE meeting_id = ? ORDER BY id",
            (meeting_id,),
        )
    )
