"""Bilag in the item editor: add from a path, see it listed and previewed; rename,
confidential, reorder, remove, each undoable; a bad file gives a message, not a crash."""

from __future__ import annotations

from pathlib import Path

from gui.attachments import read_attachment_file
from tests.gui.conftest import make_pdf


def open_first_case(window):  # type: ignore[no-untyped-def]
    item = window.session.meeting.agenda.sections[1].items[0]
    window.agenda_view.select_item(item.id)
    editor = window.item_editor
    editor.tabs.setCurrentIndex(editor.bilag_tab)
    return item, editor


def test_an_added_pdf_bilag_becomes_searchable(qtbot, window, tmp_path):
    item, editor = open_first_case(window)
    path = tmp_path / "høring.pdf"
    path.write_bytes(make_pdf("Høringssvar om Zanzibarvej i Præstø"))
    assert window.workspace.search_cases("Zanzibarvej") == []
    editor.add_files([path])
    qtbot.waitUntil(lambda: window.workspace.search_cases("Zanzibarvej") != [], timeout=5000)
    (hit,) = window.workspace.search_cases("Zanzibarvej")
    assert hit.case_id == item.case.id


def test_add_a_bilag_from_a_path_shows_it_in_list_and_preview(qtbot, window, tmp_path):
    item, editor = open_first_case(window)
    path = tmp_path / "Trafikanalyse_2024.pdf"
    path.write_bytes(make_pdf("Trafikanalyse", pages=3))
    with qtbot.waitSignal(editor.attachment_shown, timeout=3000):
        editor.add_files([path])
    model = editor.attachments.model
    assert model.rowCount() == 2
    assert model.data(model.index(1)) == "2. Trafikanalyse 2024"
    assert editor.attachments.current().file_name == "Trafikanalyse_2024.pdf"
    assert editor.preview is not None and editor.preview.page_count == 3
    assert editor.tabs.tabText(editor.bilag_tab) == "Bilag (2)"
    saved = window.workspace.meeting(window.session.meeting.id).agenda.item(item.id)
    assert [a.file_name for a in saved.attachments] == ["evaluering.pdf", "Trafikanalyse_2024.pdf"]
    assert window.workspace.blob(saved.attachments[1].sha256) == path.read_bytes()
    number = window.agenda_model.index_of_item(item.id, 4)
    assert window.agenda_model.data(number) == "2"

    window.undo_action.trigger()
    assert model.rowCount() == 1
    window.redo_action.trigger()
    assert model.rowCount() == 2


def test_rename_confidential_reorder_remove_are_undoable(qtbot, window, tmp_path):
    item, editor = open_first_case(window)
    second = tmp_path / "notat.pdf"
    second.write_bytes(make_pdf("Notat"))
    editor.add_files([second])
    model = editor.attachments.model

    def stored():  # type: ignore[no-untyped-def]
        return window.workspace.meeting(window.session.meeting.id).agenda.item(item.id).attachments

    model.setData(model.index(1), "Notat om økonomi")
    assert stored()[1].title == "Notat om økonomi"
    editor.attachments.select(stored()[1].id)
    editor.attachments.confidential_button.click()
    assert stored()[1].confidential
    assert "fortroligt" in model.data(model.index(1))
    editor.reorder_attachments((stored()[1].id, stored()[0].id))
    assert [a.title for a in stored()] == ["Notat om økonomi", "Evalueringsrapport"]
    editor.attachments.select(stored()[1].id)
    editor.attachments.remove_button.click()
    assert [a.title for a in stored()] == ["Notat om økonomi"]

    for expected in (
        ["Notat om økonomi", "Evalueringsrapport"],  # remove undone
        ["Evalueringsrapport", "Notat om økonomi"],  # reorder undone
    ):
        window.undo_action.trigger()
        assert [a.title for a in stored()] == expected
    window.undo_action.trigger()
    assert not stored()[1].confidential
    window.undo_action.trigger()
    assert stored()[1].title == "Notat"
    window.redo_action.trigger()
    assert stored()[1].title == "Notat om økonomi"


def test_drop_files_from_the_file_manager(qtbot, window, tmp_path):
    from PySide6.QtCore import QMimeData, Qt, QUrl

    _item, editor = open_first_case(window)
    path = tmp_path / "kort.pdf"
    path.write_bytes(make_pdf("Kort"))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    editor.attachments.model.dropMimeData(
        data, Qt.DropAction.CopyAction, -1, 0, editor.attachments.model.index(0).parent()
    )
    assert editor.attachments.model.rowCount() == 2


