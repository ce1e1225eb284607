"""The agenda (dagsorden) and the minutes (referat) as a PDF (reportlab platypus).

The same content and order as the Word document (``export.document_content``), set in
the shipped DejaVu Sans (embedded), with a ToC whose page numbers are right and link
to the items, an outline (bookmarks) per section and item, "Side X af Y" on every page
and metadata (title, author, subject, language da-DK).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from agenda.snapshot import MeetingSnapshot
from export.atomic import atomic_output
from export.document_content import (
    ATTACHMENTS_LABEL,
    CLOSED_LABEL,
    CONTENTS_LABEL,
    DECISION_LABEL,
    NO_DECISION,
    DocumentContent,
    ItemContent,
    document_content,
)
from export.documents.pdf_layout import AgendaDocTemplate, Heading
from export.fonts import FontFamily, document_fonts

ACCENT = Color(0x1F / 255, 0x3A / 255, 0x5F / 255)
MUTED = Color(0.35, 0.35, 0.35)
ALERT = Color(0xA3 / 255, 0x1F / 255, 0x1F / 255)


def write_agenda_pdf(
    snapshot: MeetingSnapshot, target: Path, *, minutes: bool = False, public: bool = False
) -> Path:
    """Write the agenda (or with ``minutes`` the referat) to ``target`` atomically.

    ``public`` writes the edition for publication: closed items only as
    ``<nr> Lukket punkt`` and no confidential bilag.
    """
    content = document_content(snapshot, minutes=minutes, public=public)
    target = Path(target)
    with atomic_output(target) as tmp:
        build_pdf(content, tmp)
    return target


def build_pdf(content: DocumentContent, target) -> None:
    """Lay out ``content`` into ``target`` (a path or a binary file object)."""
    fonts = document_fonts()
    document = AgendaDocTemplate(
        str(target) if isinstance(target, Path) else target,
        header=content.header,
        footer_mark=content.footer_mark,
        fonts=fonts,
        title=content.title,
        author=content.body,
        subject=content.subject,
        keywords=content.kind,
    )
    styles = _Styles(fonts)
    # no items, no ToC (reportlab would print its English placeholder in an empty one)
    contents = _contents(content, styles) if content.sections else []
    story = _front(content, styles) + contents + _body(content, styles)
    document.multiBuild(story)


class _Styles:
    def __init__(self, fonts: FontFamily) -> None:
        def style(name: str, **kw) -> ParagraphStyle:
            kw.setdefault("fontName", fonts.regular)
            kw.setdefault("fontSize", 10.5)
            kw.setdefault("leading", kw["fontSize"] * 1.35)
            return ParagraphStyle(name, **kw)

        self.normal = style("Normal", spaceAfter=6)
        self.body_name = style("Body", fontName=fonts.bold, fontSize=16, textColor=ACCENT)
        self.kind = style(
            "Kind", fontName=fonts.bold, fontSize=34, leading=42, textColor=ACCENT, spaceAfter=14
        )
        self.front = style("Front", fontSize=12.5, spaceAfter=3)
        self.meeting_title = style("MeetingTitle", fontSize=15, spaceBefore=-6, spaceAfter=14)
        self.label = style(
            "Label",
            fontName=fonts.bold,
            fontSize=11,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=3,
            keepWithNext=True,
        )
        self.edition = style("Edition", fontName=fonts.bold, textColor=ALERT, spaceBefore=18)
        self.edition_note = style("EditionNote", textColor=ALERT)
        self.contents = style(
            "Contents", fontName=fonts.bold, fontSize=16, textColor=ACCENT, spaceAfter=14
        )
        self.section = style(
            "Section",
            fontName=fonts.bold,
            fontSize=16,
            textColor=ACCENT,
            spaceAfter=12,
            keepWithNext=True,
        )
        self.item = style(
            "Item",
            fontName=fonts.bold,
            fontSize=13,
            textColor=ACCENT,
            spaceBefore=24,
            spaceAfter=4,
            keepWithNext=True,
        )
        # keepWithNext: the lines that lead into an item stay with its first text
        # (export.documents.pdf_layout.KeepWithStartOfNext), never alone at a page's foot
        self.reference = style(
            "Reference", fontSize=9.5, textColor=MUTED, spaceAfter=10, keepWithNext=True
        )
        self.closed = style(
            "Closed", fontName=fonts.bold, textColor=ALERT, spaceAfter=8, keepWithNext=True
        )
        self.change = style(
            "Change", fontName=fonts.bold, textColor=ACCENT, spaceAfter=8, keepWithNext=True
        )
        self.missing = style("Missing", fontName=fonts.italic, textColor=ALERT, spaceAfter=6)
        self.decision = style(
            "Decision",
            backColor=Color(0xEE / 255, 0xF2 / 255, 0xF7 / 255),
            borderPadding=(5, 6, 5, 6),
            leftIndent=6,
            rightIndent=6,
            spaceBefore=4,
            spaceAfter=10,
        )
        self.bilag = style("Bilag", leftIndent=0.5 * cm, spaceAfter=2)
        self.toc = [
            style("Toc1", fontName=fonts.bold, spaceBefore=6, spaceAfter=2),
            style("Toc2", leftIndent=0.9 * cm, spaceAfter=2),
        ]


def _text(text: str) -> str:
    """Paragraph markup for text as written: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


