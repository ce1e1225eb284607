"""Crash safety: processes that import and edit, or write documents, are killed with
SIGKILL at random moments. Afterwards the workspace passes ``PRAGMA integrity_check``,
every edit reported committed is there (and no half of one), and every output file is
either absent or a complete earlier version.

The workers are forked from the test process (their modules already loaded), so a kill
can land anywhere in the work rather than in Python's start-up; they report over a pipe,
one flushed line per committed transaction ("committed N")."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdf
import pytest

from agenda.snapshot import MeetingSnapshot
from exchange.transfer import import_meeting
from export.outputs import OUTPUTS, write_outputs
from storage.workspace import open_workspace
from tests import hostile
from tests import pack_samples as samples

# slow (the full run only): kills writers and importers mid-way, in subprocesses
pytestmark = pytest.mark.slow

RUNS = 50


def _fork(work, *args) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Start ``work(write_line, *args)`` in a forked child; returns (pid, read fd)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        try:
            work(lambda line: os.write(write, (line + "\n").encode()), *args)
        finally:
            os._exit(0)
    os.close(write)
    return pid, read


def _kill_after(pid: int, read: int, delay: float, after: bytes = b"ready\n") -> list[str]:
    """Wait for the line ``after``, then ``delay`` seconds, SIGKILL; the lines written."""
    buffer = b""
    deadline = time.monotonic() + 60
    while after not in buffer and time.monotonic() < deadline:
        chunk = os.read(read, 65536)
        if not chunk:
            break
        buffer += chunk
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read, 65536):
        buffer += chunk
    os.close(read)
    return buffer.decode().splitlines()


def _source(tmp: Path) -> Path:
    files = [{"name": "Rapport", "fileName": "bilag/r.pdf"}]
    folder = hostile._folder(tmp / "kilde", hostile.meeting_doc(files))
    (folder / "bilag").mkdir(exist_ok=True)
    (folder / "bilag" / "r.pdf").write_bytes(hostile.good_pdf("Rapport"))
    return folder


def _import_and_edit(say, ws_path: Path, source: Path, first: int) -> None:  # type: ignore[no-untyped-def]
    """One transaction per round: import a meeting, retitle it, store a blob."""
    with open_workspace(ws_path) as ws:
        say("ready")
        for n in range(first, first + 10_000):
            with ws.transaction():
                meeting = import_meeting(ws, source, as_new=True)
                ws.save_meeting(replace(meeting, title=f"edit-{n}"))
                ws.store_blob(f"blob-{n}".encode())
            say(f"committed {n}")


def test_killed_importers_leave_a_sound_workspace_with_every_committed_edit(tmp_path):
    ws_path = tmp_path / "arbejde.kkrdb"
    source = _source(tmp_path)
    with open_workspace(ws_path):
        pass
    rng = random.Random(7)
    committed: set[int] = set()
    for run in range(RUNS):
        pid, read = _fork(_import_and_edit, ws_path, source, run * 10_000)
        lines = _kill_after(pid, read, rng.uniform(0.0, 0.12))
        committed |= {int(line.split()[1]) for line in lines if line.startswith("committed ")}
        conn = sqlite3.connect(ws_path)  # as the next start of the program would
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            titles = {r[0] for r in conn.execute("SELECT title FROM meetings")}
            blobs = {r[0] for r in conn.execute("SELECT sha256 FROM blobs")}
        finally:
            conn.close()
        assert {f"edit-{n}" for n in committed} <= titles, run
        # an import without its edit would be half a transaction
        assert all(t.startswith("edit-") for t in titles), run
        assert {_sha(f"blob-{n}") for n in committed} <= blobs
    assert len(committed) > RUNS  # the kills landed among commits, not only before them
    with open_workspace(ws_path) as ws:  # and the program opens it and works on
        assert len(ws.meetings()) >= len(committed)


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _snapshot(version: int) -> MeetingSnapshot:
    snapshot, _ = samples.snapshot(
        [
            ("Sag", "Rapport", hostile.good_pdf(f"Version {version}", "Side 2"), {}),
            ("Sag 2", "Bilag", hostile.many_pages_pdf(40), {}),
        ]
    )
    return snapshot


def _write_versions(say, folder: Path, first: int) -> None:  # type: ignore[no-untyped-def]
    requests = [(OUTPUTS["pack"], False), (OUTPUTS["agenda-pdf"], False)]
    say("ready")
    for version in range(first, first + 1000):
        snapshot = _snapshot(version)
        write_outputs(snapshot, folder, requests)
        (folder / "version.json").write_text(json.dumps(version))  # only after both moved
        say(f"committed {version}")


def test_killed_document_writers_leave_complete_files_or_none(tmp_path):
    """The pack and agenda go through write_outputs; after any kill each visible file is
    absent or complete: it opens, has all its pages, and is a version that was written."""
    folder = tmp_path / "ud"
    folder.mkdir()
    rng = random.Random(11)
    pages = None
    written: list[int] = []
    for run in range(12):
        pid, read = _fork(_write_versions, folder, run * 1000)
        # the first runs are killed only after a write finished, so there is an earlier
        # version to keep however slow the machine is; the rest at any moment
        after = b"committed" if run < 3 else b"ready\n"
        lines = _kill_after(pid, read, rng.uniform(0.0, 0.6), after)
        written += [int(line.split()[1]) for line in lines if line.startswith("committed ")]
        visible = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        pack = next((p for p in visible if p.name.startswith("Bilagspakke")), None)
        agenda = next((p for p in visible if p.name.startswith("Dagsorden")), None)
        if written:
            assert pack is not None and agenda is not None
        for pdf_path in (p for p in (pack, agenda) if p is not None):
            with pikepdf.open(pdf_path) as pdf:  # complete: qpdf reads it without repair
                assert not pdf.get_warnings()
                count = len(pdf.pages)
            if pdf_path is pack:
                pages = pages or count
                assert count == pages
                version = _version_in(pypdf.PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
                # one that was reported, or the one in flight when the kill came
                in_flight = {w + 1 for w in written} | {r * 1000 for r in range(run + 1)}
                assert version in set(written) | in_flight
    assert len(written) >= 3, "too few writes finished between the kills"
    # what a kill leaves is hidden staging (".kkr-eksport-…"), never a visible half file
    assert all(
        p.name.startswith(".") for p in folder.iterdir() if p.suffix not in (".pdf", ".json")
    )
    # ... and the next export clears what a crash left there long enough ago
    # (one is made here too, so this does not depend on where the kills landed)
    (folder / ".kkr-eksport-efterladt").mkdir()
    (folder / ".kkr-eksport-efterladt" / "halv.pdf").write_bytes(b"%PDF-1.7 halv")
    leftovers = sorted(p for p in folder.iterdir() if p.name.startswith(".kkr-eksport-"))
    young = folder / ".kkr-eksport-i-gang"  # another export, still running
    young.mkdir()
    old = time.time() - 13 * 3600
    for path in leftovers:
        os.utime(path, (old, old))
    write_outputs(_snapshot(99), folder, [(OUTPUTS["agenda-pdf"], False)])
    assert [p for p in folder.iterdir() if p.name.startswith(".kkr-eksport-")] == [young]


def _version_in(pages) -> int:  # type: ignore[no-untyped-def]
    for page in pages:
        text = page.extract_text() or ""
        if "Version " in text:
            return int(text.split("Version ")[1].split()[0])
    pytest.fail("the pack holds no version")
