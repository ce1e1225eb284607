"""A meeting sent or held is a record: editing its cases for another meeting, or in the
case library, changes neither it nor its public documents; editing it changes only it;
a meeting becomes a record at the moment it is saved sent or held; and a workspace made
before records (schema v2) freezes its sent and held meetings when it is opened."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import docx
import pytest

from agenda.memory import InMemoryWorkspace
from agenda.model import ItemId, Meeting, MeetingStatus, TextSection, new_uuid
from agenda.operations import ReplaceItem
from agenda.snapshot import MeetingSnapshot
from app.records import pull_case_text
from exchange.transfer import export_meeting
from export.documents.docx_agenda import write_agenda_docx
from storage import schema
from storage.workspace import open_workspace
from tests.factories import CET, document_meeting

EVALUATION = "24/04521"
NEW_TEXT = "Sekretariatet foreslår nu noget helt andet (Pingvinplanen)."


def _store_blobs(ws, meeting: Meeting) -> None:
    # the factory's bilag hold their own title's bytes (b"rapport" for rapport.pdf, ...)
    for item in meeting.agenda.items():
        for a in item.attachments:
            ws.store_blob(a.file_name.rsplit(".", 1)[0].encode())


def _held(ws) -> Meeting:
    meeting = document_meeting(held=True)
    _store_blobs(ws, meeting)
    return ws.save_meeting(meeting)


def _item(meeting: Meeting, reference: str):
    return next(i for i in meeting.agenda.items() if i.case and i.case.reference == reference)


def _next_meeting(ws) -> Meeting:
    """A draft meeting a month later, with the held meeting's evaluation case on it."""
    later = replace(
        document_meeting(),
        status=MeetingStatus.DRAFT,
        start=datetime(2024, 5, 14, 10, 0, tzinfo=CET),
        end=None,
    )
    sections = [replace(s, items=()) for s in later.agenda.sections]
    case = ws.case_by_reference(EVALUATION)
    evaluation = replace(_item(later, EVALUATION), case=case)
    sections[1] = replace(sections[1], items=(evaluation,))
    return ws.save_meeting(replace(later, agenda=replace(later.agenda, sections=tuple(sections))))


def _edit_for_next_meeting(ws, draft: Meeting) -> Meeting:
    """The user edits the case on the next meeting: new text, new title, the confidential
    tilbud made public there."""
    item = _item(draft, EVALUATION)
    bilag = tuple(replace(a, confidential=False) for a in item.case.attachments)
    case = replace(item.case.with_texts(indstilling=NEW_TEXT), title="Ny titel", attachments=bilag)
    agenda, _ = ReplaceItem(replace(item, case=case)).apply(draft.agenda)
    return ws.save_meeting(replace(draft, agenda=agenda))


