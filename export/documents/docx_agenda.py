"""The agenda (dagsorden) and the minutes (referat) as a Word document.

Built on a template (the body's own .docx/.dotx, else ``resources/templates/dagsorden.docx``)
whose styles are used by name: Title/Subtitle on the front page, Heading 1 for agenda
sections, Heading 2 for items, Heading 3 for the parts of an item, Header/Footer. What
the document says comes from ``export.document_content``, shared with the PDF.

The table of contents is a real TOC field whose cached result is already the list of
headings (each a link to its heading), so the document reads right before Word or
LibreOffice updates it; the update brings the page numbers (Word offers it on opening;
LibreOffice keeps the list until Værktøjer > Opdater > Opdater alle).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

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
from export.documents.docx_fields import (
    TOC_INSTRUCTION,
    add_bookmark,
    add_field,
    add_toc_entry,
    field_begin,
    field_end,
    update_fields_on_open,
)
from export.documents.docx_styles import (
    CHANGE_STYLE,
    FRONT_HEADING,
    LANGUAGE,
    ensure_styles,
    load_template,
    set_document_language,
)
from export.resources import resource_path

_ALERT = RGBColor(0xA3, 0x1F, 0x1F)  # the red of "Lukket punkt" and the edition line
_DRAWING_TAGS = (qn("w:drawing"), qn("w:pict"))
#: Styles of the lines that lead into an item or a part of it: each stays on the page of
#: the paragraph after it (heading -> "Lukket punkt" -> case number -> "Resumé" -> text).
_KEPT_WITH_NEXT = frozenset(
    {"Heading 1", "Heading 2", "Heading 3", "TOC Heading", "Lukket punkt", "Sagsnummer"}
    | {CHANGE_STYLE, FRONT_HEADING}
)


def default_template() -> Path:
    return resource_path("templates", "dagsorden.docx")


def write_agenda_docx(
    snapshot: MeetingSnapshot,
    target: Path,
    *,
    minutes: bool = False,
    public: bool = False,
    template: Path | None = None,
) -> Path:
    """Write the agenda (or with ``minutes`` the referat) to ``target`` atomically.

    ``public`` writes the edition for publication: closed items only as
    ``<nr> Lukket punkt`` and no confidential bilag.
    """
    content = document_content(snapshot, minutes=minutes, public=public)
    body_template = snapshot.meeting.body.template
    source = template or (Path(body_template) if body_template else default_template())
    document = build_docx(content, source)
    target = Path(target)
    with atomic_output(target) as tmp:
        document.save(str(tmp))
    return target


def build_docx(content: DocumentContent, template: Path) -> Document:
    document = load_template(template)
    ensure_styles(document)
    set_document_language(document)
    update_fields_on_open(document.settings.element)
    logo = _clear_body(document)
    _Writer(document, content, logo).write()
    _properties(document, content)
    return document


def _clear_body(document: Document):
    """Empty the template's body but keep its logo: the first paragraph with a picture."""
    body = document.element.body
    logo = None
    for child in list(body):
        if child.tag == qn("w:sectPr"):
            continue
        if logo is None and child.tag == qn("w:p") and _has_picture(child):
            logo = child
            for run in list(child):  # "Logo her" beside the picture is not for the reader
                if run.tag in (qn("w:r"), qn("w:hyperlink")) and not _has_picture(run):
                    child.remove(run)
            continue
        body.remove(child)
    return logo


