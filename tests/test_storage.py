"""The workspace file: what is saved comes back, one action is one transaction, bad files
are refused with a Danish message and left alone."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from agenda.errors import StaleEditError, WorkspaceError
from agenda.operations import MoveItem, ReplaceItem
from storage import schema
from storage import workspace as workspace_module
from storage.workspace import open_workspace
from tests.factories import attachment, case, meeting, row_counts

PDF = b"%PDF-1.4\n% a small stand-in\n"


def _with_bilag(ws, m, data=PDF, title="Rapport"):
    ws.store_blob(data)
    item = m.agenda.items()[2]
    case = replace(item.case, attachments=(attachment(title, data, f"{title}.pdf"),))
    agenda, _ = ReplaceItem(replace(item, case=case)).apply(m.agenda)
    return replace(m, agenda=agenda)


def test_reopen_gives_back_what_was_saved(tmp_path):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        saved = ws.save_meeting(_with_bilag(ws, meeting()))
    with open_workspace(path) as ws:
        back = ws.meeting(saved.id)
        assert back == saved
        assert [i.title for i in back.agenda.items()] == [i.title for i in saved.agenda.items()]
        assert back.agenda.items()[2].case.attachments[0].title == "Rapport"
        assert ws.blob(back.agenda.items()[2].case.attachments[0].sha256) == PDF
        [summary] = ws.meetings()
        assert (summary.id, summary.item_count, summary.body_name) == (saved.id, 5, "KKR Sjælland")


def test_pragmas_wal_foreign_keys_and_schema_version(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ws.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_the_same_file_attached_twice_is_stored_once(tmp_path):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        first = ws.save_meeting(_with_bilag(ws, meeting()))
        second = _with_bilag(ws, meeting(title="Næste møde"))
        # a different case (another case number) carrying the very same bytes
        item = second.agenda.items()[2]
        other = replace(item.case, reference="24/09999")
        agenda, _ = ReplaceItem(replace(item, case=other)).apply(second.agenda)
        ws.save_meeting(replace(second, agenda=agenda))
        assert first.id is not None
    counts = row_counts(path)
    assert counts["blobs"] == 1 and counts["attachments"] == 2


def test_an_action_that_fails_leaves_the_workspace_as_it_was(tmp_path):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        ws.save_meeting(meeting())
    before = row_counts(path)
    with open_workspace(path) as ws:
        with pytest.raises(RuntimeError), ws.transaction():
            ws.store_blob(b"new bytes")
            with ws.transaction():  # nested: joins the outer one
                ws.save_meeting(meeting(title="Halvt møde"))
            raise RuntimeError("the user's action failed half-way")
        assert [m.title for m in ws.meetings()] == ["Møde i KKR Sjælland"]
    assert row_counts(path) == before


def test_a_save_from_a_stale_copy_is_refused_and_overwrites_nothing(tmp_path):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as first, open_workspace(path) as second:
        saved = first.save_meeting(meeting())
        mine = first.meeting(saved.id)
        theirs = second.meeting(saved.id)
        item = mine.agenda.items()[-1]
        moved, _ = MoveItem(item.id, 0, 0).apply(mine.agenda)
        first.save_meeting(replace(mine, agenda=moved))
        renamed = replace(theirs, title="Overskrevet?")
        with pytest.raises(StaleEditError, match="ændret et andet sted"):
            second.save_meeting(renamed)
        now = second.meeting(saved.id)
        assert now.title == "Møde i KKR Sjælland"
        assert now.agenda.items()[0].title == "Eventuelt"


def test_migration_backs_up_a_file_with_data_first(tmp_path, monkeypatch):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        ws.save_meeting(meeting())
    version = schema.SCHEMA_VERSION

    def add_column(conn):
        conn.execute("ALTER TABLE meetings ADD COLUMN note TEXT")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_column])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", version + 1)
    with open_workspace(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == version + 1
    backup = tmp_path / f"w.kkrdb.backup-v{version}"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("SELECT title FROM meetings").fetchone()[0] == "Møde i KKR Sjælland"


def test_a_file_that_is_not_a_workspace_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "noter.kkrdb"
    path.write_bytes("Mødenoter, ikke en database.\n".encode() * 100)
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="ikke et arbejdsområde") as caught:
        open_workspace(path)
    assert str(path) in caught.value.message
    assert path.read_bytes() == before


def test_a_workspace_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "w.kkrdb"
    open_workspace(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(WorkspaceError, match="nyere version") as caught:
        open_workspace(path)
    assert "Opdatér programmet" in caught.value.message


def test_a_folder_is_not_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="er en mappe"):
        open_workspace(tmp_path)


def test_a_read_only_workspace_is_refused_with_a_message(tmp_path, monkeypatch):
    # Root (CI) may write anywhere, so make SQLite itself see a read-only file: the same
    # error a user gets from a file on a write-protected share.
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        ws.save_meeting(meeting())
    real_connect = sqlite3.connect

    def read_only(database, *args, **kwargs):
        return real_connect(f"file:{database}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(WorkspaceError, match="skrivebeskyttet") as caught:
        open_workspace(path).save_meeting(meeting())
    assert str(path) in caught.value.message


def test_a_workspace_locked_by_another_writer_says_so_in_danish(tmp_path, monkeypatch):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        ws.save_meeting(meeting())
    before = row_counts(path)
    monkeypatch.setattr(workspace_module, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another user in the middle of a long import
        with open_workspace(path) as ws:
            assert [m.title for m in ws.meetings()] == ["Møde i KKR Sjælland"]  # reads go on
            with pytest.raises(WorkspaceError, match="optaget") as caught:
                ws.save_meeting(meeting(title="Andet møde"))
            assert str(path) in caught.value.message and "prøv igen" in caught.value.message
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert row_counts(path) == before


def test_case_library_lists_cases_their_meetings_and_deletes_only_unused_ones(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        saved = ws.save_meeting(meeting())
        loose = ws.save_case(case("Kystbeskyttelse ved Køge Bugt", "24/07777"))
        on_agenda = saved.agenda.items()[2].case
        listed = ws.cases()
        assert listed[0] == loose  # newest first
        assert {c.reference for c in listed} >= {"24/07777", on_agenda.reference}
        assert ws.case_meetings(on_agenda.id) == [saved.id]
        assert ws.case_meetings(loose.id) == []
        with pytest.raises(WorkspaceError, match="står på en dagsorden"):
            ws.delete_case(on_agenda.id)
        assert ws.case(on_agenda.id) == on_agenda
        assert [h.reference for h in ws.search_cases("Kystbeskyttelse")] == ["24/07777"]
        ws.delete_case(loose.id)
        assert ws.case_by_reference("24/07777") is None
        assert ws.search_cases("Kystbeskyttelse") == []
        assert loose.id not in {c.id for c in ws.cases()}
