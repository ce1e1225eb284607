"""Full-text search over cases: what it finds, Danish letters kept, hostile input, ranking."""

from __future__ import annotations

import pytest

from agenda.model import Case, ItemKind, TextSection
from storage import search, search_snippets
from storage.workspace import open_workspace
from tests.factories import attachment

PDF = b"%PDF-1.4 bilag"


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as workspace:
        yield workspace


def _case(ws, title, reference, text="", **kw):
    return ws.save_case(
        Case(
            title=title,
            reference=reference,
            kind=ItemKind.DECISION,
            texts={TextSection.SAGSFREMSTILLING: text},
            **kw,
        )
    )


def _found(ws, query):
    return [h.reference for h in ws.search_cases(query)]


def test_finds_by_case_number_title_text_and_bilag_text(ws):
    sha = ws.store_blob(PDF)
    _case(ws, "Evaluering af klyngekontorer", "24/04521", "Rambøll har evalueret.")
    _case(
        ws,
        "Drikkevand",
        "24/01111",
        "Grundvandet i Hillerød.",
        attachments=(attachment("Kortbilag", PDF, "kort.pdf"),),
    )
    ws.set_attachment_text(sha, "Boringer ved Tryggevælde Å")
    assert _found(ws, "24/04521") == ["24/04521"]
    assert _found(ws, "klyngekontorer") == ["24/04521"]
    assert _found(ws, "Rambøll") == ["24/04521"]
    assert _found(ws, "Tryggevælde") == ["24/01111"]
    hit = ws.search_cases("Tryggevælde")[0]
    assert "[Tryggevælde]" in hit.snippet


def test_danish_letters_are_kept(ws):
    _case(ws, "Grundvand", "24/00001", "Boringer i Hillerød og Køge.")
    assert _found(ws, "Hillerød") == ["24/00001"]
    assert _found(ws, "hillerød") == ["24/00001"]
    assert _found(ws, "Hillerod") == []
    assert _found(ws, "Koge") == []


def test_prefix_phrase_and_words_anded(ws):
    _case(ws, "Regionale klyngekontorer", "24/00001", "viden og erhverv")
    _case(ws, "Klynger i regionen", "24/00002", "erhverv uden viden om kontorer")
    assert sorted(_found(ws, "klynge*")) == ["24/00001", "24/00002"]
    assert _found(ws, '"regionale klyngekontorer"') == ["24/00001"]
    assert _found(ws, '"klyngekontorer regionale"') == []
    assert _found(ws, "regionale viden") == ["24/00001"]


@pytest.mark.parametrize(
    "query", ['"', "AND", "OR NOT", "*", "NEAR(", "-", "a:b", "(", "^", "'", '""', "   ", ""]
)
def test_hostile_input_never_raises(ws, query):
    _case(ws, "Sag", "24/00001", "and or not near")
    assert isinstance(ws.search_cases(query), list)


def test_a_title_match_ranks_above_a_text_only_match(ws):
    _case(ws, "Kystbeskyttelse", "24/00001", "diger og sand")
    _case(ws, "Sand og diger", "24/00002", "Om kystbeskyttelse i en bisætning blandt mange ord.")
    assert _found(ws, "kystbeskyttelse") == ["24/00001", "24/00002"]


def test_very_common_words_rank_title_matches_first_then_newest(ws, monkeypatch):
    monkeypatch.setattr(search, "FULL_RANK_LIMIT", 3)
    for n in range(1, 7):
        _case(ws, f"Sag {n}", f"24/0000{n}", "kommune " * n)
    _case(ws, "Kommune i titlen", "24/00099", "ingen")
    found = _found(ws, "kommune")
    assert found[0] == "24/00099"
    assert found[1:] == [f"24/0000{n}" for n in range(6, 0, -1)]  # newest first


def test_fts_query_quotes_every_term():
    assert search.fts_query('klynge* "regionale kontorer" NEAR(') == (
        '"klynge"* "regionale kontorer" "NEAR"'
    )


