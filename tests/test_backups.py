"""Daily backups: one a day through SQLite's backup API, the newest 7 kept, and a
restored workspace opens and holds what it held (after the current file was backed up)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from agenda.errors import WorkspaceError
from storage import backup
from storage.workspace import open_workspace
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def _workspace(path: Path, title: str) -> int:
    with open_workspace(path) as ws:
        return ws.save_meeting(factories.meeting(title=title)).id


def _titles(path: Path) -> list[str]:
    with open_workspace(path, create=False) as ws:
        return [s.title for s in ws.meetings()]


def test_one_backup_a_day_and_it_opens_with_what_the_workspace_held(tmp_path):
    ws_path = tmp_path / "arbejde.kkrdb"
    folder = tmp_path / "kopier"
    _workspace(ws_path, "Møde i marts")
    first = backup.daily_backup(ws_path, folder, today=date(2024, 4, 16))
    assert first is not None and first.path.name == "arbejde-2024-04-16.kkrdb"
    _workspace(ws_path, "Møde i april")
    assert backup.daily_backup(ws_path, folder, today=date(2024, 4, 16)) is None
    assert [b.path for b in backup.list_backups(ws_path, folder)] == [first.path]
    assert _titles(first.path) == ["Møde i marts"]
    with open_workspace(first.path, create=False) as ws:
        assert ws.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_eighth_backup_prunes_the_oldest(tmp_path):
    ws_path = tmp_path / "arbejde.kkrdb"
    folder = tmp_path / "kopier"
    _workspace(ws_path, "Møde")
    start = date(2024, 4, 1)
    for n in range(8):
        assert backup.daily_backup(ws_path, folder, today=start + timedelta(days=n))
    kept = backup.list_backups(ws_path, folder)
    assert len(kept) == 7
    assert [b.day for b in kept] == [start + timedelta(days=n) for n in range(7, 0, -1)]
    assert not (folder / "arbejde-2024-04-01.kkrdb").exists()
    # another workspace's backups in the same folder are not counted or pruned
    other = tmp_path / "andet.kkrdb"
    _workspace(other, "Andet møde")
    backup.daily_backup(other, folder, today=start)
    assert len(backup.list_backups(ws_path, folder)) == 7
    assert len(backup.list_backups(other, folder)) == 1


def test_restore_puts_the_old_content_back_after_backing_up_the_current(tmp_path):
    ws_path = tmp_path / "arbejde.kkrdb"
    folder = tmp_path / "kopier"
    _workspace(ws_path, "Møde i marts")
    old = backup.daily_backup(ws_path, folder, today=date(2024, 4, 16))
    _workspace(ws_path, "Møde i april")
    assert sorted(_titles(ws_path)) == ["Møde i april", "Møde i marts"]
    safety = backup.restore_backup(old, ws_path, folder)
    assert _titles(ws_path) == ["Møde i marts"]
    assert safety is not None and safety.path.exists()
    assert sorted(_titles(safety.path)) == ["Møde i april", "Møde i marts"]
    # the safety copy is listed with the others and can be restored in turn
    assert safety.path in [b.path for b in backup.list_backups(ws_path, folder)]
    backup.restore_backup(safety.path, ws_path, folder)
    assert sorted(_titles(ws_path)) == ["Møde i april", "Møde i marts"]
    with open_workspace(ws_path, create=False) as ws:  # a restored workspace is usable
        ws.save_meeting(factories.meeting(title="Efter gendannelsen"))
    assert "Efter gendannelsen" in _titles(ws_path)


def test_a_damaged_backup_is_refused_and_the_workspace_is_untouched(tmp_path):
    ws_path = tmp_path / "arbejde.kkrdb"
    _workspace(ws_path, "Møde")
    before = ws_path.read_bytes()
    bad = tmp_path / "kopier" / "arbejde-2024-04-16.kkrdb"
    bad.parent.mkdir()
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(WorkspaceError) as error:
        backup.restore_backup(bad, ws_path, tmp_path / "kopier")
    assert "Sikkerhedskopien" in error.value.message
    assert ws_path.read_bytes() == before
    with pytest.raises(WorkspaceError, match="findes ikke"):
        backup.restore_backup(tmp_path / "væk.kkrdb", ws_path, tmp_path / "kopier")


def test_a_backup_folder_that_cannot_be_made_gives_a_danish_message(tmp_path):
    ws_path = tmp_path / "arbejde.kkrdb"
    _workspace(ws_path, "Møde")
    blocker = tmp_path / "fil"
    blocker.write_text("ikke en mappe")
    with pytest.raises(WorkspaceError, match="Sikkerhedskopien af arbejdsområdet"):
        backup.daily_backup(ws_path, blocker / "kopier")


@pytest.mark.slow
def test_the_cli_backs_up_an_existing_workspace_once_a_day(tmp_path):
    ws_path = tmp_path / "arbejde.kkrdb"
    _workspace(ws_path, "Møde")
    folder = tmp_path / "kopier"
    env = {**os.environ, backup.BACKUP_DIR_ENV: str(folder)}
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "meetings", "--workspace", str(ws_path)],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
    copies = backup.list_backups(ws_path, folder)
    assert [b.day for b in copies] == [date.today()]
    assert _titles(copies[0].path) == ["Møde"]
