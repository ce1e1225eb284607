"""A workaround for a reference-counting bug in PySide6 6.12.0 on Python < 3.12.

``SignalInstance.emit()`` and ``.disconnect()`` return ``True`` without taking a new
reference to it, so every call from Python lowers ``True``'s reference count by one.
Python 3.12 made ``True`` immortal; on 3.11 the count reaches zero after some hundreds of
signals and the interpreter aborts ("bool_dealloc: deallocating True or False") — in the
middle of an export, or at exit. Measured here: 50 emits, ``sys.getrefcount(True)`` 50
lower.

``apply()`` checks for the bug with a probe signal and, only where it is found, gives
``True`` and ``False`` a reference count no session can use up (what 3.12 does for
them anyway). It runs once, when the ``gui`` package is imported.
"""

from __future__ import annotations

import ctypes
import sys

_applied = False
_HEADROOM = 1 << 40  # references: ~10^12 signals before the count could reach zero


def signal_emit_loses_references() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def apply() -> bool:
    """Make the bug harmless if this PySide6 has it. True when the workaround is on."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # bools are immortal there: nothing to protect
    if not signal_emit_loses_references():
        return False
    for value in (True, False):
        # ob_refcnt is the first field of every CPython object
        ctypes.c_ssize_t.from_address(id(value)).value += _HEADROOM
    _applied = True
    return True
