"""Office documents to PDF through LibreOffice headless (``soffice``), in batches.

One office start costs about a second, the marginal file a fraction of that, so files
are never converted one start per file: each ``soffice --convert-to pdf`` call takes a
whole batch, and up to two calls run side by side. Each call gets its own user profile
folder (two instances sharing one silently lose files), and a later call hands its
files to the LibreOffice the previous call left running: see ``office_processes``.

LibreOffice exits 0 even when a file failed, so every expected output is checked.
Each file gets ``timeout`` seconds, once, counted from when soffice could start on it
(for the first file that includes starting the office): a call that makes no progress
for that long is killed with its whole process group, the file it was on fails with a
message naming that number, and the files after it are retried one by one, so one bad
file fails alone. After two files in a row time out the office is given up for the
rest of the batch, so a hanging office holds an export up for two timeouts, not one
per file. Every file is cleaned first (``office_clean``) and every profile set up so
that nothing is fetched (``office_settings``).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pikepdf

from agenda.errors import ConversionError
from export.conversion.office_clean import PackageNotCleaned, clean

# re-exported: callers and tests use convert_office.find_libreoffice
from export.conversion.office_find import find_libreoffice as find_libreoffice
from export.conversion.office_processes import (
    PROFILES,
    WARM,
    kill_tree,
    new_group,
    unlock,
    work_root,
)

#: ``--convert-to`` for a document we made ourselves (the agenda, the minutes): tagged
#: and identified as PDF/UA-1, PDF 1.7 (``SelectPdfVersion`` 2 is PDF/UA in 7.4's
#: list). One argv item: no shell, so the JSON's quotes survive, also on Windows.
PDF_UA = (
    'pdf:writer_pdf_Export:{"PDFUACompliance":{"type":"boolean","value":"true"},'
    '"SelectPdfVersion":{"type":"long","value":"2"}}'
)

#: What an office suite converts (Word, Excel and PowerPoint kinds, and their ODF twins).
WORD_EXTENSIONS = frozenset({"doc", "docx", "odt", "rtf"})
SPREADSHEET_EXTENSIONS = frozenset({"xls", "xlsx", "ods"})
PRESENTATION_EXTENSIONS = frozenset({"ppt", "pptx", "odp"})
OFFICE_EXTENSIONS = WORD_EXTENSIONS | SPREADSHEET_EXTENSIONS | PRESENTATION_EXTENSIONS


@dataclass(frozen=True, slots=True)
class OfficeSuite:
    """An installed office suite that can make PDFs."""

    name: str  # what the user reads: "LibreOffice", "Microsoft Office"
    converter: str  # the cache key's converter: "libreoffice", "msoffice"
    version: str
    executable: Path | None = None  # soffice; None for Microsoft Office (COM)
    extensions: frozenset[str] = OFFICE_EXTENSIONS


@dataclass(frozen=True, slots=True, eq=False)
class OfficeJob:
    """One file for the office suite; ``ext`` is its real type, sniffed from the bytes."""

    key: object
    name: str
    ext: str
    data: bytes


def conversion_failed(name: str, suite: str, detail: str = "") -> ConversionError:
    why = f" ({detail})" if detail else ""
    return ConversionError(
        f"{name} kunne ikke laves om til PDF af {suite}{why}. Filen er måske beskadiget: "
        "åbn den, gem den igen, og tilføj den igen.",
        path=name,
    )


def not_cleaned(name: str, suite: str, error: Exception) -> ConversionError:
    """The package could not be checked for links and tracked changes, so it is not
    handed to the office suite at all."""
    del error  # its text is English and technical; the file name says which file
    return conversion_failed(
        name, suite, "indholdet kunne ikke læses og kontrolleres for links og sporede ændringer"
    )


def gave_up(name: str, suite: str, hangs: int) -> ConversionError:
    return ConversionError(
        f"{name} blev ikke lavet om til PDF, fordi {suite} holdt op med at svare ({hangs} "
        "filer i træk gik i stå). Luk andre programmer, og prøv igen; sker det igen, så "
        "genstart computeren.",
        path=name,
    )


def timed_out(name: str, suite: str, timeout: float) -> ConversionError:
    return ConversionError(
        f"{suite} brugte mere end {timeout:.0f} sekunder på {name} og blev stoppet. "
        "Åbn filen, gem den igen (evt. som PDF), og tilføj den igen.",
        path=name,
    )


# -- converting -------------------------------------------------------------------------


#: How often a running call is looked at (outputs, cancel).
_POLL = 0.05
#: soffice calls side by side (never more than the cores): two measured 0.7x of one.
MAX_INSTANCES = 2
#: The longest the kept-running office may take to come up (then calls run cold).
WARM_START = 30.0
#: Files in a row that may time out before LibreOffice is given up for the rest of its
#: batch. So an export waits at most this many timeouts on a hanging office, besides
#: one for each file that really hangs alone.
HANGS_BEFORE_GIVING_UP = 2


class _Outcome(Enum):
    EXITED = "exited"  # soffice ended by itself (maybe with a failed file)
    CRASHED = "crashed"  # nonzero exit: files after the crash never ran
    KILLED = "killed"  # no progress within the timeout
    STOPPED = "stopped"  # the caller cancelled


OnDone = Callable[[OfficeJob, bytes | Exception], None]


def launch(command: Sequence[str], **kwargs) -> subprocess.Popen:
    """Start one soffice call. A seam: tests wrap it to count office starts."""
    return subprocess.Popen(command, **kwargs)


def convert_with_libreoffice(
    jobs: Sequence[OfficeJob],
    suite: OfficeSuite,
    on_done: OnDone,
    stop: threading.Event,
    *,
    timeout: float,
    instances: int | None = None,
    convert_to: str = "pdf",
) -> None:
    """Convert ``jobs``; call ``on_done(job, pdf_bytes_or_error)`` once per job, from
    worker threads, as each finishes. Returns when all are done or ``stop`` is set.
    ``convert_to``: soffice's target with filter options (``PDF_UA``); plain "pdf" is
    tagged too, by the profile (``office_settings``)."""
    if not jobs:
        return
    if instances is None:
        instances = min(os.cpu_count() or 1, MAX_INSTANCES)
    groups = split_batches(jobs, max(1, min(instances, len(jobs))))
    threads = [
        threading.Thread(
            target=_run_group,
            args=(group, suite, on_done, stop, timeout, convert_to),
            name=f"soffice-{n}",
            daemon=True,
        )
        for n, group in enumerate(groups)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def split_batches(jobs: Sequence[OfficeJob], count: int) -> list[list[OfficeJob]]:
    """``count`` batches of about equal size in bytes, each in the callers' order."""
    loads = [0] * count
    assigned: dict[int, int] = {}
    for index in sorted(range(len(jobs)), key=lambda i: -len(jobs[i].data)):
        target = loads.index(min(loads))
        assigned[index] = target
        loads[target] += len(jobs[index].data) + 50_000  # a file has a fixed cost too
    batches: list[list[OfficeJob]] = [[] for _ in range(count)]
    for index, job in enumerate(jobs):
        batches[assigned[index]].append(job)
    return [batch for batch in batches if batch]


