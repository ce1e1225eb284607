"""Stamps on bilag that already carry things of ours or end oddly: an earlier pack
attached as a bilag keeps one stamp per page (the old ones come off), a bilag with a
font resource called /KkrStamp0 keeps its own text and the stamp its "·", and a page
whose content ends inside a text object (BT without ET) is still stamped."""

from __future__ import annotations

import io
import re
import subprocess

import pikepdf
import pypdf
from PIL import Image

from export.pack.build import build_pack
from tests import pack_samples as samples

STAMP = re.compile(r"KKR Sjælland · 16\. april 2024 · Side (\d+) af (\d+)")


def _stamps(page: pypdf.PageObject) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in STAMP.findall(page.extract_text())]


def test_an_earlier_pack_attached_as_a_bilag_has_one_stamp_per_page(tmp_path):
    first, _ = samples.snapshot([("Punkt", "Notat", samples.pdf_pages(["Notat", "Bilag to"]), {})])
    old = build_pack(first, tmp_path / "gammel.pdf", public=False)
    assert old.page_count == 5  # front, contents, separator, two pages
    second, _ = samples.snapshot(
        [("Genoptaget punkt", "Sidste mødes bilagspakke", old.path.read_bytes(), {})]
    )
    new = build_pack(second, tmp_path / "ny.pdf", public=False)
    reader = pypdf.PdfReader(new.path)
    assert len(reader.pages) == new.page_count == 3 + 5
    for number, page in enumerate(reader.pages, start=1):
        assert _stamps(page) == [(number, new.page_count)], (number, page.extract_text())
    # the old pack's own pages are all there, their content intact
    texts = [p.extract_text() for p in reader.pages[3:]]
    assert "Bilagspakke" in texts[0] and "Notat" in texts[-2] and "Bilag to" in texts[-1]
    # and the new pack, attached once more, still has one stamp per page
    third, _ = samples.snapshot([("Igen", "Pakke i pakke", new.path.read_bytes(), {})])
    again = build_pack(third, tmp_path / "igen.pdf", public=True)
    reader = pypdf.PdfReader(again.path)
    for number, page in enumerate(reader.pages, start=1):
        assert _stamps(page) == [(number, again.page_count)], number


def _own_kkrstamp_font() -> bytes:
    """A bilag whose page draws its text with a font it calls /KkrStamp0 (Helvetica)."""
    data = samples.pdf_pages(["Sidetekst"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )  # fmt: skip
        page.Resources.Font.KkrStamp0 = font
        pdf.pages[0].contents_add(
            pdf.make_stream(b"BT /KkrStamp0 12 Tf 72 500 Td (Egen skrift) Tj ET")
        )
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_the_stamp_font_never_takes_a_name_the_page_uses(tmp_path):
    snapshot, _ = samples.snapshot([("Punkt", "Egen skrift", _own_kkrstamp_font(), {})])
    result = build_pack(snapshot, tmp_path / "p.pdf", public=False)
    page = pypdf.PdfReader(result.path).pages[3]
    text = page.extract_text()
    assert "Egen skrift" in text
    assert _stamps(page) == [(4, 4)], text
    with pikepdf.open(result.path) as pdf:
        fonts = pdf.pages[3].obj.Resources.Font
        assert fonts.KkrStamp0.BaseFont == "/Helvetica"  # the bilag's own, untouched


def _ends_inside_text() -> bytes:
    data = samples.pdf_pages(["Før"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].contents_add(pdf.make_stream(b"BT /F1 12 Tf 72 400 Td (Uden slut) Tj (ET) Tj"))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_a_page_that_ends_inside_bt_is_stamped(tmp_path):
    snapshot, _ = samples.snapshot([("Punkt", "Uden ET", _ends_inside_text(), {})])
    result = build_pack(snapshot, tmp_path / "p.pdf", public=False)
    with pikepdf.open(result.path) as pdf:
        inside = False
        for op in pikepdf.parse_content_stream(pdf.pages[3]):
            name = str(op.operator)
            assert not (inside and name in ("BT", "q", "Q", "cm")), "invalid in a text object"
            inside = name == "BT" or (inside and name != "ET")
        assert not inside
    page = pypdf.PdfReader(result.path).pages[3]
    assert "Uden slut" in page.extract_text() and _stamps(page) == [(4, 4)]
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", "4", "-l", "4", result.path, tmp_path / "s"],
        check=True,
    )
    (png,) = tmp_path.glob("s*.png")
    image = Image.open(png).convert("L")
    w, h = image.size
    band = image.crop((int(w * 0.3), h - 26, int(w * 0.7), h - 8))
    assert band.getextrema()[0] < 160, "the stamp's ink is at the bottom"
