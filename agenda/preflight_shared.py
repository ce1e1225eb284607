"""Preflight rules about a case shared with other meetings.

A case can stand on several meetings, and whether it is a closed item (lukket punkt) is
decided on each item. A case closed on one meeting and open on another is most likely a
mistake on one of them, and on the open one its texts and bilag would be published: that
is a fejl (fail closed: it blocks the public edition unless forced), the closed side only
a warning. Likewise a fejl for a file this meeting would publish that is confidential on
another case or meeting, or on another bilag of this meeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from agenda.formatting import long_date
from agenda.model import CaseId
from agenda.numbering import NumberedItem
from agenda.preflight_findings import Findings, Severity, Where
from agenda.repository import CaseUse


def shared_case_rules(
    out: Findings,
    index: int,
    numbered: NumberedItem,
    other_uses: Mapping[CaseId, Sequence[CaseUse]],
) -> None:
    item = numbered.item
    case = item.case
    if case is None or case.id is None:
        return
    uses = other_uses.get(case.id, ())
    name = f"sagen {case.reference}" if case.reference else "sagen"
    subject = f"Punktet »{numbered.heading}«"
    if not item.closed:
        closed = [u for u in uses if u.closed]
        if closed:
            out.add(
                Severity.ERROR,
                "closed-elsewhere",
                f"{subject} er åbent, men {name} er et lukket punkt på {_meetings(closed)}, "
                "så dens tekster og bilag ville komme med i den offentlige udgave. Luk "
                "punktet her, eller fjern teksterne fra sagen, før den offentlige udgave "
                "laves.",
                Where(index, numbered),
            )
    else:
        opened = [u for u in uses if not u.closed]
        if opened:
            out.add(
                Severity.WARNING,
                "open-elsewhere",
                f"{subject} er lukket, men {name} er et åbent punkt på {_meetings(opened)}, "
                "så dens tekster og bilag kommer med i det mødes offentlige udgave. Gør "
                "punktet lukket dér også, hvis sagen er fortrolig.",
                Where(index, numbered),
            )


def _meetings(uses: Sequence[CaseUse]) -> str:
    seen: dict[int, str] = {}
    for u in uses:
        seen.setdefault(u.meeting_id, f"mødet »{u.title}« {long_date(u.start)}")
    names = list(seen.values())
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def confidential_elsewhere(
    out: Findings, where: Where, confidential: Set[str], here: Mapping[str, Where]
) -> None:
    """``where``'s bilag goes into the public edition: a fejl if its file (SHA-256) is
    confidential on another case or meeting (``confidential``) or on another bilag of
    this meeting (``here``, the first confidential use of each file)."""
    attachment = where.attachment
    if attachment is None:
        return
    mine = here.get(attachment.sha256)
    if mine is not None:
        place = (
            "under samme punkt"
            if mine.index == where.index
            else f"under punktet »{mine.numbered.heading}«"
        )
        assert mine.attachment is not None
        elsewhere = f"som bilaget »{mine.attachment.title}« {place} i dette møde"
    elif attachment.sha256 in confidential:
        elsewhere = "på en anden sag eller et andet møde i arbejdsområdet"
    else:
        return
    out.add(
        Severity.ERROR,
        "confidential-elsewhere",
        f"{where.subject} ville komme med i den offentlige udgave, men den samme fil er "
        f"fortrolig {elsewhere}. Markér bilaget som fortroligt her, eller fjern det, før "
        "den offentlige udgave laves.",
        where,
    )
