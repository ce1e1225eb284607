"""The documents a meeting can be exported as, and running several from one snapshot.

Shared by the CLI (``main.py export``) and the GUI's export dialog. A set of outputs is
written all or nothing: each is written into a hidden staging folder inside the target
folder, and only when every one succeeded are they moved into place, the files they
replace kept (hard-linked) until the last move succeeded and put back if one fails. So
Cancel, a crash, a full disk or one output's expected error never leaves a partial set,
and an older file is never replaced by half of a new one nor by one of a set that failed.
"""

from __future__ import annotations

import contextlib
import dataclasses
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
from export.supplement_content import NOT_SENT


@dataclass(frozen=True, slots=True)
class Output:
    key: str  # the CLI's name: agenda-docx, pack, ...
    document: str  # the first word of the file name (Danish)
    suffix: str
    minutes: bool = False
    pack: bool = False
    #: Made from the changes since the agenda was sent (``snapshot.sent``): a
    #: tillægsdagsorden, its bilag, the revised pack.
    supplement: bool = False

    def refusal(self, snapshot: MeetingSnapshot) -> str | None:
        """Why this output cannot be made of the snapshot (Danish), or None."""
        if self.supplement and (snapshot.sent is None or snapshot.sent_at is None):
            return NOT_SENT
        return None

    def file_name(self, snapshot: MeetingSnapshot, *, public: bool) -> str:
        m = snapshot.meeting
        # draft minutes are named so, so that no file of them passes for the minutes
        document = document_kind(m, minutes=True) if self.minutes else self.document
        return output_name(document, m.body.name, m.start, public=public, suffix=self.suffix)

    def write(
        self, snapshot: MeetingSnapshot, target: Path, *, public: bool, task: TaskState
    ) -> Any:
        if self.supplement:
            from export.supplements import write_supplement

            return write_supplement(self.key, snapshot, target, public=public, task=task)
        if self.pack:
            from export.pack.build import build_pack

            return build_pack(snapshot, target, public=public, task=task)
        task.report(0, 1, "")  # named when it is written: [1/1] is the line to print
        if self.suffix == ".pdf" and public:  # what is published: tagged where it can be
            from export.tagged_agenda import write_tagged_agenda_pdf

            made = write_tagged_agenda_pdf(snapshot, target, minutes=self.minutes, task=task)
            task.report(1, 1, target.name)
            return made
        if self.suffix == ".docx":
            from export.documents.docx_agenda import write_agenda_docx as write
        else:
            from export.documents.pdf_agenda import write_agenda_pdf as write
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
        Output("supplement-agenda-docx", "Tillægsdagsorden", ".docx", supplement=True),
        Output("supplement-agenda-pdf", "Tillægsdagsorden", ".pdf", supplement=True),
        Output("supplement-pack", "Tillægsbilag", ".pdf", pack=True, supplement=True),
        Output("revised-pack", "Revideret bilagspakke", ".pdf", pack=True, supplement=True),
    )
}


@dataclass
class ExportOutcome:
    written: list[Path] = field(default_factory=list)
    #: Danish lines for the user: an output that failed, a bilag that could not be included
    problems: list[str] = field(default_factory=list)
    #: the lines of ``problems`` that are an output that could not be made; when there is
    #: one, nothing is written (``written`` is empty)
    failed: list[str] = field(default_factory=list)
    #: to store in the workspace afterwards (the export itself never touches it)
    #: Danish lines about files that were written, but not as they should be: a public
    #: agenda or pack that is not tagged (accessible), and why
    notices: list[str] = field(default_factory=list)
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
    """Write each (output, public) into ``folder``, all or none of them.

    An output failing with an expected error (a full disk, a bilag that cannot be read)
    stops the export: it is listed in ``failed`` and ``problems``, nothing is moved into
    place, and the earlier files in ``folder`` are as they were. Raises Cancelled with
    nothing written, and UserFacingError when the folder cannot be used or a final move
    failed (the files already moved are then put back).
    """
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
    lost: list[Path] = []  # earlier files that a failed move could not put back
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
                current = dataclasses.replace(
                    snapshot, converted={**snapshot.converted, **outcome.new_conversions}
                )
            try:
                result = output.write(current, target, public=public, task=task)
            except UserFacingError as error:
                _fail(outcome, f"{name}: {error.message}", folder)
                return outcome
            except OSError as error:  # a writer that let the operating system's error out
                _fail(outcome, f"{name}: {describe(error, folder / name)}", folder)
                return outcome
            _collect(result, outcome)
            if target.exists():
                staged.append(target)
            else:
                outcome.problems.append(
                    f"{name}: udgaven har ingen bilag, så der er ikke lavet nogen fil."
                )
        check(task)
        _move_into_place(staged, folder, staging / EARLIER, lost)
        outcome.written.extend(folder / path.name for path in staged)
        return outcome
    finally:
        if lost:
            # the message named these files: no later clean-up may take them
            with contextlib.suppress(OSError):
                (staging / KEEP).touch()
        else:
            shutil.rmtree(staging, ignore_errors=True)


