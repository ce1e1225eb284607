"""What an export works on: an immutable meeting plus the bytes it needs.

The caller (GUI or CLI) reads this on the thread that owns the workspace and hands it
to ``export/`` in a worker. Export never reads the database, so a user editing during
an export cannot produce a half-old document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from agenda.model import AgendaItem, Attachment, Meeting
from agenda.numbering import NumberedItem, meeting_items
from agenda.repository import ConversionKey


@dataclass(frozen=True, slots=True)
class MeetingSnapshot:
    meeting: Meeting
    #: Attachment bytes by SHA-256. An attachment whose bytes are absent is reported missing.
    blobs: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    #: PDFs converted in an earlier export, by what went in and what converted them.
    converted: Mapping[ConversionKey, bytes] = field(default_factory=lambda: MappingProxyType({}))

    def items(self) -> list[NumberedItem]:
        return meeting_items(self.meeting)


def is_published(item: AgendaItem) -> bool:
    """Closed items (lukket punkt) never reach the public edition."""
    return not item.closed


def attachments_for(item: AgendaItem, *, public: bool) -> tuple[Attachment, ...]:
    """The bilag of an item as an edition shows them: public leaves out the confidential
    ones and everything of a closed item."""
    if not public:
        return item.attachments
    if item.closed:
        return ()
    return tuple(a for a in item.attachments if not a.confidential)
