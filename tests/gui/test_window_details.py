"""The main window as a secretariat user meets it (issue #12, point 18): Danish file
dialogs that open in Documents or the last folder, a status message on Delete, a "Ny
sag" dialog that can be read, the window's state and selection restored."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from gui.app import create_main_window
from tests import factories


def test_the_qt_file_dialog_is_danish(qapp):
    """The widget file dialog (Linux without a portal; Qt's own) takes its labels from
    qtbase_da, which lacks two of them in Qt 6: we fill the gaps."""
    from gui import i18n

    if not i18n._qt_translators:
        i18n.install_qt_translations(qapp)
    dialog = QFileDialog(None, "Åbn arbejdsområde")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    labels = [label.text().replace("&", "") for label in dialog.findChildren(QLabel)]
    assert "Kig i:" in labels
    assert "Filer af type:" in labels
    assert "Filnavn:" in labels
    for english in ("Look in", "Files of type", "File name"):
        assert not any(english in text for text in labels), labels
    dialog.deleteLater()


def test_file_dialogs_open_in_documents_then_in_the_last_folder(
    qtbot, window, tmp_path, monkeypatch
):
    from gui import settings as settings_module
    from gui import workspace_menu

    documents = tmp_path / "Dokumenter"
    documents.mkdir()
    monkeypatch.setattr(settings_module, "documents_folder", lambda: str(documents))
    monkeypatch.chdir(tmp_path)  # the program's folder: never where a dialog opens
    exchange = tmp_path / "udveksling"
    exchange.mkdir()
    started = []

    def choose(parent, caption, folder, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(folder)
        return str(exchange / "meeting.json"), ""

    monkeypatch.setattr(workspace_menu.QFileDialog, "getOpenFileName", staticmethod(choose))
    # the file does not exist: a message, nothing imported
    with qtbot.waitSignal(window.workspace_menu.meeting_importer().finished, timeout=10000):
        window.workspace_menu.import_meeting()
    assert started == [str(documents)]
    with qtbot.waitSignal(window.workspace_menu.meeting_importer().finished, timeout=10000):
        window.workspace_menu.import_meeting()
    assert started[-1] == str(exchange)  # the folder chosen last time
    exchange.rmdir()  # a remembered folder that is gone: Documents again
    with qtbot.waitSignal(window.workspace_menu.meeting_importer().finished, timeout=10000):
        window.workspace_menu.import_meeting()
    assert started[-1] == str(documents)


def test_documents_folder_is_the_users_documents_or_home():
    from PySide6.QtCore import QStandardPaths

    from gui.settings import documents_folder

    folder = Path(documents_folder())
    assert folder.is_dir()
    location = QStandardPaths.StandardLocation.DocumentsLocation
    assert folder in (Path(QStandardPaths.writableLocation(location)), Path.home())


def test_delete_says_which_item_went_and_how_to_undo(qtbot, window):
    view = window.agenda_view
    item = window.session.meeting.agenda.sections[1].items[1]
    view.select_item(item.id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert item.id not in [i.id for i in window.session.meeting.agenda.items()]
    following = window.session.meeting.agenda.sections[2].items[0]  # Eventuelt, now 3.1
    assert view.current_item_id() == following.id  # the next item takes its place
    assert window.item_editor.item_id == following.id
    message = window.statusBar().currentMessage()
    assert message == (
        "Punkt 2.2 »Status på sundhedsaftalen« er fjernet fra dagsordenen. Fortryd med Ctrl+Z."
    )


def test_the_new_case_dialog_is_wide_enough_and_proposes_the_sections_kind(qtbot, window):
    from agenda.model import ItemKind
    from gui.ask_dialogs import NewCaseDialog

    dialog = NewCaseDialog(window, ItemKind.INFORMATION, "»Orienteringssager«")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Ny sag"
    assert dialog.width() >= 460
    # the title bar has room for the title (a title bar's buttons take ~150 pixels)
    assert dialog.width() > dialog.fontMetrics().horizontalAdvance("Ny sag") + 150
    assert dialog.kind.currentData() is ItemKind.INFORMATION
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.title, "Praktikpladser i regionen")
    assert dialog.ok.isEnabled()
    assert dialog.chosen() == ("Praktikpladser i regionen", ItemKind.INFORMATION)


def test_maximised_window_and_the_selected_meeting_and_item_come_back(
    qtbot, window, workspace, workspace_path, settings
):
    first = window.session.meeting
    later = replace(
        factories.meeting(title="Senere møde"),
        start=first.start + timedelta(days=60),
        end=first.end + timedelta(days=60),
    )
    with workspace.transaction():
        later = workspace.save_meeting(later)
    window.refresh_meetings(select=first.id)
    assert window.session.meeting.id == first.id
    item = first.agenda.sections[1].items[1]  # not the first item, which is the default
    window.agenda_view.select_item(item.id)
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized)
    window.close()

    again = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(again)
    assert again.session.meeting.id == first.id  # not the later one, the default
    assert again.agenda_view.current_item_id() == item.id
    assert again.item_editor.item_id == item.id
    again.show()
    qtbot.waitExposed(again)
    assert again.isMaximized()


def test_a_remembered_selection_of_another_workspace_is_not_used(
    qtbot, window, workspace, workspace_path, settings, tmp_path
):
    item = window.session.meeting.agenda.sections[1].items[1]
    window.agenda_view.select_item(item.id)
    window.close()
    settings.qsettings.setValue("selection/workspace", str(tmp_path / "andet.kkrdb"))
    again = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(again)
    assert again.agenda_view.current_item_id() == again.session.meeting.agenda.items()[0].id


def test_the_section_name_dialog_is_wide_enough(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from gui.ask_dialogs import TextDialog

    seen = []

    def look(dialog):  # type: ignore[no-untyped-def]
        dialog.show()
        seen.append((dialog.windowTitle(), dialog.width()))
        dialog.text.setText("  Temadrøftelser ")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TextDialog, "exec", look)
    window.agenda_view.setCurrentIndex(window.agenda_model.index(1, 0))
    window.agenda_menu.add_section_action.trigger()
    assert seen and seen[0][0] == "Nyt afsnit" and seen[0][1] >= 460
    assert window.session.meeting.agenda.sections[2].name == "Temadrøftelser"


def test_an_import_may_start_again_as_soon_as_the_last_one_said_it_finished(
    qtbot, window, tmp_path, monkeypatch
):
    """A failed import is over when it says so: the next one may start from that very
    moment (it was refused as still running until the worker's own flag caught up)."""
    from gui import workspace_menu

    missing = tmp_path / "findes-ikke" / "meeting.json"
    monkeypatch.setattr(
        workspace_menu.QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(missing), "")),
    )
    importer = window.workspace_menu.meeting_importer()
    seen: list[bool] = []
    importer.finished.connect(lambda: seen.append(importer.running()))
    with qtbot.waitSignal(importer.finished, timeout=10000):
        window.workspace_menu.import_meeting()
    assert seen == [False]
