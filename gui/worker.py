"""Run a function off the UI thread, with progress and cancel (STYLE rule 8).

``run_in_background(fn, ...)`` calls ``fn(state, *args)`` on a worker thread, where
``state`` is a ``agenda.tasks.TaskState``; the returned ``Task`` delivers progress, the
result or the exception on the UI thread through its signals. Every long job (export,
conversion, import) goes through here. The function gets data, never the workspace
connection (STYLE rule 6).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from agenda.tasks import Cancelled

#: Tasks still running: Qt does not keep a Python reference to them (STYLE rule 12).
_running: set[Task] = set()
_threads: set[threading.Thread] = set()


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
        #: set once the worker thread holds no reference to this object any more, so the
        #: last reference is always dropped, and the QObject destroyed, on the UI thread
        self._released = threading.Event()
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
        self._released.wait(5.0)  # the worker lets go right after its last emit
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


def _work(task: Task) -> None:
    """The thread's body: run the job, then let go of the task before saying so."""
    released = task._released
    try:
        task._run()
    finally:
        del task
        released.set()


def run_in_background(
    fn: Callable[..., Any],
    *args: Any,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_stage: Callable[[int, int, str], None] | None = None,
) -> Task:
    """Start ``fn(state, *args)`` on a worker thread. The callbacks (methods of QObjects,
    so they run on the UI thread) are connected before the job starts: a job that is
    done at once cannot finish unheard."""
    task = Task(fn, args)
    _running.add(task)
    task.done.connect(task._forget)
    for signal, slot in (
        (task.succeeded, on_success),
        (task.failed, on_failure),
        (task.was_cancelled, on_cancel),
        (task.progressed, on_progress),
        (task.stage_changed, on_stage),
    ):
        if slot is not None:
            signal.connect(slot)
    thread = threading.Thread(target=_work, args=(task,), name="kkr-worker", daemon=True)
    _threads.add(thread)
    thread.start()
    return task


def wait_for_all(timeout: float = 30.0) -> bool:
    """Block until every background job has returned (on quit, and in tests)."""
    deadline = time.monotonic() + timeout
    for thread in list(_threads):
        thread.join(max(0.0, deadline - time.monotonic()))
        if not thread.is_alive():
            _threads.discard(thread)
    return not _threads
