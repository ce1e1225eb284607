"""LibreOffice processes and their user profiles, for ``convert_office``.

Each concurrent ``soffice`` call gets its own user profile folder (two instances sharing
one silently lose files); profiles are reused within the process because a warm profile
starts faster, and deleted at exit.

Each profile also keeps one LibreOffice running, holding an empty text file open so it
does not quit when a conversion ends. A later ``--convert-to`` call with that profile
hands its files to the running office and waits for them: about 0.06 s instead of a
one-second start, which is what a second export with one changed bilag pays. The
running office is started on the first conversion and ended when it has been idle for
ten minutes, at exit, on a timeout, a crash or a cancel; if it cannot start, calls run
cold as before. On Windows it is not used (untried there): every call starts cold.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from export.conversion.office_settings import apply_settings

if TYPE_CHECKING:
    from export.conversion.convert_office import OfficeSuite

#: How often a starting office is looked at.
_POLL = 0.05
#: A running office nobody used for this long is ended (it holds ~150 MB).
IDLE_SECONDS = 600.0


def new_group() -> dict:
    """Popen arguments that put the office in its own process group."""
    if sys.platform == "win32":  # and no console window flashing up from the GUI
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW}
    return {"start_new_session": True}


def kill_tree(process: subprocess.Popen) -> None:
    """soffice is a launcher that starts soffice.bin: kill the whole group."""
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            creationflags=subprocess.CREATE_NO_WINDOW,
        )
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def unlock(profile: Path) -> None:
    """A killed instance leaves its lock in the profile; the next start must not mistake
    it for a running one."""
    for lock in (profile / ".lock", profile / "user" / ".lock"):
        with contextlib.suppress(OSError):
            lock.unlink()


# -- the running offices ----------------------------------------------------------------


class WarmOffices:
    """One running LibreOffice per profile, which later calls with that profile hand
    their files to. A profile is *busy* from ``ensure`` to ``idle``: only then may the
    idle timer end its office. An office is watched from the moment it is started, so
    it cannot outlive this process even if that ends while the office starts."""

    #: Opened by the running office so it does not quit after a conversion.
    KEEP_OPEN = "kkr-hold-aaben.txt"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[Path, subprocess.Popen] = {}  # started, maybe not ready yet
        self._watchers: dict[Path, subprocess.Popen] = {}
        self._timers: dict[Path, threading.Timer] = {}
        self._busy: set[Path] = set()
        self._failed: set[str] = set()  # executables whose office did not come up
        self._closed = False  # after end_all at exit: start nothing new

    def ensure(
        self, suite: OfficeSuite, profile: Path, stop: threading.Event, timeout: float
    ) -> bool:
        """Start the office for ``profile`` unless it runs; True when it is ready. Never
        raises: whatever goes wrong, the call runs cold."""
        if not _supported(suite):
            return False
        try:
            return self._ensure(str(suite.executable), profile, stop, timeout)
        except Exception:  # a vanished profile, no memory to fork: cold, as before
            self.end(profile)
            return False

    def _ensure(
        self, executable: str, profile: Path, stop: threading.Event, timeout: float
    ) -> bool:
        with self._lock:
            self._busy.add(profile)
            timer = self._timers.pop(profile, None)
            if timer is not None:
                timer.cancel()
            process = self._running.get(profile)
            # the office of another executable (KKR_SOFFICE changed) is not handed files
            if process is not None and process.poll() is None and process.args[0] == executable:
                return True
            refused = self._closed or executable in self._failed
        # one that died on its own, or another executable's: its watcher and lock go too
        self.end(profile)
        if refused:
            return False
        keep = profile / self.KEEP_OPEN
        ready = profile / f".~lock.{self.KEEP_OPEN}#"  # written once the file is open
        with contextlib.suppress(OSError):
            ready.unlink()
        profile.mkdir(parents=True, exist_ok=True)
        keep.write_bytes(b"")
        command = [
            executable,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile.as_uri()}",
            str(keep),
        ]
        with self._lock:
            if self._closed:
                return False
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=str(profile),
                **new_group(),
            )
            self._running[profile] = process
            self._watchers[profile] = _watch(process)
        deadline = time.monotonic() + timeout
        while not ready.exists():
            gave_up = stop.is_set() or time.monotonic() > deadline
            if process.poll() is not None or gave_up:
                self.end(profile)
                if not stop.is_set():
                    with self._lock:
                        self._failed.add(executable)
                return False
            time.sleep(_POLL)
        return True

    def idle(self, profile: Path, after: float | None = None) -> None:
        """The profile's call is over: end its office if nothing uses it for a while."""
        with self._lock:
            self._busy.discard(profile)
            if profile not in self._running:
                return
            timer = threading.Timer(
                IDLE_SECONDS if after is None else after,
                lambda: self._end_if_idle(profile, timer),
            )
            timer.daemon = True
            self._timers[profile] = timer
        timer.start()

    def _end_if_idle(self, profile: Path, timer: threading.Timer) -> None:
        with self._lock:  # checked and taken in one hold: ensure cannot slip in between
            if profile in self._busy or self._timers.get(profile) is not timer:
                return
            taken = self._take(profile)
        _stop(profile, *taken)

    def end(self, profile: Path) -> None:
        with self._lock:
            taken = self._take(profile)
        _stop(profile, *taken)

    def end_all(self) -> None:
        """End every office, and start no new one (at exit)."""
        with self._lock:
            self._closed = True
            taken = {profile: self._take(profile) for profile in list(self._running)}
        for profile, (process, watcher) in taken.items():
            _stop(profile, process, watcher)

    def running(self, profile: Path) -> subprocess.Popen | None:
        with self._lock:
            return self._running.get(profile)

    def _take(self, profile: Path) -> tuple[subprocess.Popen | None, subprocess.Popen | None]:
        """Under the lock: the profile's office and watcher, no longer registered."""
        timer = self._timers.pop(profile, None)
        if timer is not None:
            timer.cancel()
        return self._running.pop(profile, None), self._watchers.pop(profile, None)


