"""The agenda, minutes and tillægsdagsorden as tagged PDF (PDF/UA), made from our Word
document by the office suite.

reportlab cannot tag (no marked content, no structure tree), and the public edition is
what gets published, which Danish public bodies must make accessible. So where an
office suite is installed the PDF is the Word document (``docx_agenda``: Danish
``w:lang``, Heading 1/2/3 styles, the logo's alt text) converted by it: LibreOffice with
``PDFUACompliance`` (``convert_office.PDF_UA``), Word with ``DocStructureTags``. The
conversion runs through the same machinery as the bilag: the kept-running office, the
network-blocking profile, one timeout. Without an office suite, or when it fails, the
reportlab PDF is written instead and the caller is told that edition is not tagged.

It lives at the top of ``export`` because it joins two jobs that know nothing of each
other: the documents and the conversion.

``KKR_AGENDA_OFFICE=0`` asks for the reportlab PDF (a machine whose office suite is
too slow; the test suite, which tests this path by itself).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pikepdf

from agenda.snapshot import MeetingSnapshot
from agenda.tasks import NullTaskState, TaskState, check
from export.atomic import atomic_output
from export.conversion import convert_com, convert_office
from export.conversion.convert import find_office, office_timeout
from export.conversion.convert_office import PDF_UA, OfficeJob, OfficeSuite
from export.documents.docx_agenda import write_agenda_docx
from export.documents.docx_styles import FRONT_HEADING
from export.documents.pdf_agenda import write_agenda_pdf as _write_agenda_pdf
from export.documents.supplement_agenda import write_supplement_docx, write_supplement_pdf

_NO_TASK = NullTaskState()
LANGUAGE = "da-DK"


@dataclass(frozen=True, slots=True)
class AgendaPdf:
    path: Path
    tagged: bool
    #: Danish lines for the user (the export lists them with its problems)
    notices: tuple[str, ...] = ()


def untagged_notice(name: str, why: str) -> str:
    return (
        f"{name} er lavet uden tilgængelighedsmærker (tags), fordi {why}. Filen kan "
        "læses, men ikke af skærmlæsere som krævet for offentliggjorte dokumenter. "
        "Installér LibreOffice eller Microsoft Office, og eksportér igen."
    )


def write_tagged_agenda_pdf(
    snapshot: MeetingSnapshot,
    target: Path,
    *,
    minutes: bool = False,
    supplement: bool = False,
    public: bool = True,
    task: TaskState = _NO_TASK,
    suite: OfficeSuite | None = None,
) -> AgendaPdf:
    """Write the agenda (or minutes, or with ``supplement`` the tillægsdagsorden) PDF to
    ``target`` atomically, tagged when an office suite can make it; else the reportlab
    PDF with a notice saying it is not tagged."""
    target = Path(target)
    write_docx, write_pdf = _writers(minutes=minutes, supplement=supplement, public=public)
    if os.environ.get("KKR_AGENDA_OFFICE", "").strip() == "0":
        write_pdf(snapshot, target)
        why = "eksporten er sat til ikke at bruge kontorpakken (KKR_AGENDA_OFFICE=0)"
        return AgendaPdf(target, False, (untagged_notice(target.name, why),))
    suite = suite or find_office()
    if suite is None:
        write_pdf(snapshot, target)
        why = "der ikke er installeret en kontorpakke på computeren"
        return AgendaPdf(target, False, (untagged_notice(target.name, why),))
    with tempfile.TemporaryDirectory(prefix="kkr-dagsorden-") as work:
        docx = write_docx(snapshot, Path(work) / "dagsorden.docx")
        result = convert(docx.read_bytes(), target.name, suite, task)
    if isinstance(result, Exception):
        write_pdf(snapshot, target)
        why = f"{suite.name} ikke kunne lave PDF'en ({result})"
        return AgendaPdf(target, False, (untagged_notice(target.name, why),))
    with atomic_output(target) as tmp:
        finish(result, tmp)
    return AgendaPdf(target, True)


def _writers(*, minutes: bool, supplement: bool, public: bool):
    """The document's Word writer and its reportlab writer, each ``(snapshot, target)``."""
    if supplement:
        return (
            partial(write_supplement_docx, public=public),
            partial(write_supplement_pdf, public=public),
        )
    return (
        partial(write_agenda_docx, minutes=minutes, public=public),
        partial(_write_agenda_pdf, minutes=minutes, public=public),
    )


