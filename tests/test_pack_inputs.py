"""What goes into the pack: bad files give their problem and the pack still builds,
office files go through LibreOffice, the cache makes the second build convert nothing,
form fields survive, and a cancel leaves no file."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pypdf
import pytest
from docx import Document
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from agenda.tasks import Cancelled
from export.pack.build import build_pack
from tests import pack_samples as samples


def _png(color: str = "steelblue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), color).save(out, "PNG")
    return out.getvalue()


def _encrypted() -> bytes:
    with pikepdf.open(io.BytesIO(samples.pdf_pages(["Låst"]))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="hemlig", owner="ejer"))
        return out.getvalue()


def _no_pages() -> bytes:
    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


def _docx(text: str) -> bytes:
    document = Document()
    document.add_heading("Høringssvar", level=1)
    for n in range(3):
        document.add_paragraph(f"{text} afsnit {n}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _form() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 760, "Tilmelding")
    canvas.acroForm.textfield(name="Navn", x=72, y=700, width=200, height=20, value="")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


BAD = [
    ("Ødelagt PDF", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "odelagt.pdf",
     "beskadiget"),
    ("Låst PDF", _encrypted(), "laast.pdf", "adgangskode"),
    ("Tom fil", b"", "tom.pdf", "tom (0 byte)"),
    ("PDF uden sider", _no_pages(), "uden-sider.pdf", "beskadiget"),
    ("Program", b"MZ\x90\x00\x03" + bytes(200), "program.exe", "program.exe"),
]  # fmt: skip


def test_bad_files_are_reported_and_the_rest_builds(tmp_path):
    files = [("Høring om affaldsplan", "Godt notat", samples.pdf_pages(["Godt indhold"]), {})]
    files += [("Høring om affaldsplan", title, data, {"file_name": name})
              for title, data, name, _ in BAD]  # fmt: skip
    files.append(("Høring om affaldsplan", "Foto", _png(), {"file_name": "foto.pdf"}))
    snapshot, made = samples.snapshot(files)
    result = build_pack(snapshot, tmp_path / "pack.pdf", public=False)

    problems = {p.attachment.title: str(p.error) for p in result.problems}
    assert set(problems) == {title for title, *_ in BAD}
    for title, _, name, words in BAD:
        assert words in problems[title] and (name in problems[title] or title == "Program")
    reader = pypdf.PdfReader(result.path)
    texts = [p.extract_text() for p in reader.pages]
    # front, contents, good separator + page, a separator per failure, photo separator + page
    assert result.page_count == len(texts) == 2 + 2 + len(BAD) + 2
    assert "Godt indhold" in texts[3]
    for offset, (title, _, _, words) in enumerate(BAD):
        separator = texts[4 + offset]
        assert f"Bilag {2 + offset}: {title}" in separator
        assert "Bilaget kunne ikke medtages" in separator and words in separator
    photo = 4 + len(BAD)
    assert f"Bilag {len(BAD) + 2}: Foto" in texts[photo]  # a PNG named .pdf is still a picture
    assert texts[photo + 1].count("Side") == 1  # the picture's page: only the stamp
    assert "kunne ikke medtages" in texts[1]
    assert made["Foto"].sha256 in result.extracted_text


def test_missing_bytes_are_a_problem_too(tmp_path):
    snapshot, made = samples.snapshot(
        [("Punkt", "Findes", samples.pdf_pages(["Her"]), {}),
         ("Punkt", "Væk", samples.pdf_pages(["Borte"]), {})]
    )  # fmt: skip
    blobs = {k: v for k, v in snapshot.blobs.items() if k != made["Væk"].sha256}
    snapshot = type(snapshot)(snapshot.meeting, blobs=blobs)
    result = build_pack(snapshot, tmp_path / "pack.pdf", public=False)
    assert [p.attachment.title for p in result.problems] == ["Væk"]
    assert result.page_count == 2 + 2 + 1


@pytest.mark.slow
def test_docx_through_libreoffice_then_the_cache_converts_nothing(tmp_path):
    snapshot, made = samples.snapshot(
        [("Affaldsplan", "Høringssvar", _docx("Kommunens svar"), {"file_name": "svar.docx"}),
         ("Affaldsplan", "Kort", _png("darkgreen"), {"file_name": "kort.png"}),
         ("Affaldsplan", "Notat", samples.pdf_pages(["Notatet"]), {})]
    )  # fmt: skip
    first = build_pack(snapshot, tmp_path / "1.pdf", public=False)
    assert first.problems == ()
    assert first.converted_count == 2  # the DOCX and the picture; the PDF is used as it is
    assert len(first.new_conversions) == 2
    texts = [p.extract_text() for p in pypdf.PdfReader(first.path).pages]
    assert "Bilag 1: Høringssvar" in texts[2] and "Kommunens svar afsnit 0" in texts[3]
    assert "Kommunens svar afsnit 2" in first.extracted_text[made["Høringssvar"].sha256]
    assert made["Notat"].sha256 not in first.extracted_text

    again = type(snapshot)(snapshot.meeting, snapshot.blobs, converted=first.new_conversions)
    second = build_pack(again, tmp_path / "2.pdf", public=False)
    assert second.converted_count == 0 and dict(second.new_conversions) == {}
    assert second.page_count == first.page_count
    second_texts = [p.extract_text() for p in pypdf.PdfReader(second.path).pages]
    assert second_texts == texts


def test_form_fields_of_two_bilag_stay_two_working_fields(tmp_path):
    snapshot, _ = samples.snapshot(
        [("Tilmeldinger", "Skema A", _form(), {}), ("Tilmeldinger", "Skema B", _form(), {})]
    )
    result = build_pack(snapshot, tmp_path / "pack.pdf", public=False)
    reader = pypdf.PdfReader(result.path)
    fields = reader.get_fields()
    assert {"bilag_1.Navn", "bilag_2.Navn"} <= set(fields)
    widgets = [
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots") or []
        if a.get_object()["/Subtype"] == "/Widget"
    ]
    assert len(widgets) == 2


class _CancelAfter:
    def __init__(self, reports: int) -> None:
        self.left = reports

    def report(self, done: int, total: int, label: str) -> None:
        self.left -= 1

    def cancelled(self) -> bool:
        return self.left <= 0


@pytest.mark.parametrize("reports", [0, 1, 3])
def test_cancel_leaves_no_file_and_an_old_pack_untouched(tmp_path, reports):
    snapshot, _ = samples.snapshot(
        [("Punkt", f"Notat {n}", samples.pdf_pages([f"Side {n}"]), {}) for n in range(4)]
    )
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"den gamle pakke")
    with pytest.raises(Cancelled):
        build_pack(snapshot, target, public=False, task=_CancelAfter(reports))
    assert target.read_bytes() == b"den gamle pakke"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


def test_progress_runs_forward_to_the_end(tmp_path):
    snapshot, _ = samples.snapshot(
        [("Punkt", f"Notat {n}", samples.pdf_pages([f"Side {n}"]), {}) for n in range(3)]
    )
    seen = []

    class Recorder:
        def report(self, done, total, label):
            seen.append((done, total, label))

        def cancelled(self):
            return False

    build_pack(snapshot, tmp_path / "pack.pdf", public=False, task=Recorder())
    assert seen and all(total == 6 for _, total, _ in seen)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    assert any("Bilag 3: Notat 2" in label for _, _, label in seen)


def test_no_bilag_writes_nothing(tmp_path):
    snapshot, _ = samples.snapshot(
        [("Lukket sag", "Notat", samples.pdf_pages(["x"]), {"closed": True})]
    )
    result = build_pack(snapshot, tmp_path / "pack.pdf", public=True)
    assert result.path is None and result.page_count == 0
    assert not (tmp_path / "pack.pdf").exists()


def _layered() -> bytes:
    """A drawing with two layers, "Mål" shown and "Skitse" switched off."""
    data = samples.pdf_pages(["Tegning med lag"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        shown = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name="Mål"))
        hidden = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name="Skitse"))
        pdf.Root.OCProperties = pikepdf.Dictionary(
            OCGs=[shown, hidden], D=pikepdf.Dictionary(Order=[shown, hidden], OFF=[hidden])
        )
        page = pdf.pages[0]
        page.obj.Resources.Properties = pikepdf.Dictionary(L1=shown, L2=hidden)
        page.contents_add(
            pdf.make_stream(b"/OC /L1 BDC 0 0 1 rg 100 100 50 50 re f EMC "
                            b"/OC /L2 BDC 1 0 0 rg 300 100 50 50 re f EMC")
        )  # fmt: skip
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_layers_come_along_and_hidden_ones_stay_hidden(tmp_path):
    snapshot, _ = samples.snapshot(
        [("Byggeri", "Tegning", _layered(), {}), ("Byggeri", "Tegning igen", _layered(), {})]
    )
    result = build_pack(snapshot, tmp_path / "pack.pdf", public=False)
    with pikepdf.open(result.path) as pdf:
        properties = pdf.Root.OCProperties
        names = [str(g.Name) for g in properties.OCGs]
        assert names == ["Mål", "Skitse", "Mål", "Skitse"]
        assert [str(g.Name) for g in properties.D.OFF] == ["Skitse", "Skitse"]
        page = pdf.pages[3].obj  # the first drawing: its layer resources are the listed groups
        used = {g.objgen for g in page.Resources.Properties.values()}
        assert used <= {g.objgen for g in properties.OCGs}
    subprocess.run(["pdftoppm", "-r", "36", "-png", "-f", "4", "-l", "4", "-singlefile",
                    str(result.path), str(tmp_path / "lag")], check=True)  # fmt: skip
    colours = {c for _, c in Image.open(tmp_path / "lag.png").convert("RGB").getcolors(1 << 20)}
    assert (0, 0, 255) in colours and (255, 0, 0) not in colours
