"""The small page stamp, ``KKR Sjælland · 16. april 2024 · Side 12 af 480``.

Every page of the pack carries it in the bottom margin. It is placed in the page as the
reader sees it: the visible box (CropBox within MediaBox, which need not start at 0,0)
turned by the page's ``/Rotate`` and scaled by its ``/UserUnit``. A stamp made for A4
and pasted on a landscape, A3, rotated or offset page ends up shrunk, sideways or off
the page – the known trap – so each stamp is computed from the page's own displayed
geometry and drawn through a matrix that maps "display space" (origin bottom-left of
what the reader sees, x to the right, y up) into the page's user space.

Bilag pages are stamped by appending one tiny content stream per page, text drawn
with a font resource shared by every page (the pack's embedded font, taken from the
generated pages, see ``pack_pages.StampFont``). The page's own content is wrapped in
``q ... Q`` (one shared ``q`` stream in front) so whatever state it leaves behind
cannot move or recolour the stamp.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pikepdf

#: The stamp's size and distance from the bottom edge on an A4 page, in points. Larger
#: pages scale both with their short side, so a page fitted to the screen shows the
#: stamp as on A4; small pages shrink it to fit.
BASE_SIZE = 7.0
BASELINE = 16.0
GRAY = 0.4
_A4_SHORT = 595.276
_MAX_SCALE = 4.0
_MIN_SCALE = 0.5

#: The resource names the stamp adds to a bilag page; prefixed so they cannot clash.
_FONT_PREFIX = "KkrStamp"


def stamp_text(prefix: str, page: int, total: int) -> str:
    return f"{prefix} · Side {page} af {total}"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the stamp's baseline starts and its font size, in display space."""

    x: float
    y: float
    size: float


def placement(width: float, height: float, text_width_1pt: float) -> Placement:
    """Centred in the bottom margin of a displayed page ``width`` x ``height``."""
    scale = min(max(min(width, height) / _A4_SHORT, _MIN_SCALE), _MAX_SCALE)
    size = BASE_SIZE * scale
    if text_width_1pt * size > 0.9 * width:  # a narrow page: the whole stamp still shows
        size = 0.9 * width / max(text_width_1pt, 1e-6)
    baseline = min(BASELINE * scale, height * 0.25)
    return Placement((width - text_width_1pt * size) / 2, baseline, size)


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """A page's visible box in user space and its rotation (0, 90, 180, 270)."""

    x0: float
    y0: float
    x1: float
    y1: float
    rotate: int
    #: /UserUnit: how many points one unit of the page is (PDF 1.6; big drawings)
    unit: float = 1.0

    @property
    def display_size(self) -> tuple[float, float]:
        """Width and height as the reader sees them, in points."""
        w, h = (self.x1 - self.x0) * self.unit, (self.y1 - self.y0) * self.unit
        return (h, w) if self.rotate in (90, 270) else (w, h)

    def matrix(self) -> tuple[float, float, float, float, float, float]:
        """The ``cm`` that maps display space (points) onto user space. ``/Rotate`` turns
        the page clockwise for display, so this turns display space back."""
        w, h = self.x1 - self.x0, self.y1 - self.y0
        x0, y0 = self.x0, self.y0
        k = 1 / self.unit
        if self.rotate == 90:
            return (0, k, -k, 0, x0 + w, y0)
        if self.rotate == 180:
            return (-k, 0, 0, -k, x0 + w, y0 + h)
        if self.rotate == 270:
            return (0, -k, k, 0, x0, y0 + h)
        return (k, 0, 0, k, x0, y0)


