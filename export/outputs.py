"""The documents a meeting can be exported as, and running several from one snapshot.

Shared by the CLI (``main.py export``) and the GUI's export dialog. The outputs are
written into a hidden staging folder inside the target folder and moved into place only
when all are done, so Cancel or a crash never leaves a partial set, and an older file is
never replaced by half of a new one. One output failing with an expected error is listed
and the others still run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agenda.errors import UserFacingError, is_disk_full, os_error_reason
from agenda.formatting import output_name
from agenda.repository import ConversionKey
from agenda.snapshot import MeetingSnapshot
from agenda.tasks import NullTaskState, TaskState, check
from export.atomic import describe
from export.document_content import document_kind


@dataclass(frozen=True, slots=True)
class Output:
    key: str  # the CLI's name: agenda-docx, pack, ...
    document: str  # the first word of the file name (Danish)
    suffix: str
    minutes: bool = False
    pack: bool = False

    def file_name(self, snapshot: MeetingSnapshot, *, public: bool) -> str:
        m = snapshot.meeting
        # draft minutes are named so, so that no file of them passes for the minutes
        document = document_kind(m, minutes=True) if self.minutes else self.document
        return output_name(document, m.body.name, m.start, public=public, suffix=self.suffix)

    def write(
        self, snapshot: MeetingSnapshot, target: Path, *, public: bool, task: TaskState
    ) -> Any:
        if self.pack:
            from export.pack import build_pack

            return build_pack(snapshot, target, public=public, task=task)
        task.report(0, 1, "")  # named when it is written: [1/1] is the line to print
        if self.suffix == ".docx":
            from export.docx_agenda import write_agenda_docx as write
        else:
            from export.pdf_agenda import write_agenda_pdf as write
        result = write(snapshot, target, minutes=self.minutes, public=public)
        task.report(1, 1, target.name)
        return result


OUTPUTS: dict[str, Output] = {
    o.key: o
    for o in (
        Output("agenda-docx", "Dagsorden", ".docx"),
        Output("agenda-pdf", "Dagsorden", ".pdf"),
        Output("minutes-docx", "Referat", ".docx", minutes=True),
        Output("minutes-pdf", "Referat", ".pdf", minutes=True),
        Output("pack", "Bilagspakke", ".pdf", pack=True),
    )
}


@dataclass
class ExportOutcome:
    written: list[Path] = field(default_factory=list)
    #: Danish lines for the user: an output that failed, a bilag that could not be included
    problems: list[str] = field(default_factory=list)
    #: to store in the workspace afterwards (the export itself never touches it)
    new_conversions: dict[ConversionKey, bytes] = field(default_factory=dict)
    extracted_text: dict[str, str] = field(default_factory=dict)
    converted_count: int = 0


def write_outputs(
    snapshot: MeetingSnapshot,
    folder: Path,
    requests: list[tuple[Output, bool]],
    task: TaskState = NullTaskState(),  # noqa: B008 - stateless
    *,
    on_stage: Callable[[int, int, str], None] | None = None,
) -> ExportOutcome:
    """Write each (output, public) into ``folder``; raises Cancelled with nothing written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(folder)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    except OSError as error:
        raise UserFacingError(
            f"Mappen {folder} kan ikke bruges til eksporten: {os_error_reason(error)}. "
            "Vælg en anden mappe.",
            path=str(folder),
        ) from error
    outcome = ExportOutcome()
    staged: list[Path] = []
    try:
        for index, (output, public) in enumerate(requests):
            check(task)
            name = output.file_name(snapshot, public=public)
            if on_stage:
                on_stage(index, len(requests), name)
            target = staging / name
            # a second pack edition reuses what the first converted
            current = snapshot
            if outcome.new_conversions:
                current = MeetingSnapshot(
                    snapshot.meeting,
                    snapshot.blobs,
                    {**snapshot.converted, **outcome.new_conversions},
                )
            try:
                result = output.write(current, target, public=public, task=task)
            except UserFacingError as error:
                outcome.problems.append(f"{name}: {error.message}")
                continue
            _collect(result, outcome)
            if target.exists():
                staged.append(target)
            else:
                outcome.problems.append(
                    f"{name}: udgaven har ingen bilag, så der er ikke lavet nogen fil."
                )
        check(task)
        for path in staged:
            final = folder / path.name
            try:
                os.replace(path, final)
            except OSError as error:
                message = (
                    describe(error, final)
                    if is_disk_full(error)
                    else f"{final.name} kunne ikke gemmes i {folder}: {os_error_reason(error)}. "
                    "Luk filen, hvis den er åben i et andet program, eller vælg en anden "
                    "mappe, og prøv igen. Den tidligere fil er urørt."
                )
                raise UserFacingError(message, path=str(final)) from error
            outcome.written.append(final)
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)


STAGING_PREFIX = ".kkr-eksport-"
#: A staging folder this old is what a killed or crashed export left behind (on Windows
#: a leading dot does not hide it); a younger one may be another export still running.
STALE_AFTER = 12 * 3600


def _remove_stale_staging(folder: Path) -> None:
    now = time.time()
    for path in folder.glob(f"{STAGING_PREFIX}*"):
        try:
            if path.is_dir() and now - path.stat().st_mtime > STALE_AFTER:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue


def _collect(result: Any, outcome: ExportOutcome) -> None:
    """A pack's by-products: problems to list, conversions and text to store."""
    for problem in getattr(result, "problems", ()) or ():
        title = problem.attachment.file_name or problem.attachment.title
        message = problem.error.message if problem.error else "ukendt fejl"
        outcome.problems.append(f"{title}: {message}")
    outcome.new_conversions.update(getattr(result, "new_conversions", None) or {})
    outcome.extracted_text.update(getattr(result, "extracted_text", None) or {})
    outcome.converted_count += int(getattr(result, "converted_count", 0) or 0)
