"""A pack other than the meeting's bilagspakke: the same machinery, other content.

``build_pack(..., variant=...)`` makes the supplement's pack (only new and replaced
bilag) and the revised pack (everything, marked "Revideret udgave", a change page
first) with the pack's own conversion, pages, stamps, contents and bookmarks. The
variant says what differs: which bilag, the front page's words, a line on some
separators, pages before the contents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from reportlab.pdfgen.canvas import Canvas

from export.pack.pack_plan import EntryKey, PackItem


@dataclass(frozen=True, slots=True)
class PackVariant:
    #: The items and bilag the pack holds, already chosen for the edition.
    items: tuple[PackItem, ...]
    #: The front page's title and the first word of the metadata title.
    document: str
    #: Lines under the front page's title ("Revideret udgave", ...).
    revision: tuple[str, ...] = ()
    #: A line under a bilag's label on its separator ("Nyt bilag").
    notes: Mapping[EntryKey, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Pages between the front page and the contents, each drawn by one call.
    preface: tuple[Callable[[Canvas], None], ...] = ()
    #: The bookmark of those pages.
    preface_title: str = ""
    #: The metadata title's first words; "" for ``document``.
    title: str = ""
    #: A complete edition that shows closed or confidential matter beyond its bilag
    #: (the change page): its front page says it must not be published.
    restricted: bool = False
