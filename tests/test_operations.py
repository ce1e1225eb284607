"""The rules that choose an edit (``agenda.operations``), without Qt: a step up or
down across sections, where a new item goes, a case refused when it is on the agenda
already, which item takes a removed one's place, which section may go, what an edit of
an item's fields does to its case; and what a new meeting starts with."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agenda.meeting_defaults import STANDARD_KINDS, keep_attendance, standard_agenda
from agenda.model import (
    Agenda,
    AgendaItem,
    Case,
    CaseId,
    ItemKind,
    NumberingStyle,
    Participant,
    Section,
)
from agenda.numbering import item_numbers
from agenda.operations import (
    AddSection,
    CaseAlreadyOnAgendaError,
    SectionNotEmptyError,
    case_of,
    insertion_point,
    meeting_update,
    new_case_place,
    new_section_position,
    place_case,
    remove_empty_section,
    step_move,
    successor_after_removal,
    toggle_closed,
    with_fields,
)
from tests import factories
from tests.hypothesis_budget import examples

KINDS = list(ItemKind)


@st.composite
def agendas(draw: st.DrawFn, min_sections: int = 1) -> Agenda:
    """1-5 sections of 0-6 items; every third item has a saved case (ids 1, 2, ...)."""
    sizes = draw(st.lists(st.integers(0, 6), min_size=min_sections, max_size=5))
    sections, serial = [], 0
    for s, size in enumerate(sizes):
        items = []
        for p in range(size):
            serial += 1
            kind = draw(st.sampled_from(KINDS))
            case = Case(f"Sag {serial}", f"24/{serial:05d}", kind, id=CaseId(serial))
            items.append(AgendaItem(kind, f"Punkt {s}-{p}", case=case if serial % 3 == 0 else None))
        sections.append(Section(f"Afsnit {s}", tuple(items)))
    return Agenda(tuple(sections))


#: (which item, up or down) as picks among what exists
steps = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from([-1, 1])), max_size=40)


def _flat(agenda: Agenda) -> list:
    return [i.id for i in agenda.items()]


@settings(max_examples=examples(200), deadline=None)
@given(agendas(), steps)
def test_any_sequence_of_steps_keeps_every_item_once_and_numbers_follow_order(agenda, picks):
    moved = agenda
    for which, step in picks:
        items = moved.items()
        if not items:
            break
        move = step_move(moved, items[which % len(items)].id, step)
        if move is not None:
            moved, _ = move.apply(moved)
    assert sorted(_flat(moved)) == sorted(_flat(agenda))
    assert len(set(_flat(moved))) == len(_flat(moved))
    # numbering is a pure function of order: recomputed from positions alone
    expected = {
        item.id: f"{s}.{p}"
        for s, section in enumerate(moved.sections, start=1)
        for p, item in enumerate(section.items, start=1)
    }
    assert item_numbers(moved, NumberingStyle.SECTION) == expected
    flat = item_numbers(moved, NumberingStyle.FLAT)
    assert [flat[i] for i in _flat(moved)] == [str(n) for n in range(1, len(flat) + 1)]


@settings(max_examples=examples(200), deadline=None)
@given(agendas(), st.integers(0, 10_000), st.sampled_from([-1, 1]))
def test_a_step_goes_one_place_or_over_a_section_edge_and_back(agenda, which, step):
    items = agenda.items()
    assume(items)
    item_id = items[which % len(items)].id
    s, p = agenda.find(item_id)
    move = step_move(agenda, item_id, step)
    last_section = len(agenda.sections) - 1
    at_end = (
        (s, p) == (0, 0) if step < 0 else (s == last_section and p == len(items_in(agenda, s)) - 1)
    )
    assert (move is None) == at_end  # refused only at the very top or bottom
    if move is None:
        return
    moved, _ = move.apply(agenda)
    s2, _p2 = moved.find(item_id)
    before, after = _flat(agenda).index(item_id), _flat(moved).index(item_id)
    # within its section it passes one neighbour; at the edge it changes section only
    assert (after == before + step and s2 == s) or (after == before and s2 == s + step)
    back = step_move(moved, item_id, -step)
    assert back is not None and back.apply(moved)[0] == agenda


def items_in(agenda: Agenda, section: int) -> tuple[AgendaItem, ...]:
    return agenda.sections[section].items


def test_a_step_down_from_the_end_of_a_section_goes_first_into_the_next():
    one, two, three = (AgendaItem(ItemKind.DECISION, t) for t in ("Et", "To", "Tre"))
    agenda = Agenda((Section("A", (one, two)), Section("B", (three,))))
    moved, _ = step_move(agenda, two.id, 1).apply(agenda)
    assert [i.title for i in moved.sections[1].items] == ["To", "Tre"]
    assert item_numbers(moved, NumberingStyle.SECTION)[two.id] == "2.1"
    assert step_move(moved, three.id, 1) is None and step_move(moved, one.id, -1) is None


@settings(max_examples=examples(200), deadline=None)
@given(agendas(), st.integers(0, 10_000))
def test_a_new_item_goes_right_after_the_selected_one(agenda, which):
    items = agenda.items()
    assume(items)
    after = items[which % len(items)].id
    new = Case("Ny sag", id=CaseId(999_999))
    item, operations = place_case(agenda, new, NumberingStyle.SECTION, after=after)
    placed = agenda
    for op in operations:
        placed, _ = op.apply(placed)
    assert _flat(placed).index(item.id) == _flat(placed).index(after) + 1


@settings(max_examples=examples(200), deadline=None)
@given(agendas())
def test_without_a_selection_a_new_item_goes_into_a_section_that_exists(agenda):
    s, p = insertion_point(agenda, None)
    assert 0 <= s < len(agenda.sections) and p == len(agenda.sections[s].items)
    with_cases = [
        i for i, sec in enumerate(agenda.sections) if any(x.kind.in_heading for x in sec.items)
    ]
    if with_cases:  # the end of the last section holding cases
        assert s == with_cases[-1]


def test_without_cases_a_new_item_goes_to_the_end_of_the_middle_section():
    meeting = factories.meeting()  # Indledning, Sager (with cases), Afslutning
    agenda = meeting.agenda
    assert insertion_point(agenda, None) == (1, len(agenda.sections[1].items))
    bare = Agenda((Section("Indledning"), Section("Midt"), Section("Slut")))
    assert insertion_point(bare, None) == (1, 0)
    assert insertion_point(Agenda((Section("A"), Section("B"))), None) == (0, 0)


@settings(max_examples=examples(200), deadline=None)
@given(agendas(), st.integers(0, 10_000))
def test_a_case_stands_on_an_agenda_once(agenda, which):
    on_agenda = [i for i in agenda.items() if i.case is not None]
    assume(on_agenda)
    existing = on_agenda[which % len(on_agenda)]
    number = item_numbers(agenda, NumberingStyle.SECTION)[existing.id]
    with pytest.raises(CaseAlreadyOnAgendaError) as refused:
        place_case(agenda, existing.case, NumberingStyle.SECTION)
    assert refused.value.number == number
    assert refused.value.message == (
        f"Sagen {existing.case.reference} er allerede på dagsordenen som punkt {number}."
    )
    # any other case is placed, once
    other = Case("Anden sag", "24/99999", id=CaseId(777_777))
    _item, operations = place_case(agenda, other, NumberingStyle.SECTION)
    placed = agenda
    for op in operations:
        placed, _ = op.apply(placed)
    assert [i.case.id for i in placed.items() if i.case is not None].count(other.id) == 1
    with pytest.raises(CaseAlreadyOnAgendaError):
        place_case(placed, other, NumberingStyle.SECTION)


def test_an_unsaved_case_is_never_refused_and_a_case_is_named_by_its_title_without_a_reference():
    agenda = Agenda((Section("Sager", (AgendaItem(ItemKind.DECISION, "X", case=Case("X")),)),))
    place_case(agenda, Case("X"), NumberingStyle.FLAT)  # no id: not the same case
    saved = Case("Uden journalnummer", id=CaseId(5))
    agenda = Agenda((Section("Sager", (AgendaItem(ItemKind.DECISION, "U", case=saved),)),))
    with pytest.raises(CaseAlreadyOnAgendaError, match="Sagen Uden journalnummer er allerede"):
        place_case(agenda, saved, NumberingStyle.FLAT)


def test_an_agenda_without_sections_first_gets_one():
    item, operations = place_case(Agenda(), Case("Første", id=CaseId(1)), NumberingStyle.SECTION)
    assert isinstance(operations[0], AddSection) and operations[0].section.name == "Sager"
    placed = Agenda()
    for op in operations:
        placed, _ = op.apply(placed)
    assert [s.name for s in placed.sections] == ["Sager"]
    assert placed.sections[0].items == (item,)
    assert (item.kind, item.title) == (ItemKind.DECISION, "Første")


def test_a_drop_puts_the_case_where_it_was_dropped():
    agenda = factories.meeting().agenda
    item, (op,) = place_case(
        agenda, Case("Droppet", id=CaseId(4242)), NumberingStyle.SECTION, at=(2, 0)
    )
    placed, _ = op.apply(agenda)
    assert placed.find(item.id) == (2, 0)


def test_a_new_case_starts_as_the_kind_its_section_is_named_for():
    info = Section("Orienteringssager")
    mixed = Section("Beslutnings- og orienteringssager")
    plain = Section("Sager")
    assert new_case_place(Agenda((info,)), None) == (info, ItemKind.INFORMATION)
    assert new_case_place(Agenda((mixed,)), None) == (mixed, ItemKind.DECISION)
    assert new_case_place(Agenda((plain,)), None) == (plain, ItemKind.DECISION)
    assert new_case_place(Agenda(), None) == (None, ItemKind.DECISION)


@settings(max_examples=examples(200), deadline=None)
@given(agendas(), st.integers(0, 10_000))
def test_a_removed_item_gives_its_place_to_the_next_else_the_one_before(agenda, which):
    items = agenda.items()
    assume(items)
    target = items[which % len(items)].id
    successor = successor_after_removal(agenda, target)
    at = _flat(agenda).index(target)
    rest = [i for i in _flat(agenda) if i != target]
    if not rest:
        assert successor is None
    else:
        assert successor == rest[min(at, len(rest) - 1)]


def test_only_an_empty_section_is_removed():
    meeting = factories.meeting()
    with pytest.raises(SectionNotEmptyError) as refused:
        remove_empty_section(meeting.agenda, 1)
    assert refused.value.message == (
        "Afsnittet Sager har stadig punkter. Flyt eller fjern dem først."
    )
    agenda = Agenda((*meeting.agenda.sections, Section("Tom")))
    removed, _ = remove_empty_section(agenda, 3).apply(agenda)
    assert removed == meeting.agenda


def test_a_new_section_goes_after_the_selected_one_else_last():
    agenda = factories.meeting().agenda
    assert new_section_position(agenda, 0) == 1
    assert new_section_position(agenda, None) == len(agenda.sections)


def test_toggling_closed_flips_the_item():
    agenda = factories.meeting().agenda
    item = agenda.items()[3]
    closed, _ = toggle_closed(agenda, item.id).apply(agenda)
    assert closed.item(item.id).closed is not item.closed
    again, _ = toggle_closed(closed, item.id).apply(closed)
    assert again == agenda


def test_an_edit_that_changes_nothing_is_no_update():
    meeting = factories.meeting()
    assert meeting_update(meeting, title=meeting.title, status=meeting.status) is None
    update = meeting_update(meeting, title="Nyt møde", status=meeting.status)
    assert update is not None
    changed, inverse = update.apply_to_meeting(meeting)
    assert changed.title == "Nyt møde" and inverse.apply_to_meeting(changed)[0] == meeting


def test_an_edited_title_follows_into_the_case_only_while_they_were_the_same():
    same = factories.item("Sag om veje", case_=factories.case("Sag om veje", "24/00001"))
    edited = with_fields(
        same,
        title=" Sag om broer ",
        kind=ItemKind.INFORMATION,
        closed=True,
        reference="24/00002",
        officer="Ole",
    )
    assert (edited.title, edited.kind, edited.closed) == (
        "Sag om broer",
        ItemKind.INFORMATION,
        True,
    )
    assert (edited.case.title, edited.case.kind) == ("Sag om broer", ItemKind.INFORMATION)
    assert (edited.case.reference, edited.case.officer) == ("24/00002", "Ole")
    apart = factories.item("Kort titel", case_=factories.case("Sagens lange titel", "24/00003"))
    kept = with_fields(
        apart,
        title="Ny kort titel",
        kind=apart.kind,
        closed=False,
        reference="24/00003",
        officer="",
    )
    assert kept.case.title == "Sagens lange titel"
    # a blank title is no title: the old one stays
    assert (
        with_fields(
            apart, title="  ", kind=apart.kind, closed=False, reference="", officer=""
        ).title
        == "Kort titel"
    )


def test_a_fixed_item_gets_a_case_only_when_it_needs_one():
    fixed = factories.item("Meddelelser", ItemKind.ANNOUNCEMENTS)
    plain = with_fields(
        fixed, title="Meddelelser", kind=fixed.kind, closed=False, reference="", officer=""
    )
    assert plain.case is None
    numbered = with_fields(
        fixed, title="Meddelelser", kind=fixed.kind, closed=False, reference="24/7", officer=""
    )
    assert numbered.case is not None and numbered.case.id is None
    assert (numbered.case.title, numbered.case.reference) == ("Meddelelser", "24/7")
    assert case_of(fixed) == Case("Meddelelser", kind=ItemKind.ANNOUNCEMENTS)


def test_a_new_meeting_starts_with_the_fixed_items_of_the_last_one_afresh():
    last = factories.meeting()
    agenda = standard_agenda(last)
    assert [s.name for s in agenda.sections] == ["Indledning", "Sager", "Afslutning"]
    titles = [i.title for i in agenda.items()]
    assert titles == ["Godkendelse af dagsorden", "Meddelelser", "Eventuelt"]
    assert not {i.id for i in agenda.items()} & {i.id for i in last.agenda.items()}
    assert all(i.case is None and i.decision == "" for i in agenda.items())
    default = standard_agenda(None)
    assert [s.name for s in default.sections] == ["Indledning", "Sager", "Afslutning"]
    assert {i.kind for i in default.items()} == STANDARD_KINDS


def test_editing_the_participants_keeps_who_was_present():
    old = (Participant("Mette Hansen", "Formand", present=True), Participant("Ole Pedersen"))
    new = (Participant("Mette Hansen", "Næstformand"), Participant("Ny Person", "Medlem"))
    kept = keep_attendance(new, old)
    assert kept == (
        Participant("Mette Hansen", "Næstformand", present=True),
        Participant("Ny Person", "Medlem"),
    )
