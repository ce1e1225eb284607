"""Input that made main.py print a traceback or hang (issue #12): numbers too large for
SQLite, a workspace with damaged pages, a FIFO or device as workspace, ``--limit 0``.

Each is refused with a Danish message: exit 1 when the input is wrong (an id no meeting
has, a damaged or unusable workspace), exit 2 when an option is given a value it cannot
take (``--limit 0`` as ``--limit abc``), as the README's exit codes say.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.test_cli import ROOT, refused, run

# slow (the full run only): every test runs main.py in a subprocess
pytestmark = pytest.mark.slow

HUGE = "99999999999999999999"  # > 2**63: "Python int too large to convert to SQLite INTEGER"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace for the module (the tests copy it before they change it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.kkrdb"
    run("demo", "--workspace", path)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("export-meeting", "--out", "{out}"),
        ("export-meeting", "--public", "--out", "{out}"),
        ("export", "--what", "agenda-pdf", "--out", "{out}"),
        ("preflight",),
    ],
    ids=["export-meeting", "export-meeting-public", "export", "preflight"],
)
@pytest.mark.parametrize("meeting", [HUGE, "-" + HUGE])
def test_a_meeting_id_too_large_for_sqlite_is_an_unknown_meeting(demo, tmp_path, command, meeting):
    path = demo
    args = [a.replace("{out}", str(tmp_path / "ud")) for a in command]
    message = refused(*args[:1], "--workspace", path, "--meeting", meeting, *args[1:])
    assert f"Mødet med id {meeting} findes ikke" in message
    assert "OverflowError" not in message
    assert not (tmp_path / "ud").exists() or not any((tmp_path / "ud").iterdir())


@pytest.mark.parametrize("limit", ["0", "-1", HUGE, "10001", "mange"])
def test_a_search_limit_outside_1_to_10000_is_wrong_usage(demo, limit):
    path = demo
    proc = run("search", "--workspace", path, "--limit", limit, "kommune", code=2)
    assert proc.stderr.startswith("brug: ")
    assert f"»{limit}« er ikke et gyldigt antal træf; angiv et tal fra 1 til 10.000" in proc.stderr
    assert "Ingen sager" not in proc.stdout


def test_a_search_limit_is_kept(demo):
    path = demo
    proc = run("search", "--workspace", path, "--limit", "1", "kommune*")
    assert len([line for line in proc.stdout.splitlines() if not line.startswith(" ")]) == 1


def _damage(path: Path, tables: tuple[str, ...]) -> None:
    """Overwrite the first page of each table's b-tree, as a bad sector or a copy cut
    short would: the file still opens, the queries that read those tables fail."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        marks = ",".join("?" * len(tables))
        pages = [
            r[0]
            for r in conn.execute(
                f"SELECT rootpage FROM sqlite_master WHERE name IN ({marks})", tables
            )
        ]
    conn.close()
    assert len(pages) == len(tables)
    with open(path, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * size)
            f.write(b"\xa5" * size)


COMMANDS = [
    ("meetings",),
    ("search", "kommune"),
    ("preflight", "--meeting", "2"),
    ("export-meeting", "--meeting", "2", "--out", "{out}"),
    ("export", "--meeting", "2", "--what", "agenda-pdf,pack", "--out", "{out}"),
    ("import", "{exchange}"),
    ("demo", "--force"),
]


@pytest.mark.parametrize("backed_up_today", [False, True], ids=["first-today", "later"])
def test_a_workspace_with_damaged_pages_is_refused_by_every_command(
    demo, tmp_path, monkeypatch, backed_up_today
):
    """The first open of the day finds the damage before the backup (which would push a
    good copy out); a later one when a query meets the damaged page. Either way a Danish
    message says to restore from the backup, and no traceback."""
    path = demo
    exchange = tmp_path / "udveksling"
    run("export-meeting", "--workspace", path, "--meeting", "1", "--out", exchange)
    (exchange_folder,) = exchange.iterdir()
    backups = tmp_path / "kopier"
    backups.mkdir()
    monkeypatch.setenv("KKR_DAGSORDEN_BACKUP_DIR", str(backups))
    work = tmp_path / "skadet.kkrdb"
    shutil.copy(path, work)
    _damage(work, ("meetings", "cases", "cases_fts_data", "bodies"))
    if backed_up_today:
        today = backups / f"skadet-{date.today().isoformat()}.kkrdb"
        shutil.copy(path, today)
    damaged = work.read_bytes()
    for command in COMMANDS:
        args = [
            a.replace("{out}", str(tmp_path / "ud")).replace("{exchange}", str(exchange_folder))
            for a in command
        ]
        message = refused(*args, "--workspace", work)
        assert f"Arbejdsområdet {work} er beskadiget" in message, (command, message)
        assert "Gendan det fra sikkerhedskopien" in message and str(backups) in message
        assert "malformed" not in message
    assert not (tmp_path / "ud").exists() or not any((tmp_path / "ud").iterdir())
    # no copy of the damaged file was taken, and the file itself is as it was
    assert [p.name for p in backups.iterdir()] == (
        [f"skadet-{date.today().isoformat()}.kkrdb"] if backed_up_today else []
    )
    assert work.read_bytes() == damaged


@pytest.mark.parametrize("command", [("meetings",), ("search", "x"), ("demo",)])
def test_a_fifo_as_workspace_is_refused_without_opening_it(tmp_path, command):
    fifo = tmp_path / "arbejde.kkrdb"
    os.mkfifo(fifo)
    try:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *command, "--workspace", str(fifo)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,  # before the fix: blocked for ever in open()
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the command hung on the FIFO")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(f"Fejl: {fifo} er ikke en almindelig fil")
    assert fifo.exists()  # left alone


def test_a_device_as_workspace_is_refused():
    message = refused("meetings", "--workspace", os.devnull)
    assert f"{os.devnull} er ikke en almindelig fil" in message