def _run_group(
    jobs: list[OfficeJob],
    suite: OfficeSuite,
    on_done: OnDone,
    stop: threading.Event,
    timeout: float,
    convert_to: str = "pdf",
) -> None:
    pending = dict(enumerate(jobs))  # in the callers' order, which soffice keeps
    profile: Path | None = None
    work: Path | None = None
    started = time.monotonic()  # the first file's clock: starting the office counts
    try:
        profile = PROFILES.acquire(suite)
        # best effort (else the call runs cold), and never more than half the first
        # file's time: a warm start that hung used to cost a whole timeout of its own
        WARM.ensure(suite, profile, stop, min(WARM_START, timeout / 2))
        work = Path(tempfile.mkdtemp(prefix="kkr-konvertering-", dir=work_root(suite)))
        _convert_batch(pending, suite, profile, work, on_done, stop, timeout, started, convert_to)
    except Exception as error:  # a full disk, a vanished temp folder: every file left fails
        for job in pending.values():
            on_done(
                job, conversion_failed(job.name, suite.name, f"{type(error).__name__}: {error}")
            )
    finally:
        if profile is not None:
            WARM.idle(profile)
            PROFILES.release(profile)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _convert_batch(
    pending: dict[int, OfficeJob],
    suite: OfficeSuite,
    profile: Path,
    work: Path,
    on_done: OnDone,
    stop: threading.Event,
    timeout: float,
    started: float,
    convert_to: str = "pdf",
) -> None:
    """Each file gets ``timeout`` seconds from the moment soffice could start on it
    (the call's start, or the end of the file before it), once: the message says so."""
    # Safe names keep the extension (LibreOffice picks its filter by it) and drop the
    # user's file name, which may hold æøå, emoji or 250 characters.
    inputs = work / "in"
    inputs.mkdir()
    paths: dict[int, Path] = {}
    for index, job in list(pending.items()):
        try:
            data = clean(job.data)  # nothing to fetch, changes accepted: office_clean
        except PackageNotCleaned as error:
            on_done(pending.pop(index), not_cleaned(job.name, suite.name, error))
            continue
        paths[index] = inputs / f"b{index:04d}.{job.ext}"
        paths[index].write_bytes(data)
    if not pending:
        return

    outcome = _run_soffice(
        suite, profile, list(pending), paths, work / "out", pending, on_done, stop, timeout,
        started=started, convert_to=convert_to,
    )  # fmt: skip
    if outcome is _Outcome.STOPPED:
        return
    if outcome is _Outcome.EXITED:
        for index in list(pending):  # LibreOffice exits 0 even when a file failed
            job = pending.pop(index)
            on_done(job, conversion_failed(job.name, suite.name))
        return
    hangs = 0
    if outcome is _Outcome.KILLED:
        # soffice converts in the order given, so the file its time ran out on is the
        # first one left. It has had its time: retrying it alone made one file cost two
        # or three timeouts while the message named one.
        first = next(iter(pending))
        job = pending.pop(first)
        on_done(job, timed_out(job.name, suite.name, timeout))
        hangs = 1
    # The files it did not finish (after a crash: all of them, as a crash may be the
    # office's, not a file's) get a call each, so one bad file fails alone.
    for index in list(pending):
        if stop.is_set():
            return
        if index not in pending:
            continue
        if hangs >= HANGS_BEFORE_GIVING_UP:
            # an office that hangs on file after file is stuck on something else: the
            # export does not wait a timeout for every file left
            job = pending.pop(index)
            on_done(job, gave_up(job.name, suite.name, hangs))
            continue
        outcome = _run_soffice(
            suite, profile, [index], paths, work / f"out{index}", pending, on_done, stop, timeout,
            convert_to=convert_to,
        )  # fmt: skip
        if outcome is _Outcome.STOPPED:
            return
        if index not in pending:
            hangs = 0
            continue
        job = pending.pop(index)
        if outcome is _Outcome.KILLED:
            on_done(job, timed_out(job.name, suite.name, timeout))
            hangs += 1
        else:
            on_done(job, conversion_failed(job.name, suite.name))
            hangs = 0


