"""Search as you type finds a case; adding it puts it on the agenda (once)."""

from __future__ import annotations

from tests import factories


def test_search_finds_a_case_and_adds_it(qtbot, window, workspace, message_boxes):
    with workspace.transaction():
        workspace.save_case(factories.case("Kollektiv trafik i Vestsjælland", "24/08888"))
        workspace.save_case(factories.case("Budget for klimaindsatsen", "24/08889"))
    library = window.case_library
    qtbot.keyClicks(library.search, "trafik")
    qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=2000)
    assert library.model.data(library.model.index(0)) == "24/08888  Kollektiv trafik i Vestsjælland"
    assert library.status.text() == "1 sag"  # singular, not "1 sager"

    selected = window.session.meeting.agenda.sections[1].items[0]
    window.agenda_view.select_item(selected.id)
    library.add_button.click()
    items = window.session.meeting.agenda.sections[1].items
    assert [i.title for i in items][:2] == [selected.title, "Kollektiv trafik i Vestsjælland"]
    assert window.agenda_view.current_item_id() == items[1].id
    assert window.item_editor.reference.text() == "24/08888"
    saved = window.workspace.meeting(window.session.meeting.id)
    assert saved.agenda.sections[1].items[1].case.reference == "24/08888"

    library.add_button.click()  # the same case again: a message, not a second item
    assert len(window.session.meeting.agenda.sections[1].items) == 3
    assert message_boxes[0] and "allerede på dagsordenen som punkt 2.2" in message_boxes[0][0][1]


def test_empty_search_shows_nothing(qtbot, window):
    library = window.case_library
    qtbot.keyClicks(library.search, "   ")
    library.run_search()
    assert library.model.rowCount() == 0


def test_the_word_being_typed_is_a_prefix(qtbot, window, workspace):
    from gui.case_library import as_you_type

    assert as_you_type("kommun") == "kommun*"
    assert as_you_type("kommune ") == "kommune"
    assert as_you_type('"det nære"') == '"det nære"'
    assert as_you_type("sund*") == "sund*"
    assert as_you_type("k") == "k" and as_you_type("sundhed k") == "sundhed k"  # no index
    assert as_you_type("ko") == "ko*" and as_you_type("24/0") == "24/0*"
    with workspace.transaction():
        workspace.save_case(factories.case("Kommunale praktikpladser", "24/09999"))
    library = window.case_library
    qtbot.keyClicks(library.search, "praktikpl")
    qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=2000)
    assert library.model.hit(0).reference == "24/09999"


def test_the_hit_count_is_singular_and_plural(qtbot, window, workspace):
    with workspace.transaction():
        workspace.save_case(factories.case("Vandplan for Tude Å", "24/07001"))
        workspace.save_case(factories.case("Vandplan for Suså", "24/07002"))
    library = window.case_library
    library.search.setText("vandplan")
    library.run_search()
    assert library.model.rowCount() == 2
    assert library.status.text() == "2 sager"
    library.search.setText("tude")
    library.run_search()
    assert library.status.text() == "1 sag"


def test_long_titles_wrap_in_the_narrow_library_and_the_tooltip_has_all(qtbot, window, workspace):
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics

    title = "Kollektiv trafik i Vestsjælland og samarbejdet med Movia om de regionale busruter"
    with workspace.transaction():
        workspace.save_case(factories.case(title, "24/08888"))
    window.resize(1366, 768)
    window.splitter.setSizes([240, 560, 566])  # the library as narrow as at 1366x768
    library = window.case_library
    qtbot.keyClicks(library.search, "Movia")
    qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=2000)
    library.results.executeDelayedItemsLayout()
    index = library.model.index(0)
    rect = library.results.visualRect(index)
    shown = f"24/08888  {title}"
    visible = min(rect.width(), library.results.viewport().width())  # not wider than the list
    text_width = visible - library.results.iconSize().width() - 12
    needed = QFontMetrics(library.results.font()).boundingRect(
        QRect(0, 0, text_width, 10_000), Qt.TextFlag.TextWordWrap, shown
    )
    assert rect.height() >= needed.height() > QFontMetrics(library.results.font()).height()
    assert title in library.model.data(index, Qt.ItemDataRole.ToolTipRole)
