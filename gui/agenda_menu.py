"""The Punkt menu's slots: agenda edits on the selected item or section, each through
``gui.agenda_actions`` (one implementation for keyboard, menu and drag)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from agenda.model import ItemId, ItemKind
from gui import agenda_actions, ask_dialogs
from gui.errors import guarded
from gui.i18n import _


class AgendaMenuMixin:
    """Mixed into MainWindow (mixins first in the bases: STYLE rule 12)."""

    def _current_item(self) -> ItemId | None:
        return self.agenda_view.current_item_id()

    @guarded
    def move_current(self, step: int) -> None:
        item_id = self._current_item()
        if self.session is not None and item_id is not None:
            agenda_actions.move_by(self.session, item_id, step)
            self.agenda_view.select_item(item_id)

    @guarded
    def _drop_move(self, item_id: str, section: int, position: int) -> None:
        if self.session is not None:
            agenda_actions.move_to(self.session, ItemId(item_id), section, position)
            self.agenda_view.select_item(ItemId(item_id))

    @guarded
    def _drop_case(self, case_id: int, section: int, position: int) -> None:
        if self.session is not None:
            item_id = agenda_actions.add_case(self.session, case_id, (section, position))
            self.agenda_view.select_item(item_id)

    @guarded
    def add_case(self, case_id: int) -> None:
        if self.session is not None:
            item_id = agenda_actions.add_case(self.session, case_id, after=self._current_item())
            self.agenda_view.select_item(item_id)

    @guarded
    def new_case(self) -> None:
        if self.session is None:
            return
        from agenda.preflight_sections import kinds_named

        after = self._current_item()
        agenda = self.session.meeting.agenda
        where, kind = "", ItemKind.DECISION
        if agenda.sections:
            section = agenda.sections[agenda_actions.insertion_point(self.session, after)[0]]
            where = f"»{section.name}«"
            named = kinds_named(section.name)
            if len(named) == 1:  # the kind the section is named for
                kind = next(iter(named))
        answer = ask_dialogs.ask_new_case(self, kind, where)
        if answer is not None:
            title, kind = answer
            item_id = agenda_actions.new_case(self.session, title, kind, after=after)
            self.agenda_view.select_item(item_id)
            self.item_editor.title.setFocus()

    @guarded
    def new_section(self) -> None:
        if self.session is None:
            return
        name = ask_dialogs.ask_text(self, _("New section"), _("Name of the section:"))
        if name:
            after = self.agenda_model.section_row(self.agenda_view.currentIndex())
            agenda_actions.add_section(self.session, name, after)

    @guarded
    def rename_section(self) -> None:
        section = self.agenda_model.section_row(self.agenda_view.currentIndex())
        if self.session is None or section is None:
            return
        old = self.session.meeting.agenda.sections[section].name
        name = ask_dialogs.ask_text(self, _("Rename section"), _("Name of the section:"), old)
        if name and name != old:
            agenda_actions.rename_section(self.session, section, name)

    @guarded
    def remove_section(self) -> None:
        section = self.agenda_model.section_row(self.agenda_view.currentIndex())
        if self.session is not None and section is not None:
            agenda_actions.remove_section(self.session, section)

    @guarded
    def toggle_closed(self) -> None:
        item_id = self._current_item()
        if self.session is not None and item_id is not None:
            agenda_actions.toggle_closed(self.session, item_id)

    @guarded
    def remove_current(self) -> None:
        item_id = self._current_item()
        if self.session is None or item_id is None:
            return
        item = self.session.meeting.agenda.item(item_id)
        number = self.agenda_model.number(item_id)
        # the item after it (else before it) takes its place, as in a file list
        order = [i.id for i in self.session.meeting.agenda.items()]
        at = order.index(item_id)
        neighbour = (order[at + 1 : at + 2] or order[max(0, at - 1) : at] or [None])[0]
        agenda_actions.remove(self.session, item_id)
        if neighbour is not None:
            self.agenda_view.select_item(neighbour)
        # Delete is one key from losing an item: say what went, and how to get it back
        key = self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.statusBar().showMessage(
            _('Item %(number)s "%(title)s" was removed from the agenda. Undo with %(key)s.')
            % {"number": number, "title": _shortened(item.title), "key": key},
            15000,
        )


def _shortened(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
