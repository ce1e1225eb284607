"""The agenda tree at 1366×768, the laptop screen of many secretariats: whole titles,
wrapped rather than cut, and a padlock that can be seen on the selected row (issue #12,
point 18)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette

from agenda.model import ItemKind
from gui.agenda_model import Column
from gui.app import create_main_window
from tests import factories
from tests.gui.conftest import sample_meeting

LONG = (
    "Indstilling af kommunale medlemmer til bestyrelsen for Erhvervshus Sjælland "
    "og til det regionale vækstforum for perioden 2027-2030"
)


def _window(qtbot, workspace, workspace_path, settings, closed: bool = False):  # type: ignore[no-untyped-def]
    meeting = sample_meeting(workspace)
    sections = list(meeting.agenda.sections)
    long_item = factories.item(
        LONG, ItemKind.DECISION, case_=factories.case(LONG, "26/04977"), closed=closed
    )
    sections[1] = replace(sections[1], items=(*sections[1].items, long_item))
    with workspace.transaction():
        workspace.save_meeting(
            replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))
        )
    window = create_main_window(workspace, workspace_path, settings=settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, long_item


def test_whole_titles_are_shown_at_1366x768(qtbot, workspace, workspace_path, settings):
    window, _long = _window(qtbot, workspace, workspace_path, settings)
    view, model = window.agenda_view, window.agenda_model
    metrics = QFontMetrics(view.font())
    view.executeDelayedItemsLayout()  # rows measured at the shown column widths
    for item in window.session.meeting.agenda.items():
        rect = view.visualRect(model.index_of_item(item.id, Column.TITLE))
        assert rect.width() > 200, "the title column has room beside the editor"
        margin = 2 * (view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 1)
        needed = metrics.boundingRect(
            QRect(0, 0, rect.width() - margin, 10_000), Qt.TextFlag.TextWordWrap, item.title
        )
        assert needed.height() <= rect.height(), item.title


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_padlock_stands_out_on_a_selected_row(qtbot, workspace, workspace_path, settings):
    window, long_item = _window(qtbot, workspace, workspace_path, settings, closed=True)
    view = window.agenda_view
    view.select_item(long_item.id)
    view.setFocus()
    index = window.agenda_model.index_of_item(long_item.id, Column.CLOSED)
    rect = view.visualRect(index)
    image = view.viewport().grab(rect).toImage()
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    # the cell's own background is the highlight (the row is selected)
    assert _contrast(image.pixelColor(1, 1), highlight) < 1.1
    standing_out = sum(
        _contrast(image.pixelColor(x, y), highlight) >= 3.0
        for x in range(image.width())
        for y in range(image.height())
    )
    assert standing_out >= 40  # a 16-pixel padlock's worth, not a few pixels of keyhole
