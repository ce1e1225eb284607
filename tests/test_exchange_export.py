"""The exchange export: the public meeting.json holds only the fields the format
documents (no unknown field, no section left with only closed items), attendance is
never written as invalid JSON, and an export killed between its two renames loses
nothing: the next export puts the earlier one back, then cleans what the kill left."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from agenda.errors import ExchangeError
from agenda.model import AgendaItem, ItemKind, Meeting, Participant
from exchange.files import _digest, recover
from exchange.read import KNOWN
from exchange.transfer import export_meeting, import_meeting
from export.pdf.pdf_clean import public_file_bytes
from storage.workspace import open_workspace
from tests import factories, hostile

ROOT = Path(__file__).resolve().parent.parent


def _strict(text: str) -> object:
    """JSON as any other reader takes it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> object:
        raise AssertionError(f"{name} in meeting.json")

    return json.loads(text, parse_constant=refuse)


def _extra(value: object) -> MappingProxyType:
    return MappingProxyType({"x-ukendt": value})


def _meeting_with_unknown_fields() -> Meeting:
    """Unknown fields on every level, as an import from another system keeps them."""
    case = factories.case("Trafikplan", "24/00001")
    case = replace(case, extra=MappingProxyType({"x-ukendt": "paper", "$texts": {"x-t": "t"}}))
    open_item = replace(factories.item("Trafikplan", case_=case), extra=_extra("item"))
    closed = AgendaItem(ItemKind.DECISION, "Personalesag", closed=True)
    meeting = factories.meeting(
        [("Sager", [open_item]), ("Lukket afsnit", [closed]), ("Tomt", [])],
        participants=(Participant("Mette Hansen", "Formand", None, _extra("participant")),),
        extra=MappingProxyType({"x-ukendt": "meeting", "$document": {"x-ukendt": "document"}}),
    )
    meeting = replace(
        meeting,
        body=replace(meeting.body, extra=_extra("body")),
        agenda=replace(
            meeting.agenda,
            sections=tuple(replace(s, extra=_extra("section")) for s in meeting.agenda.sections),
        ),
    )
    return meeting


def test_the_public_meeting_json_holds_only_documented_fields_and_public_sections(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        meeting = ws.save_meeting(_meeting_with_unknown_fields())
        complete = export_meeting(ws, meeting.id, tmp_path / "ud")
        public = export_meeting(
            ws, meeting.id, tmp_path / "ud", public=True, clean_file=public_file_bytes
        )
    full = json.loads((complete / "meeting.json").read_text("utf-8"))
    doc = json.loads((public / "meeting.json").read_text("utf-8"))
    # the complete edition keeps every unknown field (the round trip)...
    assert full["x-ukendt"] == "document" and full["body"]["x-ukendt"] == "body"
    assert [s["name"] for s in full["sections"]] == ["Sager", "Lukket afsnit", "Tomt"]
    # ... the public one none, and no section without a public item
    assert set(doc) <= KNOWN["document"]
    assert set(doc["body"]) <= KNOWN["body"] and set(doc["meeting"]) <= KNOWN["meeting"]
    assert all(set(p) <= KNOWN["participant"] for p in doc["meeting"]["participants"])
    assert [s["name"] for s in doc["sections"]] == ["Sager"]
    (section,) = doc["sections"]
    assert set(section) <= KNOWN["section"]
    (item,) = section["items"]
    assert set(item) <= KNOWN["item"] and set(item["paper"]) <= KNOWN["paper"]
    assert set(item["paper"]["texts"]) <= {"resume", "baggrund", "indstilling"}
    assert "x-ukendt" not in (public / "meeting.json").read_text("utf-8")


def test_attendance_an_older_version_stored_is_written_as_valid_json(tmp_path):
    people = (
        Participant("Mette Hansen", "Formand", True),
        Participant("Ole Pedersen", "", "ja"),  # type: ignore[arg-type]
        Participant("Anne Berg", "", math.nan),  # type: ignore[arg-type]
    )
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        meeting = ws.save_meeting(factories.meeting(participants=people))
        for public in (False, True):
            out = export_meeting(
                ws, meeting.id, tmp_path / "ud", public=public, clean_file=public_file_bytes
            )
            doc = _strict((out / "meeting.json").read_text("utf-8"))
            present = [p["present"] for p in doc["meeting"]["participants"]]  # type: ignore[index]
            assert present == [True, None, None]
        again = import_meeting(ws, out, as_new=True)
    assert [p.present for p in again.participants] == [True, None, None]


def test_nan_in_an_unknown_field_is_refused_not_written(tmp_path):
    meeting = factories.meeting(extra=_extra(math.nan))
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        meeting = ws.save_meeting(meeting)
        with pytest.raises(ExchangeError) as caught:
            export_meeting(ws, meeting.id, tmp_path / "ud")
    assert "ikke kan skrives som JSON" in caught.value.message
    assert not (tmp_path / "ud" / "Møde KKR Sjælland 2024-04-16").exists()


# -- a kill between the two renames ----------------------------------------------------

#: Exports the meeting, and is killed (SIGKILL) the moment the new folder is to take the
#: target's name: the earlier export has just been moved aside.
_KILLED_CHILD = r"""
import os, signal, sys
from pathlib import Path

real_replace = os.replace

def replace(src, dst, *args, **kwargs):
    if Path(src).name.startswith(".kkr-eksport-") and Path(dst).name == sys.argv[4]:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *args, **kwargs)

os.replace = replace
from exchange.transfer import export_meeting
from storage.workspace import open_workspace

with open_workspace(Path(sys.argv[1]), create=False) as ws:
    export_meeting(ws, int(sys.argv[2]), Path(sys.argv[3]))
"""

NAME = "Møde KKR Sjælland 2024-04-16"


def _hidden(out: Path) -> list[str]:
    return sorted(p.name.split("-")[1] for p in out.iterdir() if p.name.startswith("."))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def killed(tmp_path: Path) -> dict:
    """A workspace whose meeting was exported, changed, and exported again by a process
    killed between the renames. Checks that the kill came where it was meant to."""
    ws_path, out = tmp_path / "w.kkrdb", tmp_path / "ud"
    data = hostile.good_pdf("Bilag til trafikplanen")
    bilag = factories.attachment("Notat", data, "notat.pdf")
    case = factories.case("Trafikplan", "24/00001", attachments=(bilag,))
    with open_workspace(ws_path) as ws:
        ws.store_blob(data)
        meeting = ws.save_meeting(
            factories.meeting([("Sager", [factories.item("Trafikplan", case_=case)])])
        )
        earlier = _tree(export_meeting(ws, meeting.id, out))
        ws.save_meeting(replace(meeting, location="Roskilde Kongrescenter"))
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_CHILD, str(ws_path), str(meeting.id), str(out), NAME],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # what the kill left: no export under the target's name, the earlier one moved aside
    # and the new one complete but hidden
    assert not (out / NAME).exists()
    assert _hidden(out) == ["eksport", "tidligere"]
    (aside,) = out.glob(".kkr-tidligere-*")
    assert _tree(aside) == earlier
    (staged,) = out.glob(".kkr-eksport-*")
    assert "Roskilde" in (staged / "meeting.json").read_text("utf-8")
    return {"workspace": ws_path, "out": out, "id": meeting.id, "earlier": earlier}


