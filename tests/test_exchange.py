"""The meeting exchange format: round trip with unknown fields, the three kinds of source,
no duplicates on a second import (the meeting refused, or imported as a new one beside
it on request), and every kind of bad input refused with a Danish message and nothing
half-imported."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from agenda.errors import DuplicateMeetingError, ExchangeError
from agenda.model import TextSection
from exchange.transfer import export_meeting, import_meeting
from export.pdf.pdf_clean import public_file_bytes
from storage.workspace import open_workspace
from tests.factories import row_counts


def _pdf(text: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def _document() -> dict:
    return {
        "format": "kkr-dagsorden/meeting",
        "version": 1,
        "x-source": {"system": "ESDH", "exported": "2024-04-01"},
        "body": {"name": "KKR Sjælland", "numbering": "section", "x-body": 1},
        "meeting": {
            "name": "Møde i KKR Sjælland",
            "start": "2024-04-16T10:00:00+02:00",
            "end": "2024-04-16T13:00:00+02:00",
            "location": "Comwell Køge Strand, Strandvejen 111, 4600 Køge",
            "state": "draft",
            "participants": [
                {
                    "name": "Mette Hansen",
                    "role": "Formand",
                    "present": None,
                    "x-email": "mh@example.dk",
                }
            ],
            "x-meeting": [1, 2],
        },
        "sections": [
            {
                "name": "Indledning",
                "x-section": True,
                "items": [
                    {"kind": "approval", "name": "Godkendelse af dagsorden", "public": True},
                ],
            },
            {
                "name": "Sager",
                "items": [
                    {
                        "number": "2.1",
                        "kind": "decision",
                        "public": True,
                        "x-item": "a",
                        "paper": {
                            "reference": "24/04521",
                            "name": "Evaluering af regionale klyngekontorer",
                            "officer": "Jens Jensen",
                            "x-paper": {"k": "v"},
                            "texts": {
                                "resume": "Kort resumé.",
                                "indstilling": "Det indstilles, at KKR Sjælland godkender.",
                                "x-text": "ekstra",
                            },
                        },
                        "resolution": None,
                        "files": [
                            {
                                "name": "Evalueringsrapport",
                                "fileName": "bilag/rapport æøå.pdf",
                                "public": True,
                                "x-file": 7,
                            },
                            {
                                "name": "Tilbud",
                                "fileName": "bilag/under/tilbud.pdf",
                                "public": False,
                            },
                        ],
                    },
                    {
                        "kind": "decision",
                        "name": "Ansættelse af direktør",
                        "public": False,
                        "paper": {"reference": "24/00666", "name": "Ansættelse af direktør"},
                    },
                ],
            },
        ],
    }


def _write(folder: Path, doc: dict | None = None) -> Path:
    (folder / "bilag" / "under").mkdir(parents=True, exist_ok=True)
    (folder / "bilag" / "rapport æøå.pdf").write_bytes(_pdf("Evalueringsrapport"))
    (folder / "bilag" / "under" / "tilbud.pdf").write_bytes(_pdf("Fortroligt tilbud"))
    (folder / "meeting.json").write_text(
        json.dumps(doc or _document(), ensure_ascii=False), "utf-8"
    )
    return folder


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as workspace:
        yield workspace


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_export_import_export_gives_the_same_json_and_bytes(ws, tmp_path):
    first = import_meeting(ws, _write(tmp_path / "ind"))
    out1 = export_meeting(ws, first.id, tmp_path / "ud1")
    with open_workspace(tmp_path / "other.kkrdb") as other:
        second = import_meeting(other, out1)
        out2 = export_meeting(other, second.id, tmp_path / "ud2")
    one, two = _tree(out1), _tree(out2)
    assert one == two
    doc = json.loads(one["meeting.json"])
    # unknown fields at every level came through
    assert doc["x-source"] == {"system": "ESDH", "exported": "2024-04-01"}
    assert doc["body"]["x-body"] == 1 and doc["meeting"]["x-meeting"] == [1, 2]
    assert doc["meeting"]["participants"][0]["x-email"] == "mh@example.dk"
    assert doc["sections"][0]["x-section"] is True
    item = doc["sections"][1]["items"][0]
    assert item["x-item"] == "a" and item["paper"]["x-paper"] == {"k": "v"}
    assert item["paper"]["texts"]["x-text"] == "ekstra"
    assert item["files"][0]["x-file"] == 7 and item["number"] == "2.1"
    for f in item["files"]:
        assert hashlib.sha256(one[f["fileName"]]).hexdigest() == f["sha256"]


def test_json_path_and_zip_of_the_folder_import_too(ws, tmp_path):
    folder = _write(tmp_path / "Møde 16. april")
    assert import_meeting(ws, folder / "meeting.json").title == "Møde i KKR Sjælland"
    archive = tmp_path / "møde.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in folder.rglob("*"):
            if path.is_file():
                z.write(path, f"Møde 16. april/{path.relative_to(folder)}")
    with open_workspace(tmp_path / "zip.kkrdb") as other:  # the same meeting: elsewhere
        meeting = import_meeting(other, archive)
    files = [a.file_name for a in meeting.agenda.items()[1].attachments]
    assert files == ["rapport æøå.pdf", "tilbud.pdf"]


def test_importing_twice_makes_no_second_case_or_blob(ws, tmp_path):
    folder = _write(tmp_path / "ind")
    import_meeting(ws, folder)
    before = row_counts(ws.path)
    again = import_meeting(ws, folder, as_new=True)
    after = row_counts(ws.path)
    assert after["cases"] == before["cases"] == 2
    assert after["blobs"] == before["blobs"] == 2
    assert after["meetings"] == 2
    assert again.agenda.items()[1].case.reference == "24/04521"


def _dump(path: Path) -> list:
    """Every row of every table: what "nothing changed" means."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [(t, sorted(map(repr, conn.execute(f"SELECT * FROM {t}")))) for t in tables]


