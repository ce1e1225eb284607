"""An in-memory ``WorkspaceRepository`` for domain tests: same contract, no SQL."""

from __future__ import annotations

import copy
import hashlib
from contextlib import contextmanager
from dataclasses import replace
from typing import Iterable, Iterator

from agenda.errors import NotFoundError, StaleEditError
from agenda.model import Agenda, Body, BodyId, Case, CaseId, Meeting, MeetingId, looks_like_pdf
from agenda.repository import CaseUse, ConversionKey, MeetingSummary, PublicFile, SearchHit


class InMemoryWorkspace:
    def __init__(self) -> None:
        self._bodies: dict[BodyId, Body] = {}
        self._cases: dict[CaseId, Case] = {}
        self._meetings: dict[MeetingId, Meeting] = {}
        self._blobs: dict[str, bytes] = {}
        self._texts: dict[str, str] = {}
        self._converted: dict[ConversionKey, bytes] = {}
        self._next_id = 1
        self._depth = 0

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        saved = copy.copy(self.__dict__)
        saved = {k: copy.copy(v) for k, v in saved.items()}
        self._depth = 1
        try:
            yield
        except BaseException:
            self.__dict__.update(saved)
            raise
        finally:
            self._depth = 0

    def save_body(self, body: Body) -> Body:
        if body.id is None:
            existing = next((b for b in self._bodies.values() if b.name == body.name), None)
            body = replace(body, id=existing.id if existing else BodyId(self._new_id()))
        self._bodies[body.id] = body
        return body

    def bodies(self) -> list[Body]:
        return list(self._bodies.values())

    def save_case(self, case: Case) -> Case:
        if case.id is None:
            case = replace(case, id=CaseId(self._new_id()))
        self._cases[case.id] = case
        return case

    def case(self, case_id: CaseId) -> Case:
        try:
            return self._cases[case_id]
        except KeyError:
            raise NotFoundError(f"Sagen med id {case_id} findes ikke i arbejdsområdet.") from None

    def case_by_reference(self, reference: str) -> Case | None:
        if not reference:
            return None
        return next((c for c in self._cases.values() if c.reference == reference), None)

    def search_cases(self, query: str, limit: int = 50) -> list[SearchHit]:
        words = query.lower().split()
        hits = []
        for case in self._cases.values():
            haystack = " ".join(
                [case.reference, case.title, *case.texts.values()]
                + [self._texts.get(a.sha256, "") for a in case.attachments]
            ).lower()
            if words and all(w in haystack for w in words):
                hits.append(SearchHit(case.id, case.reference, case.title, case.title))
        return hits[:limit]

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
            i.case
            for m in self._meetings.values()
            if m.status.keeps_record
            for i in m.agenda.items()
            if i.case is not None
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
        for m in sorted(self._meetings.values(), key=lambda m: (m.start, m.id)):
            if not m.status.keeps_record:
                continue
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

    def store_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self._blobs.setdefault(sha, bytes(data))
        return sha

    def blob(self, sha256: str) -> bytes:
        try:
            return self._blobs[sha256]
        except KeyError:
            raise NotFoundError(
                f"Bilagsfilen {sha256[:12]} findes ikke i arbejdsområdet."
            ) from None

    def set_attachment_text(self, sha256: str, text: str) -> None:
        self._texts[sha256] = text

    def attachment_text(self, sha256: str) -> str | None:
        return self._texts.get(sha256)

    def unindexed_pdfs(self, limit: int) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for case in self._cases.values():
            for a in case.attachments:
                named_pdf = a.extension == "pdf" or a.media_type == "application/pdf"
                data = self._blobs.get(a.sha256, b"")
                if named_pdf and a.sha256 not in self._texts and looks_like_pdf(data):
                    found.setdefault(a.sha256, data)
        return dict(list(found.items())[:limit])

    def save_meeting(self, meeting: Meeting) -> Meeting:
        with self.transaction():
            body = self.save_body(meeting.body)
            stored = self._meetings.get(meeting.id) if meeting.id is not None else None
            if stored is not None and stored.version != meeting.version:
                raise StaleEditError("Punktet er ændret et andet sted – genindlæs mødet.")
            # as storage/meetings.py: only a draft writes the case library; a meeting sent
            # or held keeps its items' cases as its own record
            was_record = stored is not None and stored.status.keeps_record
            sections = []
            for section in meeting.agenda.sections:
                items = []
                for item in section.items:
                    case = item.case
                    if case is not None and (not was_record or case.id is None):
                        case = self.save_case(case)
                    elif case is not None and not meeting.status.keeps_record:
                        case = self.case(case.id)  # back to draft: the library's case again
                    items.append(replace(item, case=case))
                sections.append(replace(section, items=tuple(items)))
            meeting = replace(
                meeting, body=body, agenda=Agenda(tuple(sections)), version=meeting.version + 1
            )
            if meeting.id is None:
                meeting = replace(meeting, id=MeetingId(self._new_id()))
            self._meetings[meeting.id] = meeting
            return meeting

    def meeting(self, meeting_id: MeetingId) -> Meeting:
        try:
            meeting = self._meetings[meeting_id]
        except KeyError:
            raise NotFoundError(
                f"Mødet med id {meeting_id} findes ikke i arbejdsområdet."
            ) from None
        if meeting.status.keeps_record:
            return meeting  # its record: the cases as they were when it was sent or held
        # cases are shared: a case edited elsewhere shows its newest state here too
        sections = tuple(
            replace(s, items=tuple(_fresh(i, self._cases) for i in s.items))
            for s in meeting.agenda.sections
        )
        return replace(meeting, agenda=Agenda(sections))

    def meetings(self) -> list[MeetingSummary]:
        return sorted(
            (
                MeetingSummary(m.id, m.start, m.body.name, m.title, m.status, len(m.agenda.items()))
                for m in self._meetings.values()
            ),
            key=lambda s: s.start,
        )

    def delete_meeting(self, meeting_id: MeetingId) -> None:
        self._meetings.pop(meeting_id, None)

    def converted(self, key: ConversionKey) -> bytes | None:
        return self._converted.get(key)

    def store_converted(self, key: ConversionKey, pdf: bytes) -> None:
        self._converted[key] = pdf


def _fresh(item, cases):  # type: ignore[no-untyped-def]
    if item.case is None or item.case.id not in cases:
        return item
    return replace(item, case=cases[item.case.id])


__all__ = ["InMemoryWorkspace"]
