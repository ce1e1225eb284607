"""The change list since sending: exactly the difference, and enough to rebuild the
current meeting from the sent one (``apply``); its Danish lines."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.change_apply import apply, shown, shown_item
from agenda.change_notes import by_item, describe, item_line, meeting_line
from agenda.changes import ChangeKind, changes, kept_in_order
from agenda.edition import edition_changes
from agenda.item_content import item_attachments, item_reference, item_texts, with_text
from agenda.model import AgendaItem, ItemKind, Meeting, Section, TextSection
from agenda.numbering import item_numbers
from tests import factories
from tests.change_edits import EDITS, bilag, edit, meetings
from tests.hypothesis_budget import examples


def _edited(meeting: Meeting, steps) -> Meeting:
    for step in steps:
        meeting = edit(meeting, step)
    return meeting


def _lcs_length(a: list, b: list) -> int:
    """Longest common subsequence by the textbook table (independent of the code's)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a)):
        for j in range(len(b)):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if a[i] == b[j] else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


def _of(found, kind: ChangeKind) -> list:
    return [c for c in found if c.kind is kind]


def _check_exact(sent: Meeting, now: Meeting) -> None:
    found = changes(sent, now)
    # complete: the change list rebuilds the current meeting
    assert shown(apply(sent, found)) == shown(now)
    old = {i.id: i for i in sent.agenda.items()}
    new = {i.id: i for i in now.agenda.items()}
    common = old.keys() & new.keys()
    assert {c.item for c in _of(found, ChangeKind.ITEM_ADDED)} == new.keys() - old.keys()
    assert {c.item for c in _of(found, ChangeKind.ITEM_REMOVED)} == old.keys() - new.keys()
    # each attribute changed exactly where it differs
    for kind, value in (
        (ChangeKind.ITEM_RETITLED, lambda i: i.title),
        (ChangeKind.ITEM_KIND, lambda i: i.kind),
        (ChangeKind.REFERENCE, item_reference),
    ):
        expected = {i for i in common if value(old[i]) != value(new[i])}
        assert {c.item for c in _of(found, kind)} == expected, kind
    assert {c.item for c in _of(found, ChangeKind.ITEM_CLOSED)} == {
        i for i in common if new[i].closed and not old[i].closed
    }
    assert {c.item for c in _of(found, ChangeKind.ITEM_OPENED)} == {
        i for i in common if old[i].closed and not new[i].closed
    }
    texts = {
        (i, s)
        for i in common
        for s in TextSection
        if item_texts(old[i]).get(s, "") != item_texts(new[i]).get(s, "")
    }
    assert {(c.item, c.text_section) for c in _of(found, ChangeKind.TEXT)} == texts
    # places: fewest moves; what did not move kept its order; numbers say the rest
    numbers_then = item_numbers(sent.agenda, sent.body.numbering)
    numbers_now = item_numbers(now.agenda, now.body.numbering)
    moved = {c.item for c in _of(found, ChangeKind.ITEM_MOVED)}
    renumbered = {c.item for c in _of(found, ChangeKind.ITEM_RENUMBERED)}
    assert not moved & renumbered and (moved | renumbered) <= common
    section_then = {i.id: s.id for s in sent.agenda.sections for i in s.items}
    for section in now.agenda.sections:
        here = [i.id for i in section.items if i.id in common]
        assert {i for i in here if section_then[i] != section.id} <= moved
        stayed = [i for i in here if section_then[i] == section.id]
        before = [i.id for s in sent.agenda.sections if s.id == section.id for i in s.items]
        kept = [i for i in stayed if i not in moved]
        assert [i for i in before if i in kept] == kept  # order kept
        assert len(kept) == _lcs_length(before, stayed)  # and no more moves than needed
    assert renumbered == {i for i in common - moved if numbers_then[i] != numbers_now[i]}
    # an item no change names shows the same, at the same number
    named = {c.item for c in found if c.item is not None}
    for i in common - named:
        assert numbers_then[i] == numbers_now[i]
        assert shown_item(old[i]) == shown_item(new[i])
    # bilag: each change is needed
    for c in _of(found, ChangeKind.BILAG_REPLACED):
        before = next(a for a in item_attachments(old[c.item]) if a.id == c.attachment)
        assert (before.id, before.sha256, before.file_name) != (
            c.new_attachment.id,
            c.new_attachment.sha256,
            c.new_attachment.file_name,
        )
    for i in common:
        then, now_ = item_attachments(old[i]), item_attachments(new[i])
        own = [c for c in found if c.item == i]
        added = len(_of(own, ChangeKind.BILAG_ADDED))
        removed = len(_of(own, ChangeKind.BILAG_REMOVED))
        assert added - removed == len(now_) - len(then)
        # a bilag removed and one added are never the same title or place (a replacement)
        gone = [
            (n, a)
            for n, a in enumerate(then)
            if a.id in {c.attachment for c in _of(own, ChangeKind.BILAG_REMOVED)}
        ]
        came = [
            (n, a)
            for n, a in enumerate(now_)
            if a.id in {c.attachment for c in _of(own, ChangeKind.BILAG_ADDED)}
        ]
        for (n, r), (m, a) in ((g, c) for g in gone for c in came):
            assert r.title != a.title and n != m
        if then == now_:
            assert not [c for c in own if c.kind.value.startswith("bilag_")]


@settings(max_examples=examples(300), deadline=None)
@given(sent=meetings(), steps=st.lists(EDITS, max_size=8))
def test_the_change_list_is_exactly_the_difference(sent, steps):
    _check_exact(sent, _edited(sent, steps))


@settings(max_examples=examples(150), deadline=None)
@given(sent=meetings(), steps=st.lists(EDITS, max_size=8))
def test_the_public_change_list_names_no_closed_item(sent, steps):
    now = _edited(sent, steps)
    public = edition_changes(sent, now, public=True)
    closed_now = {i.id for i in now.agenda.items() if i.closed}
    closed_then = {i.id for i in sent.agenda.items() if i.closed}
    for change in public:
        assert change.item not in closed_now
        if change.kind is ChangeKind.ITEM_REMOVED:
            assert change.item not in closed_then
        if change.new_attachment is not None:
            assert not change.new_attachment.confidential
        if change.new_item is not None:
            assert not change.new_item.closed
            assert not any(a.confidential for a in item_attachments(change.new_item))


def test_no_edit_no_change():
    meeting = factories.document_meeting()
    assert changes(meeting, meeting) == ()


def test_kept_in_order_is_a_longest_common_subsequence():
    assert kept_in_order("abcdef", "abdcef") in (
        {"a", "b", "c", "e", "f"},
        {"a", "b", "d", "e", "f"},
    )
    assert kept_in_order("abc", "cab") == {"a", "b"}
    assert kept_in_order("", "abc") == set()


def _case_meeting():
    evaluation = factories.case(
        "Evaluering",
        "24/04521",
        attachments=(bilag("Rapport", "rapport"), bilag("Tidsplan", "plan")),
    )
    return factories.meeting(
        [
            ("Indledning", [factories.item("Godkendelse af dagsorden", ItemKind.APPROVAL)]),
            (
                "Sager",
                [
                    factories.item("Evaluering", case_=evaluation),
                    factories.item("Sundhedsaftale", ItemKind.INFORMATION),
                    factories.item("Trafikplan"),
                ],
            ),
        ]
    )


def test_the_line_names_the_text_sections_and_bilag_changed():
    sent = _case_meeting()
    item = sent.agenda.sections[1].items[0]
    attachments = item_attachments(item)
    changed = with_text(
        item, TextSection.INDSTILLING, "Det indstilles, at KKR tager det til efterretning."
    )
    replaced = replace(bilag("Tidsplan", "plan-2"), id=attachments[1].id)
    changed = replace(changed, case=replace(changed.case, attachments=(attachments[0], replaced)))
    now = _replace_item(sent, changed)
    lines = {i: item_line(c) for i, c in by_item(changes(sent, now)).items()}
    assert lines == {item.id: "Ændret: Indstilling, Bilag 2 erstattet"}


def test_new_removed_moved_and_renumbered_items_say_so():
    sent = _case_meeting()
    first, second, third = sent.agenda.sections[1].items
    new = factories.item("Praktikpladser")
    sections = list(sent.agenda.sections)
    sections[1] = replace(sections[1], items=(third, second, new))  # first removed, third moved
    now = replace(sent, agenda=replace(sent.agenda, sections=tuple(sections)), location="Roskilde")
    found = changes(sent, now)
    lines = {i: item_line(c) for i, c in by_item(found).items()}
    assert lines[new.id] == "Nyt punkt"
    assert lines[first.id] == "Udgår: punktet er taget af dagsordenen"
    # the second kept its place and number (2.2): only the third moved
    assert lines[third.id] == "Ændret: Flyttet fra punkt 2.3"
    assert second.id not in lines
    assert meeting_line(found) == "Ændret: Mødested"
    assert "Mødested: Roskilde" in describe(found[0])
    assert shown(apply(sent, found)) == shown(now)
    # without the first, the others keep their order but not their numbers
    sections[1] = replace(sections[1], items=(second, third))
    now = replace(sent, agenda=replace(sent.agenda, sections=tuple(sections)))
    lines = {i: item_line(c) for i, c in by_item(changes(sent, now)).items()}
    assert lines == {
        first.id: "Udgår: punktet er taget af dagsordenen",
        second.id: "Ændret: Nyt nummer (før 2.2)",
        third.id: "Ændret: Nyt nummer (før 2.3)",
    }


def test_a_bilag_made_confidential_is_a_bilag_removed_in_the_public_edition():
    sent = _case_meeting()
    item = sent.agenda.sections[1].items[0]
    first, second = item_attachments(item)
    secret = replace(first, confidential=True)
    now = _replace_item(sent, replace(item, case=replace(item.case, attachments=(secret, second))))
    complete = {i: item_line(c) for i, c in by_item(changes(sent, now)).items()}
    public = {i: item_line(c) for i, c in by_item(edition_changes(sent, now, public=True)).items()}
    assert complete == {item.id: "Ændret: Bilag 1 gjort fortroligt"}
    assert public == {item.id: "Ændret: Bilag 1 fjernet"}


def test_an_item_closed_after_sending_is_not_in_the_public_change_list():
    sent = _case_meeting()
    item = sent.agenda.sections[1].items[0]
    now = _replace_item(sent, replace(item, closed=True, title="Hemmelig ny titel"))
    assert {c.kind for c in changes(sent, now)} == {
        ChangeKind.ITEM_CLOSED,
        ChangeKind.ITEM_RETITLED,
    }
    assert edition_changes(sent, now, public=True) == ()
    # and opened again later: the public sees it as new
    reopened = _replace_item(sent, replace(item, closed=False))
    back = edition_changes(now, reopened, public=True)
    assert {i: item_line(c, public=True) for i, c in by_item(back).items()} == {
        item.id: "Nyt på den offentlige dagsorden"
    }


def _replace_item(meeting: Meeting, item: AgendaItem) -> Meeting:
    s, p = meeting.agenda.find(item.id)
    sections = list(meeting.agenda.sections)
    items = list(sections[s].items)
    items[p] = item
    sections[s] = replace(sections[s], items=tuple(items))
    return replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))


def test_a_section_of_closed_items_only_is_not_named_in_the_public_change_list():
    sent = _case_meeting()
    secret = factories.item("Personalesag", closed=True)
    now = replace(
        sent,
        agenda=replace(
            sent.agenda,
            sections=(*sent.agenda.sections, Section("Lukket afsnit Qzhemmelig", (secret,))),
        ),
    )
    assert [c.kind for c in changes(sent, now)] == [ChangeKind.SECTION_ADDED, ChangeKind.ITEM_ADDED]
    assert edition_changes(sent, now, public=True) == ()
