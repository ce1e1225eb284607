"""A small log of actions someone may have to answer for later, kept in the workspace
(for now: exporting the public edition despite preflight errors)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from agenda.model import MeetingId


def record_event(ws: Any, kind: str, meeting_id: MeetingId | None, payload: dict) -> None:
    """Append an event; ``ws`` is a SqliteWorkspace (one transaction)."""
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO events(at, kind, meeting_id, payload) VALUES (?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(timespec="seconds"),
                kind,
                meeting_id,
                json.dumps(payload, ensure_ascii=False, sort_keys=True),
            ),
        )


def events(ws: Any, meeting_id: MeetingId | None = None) -> list[dict]:
    sql = "SELECT at, kind, meeting_id, payload FROM events"
    params: tuple = ()
    if meeting_id is not None:
        sql += " WHERE meeting_id = ?"
        params = (meeting_id,)
    return [
        {"at": r[0], "kind": r[1], "meeting_id": r[2], "payload": json.loads(r[3])}
        for r in ws.conn.execute(sql + " ORDER BY id", params)
    ]
