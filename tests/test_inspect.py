"""export.inspection.inspect: facts about real files made here (reportlab, pikepdf, python-docx).

The file makers below are also used by tests/test_preflight.py.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import docx
import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from agenda.tasks import Cancelled
from export.inspection import inspect as inspect_module
from export.inspection.inspect import inspect_file, inspect_meeting
from tests import factories
from tests.hypothesis_budget import examples

# -- file makers ------------------------------------------------------------------------


def text_pdf(*pages: str) -> bytes:
    """A PDF with one page per string, each written as real text."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in pages:
        for line_no, line in enumerate(page.splitlines() or [""]):
            pdf.drawString(72, 780 - 16 * line_no, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _picture() -> ImageReader:
    return ImageReader(Image.new("L", (120, 160), 180))


def scanned_pdf(pages: int = 2, *, text_pages: int = 0, ocr_text: str | None = None) -> bytes:
    """``text_pages`` pages of text followed by ``pages`` image-only pages (a scan). With
    ``ocr_text`` each scanned page also carries invisible text, like an OCR'd scan."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for number in range(text_pages):
        pdf.drawString(72, 780, f"Side {number + 1} med tekst")
        pdf.showPage()
    for _ in range(pages):
        pdf.drawImage(_picture(), 50, 50, 480, 640)
        if ocr_text is not None:
            words = pdf.beginText(72, 700)
            words.setTextRenderMode(3)  # invisible: how OCR software lays text on a scan
            words.textLine(ocr_text)
            pdf.drawText(words)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def form_pdf(*, with_text: bool) -> bytes:
    """A page whose only content is a form XObject holding text or an image."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.beginForm("inner")
    if with_text:
        pdf.drawString(72, 700, "Tekst i en formular")
    else:
        pdf.drawImage(_picture(), 50, 50, 480, 640)
    pdf.endForm()
    pdf.doForm("inner")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def encrypted_pdf(*, user_password: str) -> bytes:
    """A text PDF encrypted with pikepdf; an empty user password means owner-only."""
    source = pikepdf.open(io.BytesIO(text_pdf("Fortroligt notat")))
    out = io.BytesIO()
    source.save(out, encryption=pikepdf.Encryption(owner="ejer", user=user_password, R=6))
    return out.getvalue()


def broken_xref_pdf() -> bytes:
    """A readable PDF whose cross-reference table points at the wrong places."""
    data = text_pdf("Et notat om klyngekontorer")
    return re.sub(rb"\d{10} 00000 n", b"0000000999 00000 n", data)


def wrecked_pdf() -> bytes:
    """A PDF header and nothing a reader can use."""
    return b"%PDF-1.4\n" + bytes(range(256)) * 20


def docx_file(body: str, *, header: str = "", table_cell: str = "") -> bytes:
    document = docx.Document()
    document.add_paragraph(body)
    if table_cell:
        document.add_table(rows=1, cols=1).cell(0, 0).text = table_cell
    if header:
        document.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def png_file() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, "PNG")
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
ENCRYPTED_DOCX = (  # what a password-protected .docx is: an OLE file with this stream
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
)

# -- PDFs ------------------------------------------------------------------------------


def test_text_pdf_has_pages_and_text() -> None:
    data = text_pdf("Første side om sundhedsaftalen", "Anden side: CPR 160424-1234")
    facts = inspect_file("notat.pdf", data)
    assert facts.kind == "pdf"
    assert facts.sha256 == hashlib.sha256(data).hexdigest()
    assert facts.size == len(data)
    assert facts.page_count == 2
    assert facts.pages_without_text == 0
    assert "sundhedsaftalen" in facts.text and "160424-1234" in facts.text
    assert facts.convertible and not facts.damaged and not facts.encrypted_with_password
    assert not facts.repaired and facts.text_complete and facts.text_pages == 2


def test_image_only_pages_are_scanned() -> None:
    facts = inspect_file("scan.pdf", scanned_pdf(3))
    assert (facts.page_count, facts.pages_without_text) == (3, 3)
    assert facts.text.strip() == ""


def test_mixed_pdf_counts_only_the_scanned_pages() -> None:
    facts = inspect_file("blandet.pdf", scanned_pdf(1, text_pages=2))
    assert (facts.page_count, facts.pages_without_text) == (3, 1)


def test_ocr_text_layer_counts_as_text() -> None:
    facts = inspect_file("ocr.pdf", scanned_pdf(2, ocr_text="Genkendt tekst 010180-4321"))
    assert facts.pages_without_text == 0
    assert "010180-4321" in facts.text


