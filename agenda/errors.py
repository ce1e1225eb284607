"""Expected failures. Each carries a plain-Danish message for the user: what went
wrong, with which file, and what to do. Anything that is not one of these is a bug
and goes to the crash dialog (GUI) or a traceback (CLI)."""

from __future__ import annotations


class UserFacingError(Exception):
    """An expected failure; ``str(error)`` is the Danish message shown to the user."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class WorkspaceError(UserFacingError):
    """The workspace file cannot be opened or written (not SQLite, newer, read-only, locked)."""


class ExchangeError(UserFacingError):
    """A meeting exchange file is malformed or names files that are not there."""


class ConversionError(UserFacingError):
    """An attachment could not be turned into PDF."""


class ExportError(UserFacingError):
    """An output document could not be written."""


class StaleEditError(UserFacingError):
    """Someone else changed the row since it was read."""


class NotFoundError(UserFacingError):
    """A meeting, case or attachment the user named does not exist."""