class _Writer:
    def __init__(self, document: Document, content: DocumentContent, logo) -> None:
        self.document = document
        self.content = content
        self.logo = logo
        self.bookmarks = 0
        self.style_ids: dict[str, str | None] = {}

    def write(self) -> None:
        self._front()
        self._contents()
        for section in self.content.sections:
            heading = self._para(section.name, "Heading 1")
            heading.paragraph_format.page_break_before = True
            self._bookmark(heading, section.anchor)
            for item in section.items:
                self._item(item)
        self._header_footer()

    def _para(self, text: str = "", style: str = "Normal") -> Paragraph:
        paragraph = self.document.add_paragraph()
        style_id = self._style_id(style)
        if style_id is not None:
            paragraph._p.style = style_id
        if text:
            _add_text(paragraph, text)
        if style in _KEPT_WITH_NEXT:
            # Set on the paragraph, not only in the style: a body's own template may
            # define these styles without "keep with next", and a heading alone at the
            # foot of a page, its text overleaf, is what readers notice first.
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
        return paragraph

    def _style_id(self, name: str) -> str | None:
        """The id of a paragraph style by name, looked up once (python-docx searches every
        style on each lookup; that was most of the build time). None for the default."""
        if name not in self.style_ids:
            style = self.document.styles[name]
            default = self.document.styles.default(style.type)
            is_default = default is not None and default.style_id == style.style_id
            self.style_ids[name] = None if is_default else style.style_id
        return self.style_ids[name]

    def _bookmark(self, paragraph: Paragraph, anchor: str) -> None:
        self.bookmarks += 1
        add_bookmark(paragraph, _bookmark_name(anchor), self.bookmarks)

    def _front(self) -> None:
        c = self.content
        if self.logo is not None:
            describe_pictures(self.logo, f"Logo: {c.body}")
            self.document.element.body.insert(0, self.logo)
        else:
            self._para("", "Logo")  # the slot: blank, never placeholder text
        self._para(c.body, "Subtitle")
        self._para(c.kind, "Title")
        if c.front_title:
            self._para(c.front_title, "Mødetitel")
        for line in (c.date, c.time, c.place):
            if line:
                self._para(line, "Forsidetekst")
        for group in c.attendance:
            self._para(group.label, FRONT_HEADING)
            names = self._para("", "Normal")
            _add_text(names, "\n".join(group.names))
        for text in c.intro:
            self._para(text, "Forsidetekst")
        if c.edition:
            edition = self._para(c.edition, "Forside udgave")
            if c.edition_note:  # the two lines read as one notice
                edition.paragraph_format.space_after = 0
                self._para(c.edition_note, "Forside udgavetekst")

    def _contents(self) -> None:
        heading = self._para(CONTENTS_LABEL, "TOC Heading")
        heading.paragraph_format.page_break_before = True
        entries = []
        for section in self.content.sections:
            entries.append((1, section.name, section.anchor))
            entries += [(2, item.marked_heading, item.anchor) for item in section.items]
        first = self._para("", "toc 1" if entries and entries[0][0] == 1 else "toc 2")
        field_begin(first._p, TOC_INSTRUCTION, dirty=True)
        paragraph = first
        for n, (level, text, anchor) in enumerate(entries):
            if n:
                paragraph = self._para("", f"toc {level}")
            add_toc_entry(paragraph, text, _bookmark_name(anchor))
        field_end(paragraph._p)

    def _item(self, item: ItemContent) -> None:
        heading = self._para(item.heading, "Heading 2")
        if item.mark:
            run = heading.add_run(f" {item.mark}")
            run.font.color.rgb = _ALERT
        self._bookmark(heading, item.anchor)
        if item.change:
            self._para(item.change, CHANGE_STYLE)
        if item.redacted or item.change_only:
            return
        if item.closed:
            self._para(CLOSED_LABEL, "Lukket punkt")
        if item.reference:
            self._para(item.reference, "Sagsnummer")
        for block in item.sections:
            self._para(block.label, "Heading 3")
            for text in block.paragraphs:
                self._para(text)
        self._para(DECISION_LABEL, "Heading 3")
        if item.decision_missing:
            self._para(NO_DECISION, "Manglende beslutning")
        elif item.decision:
            for text in item.decision:
                self._para(text, "Beslutningstekst")
        else:
            self._para("")  # the agenda leaves room to write the decision
        if item.attachments:
            self._para(ATTACHMENTS_LABEL, "Heading 3")
            for n, line in enumerate(item.attachments, start=1):
                paragraph = self._para(line, "Bilagsliste")
                # a short list stays on one page
                paragraph.paragraph_format.keep_with_next = n < min(len(item.attachments), 12)

    def _header_footer(self) -> None:
        section = self.document.sections[-1]
        # The front page has no header line but counts its page like every other.
        section.different_first_page_header_footer = True
        _clear(section.first_page_header)
        header = section.header
        header.is_linked_to_previous = False
        _clear(header)
        line = header.add_paragraph(style="Header")
        _add_text(line, self.content.header)
        for footer in (section.footer, section.first_page_footer):
            footer.is_linked_to_previous = False
            _clear(footer)
            pages = footer.add_paragraph(style="Footer")
            if self.content.footer_mark:
                _mark_then_right_tab(pages, self.content.footer_mark, _text_width(section))
            else:
                pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pages.add_run("Side ")
            add_field(pages, " PAGE ", "1")
            pages.add_run(" af ")
            add_field(pages, " NUMPAGES ", "1")


