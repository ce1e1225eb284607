"""The LibreOffice kept running between conversions, and the profiles: a later call is
handed to the running office; it is replaced when it died, ended when idle, at exit, when
this process is killed (also while it starts); a failing start runs the call cold; the
idle timer never ends an office in use; stale profiles of dead processes are removed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

from export.conversion import convert_office, office_processes
from export.conversion.convert_office import OfficeSuite
from export.conversion.office_processes import WarmOffices
from tests.test_convert import pdf_texts, run
from tests.test_convert_office import _alive, real_docx

ROOT = Path(__file__).resolve().parents[1]


def _offices_using(profile: str) -> list[int]:
    """Pids of the soffice processes whose command line names ``profile``."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and _alive(int(proc.name)):
            try:
                command = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if "soffice" in command and profile in command:
                found.append(int(proc.name))
    return found


def _warm_pid() -> int:
    (process,) = office_processes.WARM._running.values()
    return process.pid


@pytest.mark.slow
def test_a_later_call_is_handed_to_the_office_already_running(launches, monkeypatch):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    office_processes.PROFILES.reset()
    first = run({"første.docx": real_docx("Første notat om Ærø")})["første.docx"]
    assert "Første notat om Ærø" in pdf_texts(first.pdf)[0]
    warm = _warm_pid()
    assert _alive(warm)  # the office stayed up after the call ended
    for n in range(3):
        name = f"senere {n}.docx"
        later = run({name: real_docx(f"Senere notat {n} om Præstø")})[name]
        assert later.error is None and f"Senere notat {n} om Præstø" in pdf_texts(later.pdf)[0]
    # every call used the one profile, and the same office served them all
    assert len({next(a for a in cmd if a.startswith("-env:")) for cmd in launches}) == 1
    assert _warm_pid() == warm and _alive(warm)


@pytest.mark.slow
def test_a_killed_running_office_is_replaced_and_the_call_still_converts(monkeypatch):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    office_processes.PROFILES.reset()
    run({"a.docx": real_docx("Notat A")})
    killed = _warm_pid()
    os.killpg(killed, 9)
    time.sleep(0.2)
    result = run({"b.docx": real_docx("Notat B efter nedbrud")})["b.docx"]
    assert result.error is None and "Notat B efter nedbrud" in pdf_texts(result.pdf)[0]
    assert _warm_pid() != killed and _alive(_warm_pid())


@pytest.mark.slow
def test_a_running_office_nobody_uses_is_ended(monkeypatch):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    monkeypatch.setattr(office_processes, "IDLE_SECONDS", 0.5)
    office_processes.PROFILES.reset()
    assert "Notat A" in pdf_texts(run({"a.docx": real_docx("Notat A")})["a.docx"].pdf)[0]
    first = _warm_pid()
    time.sleep(0.2)
    assert _alive(first)  # not yet
    time.sleep(1.0)
    assert not _alive(first) and office_processes.WARM._running == {}
    # the next call starts a new one, and converts
    assert "Notat B" in pdf_texts(run({"b.docx": real_docx("Notat B")})["b.docx"].pdf)[0]
    assert _warm_pid() != first


@pytest.mark.slow
@pytest.mark.parametrize("ending", ["", "os.kill(os.getpid(), 9)"], ids=["exit", "killed"])
def test_the_running_offices_end_with_the_process(ending):
    code = (
        textwrap.dedent(
            """\
        import os
        from export.conversion import office_processes
        from tests.test_convert import run
        from tests.test_convert_office import real_docx
        result = run({"a.docx": real_docx("Notat")})["a.docx"]
        assert result.pdf is not None
        (process,) = office_processes.WARM._running.values()
        print(list(office_processes.WARM._running)[0].name, process.pid, flush=True)
        """
        )
        + ending
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=not ending,
    )
    profile, pid = done.stdout.split()
    assert profile.startswith("kkr-lo-profil-") and int(pid) > 0
    try:
        assert _gone(profile, int(pid))
    finally:  # a killed process leaves its profile (the next start's clean-up would not)
        shutil.rmtree(Path(tempfile.gettempdir(), profile), ignore_errors=True)