def test_a_meeting_the_workspace_has_is_refused_naming_it_and_nothing_changes(ws, tmp_path):
    folder = _write(tmp_path / "ind")
    first = import_meeting(ws, folder)
    before = _dump(ws.path)
    with pytest.raises(DuplicateMeetingError) as caught:
        import_meeting(ws, folder)
    error = caught.value
    assert error.existing_id == first.id
    assert error.message.startswith(
        "Mødet findes allerede i arbejdsområdet: »Møde i KKR Sjælland«, KKR Sjælland, "
        f"tirsdag den 16. april 2024 kl. 10.00 (møde {first.id})."
    )
    assert "Intet er importeret" in error.message and str(folder) in error.message
    assert "som et nyt møde" in error.message  # what to do
    assert _dump(ws.path) == before


def test_the_same_start_written_at_another_utc_offset_is_the_same_meeting(ws, tmp_path):
    import_meeting(ws, _write(tmp_path / "ind"))
    doc = _document()
    doc["meeting"]["start"] = "2024-04-16T08:00:00+00:00"
    doc["meeting"]["name"] = "Et andet navn for samme møde"
    with pytest.raises(DuplicateMeetingError):
        import_meeting(ws, _write(tmp_path / "utc", doc))
    doc["meeting"]["start"] = "2024-04-16T10:00:00"  # no offset: the same wall-clock time
    with pytest.raises(DuplicateMeetingError):
        import_meeting(ws, _write(tmp_path / "uden", doc))


def test_another_start_or_another_body_is_another_meeting(ws, tmp_path):
    import_meeting(ws, _write(tmp_path / "ind"))
    later = _document()
    later["meeting"]["start"] = "2024-04-16T14:00:00+02:00"
    import_meeting(ws, _write(tmp_path / "senere", later))
    other_body = _document()
    other_body["body"]["name"] = "KKR Hovedstaden"
    import_meeting(ws, _write(tmp_path / "andet", other_body))
    assert len(ws.meetings()) == 3


