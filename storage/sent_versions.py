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

from agenda import repository_errors
from agenda.meeting_codec import meeting_from_dict, meeting_to_dict
from agenda.model import Correction, ItemId, Meeting, MeetingId
from agenda.records import SentFile, SentVersion, SentVersionId, VersionKind
from storage.connection import Connection


def utc_text(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("a record's time must be timezone-aware")
    return when.astimezone(UTC).isoformat()


def record(
    db: Connection,
    meeting: Meeting,
    kind: VersionKind,
    at: datetime,
    user: str,
    note: str,
    files: Sequence[tuple[str, bytes]],
    parent_id: SentVersionId | None,
) -> SentVersion:
    with db.transaction():
        cur = db.execute(
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
            db.execute(
                "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)",
                (sha, len(data), data),
            )
            db.execute(
                "INSERT INTO sent_version_files(version_id, position, name, sha256, size)"
                " VALUES (?,?,?,?,?)",
                (version_id, position, name, sha, len(data)),
            )
        return version(db, version_id)


def _from_row(db: Connection, r: dict) -> SentVersion:
    files = tuple(
        SentFile(f["name"], f["sha256"], f["size"])
        for f in db.rows(
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


def versions(db: Connection, meeting_id: MeetingId) -> list[SentVersion]:
    return [
        _from_row(db, r)
        for r in db.rows(
            "SELECT id, meeting_id, kind, at, user, note, parent_id FROM sent_versions"
            " WHERE meeting_id = ? ORDER BY id",
            (meeting_id,),
        )
    ]


def version(db: Connection, version_id: SentVersionId) -> SentVersion:
    found = db.rows(
        "SELECT id, meeting_id, kind, at, user, note, parent_id FROM sent_versions WHERE id = ?",
        (version_id,),
    )
    if not found:
        raise repository_errors.sent_version_not_found(version_id)
    return _from_row(db, found[0])


def sent_meeting(db: Connection, version_id: SentVersionId) -> Meeting:
    row = db.execute("SELECT meeting FROM sent_versions WHERE id = ?", (version_id,)).fetchone()
    if row is None:
        raise repository_errors.sent_version_not_found(version_id)
    return meeting_from_dict(json.loads(row[0]))


def sent_file(db: Connection, version_id: SentVersionId, name: str) -> bytes:
    row = db.execute(
        "SELECT b.data FROM sent_version_files f JOIN blobs b ON b.sha256 = f.sha256"
        " WHERE f.version_id = ? AND f.name = ?",
        (version_id, name),
    ).fetchone()
    if row is None:
        raise repository_errors.sent_file_not_found(version_id, name)
    return bytes(row[0])


def add_correction(db: Connection, meeting_id: MeetingId, correction: Correction) -> None:
    with db.transaction():
        db.execute(
            "INSERT INTO corrections(meeting_id, item_id, at, user, text) VALUES (?,?,?,?,?)",
            (
                meeting_id,
                correction.item_id,
                utc_text(correction.at),
                correction.user,
                correction.text,
            ),
        )


def corrections(db: Connection, meeting_id: MeetingId) -> tuple[Correction, ...]:
    return tuple(
        Correction(
            datetime.fromisoformat(r["at"]),
            r["user"],
            r["text"],
            ItemId(r["item_id"]) if r["item_id"] else None,
        )
        for r in db.rows(
            "SELECT item_id, at, user, text FROM corrections WHERE meeting_id = ? ORDER BY id",
            (meeting_id,),
        )
    )
