"""Is the meeting being imported already in the workspace?

The exchange format carries no id of its own for a meeting (``docs/meeting-format.md``),
and a body does not meet twice at the same moment: a meeting of the same body (by name,
as import matches bodies) with the same start is the same meeting. Importing it again
is refused by default; imported anyway, it becomes a new meeting beside the existing
one, and that one is not changed, nor the cases on it or its body.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from agenda.errors import DuplicateMeetingError
from agenda.formatting import clock, long_date
from agenda.model import Meeting
from agenda.repository import MeetingSummary, WorkspaceRepository


def _same_start(a: datetime, b: datetime) -> bool:
    if (a.tzinfo is None) != (b.tzinfo is None):
        # one written without a UTC offset: the same wall-clock time is the same meeting
        return a.replace(tzinfo=None) == b.replace(tzinfo=None)
    return a == b  # with offsets: the same instant (10.00+02:00 is 08.00+00:00)


def same_meetings(ws: WorkspaceRepository, meeting: Meeting) -> list[MeetingSummary]:
    """The workspace's meetings of the same body at the same start: none, or one (more
    only when the user has imported it as a new meeting before)."""
    return [
        s
        for s in ws.meetings()
        if s.body_name == meeting.body.name and _same_start(s.start, meeting.start)
    ]


#: What to do, in words for any interface; the command line names its option instead.
ADVICE = (
    "Arbejd videre i det eksisterende møde, eller importér filen som et nyt møde ved siden af det."
)


def duplicate_error(existing: MeetingSummary, path: Path) -> DuplicateMeetingError:
    start = existing.start
    return DuplicateMeetingError(
        f"Mødet findes allerede i arbejdsområdet: »{existing.title}«, {existing.body_name}, "
        f"{long_date(start)} kl. {clock(start)} (møde {existing.id}). Intet er importeret fra "
        f"{path}, og det eksisterende møde er ikke ændret.",
        ADVICE,
        existing_id=existing.id,
        path=str(path),
    )


def keep_existing(
    ws: WorkspaceRepository, meeting: Meeting, existing: list[MeetingSummary]
) -> Meeting:
    """``meeting`` with the body of the existing meeting, so saving it changes nothing of
    that one. Its cases need nothing here: every case the workspace has is already kept
    as it stands there (``exchange/cases.py``), never taken from a meeting's
    record, so a held meeting's old texts are not written back into the case library."""
    return replace(meeting, body=ws.meeting(existing[0].id).body)
