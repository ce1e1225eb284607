"""The workspace: one SQLite file holding every body, case, bilag and meeting.

Implements ``agenda.repository.WorkspaceRepository``. The connection belongs to the thread
that opened the workspace (the GUI thread or the CLI); workers get snapshots, not this.
Every public method that writes runs in a transaction; ``transaction()`` groups several
into one user action.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agenda import repository_errors
from agenda.errors import WorkspaceError
from agenda.model import Body, Case, CaseId, Correction, Meeting, MeetingId, looks_like_pdf
from agenda.records import SentVersion, SentVersionId, VersionKind
from agenda.repository import (
    CaseUse,
    ConversionKey,
    Event,
    MeetingSummary,
    PublicFile,
    SearchHit,
)
from storage import cases as case_store
from storage import events as event_log
from storage import meetings as meeting_store
from storage import schema, search, sent_versions, shared_cases
from storage.connection import Connection
from storage.sqlite_errors import workspace_error

SQLITE_MAGIC = b"SQLite format 3\x00"
#: How long a write waits for another user's write to finish before the user is told the
#: workspace is busy (a save takes milliseconds; a long import of another user, seconds).
BUSY_TIMEOUT_MS = 5000


def open_workspace(path: Path | str, *, create: bool = True) -> SqliteWorkspace:
    """Open (or create) a workspace file; WorkspaceError with a Danish message if it cannot."""
    path = Path(path)
    if path.is_dir():
        raise WorkspaceError(
            f"{path} er en mappe, ikke en arbejdsområde-fil. Angiv selve filen (den ender "
            "på .kkrdb), eller et nyt filnavn i mappen for at oprette et arbejdsområde.",
            path=str(path),
        )
    if path.exists() and not path.is_file():
        # a FIFO would block the open below for ever, a device be read as a file: refused
        # on what stat says, before anything opens it
        raise WorkspaceError(
            f"{path} er ikke en almindelig fil, så det kan ikke være et arbejdsområde. "
            "Angiv selve arbejdsområde-filen (den ender på .kkrdb).",
            path=str(path),
        )
    if path.exists():
        with open(path, "rb") as f:
            head = f.read(16)
        if head and head != SQLITE_MAGIC:
            raise WorkspaceError(
                f"Filen {path} er ikke et arbejdsområde fra KKR Dagsorden (ikke en SQLite-fil). "
                "Vælg en anden fil, eller opret et nyt arbejdsområde.",
                path=str(path),
            )
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise WorkspaceError(
                f"Arbejdsområdet {path} er skrivebeskyttet, så ændringer kan ikke gemmes. "
                "Kopiér filen til en mappe, hvor du må skrive, eller fjern skrivebeskyttelsen.",
                path=str(path),
            )
    elif not create:
        raise WorkspaceError(f"Arbejdsområdet {path} findes ikke.", path=str(path))
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WorkspaceError(
                f"Mappen {path.parent} kan ikke oprettes: {error.strerror}.", path=str(path)
            ) from error
    return SqliteWorkspace(path)


def is_network_path(path: Path) -> bool:
    """A UNC path (\\\\server\\share). SQLite's WAL needs shared memory, which network file
    systems do not give reliably, so such a workspace runs in rollback-journal mode."""
    text = str(path)
    return text.startswith("\\\\") or text.startswith("//")


def network_notice(path: Path) -> str:
    return (
        f"Arbejdsområdet {path} ligger på et netværksdrev. Derfor gemmes hver ændring på den "
        "langsommere, sikre måde (uden WAL-journal), så to brugere ikke kan ødelægge filen. "
        "Det kan føles lidt langsommere; alt bliver gemt som normalt."
    )


class SqliteWorkspace:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.wal = not is_network_path(path)
        #: Something the user should know about how the workspace was opened (Danish), or None.
        self.notice: str | None = None if self.wal else network_notice(path)
        try:
            #: The sqlite3 connection, for tests and benchmarks that read the tables; the
            #: storage modules get ``self._db`` (storage/connection.py).
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
            # before the journal mode, which rewrites the file's header
            schema.refuse_foreign(self.conn, path)
            mode = "WAL" if self.wal else "DELETE"
            self.conn.execute(f"PRAGMA journal_mode = {mode}")
            schema.migrate(self.conn, path)
            self._db = Connection(self.conn, path)
        except BaseException as error:
            # a refused file is left closed, so it is not held open (locked on Windows)
            if hasattr(self, "conn"):
                self.conn.close()
            if isinstance(error, sqlite3.DatabaseError):
                raise workspace_error(error, path) from error
            raise

    # -- lifecycle and transactions -------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[None]:
        return self._db.transaction()

    # -- bodies and cases (storage/cases.py) ----------------------------------------------

    def save_body(self, body: Body) -> Body:
        return case_store.save_body(self._db, body)

    def bodies(self) -> list[Body]:
        return case_store.bodies(self._db)

    def save_case(self, case: Case) -> Case:
        return case_store.save_case(self._db, case)

    def case(self, case_id: CaseId) -> Case:
        return case_store.load_case(self._db, case_id)

    def cases(self) -> list[Case]:
        return case_store.all_cases(self._db)

    def case_by_reference(self, reference: str) -> Case | None:
        return case_store.case_by_reference(self._db, reference)

    def case_meetings(self, case_id: CaseId) -> list[MeetingId]:
        return case_store.case_meetings(self._db, case_id)

    def case_uses(self, case_ids: Iterable[CaseId]) -> list[CaseUse]:
        return shared_cases.case_uses(self._db, case_ids)

    def public_files(self, sha256s: Iterable[str]) -> list[PublicFile]:
        return shared_cases.public_files(self._db, sha256s)

    def delete_case(self, case_id: CaseId) -> None:
        case_store.delete_case(self._db, case_id)

    def search_cases(self, query: str, limit: int = 50) -> list[SearchHit]:
        return search.search(self.conn, query, limit)

    def confidential_sha256s(self, sha256s: Iterable[str]) -> set[str]:
        return shared_cases.confidential_sha256s(self._db, sha256s)

    # -- blobs --------------------------------------------------------------------------

    def store_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)",
                (sha, len(data), data),
            )
        return sha

    def has_blob(self, sha256: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
            is not None
        )

    def blob(self, sha256: str) -> bytes:
        row = self.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise repository_errors.blob_not_found(sha256)
        return bytes(row[0])

    def set_attachment_text(self, sha256: str, text: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO attachment_texts(sha256, text) VALUES (?, ?)",
                (sha256, text),
            )
            for (case_id,) in self.conn.execute(
                "SELECT DISTINCT case_id FROM attachments WHERE sha256 = ?", (sha256,)
            ).fetchall():
                search.index_case(self.conn, case_id)

    def attachment_text(self, sha256: str) -> str | None:
        row = self.conn.execute(
            "SELECT text FROM attachment_texts WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return row[0] if row else None

    def unindexed_pdfs(self, limit: int) -> dict[str, bytes]:
        # Chosen by the attachments' names and media types, without touching the blobs
        # (a workspace of gigabytes opens without reading them); only candidates are read.
        candidates = self.conn.execute(
            "SELECT DISTINCT a.sha256 FROM attachments a "
            "LEFT JOIN attachment_texts t ON t.sha256 = a.sha256 WHERE t.sha256 IS NULL "
            "AND (lower(a.file_name) LIKE '%.pdf' OR a.media_type = 'application/pdf')"
        ).fetchall()
        found: dict[str, bytes] = {}
        for (sha,) in candidates:
            if len(found) >= limit:
                break
            row = self.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha,)).fetchone()
            if row is not None and looks_like_pdf(bytes(row[0])):
                found[sha] = bytes(row[0])
        return found

    # -- meetings (storage/meetings.py) ---------------------------------------------------

    def save_meeting(self, meeting: Meeting) -> Meeting:
        return meeting_store.save_meeting(self._db, meeting)

    def meeting(self, meeting_id: MeetingId) -> Meeting:
        return meeting_store.load_meeting(self._db, meeting_id)

    def meetings(self) -> list[MeetingSummary]:
        return meeting_store.meeting_summaries(self._db)

    def delete_meeting(self, meeting_id: MeetingId) -> None:
        meeting_store.delete_meeting(self._db, meeting_id)

    # -- records: sent versions and corrections (storage/sent_versions.py) ----------------

    def record_sent_version(
        self,
        meeting: Meeting,
        kind: VersionKind,
        at: datetime,
        user: str,
        note: str,
        files: Sequence[tuple[str, bytes]],
        parent_id: SentVersionId | None = None,
    ) -> SentVersion:
        return sent_versions.record(self._db, meeting, kind, at, user, note, files, parent_id)

    def sent_versions(self, meeting_id: MeetingId) -> list[SentVersion]:
        return sent_versions.versions(self._db, meeting_id)

    def sent_version(self, version_id: SentVersionId) -> SentVersion:
        return sent_versions.version(self._db, version_id)

    def sent_meeting(self, version_id: SentVersionId) -> Meeting:
        return sent_versions.sent_meeting(self._db, version_id)

    def sent_file(self, version_id: SentVersionId, name: str) -> bytes:
        return sent_versions.sent_file(self._db, version_id, name)

    def add_correction(self, meeting_id: MeetingId, correction: Correction) -> Meeting:
        with self.transaction():
            meeting = self.meeting(meeting_id)  # NotFoundError for an unknown id
            sent_versions.add_correction(self._db, meeting_id, correction)
            return replace(meeting, corrections=(*meeting.corrections, correction))

    # -- conversion cache ---------------------------------------------------------------

    def converted(self, key: ConversionKey) -> bytes | None:
        row = self.conn.execute(
            "SELECT pdf FROM conversions WHERE source_sha256=? AND converter=?"
            " AND converter_version=?",
            (key.source_sha256, key.converter, key.converter_version),
        ).fetchone()
        return bytes(row[0]) if row else None

    def store_converted(self, key: ConversionKey, pdf: bytes) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO conversions(source_sha256, converter, converter_version,"
                " pdf) VALUES (?, ?, ?, ?)",
                (key.source_sha256, key.converter, key.converter_version, pdf),
            )

    # -- events (storage/events.py) -------------------------------------------------------

    def record_event(
        self, kind: str, meeting_id: MeetingId | None, payload: Mapping[str, Any]
    ) -> None:
        event_log.record(self._db, datetime.now(UTC), kind, meeting_id, payload)

    def events(self, meeting_id: MeetingId | None = None) -> list[Event]:
        return event_log.read(self._db, meeting_id)
