"""A case shared by several meetings: the meetings it stands on (open or closed there),
and which bilag files are confidential anywhere in the workspace (an import fails closed
on them). ``SqliteWorkspace`` delegates to these."""

from __future__ import annotations

from collections.abc import Iterable

from agenda.model import CaseId, MeetingId, MeetingStatus
from agenda.repository import CaseUse, PublicFile
from storage import rows
from storage.connection import Connection


def case_uses(db: Connection, case_ids: Iterable[CaseId]) -> list[CaseUse]:
    """Every item that puts one of these cases on a meeting, by meeting start."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    return [
        CaseUse(
            CaseId(r["case_id"]),
            MeetingId(r["meeting_id"]),
            rows.time_from(r["start"]),
            r["title"],
            MeetingStatus(r["status"]),
            bool(r["closed"]),
        )
        for r in db.rows(
            "SELECT i.case_id, i.meeting_id, i.closed, m.start, m.title, m.status"
            f" FROM items i JOIN meetings m ON m.id = i.meeting_id WHERE i.case_id IN ({marks})"
            " ORDER BY m.start, m.id, i.position",
            tuple(wanted),
        )
    ]


def confidential_sha256s(db: Connection, sha256s: Iterable[str]) -> set[str]:
    """Those of ``sha256s`` that some bilag in the workspace (on a case or in a meeting's
    record) marks confidential."""
    wanted = sorted(set(sha256s))
    if not wanted:
        return set()
    marks = ",".join("?" * len(wanted))
    return {
        r[0]
        for r in db.execute(
            f"SELECT sha256 FROM attachments WHERE confidential = 1 AND sha256 IN ({marks})"
            f" UNION SELECT sha256 FROM item_case_attachments WHERE confidential = 1"
            f" AND sha256 IN ({marks})",
            (*wanted, *wanted),
        )
    }


def public_files(db: Connection, sha256s: Iterable[str]) -> list[PublicFile]:
    """Each bilag of these files not marked confidential: on a case, and in the record
    of a sent or held meeting on an open item."""
    wanted = sorted(set(sha256s))
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    found = [
        PublicFile(r["sha256"], CaseId(r["case_id"]), r["reference"], r["case_title"], r["title"])
        for r in db.rows(
            "SELECT a.sha256, a.case_id, c.reference, c.title AS case_title, a.title"
            " FROM attachments a JOIN cases c ON c.id = a.case_id"
            f" WHERE a.confidential = 0 AND a.sha256 IN ({marks}) ORDER BY c.id, a.position",
            tuple(wanted),
        )
    ]
    for r in db.rows(
        "SELECT a.sha256, r.case_id, r.reference, r.title AS case_title, a.title,"
        " m.id AS meeting_id, m.start, m.title AS meeting_title, m.status"
        " FROM item_case_attachments a JOIN item_cases r ON r.item_id = a.item_id"
        " JOIN items i ON i.id = a.item_id JOIN meetings m ON m.id = r.meeting_id"
        f" WHERE a.confidential = 0 AND i.closed = 0 AND a.sha256 IN ({marks})"
        " ORDER BY m.start, m.id, i.position, a.position",
        tuple(wanted),
    ):
        case_id = CaseId(r["case_id"]) if r["case_id"] is not None else None
        use = CaseUse(
            case_id,  # type: ignore[arg-type]
            MeetingId(r["meeting_id"]),
            rows.time_from(r["start"]),
            r["meeting_title"],
            MeetingStatus(r["status"]),
            False,
        )
        found.append(
            PublicFile(r["sha256"], case_id, r["reference"], r["case_title"], r["title"], use)
        )
    return found
