"""The change page of a revised pack: what changed since the agenda was sent.

One entry per item, in agenda order: its heading as the agenda shows it now (an item
taken off: as it was sent) and its "Ændret: …" line; the meeting's own changes first.
Laid out before drawing, so the pack knows its page count up front (the page numbers
of everything after it depend on it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from export.pack.pack_fonts import pack_fonts
from export.pack.pack_pages import ACCENT, BOTTOM, INK, LEFT, MUTED, RIGHT, TOP


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    heading: str  # "2.1 Beslutningssag: Evaluering …", or "" for the meeting's line
    line: str  # "Ændret: Indstilling, Bilag 2 erstattet"


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    bold: bool
    size: float
    space_before: float


_LEADING = 1.35
_TITLE_SPACE = 66.0


def _lines(entries: Sequence[ChangeEntry], empty: str) -> list[list[_Line]]:
    """The entries as lines, one group per entry (a group is never split)."""
    fonts = pack_fonts()
    width = RIGHT - LEFT
    groups: list[list[_Line]] = []
    for entry in entries:
        group = []
        if entry.heading:
            group += [
                _Line(text, True, 11, 12 if n == 0 else 0)
                for n, text in enumerate(simpleSplit(entry.heading, fonts.bold, 11, width))
            ]
        group += [
            _Line(text, False, 10.5, 0 if entry.heading or n else 12)
            for n, text in enumerate(simpleSplit(entry.line, fonts.regular, 10.5, width - 16))
        ]
        groups.append(group)
    if not groups:
        groups.append([_Line(empty, False, 10.5, 12)])
    return groups


def _paginate(groups: list[list[_Line]]) -> list[list[_Line]]:
    pages: list[list[_Line]] = [[]]
    y = TOP - _TITLE_SPACE
    for group in groups:
        height = sum(line.space_before + line.size * _LEADING for line in group)
        if pages[-1] and y - height < BOTTOM:
            pages.append([])
            y = TOP
        pages[-1] += group
        y -= height
    return pages


def change_pages(
    title: str, subtitle: str, entries: Sequence[ChangeEntry], empty: str
) -> tuple[Callable[[Canvas], None], ...]:
    """One drawing function per page; the first page has ``title`` ("Ændringer", one
    short word) and ``subtitle`` (one line); ``empty`` is said when there are no entries."""
    pages = _paginate(_lines(entries, empty))

    def page(lines: list[_Line], first: bool) -> Callable[[Canvas], None]:
        def draw(canvas: Canvas) -> None:
            # drawn on the pack's canvas: its marked-content writer tags the page for
            # the public (tagged) edition, the bar is an artifact
            marks = canvas.marks
            fonts = pack_fonts()
            y = TOP
            if first:
                canvas.setFillColorRGB(*ACCENT)
                with marks.artifact(canvas):
                    canvas.rect(LEFT, TOP - 4, 48, 4, stroke=0, fill=1)
                canvas.setFont(fonts.bold, 20)
                canvas.setFillColorRGB(*INK)
                with marks.tag(canvas, "H1"):
                    canvas.drawString(LEFT, TOP - 30, title)
                canvas.setFont(fonts.regular, 11)
                canvas.setFillColorRGB(*MUTED)
                with marks.tag(canvas, "P"):
                    canvas.drawString(LEFT, TOP - 50, subtitle)
                y = TOP - _TITLE_SPACE
            for line in lines:
                y -= line.space_before + line.size
                canvas.setFont(fonts.bold if line.bold else fonts.regular, line.size)
                canvas.setFillColorRGB(*(INK if line.bold else MUTED))
                with marks.tag(canvas, "H2" if line.bold else "P"):
                    canvas.drawString(LEFT + (0 if line.bold else 16), y, line.text)
                y -= line.size * (_LEADING - 1)

        return draw

    return tuple(page(lines, n == 0) for n, lines in enumerate(pages))