def _run_soffice(
    suite: OfficeSuite,
    profile: Path,
    batch: list[int],
    paths: dict[int, Path],
    outdir: Path,
    pending: dict[int, OfficeJob],
    on_done: OnDone,
    stop: threading.Event,
    timeout: float,
    *,
    started: float | None = None,
    convert_to: str = "pdf",
) -> _Outcome:
    """One soffice call. Finished outputs are reported and removed from ``pending`` as
    they appear; the clock (from ``started``, else now) restarts whenever a file
    finishes."""
    outdir.mkdir(exist_ok=True)
    command = [
        str(suite.executable),
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        convert_to,
        "--outdir",
        str(outdir),
        *(str(paths[index]) for index in batch),
    ]
    process = launch(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=str(outdir),
        **new_group(),
    )
    last_progress = time.monotonic() if started is None else started
    try:
        while True:
            exited = process.poll() is not None
            if _collect(outdir, batch, pending, paths, on_done, final=exited):
                last_progress = time.monotonic()
            if exited:
                return _Outcome.EXITED if process.returncode == 0 else _Outcome.CRASHED
            if stop.is_set():
                return _Outcome.STOPPED
            if time.monotonic() - last_progress > timeout:
                return _Outcome.KILLED
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(_POLL)  # not a sleep: its end is seen at once
    finally:
        if process.poll() is None or process.returncode != 0:
            # The running office may still be busy with (or stuck on) the files this
            # call handed it: end it too, so a retry or the next call starts clean.
            WARM.end(profile)
        if process.poll() is None:
            kill_tree(process)
            unlock(profile)
        if stop.is_set() or process.returncode not in (0, None):
            # collect whatever finished before the end, so it is not converted again
            # (and not blamed for the hang); the office is gone, so a lock left beside
            # an output means nothing: _check_pdf decides whether it is whole
            _collect(outdir, batch, pending, paths, on_done, final=True)


def _collect(
    outdir: Path,
    batch: list[int],
    pending: dict[int, OfficeJob],
    paths: dict[int, Path],
    on_done: OnDone,
    *,
    final: bool,
) -> bool:
    """Report the outputs that are complete. While LibreOffice writes ``x.pdf`` it holds
    ``.~lock.x.pdf#`` beside it; an output with no lock is done."""
    found = False
    for index in batch:
        if index not in pending:
            continue
        target = outdir / (paths[index].stem + ".pdf")
        if not target.exists():
            continue
        if not final and (outdir / f".~lock.{target.name}#").exists():
            continue
        try:
            data = target.read_bytes()
            _check_pdf(data)
        except (OSError, pikepdf.PdfError):
            continue  # still being written, or broken: then it stays pending and fails
        on_done(pending.pop(index), data)
        found = True
    return found


def _check_pdf(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
        if len(pdf.pages) == 0:
            raise pikepdf.PdfError("no pages")
