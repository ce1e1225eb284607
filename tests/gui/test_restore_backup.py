"""File → Gendan sikkerhedskopi: backups listed by Danish date; after confirmation the
chosen one replaces the workspace, which reopens holding what it held then."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QMessageBox

from gui.restore_dialog import RestoreDialog
from storage.backup import daily_backup, list_backups


def test_restore_a_backup_through_the_file_menu(
    qtbot, window, workspace_path, backup_dir, monkeypatch, message_boxes
):
    before = [i.title for i in window.session.meeting.agenda.items()]
    meeting_id = window.session.meeting.id
    daily_backup(workspace_path, backup_dir, today=date(2024, 4, 16))
    # after the backup: an item removed
    window.agenda_view.select_item(window.session.meeting.agenda.items()[2].id)
    window.agenda_menu.remove_action.trigger()
    assert len(window.session.meeting.agenda.items()) == len(before) - 1

    shown: list[list[str]] = []

    def choose_first(dialog: RestoreDialog) -> int:
        shown.append([dialog.list.item(n).text() for n in range(dialog.list.count())])
        dialog.list.setCurrentRow(0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose_first)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    window.workspace_menu.restore_action.trigger()
    boxes, crashes = message_boxes
    assert not boxes and not crashes
    (labels,) = shown
    assert len(labels) == 1 and " den " in labels[0] and ", kl. " in labels[0]
    # Danish month and weekday names, e.g. "mandag den 23. november 2026, kl. 09.00"
    weekdays = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    assert labels[0].split(" ")[0] in weekdays

    assert window.workspace_path == workspace_path
    assert window.session is not None and window.session.meeting.id == meeting_id
    assert [i.title for i in window.session.meeting.agenda.items()] == before
    # the workspace as it was before the restore was backed up first
    assert len(list_backups(workspace_path, backup_dir)) == 2


def test_declining_the_confirmation_changes_nothing(
    qtbot, window, workspace_path, backup_dir, monkeypatch
):
    daily_backup(workspace_path, backup_dir, today=date(2024, 4, 16))
    window.agenda_view.select_item(window.session.meeting.agenda.items()[2].id)
    window.agenda_menu.remove_action.trigger()
    count = len(window.session.meeting.agenda.items())
    monkeypatch.setattr(RestoreDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    window.workspace_menu.restore_action.trigger()
    assert len(window.session.meeting.agenda.items()) == count
    assert len(list_backups(workspace_path, backup_dir)) == 1


def test_an_existing_workspace_is_backed_up_once_a_day_when_opened(
    qtbot, window, workspace_path, backup_dir
):
    window.workspace_menu.switch_workspace(workspace_path)
    window.workspace_menu.switch_workspace(workspace_path)
    assert len(list_backups(workspace_path, backup_dir)) == 1
