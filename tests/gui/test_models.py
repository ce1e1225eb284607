"""Every model passes Qt's model tester, fed with realistic content."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from agenda.model import MeetingStatus, NumberingStyle
from agenda.operations import MoveItem
from agenda.repository import MeetingSummary, SearchHit
from gui.agenda_model import AgendaModel, Column
from gui.attachments import AttachmentListModel
from gui.case_library import SearchHitModel
from gui.meeting_list import MeetingListModel
from tests import factories
from tests.gui.conftest import make_pdf


def test_agenda_model_passes_the_model_tester_and_shows_numbers(qtmodeltester):
    model = AgendaModel()
    meeting = factories.meeting()
    model.set_agenda(meeting.agenda, NumberingStyle.SECTION)
    qtmodeltester.check(model)
    sager = model.index(1, 0)
    assert model.data(sager) == "2  Sager"
    first = model.index(0, Column.NUMBER, sager)
    assert model.data(first) == "2.1"
    assert model.data(model.index(0, Column.KIND, sager)) == "Beslutningssag"
    assert model.data(model.index(0, Column.TITLE, sager)).startswith("Evaluering")
    assert model.data(model.index(0, Column.KIND, sager), Qt.ItemDataRole.DecorationRole)


def test_agenda_model_after_a_move_and_a_flat_numbering(qtmodeltester):
    model = AgendaModel()
    meeting = factories.meeting()
    model.set_agenda(meeting.agenda, NumberingStyle.SECTION)
    status = meeting.agenda.sections[1].items[1]
    moved, _ = MoveItem(status.id, 0, 0).apply(meeting.agenda)
    model.set_agenda(moved, NumberingStyle.FLAT)
    qtmodeltester.check(model)
    assert model.data(model.index(0, Column.TITLE, model.index(0, 0))) == status.title
    assert model.data(model.index(0, Column.NUMBER, model.index(1, 0))) == "4"


def test_agenda_model_marks_closed_items_and_counts_bilag(qtmodeltester):
    pdf = make_pdf("x")
    bilag = factories.attachment("Notat", pdf, "notat.pdf")
    case = factories.case("Personalesag", "24/9", attachments=(bilag, bilag))
    item = factories.item("Personalesag", case_=case, closed=True)
    model = AgendaModel()
    model.set_agenda(factories.meeting([("Lukket", [item])]).agenda, NumberingStyle.SECTION)
    qtmodeltester.check(model)
    section = model.index(0, 0)
    assert model.data(model.index(0, Column.CLOSED, section), Qt.ItemDataRole.DecorationRole)
    assert model.data(model.index(0, Column.ATTACHMENTS, section)) == "2"


def test_meeting_list_model(qtmodeltester):
    model = MeetingListModel()
    meeting = factories.meeting()
    summaries = [
        MeetingSummary(
            2, meeting.start.replace(month=6), "KKR Sjælland", "Junimødet", MeetingStatus.DRAFT, 5
        ),
        MeetingSummary(1, meeting.start, "KKR Sjælland", "Aprilmødet", MeetingStatus.HELD, 7),
    ]
    model.set_meetings(summaries)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "Aprilmødet"  # sorted by date
    assert model.data(model.index(0, 2)) == "Afholdt"
    assert model.next_row(meeting.start.replace(month=5, tzinfo=None)) == 1


def test_search_hit_model(qtmodeltester):
    model = SearchHitModel()
    model.set_hits([SearchHit(3, "24/04521", "Klyngekontorer", "… [klynge]kontorer …")])
    qtmodeltester.check(model)
    assert model.data(model.index(0)) == "24/04521  Klyngekontorer"
    assert model.mimeData([model.index(0)]).hasFormat("application/x-kkr-case")


def test_attachment_list_model(qtmodeltester):
    pdf = make_pdf("x")
    a = factories.attachment("Rapport", pdf, "rapport.pdf")
    b = replace(factories.attachment("Notat", pdf + b" ", "notat.pdf"), confidential=True)
    model = AttachmentListModel()
    model.set_attachments((a, b))
    qtmodeltester.check(model)
    assert model.data(model.index(0)) == "1. Rapport"
    assert "fortroligt" in model.data(model.index(1))
