"""The line above the agenda: the meeting's title, when and where, and its status."""

from __future__ import annotations

from agenda.model import Meeting
from gui.i18n import _


def header_text(meeting: Meeting | None) -> str:
    """Rich text for the header label; a hint how to create one without a meeting."""
    if meeting is None:
        return "<i>" + _("No meeting chosen. Create one with Meeting → New meeting.") + "</i>"
    from agenda.formatting import long_date, time_span

    when = f"{long_date(meeting.start)} {time_span(meeting.start, meeting.end)}"
    place = f" · {meeting.location}" if meeting.location else ""
    return (
        f"<span style='font-size:13pt; font-weight:bold'>{_html(meeting.title)}</span>"
        f"<br>{_html(when + place)} · <b>{meeting.status.label}</b>"
    )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
