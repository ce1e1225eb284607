"""The meeting as a record in the window (issue 14): Udsend through a worker, the sent
versions, the changes since sending (marks and panel), the tillæg in the export dialog,
moving a sent item asks, and a held meeting's item editor is read-only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from agenda.model import MeetingStatus
from app.records import send_meeting
from gui.agenda_model import Column
from gui.record_dialogs import SendDialog, VersionsDialog


def send_through_window(qtbot, window, note: str = "Medlemmer og suppleanter") -> SendDialog:  # type: ignore[no-untyped-def]
    window.meeting_menu.send_action.trigger()
    dialog = window.meeting_menu.send_dialog
    assert isinstance(dialog, SendDialog)
    dialog.note.setText(note)
    with qtbot.waitSignal(dialog.sent, timeout=60_000):
        dialog.send_button.click()
        assert dialog.running()  # the files are written in the worker
    return dialog


def retitle_first_item(window) -> str:  # type: ignore[no-untyped-def]
    """An edit after sending, through the item editor as a user makes it."""
    item = window.session.meeting.agenda.sections[1].items[0]
    window.agenda_view.select_item(item.id)
    window.item_editor.title.setText("Evaluering af klyngekontorerne, revideret")
    window.item_editor.title.editingFinished.emit()
    return item.id


@pytest.mark.slow
def test_send_through_the_window_freezes_a_version(qtbot, window, tmp_path):
    assert window.meeting_menu.send_action.isEnabled()
    send_through_window(qtbot, window)
    meeting = window.session.meeting
    assert meeting.status is MeetingStatus.SENT
    assert "Udsendt" in window.meeting_header.text()
    versions = window.workspace.sent_versions(meeting.id)
    assert len(versions) == 1 and versions[0].note == "Medlemmer og suppleanter"
    names = {f.name for f in versions[0].files}
    assert any(n.endswith(".docx") for n in names)
    assert any(n.startswith("udveksling/") for n in names)

    window.meeting_menu.versions_action.trigger()
    listing = window.meeting_menu.versions_dialog
    assert isinstance(listing, VersionsDialog)
    qtbot.addWidget(listing)
    assert listing.table.rowCount() == 1
    assert listing.table.item(0, 1).text() == "Udsendt dagsorden"
    assert listing.table.item(0, 3).text() == "Medlemmer og suppleanter"
    written = listing.save_files(tmp_path / "gemt")
    assert len(written) == len(versions[0].files)
    for f in versions[0].files:  # byte for byte as sent
        stored = window.workspace.sent_file(versions[0].id, f.name)
        assert (tmp_path / "gemt" / f.name).read_bytes() == stored
    pdf = next(p for p in written if p.suffix == ".pdf" and "Dagsorden" in p.name)
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "Evaluering af regionale klyngekontorer" in text


def test_sending_is_refused_when_the_meeting_changed_while_writing(window, tmp_path):
    from agenda.errors import UserFacingError
    from app import identity
    from app.records import finish_send, read_send_snapshot

    snapshot = read_send_snapshot(window.workspace, window.session.meeting.id)
    retitle_first_item(window)  # saved between reading and freezing

    from export.outputs import ExportOutcome

    with pytest.raises(UserFacingError, match="ændret, mens filerne blev skrevet"):
        finish_send(window.workspace, snapshot, ExportOutcome(), tmp_path, "x", "u", identity.now)
    meeting = window.workspace.meeting(window.session.meeting.id)
    assert meeting.status is not MeetingStatus.SENT
    assert window.workspace.sent_versions(meeting.id) == []


def sent_by_fake(window) -> None:  # type: ignore[no-untyped-def]
    """Send quickly (files faked): the version and sent meeting are what the marks use."""
    from app import identity

    def no_files(repo, meeting, folder, task):  # type: ignore[no-untyped-def]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "a.txt").write_text("sent")
        return [folder / "a.txt"], []

    send_meeting(
        window.workspace, window.session.meeting.id, "test", "u", identity.now, files=no_files
    )
    window.session.reload()


def test_changes_since_sending_are_marked_and_listed(qtbot, window):
    assert not window.changes_panel.isVisibleTo(window)  # never sent: no panel
    sent_by_fake(window)
    assert window.changes_panel.isVisibleTo(window)
    assert window.changes_panel.lines() == ["Ingen ændringer: dagsordenen er som udsendt."]
    item_id = retitle_first_item(window)
    model = window.agenda_model
    index = model.index_of_item(item_id, Column.TITLE)
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "Ændret: Titel" in tooltip
    other = window.session.meeting.agenda.sections[1].items[1]
    other_index = model.index_of_item(other.id, Column.TITLE)
    assert model.data(other_index, Qt.ItemDataRole.DecorationRole) is None
    lines = window.changes_panel.lines()
    assert len(lines) == 1 and "titel" in lines[0].lower()
    # undo: the change is gone from the marks and the panel
    window.undo_action.trigger()
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
    assert window.changes_panel.lines() == ["Ingen ændringer: dagsordenen er som udsendt."]


def test_moving_a_sent_item_asks_and_no_keeps_it(qtbot, window, message_boxes, monkeypatch):
    sent_by_fake(window)
    before = window.session.meeting.agenda
    item = before.sections[1].items[0]
    window.agenda_view.select_item(item.id)
    window.agenda_menu.down_action.trigger()  # the recorded box answers Ok: not Yes
    asked = [text for kind, text in message_boxes[0] if kind == "question"]
    assert asked and "er udsendt med dette nummer" in asked[0]
    assert window.session.meeting.agenda == before
    assert window.workspace.meeting(window.session.meeting.id).agenda == before

    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    window.agenda_menu.down_action.trigger()
    assert window.session.meeting.agenda.find(item.id) == (1, 1)


def test_a_new_item_moves_without_asking(qtbot, window, message_boxes):
    """Only what members have read is asked about: an item added after sending is not."""
    sent_by_fake(window)
    kind = window.session.meeting.agenda.sections[1].items[0].kind
    new_id = window.agenda_menu.actions.new_case("Nyt punkt efter udsendelse", kind, after=None)
    window.agenda_view.select_item(new_id)
    before = window.session.meeting.agenda.find(new_id)
    window.agenda_menu.up_action.trigger()
    assert window.session.meeting.agenda.find(new_id) != before
    assert not [t for k, t in message_boxes[0] if k == "question"]


def test_held_meeting_item_editor_is_read_only_but_the_decision(qtbot, window):
    session = window.session
    with window.workspace.transaction():
        window.workspace.save_meeting(replace(session.meeting, status=MeetingStatus.HELD))
    session.reload()
    item = session.meeting.agenda.sections[1].items[0]
    window.agenda_view.select_item(item.id)
    editor = window.item_editor
    assert editor.locked_note.isVisibleTo(editor)
    assert editor.title.isReadOnly()
    assert editor.texts["decision"].isReadOnly() is False
    assert all(e.isReadOnly() for k, e in editor.texts.items() if k != "decision")
    assert not editor.closed.isEnabled() and not editor.kind.isEnabled()
    assert not editor.attachments.add_button.isEnabled()
    assert not window.agenda_menu.pull_action.isEnabled()
    assert not window.meeting_menu.send_action.isEnabled()
    # the decision can still be written (the minutes)
    editor.texts["decision"].setPlainText("Indstillingen blev godkendt.")
    editor.commit_pending()
    saved = window.workspace.meeting(session.meeting.id).agenda.item(item.id)
    assert saved.decision == "Indstillingen blev godkendt."


def test_pull_case_text_asks_and_is_undoable(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    item = window.session.meeting.agenda.sections[1].items[0]
    case = window.workspace.case(item.case.id)
    with window.workspace.transaction():
        window.workspace.save_case(replace(case, officer="Ny Sagsbehandler"))
    window.agenda_view.select_item(item.id)
    assert window.agenda_menu.pull_action.isEnabled()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    window.agenda_menu.pull_action.trigger()
    assert window.session.meeting.agenda.item(item.id).case.officer == "Ny Sagsbehandler"
    window.undo_action.trigger()
    assert window.session.meeting.agenda.item(item.id).case.officer == item.case.officer


def test_export_dialog_offers_the_tillaeg_only_after_sending(qtbot, window, tmp_path):
    from tests.gui.test_export_dialog import make_dialog

    dialog = make_dialog(qtbot, window, tmp_path / "ud", None)
    for key in ("supplement-agenda-pdf", "supplement-pack", "revised-pack"):
        assert not dialog.checks[key].isEnabled()
        assert "ikke udsendt" in dialog.checks[key].toolTip()
    dialog.close()
    sent_by_fake(window)
    retitle_first_item(window)
    folder = tmp_path / "ud2"
    dialog = make_dialog(qtbot, window, folder, None)
    assert dialog.checks["supplement-agenda-pdf"].isEnabled()
    for key, check_box in dialog.checks.items():
        check_box.setChecked(key == "supplement-agenda-pdf")
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as finished:
        dialog.start_button.click()
    outcome = finished.args[0]
    (path,) = outcome.written
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert "Tillægsdagsorden" in text
    assert "revideret" in text


def test_the_agenda_model_with_marks_passes_the_model_tester(qtbot, window, qtmodeltester):
    sent_by_fake(window)
    retitle_first_item(window)
    qtmodeltester.check(window.agenda_model)


def test_approved_minutes_make_the_decision_read_only_too(qtbot, window):
    session = window.session
    with window.workspace.transaction():
        window.workspace.save_meeting(
            replace(session.meeting, status=MeetingStatus.MINUTES_APPROVED)
        )
    session.reload()
    window.agenda_view.select_item(session.meeting.agenda.sections[1].items[0].id)
    editor = window.item_editor
    assert all(e.isReadOnly() for e in editor.texts.values())
    assert "rettelse" in editor.locked_note.text()
