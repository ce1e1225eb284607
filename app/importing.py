"""Importing a meeting in the exchange format: read, commit, index.

Three steps, so nothing slow happens inside the write transaction or on the window's
UI thread:

1. ``read_import`` reads and checks the file (a zip's bomb checks, every field) and
   extracts the text of its PDF bilag for search. It needs no workspace, so the window
   runs it in a worker; it checks ``state`` for Cancel between bilag.
2. ``commit_import`` writes the meeting in one short transaction, on the thread that
   owns the workspace. A meeting the workspace already has is refused
   (``DuplicateMeetingError``) unless ``as_new``; the same read can be committed again
   as new without reading the file twice.
3. ``index_import`` stores the extracted text of the meeting's bilag that the search
   index lacks, after the commit, in a transaction of its own: a failure there loses
   no imported meeting (what is missing is caught up with later).

``import_meeting`` runs the three in a row (the command line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from agenda.model import Meeting, looks_like_pdf
from agenda.repository import WorkspaceRepository
from agenda.tasks import NullTaskState, TaskState, check
from app.search import INDEXED_PAGES, extract_texts
from exchange.duplicate import ADVICE
from exchange.read import ReadMeeting
from exchange.transfer import ImportReport, save_read_meeting
from exchange.transfer import read_import as read_exchange

__all__ = [
    "ADVICE",
    "INDEXED_PAGES",
    "ImportReport",
    "PreparedImport",
    "commit_import",
    "import_meeting",
    "index_import",
    "read_import",
]


@dataclass(frozen=True)
class PreparedImport:
    """A meeting file read and checked, with its PDF bilag's text; not yet saved.
    It is saved at most once (its sections and items carry the ids the read gave
    them); a commit refused as a duplicate saved nothing, so it may be retried
    ``as_new``."""

    path: Path
    read: ReadMeeting
    #: the text of each PDF bilag in the file, by SHA-256
    texts: Mapping[str, str]


def read_import(path: Path, state: TaskState | None = None) -> PreparedImport:
    """Step 1, anywhere (a worker): read and check the file, extract its PDFs' text."""
    state = state or NullTaskState()
    path = Path(path)
    read = read_exchange(path)
    check(state)
    pdfs = {sha: data for sha, data in read.files.items() if looks_like_pdf(data)}
    texts = extract_texts(pdfs, state)
    check(state)
    return PreparedImport(path, read, MappingProxyType(texts))


def commit_import(
    workspace: WorkspaceRepository, prepared: PreparedImport, *, as_new: bool = False
) -> ImportReport:
    """Step 2, on the workspace's thread: one short transaction."""
    return save_read_meeting(workspace, prepared.read, prepared.path, as_new=as_new)


def index_import(workspace: WorkspaceRepository, prepared: PreparedImport, meeting: Meeting) -> int:
    """Step 3, after the commit: the text of the meeting's bilag the index lacks.
    Returns how many were stored."""
    from app.snapshots import store_export_results

    texts: dict[str, str] = {}
    for item in meeting.agenda.items():
        for attachment in item.attachments:
            sha = attachment.sha256
            if sha in texts or sha not in prepared.texts:
                continue  # a kept case's bilag from the workspace: caught up with apart
            if workspace.attachment_text(sha) is None:
                texts[sha] = prepared.texts[sha]
    store_export_results(workspace, {}, texts)
    return len(texts)


def import_meeting(
    workspace: WorkspaceRepository,
    path: Path,
    *,
    as_new: bool = False,
    state: TaskState | None = None,
) -> ImportReport:
    """The three steps in a row, for a caller that owns the workspace (the CLI)."""
    from app.snapshots import index_pdf_texts

    prepared = read_import(path, state)
    report = commit_import(workspace, prepared, as_new=as_new)
    index_import(workspace, prepared, report.meeting)
    # bilag of cases the workspace kept that were never indexed: read here and now
    index_pdf_texts(workspace, report.meeting, _extract)
    return report


def _extract(pdf: bytes) -> str:
    return extract_texts({"": pdf})[""]
