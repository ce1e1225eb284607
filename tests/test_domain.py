"""Numbering and editing operations: general rules checked with hypothesis, plus the
in-memory fake's transaction."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.model import (
    Agenda,
    AgendaItem,
    ItemKind,
    NumberingStyle,
    Section,
)
from agenda.numbering import item_numbers, numbered_items
from agenda.operations import (
    AddItem,
    AddSection,
    MoveItem,
    RemoveItem,
    RemoveSection,
    RenameSection,
    ReorderAttachments,
    ReplaceItem,
    SetClosed,
    UpdateMeeting,
)
from tests import factories
from tests.hypothesis_budget import examples

KINDS = list(ItemKind)


@st.composite
def agendas(draw: st.DrawFn, min_sections: int = 1) -> Agenda:
    """1-5 sections of 0-6 items each; titles name their original place."""
    sizes = draw(st.lists(st.integers(0, 6), min_size=min_sections, max_size=5))
    sections = []
    for s, size in enumerate(sizes):
        items = tuple(
            AgendaItem(draw(st.sampled_from(KINDS)), f"Punkt {s}-{p}") for p in range(size)
        )
        sections.append(Section(f"Afsnit {s}", items))
    return Agenda(tuple(sections))


#: (which item, to which section, to which position) as fractions of what exists
moves = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(-2, 12)), max_size=25
)


def _apply_moves(agenda: Agenda, picks: list[tuple[int, int, int]]) -> tuple[Agenda, list]:
    inverses = []
    for which, section, position in picks:
        items = agenda.items()
        if not items:
            break
        op = MoveItem(items[which % len(items)].id, section % len(agenda.sections), position)
        agenda, inverse = op.apply(agenda)
        inverses.append(inverse)
    return agenda, inverses


@settings(max_examples=examples(150), deadline=None)
@given(agendas(), moves)
def test_section_numbers_after_any_moves_are_one_to_n_per_section(agenda, picks):
    moved, _ = _apply_moves(agenda, picks)
    numbered = numbered_items(moved, NumberingStyle.SECTION)
    expected = [
        f"{s}.{p}"
        for s, section in enumerate(moved.sections, start=1)
        for p in range(1, len(section.items) + 1)
    ]
    assert [n.number for n in numbered] == expected
    assert [n.item.id for n in numbered] == [i.id for i in moved.items()]
    # nothing lost, nothing duplicated
    assert sorted(i.id for i in moved.items()) == sorted(i.id for i in agenda.items())


@settings(max_examples=examples(150), deadline=None)
@given(agendas(), moves)
def test_flat_numbers_after_any_moves_run_one_to_n_in_agenda_order(agenda, picks):
    moved, _ = _apply_moves(agenda, picks)
    numbers = item_numbers(moved, NumberingStyle.FLAT)
    in_order = [numbers[i.id] for i in moved.items()]
    assert in_order == [str(n) for n in range(1, len(moved.items()) + 1)]


@settings(max_examples=examples(150), deadline=None)
@given(agendas(), moves)
def test_undoing_moves_in_reverse_restores_the_agenda(agenda, picks):
    moved, inverses = _apply_moves(agenda, picks)
    for inverse in reversed(inverses):
        moved, _ = inverse.apply(moved)
    assert moved == agenda


@st.composite
def agenda_and_operation(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    agenda = draw(agendas())
    items = agenda.items()
    choices = ["add", "add_section", "rename_section"]
    if items:
        choices += ["remove", "move", "closed", "replace"]
    if len(agenda.sections) > 1:
        choices.append("remove_section")
    choice = draw(st.sampled_from(choices))
    pick = draw(st.integers(0, 10_000))
    section = pick % len(agenda.sections)
    position = draw(st.integers(-1, 8))
    if choice == "add":
        op = AddItem(AgendaItem(ItemKind.DECISION, "Ny sag"), section, position)
    elif choice == "add_section":
        op = AddSection(Section("Nyt afsnit"), position)
    elif choice == "rename_section":
        op = RenameSection(agenda.sections[section].id, "Omdøbt afsnit")
    elif choice == "remove_section":
        op = RemoveSection(agenda.sections[section].id)
    else:
        target = items[pick % len(items)]
        if choice == "remove":
            op = RemoveItem(target.id)
        elif choice == "move":
            op = MoveItem(target.id, section, position)
        elif choice == "closed":
            op = SetClosed(target.id, draw(st.booleans()))
        else:
            op = ReplaceItem(replace(target, title="Ny titel", decision="Godkendt."))
    return agenda, op


@settings(max_examples=examples(300), deadline=None)
@given(agenda_and_operation())
def test_every_operation_is_undone_by_its_inverse(case):
    agenda, op = case
    changed, inverse = op.apply(agenda)
    restored, redo = inverse.apply(changed)
    assert restored == agenda
    # and the inverse of the inverse redoes the edit
    assert redo.apply(restored)[0] == changed


def test_remove_then_undo_puts_the_item_back_in_its_place_and_number():
    meeting = factories.meeting()
    agenda = meeting.agenda
    target = agenda.sections[1].items[0]
    removed, undo = RemoveItem(target.id).apply(agenda)
    assert item_numbers(removed, NumberingStyle.SECTION)[agenda.sections[1].items[1].id] == "2.1"
    restored, _ = undo.apply(removed)
    assert item_numbers(restored, NumberingStyle.SECTION)[target.id] == "2.1"
    assert restored == agenda


def test_adding_an_item_twice_is_refused():
    agenda = factories.meeting().agenda
    existing = agenda.items()[0]
    with pytest.raises(ValueError):
        AddItem(existing, 0, 0).apply(agenda)


def _item_with_attachments(n: int) -> AgendaItem:
    attachments = tuple(
        factories.attachment(f"Bilag {i}", f"data {i}".encode(), f"bilag-{i}.pdf") for i in range(n)
    )
    case = factories.case("Rammeaftale", "24/04521", attachments=attachments)
    return factories.item("Rammeaftale", case_=case)


@settings(max_examples=examples(100), deadline=None)
@given(st.integers(1, 7).flatmap(lambda n: st.permutations(range(n))))
def test_reorder_attachments_follows_the_order_and_its_inverse_restores(permutation):
    item = _item_with_attachments(len(permutation))
    agenda = Agenda((Section("Sager", (item,)),))
    ids = [a.id for a in item.attachments]
    order = tuple(ids[i] for i in permutation)
    changed, inverse = ReorderAttachments(item.id, order).apply(agenda)
    assert tuple(a.id for a in changed.item(item.id).attachments) == order
    assert [a.title for a in changed.item(item.id).attachments] == [
        f"Bilag {i}" for i in permutation
    ]
    restored, _ = inverse.apply(changed)
    assert restored == agenda


def test_reorder_attachments_refuses_an_order_that_is_not_a_permutation():
    item = _item_with_attachments(3)
    agenda = Agenda((Section("Sager", (item,)),))
    ids = tuple(a.id for a in item.attachments)
    with pytest.raises(ValueError):
        ReorderAttachments(item.id, ids[:2]).apply(agenda)
    with pytest.raises(ValueError):
        ReorderAttachments(item.id, (ids[0], ids[0], ids[1])).apply(agenda)


def test_headings_name_number_kind_and_title():
    numbered = numbered_items(factories.meeting().agenda, NumberingStyle.SECTION)
    assert [n.heading for n in numbered] == [
        "1.1 Godkendelse af dagsorden",
        "1.2 Meddelelser",
        "2.1 Beslutningssag: Evaluering af regionale klyngekontorer",
        "2.2 Orienteringssag: Status på sundhedsaftalen",
        "3.1 Eventuelt",
    ]


def test_update_meeting_is_undone_by_its_inverse():
    meeting = factories.meeting()
    changed, inverse = UpdateMeeting.of(
        title="Ekstraordinært møde", location="Sorø"
    ).apply_to_meeting(meeting)
    assert (changed.title, changed.location) == ("Ekstraordinært møde", "Sorø")
    assert changed.agenda == meeting.agenda
    restored, _ = inverse.apply_to_meeting(changed)
    assert restored == meeting
    with pytest.raises(ValueError):
        UpdateMeeting.of(agenda=Agenda())


def test_safe_file_names_for_windows():
    from agenda.formatting import safe_file_name

    assert safe_file_name("CON.pdf") == "_CON.pdf"
    assert safe_file_name("nul.docx") == "_nul.docx"
    assert safe_file_name("Console.pdf") == "Console.pdf"
    assert safe_file_name('Bilag: "Økonomi"?.pdf') == "Bilag Økonomi.pdf"
    long = safe_file_name("æ" * 300 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 200
