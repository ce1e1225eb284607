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

A case number (``24/04521``, ``24-045``: digits and letters joined by punctuation, no
space) is one term, not two words: its parts must stand next to each other (a phrase), and
its last part is a prefix, so a partial number finds the numbers it begins. A case whose
case number it is comes first (exactly that number before numbers it only begins), then
the cases that mention it, ranked as above.

Snippets are computed for the returned rows only, at a cost bounded by their text
(``storage.search_snippets``).
"""

from __future__ import annotations

import json
import re
import sqlite3

from agenda.model import CaseId
from agenda.repository import SearchHit
from storage.search_snippets import SnippetBuilder, Term

FULL_RANK_LIMIT = 2000
# bm25 weights per column: reference, title, body, bilag
_WEIGHTS = "bm25(cases_fts, 8.0, 4.0, 1.0, 0.5)"
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
# what the unicode61 tokenizer keeps as a token: letters and digits ("_" separates)
_PART = re.compile(r"[^\W_]+")


def case_number_parts(word: str) -> list[str] | None:
    """The parts of a case number as the index holds them (``24/04521`` -> 24, 04521), or
    None when ``word`` is not one: at least two parts joined without a space, with a digit."""
    parts = _PART.findall(word)
    if len(parts) > 1 and any(ch.isdigit() for ch in word):
        return parts
    return None


def _number_term(parts: list[str]) -> str:
    return '"' + " ".join(parts) + '"*'


def fts_query(text: str) -> str:
    """User input as a safe FTS5 query: words AND-ed, ``"a phrase"`` kept, ``ord*`` a prefix,
    a case number ``24/045`` a phrase whose last part is a prefix (``"24 045"*``).

    Every term is quoted, so no input can be an FTS5 syntax error.
    """
    return " ".join(
        '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in query_terms(text)
    )


def query_terms(text: str) -> list[Term]:
    """The terms of the user's input, as the index matches them (see ``fts_query``)."""
    terms: list[Term] = []
    for phrase, word in _TOKEN.findall(text):
        if phrase:
            words = _WORD.findall(phrase)
            if words:
                terms.append(Term(tuple(words)))
            continue
        number = case_number_parts(word)
        if number:
            terms.append(Term(tuple(number), prefix=True))
            continue
        parts = _WORD.findall(word)
        terms += [Term((part,)) for part in parts]
        if parts and word.endswith("*"):
            terms[-1] = Term((parts[-1],), prefix=True)
    return terms


def _has_phrase(text: str) -> bool:
    return any(len(_WORD.findall(phrase)) > 1 for phrase, _ in _TOKEN.findall(text))


def _case_numbers(text: str) -> list[list[str]]:
    """The case numbers written outside quotes in the user's input."""
    found = []
    for phrase, word in _TOKEN.findall(text):
        parts = None if phrase else case_number_parts(word)
        if parts:
            found.append([p.lower() for p in parts])
    return found


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[SearchHit]:
    query = fts_query(text)
    if not query:
        return []
    numbers = _case_numbers(text)
    ids = _by_case_number(conn, numbers, query, limit) if numbers else []
    if len(ids) < limit:
        seen = set(ids)
        ids += [i for i in _ranked(conn, query, text, limit + len(ids)) if i not in seen]
    return _hits(conn, query_terms(text), ids[:limit])


def _by_case_number(
    conn: sqlite3.Connection, numbers: list[list[str]], query: str, limit: int
) -> list[int]:
    """The cases whose own case number the query names: that exact number first, then
    the numbers it begins (best ranked, or newest first when very many do)."""
    in_reference = "{reference} : (" + " OR ".join(_number_term(n) for n in numbers) + ")"
    match = f"{in_reference} AND ({query})"
    matches = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM cases_fts WHERE cases_fts MATCH ? LIMIT ?)",
        (match, FULL_RANK_LIMIT + 1),
    ).fetchone()[0]
    if not matches:
        return []
    order = _WEIGHTS if matches <= FULL_RANK_LIMIT else "rowid DESC"
    rows = conn.execute(
        f"SELECT rowid, reference FROM cases_fts WHERE cases_fts MATCH ? ORDER BY {order} LIMIT ?",
        (match, limit),
    ).fetchall()
    # the exact number, whatever the separator (24-04521 is 24/04521); among very many
    # matches it may not be in the first rows, so it is looked up on its own
    starts = " OR ".join("^" + _number_term(n)[:-1] for n in numbers)
    exact_rows = conn.execute(
        "SELECT rowid, reference FROM cases_fts WHERE cases_fts MATCH ?",
        (f"{{reference}} : ({starts}) AND ({query})",),
    ).fetchall()
    wanted = {tuple(n) for n in numbers}
    exact = [r[0] for r in exact_rows if tuple(_PART.findall(r[1].lower())) in wanted]
    return exact + [r[0] for r in rows if r[0] not in exact]


def _ranked(conn: sqlite3.Connection, query: str, text: str, limit: int) -> list[int]:
    """Every case the query matches, best first (see the module's ranking strategy)."""
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
    return ids


def _hits(conn: sqlite3.Connection, terms: list[Term], ids: list[int]) -> list[SearchHit]:
    """The returned rows with their snippets (see ``storage.search_snippets`` for why not
    FTS5's snippet())."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT rowid, reference, title, body, bilag FROM cases_fts WHERE rowid IN ({marks})",
        ids,
    ).fetchall()
    builder = SnippetBuilder(terms)
    by_id = {r[0]: r for r in rows}
    return [
        SearchHit(CaseId(i), by_id[i][1], by_id[i][2], builder.snippet(by_id[i][1:]))
        for i in ids
        if i in by_id
    ]


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