#: A line of the contents is cut after so many characters (about four lines): a row of
#: the contents' table cannot break across pages, and a title of thousands of characters
#: made one taller than a page. The heading in the body has the whole title.
CONTENTS_CHARS = 300


def _contents_text(heading: str, mark: str = "") -> str:
    """A line of the contents: the heading, cut with "…" when very long, and its mark
    (``(lukket)``) always kept."""
    if len(heading) > CONTENTS_CHARS:
        heading = heading[:CONTENTS_CHARS].rstrip() + " …"
    return _text(f"{heading} {mark}" if mark else heading)


def _front(content: DocumentContent, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Spacer(1, 3 * cm),  # the logo slot: blank on purpose
        Paragraph(_text(content.body), styles.body_name),
        Paragraph(_text(content.kind), styles.kind),
    ]
    if content.front_title:
        story.append(Paragraph(_text(content.front_title), styles.meeting_title))
    story += [
        Paragraph(_text(line), styles.front)
        for line in (content.date, content.time, content.place)
        if line
    ]
    for group in content.attendance:
        story.append(Paragraph(_text(group.label), styles.label))
        story.append(Paragraph(_text("\n".join(group.names)), styles.normal))
    story += [Paragraph(_text(text), styles.front) for text in content.intro]
    if content.edition:
        story.append(Paragraph(_text(content.edition), styles.edition))
    if content.edition_note:
        story.append(Paragraph(_text(content.edition_note), styles.edition_note))
    story += [NextPageTemplate("body"), PageBreak()]
    return story


def _contents(content: DocumentContent, styles: _Styles) -> list[Flowable]:
    # the ToC is a table; a table's own font (Helvetica) would otherwise end up in the
    # file unembedded, though no glyph of it is drawn
    table = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("FONTNAME", (0, 0), (-1, -1), styles.normal.fontName),
        ]
    )
    toc = TableOfContents(levelStyles=styles.toc, dotsMinLevel=0, tableStyle=table)
    # The first pass lays out the ToC as it will be (page numbers still 0), so the pages
    # after it are already where they end up: one layout pass fewer.
    entries = []
    for section in content.sections:
        entries.append((0, _contents_text(section.name), 0, section.anchor))
        entries += [
            (1, _contents_text(item.heading, item.mark), 0, item.anchor) for item in section.items
        ]
    toc.addEntries(entries)
    return [Paragraph(CONTENTS_LABEL, styles.contents), toc]


def _body(content: DocumentContent, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = []
    for section in content.sections:
        story.append(PageBreak())
        name = _text(section.name)
        heading = Heading(name, styles.section, key=section.anchor, level=0, plain=section.name)
        heading.toc_text = _contents_text(section.name)
        story.append(heading)
        for n, item in enumerate(section.items):
            if n:
                # an item starts on a new page rather than in the last few lines of one;
                # not the first: a page break would part it from the section heading
                story.append(CondPageBreak((3 if item.redacted else 4) * cm))
            story += _item(item, styles)
    return story


def _item(item: ItemContent, styles: _Styles) -> list[Flowable]:
    text = _text(item.heading)
    if item.mark:
        text += f' <font color="#{ALERT.hexval()[2:]}">{_text(item.mark)}</font>'
    heading = Heading(text, styles.item, key=item.anchor, level=1, plain=item.marked_heading)
    # the contents: plain, as in the pack
    heading.toc_text = _contents_text(item.heading, item.mark)
    story: list[Flowable] = [heading]
    if item.change:
        story.append(Paragraph(_text(item.change), styles.change))
    if item.redacted or item.change_only:
        return story
    if item.closed:
        story.append(Paragraph(CLOSED_LABEL, styles.closed))
    if item.reference:
        story.append(Paragraph(_text(item.reference), styles.reference))
    for block in item.sections:
        story.append(Paragraph(_text(block.label), styles.label))
        story += [Paragraph(_text(p), styles.normal) for p in block.paragraphs]
    story.append(Paragraph(DECISION_LABEL, styles.label))
    if item.decision_missing:
        story.append(Paragraph(NO_DECISION, styles.missing))
    elif item.decision:
        # one paragraph, so the decision reads as one box
        story.append(Paragraph("<br/><br/>".join(map(_text, item.decision)), styles.decision))
    else:
        story.append(Spacer(1, 1.2 * cm))  # room to write the decision
    if item.attachments:
        lines = [Paragraph(_text(line), styles.bilag) for line in item.attachments]
        # a short list stays in one piece; a long one may break, never after its label
        block = [Paragraph(ATTACHMENTS_LABEL, styles.label), *lines]
        story += [KeepTogether(block)] if len(lines) <= 12 else block
    return story
