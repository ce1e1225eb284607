"""What ``main.py self-test`` makes and checks, so support can ask a user to run one
command and learn whether exports work on that machine (and which converter it has)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import docx
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from agenda.model import Agenda, AgendaItem, Attachment, Body, Case, ItemKind, Meeting, Section
from agenda.numbering import meeting_items
from export.fonts import document_fonts
from export.samples.demo_files import A4_HEIGHT, A4_WIDTH

PDF_MARKER = "Selvtest PDF-bilag"
DOCX_MARKER = "Selvtest Word-bilag"


def sample_pdf() -> bytes:
    fonts = document_fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont(fonts.regular, 14)
    page.drawString(72, 770, f"{PDF_MARKER}: æøå ÆØÅ")
    page.showPage()
    page.save()
    return out.getvalue()


def sample_docx() -> bytes:
    document = docx.Document()
    section = document.sections[0]  # A4 like the PDF sample, not python-docx's Letter
    section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    document.add_heading(DOCX_MARKER, level=1)
    document.add_paragraph("Kommunekontaktrådet tester konvertering af Word-filer: æøå.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def check_pack(path: Path, expected_headings: list[str], *, needs_office: bool) -> list[str]:
    """Problems found in a bilagspakke made from the two samples ([] when all is well)."""
    problems = []
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for heading in expected_headings:
        if heading not in text:
            problems.append(f"Bilagspakken mangler »{heading}«.")
    if PDF_MARKER not in text:
        problems.append("PDF-bilaget er ikke med i bilagspakken.")
    if needs_office and DOCX_MARKER not in text:
        problems.append("Word-bilaget er ikke konverteret og kommet med i bilagspakken.")
    total = len(reader.pages)
    if f"Side {total} af {total}" not in (reader.pages[-1].extract_text() or ""):
        problems.append("Sidetallene (»Side X af Y«) mangler i bilagspakken.")
    return problems


def check_agenda(docx_path: Path, pdf_path: Path, expected_headings: list[str]) -> list[str]:
    problems = []
    paragraphs = [p.text for p in docx.Document(str(docx_path)).paragraphs]
    pdf_text = "\n".join(p.extract_text() or "" for p in PdfReader(pdf_path).pages)
    for heading in expected_headings:
        if heading not in paragraphs:
            problems.append(f"Word-dagsordenen mangler overskriften »{heading}«.")
        if heading not in pdf_text.replace("\n", " "):
            problems.append(f"PDF-dagsordenen mangler overskriften »{heading}«.")
    return problems


def sample_meeting(store_blob: Callable[[bytes], str]) -> Meeting:
    """A meeting with one item and a PDF and a DOCX bilag, stored through ``store_blob``
    (the workspace's); the caller saves it."""
    files = [("Notat.pdf", sample_pdf()), ("Bilag.docx", sample_docx())]
    attachments = tuple(
        Attachment(
            title=name.rsplit(".", 1)[0],
            file_name=name,
            media_type="",
            size=len(data),
            sha256=store_blob(data),
        )
        for name, data in files
    )
    case = Case(title="Selvtest af eksport", reference="00/00000", attachments=attachments)
    item = AgendaItem(ItemKind.DECISION, "Selvtest af eksport", case=case)
    return Meeting(
        body=Body("Selvtest"),
        title="Selvtest",
        start=datetime.now().astimezone(),
        agenda=Agenda((Section("Sager", (item,)),)),
    )


def check_outputs(
    written: list[Path], meeting: Meeting, problems: list[str], *, needs_office: bool
) -> list[str]:
    """What is wrong with the agenda (docx, pdf) and the pack written for ``meeting``."""
    headings = [n.heading for n in meeting_items(meeting)]
    by_kind: Mapping[str, Path] = {
        p.suffix + ("-pack" if p.name.startswith("Bilagspakke") else ""): p for p in written
    }
    found = list(problems)
    if len(by_kind) != 3:
        return [*found, "Ikke alle filer blev lavet."]
    found += check_agenda(by_kind[".docx"], by_kind[".pdf"], headings)
    found += check_pack(by_kind[".pdf-pack"], headings, needs_office=needs_office)
    return found
