"""convert_all without an office suite: PDFs as they are, repaired, decrypted or refused;
images and text to A4 pages; sniffed types; missing and unsupported files; the cache;
progress and cancel. Office conversion is in test_convert_office.py."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from agenda.errors import ConversionError
from agenda.model import Attachment
from agenda.repository import ConversionKey
from agenda.tasks import Cancelled
from export.conversion import convert, convert_com, convert_image, convert_office
from export.conversion.convert import cache_view, conversion_key, convert_all
from export.conversion.file_types import sniff
from export.conversion.office_clean import CLEAN_VERSION
from export.pdf import text_extract
from export.pdf.text_extract import extract_text

# -- fixtures shared with the other conversion tests ------------------------------------


def make_attachment(file_name: str, data: bytes, title: str | None = None) -> Attachment:
    return Attachment(
        title=title or file_name.rsplit(".", 1)[0],
        file_name=file_name,
        media_type="application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def make_pdf(*texts: str, size=A4) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    for text in texts:
        pdf.drawString(72, size[1] - 100, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def run(files: dict[str, bytes], cached=None, **kwargs):
    """convert_all over named files; results by file name."""
    attachments = [make_attachment(name, data) for name, data in files.items()]
    blobs = {a.sha256: files[a.file_name] for a in attachments}
    results = convert_all(attachments, blobs, {} if cached is None else cached, **kwargs)
    return {r.attachment.file_name: r for r in results.values()}


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.cancel_after = cancel_after

    def report(self, done: int, total: int, label: str) -> None:
        self.reports.append((done, total, label))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) > self.cancel_after


@pytest.fixture
def no_office(monkeypatch):
    monkeypatch.setattr(convert_office, "find_libreoffice", lambda: None)
    monkeypatch.setattr(convert_com, "find_msoffice", lambda: None)


# -- PDFs ---------------------------------------------------------------------------------


def test_a_clean_pdf_is_used_as_it_is():
    data = make_pdf("Første side", "Anden side")
    result = run({"notat.pdf": data})["notat.pdf"]
    assert result.pdf == data
    assert result.error is None and result.key is None and not result.from_cache
    assert result.page_count == 2


def test_a_pdf_with_a_broken_xref_is_repaired():
    data = make_pdf("Reparerbar tekst", "side to")
    at = data.rfind(b"startxref")
    broken = data[:at] + b"startxref\n999999\n%%EOF\n"
    with pytest.raises(pikepdf.PdfError):
        pikepdf.open(io.BytesIO(broken), attempt_recovery=False)
    result = run({"skadet.pdf": broken})["skadet.pdf"]
    assert result.error is None
    assert result.key == ConversionKey(
        result.attachment.sha256, "pdf-repair", result.key.converter_version
    )
    assert result.page_count == 2
    with pikepdf.open(io.BytesIO(result.pdf), attempt_recovery=False) as pdf:
        assert len(pdf.pages) == 2
    assert "Reparerbar tekst" in pdf_texts(result.pdf)[0]


def test_a_pdf_cut_before_its_trailer_is_repaired_but_one_cut_in_half_is_refused():
    data = make_pdf(*(f"Side {n}" for n in range(1, 11)))
    mostly = run({"hentet.pdf": data[: int(len(data) * 0.9)]})["hentet.pdf"]
    assert mostly.error is None and mostly.page_count == 10
    assert "Side 10" in pdf_texts(mostly.pdf)[9]

    half = run({"halv.pdf": data[: int(len(data) * 0.6)]})["halv.pdf"]
    assert half.pdf is None
    assert "halv.pdf" in half.error.message and "ufuldstændig" in half.error.message

    stub = run({"stump.pdf": data[:200]})["stump.pdf"]
    assert stub.pdf is None and "stump.pdf er beskadiget" in stub.error.message


def _encrypted(user: str) -> bytes:
    with pikepdf.open(io.BytesIO(make_pdf("Hemmeligt indhold"))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="ejer", user=user))
        return out.getvalue()


def test_a_pdf_with_only_an_owner_password_is_saved_decrypted():
    result = run({"begrænset.pdf": _encrypted(user="")})["begrænset.pdf"]
    assert result.error is None
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert not pdf.is_encrypted
    assert "Hemmeligt indhold" in pdf_texts(result.pdf)[0]


def test_a_pdf_with_a_user_password_gets_a_clear_error():
    result = run({"låst.pdf": _encrypted(user="hemmelig")})["låst.pdf"]
    assert result.pdf is None and isinstance(result.error, ConversionError)
    assert result.error.message == (
        "låst.pdf er beskyttet med adgangskode. Gem den uden adgangskode og tilføj den igen."
    )


def test_zero_bytes_missing_bytes_and_unsupported_types_fail_alone():
    good = make_pdf("God")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.txt", "x")
    files = {
        "tom.pdf": b"",
        "program.exe": b"MZ\x90\x00" + b"\x00" * 100,
        "arkiv.zip": zipped.getvalue(),
        "god.pdf": good,
    }
    attachments = [make_attachment(n, d) for n, d in files.items()]
    gone = make_attachment("væk.docx", b"never stored", title="Borte bilag")
    blobs = {a.sha256: files[a.file_name] for a in attachments}
    results = convert_all([*attachments, gone], blobs, {})
    by_name = {r.attachment.file_name: r for r in results.values()}
    assert "tom.pdf er tom (0 byte)" in by_name["tom.pdf"].error.message
    for name in ("program.exe", "arkiv.zip"):
        assert by_name[name].pdf is None
        assert by_name[name].error.message.startswith(f"{name} er en filtype, der ikke kan")
    assert "»Borte bilag« (væk.docx) findes ikke" in by_name["væk.docx"].error.message
    assert by_name["god.pdf"].pdf == good
    assert list(results) == [a.id for a in [*attachments, gone]]  # the order given


def test_the_real_type_wins_over_the_extension():
    png = io.BytesIO()
    Image.new("RGB", (300, 200), "navy").save(png, "PNG")
    pdf = make_pdf("Egentlig en PDF")
    results = run({"foto.pdf": png.getvalue(), "brev.docx": pdf})
    assert results["foto.pdf"].error is None
    assert results["foto.pdf"].key.converter == "image"
    assert results["brev.docx"].pdf == pdf and results["brev.docx"].key is None


def test_sniffing_office_containers_and_old_binary_files():
    def package(*names: str, mimetype: str | None = None) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            if mimetype:
                archive.writestr("mimetype", mimetype)
            for name in names:
                archive.writestr(name, "<x/>")
        return out.getvalue()

    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert sniff(package("[Content_Types].xml", "word/document.xml"), "pdf") == "docx"
    assert sniff(package("xl/workbook.xml"), "docx") == "xlsx"
    assert sniff(package("ppt/presentation.xml"), "") == "pptx"
    assert sniff(package(mimetype="application/vnd.oasis.opendocument.text"), "") == "odt"
    assert sniff(ole + "WordDocument".encode("utf-16-le"), "xls") == "doc"
    assert sniff(ole + "Workbook".encode("utf-16-le"), "doc") == "xls"
    assert sniff(ole + "EncryptedPackage".encode("utf-16-le"), "docx") == "encrypted"
    assert sniff(b"{\\rtf1\\ansi hej}", "doc") == "rtf"
    assert sniff("æøå".encode("cp1252"), "txt") == "txt"
    assert sniff(b"\x00\x01binary", "txt") == ""


def test_a_password_protected_word_file_is_refused_before_any_office_runs(no_office):
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le")
    )
    result = run({"fortrolig.docx": ole})["fortrolig.docx"]
    assert "fortrolig.docx er beskyttet med adgangskode" in result.error.message


# -- images and text ---------------------------------------------------------------------


def _page_size(data: bytes, index: int = 0) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(data)).pages[index].mediabox
    return float(box.width), float(box.height)


def _image_box(data: bytes, index: int = 0) -> tuple[float, float]:
    """Width and height at which the page draws its image (from the content's cm)."""
    page = pypdf.PdfReader(io.BytesIO(data)).pages[index]
    content = page.get_contents().get_data().decode("latin-1")
    numbers = content.split(" cm")[-2].split()[-6:]
    a, _, _, d, _, _ = map(float, numbers)
    return a, d


def test_a_png_becomes_one_a4_page_fitted_and_landscape_when_wide():
    wide, tall = io.BytesIO(), io.BytesIO()
    Image.new("RGBA", (3000, 1500), (200, 0, 0, 128)).save(wide, "PNG")
    Image.new("L", (1000, 2000), 90).save(tall, "PNG")
    results = run({"bred.png": wide.getvalue(), "høj.png": tall.getvalue()})
    bred, høj = results["bred.png"], results["høj.png"]
    assert bred.page_count == 1 and høj.page_count == 1
    assert _page_size(bred.pdf) == pytest.approx(landscape(A4), abs=0.1)
    assert _page_size(høj.pdf) == pytest.approx(A4, abs=0.1)
    width, height = _image_box(bred.pdf)
    assert width == pytest.approx(landscape(A4)[0] - 2 * convert_image.MARGIN, abs=0.5)
    assert width / height == pytest.approx(2.0, rel=0.01)
    _, height = _image_box(høj.pdf)
    assert height == pytest.approx(A4[1] - 2 * convert_image.MARGIN, abs=0.5)


def test_a_multi_page_tiff_gives_a_page_per_frame():
    frames = [
        Image.new("RGB", size, color)
        for size, color in (((800, 600), "red"), ((600, 800), "green"), ((700, 700), "blue"))
    ]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    result = run({"scanning.tif": out.getvalue()})["scanning.tif"]
    assert result.error is None and result.page_count == 3
    assert _page_size(result.pdf, 0) == pytest.approx(landscape(A4), abs=0.1)
    assert _page_size(result.pdf, 1) == pytest.approx(A4, abs=0.1)
    assert _page_size(result.pdf, 2) == pytest.approx(A4, abs=0.1)


@pytest.mark.slow
def test_a_huge_jpeg_is_stored_small():
    out = io.BytesIO()
    Image.new("RGB", (12000, 8000), "white").save(out, "JPEG", quality=50)
    result = run({"luftfoto.jpg": out.getvalue()})["luftfoto.jpg"]
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        (image,) = pdf.pages[0].Resources.XObject.values()
        assert max(int(image.Width), int(image.Height)) <= convert_image.MAX_SIDE


def test_a_broken_image_gets_an_error_naming_it():
    png = io.BytesIO()
    Image.new("RGB", (300, 300), "red").save(png, "PNG")
    result = run({"itu.png": png.getvalue()[:60]})["itu.png"]
    assert result.pdf is None and "Billedet itu.png kan ikke læses" in result.error.message


def test_a_text_file_in_cp1252_or_utf8_becomes_paginated_a4_with_danish_letters():
    lines = [f"Linje {n}: Kære rådsmedlem, økonomien på Ærø går sin gang" for n in range(150)]
    text = "\r\n".join(lines)
    results = run({"cp.txt": text.encode("cp1252"), "utf.txt": text.encode("utf-8")})
    for name in ("cp.txt", "utf.txt"):
        result = results[name]
        assert result.page_count >= 3 and result.key.converter == "text"
        pages = pdf_texts(result.pdf)
        assert len(pages) == result.page_count
        assert "Linje 0: Kære rådsmedlem, økonomien på Ærø" in pages[0]
        assert "Linje 149" in pages[-1]
        assert _page_size(result.pdf) == pytest.approx(A4, abs=0.1)
        with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
            fonts = pdf.pages[0].Resources.Font.values()
            embedded = [f for f in fonts if "/FontFile2" in f.get("/FontDescriptor", {})]
            assert embedded  # the text is set in an embedded TrueType font


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP"])
def test_gif_bmp_and_webp_become_a4_pages(fmt):
    image = Image.new("P" if fmt == "GIF" else "RGB", (500, 700), 3)
    out = io.BytesIO()
    image.save(out, fmt, **({"transparency": 0} if fmt == "GIF" else {}))
    name = f"figur.{fmt.lower()}"
    result = run({name: out.getvalue()})[name]
    assert result.error is None and result.page_count == 1
    assert _page_size(result.pdf) == pytest.approx(A4, abs=0.1)


def test_the_products_own_font_comes_first_and_a_regular_face_before_bold(tmp_path, monkeypatch):
    system = "/usr/share/fonts/truetype/liberation/LiberationSerif-"
    for face in ("Bold", "Regular"):
        (tmp_path / f"Produkt-{face}.ttf").write_bytes(Path(system + face + ".ttf").read_bytes())
    monkeypatch.setattr(convert_image, "RESOURCE_FONTS", tmp_path)
    candidates = convert_image._font_candidates()
    assert candidates[0] == tmp_path / "Produkt-Regular.ttf"
    assert candidates[1] == tmp_path / "Produkt-Bold.ttf"
    monkeypatch.setattr(convert_image, "RESOURCE_FONTS", tmp_path / "absent")
    assert convert_image._font_candidates()[0].name in (
        "DejaVuSans.ttf",
        "LiberationSans-Regular.ttf",
    )


# -- the cache, keys, progress and cancel ------------------------------------------------


def test_conversion_keys_are_cheap_and_name_the_converter():
    png = make_attachment("a.png", b"x")
    assert conversion_key(png).converter == "image"
    assert conversion_key(make_attachment("a.pdf", b"x")) is None
    assert conversion_key(make_attachment("a.exe", b"x")) is None
    key = conversion_key(make_attachment("a.docx", b"x"))
    suite = convert.find_office()
    assert (key is None) == (suite is None)
    if key is not None:
        assert key.converter == suite.converter
        # a PDF made before the files were cleaned (office_clean) is never reused
        assert key.converter_version == f"{suite.version} {CLEAN_VERSION} tagged"


def test_the_second_run_takes_everything_from_the_cache(monkeypatch):
    png = io.BytesIO()
    Image.new("RGB", (400, 300), "teal").save(png, "PNG")
    files = {"a.png": png.getvalue(), "b.txt": "tekst æøå".encode()}
    first = run(files)
    store = {r.key: r.pdf for r in first.values() if r.key}
    assert len(store) == 2

    def fail(*args):
        raise AssertionError("converted again")

    monkeypatch.setattr(convert, "image_to_pdf", fail)
    monkeypatch.setattr(convert, "text_to_pdf", fail)
    second = run(files, cached=cache_view(store.get))
    assert all(r.from_cache for r in second.values())
    assert second["a.png"].pdf == first["a.png"].pdf and second["a.png"].page_count == 1


def test_a_damaged_cache_entry_is_converted_again():
    png = io.BytesIO()
    Image.new("RGB", (400, 300), "teal").save(png, "PNG")
    files = {"a.png": png.getvalue()}
    key = conversion_key(make_attachment("a.png", png.getvalue()))
    result = run(files, cached={key: b"%PDF-1.4 not really"})["a.png"]
    assert not result.from_cache and result.error is None and result.page_count == 1


def test_progress_is_reported_per_attachment_and_cancel_stops():
    files = {f"{n}.pdf": make_pdf(f"Bilag {n}") for n in range(4)}
    recorder = Recorder()
    run(files, task=recorder)
    assert recorder.reports[0] == (0, 4, "")
    assert [r[0] for r in recorder.reports[1:]] == [1, 2, 3, 4]
    assert {r[2] for r in recorder.reports[1:]} == set(files)

    with pytest.raises(Cancelled):
        run(files, task=Recorder(cancel_after=2))


def test_no_office_suite_names_the_files_and_the_rest_still_converts(no_office):
    pdf = make_pdf("Stadig med")
    results = run(
        {"referat.docx": b"PK\x03\x04broken", "budget.xlsx": b"PK\x03\x04x", "a.pdf": pdf}
    )
    assert results["a.pdf"].pdf == pdf
    for name in ("referat.docx", "budget.xlsx"):
        message = results[name].error.message
        assert message.startswith(f"{name} er et Office-dokument")
        assert "LibreOffice" in message and "referat.docx, budget.xlsx" in message
    assert conversion_key(make_attachment("x.docx", b"1")) is None
    assert convert.find_office() is None


# -- text for the search index -----------------------------------------------------------


@pytest.mark.parametrize("engine", ["pdfium", "pypdf"])
def test_extract_text_reads_pages_up_to_a_limit_and_never_raises(engine, monkeypatch):
    if engine == "pypdf":  # where pypdfium2 is missing
        monkeypatch.setattr(text_extract, "_with_pdfium", lambda *args: None)
    data = make_pdf("Kommunekontaktråd første", "Anden side om sundhed", "Tredje")
    text = extract_text(data)
    assert "Kommunekontaktråd første" in text and "Tredje" in text
    limited = extract_text(data, max_pages=2)
    assert "sundhed" in limited and "Tredje" not in limited
    assert extract_text(b"not a pdf at all") == ""
    assert extract_text(_encrypted(user="hemmelig")) == ""
