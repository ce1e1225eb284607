"""The pack's own pages: front page, contents and one separator per bilag.

All of them are drawn in ONE reportlab document (one font subset, one parse when the
pack imports them), each with its stamp, because the page numbers are known before
drawing: the contents' length is computed first (``contents_page_count``) from the
same layout that draws it.

The contents' lines become links in the finished pack; this module only says where
each line is (``ContentsLink``) – the pages they point at do not exist here.

Every text block is drawn as marked content (headings ``H1``/``H2``, paragraphs ``P``,
contents lines ``Link``) and every rule, bar and dot leader as an artifact; the
structure elements are made when the pack is assembled (``pack_tags``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from agenda.model import AttachmentId
from export.document_content import (
    CLOSED_LABEL,
    CLOSED_SUFFIX,
    CONFIDENTIAL_LABEL,
    CONFIDENTIAL_SUFFIX,
    FULL_EDITION,
    PUBLIC_EDITION,
    RESTRICTED_NOTE,
)
from export.pack.pack_fonts import pack_fonts
from export.pack.pack_plan import EntryKey, PackEntry, PackItem, PageMap
from export.pack.pack_tags import Mark, MarkedContent
from export.pack.stamp import ARTIFACT_BEGIN, ARTIFACT_END, GRAY, StampFont, placement, stamp_text

WIDTH, HEIGHT = A4
LEFT = 72.0
RIGHT = WIDTH - 72.0
TOP = HEIGHT - 76.0
BOTTOM = 70.0  # clear of the stamp

INK = (0.1, 0.1, 0.12)
ACCENT = (0.12, 0.30, 0.47)
MUTED = (0.38, 0.38, 0.40)
RULE = (0.78, 0.80, 0.83)
WARN = (0.62, 0.12, 0.10)

#: The agenda's and the minutes' words (export.document_content): one edition, one wording.
CLOSED_MARK = CLOSED_LABEL
CONFIDENTIAL_MARK = CONFIDENTIAL_LABEL


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """What the front page and the stamp say."""

    body: str
    title: str
    date: str  # "tirsdag den 16. april 2024"
    time: str  # "kl. 10.00-13.00"
    place: str
    public: bool
    #: A complete edition that holds closed items or confidential bilag.
    restricted: bool
    stamp_prefix: str  # "KKR Sjælland · 16. april 2024"
    #: The front page's title: a supplement's pack has its own.
    document: str = "Bilagspakke"
    #: Lines under the title: "Revideret udgave", what it replaces or adds to.
    revision: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContentsLink:
    page: int  # 0-based among the generated pages (the contents start at 1)
    rect: tuple[float, float, float, float]
    target: int  # pack page number, 1-based


@dataclass(frozen=True, slots=True)
class GeneratedPages:
    pdf: bytes
    links: tuple[ContentsLink, ...]
    stamp_font: StampFont
    #: the structure elements of each page, in reading order
    marks: tuple[tuple[Mark, ...], ...] = ()


# -- contents layout -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    lines: tuple[str, ...]
    bold: bool
    size: float
    leading: float
    indent: float
    space_before: float
    target: EntryKey  # the separator it links to
    numbered: bool  # prints its page number on the right

    @property
    def height(self) -> float:
        return self.space_before + self.leading * len(self.lines)


_NUMBER_COLUMN = 36.0
_TITLE_SPACE = 46.0


def _blocks(items: Sequence[PackItem], notes: Mapping[AttachmentId, str]) -> list[_Block]:
    fonts = pack_fonts()
    blocks: list[_Block] = []
    for pack_item in items:
        heading = pack_item.item.heading
        if pack_item.item.item.closed:
            heading += f" {CLOSED_SUFFIX}"
        first = pack_item.entries[0].key
        width = RIGHT - LEFT - _NUMBER_COLUMN
        lines = simpleSplit(heading, fonts.bold, 11, width)
        blocks.append(_Block(tuple(lines), True, 11, 14.5, 0, 12, first, False))
        for entry in pack_item.entries:
            text = entry.label
            if entry.attachment.confidential:
                text += f" {CONFIDENTIAL_SUFFIX}"
            if entry.attachment.id in notes:
                text += f" – {notes[entry.attachment.id]}"
            lines = simpleSplit(text, fonts.regular, 10.5, width - 16)
            blocks.append(_Block(tuple(lines), False, 10.5, 13.5, 16, 3, entry.key, True))
    return blocks


def _paginate(blocks: list[_Block]) -> list[list[tuple[_Block, float]]]:
    """Blocks with the y of their first baseline, page by page. A heading is never
    left alone at the bottom of a page: it moves on with its first bilag."""
    pages: list[list[tuple[_Block, float]]] = [[]]
    y = TOP - _TITLE_SPACE
    for index, block in enumerate(blocks):
        need = block.height
        if block.bold and index + 1 < len(blocks):
            need += blocks[index + 1].height
        if pages[-1] and y - need < BOTTOM:
            pages.append([])
            y = TOP
        space = block.space_before if pages[-1] else 0
        y -= space + block.size
        pages[-1].append((block, y))
        y -= block.leading * (len(block.lines) - 1) + (block.leading - block.size)
    return pages


def contents_page_count(items: Sequence[PackItem], notes: Mapping[AttachmentId, str]) -> int:
    return len(_paginate(_blocks(items, notes)))


# -- drawing ---------------------------------------------------------------------------


def render(
    front: FrontMatter,
    items: Sequence[PackItem],
    pages: PageMap,
    own_pages: Mapping[AttachmentId, int],
    failures: Mapping[AttachmentId, str],
    notes: Mapping[AttachmentId, str],
    *,
    preface: Sequence[Callable[[Canvas], None]] = (),
    separator_notes: Mapping[EntryKey, str] | None = None,
) -> GeneratedPages:
    """Front page, ``preface`` (each draws one page), contents and separators, stamped,
    in that order. ``separator_notes``: a line under a bilag's label ("Nyt bilag")."""
    fonts = pack_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.regular)
    canvas.marks = marks = MarkedContent()  # read by the drawing helpers below
    number = 1
    bilag = sum(len(i.entries) for i in items)

    _front_page(canvas, front, bilag, pages.total)
    number = _finish(canvas, front, number, pages.total)
    for draw in preface:
        draw(canvas)
        number = _finish(canvas, front, number, pages.total)
    links: list[ContentsLink] = []
    for n, placed in enumerate(_paginate(_blocks(items, notes))):
        if n == 0:
            canvas.setFont(fonts.bold, 20)
            canvas.setFillColorRGB(*INK)
            with marks.tag(canvas, "H1"):
                canvas.drawString(LEFT, TOP - 20, "Indhold")
        links += _contents_page(canvas, placed, pages, 1 + len(preface) + n)
        number = _finish(canvas, front, number, pages.total)
    for pack_item in items:
        for entry in pack_item.entries:
            note = (separator_notes or {}).get(entry.key, "")
            _separator(canvas, entry, own_pages.get(entry.attachment.id, 0), failures, note)
            _finish(canvas, front, pages.separator[entry.key], pages.total)

    stamp_font = _stamp_font(canvas, front.stamp_prefix)
    canvas.save()
    page_marks = tuple(tuple(page) for page in marks.pages[:-1])
    return GeneratedPages(buffer.getvalue(), tuple(links), stamp_font, page_marks)


