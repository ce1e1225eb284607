"""The tillæg's reference is the last sent agenda: the change list since then, and the
export snapshot carrying the sent meeting and its date (app/supplements.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from agenda.changes import ChangeKind
from agenda.memory import InMemoryWorkspace
from agenda.operations import ReplaceItem
from app.exporting import read_meeting_snapshot
from app.records import approve_minutes, send_meeting
from app.supplements import changes_since_sent, last_sent
from storage.workspace import open_workspace
from tests.test_records import NOW, _pdf_meeting, clock


def _one_file(repo, meeting, folder: Path, task):  # type: ignore[no-untyped-def]
    """A stand-in for the documents a send writes: this test is about the reference."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "dagsorden.txt"
    path.write_text(meeting.title, "utf-8")
    return [path], []


@pytest.fixture(params=["sqlite", "memory"])
def ws(request, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "memory":
        yield InMemoryWorkspace()
    else:
        with open_workspace(tmp_path / "w.kkrdb") as opened:
            yield opened


def test_a_meeting_never_sent_has_no_reference_and_a_plain_snapshot(ws):
    draft = _pdf_meeting(ws)
    assert last_sent(ws, draft.id) is None
    assert changes_since_sent(ws, draft.id) is None
    snapshot = read_meeting_snapshot(ws, draft.id)
    assert snapshot.sent is None and snapshot.sent_at is None


def test_changes_since_the_last_sent_agenda_and_the_snapshot_that_carries_it(ws):
    draft = _pdf_meeting(ws)
    send_meeting(ws, draft.id, "Til medlemmerne", "anne", clock, files=_one_file)
    assert changes_since_sent(ws, draft.id).changes == ()

    sent = ws.meeting(draft.id)
    evaluation = next(i for i in sent.agenda.items() if i.title.startswith("Evaluering"))
    retitled = replace(evaluation, title="Evaluering af klyngekontorer, revideret")
    agenda, _ = ReplaceItem(retitled).apply(sent.agenda)
    ws.save_meeting(replace(sent, agenda=agenda))

    since = changes_since_sent(ws, draft.id)
    assert [c.kind for c in since.changes] == [ChangeKind.ITEM_RETITLED]
    assert since.sent.agenda.item(evaluation.id).title == "Evaluering af klyngekontorer"
    snapshot = read_meeting_snapshot(ws, draft.id)
    assert snapshot.sent == since.sent and snapshot.sent_at == NOW


def test_approved_minutes_are_not_the_tillaeg_reference(ws):
    """Only an agenda version is what the members were sent before the meeting."""
    draft = _pdf_meeting(ws)
    first = send_meeting(ws, draft.id, "", "anne", clock, files=_one_file).version
    held = ws.meeting(draft.id)
    ws.save_meeting(replace(held, status=type(held.status).HELD))
    approve_minutes(ws, draft.id, "anne", clock, files=_one_file)
    assert last_sent(ws, draft.id).id == first.id
