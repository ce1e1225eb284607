"""The case library and the bodies: their rows, the cases' bilag rows and search index.

Functions on the workspace's ``Connection``; ``SqliteWorkspace`` and ``storage/meetings.py``
(a draft meeting saves its cases) call them. Each write runs in a transaction.
"""

from __future__ import annotations

from dataclasses import replace

from agenda import repository_errors
from agenda.errors import WorkspaceError
from agenda.model import Body, BodyId, Case, CaseId, MeetingId
from storage import rows, search
from storage.connection import Connection

# -- bodies -----------------------------------------------------------------------------


def save_body(db: Connection, body: Body) -> Body:
    with db.transaction():
        if body.id is None:
            row = db.execute("SELECT id FROM bodies WHERE name = ?", (body.name,)).fetchone()
            if row:
                body = replace(body, id=BodyId(row[0]))
        values = (
            body.name,
            body.numbering.value,
            body.default_place,
            rows.participants_json(body.members),
            body.template,
            rows.dump(dict(body.extra)),
        )
        if body.id is None:
            cur = db.execute(
                "INSERT INTO bodies(name, numbering, default_place, members, template, extra)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
            return replace(body, id=BodyId(cur.lastrowid))
        db.execute(
            "UPDATE bodies SET name=?, numbering=?, default_place=?, members=?, template=?,"
            " extra=? WHERE id=?",
            (*values, body.id),
        )
        return body


def bodies(db: Connection) -> list[Body]:
    return [rows.body_from(r) for r in db.rows("SELECT * FROM bodies ORDER BY name")]


def load_body(db: Connection, body_id: int) -> Body:
    return rows.body_from(db.rows("SELECT * FROM bodies WHERE id = ?", (body_id,))[0])


# -- cases ------------------------------------------------------------------------------


def save_case(db: Connection, case: Case) -> Case:
    with db.transaction():
        if case.id is None and case.reference:
            row = db.execute(
                "SELECT id FROM cases WHERE reference = ?", (case.reference,)
            ).fetchone()
            if row:
                case = replace(case, id=CaseId(row[0]))
        elif case.reference:
            # the user gave this case a number another case already has (an edit)
            other = db.execute(
                "SELECT title FROM cases WHERE reference = ? AND id != ?",
                (case.reference, case.id),
            ).fetchone()
            if other:
                raise repository_errors.case_number_in_use(case.reference, other[0], str(db.path))
        values = (
            case.reference,
            case.title,
            case.kind.value,
            case.officer,
            rows.texts_json(case),
            rows.dump(dict(case.extra)),
        )
        if case.id is None:
            cur = db.execute(
                "INSERT INTO cases(reference, title, kind, officer, texts, extra)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
            case = replace(case, id=CaseId(cur.lastrowid))
        else:
            cur = db.execute(
                "UPDATE cases SET reference=?, title=?, kind=?, officer=?, texts=?, extra=?"
                " WHERE id=?",
                (*values, case.id),
            )
            if cur.rowcount == 0:
                db.execute(
                    "INSERT INTO cases(reference, title, kind, officer, texts, extra, id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*values, case.id),
                )
        db.execute("DELETE FROM attachments WHERE case_id = ?", (case.id,))
        for position, a in enumerate(case.attachments):
            if not db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (a.sha256,)).fetchone():
                raise repository_errors.attachment_without_file(a)
            db.execute(
                "INSERT INTO attachments(id, case_id, position, title, file_name, media_type,"
                " size, sha256, confidential, extra) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    a.id,
                    case.id,
                    position,
                    a.title,
                    a.file_name,
                    a.media_type,
                    a.size,
                    a.sha256,
                    int(a.confidential),
                    rows.dump(dict(a.extra)),
                ),
            )
        search.index_case(db.raw, case.id)
        return case


def load_cases(db: Connection, ids: list[int]) -> dict[int, Case]:
    """The cases with these ids (those that exist), with their bilag, by id."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    attachments: dict[int, list] = {}
    for r in db.rows(
        f"SELECT * FROM attachments WHERE case_id IN ({marks}) ORDER BY case_id, position",
        tuple(ids),
    ):
        attachments.setdefault(r["case_id"], []).append(rows.attachment_from(r))
    return {
        r["id"]: rows.case_from(r, tuple(attachments.get(r["id"], ())))
        for r in db.rows(f"SELECT * FROM cases WHERE id IN ({marks})", tuple(ids))
    }


def load_case(db: Connection, case_id: CaseId) -> Case:
    found = load_cases(db, [case_id])
    if case_id not in found:
        raise repository_errors.case_not_found(case_id)
    return found[case_id]


def all_cases(db: Connection) -> list[Case]:
    """Every case, newest first."""
    ids = [r[0] for r in db.execute("SELECT id FROM cases ORDER BY id DESC")]
    found = load_cases(db, ids)
    return [found[i] for i in ids]


def case_by_reference(db: Connection, reference: str) -> Case | None:
    if not reference:
        return None
    row = db.execute("SELECT id FROM cases WHERE reference = ?", (reference,)).fetchone()
    return load_case(db, CaseId(row[0])) if row else None


def case_meetings(db: Connection, case_id: CaseId) -> list[MeetingId]:
    return [
        MeetingId(r[0])
        for r in db.execute(
            "SELECT DISTINCT i.meeting_id FROM items i JOIN meetings m ON m.id = i.meeting_id "
            "WHERE i.case_id = ? ORDER BY m.start",
            (case_id,),
        )
    ]


def delete_case(db: Connection, case_id: CaseId) -> None:
    with db.transaction():
        if case_meetings(db, case_id):
            raise WorkspaceError(
                "Sagen står på en dagsorden og kan ikke slettes. Fjern den fra møderne først."
            )
        db.execute("DELETE FROM attachments WHERE case_id = ?", (case_id,))
        db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
        db.execute("DELETE FROM cases_fts WHERE rowid = ?", (case_id,))