@pytest.mark.slow
def test_the_next_export_after_a_kill_between_the_renames_writes_and_cleans(killed):
    out = killed["out"]
    (out / ".kkr-eksport-andet-møde").mkdir()  # not this target's: left alone
    with open_workspace(killed["workspace"], create=False) as ws:
        written = export_meeting(ws, killed["id"], out)
    assert written == out / NAME
    doc = json.loads((written / "meeting.json").read_text("utf-8"))
    assert doc["meeting"]["location"] == "Roskilde Kongrescenter"
    assert sorted(p.name for p in out.iterdir()) == [".kkr-eksport-andet-møde", NAME]


@pytest.mark.slow
def test_an_export_that_fails_after_a_kill_leaves_the_earlier_export_in_place(killed, monkeypatch):
    def disk_full(self: Path, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with (
        open_workspace(killed["workspace"], create=False) as ws,
        pytest.raises(ExchangeError) as caught,
    ):
        export_meeting(ws, killed["id"], killed["out"])
    monkeypatch.undo()
    assert "En tidligere eksport er urørt" in caught.value.message
    assert _tree(killed["out"] / NAME) == killed["earlier"]
    assert os.listdir(killed["out"]) == [NAME]


@pytest.mark.slow
def test_a_zip_export_cleans_what_a_killed_export_of_either_kind_left(killed):
    (killed["out"] / f".kkr-eksport-x-{NAME}.zip").write_bytes(b"PK")  # another's: kept
    with open_workspace(killed["workspace"], create=False) as ws:
        archive = export_meeting(ws, killed["id"], killed["out"], zip=True)
        # a zip killed before its rename leaves its hidden file: the next zip export cleans it
        leftover = archive.with_name(f".kkr-eksport-{_digest(archive)}-dead.zip")
        leftover.write_bytes(b"PK halv")
        export_meeting(ws, killed["id"], killed["out"], zip=True)
    names = sorted(os.listdir(killed["out"]))
    assert names == [f".kkr-eksport-x-{NAME}.zip", NAME, f"{NAME}.zip"]
    assert _tree(killed["out"] / NAME) == killed["earlier"]  # put back, not replaced


def test_the_earlier_export_a_kill_left_under_the_old_versions_name_is_put_back(tmp_path):
    """The version before this one moved the earlier export aside as ``.~gammel-<name>``."""
    aside = tmp_path / f".~gammel-{NAME}"
    (aside / "bilag").mkdir(parents=True)
    (aside / "meeting.json").write_text("{}", "utf-8")
    recover(tmp_path / NAME)
    assert os.listdir(tmp_path) == [NAME]
    assert (tmp_path / NAME / "meeting.json").read_text("utf-8") == "{}"
