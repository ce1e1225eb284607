"""Two users, one workspace: no lost update, a stale save is refused in Danish with
nothing overwritten, a writer waits for the other instead of failing with "database is
locked", and a workspace on a network share runs without WAL and says why."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from agenda.errors import StaleEditError
from storage import workspace as workspace_module
from storage.workspace import SqliteWorkspace, is_network_path, open_workspace
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "database is locked" not in err
    return out


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "fælles.kkrdb"
    with open_workspace(path) as ws:
        meeting_id = ws.save_meeting(factories.meeting()).id
    return path, meeting_id


_EDIT = """
    import sys, time
    from dataclasses import replace
    from pathlib import Path
    from agenda.errors import StaleEditError
    from storage.workspace import open_workspace
    path, meeting_id, title, wait_for, then_write = sys.argv[1:6]
    with open_workspace(path) as ws:
        meeting = ws.meeting(int(meeting_id))
        print("read", meeting.version, flush=True)
        while not Path(wait_for).exists():
            time.sleep(0.01)
        try:
            saved = ws.save_meeting(replace(meeting, title=title))
            print("saved", saved.version, flush=True)
        except StaleEditError as error:
            print("stale", error.message, flush=True)
        Path(then_write).touch()
"""


@pytest.mark.slow
def test_the_second_writer_of_a_stale_copy_is_refused_and_nothing_is_overwritten(shared, tmp_path):
    path, meeting_id = shared
    go_first, first_done, second_done = (tmp_path / n for n in ("go", "first", "second"))
    # both read the meeting before either writes; the first writes, then the second
    first = _python(_EDIT, path, meeting_id, "Anne's titel", go_first, first_done)
    second = _python(_EDIT, path, meeting_id, "Bents titel", first_done, second_done)
    for proc in (first, second):
        assert proc.stdout.readline().startswith("read 1")
    go_first.touch()
    out_first, out_second = _finish(first), _finish(second)
    assert out_first.strip() == "saved 2"
    assert out_second.startswith("stale Punktet er ændret et andet sted – genindlæs")
    assert "Intet er overskrevet" in out_second
    with open_workspace(path) as ws:
        meeting = ws.meeting(meeting_id)
        assert (meeting.title, meeting.version) == ("Anne's titel", 2)
        # reloading and editing again works: the update is not lost, only redone
        ws.save_meeting(replace(meeting, title="Bents titel"))
        assert ws.meeting(meeting_id).version == 3


def test_a_stale_copy_in_the_same_process_is_refused_too(shared):
    path, meeting_id = shared
    with open_workspace(path) as a, open_workspace(path) as b:
        mine, theirs = a.meeting(meeting_id), b.meeting(meeting_id)
        moved = replace(
            mine, agenda=replace(mine.agenda, sections=tuple(reversed(mine.agenda.sections)))
        )
        a.save_meeting(moved)
        with pytest.raises(StaleEditError, match="genindlæs"):
            b.save_meeting(replace(theirs, title="Gammel kopi"))
        now = b.meeting(meeting_id)
        assert now.title == mine.title
        assert [s.name for s in now.agenda.sections] == ["Afslutning", "Sager", "Indledning"]


_HOLD = """
    import sys, time
    from storage.workspace import open_workspace
    path, seconds = sys.argv[1], float(sys.argv[2])
    with open_workspace(path) as ws, ws.transaction():
        ws.conn.execute("UPDATE meetings SET title = 'Holdt' WHERE id = 1")
        print("holding", flush=True)
        time.sleep(seconds)
"""


@pytest.mark.slow
def test_a_writer_waits_for_the_other_instead_of_database_is_locked(shared):
    path, meeting_id = shared
    holder = _python(_HOLD, path, 1.0)
    assert holder.stdout.readline().strip() == "holding"
    with open_workspace(path) as ws:
        # the other process holds the write lock for a second; the busy timeout waits
        ws.save_meeting(replace(ws.meeting(meeting_id), title="Efter ventetiden"))
    _finish(holder)
    with open_workspace(path) as ws:
        assert ws.meeting(meeting_id).title == "Efter ventetiden"


def test_concurrent_writers_in_two_threads_all_land(shared):
    path, _ = shared
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            with open_workspace(path) as ws:
                for n in range(15):
                    with ws.transaction():
                        ws.store_blob(f"{prefix}-{n}".encode())
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_workspace(path) as ws:
        assert all(ws.has_blob(_sha(f"{p}-{n}")) for p in "ab" for n in range(15))


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("path", "network"),
    [
        (r"\\server\share\kkr\arbejde.kkrdb", True),
        ("//server/share/arbejde.kkrdb", True),
        (r"C:\Users\sekr\arbejde.kkrdb", False),
        ("/home/sekr/arbejde.kkrdb", False),
        ("arbejde.kkrdb", False),
    ],
)
def test_is_network_path(path, network):
    assert is_network_path(Path(path)) is network


def test_a_workspace_on_a_share_runs_without_wal_and_says_why(tmp_path, monkeypatch):
    share = tmp_path / "share.kkrdb"
    monkeypatch.setattr(workspace_module, "is_network_path", lambda p: Path(p) == share)
    with open_workspace(share) as ws:
        assert ws.wal is False
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert ws.notice is not None
        assert "netværksdrev" in ws.notice and "WAL" in ws.notice and str(share) in ws.notice
        ws.save_meeting(factories.meeting())
    assert not Path(f"{share}-wal").exists()
    local = tmp_path / "lokal.kkrdb"
    with SqliteWorkspace(local) as ws:
        assert ws.wal is True and ws.notice is None
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
