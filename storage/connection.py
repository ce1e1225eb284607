"""The workspace's SQLite connection and its transactions, shared by the storage modules.

``SqliteWorkspace`` owns one; the modules that store one kind of thing (cases, meetings,
their records, events) take it as their first argument, so none of them reaches into the
workspace's own attributes. It belongs to the thread that opened the workspace.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from storage._sqlite_utils_import import sqlite_utils
from storage.sqlite_errors import is_situation, workspace_error


class Connection:
    def __init__(self, raw: sqlite3.Connection, path: Path) -> None:
        #: The sqlite3 connection (tests and benchmarks read the tables through it).
        self.raw = raw
        self.path = path
        # sqlite-utils for reading rows as dicts; writes go through our own transactions,
        # since its write helpers commit on their own.
        self._db = sqlite_utils.Database(raw)
        self._depth = 0

    def execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return self.raw.execute(sql, params)

    def rows(self, sql: str, params: tuple = ()) -> list[dict]:
        return list(self._db.query(sql, params))

    def close(self) -> None:
        self.raw.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action: everything inside commits together or not at all. Nests."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.raw.execute("BEGIN IMMEDIATE")
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
            self.raw.execute("COMMIT")
        except sqlite3.OperationalError as error:
            self._rollback()
            raise workspace_error(error, self.path) from error

    def _rollback(self) -> None:
        # After a full disk, an I/O error or a busy COMMIT SQLite may already have rolled
        # back on its own; a second ROLLBACK would then raise "no transaction is active"
        # and hide the user's real situation behind it.
        if self.raw.in_transaction:
            self.raw.execute("ROLLBACK")
