"""The page machinery of the agenda PDF: page templates, "Side X af Y", bookmarks, and
headings kept on the page of the text they lead into.

Headings register a named destination where they are drawn; the document turns them
into outline entries and ToC entries with the page they landed on, and ``multiBuild``
repeats the layout until the ToC's page numbers stop changing. ``Side X af Y`` needs
the page count before a page is written: each pass prints the previous pass's count,
and the build is only done when that count was right (the usual deferred-canvas recipe
would break the bookmarks, which point at pages as they are written).
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Paragraph,
)
from reportlab.platypus.flowables import _listWrapOn  # private: see _start_fits

from export.fonts import FontFamily

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.5 * cm
MARGIN_TOP = 2.5 * cm
MARGIN_BOTTOM = 2.2 * cm
HEADER_Y = PAGE_HEIGHT - 1.4 * cm
FOOTER_Y = 1.2 * cm
MUTED = (0.35, 0.35, 0.35)
ALERT = (0xA3 / 255, 0x1F / 255, 0x1F / 255)


FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM


class Heading(Paragraph):
    """A heading that is a bookmark target and an entry of the ToC and the outline.

    It moves whole to the next page rather than split, unless it is taller than a whole
    page (a title of thousands of characters): that one is split like any paragraph, and
    only its first part is the bookmark target and the entry (the later parts have no
    ``key``). Never splitting made reportlab give up with a LayoutError.
    """

    def __init__(
        self, text: str | None, style, *, key: str = "", level: int = 0, plain: str = "", **kw
    ) -> None:
        # the keywords after ``plain`` are Paragraph.split's, which makes the parts with
        # self.__class__(None, style, bulletText=…, frags=…)
        super().__init__(text, style, **kw)
        self.key = key
        self.level = level
        self.plain = plain  # the outline's text (no markup)
        self.toc_text = text

    def split(self, availWidth, availHeight):
        _, height = self.wrap(availWidth, FRAME_HEIGHT)
        if height <= FRAME_HEIGHT:
            return []
        parts = super().split(availWidth, availHeight)
        if parts:
            first = parts[0]
            first.key, first.level, first.plain = self.key, self.level, self.plain
            first.toc_text = self.toc_text
        return parts

    def draw(self) -> None:
        if self.key:
            self.canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize)
        super().draw()


class KeepWithStartOfNext(KeepTogether):
    """Headings (flowables whose style has ``keepWithNext``) and the flowable after them.

    The document groups every run of ``keepWithNext`` flowables with the next one in
    this class. reportlab's own ``KeepTogether`` would move the group to a new page
    unless *all* of it fits, so a heading over a long paragraph left half a page empty;
    here the group stays if the headings and the *start* of what follows fit (as Word's
    "keep with next" does) and otherwise moves whole, so no heading ends a page.
    """

    def split(self, aW, aH):
        content = list(self._content)
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and getattr(frame, "_atTop", False)
        if at_top or self._start_fits(content, aW, aH):
            # reportlab places the first piece without splitting it again: a heading
            # taller than the page (see Heading) is split here
            _, height = content[0].wrapOn(self.canv, aW, aH)
            if height > aH and (parts := content[0].splitOn(self.canv, aW, aH)):
                return [*parts, *content[1:]]
            return content
        return [FrameBreak(), *content]

    def _start_fits(self, content, aW, aH) -> bool:
        # _listWrapOn is how KeepTogether itself measures: spaces merged as the frame does.
        # Private, but there since reportlab 2; pyproject pins reportlab<5, and the
        # keep-with-next tests fail if it ever measures differently.
        _, whole = _listWrapOn(content, aW, self.canv)
        if whole <= aH:
            return True
        heads, follower = content[:-1], content[-1]
        if not heads:
            return False
        _, height = _listWrapOn(heads, aW, self.canv)  # without the last one's spaceAfter
        # the frame lets the follower's spaceBefore overlap the last head's spaceAfter
        gap = max(follower.getSpaceBefore(), heads[-1].getSpaceAfter())
        room = aH - height - gap
        # a paragraph splits only if at least two lines go on this page (no orphans)
        return room > 0 and bool(follower.splitOn(self.canv, aW, room))


class AgendaDocTemplate(BaseDocTemplate):
    def __init__(
        self,
        filename,
        *,
        header: str,
        fonts: FontFamily,
        footer_mark: str = "",
        **metadata,
    ) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            lang="da-DK",
            # without these the canvas would start in Helvetica and list it in the pages'
            # resources: an unembedded font in a document that uses none of it
            initialFontName=fonts.regular,
            initialFontSize=10.5,
            creator="KKR Dagsorden",
            keepTogetherClass=KeepWithStartOfNext,
            **metadata,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            PAGE_WIDTH - 2 * MARGIN_X,
            FRAME_HEIGHT,
            id="text",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.header = header
        self.footer_mark = footer_mark
        self.fonts = fonts
        self.addPageTemplates(
            [
                PageTemplate("front", [frame], onPageEnd=self._decorate),
                PageTemplate("body", [frame], onPageEnd=self._decorate),
            ]
        )
        #: Pages of the previous pass; this pass prints it as Y.
        self.total: int | None = None
        self._total_right = False

    def build(self, *args, **kwargs) -> None:
        """One pass of ``multiBuild``; remember how many pages it made."""
        super().build(*args, **kwargs)
        self._total_right = self.page == self.total
        self.total = self.page

    def _allSatisfied(self) -> bool:
        # another pass until the ToC is stable *and* the Y printed was this pass's count
        return super()._allSatisfied() and self._total_right

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading) and flowable.key:
            self.canv.addOutlineEntry(flowable.plain, flowable.key, flowable.level, closed=False)
            self.notify("TOCEntry", (flowable.level, flowable.toc_text, self.page, flowable.key))

    def _decorate(self, canvas: Canvas, doc) -> None:
        page = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFillColorRGB(*MUTED)
        canvas.setFont(self.fonts.regular, 8.5)
        if self.pageTemplate.id != "front":
            canvas.drawString(MARGIN_X, HEADER_Y, self.header)
        total = self.total if self.total is not None else 0
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, FOOTER_Y, f"Side {page} af {total}")
        if self.footer_mark:
            canvas.setFillColorRGB(*ALERT)
            canvas.setFont(self.fonts.bold, 8.5)
            canvas.drawString(MARGIN_X, FOOTER_Y, self.footer_mark)
        canvas.restoreState()
