"""The Word template: loading a .docx/.dotx, its styles by name, and Danish everywhere.

The writer asks for styles by their (built-in or our) names. A body's own template
supplies whichever it defines; a style it lacks is added with a plain look, so any
template works and its fonts, colours and spacing win where it has them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from agenda.errors import ExportError

LANGUAGE = "da-DK"
#: The "Ændret: …" line under an item's heading in a tillægsdagsorden.
CHANGE_STYLE = "Ændring"
#: The labels on the front page ("Til stede", "Afbud", "Rettelser til referatet"): the
#: look of Heading 3, but body text in the outline. A Heading 3 there came before any
#: Heading 1 (a skipped level for a screen reader, a stray line in an updated TOC); the
#: tagged PDF makes them H2 under the title (``export.tagged_agenda``).
FRONT_HEADING = "Forside overskrift"

_MACRO_TYPES = (
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
)
_DOTX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# CT_RPr elements that must come after w:lang
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")


@dataclass(frozen=True, slots=True)
class _Look:
    """How a style we need looks when the template does not define it."""

    size: float | None = None
    bold: bool = False
    italic: bool = False
    color: str | None = None
    outline: int | None = None  # 0-based outline level: the TOC field finds headings by it
    before: float | None = None
    after: float | None = None


_FALLBACK = {
    "Title": _Look(size=28, bold=True, after=12),
    "Subtitle": _Look(size=15, bold=True),
    "Heading 1": _Look(size=16, bold=True, outline=0, after=12),
    "Heading 2": _Look(size=13, bold=True, outline=1, before=24, after=4),
    "Heading 3": _Look(size=11, bold=True, outline=2, before=12, after=3),
    "TOC Heading": _Look(size=16, bold=True, after=12),
    "toc 1": _Look(bold=True, before=6),
    "toc 2": _Look(),
    "Header": _Look(size=8.5),
    "Footer": _Look(size=8.5),
    "Mødetitel": _Look(size=15, after=14),
    "Forsidetekst": _Look(size=12.5, after=2),
    "Forside udgave": _Look(bold=True, color="A31F1F", before=18),
    "Forside udgavetekst": _Look(color="A31F1F"),
    "Sagsnummer": _Look(size=9.5, color="595959", after=10),
    "Lukket punkt": _Look(bold=True, color="A31F1F", after=8),
    "Manglende beslutning": _Look(italic=True, color="A31F1F"),
    "Beslutningstekst": _Look(after=6),
    "Bilagsliste": _Look(after=2),
    "Logo": _Look(after=24),
    CHANGE_STYLE: _Look(bold=True, color="1F3A5F", after=8),
}


def load_template(path: Path) -> Document:
    """A template as a new document: .docx as is; a .dotx gets a document's content type
    (python-docx opens only documents), which is all Word changes when it makes one."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ExportError(
            f"Word-skabelonen {path} kunne ikke læses ({error.strerror or error}). "
            "Vælg en anden skabelon for udvalget, eller fjern den for at bruge standardskabelonen.",
            path=str(path),
        ) from error
    try:
        return docx.Document(io.BytesIO(_as_document(data, Path(path))))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        raise ExportError(
            f"Word-skabelonen {Path(path).name} er ikke en gyldig .docx- eller .dotx-fil. "
            "Gem skabelonen igen i Word, eller vælg en anden for udvalget.",
            path=str(path),
        ) from error


def _as_document(data: bytes, path: Path) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if any(kind in types for kind in _MACRO_TYPES):
            # a document made from it would carry the macros under a .docx name
            raise ExportError(
                f"Word-skabelonen {path.name} indeholder makroer (.dotm/.docm). Gem den i Word "
                "som »Word-skabelon (*.dotx)«, og vælg den nye fil for udvalget.",
                path=str(path),
            )
        if _DOTX_TYPE.encode() not in types:
            return data
        patched = types.replace(_DOTX_TYPE.encode(), _DOCX_TYPE.encode())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                body = patched if info.filename == "[Content_Types].xml" else source.read(info)
                target.writestr(info, body)
    return out.getvalue()


def ensure_styles(document: Document) -> None:
    """Add every style the writer uses that the template lacks; Danish on all of them."""
    styles = document.styles
    names = {style.name for style in styles}
    for name, look in _FALLBACK.items():
        if name not in names:
            _add(document, name, look)
    if FRONT_HEADING not in names:
        _add_front_heading(document)
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.element.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    set_language(rpr_default)
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            set_language(style.element)


def _add(document: Document, name: str, look: _Look) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    font = style.font
    if look.size:
        font.size = Pt(look.size)
    font.bold = look.bold or None
    font.italic = look.italic or None
    if look.color:
        font.color.rgb = RGBColor.from_string(look.color)
    if look.before is not None:
        style.paragraph_format.space_before = Pt(look.before)
    if look.after is not None:
        style.paragraph_format.space_after = Pt(look.after)
    if name.startswith("toc "):
        # page numbers at the right margin behind a dotted leader, as Word's own TOC styles
        section = document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        style.paragraph_format.tab_stops.add_tab_stop(
            width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        if name == "toc 2":
            style.paragraph_format.left_indent = Cm(0.9)
    if look.outline is not None:
        style.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(look.outline))
        style.element.get_or_add_pPr().append(outline)


def _add_front_heading(document: Document) -> None:
    """Based on the template's Heading 3, so it looks as the labels always did."""
    style = document.styles.add_style(FRONT_HEADING, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Heading 3"]
    style.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "9")  # body text: Word's and LibreOffice's "no level"
    style.element.get_or_add_pPr().append(outline)


def set_language(element) -> None:
    """``<w:lang w:val="da-DK">`` in the run properties of a style or of the defaults."""
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        element.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        later = [child for tag in _AFTER_LANG for child in rpr.findall(qn(tag))]
        if later:
            later[0].addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def set_document_language(document: Document) -> None:
    """Word's settings name the theme's language too (spelling, hyphenation of new text)."""
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        anchor = settings.find(qn("w:clrSchemeMapping"))
        if anchor is not None:
            anchor.addprevious(theme)
        else:
            settings.append(theme)
    theme.set(qn("w:val"), LANGUAGE)
