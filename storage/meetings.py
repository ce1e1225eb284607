"""Saving and loading a meeting: its row, its sections and items, and the cases on them.

A meeting is saved whole, as one user action, and carries a version number: a save from a
copy older than what is stored (another user saved in between) is refused, so nothing is
overwritten. The functions take the workspace's ``Connection`` (storage/connection.py)
and save bodies and cases through storage/cases.py; ``SqliteWorkspace`` delegates to them.

Every item holds its own copy of its case (``storage/item_records.py``): a meeting is
loaded from its items' copies, never from the case library, so editing one meeting never
changes another. Saving a *draft* also writes the library's case when an item's copy was
edited there (the secretariat's working text); a sent meeting's edits stay in it. A held
meeting refuses every change but the minutes (``agenda.records.locked_change``).
"""

from __future__ import annotations

from dataclasses import replace

from agenda import repository_errors
from agenda.model import (
    Agenda,
    AgendaItem,
    Case,
    ItemId,
    ItemKind,
    Meeting,
    MeetingId,
    MeetingStatus,
    Section,
    SectionId,
)
from agenda.records import LOCKED, locked_change
from agenda.repository import MeetingSummary
from storage import cases as case_store
from storage import item_records, rows, sent_versions
from storage.connection import Connection


def save_meeting(db: Connection, meeting: Meeting) -> Meeting:
    with db.transaction():
        copies: dict[str, Case] = {}
        if meeting.id is not None:
            row = db.execute(
                "SELECT version, status FROM meetings WHERE id = ?", (meeting.id,)
            ).fetchone()
            if row is not None and row[0] != meeting.version:
                raise repository_errors.stale_meeting()
            if row is not None and MeetingStatus(row[1]) in LOCKED:
                locked_change(load_meeting(db, meeting.id), meeting)
            copies = item_records.read(db, meeting.id)
        body = case_store.save_body(db, meeting.body)
        version = meeting.version + 1
        values = (
            body.id,
            meeting.title,
            rows.time_text(meeting.start),
            rows.time_text(meeting.end),
            meeting.location,
            meeting.status.value,
            rows.participants_json(meeting.participants),
            rows.dump(dict(meeting.extra)),
            version,
        )
        if meeting.id is None:
            cur = db.execute(
                "INSERT INTO meetings(body_id, title, start, end, location, status,"
                " participants, extra, version) VALUES (?,?,?,?,?,?,?,?,?)",
                values,
            )
            meeting_id = MeetingId(cur.lastrowid)
        else:
            meeting_id = meeting.id
            cur = db.execute(
                "UPDATE meetings SET body_id=?, title=?, start=?, end=?, location=?, status=?,"
                " participants=?, extra=?, version=? WHERE id=?",
                (*values, meeting_id),
            )
            if cur.rowcount == 0:
                db.execute(
                    "INSERT INTO meetings(body_id, title, start, end, location, status,"
                    " participants, extra, version, id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (*values, meeting_id),
                )
        item_records.delete(db, meeting_id)
        db.execute("DELETE FROM items WHERE meeting_id = ?", (meeting_id,))
        db.execute("DELETE FROM sections WHERE meeting_id = ?", (meeting_id,))
        sections = []
        position = 0
        for s_pos, section in enumerate(meeting.agenda.sections):
            db.execute(
                "INSERT INTO sections(id, meeting_id, position, name, extra) VALUES (?,?,?,?,?)",
                (section.id, meeting_id, s_pos, section.name, rows.dump(dict(section.extra))),
            )
            items = []
            for item in section.items:
                case = _item_case(db, item, copies.get(item.id), meeting.status)
                db.execute(
                    "INSERT INTO items(id, meeting_id, section_id, position, kind, title,"
                    " case_id, closed, decision, extra) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        item.id,
                        meeting_id,
                        section.id,
                        position,
                        item.kind.value,
                        item.title,
                        case.id if case else None,
                        int(item.closed),
                        item.decision,
                        rows.dump(dict(item.extra)),
                    ),
                )
                if case is not None:
                    item_records.write(db, meeting_id, item.id, case)
                position += 1
                items.append(replace(item, case=case))
            sections.append(replace(section, items=tuple(items)))
        return replace(
            meeting,
            id=meeting_id,
            body=body,
            agenda=Agenda(tuple(sections)),
            version=version,
            corrections=sent_versions.corrections(db, meeting_id),
        )


