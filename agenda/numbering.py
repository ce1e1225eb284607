"""Item numbers are a pure function of order: never stored, never typed by hand."""

from __future__ import annotations

from dataclasses import dataclass

from agenda.model import Agenda, AgendaItem, ItemId, Meeting, NumberingStyle, Section


@dataclass(frozen=True, slots=True)
class NumberedItem:
    number: str
    item: AgendaItem
    section: Section

    @property
    def heading(self) -> str:
        return self.item.heading(self.number)


def numbered_items(agenda: Agenda, style: NumberingStyle) -> list[NumberedItem]:
    """Every item with its number, in agenda order (``2.5``, or flat ``5``)."""
    result: list[NumberedItem] = []
    running = 0
    for s, section in enumerate(agenda.sections, start=1):
        for p, item in enumerate(section.items, start=1):
            running += 1
            number = f"{s}.{p}" if style is NumberingStyle.SECTION else str(running)
            result.append(NumberedItem(number, item, section))
    return result


def item_numbers(agenda: Agenda, style: NumberingStyle) -> dict[ItemId, str]:
    return {n.item.id: n.number for n in numbered_items(agenda, style)}


def meeting_items(meeting: Meeting) -> list[NumberedItem]:
    return numbered_items(meeting.agenda, meeting.body.numbering)
