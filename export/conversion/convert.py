"""Every attachment to PDF: the dispatch, the cache keys and the batch.

``convert_all`` looks at each attachment's bytes (never trusting its extension: a
``.pdf`` may be a PNG), takes what the cache already holds, and converts the rest:
office files in batches in the background (``convert_office``/``convert_com``) while
PDFs, images and text are done here. One bad file gets its own Danish error; the rest
convert. The caller stores new results in the workspace under their ``key``.
"""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from agenda.errors import ConversionError
from agenda.model import Attachment, AttachmentId
from agenda.repository import ConversionKey
from agenda.tasks import NullTaskState, TaskState, check
from export.conversion import convert_com, convert_office
from export.conversion.convert_image import IMAGE_VERSION, image_to_pdf, text_to_pdf, text_version
from export.conversion.convert_office import OFFICE_EXTENSIONS, OfficeJob, OfficeSuite, timed_out
from export.conversion.file_types import (
    IMAGE_TYPES,
    TEXT_TYPE,
    ZIP_BOMB,
    declared_type,
    sniff,
    unsupported_message,
)
from export.conversion.office_background import OfficeResults, office_in_background
from export.conversion.office_clean import CLEAN_VERSION
from export.pdf.pdf_input import (
    REPAIR_VERSION,
    empty_file,
    page_count,
    password_protected,
    prepare_pdf,
)

__all__ = [
    "ConvertedAttachment",
    "OfficeSuite",
    "cache_view",
    "conversion_key",
    "convert_all",
    "find_office",
    "office_timeout",
]

_NO_TASK = NullTaskState()


@dataclass(frozen=True, slots=True)
class ConvertedAttachment:
    attachment: Attachment
    pdf: bytes | None  # None when it failed
    error: ConversionError | None  # a Danish message naming the file
    key: ConversionKey | None  # cache key; None for PDFs used as they are
    from_cache: bool
    page_count: int


def find_office() -> OfficeSuite | None:
    """The office suite office files go to: Microsoft Office where it is installed
    (Windows), else LibreOffice; None when neither is. Found once per process."""
    return convert_com.find_msoffice() or convert_office.find_libreoffice()


#: How long an office suite may spend on one file, unless ``KKR_OFFICE_TIMEOUT`` says.
OFFICE_TIMEOUT = 120.0
#: Beyond a timeout with no office file settled, the export stops waiting (a kill
#: takes up to 10 s, a cold start a few): see ``_collect_office``.
STALL_MARGIN = 60.0


def office_timeout() -> float:
    """Seconds per office file: ``KKR_OFFICE_TIMEOUT`` (for a slow machine, or a test),
    else ``OFFICE_TIMEOUT``. A value that is no positive number is ignored."""
    try:
        seconds = float(os.environ.get("KKR_OFFICE_TIMEOUT", ""))
    except ValueError:
        return OFFICE_TIMEOUT
    return seconds if 0 < seconds < 86400 else OFFICE_TIMEOUT


def _suite_for(kind: str) -> OfficeSuite | None:
    microsoft = convert_com.find_msoffice()
    if microsoft is not None and kind in microsoft.extensions:
        return microsoft
    return convert_office.find_libreoffice()


def conversion_key(attachment: Attachment) -> ConversionKey | None:
    """The cache key the attachment's PDF is stored under, judged from its file name (a
    file whose bytes turn out to be another type gets its real key in the result).
    None for a PDF (used as it is) and for what nothing here converts. Cheap."""
    return _key(declared_type(attachment), attachment.sha256)


def _key(kind: str, sha256: str) -> ConversionKey | None:
    if kind in IMAGE_TYPES:
        return ConversionKey(sha256, "image", IMAGE_VERSION)
    if kind == TEXT_TYPE:
        return ConversionKey(sha256, "text", text_version())
    if kind in OFFICE_EXTENSIONS:
        suite = _suite_for(kind)
        return _office_key(sha256, suite) if suite else None
    return None


def _office_key(sha256: str, suite: OfficeSuite) -> ConversionKey:
    """The office suite's version and the cleaning's (``office_clean``): a PDF made
    before a file was cleaned may hold a fetched picture or a struck-through deletion.
    ``TAGGED`` marks PDFs made tagged: one cached before was not, and is made again."""
    return ConversionKey(sha256, suite.converter, f"{suite.version} {CLEAN_VERSION} {TAGGED}")


#: In the cache key of every office conversion made tagged (see ``office_settings``).
TAGGED = "tagged"


def cache_view(lookup: Callable[[ConversionKey], bytes | None]) -> Mapping[ConversionKey, bytes]:
    """A read-only mapping over a lookup function (e.g. a workspace's ``converted``), so
    ``convert_all`` finds every key it asks for, also those only the bytes reveal."""
    return _LookupMapping(lookup)


