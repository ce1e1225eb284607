"""What the domain needs from a workspace, as a Protocol.

``storage.workspace.SqliteWorkspace`` implements it on one SQLite file;
``agenda.memory.InMemoryWorkspace`` implements it in memory for domain tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Protocol

from agenda.model import Body, Case, CaseId, Meeting, MeetingId, MeetingStatus


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    id: MeetingId
    start: datetime
    body_name: str
    title: str
    status: MeetingStatus
    item_count: int


@dataclass(frozen=True, slots=True)
class CaseUse:
    """One meeting a case stands on, and whether it is a closed item there."""

    case_id: CaseId
    meeting_id: MeetingId
    start: datetime
    title: str
    status: MeetingStatus
    closed: bool


@dataclass(frozen=True, slots=True)
class PublicFile:
    """A bilag not marked confidential: on a case, which the library and the draft
    meetings use (``meeting`` None), or in the record of a sent or held meeting, on an
    open item there (``meeting`` is that meeting)."""

    sha256: str
    case_id: CaseId | None
    reference: str
    case_title: str
    title: str
    meeting: CaseUse | None = None


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """What the rest of the workspace says about one meeting's cases and bilag (for the
    preflight: a case closed on one meeting and open on another, a file confidential on
    another case or meeting but public here)."""

    #: The other meetings each of its cases stands on, by case id.
    uses: Mapping[CaseId, tuple[CaseUse, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: Files (SHA-256) public on this meeting that are confidential somewhere else.
    confidential: frozenset[str] = frozenset()


#: Nothing known about the rest of the workspace (a meeting on its own).
NOWHERE = Elsewhere()


@dataclass(frozen=True, slots=True)
class SearchHit:
    case_id: CaseId
    reference: str
    title: str
    snippet: str


@dataclass(frozen=True, slots=True)
class ConversionKey:
    """A converted PDF is cached by what went in and what converted it."""

    source_sha256: str
    converter: str
    converter_version: str


class WorkspaceRepository(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """One user action: everything inside commits together or not at all. Nests."""
        ...

    # bodies
    def save_body(self, body: Body) -> Body: ...
    def bodies(self) -> list[Body]: ...

    # cases
    def save_case(self, case: Case) -> Case: ...
    def case(self, case_id: CaseId) -> Case: ...
    def case_by_reference(self, reference: str) -> Case | None: ...
    def search_cases(self, query: str, limit: int = 50) -> list[SearchHit]: ...
    def case_uses(self, case_ids: Iterable[CaseId]) -> list[CaseUse]:
        """Every item that puts one of these cases on a meeting, by meeting start."""
        ...

    def confidential_sha256s(self, sha256s: Iterable[str]) -> set[str]:
        """Those of ``sha256s`` that some bilag in the workspace (on a case, or in the
        record of a sent or held meeting) marks confidential."""
        ...

    def public_files(self, sha256s: Iterable[str]) -> list[PublicFile]:
        """Every bilag of one of ``sha256s`` not marked confidential: on a case, or in
        the record of a sent or held meeting where its item is open (an import that
        marks the file confidential fails closed on them)."""
        ...

    # attachment bytes, addressed by SHA-256
    def store_blob(self, data: bytes) -> str: ...
    def blob(self, sha256: str) -> bytes: ...
    def set_attachment_text(self, sha256: str, text: str) -> None: ...
    def attachment_text(self, sha256: str) -> str | None: ...
    def unindexed_pdfs(self, limit: int) -> dict[str, bytes]:
        """Up to ``limit`` PDF bilag (named or typed PDF, and one in their bytes) whose
        text is not in the search index yet, by SHA-256."""
        ...

    # meetings (the agenda, its items and their cases are saved with the meeting; a meeting
    # sent or held keeps its own record of its cases, see MeetingStatus.keeps_record)
    def save_meeting(self, meeting: Meeting) -> Meeting: ...
    def meeting(self, meeting_id: MeetingId) -> Meeting: ...
    def meetings(self) -> list[MeetingSummary]: ...
    def delete_meeting(self, meeting_id: MeetingId) -> None: ...

    # conversion cache
    def converted(self, key: ConversionKey) -> bytes | None: ...
    def store_converted(self, key: ConversionKey, pdf: bytes) -> None: ...
