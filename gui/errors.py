"""Two kinds of error, caught at the edges (STYLE rules 14-15).

A ``UserFacingError`` is expected: its Danish message goes in a message box. Anything
else is a bug: the crash dialog shows the traceback with "Kopiér detaljer", and it is
logged to a file in the user's log folder. ``sys.excepthook`` catches what escapes a
slot; ``guarded`` wraps slots so an error never leaves an action half-done silently.
"""

from __future__ import annotations

import functools
import inspect
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from agenda.errors import UserFacingError
from gui.i18n import _

log = logging.getLogger("kkr_dagsorden")
F = TypeVar("F", bound=Callable[..., Any])

_log_file: Path | None = None


def log_dir() -> Path:
    try:
        from app.paths import user_log_dir

        return Path(user_log_dir())
    except ImportError:
        from platformdirs import user_log_dir as platform_log_dir

        return Path(platform_log_dir("KKR Dagsorden", appauthor=False))


def setup_logging(directory: Path | None = None) -> Path:
    """Log to ``gui.log`` in the user's log folder; returns the file's path."""
    from logging.handlers import RotatingFileHandler

    global _log_file
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _log_file = directory / "gui.log"
    handler = RotatingFileHandler(_log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return _log_file


def show_user_error(parent: QWidget | None, error: UserFacingError) -> None:
    QMessageBox.warning(parent, _("KKR Dagsorden"), error.message)


class CrashDialog(QDialog):
    """A bug: say so plainly, show the details, let the user copy them for support."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("An unexpected error occurred"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        text = _(
            "Something went wrong inside the program. What you saved is still in the "
            "workspace. Please send the details below to the person who supports the program."
        )
        if _log_file is not None:
            text += " " + _("They have also been written to the log file %(path)s.") % {
                "path": _log_file
            }
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())


def report_exception(error: BaseException, parent: QWidget | None = None) -> None:
    """Show any exception the right way: a message box or the crash dialog."""
    if isinstance(error, UserFacingError):
        log.info("user error: %s", error.message)
        show_user_error(parent, error)
        return
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    log.error("unexpected error\n%s", details)
    if QApplication.instance() is None:
        sys.__stderr__.write(details)
        return
    dialog = CrashDialog(details, parent)
    dialog.exec()


def excepthook(kind, value, tb) -> None:  # type: ignore[no-untyped-def]
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    report_exception(value.with_traceback(tb), QApplication.activeWindow())


def install_excepthook() -> None:
    sys.excepthook = excepthook


def guarded(slot: F) -> F:
    """Wrap a slot (a method of a QWidget, or of a QObject a widget owns, such as a
    menu) so any error reaches the user as it should, over that widget's window."""

    # Qt passes a signal's arguments (clicked's ``checked``) whether the slot wants them
    # or not; give the slot only as many as it takes.
    params = list(inspect.signature(slot).parameters.values())[1:]
    takes_all = any(p.kind is p.VAR_POSITIONAL for p in params)
    positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)

    @functools.wraps(slot)
    def wrapper(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not takes_all:
            args = args[:positional]
        try:
            return slot(self, *args, **kwargs)
        except Exception as error:  # the edge: every error becomes a message
            report_exception(error, _window_of(self))
            return None

    return wrapper  # type: ignore[return-value]


def _window_of(owner: object) -> QWidget | None:
    if not isinstance(owner, QWidget) and isinstance(owner, QObject):
        owner = owner.parent()
    return owner.window() if isinstance(owner, QWidget) else None
