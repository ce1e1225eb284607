"""The pack's navigation and description: bookmarks, contents links and metadata.

Bookmarks: "Forside", "Indhold", then one per item (its heading) with one child per
bilag ("Bilag 1: Titel"). Both point at separator pages: the item at its first
separator, each bilag at its own separator – the page that says what follows, with
the bilag's first own page right after it. The contents' links point at the same pages
and print their numbers, so a printed number, a link and a bookmark always agree.

Metadata (document info and XMP alike): title, author (the body), subject, creator
tool, and language da-DK also in the catalog's /Lang. Nothing in it names an item or a
bilag, so the public edition's metadata cannot leak a closed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

from agenda import __version__
from export.pack.pack_pages import CLOSED_MARK, CONFIDENTIAL_MARK, ContentsLink
from export.pack.pack_plan import PackItem, PageMap

LANGUAGE = "da-DK"
CREATOR = f"KKR Dagsorden {__version__}"


@dataclass(frozen=True, slots=True)
class PackMetadata:
    title: str
    author: str
    subject: str


def _destination(pdf: pikepdf.Pdf, page_number: int) -> Array:
    """Go to the top of a page and keep the reader's zoom."""
    page = pdf.pages[page_number - 1].obj
    top = float(page.MediaBox[3]) if "/MediaBox" in page else 842.0
    return Array([page, Name.XYZ, None, top, None])


def add_contents_links(pdf: pikepdf.Pdf, links: Sequence[ContentsLink]) -> None:
    for link in links:
        page = pdf.pages[link.page].obj
        annot = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array(list(link.rect)),
                Border=Array([0, 0, 0]),
                F=4,  # print flag: harmless for a link, expected by some checkers
                Dest=_destination(pdf, link.target),
            )
        )
        if "/Annots" not in page:
            page.Annots = Array()
        page.Annots.append(annot)


def add_outline(
    pdf: pikepdf.Pdf, items: Sequence[PackItem], pages: PageMap, preface: str = ""
) -> None:
    """``preface``: the bookmark of the pages between the front page and the contents."""

    def entry(title: str, page_number: int) -> OutlineItem:
        return OutlineItem(title, _destination(pdf, page_number))

    with pdf.open_outline(strict=True) as outline:
        outline.root.append(entry("Forside", 1))
        if pages.preface_pages:
            outline.root.append(entry(preface, 2))
        outline.root.append(entry("Indhold", 2 + pages.preface_pages))
        for pack_item in items:
            heading = pack_item.item.heading
            if pack_item.item.item.closed:
                heading += f" ({CLOSED_MARK.lower()})"
            first = pack_item.entries[0].key
            node = entry(heading, pages.separator[first])
            for bilag in pack_item.entries:
                label = bilag.label
                if bilag.attachment.confidential:
                    label += f" ({CONFIDENTIAL_MARK.lower()})"
                node.children.append(entry(label, pages.separator[bilag.key]))
            node.is_closed = False  # items open: the bilag titles are what readers scan
            outline.root.append(node)
    pdf.Root.PageMode = Name.UseOutlines


def set_metadata(pdf: pikepdf.Pdf, meta: PackMetadata) -> None:
    pdf.Root.Lang = pikepdf.String(LANGUAGE)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = meta.title
        xmp["dc:creator"] = [meta.author]
        xmp["dc:description"] = meta.subject
        xmp["dc:language"] = [LANGUAGE]
        xmp["xmp:CreatorTool"] = CREATOR
        xmp["pdf:Producer"] = f"{CREATOR} (pikepdf {pikepdf.__version__})"
