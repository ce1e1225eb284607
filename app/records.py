"""The meeting as a record (issue 14): "Hent sagens nyeste tekst", "Udsend", approving
the minutes, corrections, and writing a sent version's files again.

Each use case is one transaction on the thread that owns the workspace: a failure (an
output that cannot be made, a full disk) leaves the workspace as it was. Sending writes
the documents with the ordinary export code into a temporary folder and stores exactly
those bytes; the files of a version are what was sent, whatever the code does later.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from agenda.errors import ExportError, RecordLockedError, UserFacingError
from agenda.formatting import long_date
from agenda.model import Correction, ItemId, Meeting, MeetingId, MeetingStatus
from agenda.operations import ReplaceItem
from agenda.records import LOCKED, SentVersion, SentVersionId, VersionKind
from agenda.repository import WorkspaceRepository
from agenda.snapshot import MeetingSnapshot
from agenda.tasks import NullTaskState, TaskState

#: Writes a meeting's files into a folder: (the files written, problems to tell the user).
FileWriter = Callable[
    [WorkspaceRepository, Meeting, Path, TaskState], tuple[Sequence[Path], Sequence[str]]
]
Clock = Callable[[], datetime]

#: The documents "Udsend" writes from the snapshot (the exchange folder is written when
#: freezing: it reads the workspace).
SEND_OUTPUTS: tuple[tuple[str, bool], ...] = (
    ("agenda-docx", False),
    ("agenda-pdf", False),
    ("pack", False),
    ("pack", True),
)


@dataclass(frozen=True, slots=True)
class SendOutcome:
    version: SentVersion
    meeting: Meeting
    #: Danish lines: a bilag that could not be included in a pack (the send went ahead)
    problems: tuple[str, ...] = ()


def _name(meeting: Meeting) -> str:
    return f"»{meeting.title}« {long_date(meeting.start)}"


# -- Hent sagens nyeste tekst ------------------------------------------------------------


def pull_case_text(repo: WorkspaceRepository, meeting_id: MeetingId, item_id: ItemId) -> Meeting:
    """Copy the case library's current case (texts, case officer, bilag list) into the
    item's own copy. The item's title, kind, closedness and decision stay. Refused for a
    held meeting (its agenda is a record); after sending, the change is tracked."""
    with repo.transaction():
        meeting = repo.meeting(meeting_id)
        item = meeting.agenda.item(item_id)
        if item.case is None or item.case.id is None:
            raise UserFacingError(
                f"Punktet »{item.title}« har ingen sag i sagsbiblioteket, så der er ingen "
                "nyere tekst at hente."
            )
        if meeting.status in LOCKED:
            raise RecordLockedError(
                f"Mødet {_name(meeting)} er afholdt, så punkternes tekst er låst. Intet er hentet."
            )
        agenda, _ = ReplaceItem(replace(item, case=repo.case(item.case.id))).apply(meeting.agenda)
        return repo.save_meeting(replace(meeting, agenda=agenda))


# -- Udsend ------------------------------------------------------------------------------


def agenda_files(
    repo: WorkspaceRepository, meeting: Meeting, folder: Path, task: TaskState
) -> tuple[list[Path], list[str]]:
    """What "Udsend" sends: the agenda (docx and pdf), the complete and the public
    bilagspakke, and the meeting in the exchange format (its folder: meeting.json + bilag)."""
    from exchange.transfer import export_meeting

    written, problems = _documents(repo, meeting, folder, task, list(SEND_OUTPUTS))
    exchange = export_meeting(repo, meeting.id, folder / "udveksling")  # type: ignore[arg-type]
    written += sorted(p for p in exchange.rglob("*") if p.is_file())
    return written, problems


def minutes_files(
    repo: WorkspaceRepository, meeting: Meeting, folder: Path, task: TaskState
) -> tuple[list[Path], list[str]]:
    """What approving the minutes freezes: the minutes (docx and pdf) and the public pdf."""
    return _documents(
        repo,
        meeting,
        folder,
        task,
        [("minutes-docx", False), ("minutes-pdf", False), ("minutes-pdf", True)],
    )


def _documents(
    repo: WorkspaceRepository,
    meeting: Meeting,
    folder: Path,
    task: TaskState,
    wanted: list[tuple[str, bool]],
) -> tuple[list[Path], list[str]]:
    from app.snapshots import read_snapshot, store_export_results
    from export.conversion.convert import conversion_key
    from export.outputs import OUTPUTS, write_outputs

    snapshot = read_snapshot(repo, meeting, conversion_key)
    wanted, held_back = _gated(snapshot, wanted, task)
    outcome = write_outputs(snapshot, folder, [(OUTPUTS[k], public) for k, public in wanted], task)
    if outcome.failed:
        raise ExportError(" ".join(outcome.failed))
    store_export_results(repo, outcome.new_conversions, outcome.extracted_text)
    return list(outcome.written), [*held_back, *outcome.problems]


def _gated(
    snapshot: MeetingSnapshot, wanted: Sequence[tuple[str, bool]], task: TaskState
) -> tuple[list[tuple[str, bool]], list[str]]:
    """The outputs a version may hold: its public ones only when the check before
    sending finds no fejl that would publish something secret (``agenda.preflight.leaks``;
    fail closed: a frozen public file is one a user may publish). The public gate's
    override is for an export the user asks for, not for a record."""
    from agenda.preflight import leaks
    from app.preflight import check_meeting

    if not any(public for _, public in wanted):
        return list(wanted), []
    errors = leaks(check_meeting(snapshot, task))
    if not errors:
        return list(wanted), []
    return [(k, public) for k, public in wanted if not public], [
        f"Den offentlige udgave er ikke lavet og ikke med i versionen: kontrollen før "
        f"udsendelse fandt {len(errors)} fejl ({errors[0].message}). Ret fejlene, og "
        "udsend igen."
    ]


def _freeze(
    repo: WorkspaceRepository,
    meeting: Meeting,
    kind: VersionKind,
    note: str,
    user: str,
    clock: Clock,
    files: FileWriter,
    task: TaskState,
) -> SendOutcome:
    """Write ``meeting``'s files and store them as a version (inside the caller's
    transaction, after the meeting's new status is saved)."""
    with tempfile.TemporaryDirectory(prefix="kkr-udsend-") as tmp:
        root = Path(tmp) / "filer"
        written, problems = files(repo, meeting, root, task)
        payload = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in written]
    earlier = [v for v in repo.sent_versions(meeting.id) if v.kind is kind]  # type: ignore[arg-type]
    version = repo.record_sent_version(
        meeting,
        kind,
        clock(),
        user,
        note,
        payload,
        parent_id=earlier[-1].id if earlier else None,
    )
    return SendOutcome(version, meeting, tuple(problems))


