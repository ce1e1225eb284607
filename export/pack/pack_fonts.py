"""The TrueType font the pack's own pages are set in, embedded (subset) in the PDF.

Embedded so the pack looks the same on every reader's machine. In order of preference:
the app's own fonts (``export.fonts`` when it exists, else ``resources/fonts``), then a
system font with Danish letters (Liberation Sans, metric twin of Arial; DejaVu Sans).
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from agenda.errors import ExportError
from export.resources import resource_path

_RESOURCES = resource_path("fonts")

_SYSTEM = (
    (  # Linux
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),  # Windows
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),  # macOS
)


@dataclass(frozen=True, slots=True)
class PackFonts:
    """reportlab names of the registered regular and bold faces."""

    regular: str
    bold: str


@functools.cache
def pack_fonts() -> PackFonts:
    for regular, bold in _candidates():
        with contextlib.suppress(TTFError, OSError):
            pdfmetrics.registerFont(TTFont("KkrPack", str(regular)))
            pdfmetrics.registerFont(TTFont("KkrPack-Bold", str(bold)))
            return PackFonts("KkrPack", "KkrPack-Bold")
    raise ExportError(
        "Programmet fandt ingen skrifttype til bilagspakken. Installer programmet igen, "
        "eller kontakt den, der har installeret det."
    )


def _candidates() -> list[tuple[Path, Path]]:
    found: list[tuple[Path, Path]] = []
    with contextlib.suppress(ImportError, AttributeError, TypeError, ValueError):
        from export import fonts  # the app's own fonts, when that module exists

        regular, bold = fonts.regular_path(), fonts.bold_path()  # type: ignore[attr-defined]
        found.append((Path(regular), Path(bold)))
    if _RESOURCES.is_dir():
        files = sorted(_RESOURCES.glob("*.ttf"))
        regular = [f for f in files if f.stem.lower().endswith(("regular", "-book"))]
        bold = [f for f in files if f.stem.lower().endswith("bold")]
        if regular and bold:
            found.append((regular[0], bold[0]))
    found += [(Path(r), Path(b)) for r, b in _SYSTEM if Path(r).is_file() and Path(b).is_file()]
    return found
