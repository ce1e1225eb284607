"""Real PDF (reportlab) and DOCX (python-docx) bytes for the demo workspace's bilag.

Each ``agenda.demo.DemoDocument`` becomes a document that looks like what a KKR
secretariat receives: a front page, headings, paragraphs, tables and several pages
(one bilag is a landscape table). The bytes are deterministic for the same document,
so making the demo twice stores each file once.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt, RGBColor
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    PageBreak as PdfPageBreak,
)
from reportlab.platypus import (
    Paragraph as PdfParagraph,
)
from reportlab.platypus import (
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import (
    Table as PdfTable,
)
from reportlab.platypus.flowables import Flowable

from agenda.demo import DemoDocument, Heading, PageBreak, Paragraph, Table

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_ACCENT = colors.HexColor("#1f4e79")
A4_WIDTH, A4_HEIGHT = Cm(21), Cm(29.7)
#: Fixed document dates keep the bytes the same from run to run.
_FIXED_DATE = datetime(2024, 1, 1, 12, 0)


def demo_file(document: DemoDocument) -> bytes:
    """The document's bytes in the format its file name asks for."""
    if document.format == "pdf":
        pdf = demo_pdf(document)
        return (
            scanned_copy(pdf, title=document.title, author=document.body_name)
            if document.scanned
            else pdf
        )
    if document.format == "docx":
        return demo_docx(document)
    raise ValueError(f"no demo writer for {document.file_name}")


def scanned_copy(pdf: bytes, *, title: str, author: str, dpi: int = 100) -> bytes:
    """The pages as grey images only, without a text layer: what a scanner makes of a
    printed letter (preflight warns that such a bilag is not accessible)."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()
    out = io.BytesIO()
    first: Image.Image = pages[0]
    first.save(
        out,
        "PDF",
        resolution=dpi,
        save_all=True,
        append_images=pages[1:],
        title=title,
        author=author,
        creationDate=_FIXED_DATE.timetuple(),
        modDate=_FIXED_DATE.timetuple(),
    )
    return out.getvalue()


def media_type(document: DemoDocument) -> str:
    return MEDIA_TYPES[document.format]


def demo_pdf(document: DemoDocument) -> bytes:
    styles = _pdf_styles()
    page = landscape(A4) if document.landscape else A4
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.2 * cm,
        title=document.title,
        author=document.body_name,
        subject=f"Sag {document.case_reference}: {document.case_title}",
        lang="da-DK",
        invariant=True,
    )
    width = page[0] - pdf.leftMargin - pdf.rightMargin
    story: list[Flowable] = [
        Spacer(1, 5 * cm),
        PdfParagraph(escape(document.body_name), styles["kicker"]),
        PdfParagraph(escape(document.title), styles["cover"]),
        PdfParagraph(
            escape(f"Bilag til sag {document.case_reference}: {document.case_title}"),
            styles["body"],
        ),
    ]
    if document.confidential:
        story.append(PdfParagraph("Fortroligt – må ikke offentliggøres", styles["warning"]))
    story.append(PdfPageBreak())
    for block in document.blocks:
        if isinstance(block, Heading):
            style = styles["h1"] if block.level == 1 else styles["h2"]
            story.append(PdfParagraph(escape(block.text), style))
        elif isinstance(block, Paragraph):
            story.append(PdfParagraph(escape(block.text), styles["body"]))
        elif isinstance(block, Table):
            story.extend([_pdf_table(block, width, styles), Spacer(1, 0.4 * cm)])
        elif isinstance(block, PageBreak):
            story.append(PdfPageBreak())

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(doc.leftMargin, 1.2 * cm, f"{document.body_name} · {document.title}")
        canvas.drawRightString(
            page[0] - doc.rightMargin, 1.2 * cm, f"Side {canvas.getPageNumber()}"
        )
        canvas.restoreState()

    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def demo_docx(document: DemoDocument) -> bytes:
    doc = Document()
    props = doc.core_properties
    props.title = document.title
    props.author = document.body_name
    props.subject = f"Sag {document.case_reference}: {document.case_title}"
    props.language = "da-DK"
    props.created = props.modified = _FIXED_DATE
    props.last_modified_by = document.body_name
    props.revision = 1
    section = doc.sections[0]
    # A4, as every Danish document (python-docx's default is US Letter), with the margins
    # of a Danish letter: 2.5 cm at the top, 2 cm at the foot, 2.2 cm at the sides
    section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
    section.left_margin = section.right_margin = Cm(2.2)
    footer = section.footer.paragraphs[0]
    footer.text = f"{document.body_name} · {document.title}"
    footer.runs[0].font.size = Pt(8)

    kicker = doc.add_paragraph()
    run = kicker.add_run(document.body_name)
    run.bold = True
    run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(f"Bilag til sag {document.case_reference}: {document.case_title}")
    if document.confidential:
        warning = doc.add_paragraph().add_run("Fortroligt – må ikke offentliggøres")
        warning.bold = True
        warning.font.color.rgb = RGBColor(0xA0, 0x1C, 0x1C)
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            doc.add_paragraph(block.text)
        elif isinstance(block, Table):
            _docx_table(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _with_fixed_zip_times(buffer.getvalue())


def _with_fixed_zip_times(package: bytes) -> bytes:
    """python-docx stamps each zip entry with the clock; a fixed time keeps the bytes the
    same from run to run (and so the demo's SHA-256s)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def _pdf_styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontSize=10.5, leading=14.5)
    return {
        "body": body,
        "kicker": ParagraphStyle(
            "kicker", parent=body, fontName="Helvetica-Bold", textColor=_ACCENT
        ),
        "cover": ParagraphStyle(
            "cover", parent=base["Title"], alignment=0, fontSize=24, leading=30, spaceAfter=18
        ),
        "warning": ParagraphStyle(
            "warning", parent=body, fontName="Helvetica-Bold", textColor=colors.darkred
        ),
        "h1": ParagraphStyle(
            "h1", parent=base["Heading1"], fontSize=15, textColor=_ACCENT, spaceBefore=10
        ),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=12.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontSize=9,
            leading=11.5,
            fontName="Helvetica-Bold",
            textColor=colors.white,
        ),
    }


def _pdf_table(table: Table, width: float, styles: dict[str, ParagraphStyle]) -> PdfTable:
    columns = max(len(row) for row in table.rows)
    rows = [
        [
            PdfParagraph(escape(cell), styles["head" if r == 0 else "cell"])
            for cell in row + ("",) * (columns - len(row))
        ]
        for r, row in enumerate(table.rows)
    ]
    result = PdfTable(rows, colWidths=[width / columns] * columns, repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), _ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef3f8")]),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9fb3c8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return result


def _docx_table(doc, table: Table) -> None:  # type: ignore[no-untyped-def]
    columns = max(len(row) for row in table.rows)
    result = doc.add_table(rows=len(table.rows), cols=columns)
    result.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            cell = result.cell(r, c)
            cell.text = text
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    doc.add_paragraph()