def send_meeting(
    repo: WorkspaceRepository,
    meeting_id: MeetingId,
    note: str,
    user: str,
    clock: Clock,
    files: FileWriter = agenda_files,
    task: TaskState = NullTaskState(),  # noqa: B008 - stateless
) -> SendOutcome:
    """ "Udsend": the meeting becomes Udsendt and a version is frozen with the exact files
    written. A meeting sent before may be sent again (a later version, whose parent is the
    one before). One transaction: if a file cannot be made, nothing is saved."""
    with repo.transaction():
        meeting = repo.meeting(meeting_id)
        if meeting.status in LOCKED:
            raise RecordLockedError(
                f"Mødet {_name(meeting)} er afholdt, så dagsordenen kan ikke udsendes igen. "
                "Intet er gemt."
            )
        saved = repo.save_meeting(replace(meeting, status=MeetingStatus.SENT))
        return _freeze(repo, saved, VersionKind.AGENDA, note, user, clock, files, task)


def approve_minutes(
    repo: WorkspaceRepository,
    meeting_id: MeetingId,
    user: str,
    clock: Clock,
    note: str = "",
    files: FileWriter = minutes_files,
    task: TaskState = NullTaskState(),  # noqa: B008 - stateless
) -> SendOutcome:
    """The minutes of a held meeting are approved: status Referat godkendt, and the
    minutes frozen as a version. From then on only corrections are added."""
    with repo.transaction():
        meeting = repo.meeting(meeting_id)
        if meeting.status is not MeetingStatus.HELD:
            raise RecordLockedError(
                f"Referatet af mødet {_name(meeting)} kan kun godkendes, når mødet er "
                f"afholdt (status nu: {meeting.status.label}). Intet er gemt."
            )
        saved = repo.save_meeting(replace(meeting, status=MeetingStatus.MINUTES_APPROVED))
        return _freeze(repo, saved, VersionKind.MINUTES, note, user, clock, files, task)


def add_correction(
    repo: WorkspaceRepository,
    meeting_id: MeetingId,
    text: str,
    user: str,
    clock: Clock,
    item_id: ItemId | None = None,
) -> Meeting:
    """Add a correction (Rettelse) to approved minutes: shown in the minutes with its date
    and author, under the item (or after the items when ``item_id`` is None)."""
    with repo.transaction():
        meeting = repo.meeting(meeting_id)
        if meeting.status is not MeetingStatus.MINUTES_APPROVED:
            raise UserFacingError(
                f"Referatet af mødet {_name(meeting)} er ikke godkendt endnu; ret "
                "beslutningen eller fremmødet direkte i stedet for at skrive en rettelse."
            )
        if not text.strip():
            raise UserFacingError("Rettelsen er tom. Skriv, hvad der rettes.")
        if item_id is not None:
            meeting.agenda.item(item_id)  # KeyError for an item not on the meeting
        return repo.add_correction(meeting_id, Correction(clock(), user, text.strip(), item_id))


