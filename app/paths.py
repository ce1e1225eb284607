"""Where the app keeps its files (user data, backups, logs), for the CLI and the window;
``storage.paths`` decides, this module passes it on so neither reaches into storage."""

from __future__ import annotations

from storage.paths import (
    default_workspace_path,
    demo_workspace_path,
    user_backup_dir,
    user_data_dir,
    user_log_dir,
)

__all__ = [
    "default_workspace_path",
    "demo_workspace_path",
    "user_backup_dir",
    "user_data_dir",
    "user_log_dir",
]