def _finish(canvas: Canvas, front: FrontMatter, number: int, total: int) -> int:
    fonts = pack_fonts()
    text = stamp_text(front.stamp_prefix, number, total)
    where = placement(WIDTH, HEIGHT, pdfmetrics.stringWidth(text, fonts.regular, 1))
    canvas.saveState()
    canvas.addLiteral(ARTIFACT_BEGIN)  # recognisable when this pack becomes a bilag
    canvas.setFont(fonts.regular, where.size)
    canvas.setFillGray(GRAY)
    canvas.drawString(where.x, where.y, text)
    canvas.addLiteral(ARTIFACT_END)
    canvas.restoreState()
    canvas.showPage()
    canvas.marks.next_page()
    return number + 1


def _lines(
    canvas: Canvas,
    text: str,
    font: str,
    size: float,
    y: float,
    *,
    leading: float,
    color,
    x=LEFT,
    role: str = "P",
) -> float:
    """Draw ``text`` wrapped to the text width from baseline ``y``, as one element of
    ``role``; the next free y."""
    canvas.setFont(font, size)
    canvas.setFillColorRGB(*color)
    with canvas.marks.tag(canvas, role):
        lines = simpleSplit(text, font, size, RIGHT - x)
        for n, line in enumerate(lines):
            # the space the wrap took, kept (invisible): read aloud or copied, the
            # words at a line break stay two words
            canvas.drawString(x, y, line + " " if n + 1 < len(lines) else line)
            y -= leading
    return y


