"""An imported meeting's cases that the workspace already has.

A case is matched on its case number. One the workspace has is kept as it stands there
(title, officer, texts, bilag): the file does not rewrite it, since other meetings share
it, and what the user wrote in the workspace is theirs. The one exception fails closed:
a file (by SHA-256) the file marks confidential becomes confidential wherever it is
public in the workspace: on the imported meeting's other items, and on every case of the
library and the draft meetings (``confidential_everywhere``); and a bilag is never made
public by an import. Meetings sent or held are not touched at all: they keep their own
record (``storage/item_records.py``); where the file is public in one, the user is told,
and that meeting's preflight says fejl.

Every difference between the file and the workspace is told to the user as a Danish
notice, so nothing is dropped or kept without a word.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import replace

from agenda.formatting import long_date
from agenda.model import (
    AgendaItem,
    Attachment,
    Case,
    CaseId,
    Meeting,
    MeetingId,
    MeetingStatus,
    TextSection,
)
from agenda.operations import ReplaceItem
from agenda.repository import WorkspaceRepository


def keep_workspace_cases(ws: WorkspaceRepository, meeting: Meeting) -> tuple[Meeting, list[str]]:
    """``meeting`` with each case the workspace has as it stands there, and each bilag
    confidential where the file or the workspace says so; and the notices about it."""
    notices: list[str] = []
    marked = marked_confidential(meeting)
    confidential = marked | ws.confidential_sha256s(
        a.sha256 for item in meeting.agenda.items() for a in item.attachments
    )
    sections = []
    for section in meeting.agenda.sections:
        items = []
        for item in section.items:
            if item.case is not None:
                item = replace(item, case=_case(ws, item, confidential, notices))
            items.append(item)
        sections.append(replace(section, items=tuple(items)))
    return replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections))), notices


def marked_confidential(meeting: Meeting) -> set[str]:
    """The files (SHA-256) a meeting marks confidential on some bilag."""
    return {a.sha256 for item in meeting.agenda.items() for a in item.attachments if a.confidential}


def confidential_everywhere(
    ws: WorkspaceRepository, marked: Set[str], imported: Set[CaseId]
) -> list[str]:
    """Make each file of ``marked`` (the import marks it confidential) confidential on
    every case and draft meeting that has it public, but the cases of the import itself
    (``imported``: done by ``keep_workspace_cases``); meetings sent or held are not
    changed, only named. The notices say where."""
    notices: list[str] = []
    changed: dict[CaseId, Case] = {}
    drafts: dict[MeetingId, str] = {}
    for use in ws.public_files(marked):
        where = (
            f"Sag {use.reference} (»{use.case_title}«)"
            if use.reference
            else (f"Sagen »{use.case_title}«")
        )
        if use.meeting is not None and use.meeting.status is MeetingStatus.DRAFT:
            # every item holds its own copy (schema v4): a draft's is changed here
            drafts[use.meeting.meeting_id] = use.meeting.title
            notices.append(
                f"{where}: bilaget »{use.title}« er den samme fil, som filen markerer "
                f"fortrolig. Det er nu fortroligt på mødet »{use.meeting.title}« "
                f"{long_date(use.meeting.start)} også."
            )
            continue
        if use.meeting is not None:
            held = "afholdte" if use.meeting.status is not MeetingStatus.SENT else "udsendte"
            notices.append(
                f"{where}: bilaget »{use.title}« er den samme fil, som filen markerer "
                f"fortrolig, men det er offentligt på det {held} møde »{use.meeting.title}« "
                f"{long_date(use.meeting.start)}. Det møde er ikke ændret; kontrollen før "
                "udsendelse af det møde vil sige fejl, hvis dets offentlige udgave laves igen."
            )
            continue
        if use.case_id is None or use.case_id in imported:
            continue
        case = changed.get(use.case_id) or ws.case(use.case_id)
        changed[use.case_id] = replace(case, attachments=_marked(case.attachments, marked))
        notices.append(
            f"{where}: bilaget »{use.title}« er den samme fil, som filen markerer fortrolig. "
            "Det er nu fortroligt på sagen i sagsbiblioteket også."
        )
    for case in changed.values():
        ws.save_case(case)
    for meeting_id in drafts:
        meeting = ws.meeting(meeting_id)
        agenda = meeting.agenda
        for item in agenda.items():
            if item.case is not None and any(a.sha256 in marked for a in item.case.attachments):
                copy = replace(item.case, attachments=_marked(item.case.attachments, marked))
                agenda, _ = ReplaceItem(replace(item, case=copy)).apply(agenda)
        ws.save_meeting(replace(meeting, agenda=agenda))
    return notices


def _marked(attachments: tuple[Attachment, ...], marked: Set[str]) -> tuple[Attachment, ...]:
    return tuple(replace(a, confidential=True) if a.sha256 in marked else a for a in attachments)


def _case(
    ws: WorkspaceRepository, item: AgendaItem, confidential: set[str], notices: list[str]
) -> Case:
    incoming = item.case
    assert incoming is not None
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
    if not item.closed:
        notices.extend(_closed_elsewhere(ws, where, existing))
    in_file = {a.sha256: a for a in incoming.attachments}
    kept = []
    for a in existing.attachments:
        theirs = in_file.get(a.sha256)
        if theirs is None:
            notices.append(
                f"{where}: bilaget »{a.title}« står på sagen i arbejdsområdet, men ikke i "
                "filen. Det er beholdt."
            )
            a = _fail_closed(a, confidential, existing, notices)
        elif theirs.confidential and not a.confidential:
            notices.append(
                f"{where}: bilaget »{a.title}« er fortroligt i filen, men offentligt i "
                "arbejdsområdet. Det er nu fortroligt i arbejdsområdet også (på de møder, "
                "der endnu ikke er udsendt)."
            )
            a = replace(a, confidential=True)
        elif a.sha256 in confidential and not a.confidential:
            # the file is confidential on another bilag of the file or in the workspace
            a = _fail_closed(a, confidential, existing, notices)
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


def _closed_elsewhere(ws: WorkspaceRepository, where: str, existing: Case) -> list[str]:
    assert existing.id is not None
    closed = {u.meeting_id: u for u in ws.case_uses([existing.id]) if u.closed}
    return [
        f"{where}: sagen er et lukket punkt på mødet »{u.title}« {long_date(u.start)}, men "
        "punktet her er åbent, så sagens tekster ville komme med i den offentlige udgave. "
        "Kontrollen før udsendelse siger fejl: luk punktet her, eller fjern teksterne fra "
        "sagen, før den offentlige udgave laves."
        for u in closed.values()
    ]


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
        f"{where}: bilaget »{a.title}« er offentligt, men den samme fil er fortrolig et "
        "andet sted i filen eller i arbejdsområdet. Det er importeret som fortroligt."
    )
    return replace(a, confidential=True)
