"""The check before sending (preflight) and the public edition's gate on it.

A check has two halves: the files' facts, read from the snapshot's bytes
(``inspect_files``; slow, so the window runs it in a worker and keeps the facts of
files it has seen), and the rules on the meeting and those facts (``findings``; pure and
quick). ``check_meeting`` runs both in a row.

The public edition goes out only without a fejl, or when the user overrides them
explicitly (``--force`` on the command line, the tick box in the window); the override
is written into the workspace's event log with who and when (``gate_public``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from agenda.preflight import Finding, Severity, has_errors, override_record, preflight
from agenda.repository import WorkspaceRepository
from agenda.snapshot import MeetingSnapshot
from agenda.tasks import NullTaskState, TaskState
from app.identity import current_user, now

OVERRIDE_EVENT = "public-export-override"


def inspect_files(
    snapshot: MeetingSnapshot,
    blobs: Mapping[str, bytes] | None = None,
    state: TaskState | None = None,
) -> dict[str, Any]:
    """The facts of each file (by SHA-256) of ``blobs`` (default: all the snapshot's),
    as its first attachment in agenda order names it. Anywhere (a worker)."""
    from export.inspection.inspect import inspect_meeting

    return inspect_meeting(
        snapshot.meeting, snapshot.blobs if blobs is None else blobs, state or NullTaskState()
    )


def findings(
    snapshot: MeetingSnapshot, facts: Mapping[str, Any], *, today: date | None = None
) -> list[Finding]:
    """The rules on the meeting and its files' facts: fejl, advarsel, info."""
    return preflight(
        snapshot.meeting,
        facts,
        today=today or date.today(),
        blobs_present=snapshot.blobs.keys(),
        elsewhere=snapshot.elsewhere,
    )


def check_meeting(snapshot: MeetingSnapshot, state: TaskState | None = None) -> list[Finding]:
    """The whole check of ``snapshot``, as taken at the moment it was read."""
    return findings(snapshot, inspect_files(snapshot, state=state))


@dataclass(frozen=True)
class PublicGate:
    """Whether the public edition of a snapshot may go out, and why."""

    allowed: bool
    #: the fejl the check found (none: the gate is open without an override)
    errors: tuple[Finding, ...] = ()
    #: what was written into the event log when the user overrode the fejl
    record: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def overridden(self) -> bool:
        return self.record is not None


def gate_public(
    workspace: WorkspaceRepository,
    snapshot: MeetingSnapshot,
    found: Sequence[Finding],
    *,
    override: bool,
) -> PublicGate:
    """Open without a fejl; with fejl open only on ``override``, which is recorded (one
    transaction) with the user's name and the time in UTC."""
    if not has_errors(found):
        return PublicGate(True)
    errors = tuple(f for f in found if f.severity is Severity.ERROR)
    if not override:
        return PublicGate(False, errors)
    meeting_id = snapshot.meeting.id
    record = override_record(found, current_user(), now(), meeting_id=meeting_id)
    workspace.record_event(OVERRIDE_EVENT, meeting_id, record)
    return PublicGate(True, errors, record)
