"""A version is a record a user may publish from: its public files are frozen only when
the check before sending finds no fejl, on every path that freezes one (the command
line's send, the window's three steps, approving the minutes)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from agenda.model import MeetingStatus, TextSection
from agenda.operations import ReplaceItem
from agenda.tasks import NullTaskState
from app.records import (
    approve_minutes,
    finish_send,
    read_send_snapshot,
    send_meeting,
    write_send_files,
)
from storage.workspace import open_workspace
from tests.test_records import _pdf_meeting, clock

CPR = "Borgeren med cpr-nr. 010190-1235 er nævnt."
PUBLIC_PACK = "Bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf"


def _with_cpr(ws):  # type: ignore[no-untyped-def]
    """The open item's resumé holds a CPR number: a fejl for the public edition."""
    m = _pdf_meeting(ws)
    open_item = next(i for i in m.agenda.items() if i.title.startswith("Evaluering"))
    texts = {**open_item.case.texts, TextSection.RESUME: CPR}
    changed = replace(open_item, case=replace(open_item.case, texts=texts))
    agenda, _ = ReplaceItem(changed).apply(m.agenda)
    return ws.save_meeting(replace(m, agenda=agenda))


def test_a_send_with_a_fejl_freezes_no_public_file_and_says_why(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        m = _with_cpr(ws)
        outcome = send_meeting(ws, m.id, "Til medlemmerne", "anne", clock)
        names = [f.name for f in outcome.version.files]
        assert PUBLIC_PACK not in names
        assert "Bilagspakke KKR Sjælland 2024-04-16.pdf" in names  # the complete one is
        assert any("Den offentlige udgave er ikke lavet" in p for p in outcome.problems)


def test_the_windows_send_holds_the_public_file_back_too(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        m = _with_cpr(ws)
        snapshot = read_send_snapshot(ws, m.id)
        written = write_send_files(snapshot, tmp_path / "ud", NullTaskState())
        assert PUBLIC_PACK not in [Path(p).name for p in written.written]
        assert any("Den offentlige udgave er ikke lavet" in p for p in written.problems)
        sent = finish_send(ws, snapshot, written, tmp_path / "ud", "", "anne", clock)
        assert PUBLIC_PACK not in [f.name for f in sent.version.files]


def test_a_clean_send_freezes_the_public_file(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        m = _pdf_meeting(ws)
        outcome = send_meeting(ws, m.id, "", "anne", clock)
        assert PUBLIC_PACK in [f.name for f in outcome.version.files]


def test_approved_minutes_with_a_fejl_freeze_no_public_minutes(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        m = _with_cpr(ws)
        ws.save_meeting(replace(ws.meeting(m.id), status=MeetingStatus.HELD))
        outcome = approve_minutes(ws, m.id, "anne", clock)
        names = [f.name for f in outcome.version.files]
        assert not any("offentlig" in n for n in names)
        assert any(n.endswith(".pdf") for n in names)
