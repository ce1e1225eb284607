"""A small log of actions someone may have to answer for later, kept in the workspace
(for now: exporting the public edition despite preflight errors). ``SqliteWorkspace``
delegates ``record_event`` and ``events`` to these."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from agenda.model import MeetingId
from agenda.repository import Event
from storage.connection import Connection


def record(
    db: Connection, at: datetime, kind: str, meeting_id: MeetingId | None, payload: Mapping
) -> None:
    """Append an event (one transaction)."""
    with db.transaction():
        db.execute(
            "INSERT INTO events(at, kind, meeting_id, payload) VALUES (?, ?, ?, ?)",
            (
                at.isoformat(timespec="seconds"),
                kind,
                meeting_id,
                json.dumps(dict(payload), ensure_ascii=False, sort_keys=True),
            ),
        )


def read(db: Connection, meeting_id: MeetingId | None = None) -> list[Event]:
    sql = "SELECT at, kind, meeting_id, payload FROM events"
    params: tuple[Any, ...] = ()
    if meeting_id is not None:
        sql += " WHERE meeting_id = ?"
        params = (meeting_id,)
    return [
        Event(
            at=datetime.fromisoformat(r[0]),
            kind=r[1],
            meeting_id=None if r[2] is None else MeetingId(r[2]),
            payload=MappingProxyType(json.loads(r[3])),
        )
        for r in db.execute(sql + " ORDER BY id", params)
    ]
