"""PySide6 6.12.0 on Python 3.11 loses a reference to True on every signal emit; the gui
package guards against it (gui/qt_compat.py), or a long session would abort."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import gui  # noqa: F401  (applies the guard)


class Chatty(QObject):
    value = Signal(object)
    ping = Signal()

    def slot(self) -> None:
        pass


def test_thousands_of_signals_keep_true_alive():
    chatty = Chatty()
    before = sys.getrefcount(True)
    for n in range(20_000):
        chatty.value.emit(n)
        chatty.ping.emit()
        chatty.ping.connect(chatty.slot)
        chatty.ping.disconnect(chatty.slot)
    # without the guard, True's count (some hundreds) is gone after ~600 emits and the
    # interpreter aborts; with it, or on a PySide6 without the bug, plenty is left
    after = sys.getrefcount(True)
    assert after >= before - 100 or after > 100_000
