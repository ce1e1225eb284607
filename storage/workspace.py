"""The workspace: one SQLite file holding every body, case, bilag and meeting.

Implements ``agenda.repository.WorkspaceRepository``. The connection belongs to the thread
that opened the workspace (the GUI thread or the CLI); workers get snapshots, not this.
Every public method that writes runs in a transaction; ``transaction()`` groups several
into one user action.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from agenda.errors import NotFoundError, WorkspaceError
from agenda.model import (
    Body,
    BodyId,
    Case,
    CaseId,
    Meeting,
    MeetingId,
    looks_like_pdf,
)
from agenda.repository import CaseUse, ConversionKey, MeetingSummary, PublicFile, SearchHit
from storage import meetings as meeting_store
from storage import rows, schema, search, shared_cases
from storage._sqlite_utils_import import sqlite_utils
from storage.sqlite_errors import is_situation, workspace_error

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
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
            # before the journal mode, which rewrites the file's header
            schema.refuse_foreign(self.conn, path)
            mode = "WAL" if self.wal else "DELETE"
            self.conn.execute(f"PRAGMA journal_mode = {mode}")
            schema.migrate(self.conn, path)
            # sqlite-utils for reading rows as dicts; writes go through our own transactions,
            # since its write helpers commit on their own.
            self.db = sqlite_utils.Database(self.conn)
        except BaseException as error:
            # a refused file is left closed, so it is not held open (locked on Windows)
            if hasattr(self, "conn"):
                self.conn.close()
            if isinstance(error, sqlite3.DatabaseError):
                raise workspace_error(error, path) from error
            raise
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SqliteWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise workspace_error(error, self.path) from error
        self._depth = 1
        try:
            yield
        except sqlite3.OperationalError as error:
            self._depth = 0
            self._rollback()
            # read-only file, disk full, locked: the user's situation; anything else a bug
            if is_situation(error):
                raise workspace_error(error, self.path) from error
            raise
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            self._rollback()
            raise workspace_error(error, self.path) from error

    def _rollback(self) -> None:
        # After a full disk, an I/O error or a busy COMMIT SQLite may already have rolled
        # back on its own; a second ROLLBACK would then raise "no transaction is active"
        # and hide the user's real situation behind it.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _all(self, sql: str, params: tuple = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    # -- bodies -------------------------------------------------------------------------

    def save_body(self, body: Body) -> Body:
        with self.transaction():
            if body.id is None:
                row = self.conn.execute(
                    "SELECT id FROM bodies WHERE name = ?", (body.name,)
                ).fetchone()
                if row:
                    body = replace(body, id=BodyId(row[0]))
            values = (
                body.name,
                body.numbering.value,
                body.default_place,
                rows.participants_json(body.members),
                body.template,
                rows.dump(dict(body.extra)),
            )
            if body.id is None:
                cur = self.conn.execute(
                    "INSERT INTO bodies(name, numbering, default_place, members, template, extra)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    values,
                )
                return replace(body, id=BodyId(cur.lastrowid))
            self.conn.execute(
                "UPDATE bodies SET name=?, numbering=?, default_place=?, members=?, template=?,"
                " extra=? WHERE id=?",
                (*values, body.id),
            )
            return body

    def bodies(self) -> list[Body]:
        return [rows.body_from(r) for r in self._all("SELECT * FROM bodies ORDER BY name")]

    def _body(self, body_id: int) -> Body:
        return rows.body_from(self._all("SELECT * FROM bodies WHERE id = ?", (body_id,))[0])

    # -- cases --------------------------------------------------------------------------

    def save_case(self, case: Case) -> Case:
        with self.transaction():
            if case.id is None and case.reference:
                row = self.conn.execute(
                    "SELECT id FROM cases WHERE reference = ?", (case.reference,)
                ).fetchone()
                if row:
                    case = replace(case, id=CaseId(row[0]))
            elif case.reference:
                # the user gave this case a number another case already has (an edit)
                other = self.conn.execute(
                    "SELECT title FROM cases WHERE reference = ? AND id != ?",
                    (case.reference, case.id),
                ).fetchone()
                if other:
                    raise WorkspaceError(
                        f"Sagsnummeret {case.reference} bruges allerede af sagen »{other[0]}«. "
                        "Ret sagsnummeret, eller brug den eksisterende sag.",
                        path=str(self.path),
                    )
            values = (
                case.reference,
                case.title,
                case.kind.value,
                case.officer,
                rows.texts_json(case),
                rows.dump(dict(case.extra)),
            )
            if case.id is None:
                cur = self.conn.execute(
                    "INSERT INTO cases(reference, title, kind, officer, texts, extra)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    values,
                )
                case = replace(case, id=CaseId(cur.lastrowid))
            else:
                cur = self.conn.execute(
                    "UPDATE cases SET reference=?, title=?, kind=?, officer=?, texts=?, extra=?"
                    " WHERE id=?",
                    (*values, case.id),
                )
                if cur.rowcount == 0:
                    self.conn.execute(
                        "INSERT INTO cases(reference, title, kind, officer, texts, extra, id)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (*values, case.id),
                    )
            self.conn.execute("DELETE FROM attachments WHERE case_id = ?", (case.id,))
            for position, a in enumerate(case.attachments):
                if not self.conn.execute(
                    "SELECT 1 FROM blobs WHERE sha256 = ?", (a.sha256,)
                ).fetchone():
                    raise NotFoundError(
                        f"Bilaget »{a.title}« ({a.file_name}) har ingen fil i arbejdsområdet. "
                        "Tilføj filen igen."
                    )
                self.conn.execute(
                    "INSERT INTO attachments(id, case_id, position, title, file_name, media_type,"
                    " size, sha256, confidential, extra) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        a.id,
                        case.id,
                        position,
                        a.title,
                        a.file_name,
                        a.media_type,
                        a.size,
                        a.sha256,
                        int(a.confidential),
                        rows.dump(dict(a.extra)),
                    ),
                )
            search.index_case(self.conn, case.id)
            return case

    def _cases(self, ids: list[int]) -> dict[int, Case]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        attachments: dict[int, list] = {}
        for r in self._all(
            f"SELECT * FROM attachments WHERE case_id IN ({marks}) ORDER BY case_id, position",
            tuple(ids),
        ):
            attachments.setdefault(r["case_id"], []).append(rows.attachment_from(r))
        return {
            r["id"]: rows.case_from(r, tuple(attachments.get(r["id"], ())))
            for r in self._all(f"SELECT * FROM cases WHERE id IN ({marks})", tuple(ids))
        }

    def case(self, case_id: CaseId) -> Case:
        found = self._cases([case_id])
        if case_id not in found:
            raise NotFoundError(f"Sagen med id {case_id} findes ikke i arbejdsområdet.")
        return found[case_id]

    def cases(self) -> list[Case]:
        ids = [r[0] for r in self.conn.execute("SELECT id FROM cases ORDER BY id DESC")]
        found = self._cases(ids)
        return [found[i] for i in ids]

    def case_by_reference(self, reference: str) -> Case | None:
        if not reference:
            return None
        row = self.conn.execute("SELECT id FROM cases WHERE reference = ?", (reference,)).fetchone()
        return self.case(CaseId(row[0])) if row else None

    def case_meetings(self, case_id: CaseId) -> list[MeetingId]:
        return [
            MeetingId(r[0])
            for r in self.conn.execute(
                "SELECT DISTINCT i.meeting_id FROM items i JOIN meetings m ON m.id = i.meeting_id "
                "WHERE i.case_id = ? ORDER BY m.start",
                (case_id,),
            )
        ]

    def case_uses(self, case_ids: Iterable[CaseId]) -> list[CaseUse]:
        return shared_cases.case_uses(self, case_ids)

    def public_files(self, sha256s: Iterable[str]) -> list[PublicFile]:
        return shared_cases.public_files(self, sha256s)

    def delete_case(self, case_id: CaseId) -> None:
        with self.transaction():
            if self.case_meetings(case_id):
                raise WorkspaceError(
                    "Sagen står på en dagsorden og kan ikke slettes. Fjern den fra møderne først."
                )
            self.conn.execute("DELETE FROM attachments WHERE case_id = ?", (case_id,))
            self.conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            self.conn.execute("DELETE FROM cases_fts WHERE rowid = ?", (case_id,))

    def search_cases(self, query: str, limit: int = 50) -> list[SearchHit]:
        return search.search(self.conn, query, limit)

    def confidential_sha256s(self, sha256s: Iterable[str]) -> set[str]:
        return shared_cases.confidential_sha256s(self, sha256s)

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
            raise NotFoundError(f"Bilagsfilen {sha256[:12]}… findes ikke i arbejdsområdet.")
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
        return meeting_store.save_meeting(self, meeting)

    def meeting(self, meeting_id: MeetingId) -> Meeting:
        return meeting_store.load_meeting(self, meeting_id)

    def meetings(self) -> list[MeetingSummary]:
        return meeting_store.meeting_summaries(self)

    def delete_meeting(self, meeting_id: MeetingId) -> None:
        meeting_store.delete_meeting(self, meeting_id)

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