def test_as_new_leaves_the_existing_meeting_its_cases_and_body_unchanged(ws, tmp_path):
    first = import_meeting(ws, _write(tmp_path / "ind"))
    # the meeting is held: a decision is written and a case's text edited in the workspace
    sections = list(first.agenda.sections)
    item = sections[1].items[0]
    edited = replace(
        item, decision="KKR Sjælland godkendte.", case=item.case.with_texts(resume="Rettet.")
    )
    sections[1] = replace(sections[1], items=(edited, *sections[1].items[1:]))
    held = ws.save_meeting(replace(first, agenda=replace(first.agenda, sections=tuple(sections))))
    kept = ws.meeting(held.id)
    # the file comes again, with other texts, another bilag and flat numbering
    doc = _document()
    doc["body"]["numbering"] = "flat"
    for section in doc["sections"]:
        for doc_item in section["items"]:
            doc_item.pop("number", None)
    paper_item = doc["sections"][1]["items"][0]
    paper_item["paper"]["texts"]["resume"] = "Filens resumé."
    folder = _write(tmp_path / "igen", doc)
    (folder / "bilag" / "rapport æøå.pdf").write_bytes(_pdf("En anden rapport"))
    before = row_counts(ws.path)

    new = import_meeting(ws, folder, as_new=True)

    assert new.id != held.id
    assert ws.meeting(held.id) == kept  # decision, case texts, bilag, numbering: all as they were
    assert ws.bodies()[0].numbering.value == "section"
    case = new.agenda.items()[1].case
    assert case.id == edited.case.id and case.text(TextSection.RESUME) == "Rettet."
    assert new.agenda.items()[1].decision == ""  # the new meeting has the file's items
    after = row_counts(ws.path)
    # no second case; the other rapport is not stored, since no bilag holds it
    assert after["cases"] == before["cases"] and after["blobs"] == before["blobs"]
    assert after["meetings"] == before["meetings"] + 1


def test_as_new_keeps_the_cases_of_every_copy_already_imported(ws, tmp_path):
    folder = _write(tmp_path / "ind")
    first = import_meeting(ws, folder)
    second = import_meeting(ws, folder, as_new=True)
    # the case leaves the first meeting, and is edited on the second, the only one it is on
    sections = list(first.agenda.sections)
    sections[1] = replace(sections[1], items=sections[1].items[1:])
    ws.save_meeting(replace(first, agenda=replace(first.agenda, sections=tuple(sections))))
    sections = list(second.agenda.sections)
    item = sections[1].items[0]
    edited = replace(item, case=item.case.with_texts(resume="Rettet på kopien."))
    sections[1] = replace(sections[1], items=(edited, *sections[1].items[1:]))
    ws.save_meeting(replace(second, agenda=replace(second.agenda, sections=tuple(sections))))

    import_meeting(ws, folder, as_new=True)
    case = ws.case_by_reference("24/04521")
    assert case is not None and case.text(TextSection.RESUME) == "Rettet på kopien."


def test_as_new_without_a_meeting_to_keep_is_an_ordinary_import(ws, tmp_path):
    meeting = import_meeting(ws, _write(tmp_path / "ind"), as_new=True)
    assert [m.id for m in ws.meetings()] == [meeting.id]


def test_public_export_leaves_out_closed_items_and_confidential_files(ws, tmp_path):
    meeting = import_meeting(ws, _write(tmp_path / "ind"))
    out = export_meeting(
        ws, meeting.id, tmp_path / "ud", zip=True, public=True, clean_file=public_file_bytes
    )
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        blob = b"".join(z.read(n) for n in names)
    assert not any("tilbud" in n for n in names)
    assert "direktør".encode() not in blob and b"24/00666" not in blob
    assert b"Tilbud" not in blob and "(offentlig)" in out.name


def _refused(ws, path: Path, *words: str) -> str:
    before = row_counts(ws.path)
    with pytest.raises(ExchangeError) as caught:
        import_meeting(ws, path)
    assert row_counts(ws.path) == before
    for word in words:
        assert word in caught.value.message
    return caught.value.message


def _broken(tmp_path: Path, change) -> Path:
    doc = _document()
    change(doc)
    return _write(tmp_path / "ind", doc)


def _item(doc: dict) -> dict:
    return doc["sections"][1]["items"][0]


