"""Item numbers after the agenda was sent: what members have read does not change silently.

Numbering stays a pure function, now of the order and the last sent version:
- an item that was sent keeps the number it was sent with, as long as it stays in the
  section it was sent in (a move inside its section keeps it too);
- a new item, or a sent item moved to another section (``check_move`` makes the window
  ask first), gets the next free number in its section after every number used there by
  the sent version: with ``2.1``-``2.4`` sent and ``2.3`` removed, a new item is ``2.5``
  (a removed item's number is never given to another item);
- before anything is sent, numbers are ``agenda.numbering``'s.
"""

from __future__ import annotations

from agenda.errors import SentItemMoveError
from agenda.model import ItemId, Meeting, NumberingStyle
from agenda.numbering import item_numbers


def _tail(number: str) -> int:
    return int(number.rsplit(".", 1)[-1])


def numbers_after_sending(now: Meeting, sent: Meeting | None) -> dict[ItemId, str]:
    """The number of every item of ``now``, given the last sent version ``sent``."""
    if sent is None:
        return item_numbers(now.agenda, now.body.numbering)
    flat = now.body.numbering is NumberingStyle.FLAT
    sent_numbers = item_numbers(sent.agenda, sent.body.numbering)
    sent_section = {i.id: s.id for s in sent.agenda.sections for i in s.items}
    # section id -> the section's prefix as sent ("2"), and the highest number used in it
    sent_prefix = {s.id: str(n) for n, s in enumerate(sent.agenda.sections, start=1)}
    used: dict[object, int] = {}
    for s in sent.agenda.sections:
        for i in s.items:
            key = "all" if flat else s.id
            used[key] = max(used.get(key, 0), _tail(sent_numbers[i.id]))
    result: dict[ItemId, str] = {}
    new_sections = 0
    for section in now.agenda.sections:
        if section.id in sent_prefix:
            prefix = sent_prefix[section.id]
        else:  # a section added after sending: after every section sent
            new_sections += 1
            prefix = str(len(sent.agenda.sections) + new_sections)
        key = "all" if flat else section.id
        for item in section.items:
            if item.id in sent_numbers and sent_section[item.id] == section.id:
                result[item.id] = sent_numbers[item.id]
                continue
            used[key] = used.get(key, 0) + 1
            result[item.id] = str(used[key]) if flat else f"{prefix}.{used[key]}"
    return result


def check_move(
    now: Meeting, sent: Meeting | None, item_id: ItemId, section: int, *, confirmed: bool
) -> None:
    """Raise SentItemMoveError when moving ``item_id`` (to section index ``section``)
    moves an item that was sent and ``confirmed`` is False; the window then asks and
    calls again with ``confirmed=True``."""
    if sent is None or confirmed:
        return
    sent_numbers = item_numbers(sent.agenda, sent.body.numbering)
    if item_id not in sent_numbers:
        return  # added after sending: nobody has read its number
    number = sent_numbers[item_id]
    s, _ = now.agenda.find(item_id)
    moving_out = now.agenda.sections[section].id != now.agenda.sections[s].id
    consequence = (
        f"Det får et nyt nummer i det afsnit, du flytter det til, og nummeret {number} "
        "bruges ikke igen."
        if moving_out
        else f"Det beholder nummeret {number}, så numrene ikke står i rækkefølge."
    )
    raise SentItemMoveError(
        f"Punkt {number} er udsendt med dette nummer, og medlemmerne kender det. "
        f"{consequence} Flytningen kommer med i tillægsdagsordenen. Vil du flytte det?",
        number=number,
    )
