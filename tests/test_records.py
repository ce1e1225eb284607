"""A meeting is a record (issue 14): every item has its own copy of its case, "Udsend"
freezes the exact files and the meeting, a held meeting refuses all but its minutes,
approving the minutes freezes them, and a later correction is an addition shown in them."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest

from agenda.errors import RecordLockedError, UserFacingError
from agenda.meeting_codec import meeting_from_dict, meeting_to_dict
from agenda.memory import InMemoryWorkspace
from agenda.model import Correction, MeetingStatus, Participant, TextSection
from agenda.operations import MoveItem, RemoveItem, ReplaceItem
from agenda.records import VersionKind
from agenda.snapshot import MeetingSnapshot
from app.records import (
    add_correction,
    approve_minutes,
    pull_case_text,
    send_meeting,
    write_sent_files,
)
from export.documents.docx_agenda import write_agenda_docx
from export.documents.pdf_agenda import write_agenda_pdf
from storage.workspace import open_workspace
from tests.factories import CET, attachment, case, document_meeting, item, meeting
from tests.pack_samples import pdf_pages

EVALUATION = "24/04521"
NOW = datetime(2024, 4, 9, 12, 30, tzinfo=CET)


def clock() -> datetime:
    return NOW


def _ws(kind: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    return open_workspace(tmp_path / "w.kkrdb") if kind == "sqlite" else InMemoryWorkspace()


def _close(ws) -> None:  # type: ignore[no-untyped-def]
    if hasattr(ws, "close"):
        ws.close()


def _item(m, reference: str):  # type: ignore[no-untyped-def]
    return next(i for i in m.agenda.items() if i.case and i.case.reference == reference)


def _pdf_meeting(ws, status=MeetingStatus.DRAFT):  # type: ignore[no-untyped-def]
    """A meeting whose bilag are real PDFs (no office suite needed): an open case with a
    public and a confidential bilag, and a closed item."""
    rapport = pdf_pages(["Evalueringsrapport side 1", "Evalueringsrapport side 2"])
    tilbud = pdf_pages(["Tilbud fra Konsulentfirmaet Ravnekilde"])
    profil = pdf_pages(["Kandidatprofil Quokkavej"])
    for data in (rapport, tilbud, profil):
        ws.store_blob(data)
    evaluation = case(
        "Evaluering af klyngekontorer",
        EVALUATION,
        attachments=(
            attachment("Evalueringsrapport", rapport, "rapport.pdf"),
            attachment("Tilbud fra konsulent", tilbud, "tilbud.pdf", confidential=True),
        ),
    )
    secret = case(
        "Ansættelse af direktør Zanzibarsen",
        "24/09999",
        attachments=(attachment("Kandidatprofil Quokkavej", profil, "profil.pdf"),),
        resume="Rekrutteringsudvalget anbefaler Xylofonia Zanzibarsen.",
    )
    m = meeting(
        [
            ("Indledning", [item("Godkendelse af dagsorden")]),
            (
                "Sager",
                [
                    item("Evaluering af klyngekontorer", case_=evaluation),
                    item("Ansættelse af direktør Zanzibarsen", case_=secret, closed=True),
                ],
            ),
        ],
        status=status,
    )
    return ws.save_meeting(m)


def _pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_sending_freezes_the_files_written_and_the_meeting(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        draft = _pdf_meeting(ws)
        outcome = send_meeting(ws, draft.id, "Til medlemmer og suppleanter", "anne", clock)
        assert outcome.problems == ()
        sent = ws.meeting(draft.id)
        assert sent.status is MeetingStatus.SENT
        (version,) = ws.sent_versions(draft.id)
        assert version.kind is VersionKind.AGENDA and version.parent_id is None
        assert (version.user, version.note) == ("anne", "Til medlemmer og suppleanter")
        assert version.at == NOW and version.at.utcoffset() == timedelta(0)  # stored in UTC
        names = [f.name for f in version.files]
        assert "Dagsorden KKR Sjælland 2024-04-16.docx" in names
        assert "Dagsorden KKR Sjælland 2024-04-16.pdf" in names
        assert "Bilagspakke KKR Sjælland 2024-04-16.pdf" in names
        assert "Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf" in names
        exchange = [n for n in names if n.startswith("udveksling/")]
        assert any(n.endswith("/meeting.json") for n in exchange)
        assert ws.sent_meeting(version.id) == sent

        # written again, byte for byte; each file's hash is the one recorded
        out = write_sent_files(ws, version.id, tmp_path / "igen")
        for f, path in zip(version.files, out, strict=True):
            data = path.read_bytes()
            assert hashlib.sha256(data).hexdigest() == f.sha256 and len(data) == f.size
            assert data == ws.sent_file(version.id, f.name)
        # the files are the real documents: the public pack leaks nothing closed
        public = tmp_path / "igen" / "Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf"
        text = _pdf_text(public.read_bytes())
        assert "Evalueringsrapport side 2" in text
        assert "Quokkavej" not in text and "Ravnekilde" not in text
        complete = _pdf_text(
            (tmp_path / "igen" / "Bilagspakke KKR Sjælland 2024-04-16.pdf").read_bytes()
        )
        assert "Ravnekilde" in complete and "Quokkavej" in complete
        agenda = docx.Document(str(tmp_path / "igen" / "Dagsorden KKR Sjælland 2024-04-16.docx"))
        assert any("Evaluering af klyngekontorer" in p.text for p in agenda.paragraphs)

        # editing the meeting, and the case in the library, changes no sent byte
        first = {f.name: ws.sent_file(version.id, f.name) for f in version.files}
        evaluation = _item(sent, EVALUATION)
        agenda_now, _ = ReplaceItem(
            replace(evaluation, case=evaluation.case.with_texts(resume="Efter udsendelsen."))
        ).apply(sent.agenda)
        ws.save_meeting(replace(sent, agenda=agenda_now))
        ws.save_case(ws.case_by_reference(EVALUATION).with_texts(resume="Biblioteket."))
        assert {f.name: ws.sent_file(version.id, f.name) for f in version.files} == first
        assert ws.sent_meeting(version.id) == sent

        # a second send is a version of its own, its parent the first
        second = send_meeting(ws, draft.id, "Rettet udgave", "anne", clock).version
        assert second.parent_id == version.id
        assert [v.id for v in ws.sent_versions(draft.id)] == [version.id, second.id]
        assert _item(ws.sent_meeting(second.id), EVALUATION).case.text(TextSection.RESUME) == (
            "Efter udsendelsen."
        )


def test_a_send_that_cannot_write_its_files_saves_nothing(tmp_path):
    def broken(repo, m, folder, task):  # type: ignore[no-untyped-def]
        raise UserFacingError("Disken er fuld.")

    with open_workspace(tmp_path / "w.kkrdb") as ws:
        draft = _pdf_meeting(ws)
        with pytest.raises(UserFacingError):
            send_meeting(ws, draft.id, "note", "anne", clock, files=broken)
        assert ws.meeting(draft.id) == draft
        assert ws.sent_versions(draft.id) == []


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_editing_a_draft_item_updates_the_library_but_never_another_meeting(tmp_path, kind):
    ws = _ws(kind, tmp_path)
    try:
        first = _pdf_meeting(ws)
        second = ws.save_meeting(replace(_pdf_meeting(ws), start=NOW + timedelta(days=30)))
        evaluation = _item(first, EVALUATION)
        edited = evaluation.case.with_texts(indstilling="Ny indstilling fra møde 1.")
        agenda, _ = ReplaceItem(replace(evaluation, case=edited)).apply(first.agenda)
        ws.save_meeting(replace(first, agenda=agenda))

        library = ws.case_by_reference(EVALUATION)
        assert library.text(TextSection.INDSTILLING) == "Ny indstilling fra møde 1."
        other = _item(ws.meeting(second.id), EVALUATION).case
        assert other.text(TextSection.INDSTILLING) != "Ny indstilling fra møde 1."
        # saving the other meeting (a move) does not write its older text back
        again = ws.meeting(second.id)
        moved, _ = MoveItem(_item(again, EVALUATION).id, 0, 0).apply(again.agenda)
        ws.save_meeting(replace(again, agenda=moved))
        assert ws.case_by_reference(EVALUATION) == library
        # "Hent sagens nyeste tekst" brings it into the other meeting, on request
        pulled = pull_case_text(ws, second.id, _item(again, EVALUATION).id)
        assert _item(pulled, EVALUATION).case.text(TextSection.INDSTILLING) == (
            "Ny indstilling fra møde 1."
        )
        assert ws.meeting(second.id) == pulled
    finally:
        _close(ws)


def _held(ws):  # type: ignore[no-untyped-def]
    m = document_meeting(held=True)
    for i in m.agenda.items():
        for a in i.attachments:
            ws.store_blob(a.file_name.rsplit(".", 1)[0].encode())
    return ws.save_meeting(m)


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_held_meeting_refuses_every_change_but_the_minutes(tmp_path, kind):
    ws = _ws(kind, tmp_path)
    try:
        held = _held(ws)
        evaluation = _item(held, EVALUATION)
        refused = [
            ReplaceItem(replace(evaluation, title="Ny titel")).apply(held.agenda)[0],
            ReplaceItem(
                replace(evaluation, case=evaluation.case.with_texts(resume="Omskrevet."))
            ).apply(held.agenda)[0],
            RemoveItem(evaluation.id).apply(held.agenda)[0],
            ReplaceItem(replace(evaluation, closed=True)).apply(held.agenda)[0],
        ]
        for agenda in refused:
            with pytest.raises(RecordLockedError, match="er afholdt, så dagsordenen er låst"):
                ws.save_meeting(replace(held, agenda=agenda))
        for change in (
            {"title": "Andet møde"},
            {"location": "Roskilde"},
            {"status": MeetingStatus.DRAFT},
        ):
            with pytest.raises(RecordLockedError):
                ws.save_meeting(replace(held, **change))
        with pytest.raises(RecordLockedError):
            pull_case_text(ws, held.id, evaluation.id)
        assert ws.meeting(held.id) == held

        # the minutes may change: a decision and the attendance
        agenda, _ = ReplaceItem(replace(evaluation, decision="Udsat.")).apply(held.agenda)
        people = (Participant("Mette Hansen", "Formand", present=False), held.participants[1])
        saved = ws.save_meeting(replace(held, agenda=agenda, participants=people))
        assert _item(ws.meeting(held.id), EVALUATION).decision == "Udsat."
        assert ws.meeting(held.id).participants[0].present is False
        assert ws.meeting(held.id) == saved
    finally:
        _close(ws)


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_approving_the_minutes_freezes_them_and_a_correction_is_an_addition(tmp_path, kind):
    ws = _ws(kind, tmp_path)
    try:
        held = _held(ws)
        with pytest.raises(UserFacingError, match="ikke godkendt endnu"):
            add_correction(ws, held.id, "For tidligt.", "anne", clock)
        outcome = approve_minutes(ws, held.id, "anne", clock, note="Godkendt 14. maj")
        approved = ws.meeting(held.id)
        assert approved.status is MeetingStatus.MINUTES_APPROVED
        version = outcome.version
        assert version.kind is VersionKind.MINUTES and ws.sent_meeting(version.id) == approved
        names = [f.name for f in version.files]
        assert names == [
            "Referat KKR Sjælland 2024-04-16.docx",
            "Referat KKR Sjælland 2024-04-16.pdf",
            "Referat KKR Sjælland 2024-04-16 (offentlig).pdf",
        ]
        frozen = _pdf_text(ws.sent_file(version.id, names[1]))
        assert "Godkendt som indstillet." in frozen and "Pelikanudvalget" in frozen
        assert "Pelikanudvalget" not in _pdf_text(ws.sent_file(version.id, names[2]))

        # the decision cannot be changed any more, nor can it be held again
        evaluation = _item(approved, EVALUATION)
        agenda, _ = ReplaceItem(replace(evaluation, decision="Noget andet.")).apply(approved.agenda)
        with pytest.raises(RecordLockedError, match="er godkendt og kan ikke ændres"):
            ws.save_meeting(replace(approved, agenda=agenda))
        with pytest.raises(RecordLockedError):
            ws.save_meeting(replace(approved, status=MeetingStatus.HELD))
        assert ws.meeting(held.id) == approved

        secret = next(i for i in approved.agenda.items() if i.closed)
        add_correction(ws, held.id, "Beløbet er 2 mio. kr., ikke 3.", "anne", clock, evaluation.id)
        add_correction(ws, held.id, "Marmeladesagen rettet.", "bo", clock, secret.id)
        corrected = add_correction(ws, held.id, "Ole Pedersen deltog fra kl. 11.", "bo", clock)
        assert ws.meeting(held.id) == corrected
        assert [c.user for c in corrected.corrections] == ["anne", "bo", "bo"]
        # the decision is still the approved one; the correction stands beside it
        assert _item(ws.meeting(held.id), EVALUATION).decision == evaluation.decision
    finally:
        _close(ws)


def test_corrections_are_shown_in_the_minutes_docx_and_pdf(tmp_path):
    held = document_meeting(held=True)
    evaluation = _item(held, EVALUATION)
    secret = next(i for i in held.agenda.items() if i.closed)
    at = datetime(2024, 5, 14, 9, 0, tzinfo=UTC)
    m = replace(
        held,
        status=MeetingStatus.MINUTES_APPROVED,
        corrections=(
            Correction(at, "Anne Berg", "Beløbet er 2 mio. kr.", evaluation.id),
            Correction(at, "Bo Holm", "Pelikanrettelsen.", secret.id),
            Correction(at, "Bo Holm", "Ole Pedersen deltog fra kl. 11.", None),
        ),
    )
    snapshot = MeetingSnapshot(m)
    full = docx.Document(str(write_agenda_docx(snapshot, tmp_path / "r.docx", minutes=True)))
    lines = [p.text for p in full.paragraphs]
    line = "Rettelse 14. maj 2024 (Anne Berg): Beløbet er 2 mio. kr."
    at_line = lines.index(line)
    # under the evaluation's decision, right after the decision itself
    decision = max(i for i, x in enumerate(lines) if "Sekretariatet følger op." in x)
    assert decision == at_line - 1
    heading = "2.2 Orienteringssag: Status på sundhedsaftalen"  # in the contents, and then:
    assert max(i for i, x in enumerate(lines) if x == heading) > at_line
    assert "Rettelse 14. maj 2024 (Bo Holm): Pelikanrettelsen." in lines
    assert any("Ole Pedersen deltog fra kl. 11." in x for x in _docx_all_text(full))
    pdf = _pdf_text(write_agenda_pdf(snapshot, tmp_path / "r.pdf", minutes=True).read_bytes())
    assert "Rettelse 14. maj 2024 (Anne Berg): Beløbet er 2 mio. kr." in " ".join(pdf.split())
    assert "Rettelser til referatet" in pdf

    public = write_agenda_pdf(snapshot, tmp_path / "o.pdf", minutes=True, public=True)
    text = " ".join(_pdf_text(public.read_bytes()).split())
    assert "Rettelse 14. maj 2024 (Anne Berg): Beløbet er 2 mio. kr." in text
    assert "Pelikan" not in text and "deltog fra kl. 11" not in text
    # the agenda (not minutes) shows no corrections
    agenda = docx.Document(str(write_agenda_docx(snapshot, tmp_path / "d.docx")))
    assert not any("Rettelse" in p.text for p in agenda.paragraphs)


def _docx_all_text(document) -> list[str]:  # type: ignore[no-untyped-def]
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [cell.text for cell in row.cells]
    return found


def test_a_meeting_survives_its_codec_exactly():
    held = document_meeting(held=True)
    at = datetime(2024, 5, 14, 9, 0, tzinfo=UTC)
    m = replace(
        held,
        extra={"x-custom": [1, "to"]},
        corrections=(Correction(at, "Anne", "Tekst", held.agenda.items()[0].id),),
    )
    back = meeting_from_dict(meeting_to_dict(m))
    assert back == m and back.extra == m.extra
    assert back.agenda.items()[2].case.attachments == m.agenda.items()[2].case.attachments


def _as_v3(path: Path, draft_id: int) -> None:
    """Turn a workspace made by this version into the schema v3 file the version before
    wrote: v4's tables gone, and the draft's items without their own copy (v3 kept copies
    for sent and held meetings only)."""
    import sqlite3

    from storage import schema

    with sqlite3.connect(path) as conn:
        for table in ("corrections", "sent_version_files", "sent_versions"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM item_cases WHERE meeting_id = ?", (draft_id,))
        conn.execute("PRAGMA user_version = 3")
    genuine = sqlite3.connect(":memory:")
    for migration in schema.MIGRATIONS[:3]:
        migration(genuine)
    with sqlite3.connect(path) as conn:
        tables = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        assert conn.execute(tables).fetchall() == genuine.execute(tables).fetchall()
        assert (
            conn.execute(
                "SELECT count(*) FROM item_case_attachments a JOIN item_cases c"
                " ON c.item_id = a.item_id WHERE c.meeting_id = ?",
                (draft_id,),
            ).fetchone()[0]
            == 0
        )


def test_a_v3_workspace_gives_every_draft_item_its_own_copy_when_opened(tmp_path):
    import sqlite3

    from storage import schema

    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        held = _held(ws)
        draft = _pdf_meeting(ws)
        # in v3 a draft showed the library's case: the library is what it must keep
        library = ws.case_by_reference(EVALUATION).with_texts(resume="Bibliotekets tekst.")
        ws.save_case(library)
        before_held = ws.meeting(held.id)
    _as_v3(path, draft.id)

    with open_workspace(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert ws.meeting(held.id) == before_held
        mine = _item(ws.meeting(draft.id), EVALUATION).case
        assert mine.text(TextSection.RESUME) == "Bibliotekets tekst."
        assert [a.title for a in mine.attachments] == ["Evalueringsrapport", "Tilbud fra konsulent"]
        assert [a.confidential for a in mine.attachments] == [False, True]
        rows = ws.conn.execute(
            "SELECT count(*) FROM item_cases WHERE meeting_id = ?", (draft.id,)
        ).fetchone()[0]
        assert rows == 2  # both case items of the draft
        # from now on the library's edits stay out of the draft until pulled
        ws.save_case(ws.case_by_reference(EVALUATION).with_texts(resume="Senere."))
        assert _item(ws.meeting(draft.id), EVALUATION).case.text(TextSection.RESUME) == (
            "Bibliotekets tekst."
        )
        assert ws.meeting(held.id) == before_held
        # and the new tables work: the draft can be sent
        send_meeting(ws, draft.id, "note", "anne", clock)
        assert len(ws.sent_versions(draft.id)) == 1
    with sqlite3.connect(tmp_path / "w.kkrdb.backup-v3") as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 3
        assert (
            backup.execute(
                "SELECT count(*) FROM item_cases WHERE meeting_id = ?", (draft.id,)
            ).fetchone()[0]
            == 0
        )


def test_exchange_version_2_carries_the_items_texts_and_the_sent_versions(tmp_path):
    import json

    from exchange.transfer import export_meeting, import_meeting
    from export.pdf.pdf_clean import public_file_bytes

    with open_workspace(tmp_path / "w.kkrdb") as ws:
        draft = _pdf_meeting(ws)
        version = send_meeting(ws, draft.id, "Til medlemmerne", "anne", clock).version
        sent = ws.meeting(draft.id)
        evaluation = _item(sent, EVALUATION)
        own = evaluation.case.with_texts(resume="Kun på dette møde.")
        agenda, _ = ReplaceItem(replace(evaluation, case=own)).apply(sent.agenda)
        ws.save_meeting(replace(sent, agenda=agenda))
        folder = export_meeting(ws, draft.id, tmp_path / "ud")
        public = export_meeting(
            ws, draft.id, tmp_path / "offentlig", public=True, clean_file=public_file_bytes
        )
    doc = json.loads((folder / "meeting.json").read_text("utf-8"))
    assert doc["version"] == 2
    texts = doc["sections"][1]["items"][0]["paper"]["texts"]
    assert texts["resume"] == "Kun på dette møde."  # the item's own text, not the library's
    (listed,) = doc["meeting"]["sentVersions"]
    assert listed["id"] == version.id and listed["note"] == "Til medlemmerne"
    assert listed["user"] == "anne" and listed["at"] == "2024-04-09T10:30:00+00:00"
    assert {(f["name"], f["sha256"]) for f in listed["files"]} == {
        (f.name, f.sha256) for f in version.files
    }
    public_doc = json.loads((public / "meeting.json").read_text("utf-8"))
    assert "sentVersions" not in public_doc["meeting"]

    # a version 2 file imports (its versions kept as data for the round trip) ...
    with open_workspace(tmp_path / "andet.kkrdb") as other:
        imported = import_meeting(other, folder)
        assert other.sent_versions(imported.id) == []
        assert _item(imported, EVALUATION).case.text(TextSection.RESUME) == ("Kun på dette møde.")
        again = export_meeting(other, imported.id, tmp_path / "igen")
    assert (
        json.loads((again / "meeting.json").read_text("utf-8"))["meeting"]["sentVersions"]
        == doc["meeting"]["sentVersions"]
    )
    # ... and so does a version 1 file, as before
    doc["version"] = 1
    del doc["meeting"]["sentVersions"]
    (folder / "meeting.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    with open_workspace(tmp_path / "tredje.kkrdb") as third:
        assert _item(import_meeting(third, folder), EVALUATION).case.title == (
            "Evaluering af klyngekontorer"
        )


def test_saving_a_draft_with_an_emptied_section_does_not_write_its_old_text_to_the_library(
    tmp_path,
):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        first = _pdf_meeting(ws)
        evaluation = _item(first, EVALUATION)
        cleared = evaluation.case.with_texts(oekonomi="")  # the user emptied a field
        agenda, _ = ReplaceItem(replace(evaluation, case=cleared)).apply(first.agenda)
        first = ws.save_meeting(replace(first, agenda=agenda))
        first = replace(first, agenda=agenda, version=first.version)  # the window's copy
        # the library moves on (edited for another meeting) ...
        ws.save_case(ws.case_by_reference(EVALUATION).with_texts(resume="Nyere tekst."))
        # ... and a move on the first meeting does not write its older text back
        moved, _ = MoveItem(evaluation.id, 0, 0).apply(first.agenda)
        ws.save_meeting(replace(first, agenda=moved))
        assert ws.case_by_reference(EVALUATION).text(TextSection.RESUME) == "Nyere tekst."


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_body_edited_through_another_meeting_does_not_lock_out_the_minutes(tmp_path, kind):
    ws = _ws(kind, tmp_path)
    try:
        held = _held(ws)
        other = _pdf_meeting(ws)
        ws.save_meeting(replace(other, body=replace(other.body, default_place="Roskilde")))
        evaluation = _item(held, EVALUATION)
        agenda, _ = ReplaceItem(replace(evaluation, decision="Udsat.")).apply(held.agenda)
        ws.save_meeting(replace(held, agenda=agenda))  # the window's copy, older body
        assert _item(ws.meeting(held.id), EVALUATION).decision == "Udsat."
    finally:
        _close(ws)
