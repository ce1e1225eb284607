"""The stamp sits in the bottom margin of the page as the reader sees it, upright, at a
readable size – on landscape, A3, rotated, offset and cropped pages too (the known trap:
a stamp made at A4 ends up shrunk, sideways or off the page)."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pypdf
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A3, A4, landscape

from export.pack.build import build_pack
from tests import pack_samples as samples

CASES = {
    "portræt": samples.pdf_pages(["Portræt"]),
    "liggende": samples.landscape_a4(["Liggende"]),
    "a3": samples.a3(["Tegning A3"]),
    "drejet 90": samples.pdf_pages(["Drejet 90"], rotate=90),
    "drejet 180": samples.pdf_pages(["Drejet 180"], rotate=180),
    "drejet 270 forskudt": samples.pdf_pages(["Drejet 270"], rotate=270, offset=(-400, 250)),
    "forskudt": samples.pdf_pages(["Forskudt"], offset=(200, -300)),
    "liggende drejet": samples.pdf_pages(["Liggende drejet"], size=landscape(A4), rotate=90),
    "lille": samples.pdf_pages(["Lille"], size=(200, 120)),
}


def _cropped() -> bytes:
    """A page whose visible CropBox is a window inside a larger MediaBox."""
    data = samples.pdf_pages(["Beskåret"], size=A3)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].obj.CropBox = pikepdf.Array([100, 200, 100 + A4[0], 200 + A4[1]])
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _leaves_state_behind() -> bytes:
    """Content that ends scaled, moved and red without restoring its graphics state."""
    data = samples.pdf_pages(["Rodet tilstand"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].contents_add(pdf.make_stream(b"0.2 0 0 0.2 300 500 cm 1 0 0 rg 3 Tr"))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


CASES["beskåret"] = _cropped()
CASES["rodet tilstand"] = _leaves_state_behind()


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    files = [("Tegninger og skemaer", name, data, {}) for name, data in CASES.items()]
    snapshot, _ = samples.snapshot(files)
    target = tmp_path_factory.mktemp("stamp") / "pack.pdf"
    build_pack(snapshot, target, public=False)
    return target


def _bilag_page(reader: pypdf.PdfReader, name: str) -> int:
    """Index of the bilag's own page: the one after its separator."""
    for index, page in enumerate(reader.pages):
        if f": {name}\n" in page.extract_text() + "\n" and "Sagsnr." in page.extract_text():
            return index + 1
    raise AssertionError(name)


def _visible(page: pypdf.PageObject) -> tuple[float, float, float, float, int]:
    box = page.cropbox
    media = page.mediabox
    x0, y0 = max(box.left, media.left), max(box.bottom, media.bottom)
    x1, y1 = min(box.right, media.right), min(box.top, media.top)
    return float(x0), float(y0), float(x1), float(y1), page.rotation % 360


def _to_display(x, y, dx, dy, visible):
    """User space point and direction as the reader sees them (origin bottom left)."""
    x0, y0, x1, y1, rotate = visible
    if rotate == 90:
        return (y - y0, x1 - x), (dy, -dx)
    if rotate == 180:
        return (x1 - x, y1 - y), (-dx, -dy)
    if rotate == 270:
        return (y1 - y, x - x0), (-dy, dx)
    return (x - x0, y - y0), (dx, dy)


def _stamp_matrix(page: pypdf.PageObject):
    found = []

    def visit(text, cm, tm, font, size):
        if "Side" in text:
            found.append((cm, tm, size))

    page.extract_text(visitor_text=visit)
    assert len(found) == 1
    cm, tm, size = found[0]
    # text space -> user space: tm x cm
    a = tm[0] * cm[0] + tm[1] * cm[2]
    b = tm[0] * cm[1] + tm[1] * cm[3]
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    return x, y, a, b, size


@pytest.mark.parametrize("name", list(CASES))
def test_stamp_is_upright_in_the_bottom_margin(pack, name):
    reader = pypdf.PdfReader(pack)
    index = _bilag_page(reader, name)
    page = reader.pages[index]
    assert f"Side {index + 1} af {len(reader.pages)}" in page.extract_text()
    visible = _visible(page)
    x, y, a, b, size = _stamp_matrix(page)
    (u, v), (du, dv) = _to_display(x, y, a, b, visible)
    width = visible[2] - visible[0]
    height = visible[3] - visible[1]
    if visible[4] in (90, 270):
        width, height = height, width
    scale = (du**2 + dv**2) ** 0.5 * size  # the font size as drawn
    assert du > 0 and abs(dv) < 1e-6 * max(1, du), "the stamp must read left to right"
    assert 0 < u < width / 2, "starts inside the page, left of the middle"
    assert 3 < v < 0.25 * height and v < 70, "sits in the bottom margin"
    short = min(width, height)
    if short >= A4[0] - 1:
        # as large relative to the page as on A4: not shrunk on big or turned pages
        assert scale == pytest.approx(7.0 * min(short / A4[0], 4), rel=0.02)
    else:
        assert 2.5 < scale <= 7.0


def test_a3_and_a4_stamps_look_alike_when_fitted(pack):
    reader = pypdf.PdfReader(pack)
    sizes = {}
    for name in ("portræt", "a3"):
        page = reader.pages[_bilag_page(reader, name)]
        sizes[name] = _stamp_matrix(page)[4] / float(page.mediabox.width)
    assert sizes["a3"] == pytest.approx(sizes["portræt"], rel=0.02)
    assert A3[0] > A4[0]


@pytest.mark.parametrize(
    "name", ["drejet 90", "drejet 270 forskudt", "liggende", "beskåret", "rodet tilstand"]
)
def test_rendered_stamp_shows_at_the_bottom(pack, name, tmp_path):
    """Look at the pixels of the page as a viewer shows it (its CropBox): ink in the
    bottom band, centred, and none in the bottom corners."""
    reader = pypdf.PdfReader(pack)
    number = _bilag_page(reader, name) + 1
    prefix = tmp_path / "page"
    subprocess.run(
        [
            "pdftoppm",
            "-cropbox",
            "-r",
            "72",
            "-png",
            "-f",
            str(number),
            "-l",
            str(number),
            pack,
            prefix,
        ],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    w, h = image.size
    display_landscape = name in ("drejet 90", "drejet 270 forskudt", "liggende")
    assert (w > h) == display_landscape
    band = image.crop((int(w * 0.3), h - 26, int(w * 0.7), h - 8))
    assert band.getextrema()[0] < 160, "the stamp's ink is at the bottom, centred"
    corners = image.crop((0, h - 26, int(w * 0.25), h - 8))
    assert corners.getextrema()[0] > 200, "and only there"


def test_a_page_in_user_units_gets_a_stamp_of_the_same_printed_size(tmp_path):
    """/UserUnit 2: the page is half as many units as A4, each unit two points."""
    data = samples.pdf_pages(["Store enheder"], size=(A4[0] / 2, A4[1] / 2))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].obj.UserUnit = 2
        out = io.BytesIO()
        pdf.save(out)
    snapshot, _ = samples.snapshot([("Punkt", "Enheder", out.getvalue(), {})])
    result = build_pack(snapshot, tmp_path / "p.pdf", public=False)
    page = pypdf.PdfReader(result.path).pages[3]
    x, y, a, b, size = _stamp_matrix(page)
    assert (a**2 + b**2) ** 0.5 * size * 2 == pytest.approx(7.0, rel=0.02)
    assert 0 < x < A4[0] / 4 and 0 < y * 2 < 40
