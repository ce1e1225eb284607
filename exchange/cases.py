"""An imported meeting's cases that the workspace already has.

A case is matched on its case number. One the workspace has is kept as it stands there
(title, officer, texts, bilag): the file does not rewrite it, since other meetings share
it, and what the user wrote in the workspace is theirs. The one exception fails closed:
a bilag the file marks confidential becomes confidential in the workspace too, and a
bilag is never made public by an import. Other meetings are not touched at all: every
item keeps its own copy of its case (``storage/item_records.py``).

Every difference between the file and the workspace is told to the user as a Danish
notice, so nothing is dropped or kept without a word.
"""

from __future__ import annotations

from dataclasses import replace

from agenda.model import Attachment, Case, Meeting, TextSection
from agenda.repository import WorkspaceRepository


def keep_workspace_cases(ws: WorkspaceRepository, meeting: Meeting) -> tuple[Meeting, list[str]]:
    """``meeting`` with each case the workspace has as it stands there, and each bilag
    confidential where the file or the workspace says so; and the notices about it."""
    notices: list[str] = []
    confidential = ws.confidential_sha256s(
        a.sha256 for item in meeting.agenda.items() for a in item.attachments
    )
    sections = []
    for section in meeting.agenda.sections:
        items = []
        for item in section.items:
            if item.case is not None:
                item = replace(item, case=_case(ws, item.case, confidential, notices))
            items.append(item)
        sections.append(replace(section, items=tuple(items)))
    return replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections))), notices


def _case(
    ws: WorkspaceRepository, incoming: Case, confidential: set[str], notices: list[str]
) -> Case:
    existing = ws.case_by_reference(incoming.reference)
    if existing is None:
        # a new case: still, the same file kept confidential elsewhere stays confidential
        return replace(
            incoming,
            attachments=tuple(
                _fail_closed(a, confidential, incoming, notices) for a in incoming.attachments
            ),
        )
    where = f"Sag {existing.reference} (»{existing.title}«)"
    notices.extend(_text_differences(where, incoming, existing))
    in_file = {a.sha256: a for a in incoming.attachments}
    kept = []
    for a in existing.attachments:
        theirs = in_file.get(a.sha256)
        if theirs is None:
            notices.append(
                f"{where}: bilaget »{a.title}« står på sagen i arbejdsområdet, men ikke i "
                "filen. Det er beholdt."
            )
        elif theirs.confidential and not a.confidential:
            notices.append(
                f"{where}: bilaget »{a.title}« er fortroligt i filen, men offentligt i "
                "arbejdsområdet. Det er nu fortroligt i arbejdsområdet også (på de møder, "
                "der endnu ikke er udsendt)."
            )
            a = replace(a, confidential=True)
        elif a.confidential and not theirs.confidential:
            notices.append(
                f"{where}: bilaget »{a.title}« er offentligt i filen, men fortroligt i "
                "arbejdsområdet. Det er fortsat fortroligt."
            )
        elif theirs.title != a.title:
            notices.append(
                f"{where}: bilaget »{a.title}« hedder »{theirs.title}« i filen. Navnet i "
                "arbejdsområdet er beholdt."
            )
        kept.append(a)
    ours = {a.sha256 for a in existing.attachments}
    for a in incoming.attachments:
        if a.sha256 not in ours:
            notices.append(
                f"{where}: bilaget »{a.title}« ({a.file_name}) fra filen er ikke importeret, "
                "fordi sagen i arbejdsområdet ikke har det. Tilføj det på sagen, hvis det "
                "hører til."
            )
    return replace(existing, attachments=tuple(kept))


def _text_differences(where: str, incoming: Case, existing: Case) -> list[str]:
    notices = []
    if incoming.title != existing.title:
        notices.append(
            f"{where}: titlen i filen (»{incoming.title}«) er ikke brugt; sagen beholder "
            "sin titel fra arbejdsområdet."
        )
    if incoming.officer != existing.officer:
        notices.append(
            f"{where}: sagsbehandleren i filen (»{incoming.officer}«) er ikke brugt; "
            f"sagen beholder »{existing.officer}« fra arbejdsområdet."
        )
    changed = [s.label for s in TextSection if incoming.text(s).strip() != existing.text(s).strip()]
    if changed:
        notices.append(
            f"{where}: teksten i filen afviger fra sagen i arbejdsområdet "
            f"({', '.join(changed)}). Teksten fra arbejdsområdet er beholdt; møder, der er "
            "udsendt eller afholdt, er ikke ændret."
        )
    return notices


def _fail_closed(
    a: Attachment, confidential: set[str], case: Case, notices: list[str]
) -> Attachment:
    if a.confidential or a.sha256 not in confidential:
        return a
    where = f"Sag {case.reference} (»{case.title}«)" if case.reference else f"»{case.title}«"
    notices.append(
        f"{where}: bilaget »{a.title}« er offentligt i filen, men den samme fil er fortrolig "
        "et andet sted i arbejdsområdet. Det er importeret som fortroligt."
    )
    return replace(a, confidential=True)