def _supported(suite: OfficeSuite) -> bool:
    """Windows: untried there. A frozen build has no Python to run the watcher with, and
    an office nobody watches could outlive a crashed app: both run every call cold."""
    return suite.executable is not None and sys.platform != "win32" and not _frozen()


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _stop(
    profile: Path, process: subprocess.Popen | None, watcher: subprocess.Popen | None
) -> None:
    if watcher is not None:  # first, so it can never kill a reused group id
        watcher.kill()
        watcher.wait()
    if process is not None:
        kill_tree(process)
        unlock(profile)


#: Waits for its stdin to close, which happens when this process ends in any way (also
#: killed, where atexit never runs), then kills the office's process group.
_WATCHER = (
    "import os, sys\nsys.stdin.buffer.read()\ntry: os.killpg({pgid}, 9)\nexcept OSError: pass"
)


def _watch(process: subprocess.Popen) -> subprocess.Popen:
    """A running office must not outlive this process, even one that crashed."""
    return subprocess.Popen(
        [sys.executable, "-c", _WATCHER.format(pgid=process.pid)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C in the terminal must not end it first
    )


WARM = WarmOffices()


# -- profiles ---------------------------------------------------------------------------


def work_root(suite: OfficeSuite) -> str:
    """Where inputs, outputs and profiles go: the system temp folder, except for a
    sandboxed LibreOffice (snap, flatpak) that cannot see it."""
    path = str(suite.executable or "")
    if "/snap/" in path:
        root = Path.home() / "kkr-dagsorden-konvertering"
    elif "flatpak" in path:
        root = Path.home() / ".cache" / "kkr-dagsorden"
    else:
        return tempfile.gettempdir()
    root.mkdir(parents=True, exist_ok=True)
    return str(root)


class ProfilePool:
    """LibreOffice user profiles for this process: one per concurrent call, reused."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Path] = []
        self._made: list[Path] = []

    def acquire(self, suite: OfficeSuite) -> Path:
        with self._lock:
            if self._free:
                path = self._free.pop()
                path.mkdir(parents=True, exist_ok=True)  # in case something removed it
            else:
                root = work_root(suite)
                if not self._made:
                    _remove_stale(Path(root))
                path = Path(tempfile.mkdtemp(prefix=f"kkr-lo-profil-{os.getpid()}-", dir=root))
                self._made.append(path)
        # before any office starts with it: nothing linked is fetched, no macro runs
        apply_settings(path)
        return path

    def release(self, path: Path) -> None:
        with self._lock:
            if path in self._made:
                self._free.append(path)

    def reset(self) -> None:
        """Delete the idle profiles, so the next call starts cold (for benchmarks)."""
        with self._lock:
            for path in self._free:
                WARM.end(path)
                shutil.rmtree(path, ignore_errors=True)
                self._made.remove(path)
            self._free.clear()

    def remove_all(self) -> None:
        WARM.end_all()
        with self._lock:
            for path in self._made:
                shutil.rmtree(path, ignore_errors=True)
            self._made.clear()
            self._free.clear()


def _remove_stale(root: Path, days: float = 7) -> None:
    """Profiles left by a process that crashed (atexit never ran) go after a week; never
    those of a process still running (a window open for a fortnight)."""
    cutoff = time.time() - days * 86400
    for stale in root.glob("kkr-lo-profil-*"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(stale.name.split("-")[3])
            if pid != os.getpid() and not _alive(pid) and stale.stat().st_mtime < cutoff:
                shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would send a Ctrl-C there: go by age
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


PROFILES = ProfilePool()
atexit.register(PROFILES.remove_all)
