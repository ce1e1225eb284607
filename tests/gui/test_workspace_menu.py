"""File menu against the real workspace: new/open workspace, import and export of a
meeting, and a second user's edit of the same meeting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtWidgets import QFileDialog

from agenda.model import TextSection
from gui.import_dialog import DuplicateImportBox, ImportChoice, ImportNoticesBox
from storage.workspace import open_workspace
from tests import factories


def _export(window, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    out = tmp_path / "udveksling"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(out)))
    window.workspace_menu.export_meeting()
    (folder,) = out.iterdir()
    return folder


def _choose_in_import(monkeypatch, folder) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(folder / "meeting.json"), "")),
    )


def _import(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """File > Importér møde, and wait while the worker reads the file."""
    with qtbot.waitSignal(window.workspace_menu.meeting_importer().finished, timeout=10000):
        window.workspace_menu.import_meeting()


def _click(monkeypatch, button: str) -> list[DuplicateImportBox]:  # type: ignore[no-untyped-def]
    """The duplicate-import box answers by clicking one of its buttons, as the user would."""
    asked: list[DuplicateImportBox] = []

    def click(box: DuplicateImportBox) -> int:
        asked.append(box)
        getattr(box, button).click()
        return 0

    monkeypatch.setattr(DuplicateImportBox, "exec", click)
    return asked


def test_export_then_import_a_meeting(qtbot, window, tmp_path, monkeypatch, workspace_path):
    folder = _export(window, tmp_path, monkeypatch)
    assert (folder / "meeting.json").exists()
    assert any(p.suffix == ".pdf" for p in folder.rglob("*"))
    assert window.settings.last_folder("exchange") == str(tmp_path / "udveksling")

    other = tmp_path / "andet.kkrdb"
    window.workspace_menu.switch_workspace(other)
    _choose_in_import(monkeypatch, folder)
    _import(qtbot, window)
    (new,) = window.workspace.meetings()
    assert window.session.meeting.id == new.id  # the imported meeting is shown
    assert [i.title for i in window.session.meeting.agenda.items()][:2] == [
        "Godkendelse af dagsorden",
        "Meddelelser",
    ]
    # its PDF bilag become searchable, as after the command line's import (in a worker)
    items = window.session.meeting.agenda.items()
    pdf_items = [i for i in items if any(a.extension == "pdf" for a in i.attachments)]
    sha = next(a.sha256 for a in pdf_items[0].attachments if a.extension == "pdf")
    qtbot.waitUntil(lambda: window.workspace.attachment_text(sha) is not None, timeout=5000)
    assert window.workspace.attachment_text(sha).strip()


def test_importing_a_meeting_the_workspace_has_asks_and_cancel_is_the_default(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    before = window.workspace.meetings()
    folder = _export(window, tmp_path, monkeypatch)
    _choose_in_import(monkeypatch, folder)
    _import(qtbot, window)  # the box closes without a button: as Escape or the window's X
    boxes, crashes = message_boxes
    assert not crashes and len(boxes) == 1
    kind, text = boxes[0]
    assert kind == "exec"
    assert "findes allerede" in text and "»Møde i KKR Sjælland«" in text
    assert "KKR Sjælland" in text and "tirsdag den 16. april 2024 kl. 10.00" in text
    assert window.workspace.meetings() == before


def test_the_duplicate_box_offers_a_clear_choice_in_danish(qtbot, window, tmp_path, monkeypatch):
    folder = _export(window, tmp_path, monkeypatch)
    _choose_in_import(monkeypatch, folder)
    asked = _click(monkeypatch, "cancel_button")
    _import(qtbot, window)
    (box,) = asked
    assert box.as_new_button.text() == "Importér som nyt møde"
    assert box.show_button.text() == "Vis det eksisterende møde"
    assert box.cancel_button.text() == "Annullér"
    # Enter and Escape both cancel: importing anyway takes a deliberate click
    assert box.defaultButton() == box.cancel_button
    assert box.escapeButton() == box.cancel_button
    assert "ændres ikke" in box.informativeText()
    assert box.choice() is ImportChoice.CANCEL
    assert len(window.workspace.meetings()) == 1


def test_import_as_new_leaves_the_existing_meeting_and_its_cases_as_they_are(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    existing_id = window.session.meeting.id
    folder = _export(window, tmp_path, monkeypatch)
    # after the export: a decision is written and a case's text is edited in the workspace
    ws = window.workspace
    meeting = ws.meeting(existing_id)
    sections = list(meeting.agenda.sections)
    item = sections[1].items[0]
    case = item.case.with_texts(indstilling="Ny tekst.")
    items = (replace(item, decision="Godkendt.", case=case), *sections[1].items[1:])
    sections[1] = replace(sections[1], items=items)
    with ws.transaction():
        ws.save_meeting(replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections))))
    window.refresh_meetings(select=existing_id)
    kept = ws.meeting(existing_id)

    _choose_in_import(monkeypatch, folder)
    asked = _click(monkeypatch, "as_new_button")
    told: list[ImportNoticesBox] = []
    monkeypatch.setattr(ImportNoticesBox, "exec", lambda box: told.append(box) or 0)
    _import(qtbot, window)
    boxes, crashes = message_boxes
    assert len(asked) == 1 and not boxes and not crashes
    # the user is told that the file's older text was not taken
    (box,) = told
    assert box.text().startswith("Mødet er importeret. Nogle af dets sager fandtes allerede")
    assert "teksten i filen afviger fra sagen i arbejdsområdet (Indstilling)" in (
        box.informativeText()
    )
    summaries = ws.meetings()
    assert len(summaries) == 2
    new_id = next(m.id for m in summaries if m.id != existing_id)
    assert window.session.meeting.id == new_id  # the new meeting is shown
    assert ws.meeting(existing_id) == kept  # not a field of the existing meeting changed
    new = ws.meeting(new_id)
    assert new.agenda.sections[1].items[0].decision == ""  # the file's, not copied over
    # the case on both is the workspace's, with the edit, not the file's older text
    assert new.agenda.sections[1].items[0].case.text(TextSection.INDSTILLING) == "Ny tekst."


def test_show_the_existing_meeting_selects_it_and_imports_nothing(
    qtbot, window, tmp_path, monkeypatch
):
    existing_id = window.session.meeting.id
    folder = _export(window, tmp_path, monkeypatch)
    other = factories.meeting(title="Et senere møde", start=datetime(2024, 6, 4, 10, 0, tzinfo=UTC))
    with window.workspace.transaction():
        other = window.workspace.save_meeting(other)
    window.refresh_meetings(select=other.id)
    assert window.session.meeting.id == other.id

    _choose_in_import(monkeypatch, folder)
    _click(monkeypatch, "show_button")
    _import(qtbot, window)
    assert window.session.meeting.id == existing_id
    assert len(window.workspace.meetings()) == 2


def test_import_of_a_bad_file_is_a_message(qtbot, window, tmp_path, monkeypatch, message_boxes):
    bad = tmp_path / "meeting.json"
    bad.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), ""))
    )
    _import(qtbot, window)
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
    window.workspace_menu.new_workspace()
    assert window.workspace_path == tmp_path / "nyt.kkrdb"
    assert window.meeting_model.rowCount() == 0
    assert window.session is None
    assert "nyt.kkrdb" in window.windowTitle()
    window.workspace_menu.switch_workspace(workspace_path)
    assert window.meeting_model.rowCount() == 1
    recent = window.settings.recent_workspaces()
    assert recent[:2] == [workspace_path.resolve(), (tmp_path / "nyt.kkrdb").resolve()]


def test_a_file_that_is_not_a_workspace_is_a_message(qtbot, window, tmp_path, message_boxes):
    other = tmp_path / "notat.kkrdb"
    other.write_text("ikke en database", encoding="utf-8")
    window.workspace_menu.switch_workspace(other)
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
    window.agenda_menu.closed_action.trigger()
    boxes, crashes = message_boxes
    assert not crashes and "ændret et andet sted" in boxes[0][1]
    # nothing of theirs was overwritten, and their change is what the window shows now
    saved = window.workspace.meeting(meeting_id)
    assert saved.location == "Holbæk Rådhus" and not saved.agenda.item(item.id).closed
    assert "Holbæk Rådhus" in window.meeting_header.text()
    window.agenda_menu.closed_action.trigger()  # now the edit goes through
    assert window.workspace.meeting(meeting_id).agenda.item(item.id).closed
