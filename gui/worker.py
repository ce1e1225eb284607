"""Run a function off the UI thread, with progress and cancel (STYLE rule 8).

``run_in_background(fn, ...)`` calls ``fn(state, *args)`` on a pool thread, where
``state`` is a ``agenda.tasks.TaskState``; the returned ``Task`` delivers progress, the
result or the exception on the UI thread through its signals. Every long job (export,
conversion, import) goes through here. The function gets data, never the workspace
connection (STYLE rule 6).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from agenda.tasks import Cancelled

#: Tasks still running: Qt does not keep a Python reference to them (STYLE rule 12).
_running: set[Task] = set()


class Task(QObject):
    """One background job, seen from the UI thread."""

    progressed = Signal(int, int, str)  # done, total, label (within the current stage)
    stage_changed = Signal(int, int, str)  # stage index, stage count, label (overall)
    succeeded = Signal(object)  # the function's result
    failed = Signal(object)  # the exception it raised
    was_cancelled = Signal()
    done = Signal()  # after any of the three above

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self._fn = fn
        self._args = args
        self._cancel = threading.Event()
        self.finished = False

    # -- the TaskState protocol, called on the worker thread ----------------------------
    def report(self, done: int, total: int, label: str) -> None:
        self.progressed.emit(done, total, label)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def stage(self, index: int, count: int, label: str) -> None:
        """A job of several parts (one output file each) says which part it is in."""
        self.stage_changed.emit(index, count, label)

    # -- called on the UI thread ---------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def _forget(self) -> None:
        self.finished = True
        _running.discard(self)

    def _run(self) -> None:  # on the worker thread; signals are queued to the UI thread
        try:
            result = self._fn(self, *self._args)
        except Cancelled:
            self.was_cancelled.emit()
        except BaseException as error:  # delivered to the UI thread, which decides
            self.failed.emit(error)
        else:
            if self._cancel.is_set():
                self.was_cancelled.emit()
            else:
                self.succeeded.emit(result)
        self.done.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        self.task._run()


def _pool() -> QThreadPool:
    return QThreadPool.globalInstance()


def run_in_background(fn: Callable[..., Any], *args: Any) -> Task:
    """Start ``fn(state, *args)`` on a worker thread. Connect the returned task's signals
    to methods of QObjects right away: they are queued to the UI thread."""
    task = Task(fn, args)
    _running.add(task)
    task.done.connect(task._forget)
    _pool().start(_Runnable(task))
    return task


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until every background job has returned (on quit, and in tests)."""
    return _pool().waitForDone(timeout_ms)
