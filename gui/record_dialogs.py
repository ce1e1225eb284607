"""The meeting as a record in the window (issue 14): "Udsend …" and "Udsendte versioner …".

Sending is split like an export (``app.records``): the snapshot is read on the UI thread
(which owns the workspace's connection), the documents and packs are written in a worker
with progress and cancel, and the version is frozen on the UI thread in one transaction.
"""

from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agenda.errors import UserFacingError
from agenda.formatting import long_date
from agenda.model import MeetingId
from agenda.repository import WorkspaceRepository
from app import identity
from app.records import SEND_OUTPUTS, finish_send, read_send_snapshot, write_send_files
from app.supplements import changes_since_sent
from gui.errors import show_user_error
from gui.export_progress import ExportProgress
from gui.i18n import _
from gui.worker import Task, run_in_background


def _write(task: Task, snapshot, folder: Path):  # type: ignore[no-untyped-def]
    """On the worker thread."""
    return write_send_files(snapshot, folder, task, on_stage=task.stage)


class SendDialog(QDialog):
    """Asks to whom the agenda goes, shows what will be frozen, then sends."""

    sent = Signal(object)  # app.records.SendOutcome

    def __init__(
        self,
        workspace: WorkspaceRepository,
        meeting_id: MeetingId,
        *,
        commit_pending=None,  # type: ignore[no-untyped-def]
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Send the agenda"))
        self.workspace, self.meeting_id = workspace, meeting_id
        self.commit_pending = commit_pending
        self.task: Task | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._snapshot = None
        meeting = workspace.meeting(meeting_id)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The agenda of <b>%(title)s</b>, %(date)s, is sent: the files below are "
                "written and kept unchanged in the workspace as a sent version, and the "
                "status becomes »Udsendt«. Later changes are shown as changes since "
                "sending and can be sent as a tillægsdagsorden."
            )
            % {"title": escape(meeting.title), "date": escape(long_date(meeting.start))}
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.frozen = QLabel(self._what_is_frozen())
        self.frozen.setWordWrap(True)
        self.frozen.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.frozen)
        layout.addWidget(QLabel(_("Sent to (noted with the version):")))
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("e.g. members and deputies by e-mail"))
        layout.addWidget(self.note)
        self.progress = ExportProgress()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        layout.addStretch(1)  # the wrapped texts keep their height; the room goes here
        self.buttons = QDialogButtonBox()
        self.send_button = QPushButton(_("Send"))
        self.send_button.setDefault(True)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.send_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.buttons)
        # the wrapped texts' height at the dialog's width, not at their narrower hint's
        self.setMinimumWidth(560)
        height = layout.heightForWidth(560) if layout.hasHeightForWidth() else -1
        self.resize(560, max(height, layout.minimumSize().height()))

    def _what_is_frozen(self) -> str:
        names = {
            ("agenda-docx", False): _("the agenda as Word"),
            ("agenda-pdf", False): _("the agenda as PDF"),
            ("pack", False): _("the full bilagspakke (internal)"),
            ("pack", True): _("the public bilagspakke"),
        }
        lines = [names[k] for k in SEND_OUTPUTS]
        lines.append(_("the meeting in the exchange format (meeting.json and bilag)"))
        text = _("<b>Frozen with this version:</b> %(files)s.") % {"files": ", ".join(lines)}
        since = changes_since_sent(self.workspace, self.meeting_id)
        if since is not None:
            text += "<br>" + _(
                "Sent before: %(when)s. This is a new version; changes since then: %(count)d."
            ) % {
                "when": f"{identity.shown(since.version.at):%d.%m.%Y %H:%M}",
                "count": len(since.changes),
            }
        return text

    def running(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        if self.running():
            return
        try:
            if self.commit_pending is not None:
                self.commit_pending()
            self._snapshot = read_send_snapshot(self.workspace, self.meeting_id)
        except UserFacingError as error:
            show_user_error(self, error)
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="kkr-udsend-")
        folder = Path(self._tmp.name) / "filer"
        folder.mkdir()
        self.send_button.setEnabled(False)
        self.note.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.begin(len(SEND_OUTPUTS))
        self.task = run_in_background(
            _write,
            self._snapshot,
            folder,
            on_progress=self.progress.progressed,
            on_stage=self.progress.stage,
            on_success=self._written,
            on_failure=self._failed,
            on_cancel=self._cancelled,
        )

    def _written(self, outcome) -> None:  # type: ignore[no-untyped-def]
        self.task = None
        try:
            result = finish_send(
                self.workspace,
                self._snapshot,
                outcome,
                Path(self._tmp.name) / "filer",  # type: ignore[union-attr]
                self.note.text().strip(),
                identity.current_user(),
                identity.now,
            )
        except UserFacingError as error:
            self._stop()
            show_user_error(self, error)
            return
        self._cleanup()
        self.progress.finish(_("Sent."))
        self.sent.emit(result)
        if result.problems:
            QMessageBox.warning(self, _("Sent with problems"), "\n".join(result.problems))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self._stop()
        if isinstance(error, UserFacingError):
            show_user_error(self, error)
        else:
            raise error

    def _cancelled(self) -> None:
        self.task = None
        self._stop()
        self.progress.stop(_("Cancelled: nothing was sent."))

    def _stop(self) -> None:
        self._cleanup()
        self.send_button.setEnabled(True)
        self.note.setEnabled(True)

    def _cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
        else:
            self.reject()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.task is not None:  # the files are being written: cancel first
            self.task.cancel()
            event.ignore()
            return
        super().closeEvent(event)


class VersionsDialog(QDialog):
    """The sent versions of a meeting, newest last; "Gem filerne …" writes the files of
    the chosen one into a folder, byte for byte as they were sent."""

    COLUMNS = ("When", "Kind", "By", "Sent to", "Files")

    def __init__(
        self, workspace: WorkspaceRepository, meeting_id: MeetingId, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sent versions"))
        self.workspace = workspace
        self.versions = workspace.sent_versions(meeting_id)
        layout = QVBoxLayout(self)
        meeting = workspace.meeting(meeting_id)
        layout.addWidget(
            QLabel(
                _("Versions of %(title)s, %(date)s:")
                % {"title": meeting.title, "date": long_date(meeting.start)}
            )
        )
        self.table = QTableWidget(len(self.versions), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, version in enumerate(self.versions):
            names = [f.name for f in version.files]
            cells = (
                f"{identity.shown(version.at):%d.%m.%Y %H:%M}",
                version.kind.label,
                version.user,
                version.note,
                _("%(count)d files") % {"count": len(names)},
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 4:
                    cell.setToolTip("\n".join(names))
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        if not self.versions:
            layout.addWidget(QLabel(_("The meeting has not been sent yet.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton(
            _("Save the files …"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.clicked.connect(self.save_files)
        self.save_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(
            lambda: self.save_button.setEnabled(self.table.currentRow() >= 0)
        )
        if self.versions:
            self.table.selectRow(len(self.versions) - 1)
        self.resize(760, 360)

    def save_files(self, folder: Path | None = None) -> list[Path]:
        """Write the chosen version's files into ``folder`` (asked when None)."""
        from app.records import write_sent_files

        row = self.table.currentRow()
        if row < 0:
            return []
        if not folder:
            chosen = QFileDialog.getExistingDirectory(self, _("Save the sent files in"))
            if not chosen:
                return []
            folder = Path(chosen)
        try:
            written = write_sent_files(self.workspace, self.versions[row].id, Path(folder))
        except UserFacingError as error:
            show_user_error(self, error)
            return []
        return written
