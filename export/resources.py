"""Where the bundled resources (templates, fonts) are, from source and when frozen.

One function, so every module finds them the same way and the PyInstaller build only
has to ship ``resources/`` beside the packages.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    """``resources/`` beside the packages; PyInstaller unpacks it under ``sys._MEIPASS``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file or folder under ``resources/``: ``resource_path("fonts", "DejaVuSans.ttf")``."""
    return resource_dir().joinpath(*parts)
