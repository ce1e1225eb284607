"""Tracked changes accepted and comments removed in WordprocessingML, for ``office_clean``.

Accepting is what Word's "Accept all changes" does to the XML: deleted and moved-away
content (``w:del``, ``w:moveFrom``) goes with its text, inserted and moved-here content
(``w:ins``, ``w:moveTo``) stays without its wrapper, a deleted table row goes whole, a
paragraph whose mark was deleted and that has nothing left is merged away, and the
records of earlier properties (``w:rPrChange`` ...) are dropped. Comments lose their
anchors here; ``office_clean`` empties the comments parts.
"""

from __future__ import annotations

from lxml import etree

__all__ = ["accept_changes", "drop_comment_marks", "remove_keeping_tail"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


#: Containers whose content was deleted or moved away: removed with the content.
_DELETED = (_w("del"), _w("moveFrom"))
#: Containers whose content was inserted or moved here: kept, the wrapper goes.
_INSERTED = (_w("ins"), _w("moveTo"))
#: Records of the properties before a change, and range marks of moves.
_RECORDS = tuple(
    _w(name)
    for name in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "cellIns",
        "cellMerge",
        "delText",
        "delInstrText",
    )
)
_COMMENT_MARKS = (_w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference"))
_PROPERTIES = (_w("rPr"), _w("trPr"), _w("pPr"))


def accept_changes(root: etree._Element) -> bool:
    """Accept every tracked change in a WordprocessingML part. True if there was one."""
    changed = False
    # A deleted table row or cell goes whole.
    for mark in list(root.iter(_w("del"), _w("cellDel"))):
        parent = mark.getparent()
        if parent is not None and parent.tag in (_w("trPr"), _w("tcPr")):
            row_or_cell = parent.getparent()
            if row_or_cell is not None and row_or_cell.getparent() is not None:
                row_or_cell.getparent().remove(row_or_cell)
                changed = True
    merged: list[etree._Element] = []  # paragraphs whose mark was deleted
    for mark in list(root.iter(*_DELETED)):
        parent = mark.getparent()
        if parent is None:
            continue
        if parent.tag in _PROPERTIES:  # a mark on a paragraph, run or row: just drop it
            grand = parent.getparent()
            parent.remove(mark)
            changed = True
            if parent.tag == _w("rPr") and grand is not None and grand.tag == _w("pPr"):
                merged.append(grand.getparent())
            continue
        remove_keeping_tail(mark)
        changed = True
    for mark in list(root.iter(*_INSERTED)):
        parent = mark.getparent()
        if parent is None:
            continue
        if parent.tag in _PROPERTIES:
            parent.remove(mark)
        else:
            _unwrap(mark)
        changed = True
    for record in list(root.iter(*_RECORDS)):
        if record.getparent() is not None:
            record.getparent().remove(record)
            changed = True
    for paragraph in merged:  # one with nothing left is merged away, as Word does
        _drop_if_empty(paragraph)
    return changed


def _drop_if_empty(paragraph: etree._Element | None) -> None:
    """Remove a paragraph with no content left, unless it is the last one of its
    container (a cell or the body must keep a paragraph)."""
    if paragraph is None or paragraph.tag != _w("p"):
        return
    if any(child.tag != _w("pPr") for child in paragraph):
        return
    following = paragraph.getnext()
    parent = paragraph.getparent()
    if parent is not None and following is not None and following.tag == _w("p"):
        parent.remove(paragraph)


def drop_comment_marks(root: etree._Element) -> bool:
    marks = list(root.iter(*_COMMENT_MARKS))
    for mark in marks:
        parent = mark.getparent()
        if parent is None:
            continue
        parent.remove(mark)
        # the run that only carried the reference goes too
        run_only = parent.tag == _w("r") and all(c.tag == _w("rPr") for c in parent)
        if run_only and parent.getparent() is not None:
            parent.getparent().remove(parent)
    return bool(marks)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    remove_keeping_tail(element)


def remove_keeping_tail(element: etree._Element) -> None:
    """Remove ``element``; text after it (ODF's mixed content) stays in place."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
