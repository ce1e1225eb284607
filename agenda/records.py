"""A meeting as a record: what was sent (a ``SentVersion`` with its exact files), and
what a held meeting still lets change (``locked_change``).

Rules, all pure:
- Every agenda item holds its own copy of its case (texts, bilag list): ``AgendaItem.case``
  is that copy, not the case library's. Editing an item in a *draft* meeting also updates
  the library's case (the secretariat's working text, what the next meeting picks up);
  editing it in a meeting that is sent changes that meeting only. No edit ever changes
  another meeting's items; "Hent sagens nyeste tekst" (``app.records.pull_case_text``)
  copies the library's text into a draft item on request.
- Sending freezes a version: the files written, stored by SHA-256, and the meeting.
- A held meeting is read-only except its minutes: the decisions, the attendance, and the
  step to ``MINUTES_APPROVED``. Approved minutes are frozen as a version too; a later
  correction is a ``Correction`` added beside them, never an edit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from agenda.errors import RecordLockedError
from agenda.formatting import long_date
from agenda.model import Agenda, Meeting, MeetingId, MeetingStatus, Section

#: Statuses whose agenda is frozen (only the minutes, or nothing, may change).
LOCKED = frozenset({MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED})

SentVersionId = int


class VersionKind(Enum):
    AGENDA = "agenda"  # "Udsend": the agenda and packs as sent to the members
    MINUTES = "minutes"  # the approved minutes

    @property
    def label(self) -> str:
        return "Udsendt dagsorden" if self is VersionKind.AGENDA else "Godkendt referat"


@dataclass(frozen=True, slots=True)
class SentFile:
    """One file of a sent version, as written: its name and the SHA-256 of its bytes
    (the bytes are in the workspace's blobs, stored once however often they are sent)."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class SentVersion:
    id: SentVersionId
    meeting_id: MeetingId
    kind: VersionKind
    at: datetime  # UTC
    user: str
    note: str  # to whom, why ("Udsendt til medlemmer og suppleanter")
    files: tuple[SentFile, ...]
    #: The version this one supplements (a tillægsdagsorden's parent), None for the first.
    parent_id: SentVersionId | None = None


def _minutes_stripped(meeting: Meeting) -> Meeting:
    """The meeting without what the minutes may change: decisions, attendance, status,
    the save counter and corrections (added through the repository, not by saving)."""
    sections = tuple(
        Section(s.name, tuple(replace(i, decision="") for i in s.items), s.id, s.extra)
        for s in meeting.agenda.sections
    )
    people = tuple(replace(p, present=None) for p in meeting.participants)
    return replace(
        meeting,
        agenda=Agenda(sections),
        participants=people,
        status=MeetingStatus.HELD,
        version=0,
        corrections=(),
    )


def locked_change(stored: Meeting, new: Meeting) -> None:
    """Raise RecordLockedError when saving ``new`` over ``stored`` changes more than a
    record allows; return when the save may go ahead."""
    if stored.status not in LOCKED:
        return
    if new.body.id is not None and new.body.id == stored.body.id:
        # the body is shared by every meeting (its members, its default place): an edit
        # made through another meeting is not this meeting's change
        new = replace(new, body=stored.body)
    name = f"»{stored.title}« {long_date(stored.start)}"
    if stored.status is MeetingStatus.MINUTES_APPROVED:
        if replace(new, version=0, corrections=()) != replace(stored, version=0, corrections=()):
            raise RecordLockedError(
                f"Referatet af mødet {name} er godkendt og kan ikke ændres. Skriv en "
                "rettelse til referatet i stedet; den vises i referatet med dato og navn. "
                "Intet er gemt."
            )
        return
    if new.status not in LOCKED:
        raise RecordLockedError(
            f"Mødet {name} er afholdt og kan ikke sættes tilbage til "
            f"»{new.status.label}«. Intet er gemt."
        )
    if _minutes_stripped(new) != _minutes_stripped(stored):
        raise RecordLockedError(
            f"Mødet {name} er afholdt, så dagsordenen er låst: kun referatet "
            "(beslutninger og fremmøde) kan ændres. Ret sagen i sagsbiblioteket eller på "
            "et kommende møde i stedet. Intet er gemt."
        )
