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


def tagged_pdf(texts: Sequence[str], *, alt: str = "Et diagram", note: str | None = None) -> bytes:
    """A tagged PDF made by hand: per page an H1 with the text and a Figure with ``alt``,
    one form XObject with a P of its own (keyed by its own StructParents) on page 1,
    and, with ``note``, a reviewer's sticky note on page 1 that the tree also holds (an
    Annot element whose /Alt is the note's text). Its keys start at 5, so a merge that
    does not renumber them collides with the pack's own."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                           BaseFont=pikepdf.Name.Helvetica)
    )  # fmt: skip
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/Dokument"), P=root,
                           K=pikepdf.Array())
    )  # fmt: skip
    root.K = pikepdf.Array([document])
    root.RoleMap = pikepdf.Dictionary(Dokument=pikepdf.Name.Document)
    nums = pikepdf.Array()
    key = 5

    def element(role: str, page, kids, **extra):
        made = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + role),
                               P=document, Pg=page, K=kids, **extra)
        )  # fmt: skip
        document.K.append(made)
        return made

    for n, text in enumerate(texts):
        content = (
            b"/H1 <</MCID 0>> BDC BT /F1 14 Tf 60 760 Td (%s) Tj ET EMC\n"
            b"/Figure <</MCID 1>> BDC 0.5 g 60 600 120 80 re f EMC\n" % text.encode("latin-1")
        )
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        heading = element("H1", page.obj, 0)
        figure = element("Figure", page.obj, 1, Alt=pikepdf.String(alt))
        mcids = [heading, figure]
        if n == 0:
            form = pdf.make_stream(
                b"/P <</MCID 0>> BDC BT /F1 10 Tf 60 560 Td (I en formular) Tj ET EMC\n",
                Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 595, 842],
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                StructParents=key + 1,
            )  # fmt: skip
            page.obj.Resources.XObject = pikepdf.Dictionary(X0=form)
            content += b"/Artifact BMC q /X0 Do Q EMC\n"
            inner = element("P", page.obj, pikepdf.Dictionary(Type=pikepdf.Name.MCR, Stm=form,
                                                             MCID=0))  # fmt: skip
            nums.extend([key + 1, pikepdf.Array([inner])])
            if note is not None:
                annot = pdf.make_indirect(
                    pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text,
                                       Rect=[400, 700, 420, 720], Contents=pikepdf.String(note),
                                       StructParent=key + 2)
                )  # fmt: skip
                page.obj.Annots = pikepdf.Array([annot])
                holder = element(
                    "Annot", page.obj,
                    pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot)]),
                    Alt=pikepdf.String(note),
                )  # fmt: skip
                nums.extend([key + 2, holder])
        page.obj.Contents = pdf.make_stream(content)
        page.obj.StructParents = key
        nums.extend([key, pikepdf.Array(mcids)])
        key += 3
    pairs = sorted(zip(nums[::2], nums[1::2], strict=True), key=lambda p: int(p[0]))
    root.ParentTree = pdf.make_indirect(
        pikepdf.Dictionary(Nums=pikepdf.Array([x for p in pairs for x in p]))
    )
    root.ParentTreeNextKey = key
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
