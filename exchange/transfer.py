"""Import and export of one meeting in the exchange format (``docs/meeting-format.md``).

Import reads and checks everything first, then writes in one transaction: a bad file
leaves the workspace as it was. Cases are matched on their case number, so importing a
meeting twice never makes two cases, and a case the workspace has is kept as it stands
there, a bilag never made public (``exchange/cases.py``); bilag bytes are stored
once by SHA-256. A meeting the workspace already has is refused unless imported as a new
one (``exchange/duplicate.py``).
Export writes the same format; export → import → export gives the same JSON and bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from agenda.edition import attachments_for, is_published
from agenda.errors import ExchangeError, os_error_reason
from agenda.formatting import safe_file_name
from agenda.model import Attachment, AttachmentId, Meeting, MeetingId, looks_like_pdf
from agenda.numbering import meeting_items
from agenda.repository import WorkspaceRepository
from exchange.cases import confidential_everywhere, keep_workspace_cases, marked_confidential
from exchange.document import ExportedFile, meeting_document
from exchange.duplicate import duplicate_error, keep_existing, same_meetings
from exchange.files import recover, write_folder, write_zip
from exchange.read import ReadMeeting, read_meeting


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
    notices the user must see (``exchange/cases.py``).

    A case the workspace already has (by case number) is kept as it stands there, except
    that a bilag confidential in the file or the workspace is confidential; meetings sent
    or held keep their own record and are never changed by an import.

    A meeting the workspace already has (the same body and start) is refused with a
    ``DuplicateMeetingError`` naming it, and nothing is written. With ``as_new`` it is
    imported as a new meeting beside that one, which is not changed: nor are the cases
    on it or its body (the new meeting uses them as they are in the workspace).
    """
    return save_read_meeting(ws, read_import(path), path, as_new=as_new)


def read_import(path: Path) -> ReadMeeting:
    """The read half of ``import_meeting_report``: the file read and checked, no
    workspace needed (so it can run in a worker)."""
    path = Path(path)
    if not path.exists():
        raise ExchangeError(
            f"{path} findes ikke. Angiv en meeting.json, mappen med den eller en zip-fil.",
            path=str(path),
        )
    return read_meeting(path)


def save_read_meeting(
    ws: WorkspaceRepository, read: ReadMeeting, path: Path, *, as_new: bool = False
) -> ImportReport:
    """The write half of ``import_meeting_report``: one short transaction on the thread
    that owns the workspace, for a meeting ``read_meeting`` read and checked (perhaps in
    a worker) from ``path`` (named in the messages)."""
    path = Path(path)
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
        # fail closed: a file the import marks confidential is so wherever it is public
        imported = {i.case.id for i in meeting.agenda.items() if i.case and i.case.id}
        notices += confidential_everywhere(ws, marked_confidential(read.meeting), imported)
        needed = {a.sha256 for item in meeting.agenda.items() for a in item.attachments}
        for sha256, data in read.files.items():
            if sha256 in needed:
                ws.store_blob(data)
        return ImportReport(ws.save_meeting(meeting), tuple(notices))


def export_meeting(
    ws: WorkspaceRepository,
    meeting_id: MeetingId,
    out: Path,
    *,
    zip: bool = False,
    public: bool = False,
    clean_file: Callable[[str, bytes], bytes] | None = None,
) -> Path:
    """Write the meeting into ``out/<name>/`` (or ``out/<name>.zip``); returns that path.

    Written atomically: to a hidden name beside the target, then renamed; an earlier
    export that a kill left moved aside is put back first (``exchange/files.py``).

    ``clean_file(file_name, data)`` gives a public bilag's bytes as published: a cleaned
    PDF (storage cannot read PDFs: ``app.exchange_export`` converts and cleans them), named
    ``.pdf`` (``published_name``); the public edition needs it, and its error (a file that
    cannot be converted or cleaned) stops the export.
    """
    if public and clean_file is None:
        raise ValueError("a public export needs clean_file: bilag are never published raw")
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
    files: dict[AttachmentId, ExportedFile] = {}
    used: set[str] = set()
    payload: dict[str, bytes] = {}
    for numbered in meeting_items(meeting):
        if public and not is_published(numbered.item):
            continue
        for a in attachments_for(numbered.item, public=public):
            data = bilag_bytes(ws, a, public=public, clean_file=clean_file)
            shown = published_name(a.file_name, data) if public else a.file_name
            file_name = _unique(f"bilag/{safe_file_name(shown)}", used)
            files[a.id] = ExportedFile(file_name, hashlib.sha256(data).hexdigest())
            payload[file_name] = data
    payload["meeting.json"] = _json_bytes(
        meeting_document(
            meeting,
            files,
            public=public,
            sent_versions=() if public else ws.sent_versions(meeting_id),
        )
    )
    try:
        # a killed export of the other kind (folder or zip) is cleaned too; its own
        # kind is recovered as it is written
        recover(out / name if zip else out / f"{name}.zip")
        return (
            write_zip(out / f"{name}.zip", name, payload)
            if zip
            else write_folder(out / name, payload)
        )
    except OSError as error:
        raise ExchangeError(
            f"Mødet kunne ikke skrives til {out}: {os_error_reason(error)}. "
            "Vælg en anden mappe, eller frigør plads. En tidligere eksport er urørt.",
            path=str(out),
        ) from error


def bilag_bytes(
    ws: WorkspaceRepository,
    attachment: Attachment,
    *,
    public: bool,
    clean_file: Callable[[str, bytes], bytes] | None = None,
) -> bytes:
    """The bytes of one bilag as the export writes them, for either edition: the one
    place that decides them (meeting.json gives the sha256 of what is returned here).
    The public edition's are cleaned (``clean_file``): never the workspace's raw bytes."""
    data = ws.blob(attachment.sha256)
    if not public:
        return data
    if clean_file is None:
        raise ValueError("a public export needs clean_file: bilag are never published raw")
    return clean_file(attachment.file_name, data)


def published_name(file_name: str, data: bytes) -> str:
    """The file name of a public bilag: the public edition publishes PDFs (an office
    file or an image converted), so a PDF gets the ``.pdf`` its bytes are."""
    if not looks_like_pdf(data) or file_name.lower().endswith(".pdf"):
        return file_name
    stem, dot, _suffix = file_name.rpartition(".")
    return f"{stem if dot and stem else file_name}.pdf"


def _json_bytes(document: dict) -> bytes:
    try:
        text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        return text.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as error:
        # only from a value an older version let in (NaN in an unknown field, half a
        # surrogate pair): written, it would be a file no reader takes
        raise ExchangeError(
            "Mødet indeholder en værdi, der ikke kan skrives som JSON (fx NaN eller et "
            "ugyldigt tegn i et felt, som en tidligere import har taget med). Mødet er ikke "
            "eksporteret; ret punktets eller mødets tekster, og prøv igen.",
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
