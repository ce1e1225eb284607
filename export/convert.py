"""Every attachment to PDF: the dispatch, the cache keys and the batch.

``convert_all`` looks at each attachment's bytes (never trusting its extension: a
``.pdf`` may be a PNG), takes what the cache already holds, and converts the rest:
office files in batches in the background (``convert_office``/``convert_com``) while
PDFs, images and text are done here. One bad file gets its own Danish error; the rest
convert. The caller stores new results in the workspace under their ``key``.
"""

from __future__ import annotations

import contextlib
import io
import queue
import threading
import traceback
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from agenda.errors import ConversionError
from agenda.model import Attachment, AttachmentId
from agenda.repository import ConversionKey
from agenda.tasks import NullTaskState, TaskState, check
from export import convert_com, convert_office
from export.convert_image import IMAGE_VERSION, image_to_pdf, text_to_pdf, text_version
from export.convert_office import OFFICE_EXTENSIONS, OfficeJob, OfficeSuite
from export.pdf_input import REPAIR_VERSION, empty_file, page_count, password_protected, prepare_pdf

__all__ = [
    "ConvertedAttachment",
    "OfficeSuite",
    "cache_view",
    "conversion_key",
    "convert_all",
    "find_office",
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
        return ConversionKey(sha256, suite.converter, suite.version) if suite else None
    return None


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
    timeout: float = 120.0,
    settled: Callable[[ConvertedAttachment], None] = lambda result: None,
) -> dict[AttachmentId, ConvertedAttachment]:
    """Each attachment as PDF, in the order given. Never raises for one bad file (that
    file gets its ``error``); raises ``Cancelled`` when the task is cancelled.

    ``cached`` is asked for each file's real key (see ``cache_view`` to back it with the
    workspace). ``timeout`` is how long an office suite may spend on one file: a batch in
    which no file finishes for that long is killed, and its unfinished files retried
    one by one. Progress: ``task.report(done, total, file_name)`` as each file settles,
    and ``settled(result)``, on the calling thread, so the caller can start on a result
    while the office suite works on the rest.
    """
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
            run.fail(attachment, _unsupported(attachment, kind))


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
    with _office_in_background(plan.office, timeout) as office_results:
        before()
        for attachment, data, kind in plan.local:
            check(task)
            run.done(_convert_here(attachment, data, kind))
        _collect_office(run, office_results, plan.waiting, task)


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


# -- office files in the background ---------------------------------------------------


@contextlib.contextmanager
def _office_in_background(
    office: Mapping[OfficeSuite, Mapping[tuple[str, str], OfficeJob]], timeout: float
) -> Iterator[_OfficeResults]:
    """Start the office conversions, hand over their results as they come, and make sure
    nothing keeps running when we leave (cancel, error): the stop flag kills them."""
    results = _OfficeResults()
    threads = []
    for suite, jobs in office.items():
        convert = (
            convert_com.convert_with_msoffice
            if suite.converter == "msoffice"
            else convert_office.convert_with_libreoffice
        )
        thread = threading.Thread(
            target=_guarded,
            args=(convert, list(jobs.values()), suite, results, timeout),
            name=f"convert-{suite.converter}",
            daemon=True,
        )
        threads.append(thread)
        results.expected += len(jobs)
    for thread in threads:
        thread.start()
    try:
        yield results
    finally:
        results.stop.set()
        for thread in threads:
            thread.join()


class _OfficeResults:
    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[OfficeJob, bytes | Exception, OfficeSuite]] = queue.Queue()
        self.stop = threading.Event()
        self.expected = 0

    def __call__(self, job: OfficeJob, result: bytes | Exception, suite: OfficeSuite) -> None:
        self.queue.put((job, result, suite))


def _guarded(
    convert, jobs: list[OfficeJob], suite: OfficeSuite, results: _OfficeResults, timeout: float
) -> None:
    """Run one suite's conversions; every job is reported exactly once, whatever happens.
    Files Microsoft Office could not take (it would not start, or hung twice running)
    go to LibreOffice when that is installed."""
    reported: set[object] = set()
    fallback: list[OfficeJob] = []
    libreoffice = convert_office.find_libreoffice() if suite.converter == "msoffice" else None

    def on_done(job: OfficeJob, result: bytes | Exception, by: OfficeSuite = suite) -> None:
        if by is suite and libreoffice and isinstance(result, convert_com.OfficeUnavailable):
            fallback.append(job)
            return
        reported.add(job.key)
        results(job, result, by)

    try:
        convert(jobs, suite, on_done, results.stop, timeout=timeout)
        if fallback and not results.stop.is_set():
            convert_office.convert_with_libreoffice(
                fallback,
                libreoffice,
                lambda job, result: on_done(job, result, libreoffice),
                results.stop,
                timeout=timeout,
            )
    except Exception as error:  # a bug in a converter: its files fail, the rest go on
        detail = "".join(traceback.format_exception_only(error)).strip()
        for job in jobs:
            if job.key not in reported:
                failed = convert_office.conversion_failed(job.name, suite.name, detail)
                results(job, failed, suite)
    finally:
        for job in jobs:  # a converter that forgot a file must not hang us
            if job.key not in reported and not results.stop.is_set():
                results(job, convert_office.conversion_failed(job.name, suite.name), suite)