def _item_case(
    db: Connection, item: AgendaItem, stored: Case | None, status: MeetingStatus
) -> Case | None:
    """The item's own copy of its case as saved; the case library is written for a case
    new to the workspace, and in a draft for a copy edited (or put on the agenda) here."""
    case = item.case
    if case is None:
        return None
    if case.id is None or (status is MeetingStatus.DRAFT and not _same(case, stored)):
        return case_store.save_case(db, case)
    return case


def _same(case: Case, stored: Case | None) -> bool:
    """Whether the item's copy is as stored (an empty section is stored as none, so a
    cleared field does not count as an edit that would write the library again)."""
    if stored is None:
        return False

    def filled(c: Case) -> Case:
        return replace(c, texts={k: v for k, v in c.texts.items() if v})

    return filled(case) == filled(stored)


def load_meeting(db: Connection, meeting_id: MeetingId) -> Meeting:
    found = db.rows("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
    if not found:
        raise repository_errors.meeting_not_found(meeting_id)
    m = found[0]
    item_rows = db.rows("SELECT * FROM items WHERE meeting_id = ? ORDER BY position", (meeting_id,))
    recorded = item_records.read(db, meeting_id)
    # an item without a copy (none since schema v4 migrated) shows the library's case
    missing = {r["case_id"] for r in item_rows if r["case_id"] and r["id"] not in recorded}
    cases = case_store.load_cases(db, sorted(missing))
    by_section: dict[str, list[AgendaItem]] = {}
    for r in item_rows:
        case = recorded.get(r["id"]) or (cases.get(r["case_id"]) if r["case_id"] else None)
        by_section.setdefault(r["section_id"], []).append(
            AgendaItem(
                kind=ItemKind(r["kind"]),
                title=r["title"],
                case=case,
                closed=bool(r["closed"]),
                decision=r["decision"] or "",
                id=ItemId(r["id"]),
                extra=rows.load_extra(r["extra"]),
            )
        )
    sections = tuple(
        Section(
            name=r["name"],
            items=tuple(by_section.get(r["id"], ())),
            id=SectionId(r["id"]),
            extra=rows.load_extra(r["extra"]),
        )
        for r in db.rows(
            "SELECT * FROM sections WHERE meeting_id = ? ORDER BY position", (meeting_id,)
        )
    )
    return Meeting(
        body=case_store.load_body(db, m["body_id"]),
        title=m["title"],
        start=rows.time_from(m["start"]),
        end=rows.time_from(m["end"]),
        location=m["location"] or "",
        status=MeetingStatus(m["status"]),
        participants=rows.participants_from(m["participants"]),
        agenda=Agenda(sections),
        id=MeetingId(m["id"]),
        version=m["version"],
        extra=rows.load_extra(m["extra"]),
        corrections=sent_versions.corrections(db, meeting_id),
    )


def meeting_summaries(db: Connection) -> list[MeetingSummary]:
    return [
        MeetingSummary(
            MeetingId(r["id"]),
            rows.time_from(r["start"]),
            r["name"],
            r["title"],
            MeetingStatus(r["status"]),
            r["items"],
        )
        for r in db.rows(
            "SELECT m.id, m.start, b.name, m.title, m.status,"
            " (SELECT count(*) FROM items i WHERE i.meeting_id = m.id) AS items"
            " FROM meetings m JOIN bodies b ON b.id = m.body_id ORDER BY m.start, m.id"
        )
    ]


def delete_meeting(db: Connection, meeting_id: MeetingId) -> None:
    with db.transaction():
        item_records.delete(db, meeting_id)
        db.execute("DELETE FROM items WHERE meeting_id = ?", (meeting_id,))
        db.execute("DELETE FROM sections WHERE meeting_id = ?", (meeting_id,))
        db.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))
