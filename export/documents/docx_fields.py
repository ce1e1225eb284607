"""Word fields, bookmarks and internal links as raw WordprocessingML.

python-docx has no API for these; each helper writes the few elements Word itself
writes, so Word and LibreOffice treat them as their own (a TOC they can update, PAGE
and NUMPAGES they compute, links that jump to a heading).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

#: Headings 1-2 with hyperlinks, no page numbers in web view, outline levels too.
TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '


def _run(*children) -> OxmlElement:
    run = OxmlElement("w:r")
    for child in children:
        run.append(child)
    return run


def _char(kind: str, *, dirty: bool = False) -> OxmlElement:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    return char


def _instr(text: str) -> OxmlElement:
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    return instr


def _text(text: str) -> OxmlElement:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def field_begin(parent, instruction: str, *, dirty: bool = False) -> None:
    """Open a complex field in ``parent`` (a ``w:p`` or ``w:hyperlink``); its result follows."""
    parent.append(_run(_char("begin", dirty=dirty)))
    parent.append(_run(_instr(instruction)))
    parent.append(_run(_char("separate")))


def field_end(parent) -> None:
    parent.append(_run(_char("end")))


def add_field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """A one-paragraph field (PAGE, NUMPAGES, PAGEREF) showing ``cached`` until updated."""
    element = paragraph._p
    field_begin(element, instruction)
    element.append(_run(_text(cached)))
    field_end(element)


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Bookmark the whole paragraph (a heading) so links and PAGEREF can find it."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    element = paragraph._p
    ppr = element.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        element.insert(0, start)
    element.append(end)


def add_toc_entry(paragraph: Paragraph, text: str, bookmark: str) -> None:
    """One line of the TOC's cached result: the heading's text, linked to its bookmark.

    No page number: nothing here can know Word's or LibreOffice's page breaks, and a
    dotted leader to nothing reads like an error. Word rebuilds the whole table, page
    numbers and all, when it updates the field (it offers to on opening the document).
    """
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    link.append(_run(_text(text)))
    paragraph._p.append(link)


def update_fields_on_open(settings_element) -> None:
    """``<w:updateFields w:val="true"/>``: Word offers to update the TOC when it opens."""
    existing = settings_element.find(qn("w:updateFields"))
    if existing is None:
        existing = OxmlElement("w:updateFields")
        later = (
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
        )
        anchor = next(
            (el for tag in later if (el := settings_element.find(qn(tag))) is not None), None
        )
        if anchor is not None:
            anchor.addprevious(existing)
        else:
            settings_element.append(existing)
    existing.set(qn("w:val"), "true")
