"""What the export dialog runs in the worker: several outputs from one snapshot.

Everything is written into a hidden staging folder inside the chosen folder and moved
into place only when every output is done, so Cancel (or a crash) leaves no partial
output and never replaces an older file with half of a new one. One output failing
with a ``UserFacingError`` is listed and the rest still run.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agenda.errors import UserFacingError
from agenda.formatting import output_name
from agenda.snapshot import MeetingSnapshot
from agenda.tasks import check
from gui.i18n import _


@dataclass(frozen=True)
class OutputKind:
    """One file the dialog can make, and the export function that makes it."""

    key: str
    label: str
    module: str
    function: str
    document: str  # the first word of the file name: Dagsorden, Referat, Bilagspakke
    suffix: str
    minutes: bool = False
    public: bool = False
    pack: bool = False
    #: set in tests (and by callers that have the function at hand): no import needed
    func: Callable[..., Any] | None = None

    def load(self) -> Callable[..., Any] | None:
        """The export function, or None when its module is not installed yet."""
        if self.func is not None:
            return self.func
        try:
            module = importlib.import_module(self.module)
        except ImportError:
            return None
        return getattr(module, self.function, None)

    def available(self) -> bool:
        if self.func is not None:
            return True
        try:
            import importlib.util

            return importlib.util.find_spec(self.module) is not None
        except ImportError:
            return False


@dataclass(frozen=True)
class ExportRequest:
    kind: OutputKind
    public: bool  # for agenda/minutes: the public edition (packs carry their own)


@dataclass
class ExportOutcome:
    written: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new_conversions: dict[Any, bytes] = field(default_factory=dict)
    extracted_text: dict[str, str] = field(default_factory=dict)
    converted_count: int = 0


class _StageState:
    """The TaskState an export function sees: its own progress, the shared cancel."""

    def __init__(self, task: Any) -> None:
        self._task = task

    def report(self, done: int, total: int, label: str) -> None:
        self._task.report(done, total, label)

    def cancelled(self) -> bool:
        return self._task.cancelled()


def file_name(request: ExportRequest, snapshot: MeetingSnapshot) -> str:
    meeting = snapshot.meeting
    public = request.kind.public if request.kind.pack else request.public
    return output_name(
        request.kind.document,
        meeting.body.name,
        meeting.start,
        public=public,
        suffix=request.kind.suffix,
    )


def run_export(
    task: Any, snapshot: MeetingSnapshot, folder: Path, requests: list[ExportRequest]
) -> ExportOutcome:
    """Runs on the worker thread; ``task`` is the worker's TaskState (with ``stage``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kkr-eksport-", dir=folder))
    outcome = ExportOutcome()
    staged: list[Path] = []
    try:
        for index, request in enumerate(requests):
            check(task)
            name = file_name(request, snapshot)
            stage = getattr(task, "stage", None)
            if stage is not None:
                stage(index, len(requests), name)
            target = staging / name
            try:
                result = _run_one(request, snapshot, target, _StageState(task))
            except UserFacingError as error:
                outcome.errors.append(f"{name}: {error.message}")
                continue
            _collect(result, outcome)
            if target.exists():
                staged.append(target)
            else:  # a pack edition without any bilag writes nothing
                outcome.errors.append(
                    _("%(name)s: there are no attachments in this edition, so no file was made.")
                    % {"name": name}
                )
        check(task)
        if stage := getattr(task, "stage", None):
            stage(len(requests), len(requests), "")
        for path in staged:
            final = folder / path.name
            os.replace(path, final)
            outcome.written.append(final)
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_one(request: ExportRequest, snapshot: MeetingSnapshot, target: Path, state: Any) -> Any:
    function = request.kind.load()
    if function is None:
        raise UserFacingError(
            _("%(what)s cannot be made by this version of the program.")
            % {"what": request.kind.label}
        )
    if request.kind.pack:
        return function(snapshot, target, public=request.kind.public, task=state)
    state.report(0, 1, target.name)
    result = function(snapshot, target, minutes=request.kind.minutes, public=request.public)
    state.report(1, 1, target.name)
    return result


def _collect(result: Any, outcome: ExportOutcome) -> None:
    """A pack's by-products: problems to list, conversions and text to store."""
    for problem in getattr(result, "problems", ()) or ():
        attachment = getattr(problem, "attachment", None)
        title = getattr(attachment, "file_name", "") or getattr(attachment, "title", "")
        error = getattr(problem, "error", problem)
        message = getattr(error, "message", None) or str(error)
        outcome.errors.append(f"{title}: {message}" if title else message)
    conversions: Mapping[Any, bytes] = getattr(result, "new_conversions", None) or {}
    outcome.new_conversions.update(conversions)
    texts: Mapping[str, str] = getattr(result, "extracted_text", None) or {}
    outcome.extracted_text.update(texts)
    outcome.converted_count += int(getattr(result, "converted_count", 0) or 0)
