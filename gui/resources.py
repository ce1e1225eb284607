"""Where the bundled resources (icons, translations) are, from source and when frozen."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon


def resource_dir() -> Path:
    """``resources/`` beside the packages; PyInstaller unpacks it under ``sys._MEIPASS``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@cache
def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg`` (cached: the same QIcon for every row).

    ``<name>-selected.svg``, where there is one, is drawn on a selected row: Qt's own
    selected look tints the icon with the highlight colour, which made the yellow
    padlock all but vanish on a blue row."""
    folder = resource_dir() / "icons"
    result = QIcon(str(folder / f"{name}.svg"))
    selected = folder / f"{name}-selected.svg"
    if selected.exists():
        result.addFile(str(selected), QSize(), QIcon.Mode.Selected)
    return result


def app_icon() -> QIcon:
    return QIcon(str(resource_dir() / "app-icon.png"))
