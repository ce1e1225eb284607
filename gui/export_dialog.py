"""The export dialog: choose documents and a folder, run them in the worker with
progress per attachment and overall, Cancel, per-file errors, and "Åbn mappe".

It is not modal: the main window stays usable while it is open. So nothing is read
when it opens that the export then uses: the meeting, its bytes, the check before
sending and the public gate are all taken afresh when Eksportér is clicked (an item
closed or a bilag marked confidential in the meantime is left out of the public edition;
a fejl fixed meanwhile no longer blocks it, a new one does). The check also runs again
shortly after every change to the meeting, so what the dialog shows is current. Edits
made while an export runs go into the next export.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, QUrl, Signal, SignalInstance
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from agenda.errors import UserFacingError
from agenda.repository import WorkspaceRepository
from agenda.snapshot import MeetingSnapshot
from app.exporting import finish_export
from app.preflight import gate_public
from gui import preflight_panel
from gui.errors import guarded, log, report_exception
from gui.export_choices import ExportChoices, phase
from gui.export_job import (
    ExportOutcome,
    ExportPlan,
    ExportRequest,
    OutputKind,
    SnapshotReader,
    default_outputs,
    run_export,
)
from gui.export_progress import FAILURE_COLOR, ElidedLabel, ExportProgress
from gui.i18n import _
from gui.settings import UiSettings
from gui.worker import Task, run_in_background

#: After a change to the meeting, the check runs again once the edits pause this long.
REFRESH_DELAY_MS = 600


class ExportDialog(QDialog):
    export_finished = Signal(object)  # ExportOutcome
    finding_activated = Signal(str)  # an item the user wants to see from a finding

    def __init__(
        self,
        workspace: WorkspaceRepository,
        read: SnapshotReader,
        *,
        changed: SignalInstance | None = None,
        folder: str = "",
        outputs: list[OutputKind] | None = None,
        settings: UiSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export"))
        self.setMinimumWidth(660)
        self.workspace = workspace
        self._read = read
        self.settings = settings
        snapshot = read(commit=True)
        #: the meeting as last read: for the dialog's texts; an export reads it again
        self.snapshot = snapshot
        self.task: Task | None = None
        self._pending: ExportPlan | None = None  # Export pressed while the check still runs
        self._running_plan: ExportPlan | None = None
        self._stale = False  # the meeting changed while an export ran
        self.outcome: ExportOutcome | None = None
        self.outputs = outputs or default_outputs()
        layout = QVBoxLayout(self)
        self.heading = ElidedLabel()  # plain text: a title is never markup
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)

        check_box = QGroupBox(_("Check before sending"))
        box = QVBoxLayout(check_box)
        self.preflight = preflight_panel.PreflightPanel()
        self.preflight.finding_activated.connect(self.finding_activated)
        self.preflight.checked.connect(self._check_done)
        box.addWidget(self.preflight)
        layout.addWidget(check_box, 1)

        remembered = settings.export_choices(phase(snapshot)) if settings else None
        self.choices = ExportChoices(snapshot, self.outputs, remembered=remembered)
        # the choices, by the names the tests and the screenshot script use
        self.checks = self.choices.checks
        self.complete_documents = self.choices.complete_documents
        self.public_documents = self.choices.public_documents
        self.both_documents = self.choices.both_documents
        self.draft_note = self.choices.draft_note
        self.selection_summary = self.choices.selection_summary
        layout.addWidget(self.choices)

        where = QHBoxLayout()
        where.addWidget(QLabel(_("Folder")))
        self.folder = QLineEdit(folder or _default_folder())
        where.addWidget(self.folder, 1)
        self.browse = QPushButton(_("Choose …"))
        self.browse.clicked.connect(self.choose_folder)
        where.addWidget(self.browse)
        layout.addLayout(where)

        # Below the folder, one slot of fixed height: the files the choices make, or,
        # once an export starts, its progress (until a choice is changed again). So the
        # progress takes no room of its own, and nothing moves when it appears.
        self.progress = ExportProgress()
        self.overall_label, self.overall = self.progress.overall_label, self.progress.overall
        self.current_label, self.current = self.progress.current_label, self.progress.current
        self.slot = QStackedWidget()
        self.slot.addWidget(self.choices.summary_area)
        self.slot.addWidget(self.progress)
        self.slot.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.slot)
        self.choices.edited.connect(self._show_summary)
        self.errors = QListWidget()
        self.errors.setVisible(False)
        self.errors.setWordWrap(True)
        layout.addWidget(self.errors, 1)
        self.result_label = ElidedLabel()  # the whole list of files in its tooltip
        layout.addWidget(self.result_label)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(_("Open folder"))
        self.start_button = QPushButton(_("Export"))
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton(_("Cancel"))
        self.close_button = QPushButton(_("Close"))
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        for button in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        policy = self.open_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.open_button.setSizePolicy(policy)
        self.open_button.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.close)
        layout.addLayout(buttons)
        self.progress.reset()
        self._show_snapshot(snapshot)
        self.preflight.start(snapshot)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        if changed is not None:
            changed.connect(self._meeting_changed)
        # room for the findings and the choices without squeezing them, within the
        # screen (1366x768 with a task bar: the buttons must stay on it)
        hint = self.sizeHint()
        height = max(hint.height(), 660)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            height = max(min(height, screen.height() - 70), self.minimumSizeHint().height())
        self.resize(max(hint.width(), 700), height)

    # -- choices ---------------------------------------------------------------------------
    def chosen_editions(self) -> set[bool]:
        return self.choices.chosen_editions()

    def requests(self) -> list[ExportRequest]:
        return self.choices.requests()

    @guarded
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def running(self) -> bool:
        return self._pending is not None or (self.task is not None and not self.task.finished)

    # -- the meeting as it is now ------------------------------------------------------------
    def _meeting_changed(self, _meeting: object) -> None:
        self._refresh_timer.start()  # once the edits pause: not for every key stroke

    @guarded
    def refresh(self) -> None:
        """Read the meeting again and check it again (after a change in the main window)."""
        if not self.isVisible():
            return  # a closed dialog is not shown again; the next one reads afresh
        if self.running():
            self._stale = True  # the running export keeps its snapshot; check after it
            return
        self._stale = False
        snapshot = self._read()
        self._show_snapshot(snapshot)
        if not self.preflight.is_for(snapshot):
            self.preflight.start(snapshot)

    def _show_snapshot(self, snapshot: MeetingSnapshot) -> None:
        self.snapshot = snapshot
        meeting = snapshot.meeting
        self.heading.setText(f"{meeting.title} · {meeting.start:%d.%m.%Y}")
        self.choices.set_snapshot(snapshot)

    # -- running ---------------------------------------------------------------------------
    @guarded
    def start(self) -> None:
        """Eksportér: read the meeting now, check it if the public edition is chosen and
        the check is not of exactly this meeting, then export what was read now."""
        if self.running():
            return
        requests = self.requests()
        if not requests:
            raise UserFacingError(_("Choose at least one thing to export."))
        folder = Path(self.folder.text().strip()).expanduser()
        if not str(folder).strip() or not folder.is_absolute():
            raise UserFacingError(_("Choose the folder to save the export in."))
        self._refresh_timer.stop()  # this click reads the meeting itself
        snapshot = self._read(commit=True)
        self._show_snapshot(snapshot)
        self._go(ExportPlan(snapshot, folder, tuple(requests)))

    def _wait_for_check(self, plan: ExportPlan) -> None:
        if not self.preflight.is_for(plan.snapshot):
            self.preflight.start(plan.snapshot)
        self._pending = plan
        self._set_running(True)
        self._show_progress()
        self.overall_label.setText(_("The export starts when the check is done …"))

    def _check_done(self, _findings: list) -> None:
        plan, self._pending = self._pending, None
        if plan is None:
            return
        self._set_running(False)
        self.overall_label.setText(" ")
        self._go(plan)

    @guarded
    def _go(self, plan: ExportPlan) -> None:
        if plan.public and not self.preflight.has_checked(plan.snapshot):
            # the public gate is the check of exactly this snapshot (refresh waits while
            # an export is pending, so the check started for it is the one that ends)
            self._wait_for_check(plan)
            return
        self._check_before_public(plan)
        if not self._may_replace(plan):
            return
        if self.settings is not None:
            self.settings.set_export_choices(phase(plan.snapshot), *self.choices.remembered())
        self._running_plan = plan
        self.errors.clear()
        self.errors.setVisible(False)
        self.result_label.setText("")
        self.open_button.setVisible(False)
        self.progress.begin(len(plan.requests))
        self._show_progress()
        self._set_running(True)
        self.task = run_in_background(
            run_export,
            plan.snapshot,
            plan.folder,
            list(plan.requests),
            on_progress=self.progress.progressed,
            on_stage=self.progress.stage,
            on_success=self._succeeded,
            on_failure=self._failed,
            on_cancel=self._cancelled,
        )

    def _check_before_public(self, plan: ExportPlan) -> None:
        """A public edition with a fejl from the check (of this very snapshot) needs the
        user's explicit override."""
        if not plan.public:
            return
        gate = gate_public(
            self.workspace,
            plan.snapshot,
            self.preflight.findings or [],
            override=self.preflight.override.isChecked(),
        )
        if not gate.allowed:
            raise UserFacingError(
                _(
                    "The check before sending found errors, and the public edition is "
                    "chosen. Fix the errors, or tick »Make the public edition anyway«."
                )
            )
        if gate.record is not None:  # in the workspace's event log, and in the log file
            log.warning("preflight override: %s", json.dumps(gate.record, ensure_ascii=False))

    def _may_replace(self, plan: ExportPlan) -> bool:
        """Files of these names already in the folder are replaced only if the user says
        so: one question, listing them all."""
        existing = [name for name in plan.file_names() if (plan.folder / name).exists()]
        if not existing:
            return True
        answer = QMessageBox.question(
            self,
            _("Replace files?"),
            _("These files are already in %(folder)s:\n\n%(names)s\n\nReplace them?")
            % {"folder": plan.folder, "names": "\n".join(existing)},
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending = None
            self._set_running(False)
            self.overall_label.setText(_("Cancelled: nothing was saved"))
            return
        if self.running():
            assert self.task is not None
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.current_label.setText(_("Cancelling …"))

    def _succeeded(self, outcome: ExportOutcome) -> None:
        self.outcome = outcome
        self._store_by_products(outcome)
        self._set_running(False)
        if outcome.failed:
            # a set is written all or nothing: one output that failed means none was saved
            self.progress.fail(_("The export failed: nothing was saved"))
            self.result_label.setText(
                _("No file was saved; the files already in the folder are as they were.")
            )
        else:
            self.progress.finish(_("Done"))
        names = ", ".join(p.name for p in outcome.written)
        if outcome.written:
            folder = outcome.written[0].parent
            self.result_label.setText(
                _("Saved in %(folder)s: %(names)s") % {"folder": folder, "names": names}
            )
            self.open_button.setVisible(True)
        if outcome.problems:
            self.errors.addItems(outcome.problems)
            for row, problem in enumerate(outcome.problems):
                if problem in outcome.failed:
                    self.errors.item(row).setForeground(QColor(FAILURE_COLOR))
        if outcome.notices:
            self.errors.addItems(outcome.notices)
        if outcome.problems or outcome.notices:
            self.errors.setVisible(True)
        self.export_finished.emit(outcome)

    def _store_by_products(self, outcome: ExportOutcome) -> None:
        """Conversions and extracted text go into the workspace, on this (its) thread
        (``app.exporting.finish_export``: a failure there is added as a warning)."""
        try:
            finish_export(self.workspace, outcome)
        except Exception as error:
            report_exception(error, self)

    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        self.progress.fail(_("The export stopped"))
        report_exception(error, self)

    def _cancelled(self) -> None:
        self._set_running(False)
        self.progress.reset()
        self.overall_label.setText(_("Cancelled: nothing was saved"))

    def _show_progress(self) -> None:
        self.slot.setCurrentWidget(self.progress)

    def _show_summary(self) -> None:
        if not self.running():
            self.slot.setCurrentWidget(self.choices.summary_area)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.browse.setEnabled(not running)
        self.folder.setEnabled(not running)
        self.choices.setEnabled(not running)
        if not running and self._stale:
            self._refresh_timer.start()  # the meeting changed while the export ran

    @guarded
    def open_folder(self) -> None:
        plan = self._running_plan
        folder = str(plan.folder if plan is not None else self.folder.text())
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(folder)):
            raise UserFacingError(
                _(
                    "The folder could not be opened: this computer has no program set up "
                    "to show folders. The files are in %(folder)s."
                )
                % {"folder": folder},
                path=folder,
            )

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.cancel()  # closing while running cancels; the worker cleans up its staging
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Escape and self.running():
            self.cancel()
            return
        super().keyPressEvent(event)


def _default_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
