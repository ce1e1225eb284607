"""The domain objects: bodies, meetings, agendas, items, cases and attachments.

Everything here is immutable. Editing returns new objects (see ``agenda.operations``);
numbers are never stored but derived from order (see ``agenda.numbering``).

Ids: meetings and cases get integer ids from the workspace; sections, items and
attachments get uuid strings when they are made, so the domain can create them
without asking storage first (an undoable "add item" needs its id up front).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, Mapping, NewType

MeetingId = NewType("MeetingId", int)
CaseId = NewType("CaseId", int)
BodyId = NewType("BodyId", int)
SectionId = NewType("SectionId", str)
ItemId = NewType("ItemId", str)
AttachmentId = NewType("AttachmentId", str)

#: Unknown fields from an imported exchange file, kept for the round trip.
Extra = Mapping[str, Any]
_NO_EXTRA: Extra = MappingProxyType({})


def _no_extra() -> Extra:
    return _NO_EXTRA


def new_uuid() -> str:
    return uuid.uuid4().hex


class ItemKind(Enum):
    """What the body does with an item. Values are the exchange format's ``kind``."""

    APPROVAL = "approval"
    ANNOUNCEMENTS = "announcements"
    DECISION = "decision"
    INFORMATION = "information"
    DISCUSSION = "discussion"
    THEME = "theme"
    ANY_OTHER = "any_other"

    @property
    def label(self) -> str:
        """The Danish word a reader sees ("Beslutningssag")."""
        return _KIND_LABELS[self]

    @property
    def in_heading(self) -> bool:
        """Case kinds name themselves in the heading; fixed items are just their title."""
        return self in _CASE_KINDS


_KIND_LABELS = {
    ItemKind.APPROVAL: "Godkendelse",
    ItemKind.ANNOUNCEMENTS: "Meddelelser",
    ItemKind.DECISION: "Beslutningssag",
    ItemKind.INFORMATION: "Orienteringssag",
    ItemKind.DISCUSSION: "Drøftelsessag",
    ItemKind.THEME: "Temadrøftelse",
    ItemKind.ANY_OTHER: "Eventuelt",
}
_CASE_KINDS = frozenset(
    {ItemKind.DECISION, ItemKind.INFORMATION, ItemKind.DISCUSSION, ItemKind.THEME}
)


class NumberingStyle(Enum):
    SECTION = "section"  # 2.5
    FLAT = "flat"  # 5


class MeetingStatus(Enum):
    DRAFT = "draft"
    SENT = "sent"
    HELD = "held"
    MINUTES_APPROVED = "minutes_approved"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def keeps_record(self) -> bool:
        """A meeting sent or held is a record of what was sent or decided. (Since schema v4
        every item, drafts too, keeps its own copy of its case, so no meeting follows edits
        made elsewhere; a sent meeting's edits stay in it, and a held one refuses all but
        its minutes: ``agenda.records``.)"""
        return self is not MeetingStatus.DRAFT


_STATUS_LABELS = {
    MeetingStatus.DRAFT: "Kladde",
    MeetingStatus.SENT: "Udsendt",
    MeetingStatus.HELD: "Afholdt",
    MeetingStatus.MINUTES_APPROVED: "Referat godkendt",
}


class TextSection(Enum):
    """The text sections of a case, in the order documents print them.

    Values are the keys of ``paper.texts`` in the exchange format.
    """

    RESUME = "resume"
    BAGGRUND = "baggrund"
    SAGSFREMSTILLING = "sagsfremstilling"
    INDSTILLING = "indstilling"
    OEKONOMI = "oekonomi"

    @property
    def label(self) -> str:
        return _SECTION_LABELS[self]


_SECTION_LABELS = {
    TextSection.RESUME: "Resumé",
    TextSection.BAGGRUND: "Baggrund",
    TextSection.SAGSFREMSTILLING: "Sagsfremstilling",
    TextSection.INDSTILLING: "Indstilling",
    TextSection.OEKONOMI: "Økonomi",
}

#: The heading of the decision part of an item (empty in the agenda, filled in the minutes).
DECISION_LABEL = "Beslutning"


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    role: str = ""
    #: None until the meeting is held; then True (present) or False (absent).
    present: bool | None = None
    extra: Extra = field(default_factory=_no_extra, compare=False)


