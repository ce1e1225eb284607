"""The edition rule: what the public edition (offentlig udgave) shows.

One place decides it for every output: the agenda and minutes, the bilagspakke, the
exchange export and the preflight. It fails closed: only an open item is published, and
of it only the bilag not marked confidential.
"""

from __future__ import annotations

from dataclasses import replace

from agenda.changes import Change, ChangeKind, changes
from agenda.model import AgendaItem, Attachment, ItemKind, Meeting


def is_published(item: AgendaItem) -> bool:
    """Closed items (lukket punkt) never reach the public edition."""
    return not item.closed


def attachments_for(item: AgendaItem, *, public: bool) -> tuple[Attachment, ...]:
    """The bilag of an item as an edition shows them: public leaves out the confidential
    ones and everything of a closed item."""
    if not public:
        return item.attachments
    if item.closed:
        return ()
    return tuple(a for a in item.attachments if not a.confidential)


def public_view(meeting: Meeting) -> Meeting:
    """The meeting as the public edition shows it: a closed item is only its place (no
    kind, title, case or bilag), an open item without its confidential bilag."""
    sections = tuple(
        replace(section, items=tuple(_public_item(item) for item in section.items))
        for section in meeting.agenda.sections
    )
    return replace(meeting, agenda=replace(meeting.agenda, sections=sections))


def _public_item(item: AgendaItem) -> AgendaItem:
    if item.closed:
        return AgendaItem(ItemKind.DECISION, "", closed=True, id=item.id)
    shown = attachments_for(item, public=True)
    if item.case is None or shown == item.attachments:
        return item
    return replace(item, case=replace(item.case, attachments=shown))


def edition_changes(sent: Meeting, now: Meeting, *, public: bool) -> tuple[Change, ...]:
    """The change list an edition may show. The complete edition: everything. The
    public one compares the public views (a bilag made confidential after sending is a
    public bilag removed; its title and file are not in the view), and then leaves out
    every change of an item that is closed now, or was closed when sent and is gone: a
    closed item is never mentioned, not even as closed, moved or removed; nor is a
    section that holds no open item. An item opened after sending is new to the public,
    with all of its public content."""
    if not public:
        return changes(sent, now)
    before, after = public_view(sent), public_view(now)
    closed_now = {i.id for i in now.agenda.items() if i.closed}
    present = {i.id for i in now.agenda.items()}
    closed_gone = {i.id for i in sent.agenda.items() if i.closed and i.id not in present}
    hidden = closed_now | closed_gone
    # a section is named only when it holds an open item (the exchange format's public
    # edition leaves out the name of a section of closed items only)
    named = {
        s.id
        for meeting in (sent, now)
        for s in meeting.agenda.sections
        if any(not i.closed for i in s.items)
    }
    shown = [
        c
        for c in changes(before, after)
        if (c.item is None or c.item not in hidden)
        and (c.item is not None or c.section is None or c.section in named)
    ]
    return tuple(_unpaired(shown, now))


def _unpaired(found: list[Change], now: Meeting) -> list[Change]:
    """In the public views, a bilag made confidential is gone, and a new bilag in its
    title or place would pass for its replacement ("Erstatter bilag udsendt …"). The
    sent bilag is still there, only not public: such a pair is one bilag removed and
    one added."""
    still_there = {(i.id, a.id) for i in now.agenda.items() for a in i.attachments}
    false_pairs = {
        (c.item, c.attachment)
        for c in found
        if c.kind is ChangeKind.BILAG_REPLACED
        and c.new_attachment is not None
        and c.new_attachment.id != c.attachment
        and (c.item, c.attachment) in still_there
    }
    result: list[Change] = []
    for change in found:
        if (change.item, change.attachment) not in false_pairs:
            result.append(change)
        elif change.kind is ChangeKind.BILAG_REPLACED and change.new_attachment is not None:
            new = change.new_attachment
            result.append(
                replace(change, kind=ChangeKind.BILAG_REMOVED, bilag_number=0, new_attachment=None)
            )
            result.append(
                replace(
                    change,
                    kind=ChangeKind.BILAG_ADDED,
                    attachment=new.id,
                    index=change.bilag_number - 1,
                    sent_bilag_number=0,
                )
            )
        # the pair's other changes (moved, retitled, flags) were the sent bilag's
    return result
