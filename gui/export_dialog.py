"""The export dialog: choose documents and a folder, run them in the worker with
progress per attachment and overall, Cancel, per-file errors, and "Åbn mappe".

It is not modal: the main window stays usable while it runs. The snapshot it exports
was read when the export started, so edits made meanwhile go into the next export.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agenda.errors import UserFacingError
from agenda.repository import WorkspaceRepository
from agenda.snapshot import MeetingSnapshot, store_export_results
from gui import preflight_panel
from gui.errors import guarded, report_exception
from gui.export_choices import ExportChoices
from gui.export_job import OUTPUTS, ExportOutcome, ExportRequest, OutputKind, run_export
from gui.i18n import _
from gui.worker import Task, run_in_background


def default_outputs() -> list[OutputKind]:
    return [
        OutputKind("agenda-docx", _("Agenda as Word"), OUTPUTS["agenda-docx"]),
        OutputKind("agenda-pdf", _("Agenda as PDF"), OUTPUTS["agenda-pdf"]),
        OutputKind("minutes-docx", _("Minutes as Word"), OUTPUTS["minutes-docx"]),
        OutputKind("minutes-pdf", _("Minutes as PDF"), OUTPUTS["minutes-pdf"]),
        OutputKind(
            "pack-complete", _("Bilagspakke, full edition (internal)"), OUTPUTS["pack"], False
        ),
        OutputKind("pack-public", _("Bilagspakke, public edition"), OUTPUTS["pack"], True),
    ]


class ExportDialog(QDialog):
    export_finished = Signal(object)  # ExportOutcome
    finding_activated = Signal(str)  # an item the user wants to see from a finding

    def __init__(
        self,
        workspace: WorkspaceRepository,
        snapshot: MeetingSnapshot,
        *,
        folder: str = "",
        outputs: list[OutputKind] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export"))
        self.setMinimumWidth(660)
        self.workspace = workspace
        self.snapshot = snapshot
        self.task: Task | None = None
        self._stage_index, self._stage_count = 0, 1
        self._pending_start = False  # Export pressed while the check still runs
        self.outcome: ExportOutcome | None = None
        self.outputs = outputs or default_outputs()
        layout = QVBoxLayout(self)
        meeting = snapshot.meeting
        heading = QLabel(f"<b>{meeting.title}</b> · {meeting.start:%d.%m.%Y}")
        layout.addWidget(heading)

        check_box = QGroupBox(_("Check before sending"))
        box = QVBoxLayout(check_box)
        self.preflight = preflight_panel.PreflightPanel()
        self.preflight.finding_activated.connect(self.finding_activated)
        self.preflight.checked.connect(self._check_done)
        box.addWidget(self.preflight)
        layout.addWidget(check_box, 1)
        self.preflight.start(snapshot)

        self.choices = ExportChoices(snapshot, self.outputs)
        # the choices, by the names the tests and the screenshot script use
        self.checks = self.choices.checks
        self.complete_documents = self.choices.complete_documents
        self.public_documents = self.choices.public_documents
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

        self.overall_label = QLabel(" ")
        self.overall = QProgressBar()
        self.overall.setTextVisible(True)
        self.overall.setFormat(_("All files: %p%"))
        self.current_label = QLabel(" ")
        self.current_label.setWordWrap(False)
        self.current = QProgressBar()
        self.current.setFormat(_("This file: %p%"))
        self._progress_widgets = (
            self.overall_label,
            self.overall,
            self.current_label,
            self.current,
        )
        for widget in self._progress_widgets:
            layout.addWidget(widget)
            widget.setVisible(False)  # until an export starts: 0 % says nothing
        self.errors = QListWidget()
        self.errors.setVisible(False)
        self.errors.setWordWrap(True)
        layout.addWidget(self.errors, 1)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
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
        self.open_button.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.close)
        layout.addLayout(buttons)
        self._set_idle()
        # room for the findings and the choices without squeezing them (fits 1366x768)
        hint = self.sizeHint()
        self.resize(max(hint.width(), 700), max(hint.height(), 660))

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
        return self._pending_start or (self.task is not None and not self.task.finished)

    # -- running ---------------------------------------------------------------------------
    @guarded
    def start(self) -> None:
        requests = self.requests()
        if not requests:
            raise UserFacingError(_("Choose at least one thing to export."))
        folder = Path(self.folder.text().strip()).expanduser()
        if not str(folder).strip() or not folder.is_absolute():
            raise UserFacingError(_("Choose the folder to save the export in."))
        if self._waits_for_check(requests):
            self._pending_start = True
            self._set_running(True)
            self.overall_label.setVisible(True)
            self.overall_label.setText(_("The export starts when the check is done …"))
            return
        self._check_before_public(requests)
        self.errors.clear()
        self.errors.setVisible(False)
        self.result_label.clear()
        self.open_button.setVisible(False)
        self.overall.setRange(0, len(requests))
        self.overall.setValue(0)
        self.current.setRange(0, 0)
        self._show_progress()
        self._set_running(True)
        self.task = run_in_background(
            run_export,
            self.snapshot,
            folder,
            requests,
            on_progress=self._progressed,
            on_stage=self._stage,
            on_success=self._succeeded,
            on_failure=self._failed,
            on_cancel=self._cancelled,
        )

    def _waits_for_check(self, requests: list[ExportRequest]) -> bool:
        public = any(r.edition_public for r in requests)
        return public and self.preflight is not None and self.preflight.running()

    def _check_done(self, _findings: list) -> None:
        if self._pending_start:
            self._pending_start = False
            self._set_running(False)
            self.start()

    def _check_before_public(self, requests: list[ExportRequest]) -> None:
        """A public edition with a fejl from the check needs the user's explicit override."""
        public = any(r.edition_public for r in requests)
        if not public:
            return
        if self.preflight.has_errors():
            if not self.preflight.override.isChecked():
                raise UserFacingError(
                    _(
                        "The check before sending found errors, and the public edition is "
                        "chosen. Fix the errors, or tick »Make the public edition anyway«."
                    )
                )
            self.preflight.record_override(self.workspace)

    def cancel(self) -> None:
        if self._pending_start:
            self._pending_start = False
            self._set_running(False)
            self.overall_label.setText(_("Cancelled: nothing was saved"))
            return
        if self.running():
            assert self.task is not None
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.current_label.setText(_("Cancelling …"))

    def _stage(self, index: int, count: int, label: str) -> None:
        self._stage_index, self._stage_count = index, max(count, 1)
        self.overall.setRange(0, self._stage_count * 100)
        self.overall.setValue(index * 100)
        if index < count:
            self.overall_label.setText(
                _("File %(n)d of %(count)d: %(name)s")
                % {"n": index + 1, "count": count, "name": label}
            )
        self.current.setRange(0, 0)

    def _progressed(self, done: int, total: int, label: str) -> None:
        self.current.setRange(0, max(total, 1))
        self.current.setValue(done)
        self.current_label.setText(_elide(label, 90))
        # overall: the files done so far plus this file's share
        self.overall.setValue(self._stage_index * 100 + (100 * done) // max(total, 1))

    def _succeeded(self, outcome: ExportOutcome) -> None:
        self.outcome = outcome
        self._store_by_products(outcome)
        self._set_running(False)
        self.overall.setValue(self.overall.maximum())
        self.current.setRange(0, 1)
        self.current.setValue(1)
        self.overall_label.setText(_("Done"))
        self.current_label.setText(" ")
        names = ", ".join(p.name for p in outcome.written)
        if outcome.written:
            self.result_label.setText(
                _("Saved in %(folder)s: %(names)s") % {"folder": self.folder.text(), "names": names}
            )
            self.open_button.setVisible(True)
        if outcome.problems:
            self.errors.addItems(outcome.problems)
            self.errors.setVisible(True)
        self.export_finished.emit(outcome)

    def _store_by_products(self, outcome: ExportOutcome) -> None:
        """Conversions and extracted text go into the workspace, on this (its) thread."""
        if not outcome.new_conversions and not outcome.extracted_text:
            return
        try:
            store_export_results(self.workspace, outcome.new_conversions, outcome.extracted_text)
        except Exception as error:
            report_exception(error, self)

    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        self.overall_label.setText(_("The export stopped"))
        self.current_label.setText(" ")
        report_exception(error, self)

    def _cancelled(self) -> None:
        self._set_running(False)
        self.overall.setValue(0)
        self.current.setRange(0, 1)
        self.current.setValue(0)
        self.overall_label.setText(_("Cancelled: nothing was saved"))
        self.current_label.setText(" ")

    def _show_progress(self) -> None:
        for widget in self._progress_widgets:
            widget.setVisible(True)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.browse.setEnabled(not running)
        self.folder.setEnabled(not running)
        self.choices.setEnabled(not running)

    def _set_idle(self) -> None:
        self.overall.setRange(0, 1)
        self.overall.setValue(0)
        self.current.setRange(0, 1)
        self.current.setValue(0)

    @guarded
    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))

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


def _elide(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