def _collect_office(
    run: _Run,
    results: _OfficeResults,
    waiting: Mapping[tuple[str, str], list[Attachment]],
    task: TaskState,
) -> None:
    received: set[object] = set()
    while len(received) < results.expected:
        check(task)
        try:
            job, result, suite = results.queue.get(timeout=0.1)
        except queue.Empty:
            continue
        if job.key in received:
            continue
        received.add(job.key)
        for attachment in waiting[job.key]:
            if isinstance(result, ConversionError):
                run.done(_failed(attachment, _renamed(result, job.name, attachment.file_name)))
                continue
            if isinstance(result, Exception):
                run.done(_failed(attachment, _unexpected(attachment.file_name, result)))
                continue
            key = ConversionKey(attachment.sha256, suite.converter, suite.version)
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


def _unsupported(attachment: Attachment, kind: str) -> ConversionError:
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
    return ConversionError(
        f"{name} er en filtype, der ikke kan laves om til PDF. Gem den som PDF, "
        "Word, Excel, PowerPoint, billede eller tekst, og tilføj den igen.",
        path=name,
    )


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


# -- what a file really is -------------------------------------------------------------

IMAGE_TYPES = frozenset({"png", "jpeg", "gif", "bmp", "tiff", "webp"})
TEXT_TYPE = "txt"
_TEXT_EXTENSIONS = frozenset({"txt", "text", "log", "csv", "md"})
_ALIASES = {"jpg": "jpeg", "jpe": "jpeg", "jfif": "jpeg", "tif": "tiff"}
_MEDIA_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
    "image/webp": "webp",
    "text/plain": "txt",
    "application/msword": "doc",
    "application/rtf": "rtf",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_OLE_STREAMS = (  # stream names in an old binary Office file (UTF-16 in its directory)
    ("EncryptedPackage", "encrypted"),  # a password-protected docx/xlsx/pptx
    ("WordDocument", "doc"),
    ("PowerPoint Document", "ppt"),
    ("Workbook", "xls"),
    ("Book", "xls"),
)


def declared_type(attachment: Attachment) -> str:
    """The type the file name (or, without an extension, the media type) claims."""
    ext = attachment.extension
    if ext:
        if ext in _TEXT_EXTENSIONS:
            return TEXT_TYPE
        return _ALIASES.get(ext, ext)
    return _MEDIA_TYPES.get(attachment.media_type.split(";")[0].strip().lower(), "")


def sniff(data: bytes, declared: str) -> str:
    """The real type from the first bytes: "pdf", "png", "docx", ..., ``ZIP_BOMB`` for a
    package that would inflate to far more than a document, "encrypted" for a
    password-protected Office file, "txt", or "" when it is nothing we convert."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    for magic, kind in (
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"{\\rtf", "rtf"),
    ):
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and (declared == "bmp" or _le32(head, 2) == len(data)):
        return "bmp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data, declared)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        for stream, kind in _OLE_STREAMS:
            if stream.encode("utf-16-le") in data:
                return kind
        return declared if declared in ("doc", "xls", "ppt") else ""
    if declared == TEXT_TYPE and b"\x00" not in data[:65536]:
        return TEXT_TYPE
    if declared == TEXT_TYPE and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TEXT_TYPE
    return ""


def _le32(head: bytes, at: int) -> int:
    return int.from_bytes(head[at : at + 4], "little")


def _zip_type(data: bytes, declared: str) -> str:
    """Office Open XML and OpenDocument files are zip archives; their parts tell which."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _inflates_too_far(archive, len(data)):
                return ZIP_BOMB
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                for ext in ("odt", "ods", "odp"):
                    if mimetype == _ODF[ext]:
                        return ext
                return ""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        # a damaged package: LibreOffice repairs some; let it try if the name says office
        return declared if declared in OFFICE_EXTENSIONS else ""
    for prefix, ext in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in names):
            return ext
    return ""


#: A package that would inflate beyond this is not a document but a zip bomb (or a lie):
#: never handed to an office suite, which would spend minutes and gigabytes on it.
ZIP_BOMB = "zip-bomb"
_MAX_INFLATED = 1 << 30
_MAX_RATIO = 100  # real Office XML compresses 5-30x; images in it not at all
_RATIO_FROM = 100 << 20


def _inflates_too_far(archive: zipfile.ZipFile, size: int) -> bool:
    """Judged from the sizes the archive declares (nothing is inflated to find out)."""
    inflated = sum(info.file_size for info in archive.infolist())
    return inflated > _MAX_INFLATED or (
        inflated > _RATIO_FROM and inflated > _MAX_RATIO * max(size, 1)
    )


_ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