def _gone(profile: str, pid: int | None = None, within: float = 5.0) -> bool:
    """True once no office names ``profile`` (and ``pid`` is dead) – a watcher needs a
    moment to notice."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not _offices_using(profile) and (pid is None or not _alive(pid)):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize(
    "ending", ["sys.exit(0)", "os.kill(os.getpid(), 9)"], ids=["exit", "killed"]
)
def test_an_office_still_starting_ends_with_the_process(ending):
    """The process ends while its office is starting (a Ctrl-C, a quick quit)."""
    code = (
        textwrap.dedent(
            """\
        import os, sys, threading, time
        from export.conversion import office_processes as op
        from export.conversion.convert_office import find_libreoffice
        suite = find_libreoffice()
        profile = op.PROFILES.acquire(suite)
        print(profile, flush=True)
        args = (suite, profile, threading.Event(), 60)
        threading.Thread(target=op.WARM.ensure, args=args, daemon=True).start()
        time.sleep(0.6)  # started, not ready yet (a first start takes over a second)
        """
        )
        + ending
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    profile = done.stdout.split("\n")[0].strip()
    assert profile, done.stderr
    try:
        assert _gone(Path(profile).name)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_a_start_that_fails_runs_the_call_cold_instead_of_raising(tmp_path):
    blocker = tmp_path / "en fil"
    blocker.write_text("ikke en mappe")
    suite = OfficeSuite("LibreOffice", "libreoffice", "7.4", Path(sys.executable))
    warm = WarmOffices()
    assert warm.ensure(suite, blocker / "profil", threading.Event(), 5) is False
    assert warm.running(blocker / "profil") is None


@pytest.mark.slow
def test_a_profile_removed_under_us_is_made_again(monkeypatch):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    office_processes.PROFILES.reset()
    run({"a.docx": real_docx("Notat A")})
    (profile,) = office_processes.WARM._running
    office_processes.WARM.end(profile)
    shutil.rmtree(profile)  # as another instance's clean-up of a week-old profile would
    result = run({"b.docx": real_docx("Notat B")})["b.docx"]
    assert result.error is None and "Notat B" in pdf_texts(result.pdf)[0]


def test_the_idle_timer_never_ends_an_office_in_use(tmp_path):
    warm = WarmOffices()
    profile = tmp_path / "profil"
    process = subprocess.Popen(["sleep", "60"], start_new_session=True)
    warm._running[profile] = process
    try:
        warm.idle(profile, after=60)
        first = warm._timers[profile]
        warm._busy.add(profile)  # ensure took it just as the timer fired
        warm._end_if_idle(profile, first)
        assert process.poll() is None
        warm.idle(profile, after=60)  # the call is over: a new timer
        warm._end_if_idle(profile, first)  # the old one, late
        assert process.poll() is None
        warm._end_if_idle(profile, warm._timers[profile])
        assert process.wait(5) is not None and warm.running(profile) is None
    finally:
        process.kill()
        process.wait()


def test_profiles_left_by_a_crashed_process_are_removed_after_a_week(tmp_path):
    old = tmp_path / "kkr-lo-profil-999999-abc"
    new = tmp_path / "kkr-lo-profil-999998-def"
    running = tmp_path / f"kkr-lo-profil-{os.getppid()}-ghi"  # a window open for weeks
    for path in (old, new, running):
        (path / "user").mkdir(parents=True)
    week_ago = time.time() - 8 * 86400
    os.utime(old, (week_ago, week_ago))
    os.utime(running, (week_ago, week_ago))
    office_processes._remove_stale(tmp_path)
    assert not old.exists() and new.exists() and running.exists()
