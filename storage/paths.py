"""Where the workspace, its backups and the log live on the user's machine (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "KKR Dagsorden"
WORKSPACE_FILE = "arbejdsomraade.kkrdb"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_workspace_path() -> Path:
    return user_data_dir() / WORKSPACE_FILE


def demo_workspace_path() -> Path:
    return user_data_dir() / "demo.kkrdb"


def user_backup_dir() -> Path:
    return user_data_dir() / "backups"


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
