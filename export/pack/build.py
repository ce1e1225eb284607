"""The bilagspakke: one PDF with every attachment of a meeting, in agenda order.

The build, step by step:
1. select what the edition shows (``pack_plan.select``);
2. turn every bilag into PDF (``convert.convert_all``, which uses the cache);
3. open each PDF once – its real page count decides the page numbers;
4. draw front page, contents and separators, stamped, in one reportlab document
   (``pack_pages``), the contents' length computed first;
5. assemble a fresh PDF with pikepdf: generated pages and bilag pages interleaved,
   bilag pages cleaned (``pack_import``) and stamped in their own geometry (``stamp``);
6. contents links, bookmarks and metadata (``pack_outline``);
7. the public edition: its structure tree, each bilag's own kept under a Part
   (``pack_tags``), claiming PDF/UA when every bilag was tagged;
8. write atomically; a cancel anywhere leaves nothing behind.

The complete edition is not tagged: it is never published, and its working form fields
under merged ``bilag_N`` parents would need their Form elements rewired too.

pikepdf (qpdf) was chosen by measurement: see benchmarks/pack.py and the commit that
introduced this module.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pikepdf

from agenda.errors import ConversionError, ExportError
from agenda.formatting import long_date, medium_date, time_span
from agenda.model import Attachment, AttachmentId
from agenda.repository import ConversionKey
from agenda.snapshot import MeetingSnapshot
from agenda.tasks import NullTaskState, TaskState, check
from export.atomic import atomic_output
from export.conversion.convert import ConvertedAttachment, convert_all
from export.pack.pack_import import import_pages, open_bilag
from export.pack.pack_outline import PackMetadata, add_contents_links, add_outline, set_metadata
from export.pack.pack_pages import FrontMatter, contents_page_count, render
from export.pack.pack_plan import PackEntry, PackItem, PageMap, page_map, select
from export.pack.pack_tags import Mark, PackStructure, claim_pdf_ua, has_text, untagged_notice
from export.pack.pack_variant import PackVariant
from export.pack.stamp import Stamper, StampFont, mark_stamped, remove_stamps, stamp_text
from export.pdf.text_extract import extract_text

_EMPTY: Mapping = MappingProxyType({})
_NO_TASK = NullTaskState()


@dataclass(frozen=True, slots=True)
class PackResult:
    #: None when the edition has no bilag at all: nothing is written then.
    path: Path | None
    page_count: int
    #: Bilag that could not be included (each has its Danish ``error``); the pack shows
    #: a separator saying so in their place.
    problems: tuple[ConvertedAttachment, ...]
    #: PDFs made in this build, for the caller to store in the workspace cache.
    new_conversions: Mapping[ConversionKey, bytes] = field(default_factory=lambda: _EMPTY)
    #: sha256 -> text of the PDFs made in this build, for the search index. PDFs used as
    #: they are and cached conversions are not read again (their text is indexed when
    #: they are added, or was with the build that converted them).
    extracted_text: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: How many bilag were converted now (not taken from the cache, not PDFs as they are).
    converted_count: int = 0
    #: The pack claims PDF/UA: public, and every bilag in it had its own tags.
    tagged: bool = False
    #: Danish lines for the user: the public pack's bilag that have no tags.
    notices: tuple[str, ...] = ()


def build_pack(
    snapshot: MeetingSnapshot,
    target: Path,
    *,
    public: bool,
    task: TaskState = _NO_TASK,
    variant: PackVariant | None = None,
) -> PackResult:
    """Write the bilagspakke of ``snapshot`` to ``target`` (public or complete edition);
    with ``variant``, the pack it describes (its bilag, already chosen for the edition).

    Raises ``Cancelled`` (nothing written) or ``ExportError`` (the file could not be
    written); a bilag that cannot be converted is reported in ``problems`` instead.
    """
    items = list(variant.items) if variant else select(snapshot, public=public)
    preface = variant.preface if variant else ()
    attachments = list({e.attachment.id: e.attachment for i in items for e in i.entries}.values())
    if not attachments:
        return PackResult(None, 0, ())
    progress = _Progress(task, len(attachments))

    with ThreadPoolExecutor(max_workers=1) as background, _Bilag(public) as bilag:
        # each PDF is opened as it settles, while the office suite converts the rest
        converted = convert_all(
            attachments, snapshot.blobs, snapshot.converted, progress.phase(0),
            settled=bilag.open,
        )  # fmt: skip
        fresh = [c for c in converted.values() if c.pdf and c.key and not c.from_cache]
        # the search index's text is read (by pdftotext, off the GIL) while the pack is built
        texts = background.submit(_texts, {c.attachment.sha256: c.pdf for c in fresh}, task)
        problems = bilag.problems(attachments, converted)
        own_pages = bilag.page_counts()
        failures = {p.attachment.id: _message(p) for p in problems}
        notes = {aid: "kunne ikke medtages" for aid in failures}

        contents = contents_page_count(items, notes)
        pages = page_map(items, contents, own_pages, preface_pages=len(preface))
        front = _front_matter(snapshot, items, public, variant)
        generated = render(front, items, pages, own_pages, failures, notes, preface=preface,
                           separator_notes=variant.notes if variant else None)  # fmt: skip
        check(task)

        out = bilag.track(pikepdf.new())
        placed: list[_Placed] = []
        _assemble(out, bilag.track(pikepdf.open(io.BytesIO(generated.pdf))), items, bilag,
                  pages, front, generated.stamp_font, progress, placed)  # fmt: skip
        add_contents_links(out, generated.links)
        add_outline(out, items, pages, variant.preface_title if variant else "")
        set_metadata(out, _metadata(snapshot, public, variant.title or variant.document
                                    if variant else None))  # fmt: skip
        untagged = _tag(out, generated.marks, placed) if public else None
        check(task)
        with atomic_output(target) as tmp:
            try:
                out.save(tmp, min_version="1.7")
            except pikepdf.PdfError as error:  # qpdf reads the bilag's content only now
                raise ExportError(
                    f"Bilagspakken kunne ikke gemmes, fordi et af bilagene ikke kunne læses "
                    f"({error}). Gem bilagene som PDF igen, tilføj dem igen, og prøv igen.",
                    path=str(target),
                ) from error
            check(task)  # a cancel during the save still leaves nothing
        extracted = texts.result()
    progress.finished(target.name)

    return PackResult(
        path=Path(target),
        page_count=pages.total,
        problems=tuple(problems),
        tagged=untagged == [],
        notices=untagged_notice(untagged),
        new_conversions=MappingProxyType({c.key: c.pdf for c in fresh if c.key and c.pdf}),
        extracted_text=MappingProxyType(extracted),
        converted_count=len(fresh),
    )


def _texts(pdfs: Mapping[str, bytes], task: TaskState) -> dict[str, str]:
    """Text for the search index. poppler's ``pdftotext`` reads ~15x faster than pypdf
    (2 vs 30 ms a page, measured), so it is used where installed; else pypdf. The
    index is a convenience: a file that cannot be read gives ""."""
    tool = shutil.which("pdftotext")
    if tool is None or not pdfs:  # as on Windows: read here, stopping at a cancel
        return {sha: "" if task.cancelled() else extract_text(pdf) for sha, pdf in pdfs.items()}

    def read(pdf: bytes) -> str:
        if task.cancelled():  # the pack is not written: its text is not wanted either
            return ""
        try:
            done = subprocess.run(
                [tool, "-q", "-enc", "UTF-8", "-", "-"],
                input=pdf, capture_output=True, timeout=60, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            return extract_text(pdf)
        if done.returncode != 0:
            return extract_text(pdf)
        text = done.stdout.decode("utf-8", "replace").replace("\f", "\n\n")
        return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()

    with ThreadPoolExecutor(max_workers=min(len(pdfs), os.cpu_count() or 1)) as pool:
        return dict(zip(pdfs, pool.map(read, pdfs.values()), strict=True))


_SPACES = re.compile(r"[ \t\r\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class _Bilag:
    """The converted PDFs, each opened once – its real page count is what the page
    numbers use – and kept open until the pack is saved (qpdf copies their content only
    then); everything opened is closed on the way out."""

    def __init__(self, public: bool) -> None:
        self._public = public
        self.pdfs: dict[AttachmentId, pikepdf.Pdf] = {}
        self._data: dict[AttachmentId, bytes] = {}
        self._used: set[AttachmentId] = set()
        self._open: list[pikepdf.Pdf] = []

    def __enter__(self) -> _Bilag:
        return self

    def __exit__(self, *exc: object) -> None:
        for pdf in reversed(self._open):
            pdf.close()

    def track(self, pdf: pikepdf.Pdf) -> pikepdf.Pdf:
        self._open.append(pdf)
        return pdf

    def open(self, result: ConvertedAttachment) -> None:
        """Open one converted PDF; one the converter passed but qpdf cannot read is
        left out (``problems`` names it)."""
        if result.pdf is None:
            return
        try:
            pdf = self.track(open_bilag(result.pdf, public=self._public))
            if len(pdf.pages) == 0:
                raise pikepdf.PdfError("no pages")
        except (pikepdf.PdfError, RuntimeError, ValueError, TypeError):
            return  # not readable, or not cleanable: never copied uncleaned
        self.pdfs[result.attachment.id] = pdf
        self._data[result.attachment.id] = result.pdf

    def problems(
        self,
        attachments: list[Attachment],
        converted: Mapping[AttachmentId, ConvertedAttachment],
    ) -> list[ConvertedAttachment]:
        """The bilag that are not in the pack, each with its reason."""
        problems: list[ConvertedAttachment] = []
        for attachment in attachments:
            result = converted.get(attachment.id)
            if result is None or result.pdf is None:
                problems.append(result or _failed(attachment, "blev ikke konverteret"))
            elif attachment.id not in self.pdfs:
                problems.append(_failed(attachment, "kunne ikke læses efter konverteringen"))
        return problems

    def page_counts(self) -> dict[AttachmentId, int]:
        return {aid: len(pdf.pages) for aid, pdf in self.pdfs.items()}

    def source(self, aid: AttachmentId) -> pikepdf.Pdf | None:
        """The PDF to copy pages from. The same bilag under a second item is opened
        afresh: qpdf would hand back the first copies, which would get two stamps."""
        if aid not in self.pdfs:
            return None
        if aid in self._used:
            return self.track(open_bilag(self._data[aid], public=self._public))
        self._used.add(aid)
        return self.pdfs[aid]


def _failed(attachment: Attachment, why: str) -> ConvertedAttachment:
    error = ConversionError(
        f"{attachment.file_name} {why}. Gem filen igen, eventuelt som PDF, og tilføj den igen.",
        path=attachment.file_name,
    )
    return ConvertedAttachment(attachment, None, error, None, False, 0)


def _message(problem: ConvertedAttachment) -> str:
    return str(problem.error) if problem.error else f"{problem.attachment.file_name} mangler."


@dataclass(frozen=True, slots=True)
class _Placed:
    """Where the assembly put a generated page (and, for a separator, its bilag)."""

    index: int  # the generated page's index in the pack
    generated: int  # ... and among the generated pages
    entry: PackEntry | None = None
    source: pikepdf.Pdf | None = None
    stop: int = 0  # the bilag's pages are index + 1 .. stop - 1


def _tag(
    out: pikepdf.Pdf, marks: tuple[tuple[Mark, ...], ...], placed: list[_Placed]
) -> list[tuple[str, bool]]:
    """The structure tree; (label, scanned) of each bilag that had none (when there are
    none, the pack is claimed as PDF/UA)."""
    structure = PackStructure(out)
    untagged: list[tuple[str, bool]] = []
    for place in placed:
        page = out.pages[place.index].obj
        if place.entry is None:
            structure.generated(page, marks[place.generated], structure.document)
            continue
        part = structure.part(place.entry.label)
        structure.generated(page, marks[place.generated], part)
        if place.source is not None:
            own = [out.pages[i].obj for i in range(place.index + 1, place.stop)]
            if not structure.bilag(part, place.source, own):
                scanned = not has_text(list(place.source.pages))  # its own, not stamped
                untagged.append((place.entry.label, scanned))
    structure.finish()
    if not untagged:
        claim_pdf_ua(out)
    return untagged


def _assemble(
    out: pikepdf.Pdf,
    generated: pikepdf.Pdf,
    items: list[PackItem],
    bilag: _Bilag,
    pages: PageMap,
    front: FrontMatter,
    stamp_font: StampFont,
    progress: _Progress,
    placed: list[_Placed],
) -> None:
    """Front page and contents, then per bilag its separator and its own pages, each of
    those stamped in its own geometry (the generated pages carry their stamps)."""
    head = pages.head_pages
    for page in generated.pages:
        mark_stamped(page.obj)
    out.pages.extend(generated.pages[i] for i in range(head))
    placed.extend(_Placed(i, i) for i in range(head))
    fonts = out.pages[0].obj.Resources.Font  # the front page's stamp uses every stamp glyph
    stamper = Stamper(out, stamp_font, {n: fonts[n] for n, _ in stamp_font.codes.values()})
    done = 0
    for pack_item in items:
        for entry in pack_item.entries:
            progress.step(done, entry.label)
            out.pages.append(generated.pages[head + done])
            done += 1
            source = bilag.source(entry.attachment.id)
            if source is None:
                placed.append(_Placed(len(out.pages) - 1, head + done - 1, entry))
                continue
            start = len(out.pages)
            import_pages(out, source, f"bilag_{done}")
            placed.append(_Placed(start - 1, head + done - 1, entry, source, len(out.pages)))
            for index in range(start, len(out.pages)):
                text = stamp_text(front.stamp_prefix, index + 1, pages.total)
                try:
                    remove_stamps(out.pages[index].obj)  # a page of an earlier pack
                    stamper.stamp(out.pages[index].obj, text)
                except (pikepdf.PdfError, TypeError, ValueError):
                    # a page whose resources cannot be extended (a broken object qpdf
                    # tolerated): better that page unstamped than no pack at all
                    continue


def _front_matter(
    snapshot: MeetingSnapshot, items: list[PackItem], public: bool, variant: PackVariant | None
) -> FrontMatter:
    meeting = snapshot.meeting
    restricted = not public and (
        any(i.item.item.closed or any(e.attachment.confidential for e in i.entries) for i in items)
        or (variant is not None and variant.restricted)
    )
    return FrontMatter(
        body=meeting.body.name,
        title=meeting.title,
        date=long_date(meeting.start),
        time=time_span(meeting.start, meeting.end),
        place=meeting.location or meeting.body.default_place,
        public=public,
        restricted=restricted,
        stamp_prefix=f"{meeting.body.name} · {medium_date(meeting.start)}",
        document=variant.document if variant else "Bilagspakke",
        revision=variant.revision if variant else (),
    )


def _metadata(snapshot: MeetingSnapshot, public: bool, document: str | None) -> PackMetadata:
    meeting = snapshot.meeting
    edition = "offentlig udgave" if public else "fuld udgave"
    title = f"{document or 'Bilagspakke'} – {meeting.body.name} – {medium_date(meeting.start)}"
    if public:
        title += " (offentlig udgave)"
    subject = (
        f"Bilag til mødet i {meeting.body.name} {long_date(meeting.start)} "
        f"{time_span(meeting.start, meeting.end)}, {edition}"
    )
    return PackMetadata(title=title, author=meeting.body.name, subject=subject)


class _Progress:
    """One progress bar over two phases: converting (first half), assembling (second)."""

    def __init__(self, task: TaskState, count: int) -> None:
        self._task = task
        self._count = count

    def phase(self, offset: int) -> TaskState:
        outer = self

        class _Phase:
            def report(self, done: int, total: int, label: str) -> None:
                scaled = offset + (done * outer._count) // max(total, 1)
                outer._task.report(scaled, 2 * outer._count, label)

            def cancelled(self) -> bool:
                return outer._task.cancelled()

        return _Phase()

    def finished(self, name: str) -> None:
        self._task.report(2 * self._count, 2 * self._count, f"{name} er gemt")

    def step(self, done: int, label: str) -> None:
        check(self._task)
        self._task.report(self._count + done, 2 * self._count, f"Samler bilagspakken: {label}")
