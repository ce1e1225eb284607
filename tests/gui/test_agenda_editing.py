"""Reordering, adding, removing and closing items: numbers update at once, every edit
is saved at once (the reopened workspace shows it) and undoes and redoes."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, Qt
from PySide6.QtWidgets import QApplication

from agenda.model import ItemKind, MeetingStatus
from gui.agenda_model import CASE_MIME, ITEM_MIME, Column
from gui.app import create_main_window
from tests import factories
from tests.gui.conftest import close_test_workspace, open_test_workspace


def titles(window) -> list[list[str]]:
    agenda = window.session.meeting.agenda
    return [[i.title for i in s.items] for s in agenda.sections]


def shown_numbers(window) -> dict[str, str]:
    """Title -> number as the tree shows them."""
    model = window.agenda_model
    result = {}
    for s in range(model.rowCount()):
        section = model.index(s, 0)
        for r in range(model.rowCount(section)):
            title = model.data(model.index(r, Column.TITLE, section))
            result[title] = model.data(model.index(r, Column.NUMBER, section))
    return result


def drop_item(window, title: str, section: int, row: int) -> None:
    item = next(i for i in window.session.meeting.agenda.items() if i.title == title)
    data = QMimeData()
    data.setData(ITEM_MIME, QByteArray(item.id.encode()))
    model = window.agenda_model
    parent = model.index(section, 0)
    model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)


def test_drag_and_drop_between_sections_renumbers_and_persists(
    qtbot, window, workspace, workspace_path, settings
):
    assert shown_numbers(window)["Status på sundhedsaftalen"] == "2.2"
    drop_item(window, "Status på sundhedsaftalen", 0, 1)  # between 1.1 and 1.2
    qtbot.waitUntil(lambda: titles(window)[0][1] == "Status på sundhedsaftalen")
    numbers = shown_numbers(window)
    assert numbers["Status på sundhedsaftalen"] == "1.2"
    assert numbers["Meddelelser"] == "1.3"
    assert numbers["Evaluering af regionale klyngekontorer"] == "2.1"
    assert window.agenda_view.current_item_id() == window.session.meeting.agenda.items()[1].id

    meeting_id = window.session.meeting.id
    window.close()
    close_test_workspace(workspace)
    reopened = open_test_workspace(workspace_path)
    try:
        again = create_main_window(reopened, workspace_path, settings=settings)
        qtbot.addWidget(again)
        assert again.session.meeting.id == meeting_id
        assert shown_numbers(again)["Status på sundhedsaftalen"] == "1.2"
        assert titles(again)[0] == [
            "Godkendelse af dagsorden",
            "Status på sundhedsaftalen",
            "Meddelelser",
        ]
    finally:
        close_test_workspace(reopened)


def test_drag_within_a_section_downwards(qtbot, window):
    drop_item(window, "Godkendelse af dagsorden", 0, 2)  # below Meddelelser
    qtbot.waitUntil(lambda: titles(window)[0] == ["Meddelelser", "Godkendelse af dagsorden"])
    assert shown_numbers(window)["Godkendelse af dagsorden"] == "1.2"


def test_keyboard_moves_cross_sections_and_undo_redo(qtbot, window):
    view = window.agenda_view
    first_case = window.session.meeting.agenda.sections[1].items[0]
    view.select_item(first_case.id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert titles(window)[0][-1] == first_case.title
    assert shown_numbers(window)[first_case.title] == "1.3"
    assert view.current_item_id() == first_case.id
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert titles(window)[1][0] == first_case.title
    window.undo_action.trigger()
    assert shown_numbers(window)[first_case.title] == "1.3"
    window.undo_action.trigger()
    assert shown_numbers(window)[first_case.title] == "2.1"
    window.redo_action.trigger()
    assert shown_numbers(window)[first_case.title] == "1.3"
    saved = window.workspace.meeting(window.session.meeting.id)
    assert [i.title for i in saved.agenda.sections[0].items][-1] == first_case.title


def test_remove_and_toggle_closed_undo_and_redo(qtbot, window):
    view = window.agenda_view
    status = window.session.meeting.agenda.sections[1].items[1]
    view.select_item(status.id)
    window.agenda_menu.closed_action.trigger()
    assert window.session.meeting.agenda.item(status.id).closed
    assert window.workspace.meeting(window.session.meeting.id).agenda.item(status.id).closed
    model = window.agenda_model
    index = model.index_of_item(status.id, Column.CLOSED)
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    window.undo_action.trigger()
    assert not window.session.meeting.agenda.item(status.id).closed
    window.redo_action.trigger()
    assert window.session.meeting.agenda.item(status.id).closed

    window.agenda_menu.remove_action.trigger()
    assert status.title not in titles(window)[1]
    assert len(window.workspace.meeting(window.session.meeting.id).agenda.items()) == 4
    window.undo_action.trigger()
    assert titles(window)[1][1] == status.title
    assert len(window.workspace.meeting(window.session.meeting.id).agenda.items()) == 5
    window.redo_action.trigger()
    assert status.title not in titles(window)[1]


def test_case_dropped_on_the_agenda_becomes_an_item(qtbot, window, workspace):
    with workspace.transaction():
        case = workspace.save_case(factories.case("Trafikplan for Region Sjælland", "24/07777"))
    data = QMimeData()
    data.setData(CASE_MIME, QByteArray(str(case.id).encode()))
    model = window.agenda_model
    model.dropMimeData(data, Qt.DropAction.CopyAction, 0, 0, model.index(1, 0))
    qtbot.waitUntil(lambda: titles(window)[1][0] == "Trafikplan for Region Sjælland")
    assert shown_numbers(window)["Trafikplan for Region Sjælland"] == "2.1"
    assert shown_numbers(window)["Evaluering af regionale klyngekontorer"] == "2.2"
    window.undo_action.trigger()
    assert "Trafikplan for Region Sjælland" not in titles(window)[1]
    window.redo_action.trigger()
    assert titles(window)[1][0] == "Trafikplan for Region Sjælland"
    stored = window.workspace.meeting(window.session.meeting.id).agenda.sections[1].items[0]
    assert stored.case is not None and stored.case.id == case.id


def test_new_case_undo_redo_does_not_duplicate_it(qtbot, window, monkeypatch):
    from gui import ask_dialogs

    asked = []

    def answer(parent, kind, where):  # type: ignore[no-untyped-def]
        asked.append((kind, where))
        return "Ny busrute", ItemKind.INFORMATION

    monkeypatch.setattr(ask_dialogs, "ask_new_case", answer)
    window.agenda_view.select_item(window.session.meeting.agenda.sections[1].items[1].id)
    window.agenda_menu.new_case_action.trigger()
    assert titles(window)[1][2] == "Ny busrute"
    assert asked == [(ItemKind.DECISION, "»Sager«")]  # "Sager" names no kind
    assert window.session.meeting.agenda.sections[1].items[2].kind is ItemKind.INFORMATION
    case_id = window.session.meeting.agenda.sections[1].items[2].case.id
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert window.session.meeting.agenda.sections[1].items[2].case.id == case_id


def test_meeting_status_and_edit_are_undoable(qtbot, window, monkeypatch):
    from gui.meeting_dialog import MeetingDialog

    window.meeting_menu.set_status(MeetingStatus.SENT)
    assert window.workspace.meeting(window.session.meeting.id).status is MeetingStatus.SENT
    assert "Udsendt" in window.meeting_header.text()
    window.undo_action.trigger()
    assert window.session.meeting.status is MeetingStatus.DRAFT

    def accept(dialog):  # type: ignore[no-untyped-def]
        dialog.place.setText("Roskilde Kongrescenter")
        dialog.title.setText("Ekstraordinært møde")
        return MeetingDialog.DialogCode.Accepted

    monkeypatch.setattr(MeetingDialog, "exec", accept)
    window.meeting_menu.edit_meeting()
    saved = window.workspace.meeting(window.session.meeting.id)
    assert (saved.title, saved.location) == ("Ekstraordinært møde", "Roskilde Kongrescenter")
    assert saved.start == window.session.meeting.start
    assert window.meeting_model.data(window.meeting_model.index(0, 1)) == "Ekstraordinært møde"
    window.undo_action.trigger()
    assert window.workspace.meeting(saved.id).title == "Møde i KKR Sjælland"


def test_new_meeting_gets_standard_items_of_the_last(qtbot, window, monkeypatch):
    from gui.meeting_dialog import MeetingDialog

    monkeypatch.setattr(MeetingDialog, "exec", lambda d: MeetingDialog.DialogCode.Accepted)
    window.meeting_menu.new_meeting()
    assert window.meeting_model.rowCount() == 2
    agenda = window.session.meeting.agenda
    assert [[i.title for i in s.items] for s in agenda.sections] == [
        ["Godkendelse af dagsorden", "Meddelelser"],
        [],
        ["Eventuelt"],
    ]
    assert window.session.meeting.body.name == "KKR Sjælland"


def test_delete_meeting_asks_first(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: answers.pop(0)))
    window.meeting_menu.delete_meeting()
    assert len(window.workspace.meetings()) == 1
    window.meeting_menu.delete_meeting()
    assert window.workspace.meetings() == []
    assert window.session is None
    assert window.agenda_model.rowCount() == 0
    assert "Intet møde valgt" in window.meeting_header.text()


def test_sections_add_rename_remove_and_undo(qtbot, window, monkeypatch, message_boxes):
    from gui import ask_dialogs

    names = iter(["Temadrøftelser", "Temadrøftelse om klima"])
    monkeypatch.setattr(ask_dialogs, "ask_text", lambda *a, **k: next(names))
    model, view = window.agenda_model, window.agenda_view
    view.setCurrentIndex(model.index(1, 0))  # the section "Sager"
    window.agenda_menu.add_section_action.trigger()
    assert [s.name for s in window.session.meeting.agenda.sections] == [
        "Indledning",
        "Sager",
        "Temadrøftelser",
        "Afslutning",
    ]
    assert model.data(model.index(2, 0)) == "3  Temadrøftelser"
    assert model.data(model.index(0, 0, model.index(3, 0))) == "4.1"  # Eventuelt renumbered
    view.setCurrentIndex(model.index(2, 0))
    window.agenda_menu.rename_section_action.trigger()
    saved = window.workspace.meeting(window.session.meeting.id)
    assert saved.agenda.sections[2].name == "Temadrøftelse om klima"
    window.undo_action.trigger()
    assert model.data(model.index(2, 0)) == "3  Temadrøftelser"
    view.setCurrentIndex(model.index(1, 0))
    window.agenda_menu.remove_section_action.trigger()  # "Sager" has items: refused
    assert "Sager har stadig punkter" in message_boxes[0][0][1]
    view.setCurrentIndex(model.index(2, 0))
    window.agenda_menu.remove_section_action.trigger()
    assert len(window.workspace.meeting(window.session.meeting.id).agenda.sections) == 3
    window.undo_action.trigger()
    assert len(window.session.meeting.agenda.sections) == 4


def test_selection_survives_an_item_added_before_it(qtbot, window, workspace):
    with workspace.transaction():
        case = workspace.save_case(factories.case("Ny sag om vand", "24/05555"))
    status = window.session.meeting.agenda.sections[1].items[1]
    window.agenda_view.select_item(status.id)
    window.agenda_menu.drop_case(case.id, 1, 0)  # the item goes elsewhere and gets selected
    window.agenda_view.select_item(status.id)
    window.undo_action.trigger()  # the model is reset: the selection comes back
    assert window.agenda_view.current_item_id() == status.id
    assert window.item_editor.title.text() == status.title


def test_a_drop_on_the_tree_view_moves_the_item(qtbot, window):
    """Through the view, as a mouse drop arrives: above the row under the cursor."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    view, model = window.agenda_view, window.agenda_model
    eventuelt = window.session.meeting.agenda.sections[2].items[0]
    data = QMimeData()
    data.setData(ITEM_MIME, QByteArray(eventuelt.id.encode()))
    target = view.visualRect(model.index(0, Column.TITLE, model.index(1, 0)))  # on 2.1
    pos = QPointF(target.center().x(), target.top() + 2)  # its upper edge: above it
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    viewport = view.viewport()
    enter = QDragEnterEvent(pos, move, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    QApplication.sendEvent(viewport, QDragMoveEvent(pos, move, data, buttons, mods))
    QApplication.sendEvent(viewport, QDropEvent(pos, move, data, buttons, mods))
    qtbot.waitUntil(lambda: titles(window)[1][0] == "Eventuelt")
    assert shown_numbers(window)["Eventuelt"] == "2.1"
    assert titles(window)[2] == []


def test_redo_is_gentag_on_ctrl_y_and_the_platform_keys(qtbot, window):
    from PySide6.QtGui import QKeySequence

    redo = window.redo_action
    assert redo.text() == "Gentag"  # nothing to redo yet: the bare word, not Qt's wording
    shortcuts = redo.shortcuts()
    assert shortcuts[0] == QKeySequence("Ctrl+Y")
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo):
        assert key in shortcuts
    assert len(shortcuts) == len(set(s.toString() for s in shortcuts))  # no key twice

    view = window.agenda_view
    view.select_item(window.session.meeting.agenda.sections[1].items[0].id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    before = titles(window)
    window.undo_action.trigger()
    assert redo.text().startswith("Gentag")
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Y redoes
    assert titles(window) == before
