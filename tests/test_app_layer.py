"""The use cases in app/: one user name and one clock for the recorded override, the
public gate, the import in three steps, and the by-products stored in one place."""

from __future__ import annotations

import getpass
from dataclasses import replace
from datetime import UTC, datetime

import pytest

import main
from agenda.errors import DuplicateMeetingError
from app import identity
from app.exchange_export import export_exchange
from app.exporting import OUTPUTS, finish_export, prepare_export, write_export
from app.importing import commit_import, import_meeting, index_import, read_import
from app.preflight import OVERRIDE_EVENT, check_meeting, gate_public
from app.workspace import workspace_session
from tests import factories
from tests.gui.conftest import make_pdf


def _meeting_with_a_cpr_number(ws):  # type: ignore[no-untyped-def]
    """An open item whose text holds a CPR number (a fejl), and one PDF bilag."""
    meeting = factories.meeting()
    pdf = make_pdf("Evaluering af klyngekontorer")
    sections = list(meeting.agenda.sections)
    items = list(sections[1].items)
    case = items[0].case.with_texts(baggrund="Borgeren med cpr 010203-1234 har klaget.")
    bilag = factories.attachment("Evaluering", pdf, "evaluering.pdf")
    items[0] = replace(items[0], case=replace(case, attachments=(bilag,)))
    sections[1] = replace(sections[1], items=tuple(items))
    meeting = replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))
    with ws.transaction():
        ws.store_blob(pdf)
        return ws.save_meeting(meeting)


@pytest.fixture()
def workspace(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KKR_DAGSORDEN_BACKUP_DIR", str(tmp_path / "backups"))
    with workspace_session(tmp_path / "arbejde.kkrdb", create=True) as ws:
        yield ws


def test_the_user_is_the_login_name_and_the_time_is_utc(monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "jens")
    assert identity.current_user() == "jens"

    def no_user() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert identity.current_user() == "ukendt"
    assert identity.now().utcoffset().total_seconds() == 0


def test_the_public_gate_refuses_a_fejl_and_records_an_override(workspace, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "sekretær")
    meeting = _meeting_with_a_cpr_number(workspace)
    refused = prepare_export(workspace, meeting.id, public=True)
    assert not refused.allowed and refused.gate is not None
    assert [f.rule for f in refused.gate.errors] and not refused.gate.overridden
    assert workspace.events() == []
    before = datetime.now(UTC).replace(microsecond=0)
    forced = prepare_export(workspace, meeting.id, public=True, force=True)
    assert forced.allowed and forced.gate.overridden
    (stored,) = workspace.events()
    assert stored.kind == OVERRIDE_EVENT and stored.meeting_id == meeting.id
    assert stored.payload["user"] == "sekretær"
    # stored in UTC, as the window's override is
    when = datetime.fromisoformat(stored.payload["when"])
    assert when.utcoffset().total_seconds() == 0 and when >= before
    assert stored.payload == forced.gate.record


def test_the_cli_and_a_direct_gate_record_the_same_user(workspace, tmp_path, monkeypatch):
    """``--force`` on the command line records getpass's user, not ``$USER``."""
    monkeypatch.setattr(getpass, "getuser", lambda: "fra-getpass")
    monkeypatch.setenv("USER", "fra-miljøet")
    monkeypatch.setenv("USERNAME", "fra-miljøet")
    meeting = _meeting_with_a_cpr_number(workspace)
    path = workspace.path
    argv = ["export", "--workspace", str(path), "--meeting", str(meeting.id), "--public"]
    assert main.main([*argv, "--force", "--out", str(tmp_path / "ud")]) == 0
    (stored,) = workspace.events()
    assert stored.payload["user"] == "fra-getpass"
    assert datetime.fromisoformat(stored.payload["when"]).utcoffset().total_seconds() == 0
    # the check itself is the same function the window's panel runs its halves of
    snapshot = prepare_export(workspace, meeting.id, public=False).snapshot
    assert gate_public(workspace, snapshot, check_meeting(snapshot), override=False).errors


def test_import_reads_then_commits_then_indexes(workspace, tmp_path):
    meeting = _meeting_with_a_cpr_number(workspace)
    folder = export_exchange(workspace, meeting.id, tmp_path / "udveksling")
    with workspace_session(tmp_path / "andet.kkrdb", create=True) as other:
        prepared = read_import(folder)  # no workspace needed: a worker can do it
        (sha,) = prepared.texts
        assert "Evaluering af klyngekontorer" in prepared.texts[sha]
        report = commit_import(other, prepared)
        assert other.attachment_text(sha) is None  # indexing comes after the commit
        assert index_import(other, prepared, report.meeting) == 1
        assert "Evaluering af klyngekontorer" in other.attachment_text(sha)
        # a second read: refused as a duplicate (nothing written), then saved as new
        # from the same read, without reading the file twice
        second = read_import(folder)
        with pytest.raises(DuplicateMeetingError):
            commit_import(other, second)
        assert len(other.meetings()) == 1
        again = commit_import(other, second, as_new=True)
        assert again.meeting.id != report.meeting.id
        assert index_import(other, second, again.meeting) == 0  # already searchable
        hits = other.search_cases("klyngekontorer", 5)
        assert hits and hits[0].title == report.meeting.agenda.sections[1].items[0].case.title
        third = import_meeting(other, folder, as_new=True)
        assert len(other.meetings()) == 3 and third.meeting.title == meeting.title


def test_by_products_are_stored_after_the_export_and_a_failure_is_a_warning(
    workspace, tmp_path, monkeypatch
):
    from agenda.errors import WorkspaceError
    from agenda.repository import ConversionKey
    from app import snapshots
    from export.outputs import ExportOutcome

    meeting = _meeting_with_a_cpr_number(workspace)
    prepared = prepare_export(workspace, meeting.id, public=False)
    outcome = write_export(prepared.snapshot, tmp_path / "ud", [(OUTPUTS["pack"], False)])
    assert [p.name for p in outcome.written] == ["Bilagspakke KKR Sjælland 2024-04-16.pdf"]
    # what a conversion made (an office bilag): kept for the next export and for search
    key = ConversionKey("f" * 64, "libreoffice", "7")
    made = ExportOutcome(new_conversions={key: b"%PDF-1.7 x"}, extracted_text={"f" * 64: "ord"})
    finish_export(workspace, made)
    assert workspace.converted(key) == b"%PDF-1.7 x"
    assert workspace.attachment_text("f" * 64) == "ord"
    assert made.problems == []

    def full(*args: object) -> None:
        raise WorkspaceError("Der er ikke plads på disken til arbejdsområdet.")

    monkeypatch.setattr(snapshots, "store_export_results", full)
    finish_export(workspace, outcome)
    assert outcome.problems == ["Der er ikke plads på disken til arbejdsområdet."]
    assert outcome.failed == []  # the files are saved: a warning, not a failure
