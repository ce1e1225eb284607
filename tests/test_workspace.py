"""A read-only workspace, for real: the file or its folder is not writable for the user.

Tests run as root in CI, and root may write any file whatever its mode, so a chmod alone
proves nothing there. Each case therefore runs in a forked child that, when it is root,
first becomes the unprivileged user ``nobody`` – the situation of an ordinary user opening a
write-protected file – and reports back what open_workspace said.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from agenda.errors import WorkspaceError
from storage.workspace import open_workspace
from tests.factories import meeting

NOBODY = 65534


def _as_ordinary_user(action) -> str:
    """Run ``action()`` in a child process without root's rights; its result or error text."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            try:
                outcome = "ok: " + str(action())
            except WorkspaceError as error:
                outcome = "WorkspaceError: " + error.message
            except BaseException as error:  # reported to the parent
                outcome = f"{type(error).__name__}: {error}"
            os.write(write, outcome.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        outcome = pipe.read().decode()
    os.waitpid(pid, 0)
    return outcome


@pytest.fixture
def folder() -> Iterator[Path]:
    # pytest's tmp_path lies under a folder only root may enter, so use one nobody can reach
    path = Path(tempfile.mkdtemp(prefix="kkr-readonly-", dir="/tmp"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        path.chmod(0o755)
        shutil.rmtree(path)


def _workspace_with_a_meeting(path: Path) -> bytes:
    with open_workspace(path) as ws:
        ws.save_meeting(meeting())
    # fold the WAL into the file and close, so the file alone is the whole workspace and
    # no -wal/-shm file of root's is left to make the folder read-only by accident
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no -wal, no -shm
    return path.read_bytes()


def _open_and_save(path: Path):
    def action():
        with open_workspace(path) as ws:
            ws.save_meeting(meeting())
            return len(ws.meetings())

    return action


def test_a_write_protected_workspace_file_is_refused_in_danish(folder):
    path = folder / "arbejdsområde.kkrdb"
    before = _workspace_with_a_meeting(path)
    path.chmod(0o444)
    outcome = _as_ordinary_user(_open_and_save(path))
    assert outcome.startswith("WorkspaceError: "), outcome
    assert "skrivebeskyttet" in outcome and str(path) in outcome
    assert path.read_bytes() == before


def test_a_workspace_in_a_write_protected_folder_is_refused_in_danish(folder):
    # the file itself is writable, but WAL needs its -wal and -shm files beside it
    path = folder / "arbejdsområde.kkrdb"
    before = _workspace_with_a_meeting(path)
    path.chmod(0o666)
    folder.chmod(0o555)
    outcome = _as_ordinary_user(_open_and_save(path))
    assert outcome.startswith("WorkspaceError: "), outcome
    assert "skrivebeskyttet" in outcome and str(path) in outcome
    assert path.read_bytes() == before


def test_the_same_workspace_writable_for_the_user_opens(folder):
    # the control case: the child can open and save when the file is its to write
    path = folder / "arbejdsområde.kkrdb"
    _workspace_with_a_meeting(path)
    folder.chmod(0o777)
    path.chmod(0o666)
    assert _as_ordinary_user(_open_and_save(path)) == "ok: 2"


def test_a_new_workspace_in_a_write_protected_folder_is_refused_in_danish(folder):
    folder.chmod(0o555)
    path = folder / "nyt.kkrdb"
    outcome = _as_ordinary_user(_open_and_save(path))
    assert outcome.startswith("WorkspaceError: "), outcome
    assert str(path) in outcome and "ikke lov til at skrive i mappen" in outcome
    assert not path.exists()


def test_another_programs_sqlite_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "andet-program.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cases(x)")  # a name both use: migrating would fail half-way
    conn.execute("INSERT INTO cases VALUES ('deres data')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="database fra et andet program") as caught:
        open_workspace(path)
    assert str(path) in caught.value.message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no -wal, no backup
    path.unlink()  # the refused file was closed: nothing holds it


def test_an_empty_file_becomes_a_new_workspace(tmp_path):
    path = tmp_path / "tom.kkrdb"
    path.write_bytes(b"")
    with open_workspace(path) as ws:
        saved = ws.save_meeting(meeting())
    with open_workspace(path) as ws:
        assert ws.meeting(saved.id) == saved


def test_a_full_workspace_is_a_danish_error_and_nothing_is_half_saved(tmp_path):
    # SQLite rolls back on its own when the disk is full; the error the user gets must be
    # that situation, not a failed second ROLLBACK ("no transaction is active")
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        ws.save_meeting(meeting())
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
        ws.conn.execute(f"PRAGMA max_page_count = {pages + 5}")  # a disk with 5 pages left
        with (
            pytest.raises(WorkspaceError, match="ikke plads på disken") as caught,
            ws.transaction(),
        ):
            ws.store_blob(b"et lille bilag")
            ws.store_blob(bytes(200_000))
        assert str(path) in caught.value.message
        assert not ws.conn.in_transaction
        assert ws.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
        # the workspace goes on working
        assert ws.blob(ws.store_blob(b"et lille bilag")) == b"et lille bilag"
