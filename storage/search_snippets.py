"""The snippet shown under a search hit: a few words around the matches, marked ``[…]``.

Not FTS5's ``snippet()``: it scores every window around every instance of the query in
a column against every other instance, so its cost grows with the square of how often a
word occurs (``k*`` over one 300-page bilag took 6-7 s, 200,000 occurrences 199 s), and
``highlight()`` copies its growing result once per instance. Here each term becomes a
regular expression that mirrors the unicode61 tokenizer (letters and digits are word
characters, case folded, diacritics kept), a column is scanned once in C and the scan
stops after ``MAX_MATCHES`` matches, and the words of the snippet are cut from a slice of
at most ``2 * CONTEXT_CHARS`` characters. So a hit costs at most one pass over its text,
however often the word occurs (``benchmarks/search_snippets.py`` measures it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: the matches of one column considered for the best window; beyond it only more of the
#: same, and scoring them all is what made FTS5's snippet quadratic
MAX_MATCHES = 64
#: words in a snippet, as FTS5's snippet(…, 14) gave
TOKENS = 14
#: the width of text whose matches count together for a window (about TOKENS words)
WINDOW_CHARS = 100
#: how far around a match the snippet's words are looked for (a word longer than this
#: is cut, as no snippet line can show it anyway)
CONTEXT_CHARS = 200
_TOKEN = re.compile(r"[^\W_]+")
_WORD_CHAR = r"[^\W_]"
#: is there any word before or after the snippet (one character: a token would run on
#: over a word of a million characters)
_ANY_WORD = re.compile(_WORD_CHAR)


@dataclass(frozen=True, slots=True)
class Term:
    """One query term as the index matches it: consecutive words, the last maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def pattern(self) -> str:
        # as the tokenizer splits them: "foo_bar" is two words
        words = [part for word in self.words for part in _TOKEN.findall(word)]
        first = re.escape(words[0])
        rest = "".join(r"[\W_]+" + re.escape(w) for w in words[1:])
        end = f"{_WORD_CHAR}*" if self.prefix else f"(?!{_WORD_CHAR})"
        # the word first and what precedes it checked after: a pattern that begins with a
        # literal is searched for ~20 times faster than one that begins with a lookbehind
        return f"{first}(?<!{_WORD_CHAR}{first}){rest}{end}"


class SnippetBuilder:
    """Snippets for one query: built once, used for each returned row."""

    def __init__(self, terms: Sequence[Term]) -> None:
        # a term given twice is one term: the regex's first alternative takes its matches
        wanted = (t for t in terms if any(_TOKEN.search(w) for w in t.words))
        self._terms = list(dict.fromkeys(wanted))
        alternatives = "|".join(f"({t.pattern()})" for t in self._terms)
        self._regex = re.compile(alternatives, re.IGNORECASE) if alternatives else None

    def snippet(self, columns: Sequence[str]) -> str:
        """The best window over ``columns`` (the most distinct terms; ties: the first), or
        the first window that has every term (the columns after it are not read)."""
        best: tuple[int, int, int, int] | None = None  # score, -column, start, end
        every_term = 1000 * len(self._terms)
        for index, text in enumerate(columns):
            found = self._best_window(text or "")
            if found and (best is None or (found[0], -index) > best[:2]):
                best = (found[0], -index, found[1], found[2])
                if found[0] >= every_term:
                    break
        if best is None:
            return ""
        return self._render(columns[-best[1]], best[2], best[3])

    def _matches(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, term) of the first MAX_MATCHES matches: one scan, stopped early."""
        found = []
        if self._regex is None:
            return found
        for match in self._regex.finditer(text):
            found.append((match.start(), match.end(), (match.lastindex or 1) - 1))
            if len(found) == MAX_MATCHES:
                break
        return found

    def _best_window(self, text: str) -> tuple[int, int, int] | None:
        """(score, start, end) of the window of matches scoring best: 1000 per distinct term
        in it, 1 per match, so a window with both words beats one with the first twice."""
        matches = self._matches(text)
        best = None
        for i, (start, _, _) in enumerate(matches):
            seen: set[int] = set()
            score = 0
            end = start
            for _, e, term in matches[i:]:
                if e - start > WINDOW_CHARS:
                    break
                score += 1 if term in seen else 1000
                seen.add(term)
                end = e
            if best is None or score > best[0]:
                best = (score, start, end)
        return best

    def _render(self, text: str, start: int, end: int) -> str:
        """TOKENS words around [start, end), matches marked, ``…`` where the text goes on."""
        low = max(0, start - CONTEXT_CHARS)
        high = min(len(text), max(end, start + CONTEXT_CHARS) + CONTEXT_CHARS)
        tokens = [m.span() for m in _TOKEN.finditer(text, low, high)]
        if tokens and low > 0 and tokens[0][0] == low and _ANY_WORD.match(text, low - 1):
            tokens.pop(0)  # the slice began inside a word
        if not tokens:
            return ""
        first = next((i for i, t in enumerate(tokens) if t[1] > start), 0)
        last = max(first, next((i for i, t in enumerate(tokens) if t[0] >= end), len(tokens)) - 1)
        # the matches in the middle, as many words before them as after
        begin = max(0, first - max(0, (TOKENS - (last - first + 1)) // 2))
        stop = min(len(tokens), max(begin + TOKENS, last + 1))
        begin = max(0, min(begin, stop - TOKENS))
        cut_from, cut_to = tokens[begin][0], tokens[stop - 1][1]
        head = "…" if (begin > 0 or low > 0) and _ANY_WORD.search(text, 0, cut_from) else ""
        if _ANY_WORD.search(text, cut_to):
            tail = "…"
        else:  # the end of the column: its last full stop too
            cut_to = min(len(text), cut_to + CONTEXT_CHARS // 4)
            tail = ""
        return f"{head}{self._mark(text[cut_from:cut_to])}{tail}"

    def _mark(self, piece: str) -> str:
        if self._regex is None:
            return piece
        return self._regex.sub(lambda m: f"[{m.group(0)}]", piece)
