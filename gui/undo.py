"""Thin QUndoCommands over the domain's operations (STYLE rule 10).

The command holds data only: the operation to (re)do and its inverse. Applying either
goes through ``MeetingSession.apply``, which saves the meeting in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoGroup

from gui.errors import report_exception
from gui.i18n import _

if TYPE_CHECKING:
    from gui.session import MeetingSession

#: QUndoCommand.id() of edits that merge while the user keeps typing in one field.
TYPING_ID = 1


class EditCommand(QUndoCommand):
    """One user edit, already applied when pushed (so a failure never reaches the stack)."""

    def __init__(
        self,
        session: MeetingSession,
        redo_op: Any,
        inverse: Any,
        text: str,
        merge_key: object | None = None,
    ) -> None:
        super().__init__(text)
        self._session = session
        self.redo_op = redo_op
        self.inverse = inverse
        self.merge_key = merge_key
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # the first redo is the push: the edit is already done
            return
        try:
            self.inverse, self.redo_op = self._session.apply(self.redo_op)
        except Exception as error:  # Qt called us: report here, it cannot
            report_exception(error)
            return
        self._applied = True

    def undo(self) -> None:
        try:
            self.redo_op, self.inverse = self._session.apply(self.inverse)
        except Exception as error:
            report_exception(error)
            return
        self._applied = False

    def id(self) -> int:
        return TYPING_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        # keep our inverse (the state before the first keystroke), take the newest edit
        self.redo_op = other.redo_op
        return True


class UndoActions(QObject):
    """The window's one Fortryd and Gentag, over the active meeting's stack.

    Unlike QUndoGroup's own actions they first save what is being typed (``flush``), so
    Ctrl+Z right after a word takes that word back, and Fortryd is on while there is
    typing not yet saved (``pending``).
    """

    def __init__(
        self,
        group: QUndoGroup,
        parent: QObject,
        *,
        flush: Callable[[], None],
        pending: Callable[[], bool],
    ) -> None:
        super().__init__(parent)
        self.group, self._flush, self._pending = group, flush, pending
        self.undo = QAction(_("Undo"), parent)
        self.undo.setShortcuts(undo_shortcuts())
        self.redo = QAction(_("Redo"), parent)  # "Gentag", as in Office
        self.redo.setShortcuts(redo_shortcuts())
        self.undo.triggered.connect(self._undo)
        self.redo.triggered.connect(self._redo)
        for signal in (
            group.activeStackChanged,
            group.indexChanged,
            group.canUndoChanged,
            group.canRedoChanged,
            group.undoTextChanged,
            group.redoTextChanged,
        ):
            signal.connect(self.update)
        self.update()

    def update(self, *_args: object) -> None:
        pending = self._pending()
        undo_text = _("Edit text") if pending else self.group.undoText()
        self.undo.setEnabled(pending or self.group.canUndo())
        self.undo.setText(_label(_("Undo"), undo_text if self.undo.isEnabled() else ""))
        # typing not yet saved is newer than anything to redo: saving it ends the redo
        can_redo = self.group.canRedo() and not pending
        self.redo.setEnabled(can_redo)
        self.redo.setText(_label(_("Redo"), self.group.redoText() if can_redo else ""))

    def _undo(self) -> None:
        self._flush()
        self.group.undo()
        self.update()

    def _redo(self) -> None:
        self._flush()
        self.group.redo()
        self.update()


def _label(verb: str, what: str) -> str:
    return f"{verb} {what}" if what else verb


def undo_shortcuts() -> list[QKeySequence]:
    keys = [QKeySequence("Ctrl+Z")]
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Undo):
        if key not in keys:
            keys.append(key)
    return keys


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Y, which Danish Office users know, Ctrl+Shift+Z, and the platform's own."""
    keys = [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo):
        if key not in keys:
            keys.append(key)
    return keys
