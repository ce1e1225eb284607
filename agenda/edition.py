"""The edition rule: what the public edition (offentlig udgave) shows.

One place decides it for every output: the agenda and minutes, the bilagspakke, the
exchange export and the preflight. It fails closed: only an open item is published, and
of it only the bilag not marked confidential.
"""

from __future__ import annotations

from agenda.model import AgendaItem, Attachment


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
