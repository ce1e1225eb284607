"""Facts about an attachment file for the preflight check, computed from its bytes.

``inspect_file`` says what a file really is (the bytes decide, not the name: the same
sniffing as the conversion), whether it opens, how many pages it has, which pages are
scanned (images, no text layer), and its text for the CPR scan. The rules that judge
these facts live in ``agenda.preflight``; this module only measures.

PDFs go through the very function the bilagspakke uses (``prepare_pdf``), so preflight
calls a file damaged exactly when the pack would fail on it. Office files are not
converted here (that takes seconds each); their text is read from the XML inside the
package, with a cap on every part so a zip bomb costs nothing. Never raises for a bad
file: what is wrong goes into ``problem``. ``inspect_meeting`` does every attachment of
a meeting once, with progress and Cancel, for the preflight panel and the CLI.

Facts depend only on the bytes (and, for a file whose bytes do not say what it is, the
name), so a caller may cache them by SHA-256.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import replace

import pikepdf
from PIL import Image

from agenda.errors import ConversionError
from agenda.model import Attachment, Meeting
from agenda.preflight import FileFacts
from agenda.tasks import NullTaskState, TaskState, check
from export.conversion.convert_image import too_large
from export.conversion.convert_office import OFFICE_EXTENSIONS
from export.conversion.file_types import (
    IMAGE_TYPES,
    TEXT_TYPE,
    ZIP_BOMB,
    declared_type,
    sniff,
    unsupported_message,
)
from export.conversion.office_clean import PackageNotCleaned, survey
from export.inspection.inspect_places import image_places, office_places, pdf_places
from export.pdf.pdf_clean import count_review_marks
from export.pdf.pdf_input import damaged, empty_file, password_protected, prepare_pdf
from export.pdf.text_extract import extract_text

__all__ = ["TEXT_PAGES", "FileFacts", "inspect_file", "inspect_meeting"]

_NO_TASK = NullTaskState()

#: Pages of a PDF whose text is read for the CPR scan (pypdf: ~10-50 ms a page).
TEXT_PAGES = 300
#: Characters of text kept for the CPR scan.
TEXT_CHARS = 5_000_000
#: No XML part of an office package is read beyond this (uncompressed).
PART_BYTES = 32 * 1024 * 1024
#: An office package claiming more than this uncompressed is not opened at all.
PACKAGE_BYTES = 1024 * 1024 * 1024


def inspect_meeting(
    meeting: Meeting, blobs: Mapping[str, bytes], task: TaskState = _NO_TASK
) -> dict[str, FileFacts]:
    """``FileFacts`` for every attachment of ``meeting`` whose bytes are in ``blobs``, by
    SHA-256 (what ``agenda.preflight.preflight`` takes). Each file is inspected once, in
    agenda order, with progress per file; raises ``Cancelled`` when the task is."""
    todo: dict[str, Attachment] = {}
    for item in meeting.agenda.items():
        for attachment in item.attachments:
            if attachment.sha256 in blobs:
                todo.setdefault(attachment.sha256, attachment)
    facts: dict[str, FileFacts] = {}
    task.report(0, len(todo), "")
    for done, (sha256, attachment) in enumerate(todo.items(), start=1):
        check(task)
        facts[sha256] = inspect_file(
            attachment.file_name, blobs[sha256], media_type=attachment.media_type
        )
        task.report(done, len(todo), attachment.file_name)
    return facts


def inspect_file(file_name: str, data: bytes, *, media_type: str = "") -> FileFacts:
    """What ``data`` (the file ``file_name``) is; never raises for a bad file."""
    sha256 = hashlib.sha256(data).hexdigest()
    base = _Base(sha256, len(data))
    if not data:
        return base.facts("unknown", damaged=True, problem=empty_file(file_name).message)
    probe = Attachment("", file_name, media_type, len(data), sha256)
    kind = sniff(data, declared_type(probe))
    if kind == "pdf":
        return _pdf(base, file_name, data)
    if kind in IMAGE_TYPES:
        return _image(base, file_name, data)
    if kind == TEXT_TYPE:
        text, complete = _decoded(data)
        return base.facts("text", text=text, text_complete=complete)
    if kind == "encrypted":
        return base.facts("office", encrypted=True, problem=password_protected(file_name).message)
    if kind in OFFICE_EXTENSIONS:
        return _office(base, file_name, data, kind)
    if kind == ZIP_BOMB:  # sniffed from the sizes the package declares
        return base.facts("office", damaged=True, convertible=False, problem=_bomb(file_name))
    return base.facts(
        "unknown",
        convertible=False,
        problem=unsupported_message(file_name, data, declared_type(probe)),
    )


class _Base:
    def __init__(self, sha256: str, size: int) -> None:
        self.sha256 = sha256
        self.size = size

    def facts(
        self,
        kind: str,
        *,
        page_count: int | None = None,
        encrypted: bool = False,
        damaged: bool = False,
        pages_without_text: int = 0,
        text: str = "",
        convertible: bool = True,
        problem: str = "",
        repaired: bool = False,
        text_complete: bool = True,
        text_pages: int | None = None,
        places: list[tuple[str, str]] | None = None,
        review_notes: int = 0,
        form_fields: int = 0,
        tagged: bool | None = None,
    ) -> FileFacts:
        unreadable = encrypted or damaged
        return FileFacts(
            sha256=self.sha256,
            size=self.size,
            kind=kind,
            page_count=page_count,
            encrypted_with_password=encrypted,
            damaged=damaged,
            pages_without_text=pages_without_text,
            text=text,
            convertible=convertible and not unreadable,
            problem=problem,
            repaired=repaired,
            text_complete=text_complete and not unreadable,
            text_pages=text_pages,
            places=tuple(places or ()),
            review_notes=review_notes,
            form_fields=form_fields,
            tagged=tagged,
        )


# -- PDF ------------------------------------------------------------------------------------


def _pdf(base: _Base, name: str, data: bytes) -> FileFacts:
    try:
        prepared = prepare_pdf(data, name)
    except ConversionError as error:
        locked = error.message == password_protected(name).message
        return base.facts("pdf", encrypted=locked, damaged=not locked, problem=error.message)
    try:
        with pikepdf.open(io.BytesIO(prepared.pdf)) as pdf:
            scanned = sum(1 for page in pdf.pages if _scanned(page))
            places, places_complete = pdf_places(pdf)
            marks = count_review_marks(pdf)
            tagged = _tagged(pdf)
    except (pikepdf.PdfError, RuntimeError, ValueError):  # prepare_pdf said it reads
        return base.facts("pdf", damaged=True, problem=damaged(name).message)
    count = prepared.page_count
    read = min(count, TEXT_PAGES)
    return base.facts(
        "pdf",
        page_count=count,
        pages_without_text=scanned,
        text=extract_text(prepared.pdf, max_pages=read)[:TEXT_CHARS],
        repaired=prepared.changed and not _owner_locked(data),
        text_complete=read == count and places_complete,
        text_pages=read,
        places=places,
        review_notes=marks.review_notes,
        form_fields=marks.form_fields,
        tagged=tagged,
    )


def _tagged(pdf: pikepdf.Pdf) -> bool:
    """Has a structure tree with something in it (what the public pack keeps)."""
    tree = pdf.Root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary):
        return False
    kids = tree.get("/K")
    return isinstance(kids, pikepdf.Dictionary) or (
        isinstance(kids, pikepdf.Array) and len(kids) > 0
    )


def _owner_locked(data: bytes) -> bool:
    """Encrypted with an owner password only: prepare_pdf saves a decrypted copy, which
    is not a repair."""
    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            return pdf.is_encrypted
    except (pikepdf.PdfError, RuntimeError, ValueError):
        return False


_MARKS = "Tj TJ ' \" Do BI ID EI"


def _scanned(page: pikepdf.Page) -> bool:
    """A page that shows images but no text: a scan without a text layer. OCR'd scans
    keep their (invisible) text and count as text; a page of vector drawings is not a
    scan; a blank page is not either."""
    if "/Contents" not in page.obj:
        return False  # a blank page
    try:
        text, image = _marks(page, page.resources, depth=0)
    except (pikepdf.PdfError, RuntimeError, ValueError, TypeError):
        return False  # an odd content stream: we cannot tell, so do not accuse it
    return image and not text


def _marks(
    stream: pikepdf.Page | pikepdf.Object, resources: pikepdf.Object | None, depth: int
) -> tuple[bool, bool]:
    """(draws text, draws an image) for a page or form XObject, forms followed down."""
    text = image = False
    for instruction in pikepdf.parse_content_stream(stream, _MARKS):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            image = True
            continue
        operator = str(instruction.operator)
        if operator != "Do":
            text = True
        else:
            xobject = _xobject(resources, instruction.operands[0])
            if xobject is None:
                continue
            subtype = xobject.get("/Subtype")
            if subtype == pikepdf.Name.Image:
                image = True
            elif subtype == pikepdf.Name.Form and depth < 8:
                inner = xobject.get("/Resources", resources)
                t, i = _marks(xobject, inner, depth + 1)
                text, image = text or t, image or i
        if text:
            break  # one text operator is enough: not a scan
    return text, image


def _xobject(resources: pikepdf.Object | None, name: pikepdf.Object):
    if resources is None or "/XObject" not in resources:
        return None
    return resources.XObject.get(name)


# -- images and text --------------------------------------------------------------------


def _image(base: _Base, name: str, data: bytes) -> FileFacts:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                frames = 1 if image.format == "GIF" else getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        return base.facts("image", damaged=True, problem=too_large(name).message)
    except (OSError, ValueError, SyntaxError):
        return base.facts(
            "image",
            damaged=True,
            problem=(
                f"Billedet {name} kan ikke læses; filen er måske beskadiget. Gem billedet "
                "igen (fx som PNG eller JPEG) og tilføj det igen."
            ),
        )
    return base.facts(
        "image", page_count=frames, pages_without_text=frames, places=image_places(data)
    )


def _decoded(data: bytes) -> tuple[str, bool]:
    """(text, complete) of a plain-text file: UTF-8 or UTF-16 with a mark, else the
    Windows code page Danish files use."""
    head = data[: TEXT_CHARS * 2]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="replace")
    else:
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = head.decode("cp1252", errors="replace")
    return text[:TEXT_CHARS], len(head) == len(data) and len(text) <= TEXT_CHARS


# -- office files -----------------------------------------------------------------------

#: The XML parts of a package that hold what a reader sees, by package type.
_TEXT_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"
    r"|xl/sharedStrings\.xml|xl/comments\d*\.xml"
    r"|ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml"
    r"|content\.xml|styles\.xml)$"
)
_BREAKS = re.compile(r"</(?:w:p|a:p|text:p|text:h|si)>|<(?:w:br|w:tab|text:tab)\b[^>]*/>")
_TAGS = re.compile(r"<[^>]*>")
_PAGES = re.compile(rb"<(?:Pages|Slides)>(\d+)</|meta:page-count=\"(\d+)\"")


def _office(base: _Base, name: str, data: bytes, kind: str) -> FileFacts:
    if not data.startswith(b"PK\x03\x04"):  # an old binary file (doc, xls, ppt) or rtf
        text = _rtf_text(data) if kind == "rtf" else _binary_strings(data)
        return base.facts("office", text=text[:TEXT_CHARS], text_complete=kind == "rtf")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if sum(info.file_size for info in infos) > PACKAGE_BYTES:
                return base.facts("office", damaged=True, problem=_bomb(name))
            parts, complete = [], True
            for info in sorted(infos, key=lambda i: _part_order(i.filename)):
                if not _TEXT_PARTS.match(info.filename):
                    continue
                with package.open(info) as part:
                    xml = part.read(PART_BYTES + 1)
                complete = complete and len(xml) <= PART_BYTES
                parts.append(_xml_text(xml[:PART_BYTES]))
            pages = _page_count(package, infos)
            places, places_complete = office_places(package, PART_BYTES)
        content = survey(data)  # what the conversion will leave out (office_clean)
    except (*_BROKEN_ZIP, PackageNotCleaned):
        return base.facts("office", damaged=True, problem=_broken_package(name))
    text = "\n".join(parts)
    return replace(
        base.facts(
            "office",
            page_count=pages,
            text=text[:TEXT_CHARS],
            text_complete=complete and len(text) <= TEXT_CHARS and places_complete,
            places=places,
        ),
        external_images=content.external_images,
        external_files=content.external_files,
        tracked_changes=content.tracked_changes,
        comments=content.comments,
    )


#: What zipfile raises on a broken package: bad headers or CRC, an unknown compression,
#: an encrypted part, a deflate stream that ends early.
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    zlib.error,
)


def _part_order(name: str) -> tuple[str, int]:
    """Slides in their order (slide2 before slide10), the rest by name."""
    number = re.search(r"(\d+)\.xml$", name)
    return (re.sub(r"\d+\.xml$", "", name), int(number.group(1)) if number else 0)


def _xml_text(xml: bytes) -> str:
    """The words of an XML part: paragraphs become lines, tags vanish, entities resolve.
    A regex, not an XML parser: no entity expansion, nothing to exploit."""
    text = xml.decode("utf-8", errors="replace")
    text = _BREAKS.sub("\n", text)
    return html.unescape(_TAGS.sub("", text))


def _page_count(package: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> int | None:
    """The page (or slide) count the saving application wrote down, if any."""
    for info in infos:
        if info.filename in ("docProps/app.xml", "meta.xml"):
            with package.open(info) as part:
                found = _PAGES.search(part.read(1024 * 1024))
            if found:
                return int(found.group(1) or found.group(2))
    return None


_RTF_CONTROL = re.compile(r"\\'[0-9a-f]{2}|\\[a-z]+-?\d* ?|[{}]|\\[^a-z]", re.I)


def _rtf_text(data: bytes) -> str:
    raw = data[: TEXT_CHARS * 2].decode("cp1252", errors="replace")

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("\\'"):
            return bytes([int(token[2:], 16)]).decode("cp1252", errors="replace")
        if token.rstrip().lower() in ("\\par", "\\line", "\\tab"):
            return "\n"
        return ""

    return _RTF_CONTROL.sub(replace, raw)


_RUNS_8BIT = re.compile(rb"[\x20-\x7e\xc0-\xff\t\r\n]{4,}")
_RUNS_16BIT = re.compile(rb"(?:[\x20-\x7e\xc0-\xff]\x00){4,}")


def _binary_strings(data: bytes) -> str:
    """Readable runs from an old binary Office file (Word 97 stores text as cp1252 or
    UTF-16): not the document, but enough to find a CPR number in it."""
    runs = [m.group(0).decode("cp1252", "replace") for m in _RUNS_8BIT.finditer(data)]
    runs += [m.group(0).decode("utf-16-le", "replace") for m in _RUNS_16BIT.finditer(data)]
    return "\n".join(runs)


def _bomb(name: str) -> str:
    return (
        f"{name} fylder urimeligt meget, når den pakkes ud, og bliver ikke åbnet. Gem "
        "dokumentet igen i Word, Excel eller PowerPoint og tilføj det igen."
    )


def _broken_package(name: str) -> str:
    return (
        f"{name} er beskadiget og kan ikke åbnes som Office-dokument. Åbn og gem den igen "
        "dér, hvor den kom fra, og tilføj den igen."
    )
