"""Full-text search over cases: FTS5, Danish text with diacritics kept.

Ranking strategy (measured by ``benchmarks/search.py``): FTS5's bm25 has to score every
match before it can pick the best 50, which costs ~100 ms when a common word matches half
of 100,000 cases. So:

- when the query matches at most ``FULL_RANK_LIMIT`` cases, all of them are ranked by
  bm25 (title and case number weigh more than the text);
- when it matches more, only the cases whose *title or case number* match are candidates
  (a few thousand at most), ranked by bm25 over all columns, and if they are fewer than
  the limit the text-only matches follow newest first. What that costs: a text-only match
  can no longer outrank a title match. Measured on 100,000 cases, the top 50 of a word in
  half the cases shares ~92% with a full bm25 ranking, at ~7 ms instead of ~100 ms.
  A query with a phrase of common words ranks its title matches by the title alone: a
  phrase is checked position by position, and checking it over every column a second
  time costs ~100 ms.

Snippets are computed for the returned rows only.
"""

from __future__ import annotations

import json
import re
import sqlite3

from agenda.model import CaseId
from agenda.repository import SearchHit

FULL_RANK_LIMIT = 2000
# bm25 weights per column: reference, title, body, bilag
_WEIGHTS = "bm25(cases_fts, 8.0, 4.0, 1.0, 0.5)"
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """User input as a safe FTS5 query: words AND-ed, ``"a phrase"`` kept, ``ord*`` a prefix.

    Every term is quoted, so no input can be an FTS5 syntax error.
    """
    terms: list[str] = []
    for phrase, word in _TOKEN.findall(text):
        if phrase:
            words = _WORD.findall(phrase)
            if words:
                terms.append('"' + " ".join(words) + '"')
            continue
        prefix = word.endswith("*")
        for part in _WORD.findall(word):
            terms.append(f'"{part}"')
        if prefix and terms and _WORD.findall(word):
            terms[-1] += "*"
    return " ".join(terms)


def _has_phrase(text: str) -> bool:
    return any(len(_WORD.findall(phrase)) > 1 for phrase, _ in _TOKEN.findall(text))


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[SearchHit]:
    query = fts_query(text)
    if not query:
        return []
    matches = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM cases_fts WHERE cases_fts MATCH ? LIMIT ?)",
        (query, FULL_RANK_LIMIT + 1),
    ).fetchone()[0]
    if matches <= FULL_RANK_LIMIT:
        ids = [
            r[0]
            for r in conn.execute(
                f"SELECT rowid FROM cases_fts WHERE cases_fts MATCH ? ORDER BY {_WEIGHTS} LIMIT ?",
                (query, limit),
            )
        ]
    else:
        head = "{reference title} : (" + query + ")"
        if not _has_phrase(text):
            # "title matches" AND "the query": bm25 scores the second set over every
            # column, so among the title matches the text still counts, as in a full ranking
            head += " AND (" + query + ")"
        ids = [
            r[0]
            for r in conn.execute(
                f"SELECT rowid FROM cases_fts WHERE cases_fts MATCH ? ORDER BY {_WEIGHTS} LIMIT ?",
                (head, limit),
            )
        ]
        if len(ids) < limit:
            seen = set(ids)
            for (rowid,) in conn.execute(
                "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                (query, limit + len(ids)),
            ):
                if rowid not in seen:
                    ids.append(rowid)
                    if len(ids) == limit:
                        break
    return _hits(conn, query, ids)


def _hits(conn: sqlite3.Connection, query: str, ids: list[int]) -> list[SearchHit]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT rowid, reference, title, "
        f"snippet(cases_fts, -1, '[', ']', '…', 14) FROM cases_fts "
        f"WHERE cases_fts MATCH ? AND rowid IN ({marks})",
        (query, *ids),
    ).fetchall()
    by_id = {r[0]: r for r in rows}
    return [SearchHit(CaseId(i), by_id[i][1], by_id[i][2], by_id[i][3]) for i in ids if i in by_id]


def index_case(conn: sqlite3.Connection, case_id: int) -> None:
    """(Re)write the search row of one case from its stored texts and bilag texts."""
    row = conn.execute(
        "SELECT reference, title, texts FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    conn.execute("DELETE FROM cases_fts WHERE rowid = ?", (case_id,))
    if row is None:
        return
    texts = json.loads(row[2] or "{}")
    bilag = " ".join(
        r[0]
        for r in conn.execute(
            "SELECT a.title || ' ' || coalesce(t.text, '') FROM attachments a "
            "LEFT JOIN attachment_texts t ON t.sha256 = a.sha256 "
            "WHERE a.case_id = ? ORDER BY a.position",
            (case_id,),
        )
    )
    conn.execute(
        "INSERT INTO cases_fts(rowid, reference, title, body, bilag) VALUES (?, ?, ?, ?, ?)",
        (case_id, row[0], row[1], "\n".join(texts.values()), bilag),
    )
