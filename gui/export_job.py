"""What the export dialog runs in the worker: a thin adapter over ``export.outputs``.

The staging folder, the atomic move into place, listing one failed output while the
rest still run, and reusing the first pack edition's conversions for the second all
live in ``export.outputs.write_outputs``, shared with the command line. This module
only adds what the dialog shows: a Danish label per choice and which edition a pack is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agenda.snapshot import MeetingSnapshot
from export.outputs import OUTPUTS, ExportOutcome, Output, write_outputs

__all__ = ["OUTPUTS", "ExportOutcome", "ExportRequest", "OutputKind", "run_export"]


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


def run_export(
    task: Any, snapshot: MeetingSnapshot, folder: Path, requests: list[ExportRequest]
) -> ExportOutcome:
    """Runs on the worker thread; ``task`` is the worker's TaskState (with ``stage``)."""
    return write_outputs(
        snapshot,
        Path(folder),
        [(r.kind.output, r.edition_public) for r in requests],
        task,
        on_stage=getattr(task, "stage", None),
    )
