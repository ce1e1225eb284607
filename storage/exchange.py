"""Import and export of one meeting in the exchange format (``docs/meeting-format.md``).

Import reads and checks everything first, then writes in one transaction: a bad file
leaves the workspace as it was. Cases are matched on their case number, so importing a
meeting twice never makes two cases, and a case the workspace has is kept as it stands
there, a bilag never made public (``storage/exchange_cases.py``); bilag bytes are stored
once by SHA-256. A meeting the workspace already has is refused unless imported as a new
one (``storage/exchange_duplicate.py``).
Export writes the same format; export → import → export gives the same JSON and bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from agenda.errors import ExchangeError, os_error_reason
from agenda.formatting import safe_file_name
from agenda.model import AgendaItem, Meeting, MeetingId, TextSection
from agenda.numbering import meeting_items
from agenda.repository import WorkspaceRepository
from agenda.snapshot import attachments_for, is_published
from storage.exchange_cases import keep_workspace_cases
from storage.exchange_duplicate import duplicate_error, keep_existing, same_meetings
from storage.exchange_read import DOCUMENT_EXTRA, FORMAT, TEXTS_EXTRA, VERSION, read_meeting


@dataclass(frozen=True, slots=True)
class ImportReport:
    meeting: Meeting
    #: What the user must be told (Danish): where the file differs from a case the
    #: workspace has, whose texts, title and bilag were kept as the workspace has them.
    notices: tuple[str, ...] = ()


def import_meeting(ws: WorkspaceRepository, path: Path, *, as_new: bool = False) -> Meeting:
    """``import_meeting_report`` for a caller with no user to tell: the saved meeting."""
    return import_meeting_report(ws, path, as_new=as_new).meeting


def import_meeting_report(
    ws: WorkspaceRepository, path: Path, *, as_new: bool = False
) -> ImportReport:
    """Import a meeting (meeting.json, its folder, or a zip): the saved meeting, and the
    notices the user must see (``storage/exchange_cases.py``).

    A case the workspace already has (by case number) is kept as it stands there, except
    that a bilag confidential in the file or the workspace is confidential; meetings sent
    or held keep their own record and are never changed by an import.

    A meeting the workspace already has (the same body and start) is refused with a
    ``DuplicateMeetingError`` naming it, and nothing is written. With ``as_new`` it is
    imported as a new meeting beside that one, which is not changed: nor are the cases
    on it or its body (the new meeting uses them as they are in the workspace).
    """
    path = Path(path)
    if not path.exists():
        raise ExchangeError(
            f"{path} findes ikke. Angiv en meeting.json, mappen med den eller en zip-fil.",
            path=str(path),
        )
    read = read_meeting(path)
    with ws.transaction():
        # inside the transaction: two users importing the same file cannot both get in
        existing = same_meetings(ws, read.meeting)
        if existing and not as_new:
            raise duplicate_error(existing[0], path)
        meeting, notices = keep_workspace_cases(ws, read.meeting)
        body = next((b for b in ws.bodies() if b.name == meeting.body.name), None)
        if body is not None:
            meeting = replace(
                meeting,
                body=replace(
                    body, numbering=meeting.body.numbering, extra=meeting.body.extra or body.extra
                ),
            )
        if existing:
            meeting = keep_existing(ws, meeting, existing)
        needed = {a.sha256 for item in meeting.agenda.items() for a in item.attachments}
        for sha256, data in read.files.items():
            if sha256 in needed:
                ws.store_blob(data)
        return ImportReport(ws.save_meeting(meeting), tuple(notices))


def meeting_document(meeting: Meeting, file_names: dict[str, str], *, public: bool) -> dict:
    """The JSON document of a meeting; ``file_names`` maps attachment id -> fileName."""
    m_extra = dict(meeting.extra)
    doc_extra = m_extra.pop(DOCUMENT_EXTRA, {})
    numbers = {n.item.id: n.number for n in meeting_items(meeting)}
    sections = []
    for section in meeting.agenda.sections:
        items = [
            _item_doc(item, numbers[item.id], file_names, public=public)
            for item in section.items
            if not public or is_published(item)
        ]
        sections.append({**dict(section.extra), "name": section.name, "items": items})
    return {
        **doc_extra,
        "format": FORMAT,
        "version": VERSION,
        "body": {
            **dict(meeting.body.extra),
            "name": meeting.body.name,
            "numbering": meeting.body.numbering.value,
        },
        "meeting": {
            **m_extra,
            "name": meeting.title,
            "start": meeting.start.isoformat(),
            "end": meeting.end.isoformat() if meeting.end else None,
            "location": meeting.location,
            "state": meeting.status.value,
            "participants": [
                {**dict(p.extra), "name": p.name, "role": p.role, "present": p.present}
                for p in meeting.participants
            ],
        },
        "sections": sections,
    }


def _item_doc(item: AgendaItem, number: str, file_names: dict[str, str], *, public: bool) -> dict:
    doc = {
        **dict(item.extra),
        "kind": item.kind.value,
        "name": item.title,
        "public": not item.closed,
    }
    if not public:
        # The public edition leaves closed items out, so their numbers would leave gaps
        # (telling that something is missing) and fail the number check on re-import:
        # there the numbers are left to be derived from the order.
        doc = {"number": number, **doc}
    if item.case is not None:
        case = item.case
        case_extra = dict(case.extra)
        other_texts = case_extra.pop(TEXTS_EXTRA, {})
        doc["paper"] = {
            **case_extra,
            "reference": case.reference,
            "name": case.title,
            "officer": case.officer,
            "texts": {
                **other_texts,
                **{s.value: case.text(s) for s in TextSection if case.text(s)},
            },
        }
    doc["resolution"] = item.decision or None
    doc["files"] = [
        {
            **dict(a.extra),
            "name": a.title,
            "fileName": file_names[a.id],
            "public": not a.confidential,
            "sha256": a.sha256,
        }
        for a in attachments_for(item, public=public)
    ]
    return doc


def export_meeting(
    ws: WorkspaceRepository,
    meeting_id: MeetingId,
    out: Path,
    *,
    zip: bool = False,
    public: bool = False,
) -> Path:
    """Write the meeting into ``out/<name>/`` (or ``out/<name>.zip``); returns that path.

    Written atomically: to a temporary folder beside the target, then renamed.
    """
    meeting = ws.meeting(meeting_id)
    name = safe_file_name(
        f"Møde {meeting.body.name} {meeting.start:%Y-%m-%d}" + (" (offentlig)" if public else "")
    )
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExchangeError(
            f"Mødet kan ikke eksporteres til {out}: {os_error_reason(error)}. Vælg en anden mappe.",
            path=str(out),
        ) from error
    file_names: dict[str, str] = {}
    used: set[str] = set()
    payload: dict[str, bytes] = {}
    for numbered in meeting_items(meeting):
        if public and not is_published(numbered.item):
            continue
        for a in attachments_for(numbered.item, public=public):
            file_name = _unique(f"bilag/{safe_file_name(a.file_name)}", used)
            file_names[a.id] = file_name
            payload[file_name] = ws.blob(a.sha256)
    document = meeting_document(meeting, file_names, public=public)
    payload["meeting.json"] = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    try:
        return (
            _write_zip(out / f"{name}.zip", name, payload)
            if zip
            else _write_folder(out / name, payload)
        )
    except OSError as error:
        raise ExchangeError(
            f"Mødet kunne ikke skrives til {out}: {os_error_reason(error)}. "
            "Vælg en anden mappe, eller frigør plads. En tidligere eksport er urørt.",
            path=str(out),
        ) from error


def _unique(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate = f"{stem} ({n}).{suffix}" if suffix else f"{stem} ({n})"
        n += 1
    used.add(candidate.lower())
    return candidate


def _write_folder(target: Path, payload: dict[str, bytes]) -> Path:
    # Not mkdtemp/mkstemp: their 0700/0600 modes would stay after the rename, and an
    # export on a shared drive must be readable by colleagues (the umask applies instead).
    tmp = target.with_name(f".~eksport-{secrets.token_hex(4)}")
    tmp.mkdir()
    try:
        for rel, data in payload.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            old = target.with_name(f".~gammel-{target.name}")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except OSError:
                os.replace(old, target)  # the earlier export stays where it was
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_zip(target: Path, folder: str, payload: dict[str, bytes]) -> Path:
    tmp_name = str(target.with_name(f".~eksport-{secrets.token_hex(4)}.zip"))
    try:
        with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel, data in payload.items():
                archive.writestr(f"{folder}/{rel}", data)
        os.replace(tmp_name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    return target