def convert_all(
    attachments: Sequence[Attachment],
    blobs: Mapping[str, bytes],
    cached: Mapping[ConversionKey, bytes],
    task: TaskState = _NO_TASK,
    *,
    timeout: float | None = None,
    settled: Callable[[ConvertedAttachment], None] = lambda result: None,
) -> dict[AttachmentId, ConvertedAttachment]:
    """Each attachment as PDF, in the order given. Never raises for one bad file (that
    file gets its ``error``); raises ``Cancelled`` when the task is cancelled.

    ``cached`` is asked for each file's real key (see ``cache_view`` to back it with the
    workspace). ``timeout`` is how long an office suite may spend on one file, once
    (default ``office_timeout()``): the file fails with a message naming that number,
    and an office that hangs on two files in a row is given up for the rest. Progress:
    ``task.report(done, total, file_name)`` as each file settles, and
    ``settled(result)``, on the calling thread, so the caller can start on a result
    while the office suite works on the rest.
    """
    if timeout is None:
        timeout = office_timeout()
    run = _Run(attachments, task, settled)
    plan = _Plan()
    hits: list[tuple[Attachment, bytes, str, ConversionKey, bytes]] = []
    for attachment in attachments:
        check(task)
        data = blobs.get(attachment.sha256)
        if data is None:
            run.fail(attachment, _missing(attachment))
            continue
        if not data:
            run.fail(attachment, empty_file(attachment.file_name))
            continue
        kind = sniff(data, declared_type(attachment))
        key = _key(kind, attachment.sha256)
        pdf = cached.get(key) if key is not None else None
        if key is not None and pdf is not None:
            hits.append((attachment, data, kind, key, pdf))
        else:
            plan.add(attachment, data, kind, run)

    # The office suite starts first: the cache entries are checked and the PDFs, images
    # and text prepared here while it works, so a second export that changed one Word
    # bilag waits for little more than that one file.
    stale = _Plan()
    _execute(plan, run, task, timeout, before=lambda: _take_hits(hits, run, stale, task))
    if stale.office or stale.local or stale.no_suite:  # a damaged cache entry: made again
        _execute(stale, run, task, timeout)
    return run.ordered()


class _Plan:
    """What is left to convert, and by what: office jobs by suite (the same file
    attached twice is one job), files converted here, office files with no suite."""

    def __init__(self) -> None:
        self.office: dict[OfficeSuite, dict[tuple[str, str], OfficeJob]] = {}
        self.waiting: dict[tuple[str, str], list[Attachment]] = {}
        self.local: list[tuple[Attachment, bytes, str]] = []
        self.no_suite: list[Attachment] = []

    def add(self, attachment: Attachment, data: bytes, kind: str, run: _Run) -> None:
        if kind in OFFICE_EXTENSIONS:
            suite = _suite_for(kind)
            if suite is None:
                self.no_suite.append(attachment)
                return
            job_id = (attachment.sha256, kind)
            job = OfficeJob(job_id, attachment.file_name, kind, data)
            self.office.setdefault(suite, {}).setdefault(job_id, job)
            self.waiting.setdefault(job_id, []).append(attachment)
        elif kind == "pdf" or kind in IMAGE_TYPES or kind == TEXT_TYPE:
            self.local.append((attachment, data, kind))
        else:
            run.fail(attachment, _unsupported(attachment, kind, data))


def _execute(
    plan: _Plan,
    run: _Run,
    task: TaskState,
    timeout: float,
    before: Callable[[], None] = lambda: None,
) -> None:
    """Office files in the background; meanwhile ``before``, then the local files."""
    for attachment in plan.no_suite:
        run.fail(attachment, _no_office(attachment, plan.no_suite))
    with office_in_background(plan.office, timeout) as office_results:
        before()
        for attachment, data, kind in plan.local:
            check(task)
            run.done(_convert_here(attachment, data, kind))
        _collect_office(run, office_results, plan, task, timeout)


def _take_hits(
    hits: list[tuple[Attachment, bytes, str, ConversionKey, bytes]],
    run: _Run,
    stale: _Plan,
    task: TaskState,
) -> None:
    """Cache entries pikepdf can read are results; a damaged one is converted again."""
    for attachment, data, kind, key, pdf in hits:
        check(task)
        try:
            pages = page_count(pdf)
        except Exception:  # pikepdf cannot read it: convert again rather than fail
            stale.add(attachment, data, kind, run)
            continue
        run.done(ConvertedAttachment(attachment, pdf, None, key, True, pages))


def _convert_here(attachment: Attachment, data: bytes, kind: str) -> ConvertedAttachment:
    name = attachment.file_name
    try:
        if kind == "pdf":
            prepared = prepare_pdf(data, name)
            key = None
            if prepared.changed:
                key = ConversionKey(attachment.sha256, "pdf-repair", REPAIR_VERSION)
            return ConvertedAttachment(
                attachment, prepared.pdf, None, key, False, prepared.page_count
            )
        convert = text_to_pdf if kind == TEXT_TYPE else image_to_pdf
        pdf, pages = convert(data, name)
        return ConvertedAttachment(
            attachment, pdf, None, _key(kind, attachment.sha256), False, pages
        )
    except ConversionError as error:
        return _failed(attachment, error)
    except Exception as error:  # one odd file must not stop the pack; say what happened
        return _failed(attachment, _unexpected(name, error))


