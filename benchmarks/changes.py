"""The change list of a 40-item meeting since sending, against a floor in the same run.

A meeting of 4 sections × 10 items (each with five text sections and 3 bilag) is sent;
then 10 edits: 2 items added, 1 removed, 2 moved, 2 texts changed, a bilag replaced,
one added, an item closed. Measured: ``changes(sent, now)`` and, for the check that it
is complete, ``apply`` + ``shown`` comparison. Floor: reading both meetings into plain
values once (``shown(sent)``, ``shown(now)``: what any comparison must at least walk) and
``==`` of the two (a deep copy is no floor here: ``copy.deepcopy`` cannot copy the
read-only mappings the domain uses).
Goal: the change list ≤ 20 ms.

    python3 benchmarks/changes.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agenda.change_apply import apply, shown  # noqa: E402
from agenda.changes import changes  # noqa: E402
from agenda.item_content import item_attachments, with_attachments, with_text  # noqa: E402
from agenda.model import AgendaItem, ItemKind, Meeting, TextSection  # noqa: E402
from agenda.operations import AddItem, MoveItem, RemoveItem, SetClosed  # noqa: E402
from tests import factories  # noqa: E402
from tests.change_edits import bilag  # noqa: E402

TEXT = "Kommunerne i Region Sjælland samarbejder om det nære sundhedsvæsen. " * 12


def forty_items() -> Meeting:
    sections = []
    for s in range(1, 5):
        items = []
        for n in range(1, 11):
            attachments = tuple(bilag(f"Bilag {s}.{n}.{m}", f"b-{s}-{n}-{m}") for m in range(3))
            texts = {section.value: f"{section.label}: {TEXT}" for section in TextSection}
            case = factories.case(
                f"Sag {s}.{n}", f"24/{s}{n:04d}", attachments=attachments, **texts
            )
            items.append(factories.item(f"Sag {s}.{n}", case_=case))
        sections.append((f"Afsnit {s}", items))
    return factories.meeting(sections)


def edited(meeting: Meeting) -> Meeting:
    agenda = meeting.agenda
    items = agenda.items()
    for n in range(2):
        new = factories.item(f"Ny sag {n}", ItemKind.INFORMATION)
        agenda = AddItem(new, 3, 99).apply(agenda)[0]
    agenda = RemoveItem(items[5].id).apply(agenda)[0]
    agenda = MoveItem(items[12].id, 0, 2).apply(agenda)[0]
    agenda = MoveItem(items[30].id, 2, 0).apply(agenda)[0]
    agenda = SetClosed(items[20].id, True).apply(agenda)[0]
    meeting = replace(meeting, agenda=agenda)
    for item in (items[8], items[25]):
        meeting = _swap(meeting, with_text(item, TextSection.INDSTILLING, "Ny indstilling."))
    current = meeting.agenda.item(items[33].id)
    files = list(item_attachments(current))
    files[1] = replace(bilag(files[1].title, "ny-fil"), id=files[1].id)
    files.append(bilag("Nyt bilag", "nyt"))
    return _swap(meeting, with_attachments(current, tuple(files)))


def _swap(meeting: Meeting, item: AgendaItem) -> Meeting:
    s, p = meeting.agenda.find(item.id)
    sections = list(meeting.agenda.sections)
    section = sections[s]
    sections[s] = replace(section, items=(*section.items[:p], item, *section.items[p + 1 :]))
    return replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))


def _median_ms(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    sent = forty_items()
    now = edited(sent)
    found = changes(sent, now)
    assert shown(apply(sent, found)) == shown(now)
    floor = _median_ms(lambda: shown(sent) == shown(now), rounds)
    measured = _median_ms(lambda: changes(sent, now), rounds)
    check = _median_ms(lambda: shown(apply(sent, changes(sent, now))) == shown(now), rounds)
    print(f"{len(sent.agenda.items())} items, {len(found)} changes")
    print(f"floor (read both, compare):      {floor:7.2f} ms")
    print(
        f"changes(sent, now):              {measured:7.2f} ms  ({measured / floor:.2f}x floor)"
        f"  goal ≤ 20 ms: {'met' if measured <= 20 else 'NOT met'}"
    )
    print(f"changes + apply + compare views: {check:7.2f} ms  ({check / floor:.2f}x floor)")


if __name__ == "__main__":
    main()
