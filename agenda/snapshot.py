"""What an export works on: an immutable meeting plus the bytes it needs.

The caller (GUI or CLI, through ``app/``) reads this on the thread that owns the
workspace and hands it to ``export/`` in a worker. Export never reads the database, so a
user editing during an export cannot produce a half-old document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from agenda.model import Meeting
from agenda.numbering import NumberedItem, meeting_items
from agenda.repository import NOWHERE, ConversionKey, Elsewhere


@dataclass(frozen=True, slots=True)
class MeetingSnapshot:
    meeting: Meeting
    #: Attachment bytes by SHA-256. An attachment whose bytes are absent is reported missing.
    blobs: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    #: PDFs converted in an earlier export, by what went in and what converted them.
    converted: Mapping[ConversionKey, bytes] = field(default_factory=lambda: MappingProxyType({}))
    #: What other meetings and cases say about its cases and bilag (for the preflight).
    elsewhere: Elsewhere = NOWHERE
    #: The meeting as last sent (``Udsend``) and when: what a tillægsdagsorden and a
    #: revised pack compare against. None for a meeting not sent yet.
    sent: Meeting | None = None
    sent_at: datetime | None = None

    def items(self) -> list[NumberedItem]:
        return meeting_items(self.meeting)
