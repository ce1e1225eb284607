"""What goes into a bilagspakke, in which order, and on which page.

Selection follows the agenda: each numbered item that has bilag in the chosen edition,
and under it its bilag in their own order. The public edition leaves closed items and
confidential bilag out entirely (``agenda.snapshot.attachments_for``), so they get no
separator, no contents line, no bookmark and no page number.

"Bilag N" counts the bilag of the item as the edition shows them: a public pack whose
item lost a confidential bilag numbers the rest 1, 2, ... without a gap, so nothing
betrays that something was left out. The agenda's bilag list uses the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agenda.edition import attachments_for
from agenda.model import Attachment, AttachmentId, ItemId
from agenda.numbering import NumberedItem
from agenda.snapshot import MeetingSnapshot

EntryKey = tuple[ItemId, AttachmentId]


@dataclass(frozen=True, slots=True)
class PackEntry:
    """One bilag in the pack: its item, its number within the item, the file."""

    item: NumberedItem
    number: int
    attachment: Attachment

    @property
    def key(self) -> EntryKey:
        """Which bilag of which item: the same file may sit under two items."""
        return (self.item.item.id, self.attachment.id)

    @property
    def label(self) -> str:
        """``Bilag 1: Titel``."""
        return f"Bilag {self.number}: {self.attachment.title}"


@dataclass(frozen=True, slots=True)
class PackItem:
    item: NumberedItem
    entries: tuple[PackEntry, ...]


def select(snapshot: MeetingSnapshot, *, public: bool) -> list[PackItem]:
    """The items with bilag, in agenda order, as the edition shows them."""
    chosen: list[PackItem] = []
    for numbered in snapshot.items():
        if public and numbered.item.closed:
            continue
        shown = attachments_for(numbered.item, public=public)
        if shown:
            entries = tuple(
                PackEntry(numbered, n, attachment) for n, attachment in enumerate(shown, start=1)
            )
            chosen.append(PackItem(numbered, entries))
    return chosen


@dataclass(frozen=True, slots=True)
class PageMap:
    """Where everything lands; page numbers are 1-based, as the stamp prints them."""

    contents_pages: int
    #: The separator page of each bilag; its own pages follow it.
    separator: Mapping[EntryKey, int]
    total: int
    #: Pages between the front page and the contents (a revised pack's change page).
    preface_pages: int = 0

    @property
    def head_pages(self) -> int:
        """The pack's own pages before the first separator."""
        return 1 + self.preface_pages + self.contents_pages

    @property
    def first_separator_page(self) -> int:
        return 1 + self.head_pages


def page_map(
    items: Sequence[PackItem],
    contents_pages: int,
    own_pages: Mapping[AttachmentId, int],
    preface_pages: int = 0,
) -> PageMap:
    """``own_pages``: the bilag's own page count (0 for one that failed)."""
    page = 1 + preface_pages + contents_pages  # the front page, a preface, the contents
    separator: dict[EntryKey, int] = {}
    for pack_item in items:
        for entry in pack_item.entries:
            page += 1
            separator[entry.key] = page
            page += own_pages.get(entry.attachment.id, 0)
    return PageMap(contents_pages, separator, page, preface_pages)
