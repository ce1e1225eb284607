"""Small PDFs and meetings for the bilagspakke tests (made here, never read from disk)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfgen.canvas import Canvas

from agenda.model import Attachment, ItemKind
from agenda.snapshot import MeetingSnapshot
from tests import factories


def pdf_pages(
    texts: Sequence[str],
    *,
    size: tuple[float, float] = A4,
    rotate: int = 0,
    offset: tuple[float, float] | None = None,
    link_to_last: bool = False,
) -> bytes:
    """One page per text, the text near the top left and a line near the bottom, so a
    stamp drawn over content would show. ``rotate`` sets /Rotate on every page;
    ``offset`` moves the MediaBox (and the content with it) away from 0,0."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    for text in texts:
        canvas.setFont("Helvetica", 14)
        canvas.drawString(60, size[1] - 80, text)
        canvas.rect(40, 40, size[0] - 80, size[1] - 80)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    if not (rotate or offset or link_to_last):
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            if rotate:
                page.obj.Rotate = rotate
            if offset:
                dx, dy = offset
                page.obj.MediaBox = pikepdf.Array([dx, dy, dx + size[0], dy + size[1]])
                page.contents_add(pdf.make_stream(b"1 0 0 1 %d %d cm\n" % (dx, dy)), prepend=True)
        if link_to_last:
            last = pdf.pages[-1].obj
            pdf.pages[0].obj.Annots = pikepdf.Array(
                [
                    pdf.make_indirect(
                        pikepdf.Dictionary(
                            Type=pikepdf.Name.Annot,
                            Subtype=pikepdf.Name.Link,
                            Rect=[50, 700, 300, 730],
                            Dest=pikepdf.Array([last, pikepdf.Name.Fit]),
                        )
                    )
                ]
            )
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def landscape_a4(texts: Sequence[str]) -> bytes:
    return pdf_pages(texts, size=landscape(A4))


def a3(texts: Sequence[str]) -> bytes:
    return pdf_pages(texts, size=A3)


def snapshot(
    files: Sequence[tuple[str, str, bytes, dict]], **meeting_kw
) -> tuple[MeetingSnapshot, dict[str, Attachment]]:
    """A meeting whose items carry the given bilag.

    ``files``: (item title, bilag title, bytes, options) where options may hold
    ``file_name``, ``confidential``, ``closed`` (for the item) and ``kind``.
    Bilag with the same item title go under the same item, in order.
    """
    by_item: dict[str, list[tuple[Attachment, dict]]] = {}
    made: dict[str, Attachment] = {}
    blobs: dict[str, bytes] = {}
    for item_title, title, data, options in files:
        name = options.get("file_name", title.lower().replace(" ", "-") + ".pdf")
        attachment = factories.attachment(
            title, data, name, confidential=options.get("confidential", False)
        )
        by_item.setdefault(item_title, []).append((attachment, options))
        made[title] = attachment
        blobs[attachment.sha256] = data
    cases = []
    for n, (item_title, bilag) in enumerate(by_item.items(), start=1):
        options = bilag[0][1]
        kind = options.get("kind", ItemKind.DECISION)
        case = factories.case(item_title, f"24/0{n}000", kind, tuple(a for a, _ in bilag))
        cases.append(
            factories.item(item_title, kind, case_=case, closed=options.get("closed", False))
        )
    sections = [
        (
            "Indledning",
            [factories.item("Godkendelse af dagsorden", ItemKind.APPROVAL)],
        ),
        ("Sager", cases),
        ("Afslutning", [factories.item("Eventuelt", ItemKind.ANY_OTHER)]),
    ]
    meeting = factories.meeting(sections, **meeting_kw)
    return MeetingSnapshot(meeting, blobs=blobs), made
