"""The meeting dialog: participants as lines, attendance kept, a time span, and each
meeting its own undo history."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, QTime

from agenda.model import MeetingStatus, Participant
from gui.meeting_dialog import MeetingDialog, parse_participants
from tests import factories


def test_participants_are_lines_and_attendance_is_kept(qtbot):
    assert parse_participants(
        "Mette Hansen, Formand\n\n  Ole Pedersen \nAnne, Kommunaldirektør, Køge"
    ) == (
        Participant("Mette Hansen", "Formand"),
        Participant("Ole Pedersen", ""),
        Participant("Anne", "Kommunaldirektør, Køge"),
    )
    meeting = factories.meeting(
        participants=(Participant("Mette Hansen", "Formand", present=True),)
    )
    dialog = MeetingDialog([meeting.body], meeting)
    qtbot.addWidget(dialog)
    assert dialog.participants.toPlainText() == "Mette Hansen, Formand"
    dialog.participants.setPlainText("Mette Hansen, Borgmester\nOle Pedersen, Næstformand")
    dialog.date.setDate(QDate(2024, 5, 2))
    dialog.start.setTime(QTime(9, 30))
    dialog.end.setTime(QTime(12, 0))
    dialog.status.setCurrentIndex(dialog.status.findData(MeetingStatus.HELD))
    changes = dialog.changes()
    assert changes["participants"] == (
        Participant("Mette Hansen", "Borgmester", present=True),
        Participant("Ole Pedersen", "Næstformand"),
    )
    assert (changes["start"].hour, changes["start"].minute, changes["start"].day) == (9, 30, 2)
    assert changes["start"].tzinfo == meeting.start.tzinfo
    assert changes["end"].hour == 12 and changes["status"] is MeetingStatus.HELD
    assert not dialog.standard_items.isVisible()


def test_each_meeting_has_its_own_undo_history(qtbot, window, workspace):
    first = window.session.meeting
    with workspace.transaction():
        second = workspace.save_meeting(
            replace(
                factories.meeting(),
                id=None,
                title="Junimødet",
                start=first.start.replace(month=6),
                end=None,
            )
        )
    window.refresh_meetings(select=first.id)
    window.meeting_menu.set_status(MeetingStatus.SENT)
    window.refresh_meetings(select=second.id)
    assert window.session.meeting.id == second.id
    assert not window.undo_action.isEnabled()  # the second meeting has nothing to undo
    window.refresh_meetings(select=first.id)
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert workspace.meeting(first.id).status is MeetingStatus.DRAFT