def _text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def _mark_then_right_tab(paragraph: Paragraph, mark: str, width: int) -> None:
    """``mark`` at the left in bold red, then a tab to the right margin (what follows is
    set flush right). The style's own tab stops are cleared: Word's Footer style has a
    centre stop the tab would stop at, and a right one for Letter paper, beyond A4's."""
    stops = paragraph.paragraph_format.tab_stops
    style = paragraph.style
    while style is not None:
        for stop in style.paragraph_format.tab_stops:
            stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        style = style.base_style
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    run = paragraph.add_run(mark)
    run.bold = True
    run.font.color.rgb = _ALERT
    paragraph.add_run("\t")


def _clear(part) -> None:
    """Empty a header or footer but keep pictures (a template's logo line stays)."""
    element = part._element
    for child in list(element):
        if not _has_picture(child):
            element.remove(child)


def describe_pictures(element, text: str) -> None:
    """Alt text for the pictures in ``element`` that have none (a template's logo): the
    tagged PDF's Figure says it, a screen reader reads it."""
    for properties in element.iter(qn("wp:docPr")):
        if not (properties.get("descr") or "").strip():
            properties.set("descr", text)


def _has_picture(element) -> bool:
    return next(element.iter(*_DRAWING_TAGS), None) is not None


def _add_text(paragraph: Paragraph, text: str) -> None:
    """Text as written: a single line break stays a line break in the same paragraph."""
    lines = text.split("\n")
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break(WD_BREAK.LINE)
        run.add_text(line)


def _bookmark_name(anchor: str) -> str:
    """Hidden (leading underscore) like Word's own ``_Toc`` bookmarks; ≤ 40 characters."""
    return f"_Toc_{anchor}"[:40]


def _properties(document: Document, content: DocumentContent) -> None:
    """Core properties say only what the front page says; nothing from the template's own
    (its title, subject, comments) survives."""
    core = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    core.title = _core_text(content.title)
    core.subject = _core_text(content.subject)
    core.author = _core_text(content.body)
    core.last_modified_by = _core_text(content.body)
    core.language = LANGUAGE
    core.keywords = _core_text(content.kind)
    core.category = _core_text(content.kind)
    core.comments = ""
    core.content_status = _core_text(
        " · ".join(s for s in ("Udkast" if content.draft else "", content.edition) if s)
    )
    core.identifier = ""
    core.version = ""
    core.revision = 1
    core.created = now
    core.modified = now


#: python-docx refuses a core property longer than this (the OOXML schema's limit).
CORE_LIMIT = 255


def _core_text(text: str) -> str:
    """``text`` cut to what a core property holds, at a word, with "…": a long meeting or
    body name is shown whole in the document, the properties only name it."""
    if len(text) <= CORE_LIMIT:
        return text
    cut = text[: CORE_LIMIT - 1]
    word = cut.rsplit(" ", 1)[0].rstrip()
    return (word if len(word) >= CORE_LIMIT // 2 else cut) + "…"
