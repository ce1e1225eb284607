"""Meetings by date, the next one selected; a table model over ``MeetingSummary``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from agenda.model import Meeting, MeetingId, MeetingStatus
from agenda.repository import MeetingSummary
from gui.i18n import _
from gui.model_index import ROOT, Index

MeetingIdRole = Qt.ItemDataRole.UserRole + 1


class MeetingListModel(QAbstractTableModel):
    DATE, TITLE, STATUS = range(3)

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._rows: list[MeetingSummary] = []
        self._headers = [_("Date"), _("Meeting"), _("Status")]

    def set_meetings(self, meetings: list[MeetingSummary]) -> None:
        self.beginResetModel()
        self._rows = sorted(meetings, key=lambda m: (_naive(m.start), m.id))
        self.endResetModel()

    def statuses(self) -> set[MeetingStatus]:
        return {m.status for m in self._rows}

    def summary(self, row: int) -> MeetingSummary:
        return self._rows[row]

    def row_of(self, meeting_id: MeetingId) -> int:
        return next((r for r, m in enumerate(self._rows) if m.id == meeting_id), -1)

    def next_row(self, now: datetime | None = None) -> int:
        """The first meeting today or later; else the last one; -1 if there are none."""
        if not self._rows:
            return -1
        today = (now or datetime.now()).date()
        for row, meeting in enumerate(self._rows):
            if meeting.start.date() >= today:
                return row
        return len(self._rows) - 1

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):  # type: ignore[no-untyped-def]
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < 3 else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        meeting = self._rows[index.row()]
        if role == MeetingIdRole:
            return meeting.id
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == self.DATE:
                return f"{meeting.start:%d.%m.%Y}"
            if index.column() == self.TITLE:
                return meeting.title or meeting.body_name
            return meeting.status.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{meeting.body_name}: {meeting.title}\n"
                f"{meeting.start:%d.%m.%Y kl. %H.%M} · {meeting.status.label} · "
                + _("%(n)d items")
                % {"n": meeting.item_count}
            )
        return None


def _naive(when: datetime) -> datetime:
    return when.replace(tzinfo=None)


class MeetingListView(QTreeView):
    meeting_selected = Signal(object)  # MeetingId or None

    def __init__(self, model: MeetingListModel, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.meeting_model = model
        self.setModel(model)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        # fixed widths from the font: ResizeToContents would measure every row (slow with
        # a few hundred meetings), and these columns hold known texts
        metrics = self.fontMetrics()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, metrics.horizontalAdvance("00.00.0000") + 16)
        self._status_widths = {s: metrics.horizontalAdvance(s.label) + 16 for s in MeetingStatus}
        model.modelReset.connect(self._fit_status_column)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def _fit_status_column(self) -> None:
        """As wide as the statuses in use (at most four kinds: no need to measure rows)."""
        used = self.meeting_model.statuses() or {MeetingStatus.DRAFT}
        self.header().resizeSection(2, max(self._status_widths[s] for s in used))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.meeting_selected.emit(self.meeting_model.summary(current.row()).id)
        else:
            self.meeting_selected.emit(None)

    def select_row(self, row: int) -> None:
        if row >= 0:
            self.setCurrentIndex(self.meeting_model.index(row, 0))

    def follow(self, meeting: Meeting, summaries: Callable[[], list[MeetingSummary]]) -> None:
        """The shown meeting was edited: its row says what it is now (title, status,
        date, number of items), read again only when it changed, and without a new
        ``meeting_selected`` (the meeting is shown already)."""
        row = self.meeting_model.row_of(meeting.id)  # type: ignore[arg-type]
        if row < 0:
            return
        summary = self.meeting_model.summary(row)
        if (summary.title, summary.status, summary.start) != (
            meeting.title,
            meeting.status,
            meeting.start,
        ) or summary.item_count != len(meeting.agenda.items()):
            current = meeting.id
            self.blockSignals(True)
            self.meeting_model.set_meetings(summaries())
            self.select_row(self.meeting_model.row_of(current))  # type: ignore[arg-type]
            self.blockSignals(False)

    def current_meeting_id(self) -> MeetingId | None:
        index = self.currentIndex()
        return self.meeting_model.summary(index.row()).id if index.isValid() else None