def _decoration(canvas: Canvas):
    """Rules and bars: artifacts, which screen readers skip."""
    return canvas.marks.artifact(canvas)


def _front_page(canvas: Canvas, front: FrontMatter, bilag: int, total: int) -> None:
    fonts = pack_fonts()
    canvas.setFillColorRGB(*ACCENT)
    with _decoration(canvas):
        canvas.rect(LEFT, TOP - 4, 48, 4, stroke=0, fill=1)
    y = _lines(canvas, front.body, fonts.bold, 15, TOP - 30, leading=20, color=ACCENT)
    y = _lines(canvas, front.document, fonts.bold, 36, y - 34, leading=42, color=INK, role="H1")
    if front.title and front.title != front.body:
        y = _lines(canvas, front.title, fonts.regular, 15, y - 4, leading=20, color=INK)
    for n, line in enumerate(front.revision):
        font, size = (fonts.bold, 14) if n == 0 else (fonts.regular, 12)
        y = _lines(canvas, line, font, size, y - (10 if n == 0 else 2), leading=18, color=ACCENT)
    y -= 22
    when = f"{front.date[:1].upper()}{front.date[1:]}"
    y = _lines(canvas, when, fonts.regular, 12.5, y, leading=17, color=INK)
    if front.time:
        y = _lines(canvas, front.time, fonts.regular, 12.5, y, leading=17, color=INK)
    if front.place:
        y = _lines(canvas, front.place, fonts.regular, 12.5, y, leading=17, color=INK)
    y -= 26
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.6)
    with _decoration(canvas):
        canvas.line(LEFT, y + 12, RIGHT, y + 12)
    y -= 8
    count = "1 bilag" if bilag == 1 else f"{bilag} bilag"
    y = _lines(canvas, f"{count} · {total} sider", fonts.regular, 10.5, y, leading=15, color=MUTED)
    if front.public:
        _lines(canvas, PUBLIC_EDITION, fonts.bold, 12, y - 14, leading=16, color=ACCENT)
    elif front.restricted:
        y = _lines(canvas, FULL_EDITION, fonts.bold, 12, y - 14, leading=16, color=WARN)
        _lines(
            canvas,
            RESTRICTED_NOTE,
            fonts.regular,
            10.5,
            y,
            leading=14,
            color=WARN,
        )


def _contents_page(
    canvas: Canvas, placed: list[tuple[_Block, float]], pages: PageMap, page_index: int
) -> list[ContentsLink]:
    fonts = pack_fonts()
    links = []
    for block, y in placed:
        font = fonts.bold if block.bold else fonts.regular
        canvas.setFont(font, block.size)
        canvas.setFillColorRGB(*(INK if block.bold else (0.15, 0.15, 0.18)))
        x = LEFT + block.indent
        line_y = y
        with canvas.marks.tag(canvas, "Link", link=True):
            for n, line in enumerate(block.lines):
                last = n + 1 == len(block.lines)
                canvas.drawString(x, line_y, line if last else line + " ")
                line_y -= block.leading
        last_y = line_y + block.leading
        target = pages.separator[block.target]
        if block.numbered:
            # title, quiet dot leaders, number: drawn in reading order so copied or
            # extracted text reads "Bilag 1: Titel ..... 12"
            number = str(target)
            end = x + pdfmetrics.stringWidth(block.lines[-1], font, block.size) + 6
            start = RIGHT - pdfmetrics.stringWidth(number, font, block.size) - 6
            if start - end > 12:
                canvas.setFillColorRGB(*RULE)
                dots = "." * int((start - end) / pdfmetrics.stringWidth(".", font, block.size))
                with _decoration(canvas):
                    canvas.drawRightString(start, last_y, dots)
                canvas.setFillColorRGB(0.15, 0.15, 0.18)
            with canvas.marks.tag(canvas, "Link", join=True):
                canvas.drawRightString(RIGHT, last_y, number)
        top = y + block.size + 1
        bottom = last_y - 0.3 * block.size
        links.append(ContentsLink(page_index, (x - 2, bottom, RIGHT + 2, top), target))
    return links


