"""Kontrol før udsendelse: the preflight findings of the meeting being exported.

The files are inspected in the worker (``export.inspect``), the rules run on the UI
thread (``agenda.preflight``, pure and quick). A "fejl" stops the public edition unless
the user ticks the override, which is then written to the log with who and when.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLabel,
    QListView,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from agenda.snapshot import MeetingSnapshot
from gui.errors import log, report_exception
from gui.i18n import _, ngettext
from gui.model_index import ROOT, Index
from gui.worker import Task, run_in_background

ItemIdRole = Qt.ItemDataRole.UserRole + 1


def inspect(task, snapshot: MeetingSnapshot):  # type: ignore[no-untyped-def]
    """On the worker: the facts of every bilag, from the snapshot's bytes."""
    from export.inspect import inspect_meeting

    return inspect_meeting(snapshot.meeting, snapshot.blobs, task)


class FindingsModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._findings: list = []
        self._icons: dict = {}

    def set_findings(self, findings: list) -> None:
        self.beginResetModel()
        self._findings = list(findings)
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._findings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        finding = self._findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{finding.severity.label.capitalize()}: {finding.message}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(finding.severity.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = [w for w in (finding.item_heading, finding.attachment_title) if w]
            return " · ".join(where) or None
        if role == ItemIdRole:
            return finding.item_id
        return None

    def _icon(self, severity: str):  # type: ignore[no-untyped-def]
        if severity not in self._icons:
            from PySide6.QtWidgets import QApplication

            pixmap = {
                "fejl": QStyle.StandardPixmap.SP_MessageBoxCritical,
                "advarsel": QStyle.StandardPixmap.SP_MessageBoxWarning,
            }.get(severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
            self._icons[severity] = QApplication.style().standardIcon(pixmap)
        return self._icons[severity]


class PreflightPanel(QWidget):
    checked = Signal(list)  # the findings, when the check is done
    finding_activated = Signal(str)  # the item a finding is about

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: list | None = None
        self.task: Task | None = None
        self._snapshot: MeetingSnapshot | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(_("Checking the meeting before it goes out …"))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = FindingsModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        # a finding is a sentence or two: wrapped whole at the list's width (Adjust lays
        # the rows out again when the width changes), scrolled by pixel, never elided
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(150)
        self.list.activated.connect(self._activated)
        layout.addWidget(self.list)
        self.override = QCheckBox(_("Make the public edition anyway (this is recorded)"))
        self.override.setVisible(False)
        layout.addWidget(self.override)

    def start(self, snapshot: MeetingSnapshot) -> None:
        self._snapshot = snapshot
        self.findings = None
        self.task = run_in_background(
            inspect, snapshot, on_success=self._inspected, on_failure=self._failed
        )

    def running(self) -> bool:
        return self.task is not None and self.findings is None

    def has_errors(self) -> bool:
        from agenda.preflight import has_errors

        return bool(self.findings) and has_errors(self.findings)

    def _inspected(self, facts) -> None:  # type: ignore[no-untyped-def]
        from agenda.preflight import Severity, preflight

        assert self._snapshot is not None
        findings = preflight(
            self._snapshot.meeting,
            facts,
            today=date.today(),
            blobs_present=self._snapshot.blobs.keys(),
            elsewhere=self._snapshot.elsewhere,
        )
        self.findings = findings
        self.model.set_findings(findings)
        errors = sum(f.severity is Severity.ERROR for f in findings)
        warnings = sum(f.severity is Severity.WARNING for f in findings)
        if not findings:
            self.summary.setText(_("The check before sending found nothing to fix."))
            self.list.setVisible(False)
        else:
            self.summary.setText(
                _("The check before sending found %(errors)s and %(warnings)s.")
                % {
                    "errors": ngettext("%(n)d error", "%(n)d errors", errors) % {"n": errors},
                    "warnings": ngettext("%(n)d warning", "%(n)d warnings", warnings)
                    % {"n": warnings},
                }
            )
        self.override.setVisible(errors > 0)
        self.checked.emit(findings)

    def _failed(self, error: BaseException) -> None:
        from agenda.preflight import Finding, Severity

        self.summary.setText(_("The check before sending could not run."))
        # An unchecked meeting counts as one with an error: the public edition then needs
        # the user's explicit (and recorded) override, never goes out unchecked by accident.
        self.findings = [
            Finding(
                Severity.ERROR, _("The check before sending could not run."), rule="check-failed"
            )
        ]
        self.override.setVisible(True)
        report_exception(error, self.window())
        self.checked.emit(self.findings)

    def _activated(self, index: QModelIndex) -> None:
        item_id = self.model.data(index, ItemIdRole)
        if item_id:
            self.finding_activated.emit(item_id)

    def record_override(self, workspace: Any) -> dict:
        """Write down that the public edition was made despite errors: in the workspace's
        event log, as the command line's --force does, and in the log file."""
        from agenda.preflight import override_record
        from storage.events import record_event

        assert self._snapshot is not None and self.findings is not None
        record = override_record(
            self.findings,
            getpass.getuser(),
            datetime.now(UTC),
            meeting_id=self._snapshot.meeting.id,
        )
        record_event(workspace, "public-export-override", self._snapshot.meeting.id, record)
        log.warning("preflight override: %s", json.dumps(record, ensure_ascii=False))
        return record
