"""Each agenda item's own copy of its case (texts, officer, title, the bilag with their
confidentiality), in ``item_cases`` and ``item_case_attachments``.

Schema v3 kept these copies for sent and held meetings only; since v4 every item has one,
drafts too: a meeting is loaded from its items' copies, never from the case library, so
editing a case for the next meeting, importing another meeting with the same case number,
or editing another meeting never changes it. (A draft's edits also go to the library:
``storage/meetings.py``.)
"""

from __future__ import annotations

from agenda.model import Case, ItemId, MeetingId
from storage import rows
from storage.connection import Connection


def write(db: Connection, meeting_id: MeetingId, item_id: ItemId, case: Case) -> None:
    """Keep ``case`` as the record of the item (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO item_cases(item_id, meeting_id, case_id, reference, title, kind, officer,"
        " texts, extra) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            item_id,
            meeting_id,
            case.id,
            case.reference,
            case.title,
            case.kind.value,
            case.officer,
            rows.texts_json(case),
            rows.dump(dict(case.extra)),
        ),
    )
    for position, a in enumerate(case.attachments):
        db.execute(
            "INSERT INTO item_case_attachments(item_id, position, id, title, file_name,"
            " media_type, size, sha256, confidential, extra) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                item_id,
                position,
                a.id,
                a.title,
                a.file_name,
                a.media_type,
                a.size,
                a.sha256,
                int(a.confidential),
                rows.dump(dict(a.extra)),
            ),
        )


def delete(db: Connection, meeting_id: MeetingId) -> None:
    # the bilag rows go with their item_cases row (ON DELETE CASCADE)
    db.execute("DELETE FROM item_cases WHERE meeting_id = ?", (meeting_id,))


def read(db: Connection, meeting_id: MeetingId) -> dict[str, Case]:
    """The recorded case of each item of the meeting, by item id."""
    attachments: dict[str, list] = {}
    for r in db.rows(
        "SELECT a.* FROM item_case_attachments a JOIN item_cases c ON c.item_id = a.item_id"
        " WHERE c.meeting_id = ? ORDER BY a.item_id, a.position",
        (meeting_id,),
    ):
        attachments.setdefault(r["item_id"], []).append(rows.attachment_from(r))
    found: dict[str, Case] = {}
    for r in db.rows("SELECT * FROM item_cases WHERE meeting_id = ?", (meeting_id,)):
        # rows.case_from reads a cases row; the record's case id is its case_id
        found[r["item_id"]] = rows.case_from(
            {**r, "id": r["case_id"]}, tuple(attachments.get(r["item_id"], ()))
        )
    return found
