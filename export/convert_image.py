"""Images and plain text to PDF, without an office suite.

An image becomes one A4 page per frame (a multi-page TIFF gives several), portrait or
landscape after the image, fitted inside a margin the pack's stamp can use. A huge image
is decoded small (JPEG's draft mode) or shrunk right after decoding, so a 100 MB scan
does not hold hundreds of megabytes. Plain text becomes a paginated A4 document in an
embedded TrueType font that has the Danish letters.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Iterator
from pathlib import Path

import PIL
import reportlab
from PIL import Image, ImageOps, ImageSequence
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from agenda.errors import ConversionError

#: Bump when the layout below changes, so cached conversions are made again.
LAYOUT_VERSION = "1"
IMAGE_VERSION = f"{LAYOUT_VERSION} pillow {PIL.__version__} reportlab {reportlab.Version}"

MARGIN = 15 * mm
#: Never store more pixels than this on a page (about 300 dpi across A4).
MAX_SIDE = 3508
#: A small image is not blown up beyond this many times its size at 96 dpi.
MAX_ENLARGE = 3.0


def image_to_pdf(data: bytes, name: str) -> tuple[bytes, int]:
    """(pdf, page count): each frame of the image on its own A4 page."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pageCompression=1)
    pages = 0
    try:
        with warnings.catch_warnings():
            # Large scans are expected and decoded small (draft, thumbnail); Pillow
            # still refuses real bombs (over twice its limit) with an error.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            for frame in _frames(image):
                _draw_page(pdf, frame)
                pages += 1
    except Image.DecompressionBombError as error:
        raise too_large(name) from error
    except (OSError, ValueError, SyntaxError) as error:  # what Pillow raises on a bad file
        raise ConversionError(
            f"Billedet {name} kan ikke læses; filen er måske beskadiget. "
            "Gem billedet igen (fx som PNG eller JPEG) og tilføj det igen.",
            path=name,
        ) from error
    if not pages:
        raise too_large(name)
    _set_info(pdf, name)
    pdf.save()
    return out.getvalue(), pages


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    # Pillow refuses images over ~179 megapixels itself (DecompressionBombError).
    frames = getattr(image, "n_frames", 1)
    if image.format == "GIF":
        frames = 1  # an animation: its first frame is the picture
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        if index >= frames:
            break
        if image.format == "JPEG":
            # decode at the smallest scale (1/2, 1/4, 1/8) that is still large enough
            frame.draft("RGB", (MAX_SIDE, MAX_SIDE))
        small = frame.copy()
        small = ImageOps.exif_transpose(small) or small
        small.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        yield _printable(small)


def _printable(image: Image.Image) -> Image.Image:
    """RGB (or grey) over white: PDF has no place for an alpha channel or a palette."""
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("1", "L", "RGB"):
        return image
    return image.convert("RGB")  # CMYK, I;16, F, ...


def _draw_page(pdf: canvas.Canvas, image: Image.Image) -> None:
    size = landscape(A4) if image.width > image.height else A4
    pdf.setPageSize(size)
    box_w, box_h = size[0] - 2 * MARGIN, size[1] - 2 * MARGIN
    natural = 72 / 96  # points per pixel at 96 dpi
    scale = min(box_w / image.width, box_h / image.height, natural * MAX_ENLARGE)
    width, height = image.width * scale, image.height * scale
    x = (size[0] - width) / 2
    y = (size[1] - height) / 2
    pdf.drawImage(ImageReader(image), x, y, width, height)
    pdf.showPage()


def too_large(name: str) -> ConversionError:
    return ConversionError(
        f"Billedet {name} er for stort til at blive sat ind. Gem det i en mindre "
        "opløsning og tilføj det igen.",
        path=name,
    )


# -- plain text ----------------------------------------------------------------------

TEXT_SIZE = 10
TEXT_LEADING = 13


def text_version() -> str:
    path = _font()[1]
    return f"{LAYOUT_VERSION} {path.name if path else 'Helvetica'} reportlab {reportlab.Version}"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows' cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def text_to_pdf(data: bytes, name: str) -> tuple[bytes, int]:
    """(pdf, page count): the text in A4 pages, long lines wrapped, form feeds kept."""
    font, _ = _font()
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    width, height = A4
    usable = width - 2 * MARGIN
    lines_per_page = int((height - 2 * MARGIN) // TEXT_LEADING)
    pages, line_on_page = 0, 0
    writer = None

    def new_page():
        nonlocal writer, line_on_page, pages
        if writer is not None:
            pdf.drawText(writer)
            pdf.showPage()
        writer = pdf.beginText(MARGIN, height - MARGIN - TEXT_SIZE)
        writer.setFont(font, TEXT_SIZE, TEXT_LEADING)
        line_on_page = 0
        pages += 1

    new_page()
    for paragraph in text.split("\n"):
        for part, chunk in enumerate(paragraph.split("\f")):
            if part:
                new_page()
            wrapped = simpleSplit(chunk.expandtabs(8), font, TEXT_SIZE, usable) or [""]
            for line in wrapped:
                if line_on_page >= lines_per_page:
                    new_page()
                writer.textLine(line)
                line_on_page += 1
    pdf.drawText(writer)
    pdf.showPage()
    _set_info(pdf, name)
    pdf.save()
    return out.getvalue(), pages


def _set_info(pdf: canvas.Canvas, name: str) -> None:
    pdf.setTitle(name)
    pdf.setCreator("KKR Dagsorden")


@functools.cache
def _font() -> tuple[str, Path | None]:
    """The font for text files: the product's own (resources/fonts), else DejaVu or
    Liberation from the system, else Helvetica (whose WinAnsi encoding still has æøå)."""
    for path in _font_candidates():
        try:
            pdfmetrics.registerFont(TTFont("KKRText", str(path)))
        except Exception:  # a broken or unsupported font file: try the next
            continue
        return "KKRText", path
    return "Helvetica", None


def _font_candidates() -> list[Path]:
    resources = Path(__file__).resolve().parent.parent / "resources" / "fonts"
    own = sorted(resources.glob("*.ttf")) if resources.is_dir() else []
    # a regular face first: "Bold"/"Italic" only if nothing else is there
    own.sort(key=lambda p: any(s in p.stem.lower() for s in ("bold", "italic", "oblique")))
    system = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
        "C:/Windows/Fonts/arial.ttf",
        "/Library/Fonts/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
    ]
    return own + [Path(p) for p in system if Path(p).is_file()]
