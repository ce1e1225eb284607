"""Editing an item's fields and texts: saved at once, typing undone a word at a time."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from agenda.model import ItemKind, TextSection


def test_fields_and_texts_are_saved_and_undoable(qtbot, window):
    item = window.session.meeting.agenda.sections[1].items[1]
    window.agenda_view.select_item(item.id)
    editor = window.item_editor
    assert editor.title.text() == "Status på sundhedsaftalen"

    editor.title.setText("Status på den nye sundhedsaftale")
    editor.kind.setCurrentIndex(editor.kind.findData(ItemKind.DISCUSSION))
    editor.officer.setText("Anne Larsen")
    editor._fields_edited()
    saved = window.workspace.meeting(window.session.meeting.id).agenda.item(item.id)
    assert saved.title == "Status på den nye sundhedsaftale"
    assert saved.kind is ItemKind.DISCUSSION
    assert saved.case.officer == "Anne Larsen"
    assert editor.heading.text() == "2.2 Drøftelsessag: Status på den nye sundhedsaftale"

    baggrund = editor.texts[TextSection.BAGGRUND.value]
    baggrund.setFocus()
    baggrund.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(baggrund, " Nu med tal")
    qtbot.keyClicks(baggrund, " og kilder.")
    editor.commit_pending()
    decision = editor.texts["decision"]
    decision.setPlainText("KKR Sjælland tog orienteringen til efterretning.")
    editor.commit_pending()
    saved = window.workspace.meeting(window.session.meeting.id).agenda.item(item.id)
    assert saved.case.text(TextSection.BAGGRUND).endswith("Nu med tal og kilder.")
    assert saved.decision == "KKR Sjælland tog orienteringen til efterretning."

    window.undo_action.trigger()  # the decision
    assert window.session.meeting.agenda.item(item.id).decision == ""
    window.undo_action.trigger()  # the typing in Baggrund, a word at a time (as in Word)
    text = window.session.meeting.agenda.item(item.id).case.text(TextSection.BAGGRUND)
    assert text.endswith(". Nu med tal og ")
    assert baggrund.toPlainText() == text
    for _word in (" ", "Nu ", "med ", "tal ", "og "):
        window.undo_action.trigger()
    text = window.session.meeting.agenda.item(item.id).case.text(TextSection.BAGGRUND)
    assert text == "KKR Sjælland har tidligere drøftet sagen."
    assert baggrund.toPlainText() == text
    window.undo_action.trigger()  # the fields
    assert window.session.meeting.agenda.item(item.id).title == "Status på sundhedsaftalen"
    assert editor.title.text() == "Status på sundhedsaftalen"
    window.redo_action.trigger()
    assert editor.title.text() == "Status på den nye sundhedsaftale"


def test_typing_is_saved_when_the_pause_timer_fires(qtbot, window):
    item = window.session.meeting.agenda.sections[1].items[0]
    window.agenda_view.select_item(item.id)
    editor = window.item_editor
    oekonomi = editor.texts[TextSection.OEKONOMI.value]
    qtbot.keyClicks(oekonomi, "Udgiften afholdes inden for rammen.")

    def saved() -> str:
        meeting = window.workspace.meeting(window.session.meeting.id)
        return meeting.agenda.item(item.id).case.text(TextSection.OEKONOMI)

    qtbot.waitUntil(lambda: saved() == "Udgiften afholdes inden for rammen.", timeout=3000)


def test_reselecting_the_meeting_shown_keeps_the_editor_on_the_selected_item(qtbot, window):
    """refresh_meetings(select=the meeting already shown), as the duplicate-import dialog's
    »Vis det eksisterende møde« does, must not leave a selected item with a blank editor."""
    meeting = window.session.meeting
    first, second = meeting.agenda.items()[:2]
    assert window.item_editor.item_id == window.agenda_view.current_item_id() == first.id
    window.refresh_meetings(select=meeting.id)
    assert window.agenda_view.current_item_id() == first.id
    assert window.item_editor.item_id == first.id
    assert window.item_editor.isEnabled()
    # the item the user was on stays selected, and shown
    window.agenda_view.select_item(second.id)
    window.refresh_meetings(select=meeting.id)
    assert window.agenda_view.current_item_id() == second.id
    assert window.item_editor.item_id == second.id
    assert window.item_editor.isEnabled()
