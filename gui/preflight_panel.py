"""Kontrol før udsendelse: the preflight findings of the meeting being exported.

The files are inspected in the worker (``export.inspection.inspect``), the rules run on the UI
thread (``agenda.preflight``, pure and quick). A "fejl" stops the public edition unless
the user ticks the override, which is then written to the log with who and when.

The panel checks one snapshot at a time and says which (``is_for``, ``checked``), so the
export dialog can tell whether the findings are of the meeting it is about to export.
Checking again after an edit is cheap: a file's facts are kept by its bytes and name.
A different set of fejl unticks the override: it was given for the fejl then shown.
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


class InspectionFailed(Exception):
    """The inspection of ``snapshot`` raised (the bug is its ``__cause__``)."""

    def __init__(self, snapshot: MeetingSnapshot) -> None:
        super().__init__("inspection failed")
        self.snapshot = snapshot


def inspect(task, snapshot: MeetingSnapshot, known: dict):  # type: ignore[no-untyped-def]
    """On the worker: the facts of every bilag, from the snapshot's bytes; those in
    ``known`` (by ``fact_key``) are not inspected again. Returns (snapshot, facts)."""
    from agenda.tasks import Cancelled
    from export.inspection.inspect import inspect_meeting

    try:
        first = first_attachments(snapshot)
        reused = {sha: known[fact_key(a)] for sha, a in first.items() if fact_key(a) in known}
        todo = {sha: snapshot.blobs[sha] for sha in first if sha not in reused}
        return snapshot, {**reused, **inspect_meeting(snapshot.meeting, todo, task)}
    except Cancelled:
        raise
    except Exception as error:
        raise InspectionFailed(snapshot) from error


def first_attachments(snapshot: MeetingSnapshot) -> dict:
    """Each file (by SHA-256) with bytes, as its first attachment in agenda order names it:
    the one ``inspect_meeting`` inspects it as."""
    first: dict = {}
    for item in snapshot.meeting.agenda.items():
        for attachment in item.attachments:
            if attachment.sha256 in snapshot.blobs:
                first.setdefault(attachment.sha256, attachment)
    return first


def fact_key(attachment) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """What a file's facts depend on: its bytes, and its name where the bytes are mute."""
    return attachment.sha256, attachment.file_name, attachment.media_type


def snapshot_key(snapshot: MeetingSnapshot) -> tuple:
    """What the findings depend on besides the day: the meeting and which bytes exist."""
    return snapshot.meeting, frozenset(snapshot.blobs)


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
        self._key: tuple | None = None
        self._day: date | None = None
        self._facts: dict = {}  # by fact_key, from earlier checks
        self._errors: list | None = None  # the fejl the override was offered for
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
        policy = self.override.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # appearing, it moves nothing
        self.override.setSizePolicy(policy)
        self.override.setVisible(False)
        layout.addWidget(self.override)

    def start(self, snapshot: MeetingSnapshot) -> None:
        """Check ``snapshot``; a check still running of an older one is dropped."""
        if self.task is not None and not self.task.finished:
            self.task.cancel()
        self._snapshot = snapshot
        self._key = snapshot_key(snapshot)
        self._day = date.today()
        self.findings = None
        self.summary.setText(_("Checking the meeting before it goes out …"))
        self.task = run_in_background(
            inspect,
            snapshot,
            dict(self._facts),
            on_success=self._inspected,
            on_failure=self._failed,
        )

    def running(self) -> bool:
        return self.task is not None and self.findings is None

    def is_for(self, snapshot: MeetingSnapshot) -> bool:
        """Whether the check (done or running) is of this very meeting, today."""
        return self._key == snapshot_key(snapshot) and self._day == date.today()

    def has_checked(self, snapshot: MeetingSnapshot) -> bool:
        """Whether ``findings`` are those of this very meeting, today."""
        return self.findings is not None and self.is_for(snapshot)

    def has_errors(self) -> bool:
        from agenda.preflight import has_errors

        return bool(self.findings) and has_errors(self.findings)

    def _inspected(self, result) -> None:  # type: ignore[no-untyped-def]
        from agenda.preflight import preflight

        snapshot, facts = result
        if snapshot is not self._snapshot:
            return  # a check of an older state of the meeting, finished before its cancel
        for sha, attachment in first_attachments(snapshot).items():
            if sha in facts:
                self._facts[fact_key(attachment)] = facts[sha]
        findings = preflight(
            snapshot.meeting,
            facts,
            today=self._day or date.today(),
            blobs_present=snapshot.blobs.keys(),
            elsewhere=snapshot.elsewhere,
        )
        self._show(findings)
        self.checked.emit(findings)

    def _show(self, findings: list) -> None:
        from agenda.preflight import Severity

        self.findings = findings
        self.model.set_findings(findings)
        errors = sum(f.severity is Severity.ERROR for f in findings)
        warnings = sum(f.severity is Severity.WARNING for f in findings)
        shown = [(f.rule, f.message) for f in findings if f.severity is Severity.ERROR]
        if shown != self._errors:
            self.override.setChecked(False)  # given for other fejl than these
            self._errors = shown
        if not findings:
            self.summary.setText(_("The check before sending found nothing to fix."))
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

    def _failed(self, error: BaseException) -> None:
        from agenda.preflight import Finding, Severity

        if isinstance(error, InspectionFailed):
            if error.snapshot is not self._snapshot:
                return  # a check of an older state of the meeting
            error = error.__cause__ or error
        # An unchecked meeting counts as one with an error: the public edition then needs
        # the user's explicit (and recorded) override, never goes out unchecked by accident.
        self._show(
            [
                Finding(
                    Severity.ERROR,
                    _("The check before sending could not run."),
                    rule="check-failed",
                )
            ]
        )
        self.summary.setText(_("The check before sending could not run."))
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

        assert self._snapshot is not None and self.findings is not None
        record = override_record(
            self.findings,
            getpass.getuser(),
            datetime.now(UTC),
            meeting_id=self._snapshot.meeting.id,
        )
        workspace.record_event("public-export-override", self._snapshot.meeting.id, record)
        log.warning("preflight override: %s", json.dumps(record, ensure_ascii=False))
        return record
