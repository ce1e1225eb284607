"""Make the default Word template, ``resources/templates/dagsorden.docx``.

A clean municipal A4 layout: Arial (Liberation Sans on LibreOffice, same metrics), a
dark blue accent, headings the TOC picks up (Heading 1 = agenda section, Heading 2 =
item, Heading 3 = a part of the item), Danish (da-DK) on every style, the first page
without header/footer. The body is empty: the front page's logo slot stays blank until
a body's own template brings a picture. Run again after changing it:

    python3 scripts/make_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from export.documents.docx_styles import set_language

FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x59, 0x59, 0x59)
ALERT = RGBColor(0xA3, 0x1F, 0x1F)
TARGET = Path(__file__).resolve().parent.parent / "resources" / "templates" / "dagsorden.docx"


def make_template(target: Path = TARGET) -> Path:
    document = docx.Document()
    _page(document)
    _defaults(document)
    styles = document.styles
    _para(styles["Normal"], size=10.5, after=6, line=1.15)
    _para(styles["Title"], size=32, bold=True, color=ACCENT, after=12)
    _strip_border(styles["Title"])
    _para(styles["Subtitle"], size=16, bold=True, color=ACCENT, after=4, italic=False)
    _para(styles["Heading 1"], size=16, bold=True, color=ACCENT, before=0, after=12)
    _para(styles["Heading 2"], size=13, bold=True, color=ACCENT, before=24, after=4)
    _para(styles["Heading 3"], size=11, bold=True, color=ACCENT, before=12, after=3)
    _para(styles["TOC Heading"], size=16, bold=True, color=ACCENT, before=0, after=12)
    _para(styles["Header"], size=8.5, color=MUTED)
    _para(styles["Footer"], size=8.5, color=MUTED)
    width = document.sections[0].page_width - Cm(5)
    for level, indent, bold in ((1, 0, True), (2, 0.9, False)):
        style = _add(styles, f"toc {level}", before=6 if level == 1 else 0, after=2, bold=bold)
        style.paragraph_format.left_indent = Cm(indent)
        style.paragraph_format.tab_stops.add_tab_stop(
            width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
    _add(styles, "Mødetitel", size=15, after=14)
    _add(styles, "Forsidetekst", size=12.5, after=2)
    _add(styles, "Forside udgave", size=10.5, bold=True, color=ALERT, before=18)
    _add(styles, "Forside udgavetekst", size=10.5, color=ALERT)
    _add(styles, "Sagsnummer", size=9.5, color=MUTED, after=10)
    _add(styles, "Lukket punkt", size=10.5, bold=True, color=ALERT, after=8)
    _add(styles, "Manglende beslutning", size=10.5, italic=True, color=ALERT)
    decision = _add(styles, "Beslutningstekst", after=6)
    _box(decision)
    bilag = _add(styles, "Bilagsliste", after=2)
    bilag.paragraph_format.left_indent = Cm(0.5)
    logo = _add(styles, "Logo", after=24)
    logo.paragraph_format.space_before = Pt(0)
    for style in styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            set_language(style.element)
    core = document.core_properties
    core.author = core.last_modified_by = "KKR Dagsorden"
    core.title, core.language = "Dagsorden", "da-DK"
    core.comments = ""
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)
    return target


def _page(document: docx.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True


def _defaults(document: docx.Document) -> None:
    """Arial in every script slot (theme fonts would win over a style's ascii font)."""
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    set_language(document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")))


def _add(styles, name: str, **formatting):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    _para(style, **formatting)
    return style


def _para(
    style,
    *,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    color: RGBColor | None = None,
    before: float | None = None,
    after: float | None = None,
    line: float | None = None,
) -> None:
    font = style.font
    font.name = FONT
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(slot), None)
    rfonts.set(qn("w:cs"), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
    paragraph = style.paragraph_format
    if before is not None:
        paragraph.space_before = Pt(before)
    if after is not None:
        paragraph.space_after = Pt(after)
    if line is not None:
        paragraph.line_spacing = line


def _box(style) -> None:
    """A light fill and an accent rule at the left; Word joins consecutive paragraphs of
    the style into one box."""
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "1F3A5F")):
        left.set(qn(f"w:{key}"), value)
    borders.append(left)
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", "EEF2F7")):
        shading.set(qn(f"w:{key}"), value)
    # CT_PPr order: ... pBdr, shd, tabs, ..., spacing, ind, ...
    later = [c for tag in ("w:tabs", "w:spacing", "w:ind", "w:jc") for c in ppr.findall(qn(tag))]
    if later:
        later[0].addprevious(borders)
    else:
        ppr.append(borders)
    borders.addnext(shading)
    style.paragraph_format.left_indent = Cm(0.3)
    style.paragraph_format.right_indent = Cm(0.3)


def _strip_border(style) -> None:
    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


if __name__ == "__main__":
    print(make_template())
