"""What a new meeting starts with, and what editing a meeting keeps: rules of the
meeting itself, whichever form asks for them."""

from __future__ import annotations

from dataclasses import replace

from agenda.model import Agenda, AgendaItem, ItemKind, Meeting, Participant, Section

#: Items every meeting has; "standard items from the last meeting" copies these.
STANDARD_KINDS = frozenset({ItemKind.APPROVAL, ItemKind.ANNOUNCEMENTS, ItemKind.ANY_OTHER})


def standard_agenda(last: Meeting | None) -> Agenda:
    """The fixed items of ``last`` (fresh ids, no decisions) in its sections; without a
    last meeting, the usual three."""
    if last is not None:
        sections = []
        for section in last.agenda.sections:
            items = tuple(
                AgendaItem(kind=i.kind, title=i.title)
                for i in section.items
                if i.kind in STANDARD_KINDS
            )
            sections.append(Section(section.name, items))
        if any(s.items for s in sections):
            return Agenda(tuple(sections))
    return Agenda(
        (
            Section(
                "Indledning",
                (
                    AgendaItem(ItemKind.APPROVAL, "Godkendelse af dagsorden"),
                    AgendaItem(ItemKind.ANNOUNCEMENTS, "Meddelelser"),
                ),
            ),
            Section("Sager"),
            Section("Afslutning", (AgendaItem(ItemKind.ANY_OTHER, "Eventuelt"),)),
        )
    )


def keep_attendance(
    new: tuple[Participant, ...], old: tuple[Participant, ...]
) -> tuple[Participant, ...]:
    """Editing the list keeps who was present and any imported fields."""
    by_name = {p.name: p for p in old}
    return tuple(replace(by_name[p.name], role=p.role) if p.name in by_name else p for p in new)
