"""What a tillægsdagsorden (supplementary agenda) says, for Word and PDF alike.

It is the agenda's own content (``export.document_content``) cut down to what changed
since the agenda was sent: the new and changed items in agenda order, each with its
heading as in the agenda, an "Ændret: …" line and its content as in the agenda; an item
only moved or renumbered shows its heading and that line; the items taken off the agenda
follow under "Udgåede punkter" with the heading they were sent with.

The editions follow ``agenda.edition.edition_changes``: the public one is made from the
public views of both versions and never names a closed item, not even one that was open
when sent and is closed now (it is left out, not listed as gone: nothing of it, not its
number, is in the public supplement). A bilag made confidential after sending is, in
the public edition, "Bilag N fjernet" under its item, without its title.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from agenda.change_notes import by_item, item_line, meeting_line, only_placed, section_lines
from agenda.changes import Change, ChangeKind
from agenda.edition import edition_changes
from agenda.errors import ExportError
from agenda.formatting import long_date, medium_date, time_span
from agenda.model import ItemId, Meeting
from agenda.numbering import meeting_items
from agenda.snapshot import MeetingSnapshot
from export.document_content import (
    FULL_EDITION,
    PUBLIC_EDITION,
    RESTRICTED_NOTE,
    DocumentContent,
    ItemContent,
    SectionContent,
    cleaned,
    document_content,
)

SUPPLEMENT_KIND = "Tillægsdagsorden"
REMOVED_SECTION = "Udgåede punkter"
NOT_SENT = "Mødet er ikke udsendt endnu; der er ingen tillægsdagsorden at lave."
NO_PUBLIC_CHANGES = "Ingen punkter i den offentlige udgave er ændret."
NO_ITEM_CHANGES = "Ingen punkter er ændret."


def sent_version(snapshot: MeetingSnapshot) -> tuple[Meeting, datetime]:
    """The meeting as sent and when; a Danish refusal when it was never sent."""
    if snapshot.sent is None or snapshot.sent_at is None:
        raise ExportError(NOT_SENT)
    return snapshot.sent, snapshot.sent_at


def supplement_changes(snapshot: MeetingSnapshot, *, public: bool) -> tuple[Change, ...]:
    """The edition's changes since sending. Refuses (``ExportError``) when the meeting
    was never sent, or when nothing at all changed since (judged on the complete
    list: a public edition with nothing public to show still says so)."""
    sent, sent_at = sent_version(snapshot)
    everything = edition_changes(sent, snapshot.meeting, public=False)
    if not everything:
        raise ExportError(
            f"Intet er ændret, siden dagsordenen blev udsendt {medium_date(sent_at)}; "
            "der er ingen tillægsdagsorden at lave."
        )
    return edition_changes(sent, snapshot.meeting, public=True) if public else everything


def sent_date(snapshot: MeetingSnapshot) -> str:
    """``9. april 2024``: the day the agenda went out."""
    return medium_date(sent_version(snapshot)[1])


def restricted(snapshot: MeetingSnapshot) -> bool:
    """Anything closed or confidential, now or when sent: the complete edition of a
    supplement then says it must not be published (fail closed: whether this supplement
    happens to show that item is not weighed)."""
    sent, _ = sent_version(snapshot)
    return any(
        item.closed or any(a.confidential for a in item.attachments)
        for meeting in (sent, snapshot.meeting)
        for item in meeting.agenda.items()
    )


def supplement_content(snapshot: MeetingSnapshot, *, public: bool) -> DocumentContent:
    """The tillægsdagsorden of the edition. Refuses (``ExportError``) when the meeting was
    never sent, or when nothing changed at all since it was."""
    sent, sent_at = sent_version(snapshot)
    found = supplement_changes(snapshot, public=public)
    grouped = by_item(found)
    meeting = snapshot.meeting
    base = document_content(snapshot, public=public)
    # document_content lists the items in agenda order, as meeting_items numbers them
    contents = {n.item.id: c for n, c in zip(meeting_items(meeting), base.items, strict=True)}
    sections = []
    for s, section in enumerate(meeting.agenda.sections, start=1):
        shown = []
        for item in section.items:
            own = grouped.get(item.id)
            if own is None or own[0].kind is ChangeKind.ITEM_REMOVED:
                continue
            content = replace(contents[item.id], change=item_line(own, public=public))
            if only_placed(own):
                content = replace(content, change_only=True)
            shown.append(content)
        if shown:
            # the agenda's anchor of the section: the links of both documents agree
            sections.append(SectionContent(section.name, f"afsnit{s}", tuple(shown)))
    gone = _removed(sent, grouped, public=public)
    if gone:
        sections.append(SectionContent(REMOVED_SECTION, "udgaaede", tuple(gone)))
    intro = [
        f"Dagsordenen blev udsendt {medium_date(sent_at)}. Her er de punkter, der er "
        "kommet til, ændret eller udgået siden da."
    ]
    if line := meeting_line(found):
        intro.append(line)
    intro += section_lines(found)
    if not sections:
        intro.append(NO_PUBLIC_CHANGES if public else NO_ITEM_CHANGES)
    if public:
        edition, note = PUBLIC_EDITION, ""
    elif restricted(snapshot):
        edition, note = FULL_EDITION, RESTRICTED_NOTE
    else:
        edition, note = "", ""
    content = replace(
        base,
        kind=SUPPLEMENT_KIND,
        meeting_title=f"til mødet {long_date(meeting.start)} "
        f"{time_span(meeting.start, meeting.end)}",
        date="",
        time="",
        attendance=(),
        edition=edition,
        edition_note=note,
        sections=tuple(sections),
        title=f"{SUPPLEMENT_KIND} – {meeting.body.name} {base.short_date}",
        subject=f"{SUPPLEMENT_KIND}: {meeting.title}, {long_date(meeting.start)}",
        header=f"{meeting.body.name} · {SUPPLEMENT_KIND} · {base.short_date}",
        intro=tuple(intro),
    )
    return cleaned(content)  # the sent titles of the removed items too


def _removed(
    sent: Meeting, grouped: dict[ItemId, tuple[Change, ...]], *, public: bool
) -> list[ItemContent]:
    """The items taken off the agenda, under the heading they were sent with."""
    numbered = {n.item.id: n for n in meeting_items(sent)}
    gone = []
    for item_id, own in grouped.items():
        if own[0].kind is not ChangeKind.ITEM_REMOVED:
            continue
        then = numbered[item_id]
        gone.append(
            ItemContent(
                number=then.number,
                heading=then.heading,
                anchor=f"udgaaet{len(gone) + 1}",
                closed=then.item.closed,
                redacted=False,
                change=item_line(own, public=public),
                change_only=True,
            )
        )
    return gone
