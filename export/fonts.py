"""The TrueType family the PDF documents are set in, shipped in ``resources/fonts``.

DejaVu Sans: every Danish letter (æøå ÆØÅ é ü), quotes and dashes, and a licence
(Bitstream Vera, changes public domain) that lets the app ship and embed it. Embedded
as a subset, so a reader sees the same pages on any machine.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from agenda.errors import ExportError
from export.resources import resource_path

_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}
FAMILY = "KkrSans"


@dataclass(frozen=True, slots=True)
class FontFamily:
    """reportlab names of the four registered faces; ``regular`` is also the family name
    that ``<b>``/``<i>`` in paragraphs map onto."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


def font_path(face: str) -> Path:
    """The file of one face: ``regular``, ``bold``, ``italic`` or ``bold_italic``."""
    return resource_path("fonts", _FILES[face])


def regular_path() -> Path:
    return font_path("regular")


def bold_path() -> Path:
    return font_path("bold")


@functools.cache
def document_fonts() -> FontFamily:
    """Register the family with reportlab once per process and return its names."""
    names = FontFamily(FAMILY, f"{FAMILY}-Bold", f"{FAMILY}-Italic", f"{FAMILY}-BoldItalic")
    faces = zip(
        ("regular", "bold", "italic", "bold_italic"),
        (names.regular, names.bold, names.italic, names.bold_italic),
        strict=True,
    )
    for face, name in faces:
        path = font_path(face)
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (TTFError, OSError) as error:
            raise ExportError(
                f"Skrifttypen {path.name} mangler eller er beskadiget ({path.parent}). "
                "Installer programmet igen.",
                path=str(path),
            ) from error
    addMapping(FAMILY, 0, 0, names.regular)
    addMapping(FAMILY, 1, 0, names.bold)
    addMapping(FAMILY, 0, 1, names.italic)
    addMapping(FAMILY, 1, 1, names.bold_italic)
    return names
