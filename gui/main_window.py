"""The main window: meetings and the case library on the left, the agenda in the
middle, the selected item's editor on the right; menus for everything.

Heavy parts (the PDF preview, the export dialog, the meeting dialog) are imported and
built the first time they are used, so the window opens quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from agenda.model import (
    Agenda,
    ItemId,
    Meeting,
    MeetingId,
    MeetingStatus,
    NumberingStyle,
)
from agenda.repository import WorkspaceRepository
from gui.agenda_menu import AgendaMenuMixin
from gui.agenda_model import AgendaModel
from gui.agenda_view import AgendaView
from gui.case_library import CaseLibrary
from gui.errors import guarded
from gui.i18n import _
from gui.item_editor import ItemEditor
from gui.meeting_list import MeetingListModel, MeetingListView
from gui.meeting_menu import MeetingMenuMixin
from gui.resources import app_icon
from gui.session import MeetingSession
from gui.settings import UiSettings
from gui.undo import UndoActions
from gui.welcome import WelcomePanel
from gui.window_state import WindowStateMixin
from gui.workspace import SearchIndexer
from gui.workspace_menu import WorkspaceMenuMixin


class MainWindow(
    WindowStateMixin, WorkspaceMenuMixin, MeetingMenuMixin, AgendaMenuMixin, QMainWindow
):
    def __init__(
        self,
        workspace: WorkspaceRepository,
        workspace_path: Path | None,
        settings: UiSettings,
        *,
        demo: bool = False,
        fill_demo: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.demo = demo
        #: fills the demo workspace at a path with the demo meetings (main.py's; the
        #: welcome's "Åbn demo-arbejdsområdet" is hidden without it)
        self.fill_demo = fill_demo
        self.workspace = workspace
        self.workspace_path = workspace_path
        self.sessions: dict[MeetingId, MeetingSession] = {}
        self._restore_item: ItemId | None = None
        self.session: MeetingSession | None = None
        self.undo_group = QUndoGroup(self)
        self.export_dialog = None
        self.setWindowIcon(app_icon())
        self._build()
        self._build_menus()
        self._restore_state()
        self._load_workspace()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.meeting_model = MeetingListModel(self)
        self.meeting_list = MeetingListView(self.meeting_model)
        self.meeting_list.meeting_selected.connect(self.show_meeting)
        new_meeting = QPushButton(_("New meeting …"))
        new_meeting.clicked.connect(self.new_meeting)
        meetings = QWidget()
        box = QVBoxLayout(meetings)
        box.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Meetings"))
        title.setStyleSheet("font-weight: bold")
        box.addWidget(title)
        box.addWidget(self.meeting_list, 1)
        box.addWidget(new_meeting)
        self.case_library = CaseLibrary()
        self.case_library.add_case_requested.connect(self.add_case)
        self.case_library.new_case_requested.connect(self.new_case)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.setObjectName("left")
        self.left.addWidget(meetings)
        self.left.addWidget(self.case_library)

        self.agenda_model = AgendaModel(self)
        self.agenda_view = AgendaView(self.agenda_model)
        self.agenda_model.item_move_requested.connect(
            self._drop_move, Qt.ConnectionType.QueuedConnection
        )
        self.agenda_model.case_drop_requested.connect(
            self._drop_case, Qt.ConnectionType.QueuedConnection
        )
        self.meeting_header = QLabel()
        self.meeting_header.setWordWrap(True)
        self.meeting_header.setTextFormat(Qt.TextFormat.RichText)
        middle = QWidget()
        box = QVBoxLayout(middle)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.meeting_header)
        box.addWidget(self.agenda_view, 1)
        # an empty workspace shows the welcome in the agenda's place (a hidden widget
        # does not count in the layout, so the welcome never widens the window)
        self.welcome = WelcomePanel(demo_available=self.fill_demo is not None)
        self.welcome.create_meeting.connect(self.new_meeting)
        self.welcome.import_meeting.connect(self.import_meeting)
        self.welcome.open_demo.connect(self.open_demo)
        self.welcome.setVisible(False)
        box.addWidget(self.welcome, 1)
        self.middle = middle

        self.item_editor = ItemEditor()
        self.item_editor.settings = self.settings
        self.search_indexer = SearchIndexer(self, lambda: self.workspace)
        self.item_editor.search_indexer = self.search_indexer
        self.agenda_view.item_selected.connect(self.item_editor.show_item)
        self.agenda_view.item_selected.connect(self._update_actions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main")
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.item_editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([300, 520, 520])
        self.left.setSizes([300, 300])
        self.setCentralWidget(self.splitter)
        self.statusBar()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._build_file_menu(bar.addMenu(_("&File")))

        edit = bar.addMenu(_("&Edit"))
        editor = self.item_editor
        self.undo_actions = UndoActions(
            self.undo_group, self, flush=editor.end_typing, pending=editor.typing_pending
        )
        editor.typing_changed.connect(self.undo_actions.update)
        self.undo_action, self.redo_action = self.undo_actions.undo, self.undo_actions.redo
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)

        meeting = bar.addMenu(_("&Meeting"))
        self.action(meeting, _("New meeting …"), self.new_meeting, "Ctrl+Shift+N")
        self.edit_meeting_action = self.action(meeting, _("Edit meeting …"), self.edit_meeting)
        self.delete_meeting_action = self.action(
            meeting, _("Delete meeting …"), self.delete_meeting
        )
        status_menu = meeting.addMenu(_("Status"))
        self.status_actions = QActionGroup(self)
        for status in MeetingStatus:
            act = QAction(status.label, self, checkable=True)
            act.setData(status)
            act.triggered.connect(lambda _checked=False, s=status: self.set_status(s))
            self.status_actions.addAction(act)
            status_menu.addAction(act)
        meeting.addSeparator()
        self.export_action = self.action(
            meeting, _("Export documents …"), self.open_export, "Ctrl+E"
        )

        item = bar.addMenu(_("&Item"))
        self.new_case_action = self.action(item, _("New case …"), self.new_case, "Ctrl+N")
        self.add_section_action = self.action(item, _("New section …"), self.new_section)
        self.rename_section_action = self.action(item, _("Rename section …"), self.rename_section)
        self.remove_section_action = self.action(
            item, _("Remove empty section"), self.remove_section
        )
        item.addSeparator()
        self.up_action = self.action(item, _("Move up"), lambda: self.move_current(-1), "Ctrl+Up")
        self.down_action = self.action(
            item, _("Move down"), lambda: self.move_current(1), "Ctrl+Down"
        )
        self.closed_action = self.action(item, _("Closed item"), self.toggle_closed, "Ctrl+L")
        self.closed_action.setCheckable(True)
        self.remove_action = self.action(
            item, _("Remove from agenda"), self.remove_current, QKeySequence.StandardKey.Delete
        )
        for act in (self.up_action, self.down_action, self.closed_action, self.remove_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.agenda_view.addAction(act)
        self.agenda_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        help_menu = bar.addMenu(_("&Help"))
        self.action(help_menu, _("About KKR Dagsorden"), self.about)

    def action(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _checked=False: slot())
        menu.addAction(act)
        return act

    def closeEvent(self, event: QCloseEvent) -> None:
        self.item_editor.commit_pending()
        if self.export_dialog is not None and self.export_dialog.running():
            self.export_dialog.cancel()
        self.search_indexer.cancel()
        if getattr(self, "_meeting_importer", None) is not None:
            self._meeting_importer.cancel()  # a meeting being read is not imported
        self.save_state()
        super().closeEvent(event)

    # -- meetings ------------------------------------------------------------------------------
    def _load_workspace(self) -> None:
        """Show the workspace: its meetings (only summaries), the next one opened."""
        if self.export_dialog is not None:
            self.export_dialog.close()  # it reads from the workspace being left
        for session in self.sessions.values():
            self.undo_group.removeStack(session.undo_stack)
        self.sessions.clear()
        self.session = None
        self.item_editor.set_session(None)
        self.case_library.set_workspace(self.workspace)
        self._update_title()
        meeting, self._restore_item = self._remembered_selection()  # as the user left it
        self.refresh_meetings(select=meeting)
        self._restore_item = None
        self.search_indexer.catch_up()  # PDFs a closed window left unread for search

    def refresh_meetings(self, select: MeetingId | None) -> None:
        summaries = self.workspace.meetings()
        self.meeting_model.set_meetings(summaries)
        self._show_welcome(not summaries)
        row = self.meeting_model.row_of(select) if select is not None else -1
        if row < 0:
            row = self.meeting_model.next_row()
        if row >= 0:
            self.meeting_list.select_row(row)
        else:
            self.show_meeting(None)

    def _show_welcome(self, empty: bool) -> None:
        self.welcome.setVisible(empty)
        for widget in (self.meeting_header, self.agenda_view, self.item_editor):
            widget.setVisible(not empty)  # the welcome gets the room

    def showing_welcome(self) -> bool:
        return not self.welcome.isHidden()

    @guarded
    def show_meeting(self, meeting_id: MeetingId | None) -> None:
        self.item_editor.commit_pending()
        if meeting_id is None:
            self.session = None
            self.agenda_model.set_agenda(Agenda(), NumberingStyle.SECTION)
            self.item_editor.set_session(None)
            self._show_header(None)
            self._update_actions()
            return
        # the same meeting shown again (refresh_meetings(select=...)): stay on the item
        same = self.session is not None and self.session.meeting.id == meeting_id
        previous = self.agenda_view.current_item_id() if same else None
        session = self.sessions.get(meeting_id)
        if session is None:
            session = MeetingSession(self.workspace, self.workspace.meeting(meeting_id), self)
            session.meeting_changed.connect(self._meeting_changed)
            self.sessions[meeting_id] = session
            self.undo_group.addStack(session.undo_stack)
        else:
            session.reload()
        self.session = session
        self.undo_group.setActiveStack(session.undo_stack)
        self.item_editor.set_session(session)
        self._meeting_changed(session.meeting)
        items = [i.id for i in session.meeting.agenda.items()]
        if previous not in items:  # the item selected when the window was last closed
            previous = self._restore_item
        target = previous if previous in items else next(iter(items), None)
        if target is not None:
            self.agenda_view.select_item(target)
        # set_session cleared the editor, and select_item emits nothing when the item was
        # selected already: show what is selected, so the editor is never blank beside it
        selected = self.agenda_view.current_item_id()
        if self.item_editor.item_id != selected:  # else the selection signal showed it
            self.item_editor.show_item(selected)
        self._update_actions()

    def _meeting_changed(self, meeting: Meeting) -> None:
        if self.session is None or meeting.id != self.session.meeting.id:
            return
        current = self.agenda_view.current_item_id()
        self.agenda_model.set_agenda(meeting.agenda, meeting.body.numbering)
        if current is not None and self.agenda_view.current_item_id() != current:
            self.agenda_view.select_item(current)  # a reset forgets the selection
        self._show_header(meeting)
        self._update_actions()
        row = self.meeting_model.row_of(meeting.id)
        if row >= 0:
            summary = self.meeting_model.summary(row)
            if (summary.title, summary.status, summary.start) != (
                meeting.title,
                meeting.status,
                meeting.start,
            ) or summary.item_count != len(meeting.agenda.items()):
                current = meeting.id
                self.meeting_list.blockSignals(True)
                self.meeting_model.set_meetings(self.workspace.meetings())
                self.meeting_list.select_row(self.meeting_model.row_of(current))
                self.meeting_list.blockSignals(False)

    def _show_header(self, meeting: Meeting | None) -> None:
        if meeting is None:
            self.meeting_header.setText(
                "<i>" + _("No meeting chosen. Create one with Meeting → New meeting.") + "</i>"
            )
            return
        from agenda.formatting import long_date, time_span

        when = f"{long_date(meeting.start)} {time_span(meeting.start, meeting.end)}"
        place = f" · {meeting.location}" if meeting.location else ""
        self.meeting_header.setText(
            f"<span style='font-size:13pt; font-weight:bold'>{_html(meeting.title)}</span>"
            f"<br>{_html(when + place)} · <b>{meeting.status.label}</b>"
        )

    def _update_actions(self, *_: object) -> None:
        has_meeting = self.session is not None
        item_id = self.agenda_view.current_item_id() if has_meeting else None
        for act in (
            self.edit_meeting_action,
            self.export_action,
            self.new_case_action,
            self.add_section_action,
        ):
            act.setEnabled(has_meeting)
        for act in (self.up_action, self.down_action, self.closed_action, self.remove_action):
            act.setEnabled(item_id is not None)
        section = self.agenda_model.section_row(self.agenda_view.currentIndex())
        for act in (self.rename_section_action, self.remove_section_action):
            act.setEnabled(has_meeting and section is not None)
        if item_id is not None and self.session is not None:
            self.closed_action.setChecked(self.session.meeting.agenda.item(item_id).closed)
        if self.session is not None:
            for act in self.status_actions.actions():
                act.setChecked(act.data() is self.session.meeting.status)
        for act in self.status_actions.actions():
            act.setEnabled(has_meeting)

    # -- export ----------------------------------------------------------------------------------
    @guarded
    def open_export(self) -> None:
        if self.session is None:
            return
        if self.export_dialog is not None and self.export_dialog.running():
            self.export_dialog.raise_()
            return
        from gui.export_dialog import ExportDialog
        from gui.export_job import MeetingReader

        if self.export_dialog is not None:
            self.export_dialog.close()  # one export dialog, of the meeting shown now
        session = self.session
        # the dialog reads the meeting again when Eksportér is clicked (and after each
        # change), so what it exports is what the window shows then, not at opening
        dialog = ExportDialog(
            session.workspace,
            MeetingReader(session.workspace, session.meeting.id, self.item_editor.commit_pending),
            changed=session.meeting_changed,
            folder=self.settings.last_folder("export"),
            settings=self.settings,
            parent=self,
        )
        dialog.folder.textChanged.connect(lambda f: self.settings.set_last_folder("export", f))
        dialog.export_finished.connect(self._export_finished)
        dialog.finding_activated.connect(self._show_finding)
        self.export_dialog = dialog
        dialog.show()

    def _show_finding(self, item_id: str) -> None:
        self.agenda_view.select_item(ItemId(item_id))
        self.raise_()

    def _export_finished(self, _outcome: object) -> None:
        if self.session is not None:  # conversions for the preview may have arrived
            self.item_editor.show_attachment(self.item_editor.attachments.current())

    def about(self) -> None:
        from agenda import __version__

        QMessageBox.about(
            self,
            _("About KKR Dagsorden"),
            _("KKR Dagsorden %(version)s\nAgendas, minutes and bilagspakker for a KKR secretariat.")
            % {"version": __version__},
        )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