def _separator(
    canvas: Canvas,
    entry: PackEntry,
    own: int,
    failures: Mapping[AttachmentId, str],
    note: str = "",
) -> None:
    fonts = pack_fonts()
    item = entry.item.item
    attachment = entry.attachment
    canvas.setFillColorRGB(*ACCENT)
    with _decoration(canvas):
        canvas.rect(LEFT, TOP - 4, 48, 4, stroke=0, fill=1)
    y = _lines(canvas, entry.item.heading, fonts.bold, 14, TOP - 30, leading=19, color=INK,
               role="H1")  # fmt: skip
    if item.case is not None and item.case.reference:
        y = _lines(canvas, f"Sagsnr. {item.case.reference}", fonts.regular, 10, y - 2,
                   leading=14, color=MUTED)  # fmt: skip
    marks = []
    if item.closed:
        marks.append(CLOSED_MARK)
    if attachment.confidential:
        marks.append(CONFIDENTIAL_MARK)
    if marks:
        y = _mark(canvas, " · ".join(marks), y - 6)
    y -= 18
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.6)
    with _decoration(canvas):
        canvas.line(LEFT, y + 10, RIGHT, y + 10)
    y = _lines(canvas, entry.label, fonts.bold, 20, y - 20, leading=25, color=ACCENT, role="H2")
    if note:
        y = _lines(canvas, note, fonts.bold, 12, y - 6, leading=16, color=INK)
    if attachment.id in failures:
        y = _lines(canvas, "Bilaget kunne ikke medtages i bilagspakken.", fonts.bold, 12,
                   y - 14, leading=16, color=WARN)  # fmt: skip
        y = _lines(canvas, failures[attachment.id], fonts.regular, 10.5, y - 2, leading=14,
                   color=INK)  # fmt: skip
        _lines(canvas, "Kontakt sekretariatet, hvis du har brug for bilaget.", fonts.regular,
               10.5, y - 6, leading=14, color=MUTED)  # fmt: skip
    else:
        pages = "1 side" if own == 1 else f"{own} sider"
        _lines(canvas, pages, fonts.regular, 10, y - 4, leading=14, color=MUTED)


def _mark(canvas: Canvas, text: str, y: float) -> float:
    """A small outlined label for closed and confidential matter."""
    fonts = pack_fonts()
    width = pdfmetrics.stringWidth(text, fonts.bold, 9.5) + 12
    canvas.setStrokeColorRGB(*WARN)
    canvas.setLineWidth(0.8)
    with _decoration(canvas):
        canvas.roundRect(LEFT, y - 14, width, 17, 2.5, stroke=1, fill=0)
    canvas.setFont(fonts.bold, 9.5)
    canvas.setFillColorRGB(*WARN)
    with canvas.marks.tag(canvas, "P"):
        canvas.drawString(LEFT + 6, y - 8.5, text)
    return y - 18


def _stamp_font(canvas: Canvas, prefix: str) -> StampFont:
    """Register every character a stamp can need in the document's font subset before it
    is written, and note its code: bilag pages draw their stamps with these very font
    objects. reportlab's TrueType subsetting is reached through its document here."""
    fonts = pack_fonts()
    font = pdfmetrics.getFont(fonts.regular)
    doc = canvas._doc  # reportlab keeps the subset state per document
    codes: dict[str, tuple[str, int]] = {}
    widths: dict[str, float] = {}
    for char in set(stamp_text(prefix, 1234567890, 0) + "?"):
        ((subset, data),) = font.splitString(char, doc)
        codes[char] = (font.getSubsetInternalName(subset, doc), data[0])
        widths[char] = pdfmetrics.stringWidth(char, fonts.regular, 1)
    return StampFont(codes, widths)
