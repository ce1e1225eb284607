"""Saving and loading a meeting: its row, its sections and items, and the cases on them.

A meeting is saved whole, as one user action, and carries a version number: a save from a
copy older than what is stored (another user saved in between) is refused, so nothing is
overwritten. The functions take the workspace for its connection, transaction and the
body/case helpers; ``SqliteWorkspace`` delegates to them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from agenda.errors import NotFoundError, StaleEditError
from agenda.model import (
    Agenda,
    AgendaItem,
    ItemId,
    ItemKind,
    Meeting,
    MeetingId,
    MeetingStatus,
    Section,
    SectionId,
)
from agenda.repository import MeetingSummary
from storage import rows

if TYPE_CHECKING:
    from storage.workspace import SqliteWorkspace


def save_meeting(ws: SqliteWorkspace, meeting: Meeting) -> Meeting:
    with ws.transaction():
        body = ws.save_body(meeting.body)
        if meeting.id is not None:
            row = ws.conn.execute(
                "SELECT version FROM meetings WHERE id = ?", (meeting.id,)
            ).fetchone()
            if row is not None and row[0] != meeting.version:
                raise StaleEditError(
                    "Punktet er ændret et andet sted – genindlæs mødet, og lav din ændring "
                    "igen. Intet er overskrevet."
                )
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
            cur = ws.conn.execute(
                "INSERT INTO meetings(body_id, title, start, end, location, status,"
                " participants, extra, version) VALUES (?,?,?,?,?,?,?,?,?)",
                values,
            )
            meeting_id = MeetingId(cur.lastrowid)
        else:
            meeting_id = meeting.id
            cur = ws.conn.execute(
                "UPDATE meetings SET body_id=?, title=?, start=?, end=?, location=?, status=?,"
                " participants=?, extra=?, version=? WHERE id=?",
                (*values, meeting_id),
            )
            if cur.rowcount == 0:
                ws.conn.execute(
                    "INSERT INTO meetings(body_id, title, start, end, location, status,"
                    " participants, extra, version, id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (*values, meeting_id),
                )
        ws.conn.execute("DELETE FROM items WHERE meeting_id = ?", (meeting_id,))
        ws.conn.execute("DELETE FROM sections WHERE meeting_id = ?", (meeting_id,))
        sections = []
        position = 0
        for s_pos, section in enumerate(meeting.agenda.sections):
            ws.conn.execute(
                "INSERT INTO sections(id, meeting_id, position, name, extra) VALUES (?,?,?,?,?)",
                (section.id, meeting_id, s_pos, section.name, rows.dump(dict(section.extra))),
            )
            items = []
            for item in section.items:
                case = ws.save_case(item.case) if item.case else None
                ws.conn.execute(
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
                position += 1
                items.append(replace(item, case=case))
            sections.append(replace(section, items=tuple(items)))
        return replace(
            meeting, id=meeting_id, body=body, agenda=Agenda(tuple(sections)), version=version
        )


def load_meeting(ws: SqliteWorkspace, meeting_id: MeetingId) -> Meeting:
    found = ws._all("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
    if not found:
        raise NotFoundError(
            f"Mødet med id {meeting_id} findes ikke i arbejdsområdet. "
            "Se listen over møder (kommandoen »meetings«)."
        )
    m = found[0]
    item_rows = ws._all("SELECT * FROM items WHERE meeting_id = ? ORDER BY position", (meeting_id,))
    cases = ws._cases(sorted({r["case_id"] for r in item_rows if r["case_id"]}))
    by_section: dict[str, list[AgendaItem]] = {}
    for r in item_rows:
        by_section.setdefault(r["section_id"], []).append(
            AgendaItem(
                kind=ItemKind(r["kind"]),
                title=r["title"],
                case=cases.get(r["case_id"]) if r["case_id"] else None,
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
        for r in ws._all(
            "SELECT * FROM sections WHERE meeting_id = ? ORDER BY position", (meeting_id,)
        )
    )
    return Meeting(
        body=ws._body(m["body_id"]),
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


def meeting_summaries(ws: SqliteWorkspace) -> list[MeetingSummary]:
    return [
        MeetingSummary(
            MeetingId(r["id"]),
            rows.time_from(r["start"]),
            r["name"],
            r["title"],
            MeetingStatus(r["status"]),
            r["items"],
        )
        for r in ws._all(
            "SELECT m.id, m.start, b.name, m.title, m.status,"
            " (SELECT count(*) FROM items i WHERE i.meeting_id = m.id) AS items"
            " FROM meetings m JOIN bodies b ON b.id = m.body_id ORDER BY m.start, m.id"
        )
    ]


def delete_meeting(ws: SqliteWorkspace, meeting_id: MeetingId) -> None:
    with ws.transaction():
        ws.conn.execute("DELETE FROM items WHERE meeting_id = ?", (meeting_id,))
        ws.conn.execute("DELETE FROM sections WHERE meeting_id = ?", (meeting_id,))
        ws.conn.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))