def test_very_common_words_still_weigh_the_text_among_title_matches(ws, monkeypatch):
    monkeypatch.setattr(search, "FULL_RANK_LIMIT", 3)
    for n in range(1, 11):
        _case(ws, f"Sag {n}", f"24/0000{n}", "veje og stier")
    for n in range(11, 15):
        _case(ws, f"Sag {n}", f"24/000{n}", "kommune og region")
    _case(ws, "Kommune Køge", "24/00100", "intet om emnet")
    _case(ws, "Kommune Roskilde", "24/00101", "kommune " * 3)
    # the titles score the same; the text decides, as in a full bm25 ranking
    assert _found(ws, "kommune")[:2] == ["24/00101", "24/00100"]


def test_a_common_phrase_ranks_title_matches_first_then_newest(ws, monkeypatch):
    monkeypatch.setattr(search, "FULL_RANK_LIMIT", 2)
    for n in range(1, 5):
        _case(ws, f"Sag {n}", f"24/0000{n}", "den regionale udvikling")
    _case(ws, "Regionale udvikling i Sjælland", "24/00099", "ingen")
    _case(ws, "Udvikling regionale", "24/00098", "den regionale udvikling")  # not the phrase
    found = _found(ws, '"regionale udvikling"')
    assert found == ["24/00099", "24/00098", "24/00004", "24/00003", "24/00002", "24/00001"]


def test_fts_query_keeps_a_case_number_together_and_its_last_part_a_prefix():
    assert search.fts_query("24/04521") == '"24 04521"*'
    assert search.fts_query("24-045 klynge") == '"24 045"* "klynge"'
    assert search.fts_query("24/04521-12") == '"24 04521 12"*'
    # words joined by a hyphen are still words (no digit: not a case number)
    assert search.fts_query("KKR-møde") == '"KKR" "møde"'


def test_a_case_number_finds_that_case_not_its_parts_far_apart(ws):
    _case(ws, "Evaluering af klyngekontorer", "24/04521", "Rambøll har evalueret.")
    _case(ws, "Budget", "24/00001", "I 24 kommuner blev der i sag 04521 besluttet")
    _case(ws, "Opfølgning", "24/00002", "Se også sag 24/04521 om klyngerne.")
    assert _found(ws, "24/04521") == ["24/04521", "24/00002"]
    assert "24/00001" not in _found(ws, "24/04521")


def test_the_exact_case_number_comes_before_numbers_it_begins_and_mentions(ws):
    # bm25 alone would put the cases that repeat the number first
    _case(ws, "Opfølgning på 24/04521", "24/045210", "24/04521 " * 20)
    _case(ws, "Henvisning til 24/04521", "24/01111", "24/04521 " * 20)
    _case(ws, "Evaluering af klyngekontorer", "24/04521", "Rambøll har evalueret.")
    assert _found(ws, "24/04521") == ["24/04521", "24/045210", "24/01111"]


def test_a_partial_case_number_finds_the_numbers_it_begins_first(ws):
    _case(ws, "Nævner nummeret", "24/00001", "Sagen hænger sammen med 24/04599 og 24/04521.")
    _case(ws, "Evaluering", "24/04521", "tekst")
    _case(ws, "Drikkevand", "24/04599", "tekst")
    _case(ws, "Andet år", "23/04521", "tekst")
    _case(ws, "Spredt", "24/00002", "I 24 kommuner, sag 045")
    found = _found(ws, "24/045")
    assert sorted(found[:2]) == ["24/04521", "24/04599"]
    assert found[2:] == ["24/00001"]
    assert _found(ws, "24/0452") == ["24/04521", "24/00001"]


@pytest.mark.parametrize("query", ["24/04521", "24-04521", "24.04521", "24_04521"])
def test_a_case_number_is_found_whatever_the_separator(ws, query):
    _case(ws, "Evaluering", "24/04521", "tekst")
    _case(ws, "Med bindestreg", "25-00007", "tekst")
    assert _found(ws, query) == ["24/04521"]
    assert _found(ws, query.replace("24", "25").replace("04521", "00007")) == ["25-00007"]


