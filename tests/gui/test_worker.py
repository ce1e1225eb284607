"""The worker helper: results, errors and cancellation arrive on the UI thread, even
from a job that is done before the caller's next line."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject

from agenda.tasks import check
from gui.worker import run_in_background


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: list = []
        self.threads: set = set()

    def got(self, value) -> None:  # type: ignore[no-untyped-def]
        self.results.append(value)
        self.threads.add(threading.current_thread())


def test_instant_jobs_are_never_lost(qtbot):
    receiver = Receiver()
    for n in range(50):
        run_in_background(lambda state, n=n: n * 2, on_success=receiver.got)
    qtbot.waitUntil(lambda: len(receiver.results) == 50, timeout=5000)
    assert sorted(receiver.results) == [n * 2 for n in range(50)]
    assert receiver.threads == {threading.main_thread()}


def test_errors_and_cancel_reach_the_ui_thread(qtbot):
    receiver = Receiver()

    def fails(state):  # type: ignore[no-untyped-def]
        raise ValueError("boom")

    run_in_background(fails, on_failure=receiver.got)
    qtbot.waitUntil(lambda: bool(receiver.results), timeout=5000)
    assert isinstance(receiver.results[0], ValueError)
    assert receiver.threads == {threading.main_thread()}

    def loops(state):  # type: ignore[no-untyped-def]
        for n in range(1000):
            check(state)
            state.report(n, 1000, f"{n}")
            time.sleep(0.01)

    class Watcher(Receiver):
        def progress(self, done: int, total: int, label: str) -> None:
            self.threads.add(threading.current_thread())

        def cancelled(self) -> None:
            self.got("cancelled")

    watcher = Watcher()
    task = run_in_background(loops, on_progress=watcher.progress, on_cancel=watcher.cancelled)
    qtbot.wait(50)
    task.cancel()
    qtbot.waitUntil(lambda: watcher.results == ["cancelled"], timeout=1000)
    qtbot.waitUntil(lambda: task.finished, timeout=1000)
    assert watcher.threads == {threading.main_thread()}
