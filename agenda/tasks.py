"""Progress and cancellation for long work, without knowing who runs it.

Export, conversion and import take a ``TaskState``; the GUI's worker helper passes one
that updates a progress bar and answers Cancel, the CLI one that prints to stderr.
Cancellation is checked between attachments (``state.check()``).
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """The user pressed Cancel; nothing was written."""


class TaskState(Protocol):
    def report(self, done: int, total: int, label: str) -> None: ...
    def cancelled(self) -> bool: ...


class NullTaskState:
    """For callers that neither show progress nor cancel (tests, scripts)."""

    def report(self, done: int, total: int, label: str) -> None:
        pass

    def cancelled(self) -> bool:
        return False


def check(state: TaskState) -> None:
    if state.cancelled():
        raise Cancelled()
