"""After sending, sent item numbers do not change silently: a sent item keeps its
number, a new one gets the next free number in its section, and moving a sent item asks."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.errors import SentItemMoveError
from agenda.model import ItemKind, NumberingStyle
from agenda.numbering import item_numbers
from agenda.operations import AddItem, MoveItem, RemoveItem
from agenda.sent_numbers import check_move, numbers_after_sending
from tests.factories import body, item, meeting
from tests.hypothesis_budget import examples


def _sent():  # type: ignore[no-untyped-def]
    return meeting()  # 1.1 1.2 | 2.1 2.2 | 3.1


def _titles(m, numbers):  # type: ignore[no-untyped-def]
    return {numbers[i.id]: i.title for i in m.agenda.items()}


def test_before_sending_numbers_follow_the_order():
    m = _sent()
    assert numbers_after_sending(m, None) == item_numbers(m.agenda, m.body.numbering)


def test_a_new_item_gets_the_next_free_number_and_a_removed_number_is_not_reused():
    sent = _sent()
    evaluation = sent.agenda.sections[1].items[0]
    agenda, _ = RemoveItem(evaluation.id).apply(sent.agenda)
    agenda, _ = AddItem(item("Ny sag om busdrift"), 1, 0).apply(agenda)  # first in "Sager"
    now = replace(sent, agenda=agenda)
    numbers = _titles(now, numbers_after_sending(now, sent))
    # the new item stands first but is 2.3; the health item keeps 2.2; 2.1 is gone
    assert numbers == {
        "1.1": "Godkendelse af dagsorden",
        "1.2": "Meddelelser",
        "2.3": "Ny sag om busdrift",
        "2.2": "Status på sundhedsaftalen",
        "3.1": "Eventuelt",
    }
    # the plain numbering would have renumbered both silently
    plain = _titles(now, item_numbers(now.agenda, NumberingStyle.SECTION))
    assert plain["2.1"] == "Ny sag om busdrift" and plain["2.2"] == "Status på sundhedsaftalen"


def test_flat_numbering_continues_after_the_highest_sent_number():
    sent = replace(_sent(), body=body(NumberingStyle.FLAT))
    agenda, _ = AddItem(item("Ny sag", ItemKind.INFORMATION), 0, 0).apply(sent.agenda)
    now = replace(sent, agenda=agenda)
    numbers = _titles(now, numbers_after_sending(now, sent))
    assert numbers["6"] == "Ny sag" and numbers["1"] == "Godkendelse af dagsorden"


def test_moving_a_sent_item_asks_and_a_new_item_moves_freely():
    sent = _sent()
    evaluation = sent.agenda.sections[1].items[0]
    with pytest.raises(SentItemMoveError, match=r"Punkt 2\.1 er udsendt") as raised:
        check_move(sent, sent, evaluation.id, 2, confirmed=False)
    assert raised.value.number == "2.1" and "nyt nummer" in raised.value.message
    check_move(sent, sent, evaluation.id, 2, confirmed=True)
    agenda, _ = AddItem(item("Ny sag"), 1, 0).apply(sent.agenda)
    now = replace(sent, agenda=agenda)
    check_move(now, sent, now.agenda.sections[1].items[0].id, 2, confirmed=False)
    check_move(now, None, evaluation.id, 2, confirmed=False)  # nothing sent: no question

    # confirmed across sections: a new number there; within its section it keeps 2.1
    moved, _ = MoveItem(evaluation.id, 2, 0).apply(sent.agenda)
    numbers = numbers_after_sending(replace(sent, agenda=moved), sent)
    assert numbers[evaluation.id] == "3.2"
    inside, _ = MoveItem(evaluation.id, 1, 1).apply(sent.agenda)
    assert numbers_after_sending(replace(sent, agenda=inside), sent)[evaluation.id] == "2.1"


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "remove", "move"]), st.integers(0, 50))))
def test_sent_items_never_change_number_without_a_move_and_numbers_stay_unique(steps):
    sent = _sent()
    agenda = sent.agenda
    for op, n in steps:
        section = n % len(agenda.sections)
        items = agenda.items()
        if op == "add" or not items:
            agenda, _ = AddItem(item(f"Ny {n}"), section, n).apply(agenda)
        elif op == "remove":
            agenda, _ = RemoveItem(items[n % len(items)].id).apply(agenda)
        else:
            target = items[n % len(items)]
            agenda, _ = MoveItem(target.id, section, n).apply(agenda)
    now = replace(sent, agenda=agenda)
    numbers = numbers_after_sending(now, sent)
    assert len(set(numbers.values())) == len(numbers)
    was = item_numbers(sent.agenda, sent.body.numbering)
    sent_section = {i.id: s.id for s in sent.agenda.sections for i in s.items}
    for section in now.agenda.sections:
        for i in section.items:
            if i.id in was and sent_section[i.id] == section.id:
                assert numbers[i.id] == was[i.id]
            else:  # new, or moved out of its section: never a number someone has read
                assert numbers[i.id] not in was.values()