def _collect_office(
    run: _Run,
    results: OfficeResults,
    plan: _Plan,
    task: TaskState,
    timeout: float,
) -> None:
    """Office results as they come. The converters keep every file to its timeout; this
    is the bound should one of them hang where nothing can kill it (Word's start, a
    COM call into an instance with no process id): when no file settles for a timeout
    and ``STALL_MARGIN`` more, the files left fail and the export goes on."""
    received: set[object] = set()
    last = time.monotonic()
    while len(received) < results.expected:
        check(task)
        try:
            job, result, suite = results.queue.get(timeout=0.1)
        except queue.Empty:
            if time.monotonic() - last > timeout + STALL_MARGIN:
                for suite, jobs in plan.office.items():
                    for job in jobs.values():
                        if job.key not in received:
                            received.add(job.key)
                            stuck = timed_out(job.name, suite.name, timeout)
                            _settle(run, plan.waiting, job, stuck, suite)
                return
            continue
        last = time.monotonic()
        if job.key in received:
            continue
        received.add(job.key)
        _settle(run, plan.waiting, job, result, suite)


def _settle(
    run: _Run,
    waiting: Mapping[tuple[str, str], list[Attachment]],
    job: OfficeJob,
    result: bytes | Exception,
    suite: OfficeSuite,
) -> None:
    for attachment in waiting[job.key]:
        if isinstance(result, ConversionError):
            run.done(_failed(attachment, _renamed(result, job.name, attachment.file_name)))
            continue
        if isinstance(result, Exception):
            run.done(_failed(attachment, _unexpected(attachment.file_name, result)))
            continue
        key = _office_key(attachment.sha256, suite)
        run.done(ConvertedAttachment(attachment, result, None, key, False, page_count(result)))


# -- bookkeeping and messages ---------------------------------------------------------


class _Run:
    """Results by attachment, with progress reported as each one is settled."""

    def __init__(
        self,
        attachments: Sequence[Attachment],
        task: TaskState,
        settled: Callable[[ConvertedAttachment], None],
    ) -> None:
        self.attachments = attachments
        self.task = task
        self.settled = settled
        self.results: dict[AttachmentId, ConvertedAttachment] = {}
        self.total = len(attachments)
        self.task.report(0, self.total, "")

    def done(self, result: ConvertedAttachment) -> None:
        self.results[result.attachment.id] = result
        self.settled(result)
        self.task.report(len(self.results), self.total, result.attachment.file_name)

    def fail(self, attachment: Attachment, error: ConversionError) -> None:
        self.done(_failed(attachment, error))

    def ordered(self) -> dict[AttachmentId, ConvertedAttachment]:
        return {a.id: self.results[a.id] for a in self.attachments}


def _failed(attachment: Attachment, error: ConversionError) -> ConvertedAttachment:
    return ConvertedAttachment(attachment, None, error, None, False, 0)


def _renamed(error: ConversionError, old: str, new: str) -> ConversionError:
    """The same file attached twice under two names: each error names its own."""
    if old == new:
        return error
    return ConversionError(error.message.replace(old, new), path=new)


def _missing(attachment: Attachment) -> ConversionError:
    return ConversionError(
        f"Filen til bilaget »{attachment.title}« ({attachment.file_name}) findes ikke i "
        "arbejdsområdet. Tilføj filen til sagen igen.",
        path=attachment.file_name,
    )


def _unsupported(attachment: Attachment, kind: str, data: bytes) -> ConversionError:
    name = attachment.file_name
    if kind == "encrypted":
        return password_protected(name)
    if kind == ZIP_BOMB:
        return ConversionError(
            f"{name} pakker sig ud til langt mere, end et dokument fylder (en såkaldt "
            "zip-bombe, eller en beskadiget fil), så den er ikke sendt videre til "
            "konvertering. Åbn filen, gem den igen, og tilføj den igen.",
            path=name,
        )
    return ConversionError(unsupported_message(name, data, declared_type(attachment)), path=name)


def _no_office(attachment: Attachment, all_needing: Sequence[Attachment]) -> ConversionError:
    names = ", ".join(a.file_name for a in all_needing)
    return ConversionError(
        f"{attachment.file_name} er et Office-dokument, og der er hverken Microsoft Office "
        "eller LibreOffice på denne computer til at lave det om til PDF. Installér "
        "LibreOffice (gratis fra libreoffice.org) og prøv igen. Filer, der kræver det: "
        f"{names}.",
        path=attachment.file_name,
    )


def _unexpected(name: str, error: BaseException) -> ConversionError:
    return ConversionError(
        f"{name} kunne ikke laves om til PDF ({type(error).__name__}: {error}). "
        "Gem filen som PDF og tilføj den igen.",
        path=name,
    )


class _LookupMapping(Mapping[ConversionKey, bytes]):
    def __init__(self, lookup: Callable[[ConversionKey], bytes | None]) -> None:
        self._lookup = lookup

    def __getitem__(self, key: ConversionKey) -> bytes:
        found = self._lookup(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:  # empty to iterate, but never "no cache"
        return True
