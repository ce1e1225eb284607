"""Create or edit a meeting: body, date and time with a calendar, place, participants,
status, and (for a new meeting) the standard items of the last meeting."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from agenda.meeting_defaults import keep_attendance, standard_agenda
from agenda.model import (
    Agenda,
    Body,
    Meeting,
    MeetingStatus,
    Participant,
)
from gui.i18n import _


def parse_participants(text: str) -> tuple[Participant, ...]:
    """One per line, ``Navn, Rolle`` (the role may be left out)."""
    result = []
    for line in text.splitlines():
        name, _sep, role = line.partition(",")
        if name.strip():
            result.append(Participant(name.strip(), role.strip()))
    return tuple(result)


def format_participants(participants: tuple[Participant, ...]) -> str:
    return "\n".join(f"{p.name}, {p.role}" if p.role else p.name for p in participants)


class MeetingDialog(QDialog):
    def __init__(
        self,
        bodies: list[Body],
        meeting: Meeting | None = None,
        *,
        last: Meeting | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit meeting") if meeting else _("New meeting"))
        self.setMinimumWidth(520)
        self._meeting = meeting
        self._bodies = bodies
        self._last = last
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.body = QComboBox()
        self.body.setEditable(True)
        for body in bodies:
            self.body.addItem(body.name, body)
        form.addRow(_("Body"), self.body)
        self.title = QLineEdit()
        form.addRow(_("Title"), self.title)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dddd d. MMMM yyyy")
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH.mm")
        self.end = QTimeEdit()
        self.end.setDisplayFormat("HH.mm")
        when = QHBoxLayout()
        when.addWidget(self.date, 1)
        when.addWidget(QLabel(_("from")))
        when.addWidget(self.start)
        when.addWidget(QLabel(_("to")))
        when.addWidget(self.end)
        form.addRow(_("Date"), when)
        self.place = QLineEdit()
        form.addRow(_("Place"), self.place)
        self.status = QComboBox()
        for status in MeetingStatus:
            self.status.addItem(status.label, status)
        form.addRow(_("Status"), self.status)
        self.participants = QPlainTextEdit()
        self.participants.setPlaceholderText(_("One per line: name, role"))
        self.participants.setMinimumHeight(110)
        form.addRow(_("Participants"), self.participants)
        layout.addLayout(form)
        self.standard_items = QCheckBox(_("Start with the standard items of the last meeting"))
        self.standard_items.setChecked(True)
        self.standard_items.setVisible(meeting is None)
        layout.addWidget(self.standard_items)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.body.currentIndexChanged.connect(self._body_chosen)
        self._fill(meeting)

    def _fill(self, meeting: Meeting | None) -> None:
        if meeting is None:
            body = self._last.body if self._last else (self._bodies[0] if self._bodies else None)
            if body is not None:
                self.body.setCurrentText(body.name)
            self.title.setText(f"Møde i {body.name}" if body else "")
            self.date.setDate(QDate.currentDate().addDays(14))
            self.start.setTime(QTime(10, 0))
            self.end.setTime(QTime(13, 0))
            self.place.setText(body.default_place if body else "")
            members = body.members if body else ()
            self.participants.setPlainText(format_participants(members))
            return
        self.body.setCurrentText(meeting.body.name)
        self.title.setText(meeting.title)
        start = QDateTime(meeting.start.replace(tzinfo=None))
        self.date.setDate(start.date())
        self.start.setTime(start.time())
        end = meeting.end or meeting.start
        self.end.setTime(QDateTime(end.replace(tzinfo=None)).time())
        self.place.setText(meeting.location)
        self.status.setCurrentIndex(self.status.findData(meeting.status))
        self.participants.setPlainText(format_participants(meeting.participants))

    def _body_chosen(self, _index: int) -> None:
        body = self.body.currentData()
        if self._meeting is None and isinstance(body, Body):
            self.place.setText(self.place.text() or body.default_place)

    def _chosen_body(self) -> Body:
        name = self.body.currentText().strip() or "KKR"
        for body in self._bodies:
            if body.name == name:
                return body
        if self._meeting is not None and self._meeting.body.name == name:
            return self._meeting.body
        return Body(name=name)

    def changes(self) -> dict[str, object]:
        """The meeting's own fields as the user left them."""
        date = self.date.date().toPython()
        start_time = self.start.time().toPython()
        end_time = self.end.time().toPython()
        tz = self._meeting.start.tzinfo if self._meeting else datetime.now().astimezone().tzinfo
        start = datetime.combine(date, start_time, tzinfo=tz)
        end = datetime.combine(date, end_time, tzinfo=tz) if end_time > start_time else None
        return {
            "body": self._chosen_body(),
            "title": self.title.text().strip() or _("Meeting"),
            "start": start,
            "end": end,
            "location": self.place.text().strip(),
            "status": self.status.currentData(),
            "participants": keep_attendance(
                parse_participants(self.participants.toPlainText()),
                self._meeting.participants if self._meeting else (),
            ),
        }

    def new_meeting(self) -> Meeting:
        changes = self.changes()
        agenda = standard_agenda(self._last) if self.standard_items.isChecked() else Agenda()
        return Meeting(agenda=agenda, **changes)  # type: ignore[arg-type]
