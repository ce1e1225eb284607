"""Who does something, and when: one source for both, for the CLI and the window alike.

The user is the operating system's login name (``getpass.getuser``, which reads
``LOGNAME``/``USER``/``USERNAME`` and then the password database); the time is stored in
UTC as an ISO timestamp and shown in local time (``shown``). Before this module the
command line took ``$USER`` and local time, the window ``getpass`` and UTC.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

UNKNOWN_USER = "ukendt"


def current_user() -> str:
    """The login name of whoever runs the app; ``ukendt`` where the system has none."""
    try:
        return getpass.getuser() or UNKNOWN_USER
    except (OSError, KeyError, ImportError):  # no such variable and no password entry
        return UNKNOWN_USER


def now() -> datetime:
    """The moment, in UTC: what is stored."""
    return datetime.now(UTC)


def shown(moment: datetime) -> datetime:
    """A stored moment as the user's clock shows it."""
    return moment.astimezone()