def geometry(page: pikepdf.Dictionary) -> PageGeometry:
    """The displayed geometry of a page object whose inherited attributes were pushed
    down (pikepdf does that when it copies pages into another file)."""
    media = _box(page.get("/MediaBox")) or (0.0, 0.0, 595.276, 841.89)
    crop = _box(page.get("/CropBox")) or media
    # the visible area is the CropBox clipped to the MediaBox
    x0, y0 = max(crop[0], media[0]), max(crop[1], media[1])
    x1, y1 = min(crop[2], media[2]), min(crop[3], media[3])
    if x1 - x0 < 1 or y1 - y0 < 1:  # a CropBox outside the page: viewers show the MediaBox
        x0, y0, x1, y1 = media
    try:
        rotate = int(page.get("/Rotate", 0))
    except (TypeError, ValueError):
        rotate = 0
    rotate = (round(rotate / 90) * 90) % 360
    try:
        unit = float(page.get("/UserUnit", 1.0))
    except (TypeError, ValueError):
        unit = 1.0
    return PageGeometry(x0, y0, x1, y1, rotate, unit if 0.01 < unit < 1000 else 1.0)


def _box(value: object) -> tuple[float, float, float, float] | None:
    try:
        a, b, c, d = (float(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    return (min(a, c), min(b, d), max(a, c), max(b, d))


@dataclass(frozen=True, slots=True)
class StampFont:
    """How to write stamp text in the pack's embedded font: each character's font
    resource (a subset of the TrueType font) and its code there, and its width at 1 pt.
    Made by ``pack_pages`` while it builds the generated pages, which use the same font."""

    codes: Mapping[str, tuple[str, int]]
    widths: Mapping[str, float]

    def encode(self, text: str) -> list[tuple[str, bytes]]:
        """``text`` as runs of (font resource name, bytes); unknown characters become '?'."""
        runs: list[tuple[str, bytearray]] = []
        for char in text:
            font, code = self.codes.get(char) or self.codes["?"]
            if not runs or runs[-1][0] != font:
                runs.append((font, bytearray()))
            runs[-1][1].append(code)
        return [(font, bytes(data)) for font, data in runs]

    def width(self, text: str) -> float:
        return sum(self.widths.get(char, self.widths["?"]) for char in text)


class Stamper:
    """Stamps pages of one output PDF; the font objects are shared by every page."""

    def __init__(
        self, pdf: pikepdf.Pdf, font: StampFont, font_objects: Mapping[str, pikepdf.Object]
    ) -> None:
        self._pdf = pdf
        self._font = font
        self._names = {name: f"{_FONT_PREFIX}{n}" for n, name in enumerate(sorted(font_objects))}
        self._objects = {"/" + self._names[name]: obj for name, obj in font_objects.items()}
        self._save_state = pdf.make_indirect(pikepdf.Stream(pdf, b"q\n"))

    def stamp(self, page: pikepdf.Dictionary, text: str) -> None:
        geo = geometry(page)
        width, height = geo.display_size
        where = placement(width, height, self._font.width(text))
        a, b, c, d, e, f = geo.matrix()
        shows = b"".join(
            b"/%s %s Tf <%s> Tj "
            % (self._names[font].encode(), _num(where.size), data.hex().encode())
            for font, data in self._font.encode(text)
        )
        content = b"\nQ q %s cm %s g 0 Tr BT %s %s Td %sET Q\n" % (
            b" ".join(_num(v) for v in (a, b, c, d, e, f)),
            _num(GRAY),
            _num(where.x),
            _num(where.y),
            shows,
        )
        self._add_fonts(page)
        original = page.get("/Contents")
        parts = [self._save_state]
        if isinstance(original, pikepdf.Array):
            parts.extend(original)
        elif original is not None:
            parts.append(original)
        parts.append(self._pdf.make_indirect(pikepdf.Stream(self._pdf, content)))
        page.Contents = pikepdf.Array(parts)

    def _add_fonts(self, page: pikepdf.Dictionary) -> None:
        resources = page.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            page.Resources = pikepdf.Dictionary()
            resources = page.Resources
        fonts = resources.get("/Font")
        if not isinstance(fonts, pikepdf.Dictionary):
            resources.Font = pikepdf.Dictionary()
            fonts = resources.Font
        for name, obj in self._objects.items():
            if name not in fonts:
                fonts[name] = obj


def _num(value: float) -> bytes:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()
