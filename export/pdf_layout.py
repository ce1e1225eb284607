"""The page machinery of the agenda PDF: page templates, "Side X af Y", bookmarks.

``Side X af Y`` needs the page count before a page is written, so the canvas keeps each
page's drawing until ``save`` and stamps header and footer then (the usual reportlab
recipe). Headings register a named destination where they are drawn; the document
turns them into outline entries and ToC entries with the page they landed on, and
``multiBuild`` repeats the layout until the ToC's page numbers stop changing.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from export.fonts import FontFamily

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.5 * cm
MARGIN_TOP = 2.5 * cm
MARGIN_BOTTOM = 2.2 * cm
HEADER_Y = PAGE_HEIGHT - 1.4 * cm
FOOTER_Y = 1.2 * cm
MUTED = (0.35, 0.35, 0.35)


class Heading(Paragraph):
    """A heading that is a bookmark target and an entry of the ToC and the outline."""

    def __init__(self, text: str, style, *, key: str, level: int, plain: str) -> None:
        super().__init__(text, style)
        self.key = key
        self.level = level
        self.plain = plain  # the outline's text (no markup)
        self.toc_text = text

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize)
        super().draw()


class AgendaDocTemplate(BaseDocTemplate):
    def __init__(self, filename, *, header: str, fonts: FontFamily, **metadata) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            lang="da-DK",
            creator="KKR Dagsorden",
            **metadata,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            PAGE_WIDTH - 2 * MARGIN_X,
            PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            id="text",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.header = header
        self.fonts = fonts
        self.addPageTemplates(
            [
                PageTemplate("front", [frame], onPage=self._mark_front),
                PageTemplate("body", [frame]),
            ]
        )
        self.front_pages: set[int] = set()

    def _mark_front(self, canvas: Canvas, doc) -> None:
        self.front_pages.add(canvas.getPageNumber())

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading):
            self.canv.addOutlineEntry(flowable.plain, flowable.key, flowable.level, closed=False)
            self.notify("TOCEntry", (flowable.level, flowable.toc_text, self.page, flowable.key))

    def canvas_maker(self):
        """A canvas class that stamps this document's header and ``Side X af Y``."""
        document = self

        class PageCountCanvas(Canvas):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self) -> None:
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    document.decorate(self, self._pageNumber, total)
                    Canvas.showPage(self)
                Canvas.save(self)

        return PageCountCanvas

    def decorate(self, canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFillColorRGB(*MUTED)
        canvas.setFont(self.fonts.regular, 8.5)
        if page not in self.front_pages:
            canvas.drawString(MARGIN_X, HEADER_Y, self.header)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, FOOTER_Y, f"Side {page} af {total}")
        canvas.restoreState()