def write_sent_files(
    repo: WorkspaceRepository, version_id: SentVersionId, folder: Path
) -> list[Path]:
    """Write the files of a sent version into ``folder``, byte for byte as they were sent
    (each atomically; sub-folders as sent)."""
    from export.atomic import atomic_output

    written = []
    for f in repo.sent_version(version_id).files:
        parts = Path(f.name).parts
        if Path(f.name).is_absolute() or ".." in parts:
            raise ValueError(f"unsafe stored name {f.name!r}")
        target = Path(folder).joinpath(*parts)
        with atomic_output(target) as tmp:
            tmp.write_bytes(repo.sent_file(version_id, f.name))
        written.append(target)
    return written


# -- Udsend from the window: read, write in a worker, freeze -----------------------------
#
# ``send_meeting`` holds one transaction while it writes every file: right for the command
# line, but the window's connection belongs to its UI thread. The window splits it like an
# export (``app.exporting``): the snapshot is read on the UI thread, the documents and
# packs are written in a worker, and the freeze (status, exchange folder, version) is one
# transaction on the UI thread again, refused if the meeting changed in between.


def read_send_snapshot(repo: WorkspaceRepository, meeting_id: MeetingId):  # type: ignore[no-untyped-def]
    """Step 1, on the workspace's thread: the meeting as it will be sent (status Udsendt)
    with every byte its documents need. Refused for a held meeting."""
    from app.snapshots import read_snapshot
    from export.conversion.convert import conversion_key

    meeting = repo.meeting(meeting_id)
    if meeting.status in LOCKED:
        raise RecordLockedError(
            f"Mødet {_name(meeting)} er afholdt, så dagsordenen kan ikke udsendes igen. "
            "Intet er gemt."
        )
    return read_snapshot(repo, replace(meeting, status=MeetingStatus.SENT), conversion_key)


def write_send_files(snapshot, folder: Path, task: TaskState, on_stage=None):  # type: ignore[no-untyped-def]
    """Step 2, anywhere (a worker): the documents and packs into ``folder``, all or none;
    ExportError when one cannot be made."""
    from export.outputs import OUTPUTS, write_outputs

    wanted, held_back = _gated(snapshot, SEND_OUTPUTS, task)
    requests = [(OUTPUTS[k], public) for k, public in wanted]
    outcome = write_outputs(snapshot, Path(folder), requests, task, on_stage=on_stage)
    if outcome.failed:
        raise ExportError(" ".join(outcome.failed))
    outcome.problems[:0] = held_back
    return outcome


def _comparable(meeting: Meeting) -> Meeting:
    return replace(meeting, status=MeetingStatus.SENT, version=0, corrections=())


def finish_send(
    repo: WorkspaceRepository,
    snapshot,  # type: ignore[no-untyped-def]
    outcome,  # type: ignore[no-untyped-def]
    folder: Path,
    note: str,
    user: str,
    clock: Clock,
) -> SendOutcome:
    """Step 3, on the workspace's thread: freeze exactly the files written in step 2
    (with the exchange folder) in one transaction, as ``send_meeting`` does. Refused,
    nothing saved, when the meeting was changed after step 1."""
    from app.snapshots import store_export_results

    expected = snapshot.meeting
    root = Path(folder)

    def already_written(
        repo: WorkspaceRepository, meeting: Meeting, target: Path, task: TaskState
    ) -> tuple[list[Path], list[str]]:
        import shutil

        from exchange.transfer import export_meeting

        if _comparable(meeting) != _comparable(expected):
            raise UserFacingError(
                f"Mødet {_name(meeting)} blev ændret, mens filerne blev skrevet. Intet er "
                "udsendt; udsend igen."
            )
        written = []
        for path in outcome.written:
            relative = Path(path).relative_to(root)
            copy = target / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            written.append(copy)
        exchange = export_meeting(repo, meeting.id, target / "udveksling")  # type: ignore[arg-type]
        written += sorted(p for p in exchange.rglob("*") if p.is_file())
        return written, list(outcome.problems)

    sent = send_meeting(repo, expected.id, note, user, clock, files=already_written)  # type: ignore[arg-type]
    # a cache for the next export only: the version is frozen whatever happens to it
    with contextlib.suppress(UserFacingError):
        store_export_results(repo, outcome.new_conversions, outcome.extracted_text)
    return sent
