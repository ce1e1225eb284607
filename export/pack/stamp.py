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
cannot move or recolour the stamp; content that ends inside a text object (``BT``
without ``ET``, which viewers tolerate) is closed first, else the stamp's ``q``/``cm``
would be invalid there and not drawn. The font's resource names are chosen per page
among the names the page does not use yet (a bilag may have a ``/KkrStamp0`` of its own,
e.g. an earlier pack).

Our stamps are recognisable: drawn as a pagination artifact (``/Artifact`` marked
content with ``/KkrStamp true``, which screen readers skip), in content streams whose
dictionary carries ``/KkrStamp true``. An earlier pack attached as a bilag has its old
stamps removed (``remove_stamps``) before it gets the new one, so they never overlap.
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

#: The resource names the stamp adds to a bilag page (made unique on each page).
_FONT_PREFIX = "KkrStamp"
#: Marks a content stream that holds one of our stamps, and the stamp's marked content.
MARK = "/KkrStamp"
#: The marked-content tag and properties around every stamp we draw (PDF syntax).
ARTIFACT_BEGIN = "/Artifact <</Type /Pagination /Subtype /Footer /KkrStamp true>> BDC"
ARTIFACT_END = "EMC"


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
        self._objects = dict(font_objects)
        self._save_state = pdf.make_indirect(pikepdf.Stream(pdf, b"q\n"))
        #: per content stream (objgen): the last text operator in it, "BT", "ET" or ""
        self._text_ops: dict[tuple[int, int], str] = {}

    def stamp(self, page: pikepdf.Dictionary, text: str) -> None:
        geo = geometry(page)
        width, height = geo.display_size
        where = placement(width, height, self._font.width(text))
        a, b, c, d, e, f = geo.matrix()
        original = page.get("/Contents")
        streams = list(original) if isinstance(original, pikepdf.Array) else [original]
        streams = [s for s in streams if isinstance(s, pikepdf.Stream)]
        close_text = b"ET\n" if self._ends_inside_text(streams) else b""
        names = self._add_fonts(page)
        shows = b"".join(
            b"/%s %s Tf <%s> Tj " % (names[font].encode(), _num(where.size), data.hex().encode())
            for font, data in self._font.encode(text)
        )
        content = b"\n%sQ q %s cm %s %s g 0 Tr BT %s %s Td %sET %s Q\n" % (
            close_text,
            b" ".join(_num(v) for v in (a, b, c, d, e, f)),
            ARTIFACT_BEGIN.encode(),
            _num(GRAY),
            _num(where.x),
            _num(where.y),
            shows,
            ARTIFACT_END.encode(),
        )
        stamp = pikepdf.Stream(self._pdf, content)
        stamp[MARK] = True
        page.Contents = pikepdf.Array([self._save_state, *streams, self._pdf.make_indirect(stamp)])

    def _add_fonts(self, page: pikepdf.Dictionary) -> dict[str, str]:
        """Our font objects in the page's resources, under names the page does not use
        for anything else; subset name -> resource name (without the slash)."""
        resources = page.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            page.Resources = pikepdf.Dictionary()
            resources = page.Resources
        fonts = resources.get("/Font")
        if not isinstance(fonts, pikepdf.Dictionary):
            resources.Font = pikepdf.Dictionary()
            fonts = resources.Font
        present = {
            value.objgen: key
            for key, value in fonts.items()
            if isinstance(value, pikepdf.Object) and value.is_indirect
        }
        names: dict[str, str] = {}
        n = 0
        for subset, obj in sorted(self._objects.items()):
            key = present.get(obj.objgen)  # resources shared with a page done before
            if key is None:
                while f"/{_FONT_PREFIX}{n}" in fonts:
                    n += 1
                key = f"/{_FONT_PREFIX}{n}"
                fonts[key] = obj
            names[subset] = key[1:]
        return names

    def _ends_inside_text(self, streams: list[pikepdf.Stream]) -> bool:
        """Does the page's content end inside ``BT`` (no ``ET``)? Read from the last
        stream that has a text operator; streams shared by many pages are read once."""
        for stream in reversed(streams):
            key = stream.objgen
            last = self._text_ops.get(key) if key != (0, 0) else None
            if last is None:
                last = _last_text_operator(stream)
                if key != (0, 0):
                    self._text_ops[key] = last
            if last:
                return last == "BT"
        return False


def _last_text_operator(stream: pikepdf.Stream) -> str:
    """ "BT" or "ET", whichever the stream uses last, or "". Found in the bytes (parsing
    every page would double the pack's build time); when that says BT – a page that
    ends inside a text object, or a string holding the letters – the parser decides.
    (A string like "(Tekst ET mere)" after a real BT that is never closed would be
    misread; both at once we accept.)"""
    try:
        data = stream.read_bytes()
    except (pikepdf.PdfError, RuntimeError, ValueError):
        return ""
    bt, et = _last_token(data, b"BT"), _last_token(data, b"ET")
    if bt <= et:
        return "ET" if et >= 0 else ""
    try:
        ops = pikepdf.parse_content_stream(stream, "BT ET")
    except (pikepdf.PdfError, RuntimeError, ValueError):
        return ""
    return str(ops[-1].operator) if ops else ""


#: What may stand right before and after an operator: an operator is never directly
#: after "(" (it would be in a string) nor directly before ")".
_BEFORE = frozenset(b" \t\r\n\f\x00[]<>){}/%")
_AFTER = frozenset(b" \t\r\n\f\x00[]<>({}/%")


def _last_token(data: bytes, token: bytes) -> int:
    end = len(data)
    while (at := data.rfind(token, 0, end)) >= 0:
        before = data[at - 1] if at else 32
        after = data[at + 2] if at + 2 < len(data) else 32
        if before in _BEFORE and after in _AFTER:
            return at
        end = at
    return -1


def mark_stamped(page: pikepdf.Dictionary) -> None:
    """Mark the content of a page drawn with its stamp in it (the pack's own pages) so
    a later pack recognises that stamp."""
    contents = page.get("/Contents")
    for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
        if isinstance(stream, pikepdf.Stream):
            stream[MARK] = True


def remove_stamps(page: pikepdf.Dictionary) -> bool:
    """Take our stamps (marked content in marked streams) off a page of an earlier
    pack; True if there were any. Other content is left exactly as it was."""
    contents = page.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    removed = False
    for stream in streams:
        if not isinstance(stream, pikepdf.Stream) or MARK not in stream.stream_dict:
            continue
        try:
            ops = pikepdf.parse_content_stream(stream)
        except (pikepdf.PdfError, RuntimeError, ValueError):
            continue
        kept, depth = [], 0
        for op in ops:
            name = str(op.operator) if not isinstance(op, pikepdf.ContentStreamInlineImage) else ""
            if depth == 0 and name == "BDC" and _is_our_artifact(op.operands):
                depth, removed = 1, True
            elif depth and name in ("BDC", "BMC"):
                depth += 1
            elif depth and name == "EMC":
                depth -= 1
            elif not depth:
                kept.append(op)
        stream.write(pikepdf.unparse_content_stream(kept))
        del stream.stream_dict[MARK]
    return removed


def _is_our_artifact(operands: object) -> bool:
    try:
        tag, properties = operands  # type: ignore[misc]
    except (TypeError, ValueError):
        return False
    return (
        tag == pikepdf.Name.Artifact
        and isinstance(properties, pikepdf.Dictionary)
        and bool(properties.get(MARK))
    )


def _num(value: float) -> bytes:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()