def test_bad_files_give_a_message_box_and_keep_the_good_ones(
    qtbot, window, tmp_path, message_boxes
):
    item, editor = open_first_case(window)
    fake = tmp_path / "rapport.pdf"
    fake.write_bytes(b"PK\x03\x04 this is a zip, not a pdf")
    folder = tmp_path / "mappe"
    folder.mkdir()
    good = tmp_path / "godt.pdf"
    good.write_bytes(make_pdf("Godt"))
    editor.add_files([fake, folder, tmp_path / "væk.pdf", good])
    boxes, crashes = message_boxes
    assert not crashes
    texts = [text for _kind, text in boxes]
    assert len(texts) == 3
    assert "rapport.pdf hedder .pdf, men er ikke en PDF-fil" in texts[0]
    assert "mappe er en mappe" in texts[1]
    assert "væk.pdf findes ikke" in texts[2]
    assert [a.file_name for a in window.session.meeting.agenda.item(item.id).attachments] == [
        "evaluering.pdf",
        "godt.pdf",
    ]


def test_fixed_item_gets_a_case_for_its_first_bilag(qtbot, window, tmp_path):
    meddelelser = window.session.meeting.agenda.sections[0].items[1]
    assert meddelelser.case is None
    window.agenda_view.select_item(meddelelser.id)
    path = tmp_path / "nyhedsbrev.pdf"
    path.write_bytes(make_pdf("Nyhedsbrev"))
    window.item_editor.add_files([path])
    saved = window.workspace.meeting(window.session.meeting.id).agenda.item(meddelelser.id)
    assert saved.case is not None and saved.case.id is not None
    assert [a.file_name for a in saved.attachments] == ["nyhedsbrev.pdf"]


def test_read_attachment_file_names_the_type(tmp_path: Path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04 xlsx")
    data, name, media_type = read_attachment_file(path)
    assert name == "budget.xlsx" and media_type.endswith("spreadsheetml.sheet")
    assert data.startswith(b"PK")


def test_an_image_bilag_is_converted_off_the_ui_thread_and_cached(qtbot, window, tmp_path):
    from PIL import Image

    from export.conversion.convert import conversion_key

    _item, editor = open_first_case(window)
    path = tmp_path / "oversigtskort.png"
    Image.new("RGB", (400, 300), (30, 120, 200)).save(path)

    def is_the_image(shown) -> bool:  # type: ignore[no-untyped-def]
        return shown is not None and shown.file_name == "oversigtskort.png"

    with qtbot.waitSignal(editor.attachment_shown, timeout=10_000, check_params_cb=is_the_image):
        editor.add_files([path])
        assert "Konverterer oversigtskort.png" in editor.preview.message.text()
    assert editor.preview.page_count == 1
    attachment = editor.attachments.current()
    assert attachment.file_name == "oversigtskort.png"
    key = conversion_key(attachment)
    cached = window.workspace.converted(key)
    assert cached is not None and cached.startswith(b"%PDF")


def test_a_bilag_converted_for_the_preview_becomes_searchable(qtbot, window, tmp_path):
    """As an export would: the converted PDF's text goes to the search index."""
    item, editor = open_first_case(window)
    path = tmp_path / "referat.txt"
    path.write_text("Referat fra mødet om Kalvehavebroen i Vordingborg", encoding="utf-8")
    editor.add_files([path])
    qtbot.waitUntil(lambda: window.workspace.search_cases("Kalvehavebroen") != [], timeout=10_000)
    assert [h.case_id for h in window.workspace.search_cases("Kalvehavebroen")] == [item.case.id]


def test_add_by_file_dialog_remembers_the_folder(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    _item, editor = open_first_case(window)
    folder = tmp_path / "fra sekretariatet"
    folder.mkdir()
    path = folder / "notat.pdf"
    path.write_bytes(make_pdf("Notat"))
    asked = []

    def choose(parent, title, start, filters):  # type: ignore[no-untyped-def]
        asked.append(start)
        return [str(path)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    editor.attachments.add_button.click()
    editor.attachments.add_button.click()
    from gui.settings import documents_folder

    assert asked == [documents_folder(), str(folder)]  # Documents, never the program's folder
    assert editor.attachments.model.rowCount() == 3
