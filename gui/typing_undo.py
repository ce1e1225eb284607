"""Typing as undo steps of one word, as in Word, on the window's one undo stack.

The item editor saves what is typed after a short pause; this watcher decides where
one undo step of typing ends, so Ctrl+Z takes back the last word, not a paragraph:

- a word and the spaces or punctuation typed after it are one step ("indstilles ");
  a letter typed after a space begins the next step;
- deleting (Backspace, Delete) is a step of its own, as long as it goes on;
- a cursor jump (a click, an arrow key), another field, a paste or any other key
  ends the step.

A pause saves without ending the step: the word typed on after it merges into the same
undo command (``EditCommand.mergeWith``), so a hesitation never splits a word.

The text fields' own undo stacks are kept out of the way: the undo and redo keys
(Ctrl+Z; Ctrl+Y and Ctrl+Shift+Z) are never taken by a watched field, so they reach
the window's Fortryd/Gentag, the same in a field as in the agenda.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

WORD, SPACE, DELETE = "word", "space", "delete"

_MODIFIERS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_CapsLock,
}


_DEAD_KEYS = range(0x01001250, 0x01001300)  # Qt.Key.Key_Dead_Grave ... (´ before é)


def _types_nothing(event: QKeyEvent) -> bool:
    """A modifier alone, or a dead key waiting for its letter: the step goes on."""
    return event.key() in _MODIFIERS or event.key() in _DEAD_KEYS


def _combination(event: QKeyEvent) -> QKeySequence:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeySequence(event.key() | mods.value)


def is_undo_key(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo) or _combination(event) == QKeySequence(
        "Ctrl+Z"
    )


def is_redo_key(event: QKeyEvent) -> bool:
    """The platform's Redo keys, and both Ctrl+Y and Ctrl+Shift+Z on every platform."""
    return event.matches(QKeySequence.StandardKey.Redo) or _combination(event) in (
        QKeySequence("Ctrl+Y"),
        QKeySequence("Ctrl+Shift+Z"),
    )


def key_kind(event: QKeyEvent) -> str | None:
    """What a key does to the text: types a word character, a space or punctuation,
    deletes; None for anything else (a move, a paste, a shortcut)."""
    mods = event.modifiers() & ~(
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    )
    if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
        return DELETE if mods == Qt.KeyboardModifier.NoModifier else None
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return SPACE if mods == Qt.KeyboardModifier.NoModifier else None
    text = event.text()
    # AltGr (Ctrl+Alt on Windows) types characters such as @ and { on a Danish keyboard
    altgr = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    if not text or not text.isprintable() or mods not in (Qt.KeyboardModifier.NoModifier, altgr):
        return None
    return WORD if all(c.isalnum() or c in "-_'’" for c in text) else SPACE


def cursor_position(widget: QWidget) -> int:
    if isinstance(widget, QPlainTextEdit):
        return widget.textCursor().position()
    if isinstance(widget, QLineEdit):
        return widget.cursorPosition()
    return -1


class TypingSteps(QObject):
    """Watches the editor's text fields; ``step_ended`` asks the editor to save what
    was typed as the step now ending. ``serial`` names the step being typed: edits
    saved under the same serial merge into one undo command."""

    step_ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.serial = 0
        self._widget: QWidget | None = None  # where the step is typed; None: no step open
        self._kind: str | None = None
        self._end = -1  # the cursor position after the step's last edit

    def watch(self, widget: QWidget) -> None:
        if isinstance(widget, QPlainTextEdit):
            # the window's stack undoes; the field's own would fight it
            widget.setUndoRedoEnabled(False)
        widget.installEventFilter(self)

    def end_step(self) -> None:
        """Save what was typed as one step; whatever comes next is a new one."""
        self.step_ended.emit()
        self.serial += 1
        self._widget = self._kind = None

    def edited(self, widget: QWidget) -> None:
        """A watched field's text changed: the step now ends where the cursor is."""
        if widget is self._widget:
            self._end = cursor_position(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if is_undo_key(event) or is_redo_key(event):
                # not overridden: the window's Fortryd/Gentag shortcut fires; and the key
                # press that follows when they are disabled never reaches the field's own undo
                event.ignore()
                return True
            if kind == QEvent.Type.KeyPress and not _types_nothing(event):
                self._before_key(watched, event)  # type: ignore[arg-type]
        elif kind == QEvent.Type.FocusOut and watched is self._widget:
            self.end_step()
        return False

    def _before_key(self, widget: QWidget, event: QKeyEvent) -> None:
        kind = key_kind(event)
        if kind is None:  # a move, a paste, a shortcut: a step of its own
            self.end_step()
            return
        # a space goes with the word before it; a letter after a space begins a new word
        goes_on = kind == self._kind or (self._kind == WORD and kind == SPACE)
        if widget is not self._widget or cursor_position(widget) != self._end or not goes_on:
            self.end_step()
        self._widget, self._kind = widget, kind
        self._end = cursor_position(widget)
