"""The desktop app (PySide6). The only package that imports Qt."""

from gui import qt_compat

qt_compat.apply()  # before any signal is emitted: see gui/qt_compat.py
