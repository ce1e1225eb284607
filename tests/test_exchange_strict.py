"""The exchange import reads what decides the public edition strictly and fails closed:
only JSON ``true`` publishes an item or a bilag, a missing ``public`` keeps it closed, and
attendance is ``true``, ``false`` or ``null``. (Values of the wrong type at every level –
``"false"``, ``0``, NaN, a lone surrogate, ``"version": true`` – are refused in the
hostile corpus: tests/hostile_json.py, run by tests/test_hostile_input.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agenda.errors import ExchangeError
from exchange.transfer import export_meeting, import_meeting
from export.pdf.pdf_clean import public_file_bytes
from storage.workspace import open_workspace
from tests import hostile
from tests.factories import row_counts


def _doc(item_public: object, file_public: object, present: object = None) -> dict:
    item: dict = {
        "kind": "decision",
        "name": "Trafikplan",
        "paper": {"reference": "24/00001", "name": "Trafikplan"},
        "files": [{"name": "Notat", "fileName": "notat.pdf"}],
    }
    for target, value in ((item, item_public), (item["files"][0], file_public)):
        if value is not _MISSING:
            target["public"] = value
    participant = {"name": "Mette Hansen"}
    if present is not _MISSING:
        participant["present"] = present
    return {
        "format": "kkr-dagsorden/meeting",
        "version": 1,
        "body": {"name": "KKR Sjælland"},
        "meeting": {
            "name": "Møde",
            "start": "2024-04-16T10:00:00+02:00",
            "participants": [participant],
        },
        "sections": [{"name": "Sager", "items": [item]}],
    }


_MISSING = object()


def _folder(where: Path, doc: dict) -> Path:
    where.mkdir(parents=True)
    (where / "notat.pdf").write_bytes(hostile.good_pdf("Notat om trafik"))
    (where / "meeting.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return where


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as workspace:
        yield workspace


@pytest.mark.parametrize(
    ("given", "published"),
    [(True, True), (False, False), (_MISSING, False)],
    ids=["true", "false", "missing"],
)
def test_only_true_publishes_an_item_or_a_bilag_and_missing_fails_closed(
    ws, tmp_path, given, published
):
    meeting = import_meeting(ws, _folder(tmp_path / "ind", _doc(given, given)))
    (item,) = meeting.agenda.items()
    assert item.closed is not published
    assert item.attachments[0].confidential is not published
    out = export_meeting(ws, meeting.id, tmp_path / "ud", public=True, clean_file=public_file_bytes)
    public = json.loads((out / "meeting.json").read_text("utf-8"))
    titles = [i["name"] for s in public["sections"] for i in s["items"]]
    assert titles == (["Trafikplan"] if published else [])


def test_an_open_item_keeps_its_bilag_closed_when_the_bilag_says_nothing(ws, tmp_path):
    meeting = import_meeting(ws, _folder(tmp_path / "ind", _doc(True, _MISSING)))
    (item,) = meeting.agenda.items()
    assert not item.closed and item.attachments[0].confidential
    out = export_meeting(ws, meeting.id, tmp_path / "ud", public=True, clean_file=public_file_bytes)
    assert not (out / "bilag").exists()


ATTENDANCE = [(None, None), (True, True), (False, False), (_MISSING, None)]


@pytest.mark.parametrize(
    ("given", "stored"), ATTENDANCE, ids=lambda v: "missing" if v is _MISSING else str(v)
)
def test_attendance_is_true_false_or_null(ws, tmp_path, given, stored):
    meeting = import_meeting(ws, _folder(tmp_path / "ind", _doc(True, True, given)))
    assert meeting.participants[0].present is stored


@pytest.mark.parametrize("value", ["ja", "true", 1, 0, [], {}], ids=repr)
def test_attendance_of_another_kind_is_refused_naming_the_participant(ws, tmp_path, value):
    folder = _folder(tmp_path / "ind", _doc(True, True, value))
    before = row_counts(ws.path)
    with pytest.raises(ExchangeError) as caught:
        import_meeting(ws, folder)
    assert row_counts(ws.path) == before
    said = f"feltet »present« skal være true, false eller null, ikke {json.dumps(value)}"
    assert f"deltager 1 (»Mette Hansen«): {said}" in caught.value.message
    assert str(folder) in caught.value.message