def test_a_one_character_partial_finds_its_numbers_with_snippets(ws):
    _case(ws, "Først", "24/01000", "tekst")
    _case(ws, "Andet", "24/09000", "tekst")
    _case(ws, "Tredje", "24/10000", "tekst")
    _case(ws, "Fjerde", "25/01000", "tekst")
    hits = ws.search_cases("24/0")
    assert sorted(h.reference for h in hits) == ["24/01000", "24/09000"]
    # the whole number is marked, as far as it matched
    assert sorted(h.snippet for h in hits) == ["[24/01000]", "[24/09000]"]


def test_very_many_numbers_it_begins_newest_first_after_the_exact_one(ws, monkeypatch):
    monkeypatch.setattr(search, "FULL_RANK_LIMIT", 3)
    _case(ws, "Den præcise", "24/045", "tekst")
    for n in range(10, 16):
        _case(ws, f"Sag {n}", f"24/045{n}", "tekst")
    found = [h.reference for h in ws.search_cases("24/045", limit=4)]
    assert found == ["24/045", "24/04515", "24/04514", "24/04513"]


def test_a_case_number_together_with_words_needs_both(ws):
    _case(ws, "Evaluering af klyngekontorer", "24/04521", "Rambøll har evalueret.")
    _case(ws, "Drikkevand", "24/04522", "Rambøll har boret.")
    assert _found(ws, "24/0452 klyngekontorer") == ["24/04521"]
    assert _found(ws, "Rambøll 24/04522") == ["24/04522"]


def test_snippets_mark_prefixes_phrases_and_words_whatever_their_case(ws):
    text = (
        "Indledning. " + "ord " * 40 + "Kommunernes grønne områder og det GRØNNE OMRÅDE "
        "ved kommunen. " + "slut " * 40
    )
    _case(ws, "Arealer", "24/00001", text)
    (hit,) = ws.search_cases('kommune* "grønne område"')
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "[Kommunernes] grønne områder og det [GRØNNE OMRÅDE] ved [kommunen]" in hit.snippet
    assert len(hit.snippet.split()) <= search_snippets.TOKENS + 2
    (hit,) = ws.search_cases("arealer")
    assert hit.snippet == "[Arealer]"  # the title, the column where it is


def test_a_snippet_finds_the_one_match_at_the_end_of_a_long_bilag(ws):
    sha = ws.store_blob(PDF)
    _case(ws, "Bilag", "24/00001", "kort", attachments=(attachment("Rapport", PDF, "r.pdf"),))
    ws.set_attachment_text(sha, "side " * 100_000 + "Tryggevælde Å.")
    (hit,) = ws.search_cases("tryggevælde")
    assert hit.snippet.endswith("side side [Tryggevælde] Å.")
    assert hit.snippet.startswith("…side")


def test_snippet_work_is_bounded_however_often_the_word_occurs(ws, monkeypatch):
    """FTS5's snippet() weighed every occurrence against every other: 200,000 of them
    took minutes. The snippet now looks at the first MAX_MATCHES of a column and cuts its
    words from a slice around them, and no SQL snippet()/highlight() is asked for."""
    sha = ws.store_blob(PDF)
    _case(ws, "Bilag", "24/00001", "Se bilaget.", attachments=(attachment("R", PDF, "r.pdf"),))
    ws.set_attachment_text(sha, "kommunen kan " * 20_000)
    pulled, marked = [], []
    real_compile = search_snippets.re.compile

    class Counting:
        def __init__(self, regex):
            self.regex = regex

        def finditer(self, text, *args):
            for match in self.regex.finditer(text, *args):
                pulled.append(match)
                yield match

        def sub(self, repl, text):
            marked.append(len(text))
            return self.regex.sub(repl, text)

    monkeypatch.setattr(
        search_snippets.re,
        "compile",
        lambda pattern, flags=0: Counting(real_compile(pattern, flags)),
    )
    statements: list[str] = []
    ws.conn.set_trace_callback(statements.append)
    (hit,) = ws.search_cases("k*")
    ws.conn.set_trace_callback(None)
    monkeypatch.undo()
    assert "[kommunen] [kan]" in hit.snippet
    assert 0 < len(pulled) <= 4 * search_snippets.MAX_MATCHES  # four columns at most
    assert marked and max(marked) <= 2 * search_snippets.CONTEXT_CHARS
    assert not [s for s in statements if "snippet(" in s or "highlight(" in s]
