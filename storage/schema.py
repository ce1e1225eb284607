"""The workspace schema, as numbered migrations run forward against ``PRAGMA user_version``.

Each migration runs in its own transaction; before migrating a file that already holds
data, a copy is taken through SQLite's backup API (``<file>.backup-v<N>``), so a failed
or regretted upgrade can always be undone by hand.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from agenda.errors import WorkspaceError

_V1 = [
    """CREATE TABLE bodies (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, numbering TEXT NOT NULL,
        default_place TEXT, members TEXT, template TEXT, extra TEXT)""",
    """CREATE TABLE cases (
        id INTEGER PRIMARY KEY, reference TEXT NOT NULL DEFAULT '', title TEXT NOT NULL,
        kind TEXT NOT NULL, officer TEXT, texts TEXT, extra TEXT)""",
    # case numbers are unique where given; "" marks a case without one
    "CREATE UNIQUE INDEX idx_cases_reference ON cases(reference) WHERE reference != ''",
    "CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL)",
    """CREATE TABLE attachments (
        id TEXT PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, title TEXT NOT NULL, file_name TEXT NOT NULL,
        media_type TEXT, size INTEGER, sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        confidential INTEGER NOT NULL DEFAULT 0, extra TEXT)""",
    "CREATE INDEX idx_attachments_case ON attachments(case_id, position)",
    "CREATE INDEX idx_attachments_sha ON attachments(sha256)",
    "CREATE TABLE attachment_texts (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL)",
    """CREATE TABLE meetings (
        id INTEGER PRIMARY KEY, body_id INTEGER NOT NULL REFERENCES bodies(id),
        title TEXT NOT NULL, start TEXT NOT NULL, end TEXT, location TEXT,
        status TEXT NOT NULL, participants TEXT, extra TEXT,
        version INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX idx_meetings_start ON meetings(start)",
    """CREATE TABLE sections (
        id TEXT PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, name TEXT NOT NULL, extra TEXT)""",
    """CREATE TABLE items (
        id TEXT PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        section_id TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
        case_id INTEGER REFERENCES cases(id), closed INTEGER NOT NULL DEFAULT 0,
        decision TEXT NOT NULL DEFAULT '', extra TEXT)""",
    "CREATE INDEX idx_items_meeting ON items(meeting_id, position)",
    "CREATE INDEX idx_items_case ON items(case_id)",
    """CREATE TABLE conversions (
        source_sha256 TEXT NOT NULL, converter TEXT NOT NULL, converter_version TEXT NOT NULL,
        pdf BLOB NOT NULL, PRIMARY KEY (source_sha256, converter, converter_version))""",
    # One row per case: what search looks through. Diacritics are kept (æ, ø, å are letters
    # of their own in Danish). Prefix indexes make "klynge*" as fast as a word (they cost
    # index size; prefixes longer than 6 letters use the 6-letter one and filter).
    """CREATE VIRTUAL TABLE cases_fts USING fts5(
        reference, title, body, bilag, tokenize = 'unicode61 remove_diacritics 0',
        prefix = '2 3 4 5 6')""",
]


def _v1(conn: sqlite3.Connection) -> None:
    # Plain DDL rather than sqlite-utils' create(): that commits on its own, and a
    # migration must commit together with its user_version or not at all.
    for statement in _V1:
        conn.execute(statement)


