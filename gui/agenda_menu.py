"""The Punkt menu: agenda edits on the selected item or section, each through
``gui.agenda_actions`` (one implementation for keyboard, menu and drag)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QStatusBar, QWidget

from agenda.errors import SentItemMoveError
from agenda.model import ItemId
from agenda.operations import new_case_place, successor_after_removal
from agenda.records import LOCKED
from gui import ask_dialogs
from gui.agenda_actions import AgendaActions
from gui.agenda_model import AgendaModel
from gui.agenda_view import AgendaView
from gui.errors import guarded
from gui.i18n import _
from gui.item_editor import ItemEditor
from gui.menu_actions import add_action
from gui.session import MeetingSession
from gui.window_controller import WindowController


class AgendaMenu(QObject):
    """Builds the Punkt menu into ``menu`` and the agenda view's context menu; its
    slots also serve the case library (add, new) and drops on the agenda."""

    def __init__(
        self,
        menu: QMenu,
        controller: WindowController,
        *,
        window: QWidget,
        agenda_view: AgendaView,
        agenda_model: AgendaModel,
        item_editor: ItemEditor,
        status_bar: QStatusBar,
        undo_action: QAction,
    ) -> None:
        super().__init__(window)
        self.controller = controller
        self.actions = AgendaActions(controller)
        self.window = window
        self.agenda_view = agenda_view
        self.agenda_model = agenda_model
        self.item_editor = item_editor
        self.status_bar = status_bar
        #: its key is named in the message after a removal
        self.undo_action = undo_action

        def action(text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
            return add_action(window, menu, text, slot, shortcut)

        self.new_case_action = action(_("New case …"), self.new_case, "Ctrl+N")
        self.add_section_action = action(_("New section …"), self.new_section)
        self.rename_section_action = action(_("Rename section …"), self.rename_section)
        self.remove_section_action = action(_("Remove empty section"), self.remove_section)
        self.pull_action = action(_("Fetch the case's latest text …"), self.pull_case_text)
        menu.addSeparator()
        self.up_action = action(_("Move up"), lambda: self.move_current(-1), "Ctrl+Up")
        self.down_action = action(_("Move down"), lambda: self.move_current(1), "Ctrl+Down")
        self.closed_action = action(_("Closed item"), self.toggle_closed, "Ctrl+L")
        self.closed_action.setCheckable(True)
        self.remove_action = action(
            _("Remove from agenda"), self.remove_current, QKeySequence.StandardKey.Delete
        )
        for act in (self.up_action, self.down_action, self.closed_action, self.remove_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            agenda_view.addAction(act)
        agenda_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def update_actions(self) -> None:
        session = self.controller.session
        has_meeting = session is not None
        item_id = self.agenda_view.current_item_id() if has_meeting else None
        for act in (self.new_case_action, self.add_section_action):
            act.setEnabled(has_meeting)
        for act in (self.up_action, self.down_action, self.closed_action, self.remove_action):
            act.setEnabled(item_id is not None)
        section = self.agenda_model.section_row(self.agenda_view.currentIndex())
        for act in (self.rename_section_action, self.remove_section_action):
            act.setEnabled(has_meeting and section is not None)
        # a held meeting's items are a record; an item without a library case has none
        self.pull_action.setEnabled(
            item_id is not None
            and session is not None
            and session.meeting.status not in LOCKED
            and _has_case(session.meeting.agenda.item(item_id))
        )
        if item_id is not None and session is not None:
            self.closed_action.setChecked(session.meeting.agenda.item(item_id).closed)

    def _current_item(self) -> ItemId | None:
        return self.agenda_view.current_item_id()

    @property
    def session(self) -> MeetingSession | None:
        return self.controller.session

    @guarded
    def move_current(self, step: int) -> None:
        item_id = self._current_item()
        if (
            self.session is not None
            and item_id is not None
            and self._asking(lambda **c: self.actions.move_by(item_id, step, **c))
        ):
            self.agenda_view.select_item(item_id)

    @guarded
    def drop_move(self, item_id: str, section: int, position: int) -> None:
        if self.session is not None:
            move = lambda **c: self.actions.move_to(ItemId(item_id), section, position, **c)  # noqa: E731
            if self._asking(move):
                self.agenda_view.select_item(ItemId(item_id))

    def _asking(self, move) -> bool:  # type: ignore[no-untyped-def]
        """Run ``move``; if it moves an item sent with its number, ask first (the
        members know that number) and move only on Yes. True when it moved."""
        try:
            move()
        except SentItemMoveError as error:
            answer = QMessageBox.question(self.window, _("Move a sent item"), error.message)
            if answer != QMessageBox.StandardButton.Yes:
                return False
            move(confirmed=True)
        return True

    @guarded
    def drop_case(self, case_id: int, section: int, position: int) -> None:
        if self.session is not None:
            item_id = self.actions.add_case(case_id, (section, position))
            self.agenda_view.select_item(item_id)

    @guarded
    def add_case(self, case_id: int) -> None:
        if self.session is not None:
            item_id = self.actions.add_case(case_id, after=self._current_item())
            self.agenda_view.select_item(item_id)

    @guarded
    def new_case(self) -> None:
        if self.session is None:
            return
        after = self._current_item()
        section, kind = new_case_place(self.session.meeting.agenda, after)
        where = f"»{section.name}«" if section is not None else ""
        answer = ask_dialogs.ask_new_case(self.window, kind, where)
        if answer is not None:
            title, kind = answer
            item_id = self.actions.new_case(title, kind, after=after)
            self.agenda_view.select_item(item_id)
            self.item_editor.title.setFocus()

    @guarded
    def new_section(self) -> None:
        if self.session is None:
            return
        name = ask_dialogs.ask_text(self.window, _("New section"), _("Name of the section:"))
        if name:
            after = self.agenda_model.section_row(self.agenda_view.currentIndex())
            self.actions.add_section(name, after)

    @guarded
    def rename_section(self) -> None:
        section = self.agenda_model.section_row(self.agenda_view.currentIndex())
        if self.session is None or section is None:
            return
        old = self.session.meeting.agenda.sections[section].name
        name = ask_dialogs.ask_text(
            self.window, _("Rename section"), _("Name of the section:"), old
        )
        if name and name != old:
            self.actions.rename_section(section, name)

    @guarded
    def remove_section(self) -> None:
        section = self.agenda_model.section_row(self.agenda_view.currentIndex())
        if self.session is not None and section is not None:
            self.actions.remove_section(section)

    @guarded
    def pull_case_text(self) -> None:
        """Replace the item's own copy of its case by the library's current case, after
        asking (its texts and bilag list are overwritten). Undoable: the item as it was
        is put back by Fortryd."""
        item_id = self._current_item()
        session = self.session
        if session is None or item_id is None:
            return
        item = session.meeting.agenda.item(item_id)
        answer = QMessageBox.question(
            self.window,
            _("Fetch the case's latest text"),
            _(
                "Replace the texts, case officer and bilag of item %(number)s »%(title)s« "
                "with the case as it is now in the case library? The title and the "
                "decision stay. You can undo it."
            )
            % {"number": self.agenda_model.number(item_id), "title": _shortened(item.title)},
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.actions.pull_case_text(item_id)
        self.agenda_view.select_item(item_id)

    @guarded
    def toggle_closed(self) -> None:
        item_id = self._current_item()
        if self.session is not None and item_id is not None:
            self.actions.toggle_closed(item_id)

    @guarded
    def remove_current(self) -> None:
        item_id = self._current_item()
        if self.session is None or item_id is None:
            return
        item = self.session.meeting.agenda.item(item_id)
        number = self.agenda_model.number(item_id)
        # the item after it (else before it) takes its place, as in a file list
        neighbour = successor_after_removal(self.session.meeting.agenda, item_id)
        self.actions.remove(item_id)
        if neighbour is not None:
            self.agenda_view.select_item(neighbour)
        # Delete is one key from losing an item: say what went, and how to get it back
        key = self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.status_bar.showMessage(
            _('Item %(number)s "%(title)s" was removed from the agenda. Undo with %(key)s.')
            % {"number": number, "title": _shortened(item.title), "key": key},
            15000,
        )


def _has_case(item) -> bool:  # type: ignore[no-untyped-def]
    return item.case is not None and item.case.id is not None


def _shortened(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