@pytest.mark.parametrize(("with_text", "scanned"), [(True, 0), (False, 1)])
def test_form_xobjects_are_followed(with_text: bool, scanned: int) -> None:
    assert inspect_file("form.pdf", form_pdf(with_text=with_text)).pages_without_text == scanned


def test_user_password_pdf_is_encrypted_and_not_convertible() -> None:
    facts = inspect_file("hemmelig.pdf", encrypted_pdf(user_password="kode"))
    assert facts.encrypted_with_password and not facts.damaged
    assert not facts.convertible
    assert "hemmelig.pdf" in facts.problem and "adgangskode" in facts.problem
    assert facts.text == ""


def test_owner_password_only_opens_and_is_not_a_repair() -> None:
    facts = inspect_file("begrænset.pdf", encrypted_pdf(user_password=""))
    assert not facts.encrypted_with_password and not facts.damaged and not facts.repaired
    assert facts.page_count == 1 and "Fortroligt notat" in facts.text


def test_broken_xref_is_repaired() -> None:
    facts = inspect_file("reparer.pdf", broken_xref_pdf())
    assert facts.repaired and not facts.damaged and facts.convertible
    assert facts.page_count == 1 and "klyngekontorer" in facts.text


@pytest.mark.parametrize(
    "data", [wrecked_pdf(), text_pdf("Afbrudt download")[:400]], ids=["wrecked", "truncated"]
)
def test_unreadable_pdf_is_damaged(data: bytes) -> None:
    facts = inspect_file("ødelagt.pdf", data)
    assert facts.kind == "pdf" and facts.damaged and not facts.encrypted_with_password
    assert not facts.convertible
    assert "ødelagt.pdf" in facts.problem


def test_long_pdf_text_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspect_module, "TEXT_PAGES", 2)
    facts = inspect_file("lang.pdf", text_pdf("side et", "side to", "side tre 160424-1234"))
    assert facts.page_count == 3 and facts.text_pages == 2 and not facts.text_complete
    assert "side to" in facts.text and "side tre" not in facts.text


def test_pdf_named_docx_is_a_pdf() -> None:
    facts = inspect_file("omdøbt.docx", text_pdf("Egentlig en PDF"))
    assert facts.kind == "pdf" and facts.page_count == 1


# -- office, images, text, the rest -------------------------------------------------------


def test_docx_text_from_body_table_and_header() -> None:
    data = docx_file("Brødtekst om Region Sjælland", header="Sidehoved", table_cell="010180-4321")
    facts = inspect_file("notat.docx", data)
    assert facts.kind == "office" and facts.convertible and not facts.damaged
    for words in ("Brødtekst om Region Sjælland", "Sidehoved", "010180-4321"):
        assert words in facts.text
    assert facts.pages_without_text == 0


def test_word_splitting_a_number_across_runs_still_reads_it_whole() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("CPR: ")
    for piece in ("1604", "24-", "1234"):
        paragraph.add_run(piece).bold = True
    out = io.BytesIO()
    document.save(out)
    assert "CPR: 160424-1234" in inspect_file("runs.docx", out.getvalue()).text


def test_office_page_count_comes_from_the_package() -> None:
    app = b"<Properties><Pages>212</Pages></Properties>"
    data = zip_package(
        {
            "[Content_Types].xml": b"<Types/>",
            "docProps/app.xml": app,
            "word/document.xml": b"<w:document><w:p><w:r><w:t>Hej &amp; farvel</w:t></w:r>"
            b"</w:p></w:document>",
        }
    )
    facts = inspect_file("stor.docx", data)
    assert facts.page_count == 212
    assert "Hej & farvel" in facts.text


def test_xlsx_shared_strings_are_read() -> None:
    data = zip_package(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": b"<sst><si><t>Navn</t></si><si><t>2301801234</t></si></sst>",
        }
    )
    facts = inspect_file("liste.xlsx", data)
    assert facts.kind == "office" and "2301801234" in facts.text


def test_password_protected_docx_is_encrypted() -> None:
    facts = inspect_file("låst.docx", ENCRYPTED_DOCX)
    assert facts.kind == "office" and facts.encrypted_with_password and not facts.convertible
    assert "låst.docx" in facts.problem


def test_broken_docx_is_damaged() -> None:
    facts = inspect_file("halv.docx", docx_file("Tekst")[:300])
    assert facts.damaged and not facts.convertible and "halv.docx" in facts.problem


def test_package_claiming_a_huge_size_is_not_opened() -> None:
    data = bytearray(zip_package({"word/document.xml": b"<w:p>lille</w:p>"}))
    # claim 2 GiB uncompressed in the central directory, like a zip bomb would
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (2**31).to_bytes(4, "little")
    facts = inspect_file("bombe.docx", bytes(data))
    assert facts.damaged and "bombe.docx" in facts.problem