def convert(data: bytes, name: str, suite: OfficeSuite, task: TaskState) -> bytes | Exception:
    """One docx through the office suite, as PDF/UA; the error when it failed. A cancel
    stops the office and raises ``Cancelled``."""
    job = OfficeJob("agenda", name, "docx", data)
    done: list[bytes | Exception] = []
    stop = threading.Event()
    if suite.converter == "msoffice":

        def run() -> None:
            convert_com.convert_with_msoffice(
                [job], suite, lambda _, r: done.append(r), stop, timeout=office_timeout()
            )
    else:

        def run() -> None:
            convert_office.convert_with_libreoffice(
                [job], suite, lambda _, r: done.append(r), stop,
                timeout=office_timeout(), instances=1, convert_to=PDF_UA,
            )  # fmt: skip

    worker = threading.Thread(target=run, name="agenda-office", daemon=True)
    worker.start()
    while worker.is_alive():
        if task.cancelled():
            stop.set()
            worker.join()
            check(task)
        worker.join(0.05)
    return done[0] if done else RuntimeError("ingen PDF")


def finish(pdf_bytes: bytes, target: Path) -> None:
    """What the office suite leaves to us: the language in the catalog (Word writes
    it from the text, LibreOffice from ``w:lang``: both da-DK, but a template's own
    default could differ), the title shown instead of the file name, tagging flagged;
    and the rules LibreOffice 7.4 draws for paragraph borders outside any marked content
    (a reader would meet untagged content) marked as the artifacts they are."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            _unmarked_paths_as_artifacts(pdf, page)
        pdf.Root.Lang = pikepdf.String(LANGUAGE)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        _front_page_headings(pdf)
        pdf.save(target, min_version="1.7")


#: LibreOffice tags a paragraph by its style's outline level (H1-H6), else as an element
#: named after the style, role-mapped to P. The title and the front page's labels stay
#: out of the outline in the Word document (an updated TOC lists the outline); in the
#: PDF they are the headings they look like: the title first, as H1, the labels under it.
_FRONT_ROLES = {"/Title": pikepdf.Name.H1, f"/{FRONT_HEADING}": pikepdf.Name.H2}


def _front_page_headings(pdf: pikepdf.Pdf) -> None:
    tree = pdf.Root.get("/StructTreeRoot")
    role_map = tree.get("/RoleMap") if tree is not None else None
    if not isinstance(role_map, pikepdf.Dictionary):
        return
    for style, role in _FRONT_ROLES.items():
        if style in role_map:
            role_map[style] = role


_PATH = frozenset({"m", "l", "c", "v", "y", "h", "re"})
_CLIP = frozenset({"W", "W*"})
_PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"})
_TOKENS = re.compile(rb"(?<![^\s\]>)])(BDC|BMC|EMC|S|s|f\*?|F|B\*?|b\*?|n)(?=[\s\[<(/%]|$)")
_BMC = pikepdf.Operator("BMC")
_EMC = pikepdf.Operator("EMC")


def _paints_unmarked(page: pikepdf.Page) -> bool:
    """A quick look at the page's bytes: is anything painted outside marked content?
    (LibreOffice writes text as hex strings, so no operator hides in a string; a false
    yes only costs the full parse.)"""
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    depth = 0
    for stream in streams:
        if not isinstance(stream, pikepdf.Stream):
            continue
        for token in _TOKENS.findall(stream.read_bytes()):
            if token in (b"BDC", b"BMC"):
                depth += 1
            elif token == b"EMC":
                depth -= 1
            elif depth <= 0:
                return True
    return False


def _unmarked_paths_as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Wrap every path drawn outside marked content (construction to painting, which
    holds no other operator) in ``/Artifact BMC ... EMC``; the rest stays as it is."""
    try:
        if not _paints_unmarked(page):  # most pages: read once, operators filtered
            return
        ops = pikepdf.parse_content_stream(page)
    except pikepdf.PdfError:
        return
    out: list = []
    depth, start, changed = 0, None, False
    for op in ops:
        name = "" if isinstance(op, pikepdf.ContentStreamInlineImage) else str(op.operator)
        if depth == 0 and name in _PATH and start is None:
            start = len(out)
        out.append(op)
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth = max(depth - 1, 0)
        elif start is not None and name in _PAINT:
            out.insert(start, pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], _BMC))
            out.append(pikepdf.ContentStreamInstruction([], _EMC))
            start, changed = None, True
        elif start is not None and name not in _PATH | _CLIP:
            start = None  # not a path after all: left alone
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
