"""Saving and loading a meeting: its row, its sections and items, and the cases on them.

A meeting is saved whole, as one user action, and carries a version number: a save from a
copy older than what is stored (another user saved in between) is refused, so nothing is
overwritten. The functions take the workspace's ``Connection`` (storage/connection.py)
and save bodies and cases through storage/cases.py; ``SqliteWorkspace`` delegates to them.

A draft meeting shares its cases with the case library: saving it saves them. A meeting
sent or held is a record (``storage/item_records.py``): its items keep their own copy of
their case, saving it never writes the case library, and editing an item's texts there
changes that meeting's record only. A meeting becomes a record when it is saved sent or
held (its cases are then frozen as they are at that moment); set back to draft, it lets
its record go and shows the cases as the library has them.
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
from agenda.repository import MeetingSummary
from storage import cases as case_store
from storage import item_records, rows
from storage.connection import Connection


def save_meeting(db: Connection, meeting: Meeting) -> Meeting:
    with db.transaction():
        body = case_store.save_body(db, meeting.body)
        was_record = False
        if meeting.id is not None:
            row = db.execute(
                "SELECT version, status FROM meetings WHERE id = ?", (meeting.id,)
            ).fetchone()
            was_record = row is not None and MeetingStatus(row[1]).keeps_record
            if row is not None and row[0] != meeting.version:
                raise repository_errors.stale_meeting()
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
                case = _item_case(db, item, was_record, meeting.status.keeps_record)
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
                if case is not None and meeting.status.keeps_record:
                    item_records.write(db, meeting_id, item.id, case)
                position += 1
                items.append(replace(item, case=case))
            sections.append(replace(section, items=tuple(items)))
        return replace(
            meeting, id=meeting_id, body=body, agenda=Agenda(tuple(sections)), version=version
        )


def _item_case(db: Connection, item: AgendaItem, was_record: bool, is_record: bool) -> Case | None:
    """The case an item is saved with; the case library is written only for a draft."""
    case = item.case
    if case is None:
        return None
    if not was_record or case.id is None:
        # a draft (or a meeting becoming a record now: frozen as the library then has it);
        # a case new on a held meeting goes into the library, where no other meeting has it
        return case_store.save_case(db, case)
    if is_record:
        return case  # the meeting's own record; the library is not touched
    # set back to draft: the record is let go, and the case is the library's again
    return case_store.load_case(db, case.id)


def load_meeting(db: Connection, meeting_id: MeetingId) -> Meeting:
    found = db.rows("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
    if not found:
        raise repository_errors.meeting_not_found(meeting_id)
    m = found[0]
    item_rows = db.rows("SELECT * FROM items WHERE meeting_id = ? ORDER BY position", (meeting_id,))
    cases = case_store.load_cases(db, sorted({r["case_id"] for r in item_rows if r["case_id"]}))
    # a sent or held meeting shows its record, never the case as since edited
    recorded = item_records.read(db, meeting_id) if MeetingStatus(m["status"]).keeps_record else {}
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
