"""An in-memory ``WorkspaceRepository`` for domain tests: same contract, no SQL.

It behaves as ``storage.workspace.SqliteWorkspace`` does where a test can tell (the
contract tests in tests/test_repository_contract.py and test_repository_records.py run
against both): the same errors with the same Danish words (agenda/repository_errors.py),
a case found by its case number when saved without id, every item keeping its own copy
of its case (schema v4), a held meeting locked but for its minutes, events stored as
JSON. Its search is a plain word match, not SQLite's ranked full-text search.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from agenda import repository_errors
from agenda.model import (
    Agenda,
    Body,
    BodyId,
    Case,
    CaseId,
    Correction,
    Meeting,
    MeetingId,
    MeetingStatus,
    looks_like_pdf,
)
from agenda.records import LOCKED, SentFile, SentVersion, SentVersionId, VersionKind, locked_change
from agenda.repository import (
    CaseUse,
    ConversionKey,
    Event,
    MeetingSummary,
    PublicFile,
    SearchHit,
)

# what SQLite's unicode61 tokenizer keeps as a token: letters and digits ("_" separates)
_PART = re.compile(r"[^\W_]+")


class InMemoryWorkspace:
    def __init__(self) -> None:
        self._bodies: dict[BodyId, Body] = {}
        self._cases: dict[CaseId, Case] = {}
        self._meetings: dict[MeetingId, Meeting] = {}
        self._blobs: dict[str, bytes] = {}
        self._texts: dict[str, str] = {}
        self._converted: dict[ConversionKey, bytes] = {}
        self._versions: dict[SentVersionId, tuple[SentVersion, Meeting]] = {}
        self._corrections: dict[MeetingId, tuple[Correction, ...]] = {}
        self._events: list[Event] = []
        self._next_id = 1
        self._depth = 0

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    # -- lifecycle and transactions -------------------------------------------------------

    def close(self) -> None:
        """Nothing to release; there for the contract."""

    def __enter__(self) -> InMemoryWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        # the values are immutable (frozen dataclasses, bytes, str): a copy of each
        # container is the whole state
        saved = {k: copy.copy(v) for k, v in self.__dict__.items()}
        self._depth = 1
        try:
            yield
        except BaseException:
            self.__dict__.update(saved)
            raise
        finally:
            self._depth = 0

    # -- bodies and cases ---------------------------------------------------------------

    def save_body(self, body: Body) -> Body:
        if body.id is None:
            existing = next((b for b in self._bodies.values() if b.name == body.name), None)
            body = replace(body, id=existing.id if existing else BodyId(self._new_id()))
        self._bodies[body.id] = body
        return body

    def bodies(self) -> list[Body]:
        return sorted(self._bodies.values(), key=lambda b: b.name)

    def save_case(self, case: Case) -> Case:
        with self.transaction():
            same_number = self.case_by_reference(case.reference)
            if case.id is None and same_number is not None:
                case = replace(case, id=same_number.id)  # as SQLite: the case it names
            elif same_number is not None and same_number.id != case.id:
                raise repository_errors.case_number_in_use(case.reference, same_number.title, None)
            if case.id is None:
                case = replace(case, id=CaseId(self._new_id()))
            for a in case.attachments:
                if a.sha256 not in self._blobs:
                    raise repository_errors.attachment_without_file(a)
            self._cases[case.id] = case
            return case

    def case(self, case_id: CaseId) -> Case:
        try:
            return self._cases[case_id]
        except KeyError:
            raise repository_errors.case_not_found(case_id) from None

    def case_by_reference(self, reference: str) -> Case | None:
        if not reference:
            return None
        return next((c for c in self._cases.values() if c.reference == reference), None)

    def search_cases(self, query: str, limit: int = 50) -> list[SearchHit]:
        terms = [_term(word) for word in query.split()]
        terms = [t for t in terms if t[0]]
        if not terms:
            return []
        hits: list[tuple[bool, SearchHit]] = []
        for case in self._cases.values():
            words = _PART.findall(
                " ".join(
                    [case.reference, case.title, *case.texts.values()]
                    + [self._texts.get(a.sha256, "") for a in case.attachments]
                ).lower()
            )
            if all(_occurs(parts, prefix, words) for parts, prefix in terms):
                own = any(_occurs(p, True, _PART.findall(case.reference.lower())) for p, _ in terms)
                hits.append((not own, SearchHit(case.id, case.reference, case.title, case.title)))
        hits.sort(key=lambda h: h[0])  # its own case number first, as SQLite's search
        return [h for _, h in hits][:limit]

    def case_uses(self, case_ids: Iterable[CaseId]) -> list[CaseUse]:
        wanted = set(case_ids)
        return [
            CaseUse(item.case.id, m.id, m.start, m.title, m.status, item.closed)
            for m in sorted(self._meetings.values(), key=lambda m: (m.start, m.id))
            for item in m.agenda.items()
            if item.case is not None and item.case.id in wanted
        ]

    def confidential_sha256s(self, sha256s: Iterable[str]) -> set[str]:
        wanted = set(sha256s)
        held = [
            i.case for m in self._meetings.values() for i in m.agenda.items() if i.case is not None
        ]
        return {
            a.sha256
            for case in [*self._cases.values(), *held]
            for a in case.attachments
            if a.confidential and a.sha256 in wanted
        }

    def public_files(self, sha256s: Iterable[str]) -> list[PublicFile]:
        wanted = set(sha256s)
        found = [
            PublicFile(a.sha256, case.id, case.reference, case.title, a.title)
            for case in self._cases.values()
            for a in case.attachments
            if not a.confidential and a.sha256 in wanted
        ]
        # every meeting's items hold their own copies (schema v4), drafts included
        for m in sorted(self._meetings.values(), key=lambda m: (m.start, m.id)):
            for i in m.agenda.items():
                if i.case is None or i.closed:
                    continue
                use = CaseUse(i.case.id, m.id, m.start, m.title, m.status, False)  # type: ignore[arg-type]
                found += [
                    PublicFile(a.sha256, i.case.id, i.case.reference, i.case.title, a.title, use)
                    for a in i.case.attachments
                    if not a.confidential and a.sha256 in wanted
                ]
        return found

    # -- attachment bytes and texts -----------------------------------------------------

    def store_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self._blobs.setdefault(sha, bytes(data))
        return sha

    def blob(self, sha256: str) -> bytes:
        try:
            return self._blobs[sha256]
        except KeyError:
            raise repository_errors.blob_not_found(sha256) from None

    def set_attachment_text(self, sha256: str, text: str) -> None:
        self._texts[sha256] = text

    def attachment_text(self, sha256: str) -> str | None:
        return self._texts.get(sha256)

    def unindexed_pdfs(self, limit: int) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for case in self._cases.values():
            for a in case.attachments:
                named_pdf = a.file_name.lower().endswith(".pdf") or (
                    a.media_type == "application/pdf"
                )
                data = self._blobs.get(a.sha256, b"")
                if named_pdf and a.sha256 not in self._texts and looks_like_pdf(data):
                    found.setdefault(a.sha256, data)
        return dict(list(found.items())[:limit])

    # -- meetings -----------------------------------------------------------------------

    def save_meeting(self, meeting: Meeting) -> Meeting:
        with self.transaction():
            stored = self._meetings.get(meeting.id) if meeting.id is not None else None
            if stored is not None and stored.version != meeting.version:
                raise repository_errors.stale_meeting()
            if stored is not None and stored.status in LOCKED:
                locked_change(stored, meeting)
            body = self.save_body(meeting.body)
            # as storage/meetings.py: every item keeps its own copy of its case; a draft
            # writes the library for a copy edited (or put on the agenda) there
            copies = {i.id: i.case for i in stored.agenda.items()} if stored else {}
            sections = []
            for section in meeting.agenda.sections:
                items = []
                for item in section.items:
                    case = item.case
                    if case is not None and (
                        case.id is None
                        or (meeting.status is MeetingStatus.DRAFT and case != copies.get(item.id))
                    ):
                        case = self.save_case(case)
                    items.append(replace(item, case=case))
                sections.append(replace(section, items=tuple(items)))
            meeting = replace(
                meeting, body=body, agenda=Agenda(tuple(sections)), version=meeting.version + 1
            )
            if meeting.id is None:
                meeting = replace(meeting, id=MeetingId(self._new_id()))
            meeting = replace(meeting, corrections=self._corrections.get(meeting.id, ()))
            self._meetings[meeting.id] = meeting
            return meeting

    def meeting(self, meeting_id: MeetingId) -> Meeting:
        try:
            return self._meetings[meeting_id]
        except KeyError:
            raise repository_errors.meeting_not_found(meeting_id) from None

    def meetings(self) -> list[MeetingSummary]:
        return [
            MeetingSummary(m.id, m.start, m.body.name, m.title, m.status, len(m.agenda.items()))
            for m in sorted(self._meetings.values(), key=lambda m: (m.start, m.id))
        ]

    def delete_meeting(self, meeting_id: MeetingId) -> None:
        self._meetings.pop(meeting_id, None)
        self._corrections.pop(meeting_id, None)
        for vid in [v for v, (sv, _) in self._versions.items() if sv.meeting_id == meeting_id]:
            del self._versions[vid]

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
        if at.tzinfo is None:
            raise ValueError("a record's time must be timezone-aware")
        with self.transaction():
            stored = tuple(SentFile(name, self.store_blob(data), len(data)) for name, data in files)
            version = SentVersion(
                id=self._new_id(),
                meeting_id=meeting.id,  # type: ignore[arg-type]
                kind=kind,
                at=at.astimezone(UTC),
                user=user,
                note=note,
                files=stored,
                parent_id=parent_id,
            )
            self._versions[version.id] = (version, meeting)
            return version

    def sent_versions(self, meeting_id: MeetingId) -> list[SentVersion]:
        return sorted(
            (v for v, _ in self._versions.values() if v.meeting_id == meeting_id),
            key=lambda v: v.id,
        )

    def _version(self, version_id: SentVersionId) -> tuple[SentVersion, Meeting]:
        try:
            return self._versions[version_id]
        except KeyError:
            raise repository_errors.sent_version_not_found(version_id) from None

    def sent_version(self, version_id: SentVersionId) -> SentVersion:
        return self._version(version_id)[0]

    def sent_meeting(self, version_id: SentVersionId) -> Meeting:
        return self._version(version_id)[1]

    def sent_file(self, version_id: SentVersionId, name: str) -> bytes:
        version = self._version(version_id)[0]
        for f in version.files:
            if f.name == name:
                return self._blobs[f.sha256]
        raise repository_errors.sent_file_not_found(version_id, name)

    def add_correction(self, meeting_id: MeetingId, correction: Correction) -> Meeting:
        meeting = self.meeting(meeting_id)
        added = (*self._corrections.get(meeting_id, ()), correction)
        self._corrections[meeting_id] = added
        meeting = replace(meeting, corrections=added)
        self._meetings[meeting_id] = meeting
        return meeting

    # -- conversion cache ---------------------------------------------------------------

    def converted(self, key: ConversionKey) -> bytes | None:
        return self._converted.get(key)

    def store_converted(self, key: ConversionKey, pdf: bytes) -> None:
        self._converted[key] = pdf

    # -- events -------------------------------------------------------------------------

    def record_event(
        self, kind: str, meeting_id: MeetingId | None, payload: Mapping[str, Any]
    ) -> None:
        # through JSON, as SQLite stores it: what comes back is what the file would give
        stored = json.loads(json.dumps(dict(payload), ensure_ascii=False, sort_keys=True))
        at = datetime.now(UTC).replace(microsecond=0)
        self._events.append(Event(at, kind, meeting_id, MappingProxyType(stored)))

    def events(self, meeting_id: MeetingId | None = None) -> list[Event]:
        return [e for e in self._events if meeting_id is None or e.meeting_id == meeting_id]


def _term(word: str) -> tuple[tuple[str, ...], bool]:
    """A word of the query as its parts and whether the last is a prefix: ``kommun*``, or a
    case number (``24/045`` finds ``24/04521``), as storage/search.py reads them."""
    parts = tuple(_PART.findall(word.lower()))
    number = len(parts) > 1 and any(ch.isdigit() for ch in word)
    return parts, number or word.endswith("*")


def _occurs(parts: tuple[str, ...], prefix: bool, words: list[str]) -> bool:
    n = len(parts)
    for i in range(len(words) - n + 1):
        here = words[i : i + n]
        if here[:-1] == list(parts[:-1]) and (
            here[-1].startswith(parts[-1]) if prefix else here[-1] == parts[-1]
        ):
            return True
    return False


__all__ = ["InMemoryWorkspace"]
