"""What the export dialog runs: a thin adapter over the export use case
(``app.exporting``: read the snapshot, write the files in the worker, keep the
by-products).

A set of outputs is written all or nothing (``export.outputs.write_outputs``, shared with
the command line): when one output fails, none is saved and the earlier files in the
folder stay as they were. This module only adds what the dialog shows: a Danish label
per choice and which edition a pack is, and what one click on Eksportér decided
(``ExportPlan``), read then (``MeetingReader``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agenda.model import MeetingId
from agenda.repository import WorkspaceRepository
from agenda.snapshot import MeetingSnapshot
from app.exporting import OUTPUTS, ExportOutcome, Output, read_meeting_snapshot, write_export
from gui.i18n import _

__all__ = [
    "OUTPUTS",
    "ExportOutcome",
    "ExportPlan",
    "ExportRequest",
    "MeetingReader",
    "OutputKind",
    "SnapshotReader",
    "default_outputs",
    "run_export",
]

#: Reads the meeting to export, as it is now, with its bytes (on the UI thread);
#: ``commit=True`` saves the user's pending edit first. ``MeetingReader`` is one.
SnapshotReader = Callable[..., MeetingSnapshot]


@dataclass(frozen=True)
class OutputKind:
    """One check box in the dialog: a shared output, and for a pack its fixed edition."""

    key: str
    label: str
    output: Output
    #: a pack's edition; None for documents, whose edition is the dialog's choice
    edition_public: bool | None = None

    @property
    def pack(self) -> bool:
        return self.output.pack


@dataclass(frozen=True)
class ExportRequest:
    kind: OutputKind
    public: bool  # the dialog's choice for documents (packs carry their own)

    @property
    def edition_public(self) -> bool:
        fixed = self.kind.edition_public
        return self.public if fixed is None else fixed


@dataclass(frozen=True)
class MeetingReader:
    """Reads the meeting as saved in the workspace at the moment of reading, with every
    byte an export needs, on the UI thread (which owns the connection)."""

    workspace: WorkspaceRepository
    meeting_id: MeetingId
    #: saves what the user is still typing (the item editor's pending edit)
    commit_pending: Callable[[], None] | None = None

    def __call__(self, *, commit: bool = False) -> MeetingSnapshot:
        """``commit``: save the pending edit first (on Eksportér, not on a refresh,
        which would commit under the user's fingers)."""
        if commit and self.commit_pending is not None:
            self.commit_pending()
        return read_meeting_snapshot(self.workspace, self.meeting_id)


@dataclass(frozen=True)
class ExportPlan:
    """One click on Eksportér: what is exported, in which editions, where."""

    snapshot: MeetingSnapshot
    folder: Path
    requests: tuple[ExportRequest, ...]

    @property
    def public(self) -> bool:
        return any(r.edition_public for r in self.requests)

    def file_names(self) -> list[str]:
        return [
            r.kind.output.file_name(self.snapshot, public=r.edition_public) for r in self.requests
        ]


def default_outputs() -> list[OutputKind]:
    return [
        OutputKind("agenda-docx", _("Agenda as Word"), OUTPUTS["agenda-docx"]),
        OutputKind("agenda-pdf", _("Agenda as PDF"), OUTPUTS["agenda-pdf"]),
        OutputKind("minutes-docx", _("Minutes as Word"), OUTPUTS["minutes-docx"]),
        OutputKind("minutes-pdf", _("Minutes as PDF"), OUTPUTS["minutes-pdf"]),
        OutputKind(
            "pack-complete", _("Bilagspakke, full edition (internal)"), OUTPUTS["pack"], False
        ),
        OutputKind("pack-public", _("Bilagspakke, public edition"), OUTPUTS["pack"], True),
        # the tillæg follow the documents' edition (a pack with no fixed edition)
        OutputKind(
            "supplement-agenda-docx",
            _("Supplementary agenda (Word)"),
            OUTPUTS["supplement-agenda-docx"],
        ),
        OutputKind(
            "supplement-agenda-pdf",
            _("Supplementary agenda (PDF)"),
            OUTPUTS["supplement-agenda-pdf"],
        ),
        OutputKind("supplement-pack", _("Supplementary bilag"), OUTPUTS["supplement-pack"]),
        OutputKind("revised-pack", _("Revised bilagspakke"), OUTPUTS["revised-pack"]),
    ]


def run_export(
    task: Any, snapshot: MeetingSnapshot, folder: Path, requests: list[ExportRequest]
) -> ExportOutcome:
    """Runs on the worker thread; ``task`` is the worker's TaskState (with ``stage``)."""
    return write_export(
        snapshot,
        Path(folder),
        [(r.kind.output, r.edition_public) for r in requests],
        task,
        on_stage=getattr(task, "stage", None),
    )