def test_malformed_json(ws, tmp_path):
    folder = _write(tmp_path / "ind")
    (folder / "meeting.json").write_text('{"format": "kkr-dagsorden/meeting", ', "utf-8")
    _refused(ws, folder, "ikke gyldig JSON", "linje 1")


def test_wrong_format_and_higher_version(ws, tmp_path):
    _refused(ws, _broken(tmp_path, lambda d: d.update(format="oparl")), "format")
    _refused(
        ws, _broken(tmp_path, lambda d: d.update(version=3)), "version 3", "Opdatér programmet"
    )


def test_unknown_kind(ws, tmp_path):
    _refused(
        ws,
        _broken(tmp_path, lambda d: _item(d).update(kind="vote")),
        "ukendt type",
        "vote",
        "Evaluering",
    )


def test_attachment_missing_or_a_folder(ws, tmp_path):
    folder = _write(tmp_path / "ind")
    (folder / "bilag" / "rapport æøå.pdf").unlink()
    _refused(ws, folder, "rapport æøå.pdf", "findes ikke", "Evaluering")
    (folder / "bilag" / "rapport æøå.pdf").mkdir()
    _refused(ws, folder, "er en mappe")


def test_the_same_item_twice(ws, tmp_path):
    def twice(doc):
        doc["sections"][1]["items"].append(json.loads(json.dumps(_item(doc))))
        doc["sections"][1]["items"][-1].pop("number")

    _refused(ws, _broken(tmp_path, twice), "to gange", "2.1", "2.3")


def test_empty_title(ws, tmp_path):
    def empty(doc):
        doc["sections"][0]["items"][0]["name"] = "  "

    _refused(ws, _broken(tmp_path, empty), "ingen titel")


@pytest.mark.parametrize("name", ["../hemmelig.pdf", "/etc/passwd", "C:/Windows/x.pdf"])
def test_file_names_outside_the_folder(ws, tmp_path, name):
    def outside(doc):
        _item(doc)["files"][0]["fileName"] = name

    _refused(ws, _broken(tmp_path, outside), "inde i mødets mappe")


def test_sha256_mismatch_and_number_mismatch(ws, tmp_path):
    def wrong_sha(doc):
        _item(doc)["files"][0]["sha256"] = "0" * 64

    _refused(ws, _broken(tmp_path, wrong_sha), "sha256 passer ikke")

    def wrong_number(doc):
        _item(doc)["number"] = "2.7"

    _refused(ws, _broken(tmp_path, wrong_number), "2.7", "2.1", "Evaluering")


def test_zip_without_meeting_json(ws, tmp_path):
    archive = tmp_path / "tom.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bilag/x.pdf", _pdf("x"))
    _refused(ws, archive, "ingen meeting.json")


def test_the_public_edition_reimports_and_is_readable_by_colleagues(ws, tmp_path):
    import os
    import stat

    meeting = import_meeting(ws, _write(tmp_path / "ind"))
    out = export_meeting(ws, meeting.id, tmp_path / "ud", public=True, clean_file=public_file_bytes)
    doc = json.loads((out / "meeting.json").read_text("utf-8"))
    assert all("number" not in i for s in doc["sections"] for i in s["items"])
    again = import_meeting(ws, out, as_new=True)  # the same meeting: beside it, on request
    assert [i.title for i in again.agenda.items()] == [
        "Godkendelse af dagsorden",
        "Evaluering af regionale klyngekontorer",
    ]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
    zipped = export_meeting(ws, meeting.id, tmp_path / "ud", zip=True)
    assert stat.S_IMODE(zipped.stat().st_mode) == 0o666 & ~umask


def test_an_unknown_text_section_in_the_file_does_not_break_reading(ws, tmp_path):
    meeting = import_meeting(ws, _write(tmp_path / "ind"))
    ws.conn.execute("UPDATE cases SET texts = json_set(texts, '$.okonomi', 'x')")
    # the meeting reads its items' own copies (schema v4): theirs hold it too
    ws.conn.execute("UPDATE item_cases SET texts = json_set(texts, '$.okonomi', 'x')")
    assert ws.meeting(meeting.id).agenda.items()[1].case.reference == "24/04521"