_V2 = [
    # What was done that someone may have to answer for later: a public edition exported
    # despite preflight errors (--force), with who, when and which findings.
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL,
        meeting_id INTEGER, payload TEXT NOT NULL)""",
    "CREATE INDEX idx_events_meeting ON events(meeting_id)",
]


def _v2(conn: sqlite3.Connection) -> None:
    for statement in _V2:
        conn.execute(statement)


_V3 = [
    # A meeting that was sent or held is a record: each of its items keeps its own copy of
    # its case (texts, officer, title and the bilag list with each bilag's confidentiality),
    # so editing the case for the next meeting, or importing another meeting with the same
    # case number, never changes what was sent or decided. The rows mirror cases and
    # attachments; a later version can give every item (draft ones too) its own copy.
    """CREATE TABLE item_cases (
        item_id TEXT PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        case_id INTEGER REFERENCES cases(id), reference TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL, kind TEXT NOT NULL, officer TEXT, texts TEXT, extra TEXT)""",
    "CREATE INDEX idx_item_cases_meeting ON item_cases(meeting_id)",
    """CREATE TABLE item_case_attachments (
        item_id TEXT NOT NULL REFERENCES item_cases(item_id) ON DELETE CASCADE,
        position INTEGER NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL,
        file_name TEXT NOT NULL, media_type TEXT, size INTEGER,
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        confidential INTEGER NOT NULL DEFAULT 0, extra TEXT, PRIMARY KEY (item_id, position))""",
    "CREATE INDEX idx_item_case_attachments_sha ON item_case_attachments(sha256)",
    # The meetings already sent or held keep their cases as they are now (the statuses are
    # written out: a migration must mean the same thing whatever later code calls them).
    """INSERT INTO item_cases(item_id, meeting_id, case_id, reference, title, kind, officer,
        texts, extra)
        SELECT i.id, i.meeting_id, c.id, c.reference, c.title, c.kind, c.officer, c.texts,
        c.extra FROM items i JOIN meetings m ON m.id = i.meeting_id
        JOIN cases c ON c.id = i.case_id
        WHERE m.status IN ('sent', 'held', 'minutes_approved')""",
    """INSERT INTO item_case_attachments(item_id, position, id, title, file_name, media_type,
        size, sha256, confidential, extra)
        SELECT r.item_id, a.position, a.id, a.title, a.file_name, a.media_type, a.size,
        a.sha256, a.confidential, a.extra
        FROM item_cases r JOIN attachments a ON a.case_id = r.case_id""",
]


def _v3(conn: sqlite3.Connection) -> None:
    for statement in _V3:
        conn.execute(statement)


_V4 = [
    # Every item (drafts too) holds its own copy of its case: editing one meeting never
    # changes another, and the library keeps the case's current text. The drafts' items
    # get theirs now, as the library has the case at this moment.
    """CREATE TEMP TABLE v4_items AS SELECT i.id AS item_id, i.case_id FROM items i
        WHERE i.case_id IS NOT NULL AND i.id NOT IN (SELECT item_id FROM item_cases)""",
    """INSERT INTO item_cases(item_id, meeting_id, case_id, reference, title, kind, officer,
        texts, extra)
        SELECT i.id, i.meeting_id, c.id, c.reference, c.title, c.kind, c.officer, c.texts,
        c.extra FROM v4_items n JOIN items i ON i.id = n.item_id
        JOIN cases c ON c.id = n.case_id""",
    """INSERT INTO item_case_attachments(item_id, position, id, title, file_name, media_type,
        size, sha256, confidential, extra)
        SELECT n.item_id, a.position, a.id, a.title, a.file_name, a.media_type, a.size,
        a.sha256, a.confidential, a.extra
        FROM v4_items n JOIN attachments a ON a.case_id = n.case_id""",
    "DROP TABLE temp.v4_items",
    # What was sent ("Udsend") or approved (the minutes): the exact files, by SHA-256 in
    # blobs (stored once however often sent), with time (UTC), user, note and the meeting
    # as it was (agenda/meeting_codec.py JSON) for the change list to compare against.
    """CREATE TABLE sent_versions (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, at TEXT NOT NULL, user TEXT NOT NULL, note TEXT NOT NULL,
        meeting TEXT NOT NULL, parent_id INTEGER REFERENCES sent_versions(id))""",
    "CREATE INDEX idx_sent_versions_meeting ON sent_versions(meeting_id, id)",
    """CREATE TABLE sent_version_files (
        version_id INTEGER NOT NULL REFERENCES sent_versions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, name TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES blobs(sha256), size INTEGER NOT NULL,
        PRIMARY KEY (version_id, position), UNIQUE (version_id, name))""",
    # Corrections to approved minutes: additions, never edits (item_id NULL: the meeting).
    """CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        item_id TEXT, at TEXT NOT NULL, user TEXT NOT NULL, text TEXT NOT NULL)""",
    "CREATE INDEX idx_corrections_meeting ON corrections(meeting_id, id)",
]


def _v4(conn: sqlite3.Connection) -> None:
    for statement in _V4:
        conn.execute(statement)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4]
SCHEMA_VERSION = len(MIGRATIONS)


def refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's SQLite file before anything is written to it.

    Version 0 is a new, empty file: the first migration creates every table. A file at
    version 0 that already has tables belongs to some other program; migrating it would
    add our tables to it (or fail half-way on a name both use)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != 0:
        return
    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise WorkspaceError(
            f"Filen {path} er en database fra et andet program, ikke et arbejdsområde fra "
            "KKR Dagsorden. Filen er ikke ændret. Vælg en anden fil, eller opret et nyt "
            "arbejdsområde.",
            path=str(path),
        )


def migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise WorkspaceError(
            f"Arbejdsområdet {path} er lavet af en nyere version af KKR Dagsorden "
            f"(version {current}; denne version kender {SCHEMA_VERSION}). "
            "Opdatér programmet, før du åbner filen.",
            path=str(path),
        )
    if current < SCHEMA_VERSION and current > 0 and path is not None:
        _backup(conn, path.with_name(f"{path.name}.backup-v{current}"))
    for version in range(current, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _backup(conn: sqlite3.Connection, target: Path) -> None:
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