def _fail(outcome: ExportOutcome, line: str, folder: Path) -> None:
    line += (
        f" Ingen af filerne er gemt, og de tidligere filer i {folder} er urørte; "
        "eksportér igen, når fejlen er rettet."
    )
    outcome.failed.append(line)
    outcome.problems.append(line)


def _move_into_place(staged: list[Path], folder: Path, backups: Path, lost: list[Path]) -> None:
    """Move every staged file into ``folder``, or none: the files they replace are kept
    as hard links (or copies) in ``backups`` until all moves succeeded, and put back when
    one fails. A file that cannot be put back is added to ``lost`` (and named in the
    message: its backup is then not removed)."""
    placed: list[tuple[Path, Path | None]] = []  # (final, backup of the file it replaced)
    final = folder
    try:
        backups.mkdir()
        for path in staged:
            final = folder / path.name
            backup = None
            if final.is_file():
                backup = backups / path.name
                _keep(final, backup)
            os.replace(path, final)
            placed.append((final, backup))
    except OSError as error:
        lost += _put_back(placed)
        message = (
            describe(error, final)
            if is_disk_full(error)
            else f"{final.name} kunne ikke gemmes i {folder}: {os_error_reason(error)}. "
            "Luk filen, hvis den er åben i et andet program, eller vælg en anden "
            "mappe, og prøv igen."
        )
        if lost:
            message += (
                " Nogle af de tidligere filer kunne ikke lægges tilbage; de ligger i "
                f"{backups}: {', '.join(p.name for p in lost)}."
            )
        else:
            message += " Ingen af filerne er gemt; de tidligere filer er urørte."
        raise UserFacingError(message, path=str(final)) from error


def _keep(final: Path, backup: Path) -> None:
    """The file about to be replaced, kept beside it: a hard link costs nothing; a drive
    without them (FAT, some network shares) gets a copy."""
    try:
        os.link(final, backup)
    except OSError:
        shutil.copy2(final, backup)


def _put_back(placed: list[tuple[Path, Path | None]]) -> list[Path]:
    """Undo the moves done, newest first; the backups that could not be put back."""
    lost = []
    for final, backup in reversed(placed):
        try:
            if backup is None:
                final.unlink()
            else:
                os.replace(backup, final)
        except OSError:
            if backup is not None:
                lost.append(backup)
    return lost


STAGING_PREFIX = ".kkr-eksport-"
#: A staging folder this old is what a killed or crashed export left behind (on Windows
#: a leading dot does not hide it); a younger one may be another export still running.
STALE_AFTER = 12 * 3600


#: Inside a staging folder: the files an export replaced, until all its moves succeeded.
EARLIER = ".tidligere"
#: Inside a staging folder: earlier files that could not be put back, and that the
#: user was told are there. A staging folder without it is what a kill left: removed
#: once stale, its own backups with it (the files in place are whole either way).
KEEP = ".behold"


def _remove_stale_staging(folder: Path) -> None:
    now = time.time()
    for path in folder.glob(f"{STAGING_PREFIX}*"):
        try:
            if (path / KEEP).exists():
                continue  # earlier files a failed export could not put back: the user's
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
    # an edition made, but not as it should be (an agenda or pack that is not tagged)
    outcome.notices.extend(getattr(result, "notices", None) or ())
