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
import zlib
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import PIL
import reportlab
from PIL import Image, ImageOps, ImageSequence, JpegImagePlugin
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from agenda.errors import ConversionError
from export.pdf.image_metadata import strip_jpeg
from export.resources import resource_path

#: Bump when the layout below changes, so cached conversions are made again.
LAYOUT_VERSION = "2"  # 2: JPEG metadata stripped
IMAGE_VERSION = f"{LAYOUT_VERSION} pillow {PIL.__version__} pikepdf {pikepdf.__version__}"

MARGIN = 15 * mm
#: Never store more pixels than this on a page (about 300 dpi across A4).
MAX_SIDE = 3508
#: A small image is not blown up beyond this many times its size at 96 dpi.
MAX_ENLARGE = 3.0


def image_to_pdf(data: bytes, name: str) -> tuple[bytes, int]:
    """(pdf, page count): each frame of the image on its own A4 page."""
    pdf = pikepdf.new()
    try:
        image = _open(data)
        with image:
            for frame, jpeg in _frames(image, data):
                _add_page(pdf, frame, jpeg)
    except Image.DecompressionBombError as error:
        raise too_large(name) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # Pillow on a bad file
        raise ConversionError(
            f"Billedet {name} kan ikke læses; filen er måske beskadiget. "
            "Gem billedet igen (fx som PNG eller JPEG) og tilføj det igen.",
            path=name,
        ) from error
    if not len(pdf.pages):
        raise too_large(name)
    pdf.docinfo["/Title"] = name
    pdf.docinfo["/Creator"] = "KKR Dagsorden"
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue(), len(pdf.pages)


def _open(data: bytes) -> Image.Image:
    if data.startswith(b"\xff\xd8\xff"):
        # Straight to the JPEG reader: Image.open would refuse a 300-megapixel photo as a
        # "decompression bomb", but draft() below decodes it at 1/8 scale for little memory.
        return JpegImagePlugin.JpegImageFile(io.BytesIO(data))
    with warnings.catch_warnings():
        # Large scans are expected and shrunk at once; Pillow still refuses real bombs
        # (over twice its limit) with an error.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _frames(image: Image.Image, data: bytes) -> Iterator[tuple[Image.Image, bytes | None]]:
    """Each frame, small enough, printable, upright; with JPEG bytes to embed as they are
    (a photo stays a JPEG in the PDF instead of growing into raw pixels)."""
    frames = getattr(image, "n_frames", 1)
    if image.format == "GIF":
        frames = 1  # an animation: its first frame is the picture
    is_jpeg = image.format == "JPEG"
    upright = image.getexif().get(0x0112, 1) == 1  # EXIF orientation
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        if index >= frames:
            break
        if is_jpeg:
            if upright and image.mode in ("L", "RGB") and max(image.size) <= MAX_SIDE:
                # the original bytes, nothing to fix; but not its EXIF, XMP, comments
                yield image, strip_jpeg(data)
                return
            # decode at the smallest scale (1/2, 1/4, 1/8) whose long side is still enough
            fit = MAX_SIDE / max(image.size)
            frame.draft("RGB", (int(image.width * fit) + 1, int(image.height * fit) + 1))
        # shrink in place (one copy less of a huge image); later frames need a copy
        small = frame.copy() if frames > 1 else frame
        small.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        small = _printable(ImageOps.exif_transpose(small) or small)
        if is_jpeg:
            buffer = io.BytesIO()
            small.save(buffer, "JPEG", quality=88)
            yield small, buffer.getvalue()
        else:
            yield small, None


def _printable(image: Image.Image) -> Image.Image:
    """RGB, grey or black-and-white over white: PDF has no alpha channel or palette."""
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("1", "L", "RGB"):
        return image
    return image.convert("RGB")  # CMYK, I;16, F, ...


_COLOR_SPACES = {"1": ("/DeviceGray", 1), "L": ("/DeviceGray", 8), "RGB": ("/DeviceRGB", 8)}


def _add_page(pdf: pikepdf.Pdf, image: Image.Image, jpeg: bytes | None) -> None:
    size = landscape(A4) if image.width > image.height else A4
    box_w, box_h = size[0] - 2 * MARGIN, size[1] - 2 * MARGIN
    natural = 72 / 96  # points per pixel at 96 dpi
    scale = min(box_w / image.width, box_h / image.height, natural * MAX_ENLARGE)
    width, height = image.width * scale, image.height * scale
    x, y = (size[0] - width) / 2, (size[1] - height) / 2
    space, bits = _COLOR_SPACES[image.mode]
    if jpeg is not None:
        pixels, codec = jpeg, pikepdf.Name.DCTDecode
    else:  # rows of 1-bit images are padded to whole bytes in both Pillow and PDF
        pixels, codec = zlib.compress(image.tobytes(), 6), pikepdf.Name.FlateDecode
    xobject = pikepdf.Stream(
        pdf,
        pixels,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=image.width,
        Height=image.height,
        ColorSpace=pikepdf.Name(space),
        BitsPerComponent=bits,
        Filter=codec,
    )
    content = f"q {width:.3f} 0 0 {height:.3f} {x:.3f} {y:.3f} cm /Im0 Do Q".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, round(size[0], 3), round(size[1], 3)],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject)),
        Contents=pikepdf.Stream(pdf, content),
    )
    pdf.pages.append(pikepdf.Page(page))


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


#: The product's own fonts (added with the Windows build); looked at first.
RESOURCE_FONTS = resource_path("fonts")


def _font_candidates() -> list[Path]:
    resources = RESOURCE_FONTS
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
