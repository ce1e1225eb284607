"""What changed since a meeting's agenda was sent, and the snapshot a tillægsdagsorden is
made from (issue 14).

The last sent agenda version is the reference: its frozen meeting (``sent_meeting``) is
what the members have; the change list (``agenda.changes``) is the difference between it
and the meeting now. An export reads both in one snapshot, so the tillægsdagsorden, the
tillægsbilag and the revised pack compare against exactly what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from agenda.changes import Change, changes
from agenda.model import Meeting, MeetingId
from agenda.records import SentVersion, VersionKind
from agenda.repository import WorkspaceRepository
from agenda.snapshot import MeetingSnapshot

__all__ = ["SinceSent", "changes_since_sent", "last_sent", "with_sent"]


def last_sent(repo: WorkspaceRepository, meeting_id: MeetingId) -> SentVersion | None:
    """The newest sent agenda version of the meeting (None while it was never sent)."""
    agenda = [v for v in repo.sent_versions(meeting_id) if v.kind is VersionKind.AGENDA]
    return agenda[-1] if agenda else None


@dataclass(frozen=True, slots=True)
class SinceSent:
    version: SentVersion
    sent: Meeting
    now: Meeting
    changes: tuple[Change, ...]


def changes_since_sent(repo: WorkspaceRepository, meeting_id: MeetingId) -> SinceSent | None:
    """The meeting's changes since its last sent agenda; None if it was never sent."""
    version = last_sent(repo, meeting_id)
    if version is None:
        return None
    sent = repo.sent_meeting(version.id)
    now = repo.meeting(meeting_id)
    return SinceSent(version, sent, now, changes(sent, now))


def with_sent(repo: WorkspaceRepository, snapshot: MeetingSnapshot) -> MeetingSnapshot:
    """The snapshot with the last sent version of its meeting (for the tillæg outputs);
    unchanged for a meeting never sent."""
    meeting_id = snapshot.meeting.id
    version = last_sent(repo, meeting_id) if meeting_id is not None else None
    if version is None:
        return snapshot
    return replace(snapshot, sent=repo.sent_meeting(version.id), sent_at=version.at)