@dataclass(frozen=True, slots=True)
class Body:
    """Who meets (KKR Sjælland); owns the defaults of its meetings."""

    name: str
    numbering: NumberingStyle = NumberingStyle.SECTION
    default_place: str = ""
    members: tuple[Participant, ...] = ()
    #: Path of a .docx/.dotx template whose styles the Word export uses; None: the default.
    template: str | None = None
    id: BodyId | None = None
    extra: Extra = field(default_factory=_no_extra, compare=False)


#: What every layer calls a PDF: this in the first kilobyte (some producers put a few
#: bytes of junk before it, which viewers accept).
PDF_MAGIC = b"%PDF-"


def looks_like_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:1024]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A bilag: a file attached to a case. The bytes live in the workspace by SHA-256."""

    title: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    confidential: bool = False
    id: AttachmentId = field(default_factory=lambda: AttachmentId(new_uuid()))
    extra: Extra = field(default_factory=_no_extra, compare=False)

    @property
    def extension(self) -> str:
        dot = self.file_name.rfind(".")
        return self.file_name[dot + 1 :].lower() if dot >= 0 else ""


@dataclass(frozen=True, slots=True)
class Case:
    """A sag: the matter itself, reusable across meetings."""

    title: str
    reference: str = ""  # the ESDH case number, e.g. "24/04521"; "" if none
    kind: ItemKind = ItemKind.DECISION
    officer: str = ""
    texts: Mapping[TextSection, str] = field(default_factory=lambda: MappingProxyType({}))
    attachments: tuple[Attachment, ...] = ()
    id: CaseId | None = None
    extra: Extra = field(default_factory=_no_extra, compare=False)

    def text(self, section: TextSection) -> str:
        return self.texts.get(section, "")

    def filled_sections(self) -> list[tuple[TextSection, str]]:
        """The sections with text, in document order."""
        return [(s, self.texts[s]) for s in TextSection if self.texts.get(s, "").strip()]

    def with_texts(self, **texts: str) -> Case:
        merged = dict(self.texts)
        merged.update({TextSection(k): v for k, v in texts.items()})
        return replace(self, texts=MappingProxyType(merged))


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """A dagsordenspunkt. Its number is derived from its place (``agenda.numbering``)."""

    kind: ItemKind
    title: str
    case: Case | None = None
    closed: bool = False
    #: The decision written into the minutes (referat); "" until then.
    decision: str = ""
    id: ItemId = field(default_factory=lambda: ItemId(new_uuid()))
    extra: Extra = field(default_factory=_no_extra, compare=False)

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return self.case.attachments if self.case else ()

    def heading(self, number: str) -> str:
        """``2.5 Beslutningssag: Titel``; fixed items read ``1.1 Godkendelse af dagsorden``."""
        if self.kind.in_heading:
            return f"{number} {self.kind.label}: {self.title}"
        return f"{number} {self.title}"


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    items: tuple[AgendaItem, ...] = ()
    id: SectionId = field(default_factory=lambda: SectionId(new_uuid()))
    extra: Extra = field(default_factory=_no_extra, compare=False)


@dataclass(frozen=True, slots=True)
class Agenda:
    sections: tuple[Section, ...] = ()

    def items(self) -> list[AgendaItem]:
        return [item for section in self.sections for item in section.items]

    def find(self, item_id: ItemId) -> tuple[int, int]:
        """(section index, position) of an item; KeyError if it is not on the agenda."""
        for s, section in enumerate(self.sections):
            for p, item in enumerate(section.items):
                if item.id == item_id:
                    return s, p
        raise KeyError(item_id)

    def item(self, item_id: ItemId) -> AgendaItem:
        s, p = self.find(item_id)
        return self.sections[s].items[p]


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction (Rettelse) added to the minutes after they were approved: approved
    minutes never change silently, so a correction is an addition, shown in the minutes
    under the item it concerns (``item_id``; None: the meeting as a whole)."""

    at: datetime  # UTC
    user: str
    text: str
    item_id: ItemId | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    body: Body
    title: str
    start: datetime
    end: datetime | None = None
    location: str = ""
    status: MeetingStatus = MeetingStatus.DRAFT
    participants: tuple[Participant, ...] = ()
    agenda: Agenda = field(default_factory=Agenda)
    id: MeetingId | None = None
    #: Bumped by every save; a save from a stale copy is refused (two users, one workspace).
    version: int = 0
    extra: Extra = field(default_factory=_no_extra, compare=False)
    #: Corrections added after the minutes were approved, oldest first (never edited:
    #: the repository adds them, ``save_meeting`` ignores this field).
    corrections: tuple[Correction, ...] = ()

    @property
    def absentees(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants if p.present is False)

    @property
    def present(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants if p.present is True)