def _text(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def _stand_in(file_name: str, data: bytes) -> bytes:
    return data


def _public_documents(ws, meeting_id, folder: Path) -> dict[str, object]:
    meeting = ws.meeting(meeting_id)
    snapshot = MeetingSnapshot(meeting)
    agenda = write_agenda_docx(snapshot, folder / "dagsorden.docx", public=True)
    minutes = write_agenda_docx(snapshot, folder / "referat.docx", minutes=True, public=True)
    # the stand-in bilag bytes are no real files: what is published of them is
    # tests/test_pdf_clean.py's business; here only which bilag and texts go out
    exchange = export_meeting(
        ws, meeting_id, folder / "udveksling", public=True, clean_file=_stand_in
    )
    return {
        "agenda": _text(agenda),
        "minutes": _text(minutes),
        "meeting.json": json.loads((exchange / "meeting.json").read_text("utf-8")),
        "bilag": sorted(p.name for p in (exchange / "bilag").iterdir()),
    }


def test_editing_a_case_for_the_next_meeting_leaves_the_held_meeting_and_its_minutes(
    tmp_path,
):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        held = _held(ws)
        before = ws.meeting(held.id)
        documents = _public_documents(ws, held.id, tmp_path / "før")
        assert "tilbud.pdf" not in documents["bilag"]  # confidential in the held meeting

        draft = _edit_for_next_meeting(ws, _next_meeting(ws))
        # and once more, straight in the case library
        library = ws.case_by_reference(EVALUATION)
        ws.save_case(library.with_texts(resume="Også resuméet er skrevet om."))

        # the next meeting and the library have the edit ...
        assert _item(ws.meeting(draft.id), EVALUATION).case.text(TextSection.INDSTILLING) == (
            NEW_TEXT
        )
        assert ws.case_by_reference(EVALUATION).title == "Ny titel"
        # ... the held meeting does not, nor do its public documents
        assert ws.meeting(held.id) == before
        kept = _item(ws.meeting(held.id), EVALUATION).case
        assert kept.title == "Evaluering af klyngekontorer" and NEW_TEXT not in str(kept)
        assert [a.confidential for a in kept.attachments] == [False, True, False]
        after = _public_documents(ws, held.id, tmp_path / "efter")
        assert after == documents
        assert not any(NEW_TEXT in line or "Pingvin" in line for line in after["minutes"])


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_held_meeting_keeps_its_record_in_either_repository(tmp_path, kind):
    ws = open_workspace(tmp_path / "w.kkrdb") if kind == "sqlite" else InMemoryWorkspace()
    try:
        held = _held(ws)
        before = ws.meeting(held.id)
        _edit_for_next_meeting(ws, _next_meeting(ws))
        assert ws.meeting(held.id) == before
        # saving the held meeting (a decision written) does not write its old texts back
        item = _item(before, EVALUATION)
        agenda, _ = ReplaceItem(replace(item, decision="Udsat.")).apply(before.agenda)
        ws.save_meeting(replace(before, agenda=agenda))
        assert ws.case_by_reference(EVALUATION).text(TextSection.INDSTILLING) == NEW_TEXT
    finally:
        if kind == "sqlite":
            ws.close()


def test_editing_a_sent_meetings_item_changes_its_record_only(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        meeting = document_meeting()
        _store_blobs(ws, meeting)
        held = ws.save_meeting(replace(meeting, status=MeetingStatus.SENT))
        draft = _next_meeting(ws)
        item = _item(held, EVALUATION)
        fixed = item.case.with_texts(oekonomi="Rettet efter udsendelsen: 2 mio. kr.")
        agenda, _ = ReplaceItem(replace(item, case=fixed)).apply(held.agenda)
        ws.save_meeting(replace(held, agenda=agenda))

        assert _item(ws.meeting(held.id), EVALUATION).case.text(TextSection.OEKONOMI) == (
            "Rettet efter udsendelsen: 2 mio. kr."
        )
        library = ws.case_by_reference(EVALUATION)
        assert library.text(TextSection.OEKONOMI) == "Ingen udgifter for kommunerne."
        assert _item(ws.meeting(draft.id), EVALUATION).case == library


def test_a_meeting_keeps_its_items_texts_when_sent_and_when_set_back_to_draft(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        meeting = document_meeting()
        _store_blobs(ws, meeting)
        draft = ws.save_meeting(replace(meeting, status=MeetingStatus.DRAFT))
        library = ws.case_by_reference(EVALUATION)
        ws.save_case(library.with_texts(resume="Skrevet før udsendelsen."))
        draft = ws.meeting(draft.id)  # the item has its own copy: the library's edit ...
        assert _item(draft, EVALUATION).case.text(TextSection.RESUME) != "Skrevet før udsendelsen."
        draft = pull_case_text(ws, draft.id, _item(draft, EVALUATION).id)  # ... pulled on request
        assert _item(draft, EVALUATION).case.text(TextSection.RESUME) == "Skrevet før udsendelsen."

        sent = ws.save_meeting(replace(draft, status=MeetingStatus.SENT))
        ws.save_case(
            ws.case_by_reference(EVALUATION).with_texts(resume="Skrevet efter udsendelsen.")
        )
        assert _item(ws.meeting(sent.id), EVALUATION).case.text(TextSection.RESUME) == (
            "Skrevet før udsendelsen."
        )

        # set back to draft by the user: the items keep their own texts until pulled
        back = ws.save_meeting(replace(ws.meeting(sent.id), status=MeetingStatus.DRAFT))
        assert _item(back, EVALUATION).case.text(TextSection.RESUME) == ("Skrevet før udsendelsen.")
        assert ws.meeting(back.id) == back
        assert ws.case_by_reference(EVALUATION).text(TextSection.RESUME) == (
            "Skrevet efter udsendelsen."
        )


def _as_v2(path: Path) -> None:
    """Turn a current workspace (whose meetings are drafts in its tables) into the schema
    v2 file an earlier version wrote: v3's and v4's tables gone, user_version 2."""
    with sqlite3.connect(path) as conn:
        for table in ("corrections", "sent_version_files", "sent_versions"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP TABLE item_case_attachments")
        conn.execute("DROP TABLE item_cases")
        conn.execute("PRAGMA user_version = 2")
    genuine = sqlite3.connect(":memory:")
    for migration in schema.MIGRATIONS[:2]:
        migration(genuine)
    with sqlite3.connect(path) as conn:
        tables = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        assert conn.execute(tables).fetchall() == genuine.execute(tables).fetchall()


def test_a_v2_workspace_freezes_its_sent_and_held_meetings_when_opened(tmp_path):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        meeting = document_meeting(held=True)
        _store_blobs(ws, meeting)
        held = ws.save_meeting(replace(meeting, status=MeetingStatus.DRAFT))
        draft = _next_meeting(ws)
        # in a v2 file the status was just a column: held, but no record
        ws.conn.execute("UPDATE meetings SET status = 'held' WHERE id = ?", (held.id,))
        before = ws.meeting(held.id)
    _as_v2(path)

    with open_workspace(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert ws.meeting(held.id) == before
        # three cases on the held meeting: three records, with their bilag
        held_rows = "SELECT count(*) FROM item_cases WHERE meeting_id = ?"
        assert ws.conn.execute(held_rows, (held.id,)).fetchone()[0] == 3
        counts = ws.conn.execute(
            "SELECT count(*), sum(a.confidential) FROM item_case_attachments a"
            " JOIN item_cases c ON c.item_id = a.item_id WHERE c.meeting_id = ?",
            (held.id,),
        )
        assert tuple(counts.fetchone()) == (5, 1)
        _edit_for_next_meeting(ws, ws.meeting(draft.id))
        assert ws.meeting(held.id) == before
        assert _item(ws.meeting(draft.id), EVALUATION).case.title == "Ny titel"
    with sqlite3.connect(tmp_path / "w.kkrdb.backup-v2") as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 2
        assert backup.execute("SELECT status FROM meetings WHERE id = ?", (held.id,)).fetchone()


@pytest.mark.slow
def test_preflight_warns_of_a_case_closed_on_one_meeting_and_open_on_another(tmp_path):
    from datetime import date

    from agenda.memory import InMemoryWorkspace
    from agenda.preflight import Severity, preflight
    from app.snapshots import read_snapshot
    from tests.test_cli import run

    path = tmp_path / "w.kkrdb"
    for ws in (open_workspace(path), InMemoryWorkspace()):
        held = _held(ws)
        secret = next(i for i in held.agenda.items() if i.closed)
        later = _next_meeting(ws)
        # the director's case comes back on the next meeting, by mistake as an open item
        sections = list(later.agenda.sections)
        reopened = replace(
            secret, id=ItemId(new_uuid()), closed=False, case=ws.case(secret.case.id)
        )
        sections[1] = replace(sections[1], items=(*sections[1].items, reopened))
        later = ws.save_meeting(
            replace(later, agenda=replace(later.agenda, sections=tuple(sections)))
        )

        def shared(meeting: Meeting, ws=ws) -> list:  # type: ignore[no-untyped-def]
            snapshot = read_snapshot(ws, meeting, lambda a: None)
            found = preflight(
                meeting,
                {},
                today=date(2024, 4, 1),
                blobs_present=snapshot.blobs.keys(),
                elsewhere=snapshot.elsewhere,
            )
            return [f for f in found if f.rule.endswith("-elsewhere")]

        (here,) = shared(ws.meeting(later.id))
        # fail closed: the texts of a case closed elsewhere block the public edition
        assert here.severity is Severity.ERROR and here.rule == "closed-elsewhere"
        assert "Luk punktet her, eller fjern teksterne fra sagen" in here.message
        assert here.message.startswith("Punktet »2.2 Beslutningssag: Ansættelse af direktør")
        assert (
            "sagen 24/09999 er et lukket punkt på mødet »Møde i KKR Sjælland« tirsdag den "
            "16. april 2024" in here.message
        )
        (there,) = shared(ws.meeting(held.id))
        assert there.rule == "open-elsewhere" and "14. maj 2024" in there.message
        # an open case open on both (the evaluation) is no finding
        assert all("24/04521" not in f.message for f in [here, there])
        if isinstance(ws, InMemoryWorkspace):
            continue
        ws.close()
        # exit 1: the stand-in bilag bytes are no real files (errors of their own)
        proc = run("preflight", "--workspace", path, "--meeting", later.id, code=1)
        assert "FEJL: Punktet »2.2 Beslutningssag: Ansættelse af direktør" in proc.stdout
        assert "er et lukket punkt på mødet" in proc.stdout


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_preflight_warns_of_a_file_confidential_on_another_meeting(tmp_path, kind):
    from datetime import date

    from agenda.preflight import Severity, preflight
    from app.snapshots import read_snapshot

    ws = open_workspace(tmp_path / "w.kkrdb") if kind == "sqlite" else InMemoryWorkspace()
    try:
        held = _held(ws)
        # the tilbud, confidential in the held meeting, is made public for the next one
        draft = _edit_for_next_meeting(ws, _next_meeting(ws))

        def found(meeting: Meeting) -> list:
            snapshot = read_snapshot(ws, meeting, lambda a: None)
            every = preflight(
                meeting,
                {},
                today=date(2024, 4, 1),
                blobs_present=snapshot.blobs.keys(),
                elsewhere=snapshot.elsewhere,
            )
            return [f for f in every if f.rule == "confidential-elsewhere"]

        (warning,) = found(ws.meeting(draft.id))
        assert warning.severity is Severity.ERROR  # fail closed
        assert warning.attachment_title == "Tilbud fra konsulent"
        assert warning.message.startswith(
            "Bilaget »Tilbud fra konsulent« (tilbud.pdf) under punktet »2.1 Beslutningssag: "
            "Evaluering af klyngekontorer« ville komme med i den offentlige udgave, men den "
            "samme fil er fortrolig på en anden sag eller et andet møde"
        )
        assert "Markér bilaget som fortroligt her, eller fjern det" in warning.message
        assert found(ws.meeting(held.id)) == []  # confidential there: not published
    finally:
        if kind == "sqlite":
            ws.close()
