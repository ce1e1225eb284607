"""The packs that go with a tillægsdagsorden: only the new and replaced bilag, and the
whole pack again, revised.

- Tillægsbilag (``build_supplement_pack``): the bilag that are new since the agenda was
  sent (of a new item, or added to an item) or that replace a sent one, each behind its
  separator with "Nyt bilag" or "Erstatter bilag udsendt 9. april 2024".
- Revideret bilagspakke (``build_revised_pack``): every bilag of the edition, as the
  bilagspakke; its front page says "Revideret udgave", a change page comes first, and
  the separators of new and replaced bilag carry the same lines.

Both follow the edition's change list (``agenda.edition.edition_changes``): the public
edition's is made from the public views, so a bilag made confidential or an item closed
after sending is not in it, not on the change page, not as a separator.
"""

from __future__ import annotations

from pathlib import Path

from agenda.change_notes import by_item, item_line, meeting_line, section_lines
from agenda.changes import Change, ChangeKind
from agenda.numbering import meeting_items
from agenda.snapshot import MeetingSnapshot
from agenda.tasks import NullTaskState, TaskState
from export.document_content import CLOSED_SUFFIX
from export.pack.build import PackResult, build_pack
from export.pack.pack_change_page import ChangeEntry, change_pages
from export.pack.pack_plan import EntryKey, PackItem, select
from export.pack.pack_variant import PackVariant
from export.supplement_content import (
    NO_ITEM_CHANGES,
    NO_PUBLIC_CHANGES,
    restricted,
    sent_date,
    sent_version,
    supplement_changes,
)

SUPPLEMENT_PACK = "Tillægsbilag"
REVISED_PACK = "Revideret bilagspakke"
REVISED_EDITION = "Revideret udgave"
NEW_BILAG = "Nyt bilag"
CHANGES_TITLE = "Ændringer"

_NO_TASK = NullTaskState()


def replaced_line(date: str) -> str:
    return f"Erstatter bilag udsendt {date}"


def separator_notes(changes: tuple[Change, ...], date: str) -> dict[EntryKey, str]:
    """(item, bilag) -> "Nyt bilag" or "Erstatter bilag udsendt …", for each bilag that is
    new or replaces a sent one in this change list."""
    notes: dict[EntryKey, str] = {}
    for change in changes:
        if change.item is None:
            continue
        if change.kind is ChangeKind.ITEM_ADDED and change.new_item is not None:
            for attachment in change.new_item.attachments:
                notes[(change.item, attachment.id)] = NEW_BILAG
        elif change.kind is ChangeKind.BILAG_ADDED and change.new_attachment is not None:
            notes[(change.item, change.new_attachment.id)] = NEW_BILAG
        elif change.kind is ChangeKind.BILAG_REPLACED and change.new_attachment is not None:
            notes[(change.item, change.new_attachment.id)] = replaced_line(date)
    return notes


def build_supplement_pack(
    snapshot: MeetingSnapshot, target: Path, *, public: bool, task: TaskState = _NO_TASK
) -> PackResult:
    """Only the new and replaced bilag of the edition; nothing is written (``path`` None)
    when there are none."""
    changes = supplement_changes(snapshot, public=public)
    date = sent_date(snapshot)
    notes = separator_notes(changes, date)
    items = []
    for pack_item in select(snapshot, public=public):
        entries = tuple(e for e in pack_item.entries if e.key in notes)
        if entries:
            items.append(PackItem(pack_item.item, entries))
    variant = PackVariant(
        items=tuple(items),
        document=SUPPLEMENT_PACK,
        revision=(f"Nye og erstattede bilag siden udsendelsen {date}",),
        notes=notes,
        restricted=not public and restricted(snapshot),
    )
    return build_pack(snapshot, target, public=public, task=task, variant=variant)


def build_revised_pack(
    snapshot: MeetingSnapshot, target: Path, *, public: bool, task: TaskState = _NO_TASK
) -> PackResult:
    """Every bilag of the edition, marked revised, with the change page first."""
    changes = supplement_changes(snapshot, public=public)
    date = sent_date(snapshot)
    pages = change_pages(
        CHANGES_TITLE,
        f"Siden bilagspakken blev udsendt {date}",
        change_entries(snapshot, changes, public=public),
        NO_PUBLIC_CHANGES if public else NO_ITEM_CHANGES,
    )
    variant = PackVariant(
        items=tuple(select(snapshot, public=public)),
        document="Bilagspakke",
        revision=(REVISED_EDITION, f"Erstatter bilagspakken udsendt {date}"),
        notes=separator_notes(changes, date),
        preface=pages,
        preface_title=CHANGES_TITLE,
        title=REVISED_PACK,
        restricted=not public and restricted(snapshot),
    )
    return build_pack(snapshot, target, public=public, task=task, variant=variant)


def change_entries(
    snapshot: MeetingSnapshot, changes: tuple[Change, ...], *, public: bool
) -> list[ChangeEntry]:
    """The change page's entries: the meeting's line, then each item in the order of the
    change list (agenda order; an item taken off where it was)."""
    sent, _ = sent_version(snapshot)
    now = {n.item.id: n for n in meeting_items(snapshot.meeting)}
    then = {n.item.id: n for n in meeting_items(sent)}
    entries = []
    if line := meeting_line(changes):
        entries.append(ChangeEntry("", line))
    entries += [ChangeEntry("", line) for line in section_lines(changes)]
    for item_id, own in by_item(changes).items():
        numbered = now.get(item_id) or then[item_id]
        heading = numbered.heading
        if numbered.item.closed:  # the complete edition only: the public list has none
            heading += f" {CLOSED_SUFFIX}"
        entries.append(ChangeEntry(heading, item_line(own, public=public)))
    if not any(entry.heading for entry in entries):  # as the tillægsdagsorden says it
        entries.append(ChangeEntry("", NO_PUBLIC_CHANGES if public else NO_ITEM_CHANGES))
    return entries
