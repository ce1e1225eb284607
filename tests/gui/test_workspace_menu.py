"""File menu against the real workspace: new/open workspace, import and export of a
meeting, and a second user's edit of the same meeting."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFileDialog

from storage.workspace import open_workspace


def test_export_then_import_a_meeting(qtbot, window, tmp_path, monkeypatch):
    out = tmp_path / "udveksling"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(out)))
    window.export_meeting()
    (folder,) = out.iterdir()
    assert (folder / "meeting.json").exists()
    assert any(p.suffix == ".pdf" for p in folder.rglob("*"))
    assert window.settings.last_folder("exchange") == str(out)

    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(folder / "meeting.json"), "")),
    )
    before = {m.id for m in window.workspace.meetings()}
    window.import_meeting()
    after = window.workspace.meetings()
    assert len(after) == len(before) + 1
    new = next(m for m in after if m.id not in before)
    assert window.session.meeting.id == new.id  # the imported meeting is shown
    assert [i.title for i in window.session.meeting.agenda.items()][:2] == [
        "Godkendelse af dagsorden",
        "Meddelelser",
    ]


def test_import_of_a_bad_file_is_a_message(qtbot, window, tmp_path, monkeypatch, message_boxes):
    bad = tmp_path / "meeting.json"
    bad.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), ""))
    )
    window.import_meeting()
    boxes, crashes = message_boxes
    assert not crashes and len(boxes) == 1
    assert "meeting.json" in boxes[0][1]
    assert len(window.workspace.meetings()) == 1


def test_new_workspace_and_back_through_recent(
    qtbot, window, workspace_path, tmp_path, monkeypatch
):
    fresh = tmp_path / "nyt"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(fresh), ""))
    )
    window.new_workspace()
    assert window.workspace_path == tmp_path / "nyt.kkrdb"
    assert window.meeting_model.rowCount() == 0
    assert window.session is None
    assert "nyt.kkrdb" in window.windowTitle()
    window.switch_workspace(workspace_path)
    assert window.meeting_model.rowCount() == 1
    recent = window.settings.recent_workspaces()
    assert recent[:2] == [workspace_path.resolve(), (tmp_path / "nyt.kkrdb").resolve()]


def test_a_file_that_is_not_a_workspace_is_a_message(qtbot, window, tmp_path, message_boxes):
    other = tmp_path / "notat.kkrdb"
    other.write_text("ikke en database", encoding="utf-8")
    window.switch_workspace(other)
    boxes, crashes = message_boxes
    assert not crashes and "ikke et arbejdsområde" in boxes[0][1]
    assert window.meeting_model.rowCount() == 1  # still the old workspace


def test_a_second_user_saved_first(qtbot, window, workspace_path, message_boxes):
    meeting_id = window.session.meeting.id
    other = open_workspace(workspace_path)
    try:
        theirs = other.meeting(meeting_id)
        with other.transaction():
            other.save_meeting(replace(theirs, location="Holbæk Rådhus"))
    finally:
        other.close()
    item = window.session.meeting.agenda.sections[1].items[1]
    window.agenda_view.select_item(item.id)
    window.closed_action.trigger()
    boxes, crashes = message_boxes
    assert not crashes and "ændret et andet sted" in boxes[0][1]
    # nothing of theirs was overwritten, and their change is what the window shows now
    saved = window.workspace.meeting(meeting_id)
    assert saved.location == "Holbæk Rådhus" and not saved.agenda.item(item.id).closed
    assert "Holbæk Rådhus" in window.meeting_header.text()
    window.closed_action.trigger()  # now the edit goes through
    assert window.workspace.meeting(meeting_id).agenda.item(item.id).closed
