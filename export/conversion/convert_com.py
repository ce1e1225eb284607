"""Office files to PDF through Microsoft Word, Excel and PowerPoint (COM, Windows only).

Where Microsoft Office is installed it renders Office files as their authors saw them,
so it is preferred to LibreOffice. Each application is started once per batch and
converts all of its files; a file that takes longer than the timeout gets the
application killed (then restarted for the next file) and its own error.

Everything Windows-specific sits behind ``ComBackend``; the tests drive this module
with a fake backend, CI never runs the real one.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from agenda.errors import ConversionError
from export.conversion.convert_office import (
    PRESENTATION_EXTENSIONS,
    SPREADSHEET_EXTENSIONS,
    WORD_EXTENSIONS,
    OfficeJob,
    OfficeSuite,
    conversion_failed,
    not_cleaned,
    timed_out,
)
from export.conversion.office_clean import PackageNotCleaned, clean

SUITE_NAME = "Microsoft Office"

#: Word's and Excel's constants for PDF output; PowerPoint's SaveAs format for PDF.
_WD_EXPORT_PDF = 17
_WD_HEADING_BOOKMARKS = 1  # wdExportCreateHeadingBookmarks
_XL_TYPE_PDF = 0
_PP_SAVE_AS_PDF = 32
#: A password no real document has: a protected file then fails instead of prompting.
_NO_PASSWORD = "\x01kkr-ingen-adgangskode"

OnDone = Callable[[OfficeJob, bytes | Exception], None]
#: Files in a row that may hang before Microsoft Office is given up for this batch.
_HANGS_BEFORE_GIVING_UP = 2


class OfficeUnavailable(ConversionError):
    """Microsoft Office could not take the file at all; LibreOffice may (convert.py)."""


def unavailable(name: str, detail: str) -> OfficeUnavailable:
    return OfficeUnavailable(
        f"{name} kunne ikke laves om til PDF, fordi Microsoft Office ikke kunne bruges "
        f"({detail}). Kontrollér at Office er installeret og aktiveret, eller installér "
        "LibreOffice, og prøv igen.",
        path=name,
    )


class ComBackend(Protocol):
    """What this module needs from Windows; the tests give it a fake."""

    def initialize(self) -> None:
        """Enter COM on this thread."""

    def uninitialize(self) -> None: ...

    def start(self, prog_id: str) -> tuple[Any, int | None]:
        """A new, hidden instance of ``prog_id`` and its process id (None if unknown,
        e.g. when it joined an instance the user already had open)."""

    def kill(self, pid: int) -> None: ...


def _export_word(app: Any, source: str, target: str) -> None:
    # FileName, ConfirmConversions, ReadOnly, AddToRecentFiles, PasswordDocument
    doc = app.Documents.Open(source, False, True, False, _NO_PASSWORD)
    try:
        # office_clean accepted the changes already; this is the second defence (and
        # the only one for a .doc or .rtf): no deletion prints struck through, no
        # comment in the margin. Read-only only stops saving, not editing in memory.
        for step in (_accept_revisions, _delete_comments):
            with contextlib.suppress(Exception):
                step(doc)
        # tagged (headings, reading order, alt text) and with heading bookmarks: a
        # public bilag keeps its structure in the pack, our agenda is accessible
        doc.ExportAsFixedFormat(
            target, _WD_EXPORT_PDF, CreateBookmarks=_WD_HEADING_BOOKMARKS, DocStructureTags=True
        )
    finally:
        doc.Close(0)


def _accept_revisions(doc: Any) -> None:
    doc.TrackRevisions = False
    doc.Revisions.AcceptAll()


def _delete_comments(doc: Any) -> None:
    if doc.Comments.Count:
        doc.DeleteAllComments()


def _export_excel(app: Any, source: str, target: str) -> None:
    book = app.Workbooks.Open(source, 0, True)
    try:
        book.ExportAsFixedFormat(_XL_TYPE_PDF, target)
    finally:
        book.Close(False)


def _export_powerpoint(app: Any, source: str, target: str) -> None:
    presentation = app.Presentations.Open(source, True, False, False)
    try:
        presentation.SaveAs(target, _PP_SAVE_AS_PDF)
    finally:
        presentation.Close()


#: Macros in an attachment never run while we convert it (msoAutomationSecurityForceDisable).
_NO_MACROS = {"AutomationSecurity": 3}
#: Word's options (``app.Options``): links and fields are never updated, so nothing a
#: document links to is fetched. Options persist in the user's Word, so the old values
#: are put back before the instance quits.
_WORD_OPTIONS = {
    "UpdateLinksAtOpen": False,
    "UpdateLinksAtPrint": False,
    "UpdateFieldsAtPrint": False,
}

#: prog id -> (extensions, how to export one file, how to silence the application)
APPLICATIONS: dict[str, tuple[frozenset[str], Callable[[Any, str, str], None], dict]] = {
    "Word.Application": (
        WORD_EXTENSIONS,
        _export_word,
        {"Visible": False, "DisplayAlerts": 0, **_NO_MACROS},  # wdAlertsNone
    ),
    "Excel.Application": (
        SPREADSHEET_EXTENSIONS,
        _export_excel,
        {"Visible": False, "DisplayAlerts": False, "AskToUpdateLinks": False, **_NO_MACROS},
    ),
    "PowerPoint.Application": (
        PRESENTATION_EXTENSIONS,
        _export_powerpoint,
        {"DisplayAlerts": 1, **_NO_MACROS},  # ppAlertsNone
    ),
}

#: The backend used when none is passed; None means the real Windows one.
BACKEND: ComBackend | None = None


@functools.cache
def find_msoffice() -> OfficeSuite | None:
    """Microsoft Office if this is Windows, it is installed and pywin32 can drive it."""
    if sys.platform != "win32":
        return None
    try:
        import win32com.client  # noqa: F401  (pywin32)
    except ImportError:
        return None
    extensions: set[str] = set()
    versions = []
    for prog_id, (exts, _, _) in APPLICATIONS.items():
        version = _registered_version(prog_id)
        if version:
            extensions |= exts
            versions.append(version)
    if not extensions:
        return None
    return OfficeSuite(SUITE_NAME, "msoffice", " ".join(versions), None, frozenset(extensions))


def _registered_version(prog_id: str) -> str | None:
    import winreg

    with (
        contextlib.suppress(OSError),
        winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, prog_id + r"\CurVer") as key,
    ):
        return str(winreg.QueryValue(key, None))  # e.g. "Word.Application.16"
    return None


def convert_with_msoffice(
    jobs: Sequence[OfficeJob],
    suite: OfficeSuite,
    on_done: OnDone,
    stop: threading.Event,
    *,
    timeout: float,
    backend: ComBackend | None = None,
) -> None:
    """Convert ``jobs``; ``on_done(job, pdf_or_error)`` once per job, as each finishes."""
    backend = backend or BACKEND or _Win32Backend()
    by_app: dict[str, list[OfficeJob]] = {}
    for job in jobs:
        prog_id = next(p for p, (exts, _, _) in APPLICATIONS.items() if job.ext in exts)
        by_app.setdefault(prog_id, []).append(job)
    try:
        backend.initialize()
    except Exception as error:  # COM itself is broken here
        for job in jobs:
            on_done(job, unavailable(job.name, _describe(error)))
        return
    work = Path(tempfile.mkdtemp(prefix="kkr-konvertering-"))
    try:
        for prog_id, app_jobs in by_app.items():
            _convert_app(backend, prog_id, app_jobs, work, on_done, stop, timeout)
    finally:
        backend.uninitialize()
        shutil.rmtree(work, ignore_errors=True)


def _convert_app(
    backend: ComBackend,
    prog_id: str,
    jobs: list[OfficeJob],
    work: Path,
    on_done: OnDone,
    stop: threading.Event,
    timeout: float,
) -> None:
    _, export, settings = APPLICATIONS[prog_id]
    app: Any = None
    pid: int | None = None
    saved: dict[str, Any] = {}  # Word's options as they were
    hangs = 0
    try:
        for index, job in enumerate(jobs):
            if stop.is_set():
                return
            if hangs >= _HANGS_BEFORE_GIVING_UP:
                # an application that hangs on file after file is stuck on something else
                # (an activation or licence dialog nobody sees): let LibreOffice take over
                for rest in jobs[index:]:
                    on_done(rest, unavailable(rest.name, "den svarede ikke"))
                return
            if app is None:
                try:
                    app, pid = backend.start(prog_id)
                except Exception as error:  # not registered, broken install, no licence
                    for rest in jobs[index:]:
                        on_done(rest, unavailable(rest.name, _describe(error)))
                    return
                for name, value in settings.items():
                    with contextlib.suppress(Exception):  # older versions lack some
                        setattr(app, name, value)
                if prog_id == "Word.Application":
                    saved = _set_options(app, _WORD_OPTIONS)
            try:
                data = clean(job.data)  # nothing to fetch, changes accepted: office_clean
            except PackageNotCleaned as error:
                on_done(job, not_cleaned(job.name, SUITE_NAME, error))
                continue
            # safe names: the user's may hold æøå, emoji or 250 characters
            stem = f"b{len(list(work.iterdir())):04d}"
            source, target = work / f"{stem}.{job.ext}", work / f"{stem}.pdf"
            source.write_bytes(data)
            watchdog = _Watchdog(backend, pid, timeout, stop)
            try:
                export(app, str(source), str(target))
                error = None
            except Exception as exc:  # COM reports every failure as com_error
                error = exc
            finally:
                watchdog.done()
            if watchdog.fired:
                app = pid = None  # killed: start a fresh one for the next file
                hangs += 1
                if not stop.is_set():
                    on_done(job, timed_out(job.name, SUITE_NAME, timeout))
                continue
            hangs = 0
            if error is None and target.is_file() and target.stat().st_size:
                on_done(job, target.read_bytes())
            else:
                on_done(job, conversion_failed(job.name, SUITE_NAME, _describe(error)))
    finally:
        if app is not None and pid is not None:  # never quit an instance the user had open
            _set_options(app, saved)
            with contextlib.suppress(Exception):
                app.Quit()


def _set_options(app: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Set ``app.Options`` values; returns the old ones (to put back)."""
    old: dict[str, Any] = {}
    for name, value in values.items():
        with contextlib.suppress(Exception):  # an older Word may lack one
            old[name] = getattr(app.Options, name)
            setattr(app.Options, name, value)
    return old


