"""What the domain needs from a workspace, as a Protocol.

``storage.workspace.SqliteWorkspace`` implements it on one SQLite file;
``agenda.memory.InMemoryWorkspace`` implements it in memory for domain tests. Both raise
the errors of ``agenda/repository_errors.py``, and tests/test_repository_contract.py and
tests/test_repository_records.py (sent versions, corrections, locking) hold both to every
method here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Protocol

from agenda.model import Body, Case, CaseId, Correction, Meeting, MeetingId, MeetingStatus
from agenda.records import SentVersion, SentVersionId, VersionKind


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


@dataclass(frozen=True, slots=True)
class Event:
    """An action someone may have to answer for later (exporting the public edition
    despite preflight errors): when (UTC, whole seconds), what, on which meeting, and
    its details as JSON values (a tuple given comes back a list)."""

    at: datetime
    kind: str
    meeting_id: MeetingId | None
    payload: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


class WorkspaceRepository(Protocol):
    # lifecycle: open by constructing (storage.workspace.open_workspace for a file); close
    # when done, or use it as a context manager
    def close(self) -> None: ...
    def __enter__(self) -> WorkspaceRepository: ...
    def __exit__(self, *exc: object) -> None: ...

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

    # meetings (the agenda and its items are saved with the meeting; every item holds its own
    # copy of its case, and a held meeting refuses all but its minutes: agenda/records.py)
    def save_meeting(self, meeting: Meeting) -> Meeting: ...
    def meeting(self, meeting_id: MeetingId) -> Meeting: ...
    def meetings(self) -> list[MeetingSummary]: ...
    def delete_meeting(self, meeting_id: MeetingId) -> None: ...

    # records (issue 14): what was sent or approved, and corrections to approved minutes
    def record_sent_version(
        self,
        meeting: Meeting,
        kind: VersionKind,
        at: datetime,
        user: str,
        note: str,
        files: Sequence[tuple[str, bytes]],
        parent_id: SentVersionId | None = None,
    ) -> SentVersion:
        """Freeze ``meeting`` (as saved) and the exact ``files`` (name, bytes) written for
        it; the bytes stored by SHA-256 (once however often sent). ``at`` is timezone-aware
        and stored in UTC. One transaction."""
        ...

    def sent_versions(self, meeting_id: MeetingId) -> list[SentVersion]:
        """The meeting's sent and approved versions, oldest first."""
        ...

    def sent_version(self, version_id: SentVersionId) -> SentVersion: ...
    def sent_meeting(self, version_id: SentVersionId) -> Meeting:
        """The meeting exactly as it was when the version was made."""
        ...

    def sent_file(self, version_id: SentVersionId, name: str) -> bytes:
        """A file of the version, byte for byte as it was written; NotFoundError if none."""
        ...

    def add_correction(self, meeting_id: MeetingId, correction: Correction) -> Meeting:
        """Add a correction (Rettelse) to the meeting's minutes; returns the meeting."""
        ...

    # conversion cache
    def converted(self, key: ConversionKey) -> bytes | None: ...
    def store_converted(self, key: ConversionKey, pdf: bytes) -> None: ...

    # events (agenda/repository.py Event), oldest first
    def record_event(
        self, kind: str, meeting_id: MeetingId | None, payload: Mapping[str, Any]
    ) -> None:
        """Append an event, stamped now (one transaction of its own unless inside one)."""
        ...

    def events(self, meeting_id: MeetingId | None = None) -> list[Event]:
        """Every event, or those of one meeting, in the order they were recorded."""
        ...
