"""Exporting a meeting's documents: the agenda, the minutes and the bilagspakke.

One export is three steps, so the window can run the long one in a worker while the
thread that owns the workspace does the reading and the storing:

1. ``read_meeting_snapshot`` (on the workspace's thread): the meeting as it is at the
   moment of export, with every byte the export needs. For the public edition the check
   before sending and its gate are taken on this very snapshot (``app.preflight``):
   ``prepare_export`` does both for the command line; the window checks in its panel and
   calls ``app.preflight.gate_public`` itself.
2. ``write_export`` (anywhere, a worker): the files, all or none (``export.outputs``).
3. ``finish_export`` (on the workspace's thread): what the export made besides its
   files (converted PDFs for the next export, their text for search) is stored, here and
   nowhere else. That this cache cannot be stored (a full disk) is a warning after the
   files, not a failure of the export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from agenda.errors import UserFacingError
from agenda.model import MeetingId
from agenda.preflight import Finding
from agenda.repository import WorkspaceRepository
from agenda.snapshot import MeetingSnapshot
from agenda.tasks import NullTaskState, TaskState
from app import snapshots
from app.preflight import PublicGate, check_meeting, gate_public
from app.supplements import with_sent
from export.outputs import OUTPUTS, ExportOutcome, Output, write_outputs

__all__ = [
    "OUTPUTS",
    "ExportOutcome",
    "Output",
    "PreparedExport",
    "finish_export",
    "prepare_export",
    "read_meeting_snapshot",
    "write_export",
]


def read_meeting_snapshot(workspace: WorkspaceRepository, meeting_id: MeetingId) -> MeetingSnapshot:
    """The meeting as saved now, with every byte an export or a check of it needs."""
    from export.conversion.convert import conversion_key

    snapshot = snapshots.read_snapshot(workspace, workspace.meeting(meeting_id), conversion_key)
    # the tillæg outputs compare against what was sent: read in the same moment
    return with_sent(workspace, snapshot)


@dataclass(frozen=True)
class PreparedExport:
    snapshot: MeetingSnapshot
    #: the check of the snapshot (only taken for a public edition)
    findings: tuple[Finding, ...]
    #: None when no public edition is asked for
    gate: PublicGate | None

    @property
    def allowed(self) -> bool:
        return self.gate is None or self.gate.allowed


def prepare_export(
    workspace: WorkspaceRepository,
    meeting_id: MeetingId,
    *,
    public: bool,
    force: bool = False,
    state: TaskState | None = None,
) -> PreparedExport:
    """Step 1 for a caller without a check of its own: the snapshot and, for a public
    edition, the check of it and the gate (the override recorded when ``force``)."""
    snapshot = read_meeting_snapshot(workspace, meeting_id)
    if not public:
        return PreparedExport(snapshot, (), None)
    found = tuple(check_meeting(snapshot, state))
    return PreparedExport(snapshot, found, gate_public(workspace, snapshot, found, override=force))


def write_export(
    snapshot: MeetingSnapshot,
    folder: Path,
    requests: Sequence[tuple[Output, bool]],
    state: TaskState | None = None,
    *,
    on_stage: Callable[[int, int, str], None] | None = None,
) -> ExportOutcome:
    """Step 2, anywhere: each (output, public) written into ``folder``, all or none."""
    return write_outputs(
        snapshot, Path(folder), list(requests), state or NullTaskState(), on_stage=on_stage
    )


def finish_export(workspace: WorkspaceRepository, outcome: ExportOutcome) -> ExportOutcome:
    """Step 3, on the workspace's thread: keep the by-products (one transaction); a
    failure to keep them is added to ``outcome.problems`` as a warning."""
    try:
        snapshots.store_export_results(workspace, outcome.new_conversions, outcome.extracted_text)
    except UserFacingError as error:
        # only a cache for the next export (on the same full disk, likely): the files
        # and what went wrong with them are what the user must hear about
        outcome.problems.append(error.message)
    return outcome
