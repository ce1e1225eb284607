"""Where the app keeps its files (user data, backups, logs), for the CLI and the window;
``storage.paths`` decides (asked at each call), this module passes it on so neither
reaches into storage."""

from __future__ import annotations

from pathlib import Path


def user_log_dir() -> Path:
    from storage import paths

    return Path(paths.user_log_dir())
