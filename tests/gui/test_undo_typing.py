"""Typing is undone word by word, as in Word, through the window's one undo stack:
Ctrl+Z undoes the last word also while a text field has focus, and Ctrl+Y and
Ctrl+Shift+Z both redo (issue #12, point 16)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from agenda.model import TextSection

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _section(window, section: TextSection = TextSection.SAGSFREMSTILLING):  # type: ignore[no-untyped-def]
    item = window.session.meeting.agenda.sections[1].items[0]
    window.agenda_view.select_item(item.id)
    editor = window.item_editor
    field = editor.texts[section.value]
    editor.tabs.setCurrentWidget(field)
    field.setFocus()
    field.moveCursor(QTextCursor.MoveOperation.End)
    assert field.toPlainText() == ""
    return item, field


def _saved(window, item, section: TextSection = TextSection.SAGSFREMSTILLING) -> str:  # type: ignore[no-untyped-def]
    meeting = window.workspace.meeting(window.session.meeting.id)
    return meeting.agenda.item(item.id).case.text(section)


def test_ctrl_z_in_a_section_undoes_the_last_word_and_ctrl_y_redoes_it(qtbot, window):
    item, field = _section(window)
    qtbot.keyClicks(field, "Det indstilles at")
    assert window.undo_action.isEnabled()  # typing not yet saved is still undoable

    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)  # the field has focus: the window's undo
    assert field.toPlainText() == "Det indstilles "
    assert _saved(window, item) == "Det indstilles "
    assert window.redo_action.text().startswith("Gentag")

    qtbot.keyClick(field, Qt.Key.Key_Y, CTRL)
    assert field.toPlainText() == "Det indstilles at"
    assert _saved(window, item) == "Det indstilles at"

    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert field.toPlainText() == "Det "
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL_SHIFT)  # the other redo key, the same redo
    assert field.toPlainText() == "Det indstilles "
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL_SHIFT)
    assert field.toPlainText() == "Det indstilles at"
    assert _saved(window, item) == "Det indstilles at"
    # the cursor stays where the text changed, so typing goes on at the end
    assert field.textCursor().position() == len("Det indstilles at")


def test_a_pause_saves_but_the_word_goes_on_as_one_step(qtbot, window):
    item, field = _section(window)
    qtbot.keyClicks(field, "Det indst")
    window.item_editor.commit_pending()  # what the pause timer does
    assert _saved(window, item) == "Det indst"
    qtbot.keyClicks(field, "illes")
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert field.toPlainText() == "Det "


def test_a_cursor_jump_and_deleting_start_new_steps(qtbot, window):
    item, field = _section(window)
    qtbot.keyClicks(field, "KKR godkender")
    field.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(field, "At ")  # at the start: a step of its own, not part of »godkender«
    field.moveCursor(QTextCursor.MoveOperation.End)
    for _ in range(len("godkender")):
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, "tager")
    assert field.toPlainText() == "At KKR tager"

    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)  # the new word
    assert field.toPlainText() == "At KKR "
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)  # the deleting, all of it
    assert field.toPlainText() == "At KKR godkender"
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)  # what was typed at the start
    assert field.toPlainText() == "KKR godkender"
    assert _saved(window, item) == "KKR godkender"


def test_the_title_field_undoes_by_word_through_the_window_too(qtbot, window):
    item = window.session.meeting.agenda.sections[1].items[1]
    window.agenda_view.select_item(item.id)
    title = window.item_editor.title
    title.setFocus()
    title.end(False)
    qtbot.keyClicks(title, " nu med tal")
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL)
    assert title.text().strip() == "Status på sundhedsaftalen nu med"
    assert window.session.meeting.agenda.item(item.id).title == title.text().strip()
    qtbot.keyClick(title, Qt.Key.Key_Y, CTRL)
    assert title.text() == "Status på sundhedsaftalen nu med tal"
    saved = window.workspace.meeting(window.session.meeting.id).agenda.item(item.id)
    assert saved.title == "Status på sundhedsaftalen nu med tal"


def test_shift_and_a_dead_key_do_not_split_a_word(qtbot, window):
    """Capitals (Shift) and accents typed with a dead key (´ then e) are part of the word."""
    _item, field = _section(window)
    _type(field, "Mødet på ")  # QTest types ASCII only: æ, ø, å as the keyboard sends them
    _press(field, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(field, "Caf")
    _press(field, Qt.Key.Key_Dead_Acute)  # waits for its letter, types nothing
    _type(field, "é")
    assert field.toPlainText() == "Mødet på Café"
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert field.toPlainText() == "Mødet på "


def _press(widget, key, modifiers=Qt.KeyboardModifier.NoModifier, text: str = "") -> None:  # type: ignore[no-untyped-def]
    """A key as the keyboard sends it (QTest knows neither dead keys nor æ, ø, å)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


def _type(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        key = Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown
        _press(widget, key, text=char)


def test_text_saved_with_windows_line_ends_is_not_changed_by_showing_it(qtbot, window):
    """A text imported with \\r\\n and no-break spaces (from Word) shows as the field
    gives it back; refreshing the editor must not add lines or change it."""
    from dataclasses import replace as replaced
    from types import MappingProxyType

    from agenda.operations import ReplaceItem

    item, field = _section(window)
    texts = dict(item.case.texts)
    texts[TextSection.SAGSFREMSTILLING] = "Første linje\r\nAnden linje med 5\xa0mio. kr."
    new = replaced(item, case=replaced(item.case, texts=MappingProxyType(texts)))
    window.session.execute(ReplaceItem(new), "import")
    shown = "Første linje\nAnden linje med 5 mio. kr."
    assert field.toPlainText() == shown
    for _ in range(3):  # every save of the meeting refreshes the editor
        window.session.reload()
    assert field.toPlainText() == shown
    assert field.document().blockCount() == 2