def test_a_huge_part_is_read_only_up_to_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspect_module, "PART_BYTES", 100_000)
    xml = b"<w:p>start</w:p>" + b" " * 300_000 + b"<w:p>slut</w:p>"
    facts = inspect_file("stor.docx", zip_package({"word/document.xml": xml}))
    assert "start" in facts.text and "slut" not in facts.text
    assert not facts.text_complete and not facts.damaged


def test_old_binary_word_file_gives_partial_text() -> None:
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + "WordDocument".encode("utf-16-le")
        + bytes(64)
        + "Borger 160424-1234".encode("utf-16-le")
        + bytes(64)
    )
    facts = inspect_file("gammel.doc", data)
    assert facts.kind == "office" and facts.convertible
    assert "160424-1234" in facts.text and not facts.text_complete


def test_image_is_one_page_without_text() -> None:
    facts = inspect_file("foto.png", png_file())
    assert facts.kind == "image" and facts.convertible
    assert (facts.page_count, facts.pages_without_text) == (1, 1)


def test_broken_image_is_damaged() -> None:
    facts = inspect_file("foto.png", png_file()[:40])
    assert facts.kind == "image" and facts.damaged and "foto.png" in facts.problem


def test_windows_text_file_is_decoded() -> None:
    facts = inspect_file("noter.txt", "Kære Søren, CPR 160424-1234 på næste møde".encode("cp1252"))
    assert facts.kind == "text" and facts.convertible
    assert "Kære Søren" in facts.text and "160424-1234" in facts.text


def test_executable_is_not_convertible() -> None:
    facts = inspect_file("program.exe", EXE)
    assert facts.kind == "unknown" and not facts.convertible and not facts.damaged
    assert "program.exe" in facts.problem and "PDF" in facts.problem


def test_empty_file_is_damaged() -> None:
    facts = inspect_file("tom.pdf", b"")
    assert facts.damaged and not facts.convertible and "0 byte" in facts.problem


# -- never raises ------------------------------------------------------------------------

_SEEDS = {
    "notat.pdf": text_pdf("Et notat", "Side to"),
    "scan.pdf": scanned_pdf(1),
    "notat.docx": docx_file("Brødtekst", header="Hoved"),
    "foto.png": png_file(),
    "låst.pdf": encrypted_pdf(user_password="kode"),
}


@st.composite
def mangled_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real file cut short and/or with some bytes overwritten."""
    name = draw(st.sampled_from(sorted(_SEEDS)))
    data = bytearray(_SEEDS[name])
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.integers(1, len(data)))
    return name, bytes(data[:cut])


@settings(max_examples=examples(150), deadline=None)
@given(mangled_files())
def test_inspect_never_raises_on_a_mangled_file(file: tuple[str, bytes]) -> None:
    name, data = file
    facts = inspect_file(name, data)
    assert facts.size == len(data)
    if facts.damaged or facts.encrypted_with_password:
        assert name in facts.problem and not facts.convertible


# -- a whole meeting ------------------------------------------------------------------------


class _Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.cancel_after = cancel_after

    def report(self, done: int, total: int, label: str) -> None:
        self.reports.append((done, total, label))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) > self.cancel_after


def _meeting_with_files():
    shared = text_pdf("Fælles bilag")
    first = factories.attachment("Analyse", shared, "analyse.pdf")
    again = factories.attachment("Analyse igen", shared, "kopi.pdf")
    photo = factories.attachment("Foto", png_file(), "foto.png", media_type="image/png")
    gone = factories.attachment("Væk", b"not in the workspace", "væk.pdf")
    items = [
        factories.item("Et", case_=factories.case("Et", "24/1", attachments=(first, photo))),
        factories.item("To", case_=factories.case("To", "24/2", attachments=(again, gone))),
    ]
    blobs = {first.sha256: shared, photo.sha256: png_file()}
    return factories.meeting([("Sager", items)]), blobs


def test_inspect_meeting_does_each_present_file_once_in_order() -> None:
    meeting, blobs = _meeting_with_files()
    task = _Recorder()
    facts = inspect_meeting(meeting, blobs, task)
    assert list(facts) == list(blobs)  # agenda order, the shared file once, "væk" absent
    assert facts[next(iter(blobs))].kind == "pdf"
    assert [r[:2] for r in task.reports] == [(0, 2), (1, 2), (2, 2)]
    assert [r[2] for r in task.reports[1:]] == ["analyse.pdf", "foto.png"]


def test_inspect_meeting_stops_when_cancelled() -> None:
    meeting, blobs = _meeting_with_files()
    with pytest.raises(Cancelled):
        inspect_meeting(meeting, blobs, _Recorder(cancel_after=1))