def _describe(error: Exception | None) -> str:
    if error is None:
        return "der kom ingen PDF ud"
    args = getattr(error, "args", ())
    # com_error(hresult, text, (..., source, description, ...), argerr)
    if len(args) >= 3 and isinstance(args[2], tuple) and len(args[2]) >= 3 and args[2][2]:
        return str(args[2][2]).strip()
    return str(error).strip() or type(error).__name__


class _Watchdog:
    """Kills the application when one file takes longer than the timeout, or when the
    user cancels; the blocked COM call then returns with an error."""

    def __init__(
        self, backend: ComBackend, pid: int | None, timeout: float, stop: threading.Event
    ) -> None:
        self.fired = False
        self._finished = threading.Event()
        self._thread = None
        if pid is not None:
            self._thread = threading.Thread(
                target=self._watch, args=(backend, pid, timeout, stop), daemon=True
            )
            self._thread.start()

    def _watch(self, backend: ComBackend, pid: int, timeout: float, stop: threading.Event) -> None:
        deadline = time.monotonic() + timeout
        while not self._finished.wait(0.05):
            if stop.is_set() or time.monotonic() > deadline:
                self.fired = True
                backend.kill(pid)
                return

    def done(self) -> None:
        self._finished.set()
        if self._thread is not None:
            self._thread.join()


_IMAGES = {
    "Word.Application": "WINWORD.EXE",
    "Excel.Application": "EXCEL.EXE",
    "PowerPoint.Application": "POWERPNT.EXE",
}


class _Win32Backend:  # pragma: no cover - needs Windows with Microsoft Office
    def initialize(self) -> None:
        import pythoncom

        pythoncom.CoInitialize()

    def uninitialize(self) -> None:
        import pythoncom

        pythoncom.CoUninitialize()

    def start(self, prog_id: str) -> tuple[Any, int | None]:
        import win32com.client

        image = _IMAGES[prog_id]
        before = _pids(image)
        app = win32com.client.DispatchEx(prog_id)
        new = _pids(image) - before
        return app, (new.pop() if len(new) == 1 else None)

    def kill(self, pid: int) -> None:
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )


def _pids(image: str) -> set[int]:  # pragma: no cover - Windows only
    listing = subprocess.run(
        ["tasklist", "/FI", f"IMAGENAME eq {image}", "/FO", "CSV", "/NH"],
        capture_output=True,
        text=True,
        check=False,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
    ).stdout
    pids = set()
    for row in csv.reader(io.StringIO(listing)):
        if len(row) > 1 and row[1].isdigit():
            pids.add(int(row[1]))
    return pids
