"""The main window: meetings and the case library on the left, the agenda in the
middle, the selected item's editor on the right; menus for everything.

The window lays out the widgets and wires them; it decides nothing itself:
- ``WindowController`` (gui/window_controller.py) owns the workspace, one
  ``MeetingSession`` per meeting opened and the undo group, and says what happened:
  ``workspace_changed``, ``meetings_changed``, ``meeting_changed``, ``item_selected``;
- the menus are classes given the controller and the widgets they use:
  ``WorkspaceMenu`` (Filer), ``MeetingMenu`` (Møde, with the export dialog) and
  ``AgendaMenu`` (Punkt, through ``AgendaActions``); where an edit goes and what is
  refused is the domain's (``agenda.operations``);
- ``WindowState`` restores and saves geometry, splitters and the selection.

Heavy parts (the PDF preview, the export dialog, the meeting dialog) are imported and
built the first time they are used, so the window opens quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
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
    NumberingStyle,
)
from agenda.repository import WorkspaceRepository
from app.supplements import changes_since_sent
from gui.agenda_menu import AgendaMenu
from gui.agenda_model import AgendaModel
from gui.agenda_view import AgendaView
from gui.case_library import CaseLibrary
from gui.changes_panel import ChangesPanel, item_lines
from gui.errors import guarded
from gui.i18n import _
from gui.item_editor import ItemEditor
from gui.meeting_header import header_text
from gui.meeting_list import MeetingListModel, MeetingListView
from gui.meeting_menu import MeetingMenu
from gui.menu_actions import add_action
from gui.resources import app_icon
from gui.session import MeetingSession
from gui.settings import UiSettings
from gui.undo import UndoActions
from gui.welcome import WelcomePanel
from gui.window_controller import WindowController
from gui.window_state import WindowState
from gui.workspace import SearchIndexer
from gui.workspace_menu import APP_NAME, WorkspaceMenu


class MainWindow(QMainWindow):
    """Lays out the widgets and composes the menus; what it works on (workspace,
    sessions, undo group) is the ``controller``'s, followed through its signals."""

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
        self.controller = WindowController(workspace, workspace_path, demo=demo, parent=self)
        self._restore_item: ItemId | None = None
        self.setWindowIcon(app_icon())
        self._build(demo_available=fill_demo is not None)
        self._build_menus(fill_demo)
        self._connect()
        self.state = WindowState(
            self,
            settings,
            self.controller,
            splitter=self.splitter,
            left=self.left,
            bilag_split=self.item_editor.bilag_split,
            agenda_view=self.agenda_view,
        )
        self.state.restore()
        self._load_workspace()

    # the controller's state, read where the window shows it (and by tests)
    @property
    def workspace(self) -> WorkspaceRepository:
        return self.controller.workspace

    @property
    def workspace_path(self) -> Path | None:
        return self.controller.workspace_path

    @property
    def demo(self) -> bool:
        return self.controller.demo

    @property
    def session(self) -> MeetingSession | None:
        return self.controller.session

    # -- layout ------------------------------------------------------------------------------
    def _build(self, *, demo_available: bool) -> None:
        self.meeting_model = MeetingListModel(self)
        self.meeting_list = MeetingListView(self.meeting_model)
        self.meeting_list.meeting_selected.connect(self.show_meeting)
        self.new_meeting_button = QPushButton(_("New meeting …"))
        meetings = QWidget()
        box = QVBoxLayout(meetings)
        box.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Meetings"))
        title.setStyleSheet("font-weight: bold")
        box.addWidget(title)
        box.addWidget(self.meeting_list, 1)
        box.addWidget(self.new_meeting_button)
        self.case_library = CaseLibrary()
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.setObjectName("left")
        self.left.addWidget(meetings)
        self.left.addWidget(self.case_library)

        self.agenda_model = AgendaModel(self)
        self.agenda_view = AgendaView(self.agenda_model)
        self.meeting_header = QLabel()
        self.meeting_header.setWordWrap(True)
        self.meeting_header.setTextFormat(Qt.TextFormat.RichText)
        middle = QWidget()
        box = QVBoxLayout(middle)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.meeting_header)
        box.addWidget(self.agenda_view, 1)
        self.changes_panel = ChangesPanel()
        box.addWidget(self.changes_panel)
        # an empty workspace shows the welcome in the agenda's place (a hidden widget
        # does not count in the layout, so the welcome never widens the window)
        self.welcome = WelcomePanel(demo_available=demo_available)
        self.welcome.setVisible(False)
        box.addWidget(self.welcome, 1)
        self.middle = middle

        self.search_indexer = SearchIndexer(self, lambda: self.controller.workspace)
        self.item_editor = ItemEditor(settings=self.settings, search_indexer=self.search_indexer)

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

    def _build_menus(self, fill_demo: Callable[[Path], None] | None) -> None:
        bar, controller, editor = self.menuBar(), self.controller, self.item_editor
        file_menu = bar.addMenu(_("&File"))
        edit = bar.addMenu(_("&Edit"))
        self.undo_actions = UndoActions(
            controller.undo_group, self, flush=editor.end_typing, pending=editor.typing_pending
        )
        editor.typing_changed.connect(self.undo_actions.update)
        self.undo_action, self.redo_action = self.undo_actions.undo, self.undo_actions.redo
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        self.meeting_menu = MeetingMenu(
            bar.addMenu(_("&Meeting")),
            controller,
            window=self,
            settings=self.settings,
            item_editor=editor,
            agenda_view=self.agenda_view,
        )
        self.agenda_menu = AgendaMenu(
            bar.addMenu(_("&Item")),
            controller,
            window=self,
            agenda_view=self.agenda_view,
            agenda_model=self.agenda_model,
            item_editor=editor,
            status_bar=self.statusBar(),
            undo_action=self.undo_action,
        )
        self.workspace_menu = WorkspaceMenu(
            file_menu,
            controller,
            window=self,
            settings=self.settings,
            item_editor=editor,
            search_indexer=self.search_indexer,
            status_bar=self.statusBar(),
            export_running=self.meeting_menu.export_running,
            fill_demo=fill_demo,
        )
        help_menu = bar.addMenu(_("&Help"))
        add_action(self, help_menu, _("About KKR Dagsorden"), self.about)

    def _connect(self) -> None:
        """Widgets to the menus' slots, and the window to the controller's signals."""
        meetings, agenda, files = self.meeting_menu, self.agenda_menu, self.workspace_menu
        self.new_meeting_button.clicked.connect(meetings.new_meeting)
        self.welcome.create_meeting.connect(meetings.new_meeting)
        self.welcome.import_meeting.connect(files.import_meeting)
        self.welcome.open_demo.connect(files.open_demo)
        self.case_library.add_case_requested.connect(agenda.add_case)
        self.case_library.new_case_requested.connect(agenda.new_case)
        queued = Qt.ConnectionType.QueuedConnection
        self.agenda_model.item_move_requested.connect(agenda.drop_move, queued)
        self.agenda_model.case_drop_requested.connect(agenda.drop_case, queued)
        self.agenda_view.item_selected.connect(self.controller.select_item)
        self.controller.item_selected.connect(self.item_editor.show_item)
        self.controller.item_selected.connect(self._update_actions)
        self.controller.workspace_changed.connect(self._load_workspace)
        self.controller.meetings_changed.connect(self.refresh_meetings)
        self.controller.meeting_changed.connect(self._meeting_changed)
        self.changes_panel.item_activated.connect(self.agenda_view.select_item)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.item_editor.commit_pending()
        self.meeting_menu.cancel_export()
        self.search_indexer.cancel()
        self.workspace_menu.cancel_import()  # a meeting being read is not imported
        self.state.save()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self.state.showing()
        super().showEvent(event)

    # -- meetings ------------------------------------------------------------------------------
    def _load_workspace(self) -> None:
        """Show the workspace: its meetings (only summaries), the next one opened."""
        self.item_editor.set_session(None)
        self.case_library.set_workspace(self.workspace)
        self._update_title()
        meeting, self._restore_item = self.state.remembered_selection()  # as the user left it
        self.refresh_meetings(select=meeting)
        self._restore_item = None
        self.search_indexer.catch_up()  # PDFs a closed window left unread for search

    def _update_title(self) -> None:
        name = self.workspace_path.name if self.workspace_path else _("in memory")
        demo = " " + _("(demo)") if self.demo else ""
        # the program's name last, once: Windows and X11 add the application's display
        # name to a title that does not already end with it
        self.setWindowTitle(f"{name}{demo} – {APP_NAME}")
        if self.workspace_path:
            self.statusBar().showMessage(_("Workspace: %(path)s") % {"path": self.workspace_path})

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
            self.controller.close_meeting()
            self.agenda_model.set_agenda(Agenda(), NumberingStyle.SECTION)
            self.item_editor.set_session(None)
            self._show_changes(None)
            self._show_header(None)
            self._update_actions()
            return
        # the same meeting shown again (refresh_meetings(select=...)): stay on the item
        same = self.session is not None and self.session.meeting.id == meeting_id
        previous = self.agenda_view.current_item_id() if same else None
        session = self.controller.open_meeting(meeting_id)
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
        current = self.agenda_view.current_item_id()
        self.agenda_model.set_agenda(meeting.agenda, meeting.body.numbering)
        if current is not None and self.agenda_view.current_item_id() != current:
            self.agenda_view.select_item(current)  # a reset forgets the selection
        self._show_changes(meeting)
        self._show_header(meeting)
        self._update_actions()
        self.meeting_list.follow(meeting, self.workspace.meetings)

    def _show_changes(self, meeting: Meeting | None) -> None:
        """The marks and the panel of changes since sending, as the meeting is now."""
        since = None
        if meeting is not None and meeting.id is not None:
            since = changes_since_sent(self.workspace, meeting.id)
        self.agenda_model.set_changes(item_lines(since))
        self.changes_panel.show_changes(since)

    def _show_header(self, meeting: Meeting | None) -> None:
        self.meeting_header.setText(header_text(meeting))

    def _update_actions(self, *_: object) -> None:
        self.meeting_menu.update_actions()
        self.agenda_menu.update_actions()

    def about(self) -> None:
        from agenda import __version__

        QMessageBox.about(
            self,
            _("About KKR Dagsorden"),
            _("KKR Dagsorden %(version)s\nAgendas, minutes and bilagspakker for a KKR secretariat.")
            % {"version": __version__},
        )
