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


class DuplicateMeetingError(ExchangeError):
    """The meeting being imported is already in the workspace (``existing_id``); nothing
    was imported. The user may import it anyway, as a new meeting beside that one.

    ``situation`` names the existing meeting; the message adds ``advice``, what to do,
    which each interface words for its own way of importing anyway."""

    def __init__(
        self, situation: str, advice: str, *, existing_id: int, path: str | None = None
    ) -> None:
        super().__init__(f"{situation} {advice}", path=path)
        self.situation = situation
        self.existing_id = existing_id


class ConversionError(UserFacingError):
    """An attachment could not be turned into PDF."""


class ExportError(UserFacingError):
    """An output document could not be written."""


class StaleEditError(UserFacingError):
    """Someone else changed the row since it was read."""


class NotFoundError(UserFacingError):
    """A meeting, case or attachment the user named does not exist."""


_OS_REASONS = {
    "ENOSPC": "disken er fuld",
    "EDQUOT": "din kvote på drevet er brugt op",
    "EFBIG": "filen er for stor til drevet (fx et USB-stik med FAT32)",
    "EACCES": "du har ikke adgang til at skrive der",
    "EPERM": "du har ikke adgang til at skrive der",
    "EROFS": "drevet er skrivebeskyttet",
    "ENOTDIR": "en del af stien er en fil, ikke en mappe",
    "EISDIR": "der ligger en mappe med det navn",
    "ENOENT": "mappen findes ikke (længere)",
    "EEXIST": "der ligger allerede en fil med det navn",
    "EBUSY": "filen er i brug af et andet program",
    "ENAMETOOLONG": "navnet eller stien er for lang",
    "EIO": "drevet svarer ikke (et netværks- eller USB-drev, der er faldet ud?)",
}


def os_error_reason(error: OSError) -> str:
    """What an operating-system error means, in Danish (``strerror`` is English)."""
    import errno

    for name, reason in _OS_REASONS.items():
        if error.errno is not None and error.errno == getattr(errno, name, None):
            return reason
    return error.strerror or str(error)


def is_disk_full(error: OSError) -> bool:
    import errno

    return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


class RecordLockedError(UserFacingError):
    """A held meeting (or one whose minutes are approved) is a record: the change asked
    for is refused, and nothing was saved. Only the minutes may change while it is held;
    after approval only a correction (``Rettelse``) can be added. Not a StaleEditError:
    the window's copy is still the stored one, so nothing needs reloading."""


class SentItemMoveError(UserFacingError):
    """Moving an item that was sent with a number changes what members have read: the
    window asks before it moves (``confirmed=True``). ``number`` is the sent number."""

    def __init__(self, message: str, *, number: str) -> None:
        super().__init__(message)
        self.number = number
