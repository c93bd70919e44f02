"""What the search index holds for a text, query parsing, and snippets (pure functions)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.text.normalize import normalize_text
from storage import search

PREFIXES = ["و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"]
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


@pytest.mark.parametrize("word,expected", [
    ("وبالميادين", ["وبالميادين", "بالميادين", "الميادين"]),
    ("بالميادين", ["بالميادين", "الميادين"]),
    ("للميادين", ["للميادين", "لميادين", "الميادين"]),
    ("وللميادين", ["وللميادين", "للميادين", "لميادين", "الميادين"]),
    ("للبنان", ["للبنان", "لبنان", "البنان"]),
    ("بدير", ["بدير", "دير"]),
    ("الزور", ["الزور"]),
    ("deir", ["deir"]),
    ("2026", ["2026"]),
])
def test_clitic_variants(word, expected):
    assert search.token_variants(word) == expected


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PREFIXES), st.text(alphabet=LETTERS, min_size=2, max_size=9), st.booleans())
def test_a_word_with_any_clitic_prefix_is_also_indexed_bare(prefix, stem, definite):
    word = ("ال" + stem) if definite else stem
    indexed = search.fts_text("نص " + prefix + word + " اخر").split()
    assert word in indexed
    if word[0] not in "وفبكل":
        # the bare form is the last variant of its word: a phrase starting with it still matches
        assert indexed[indexed.index("اخر") - 1] == word


def test_index_text_is_normalised():
    assert search.fts_text("دير الزُّور وأَهلها") == "دير الزور واهلها اهلها"
    assert search.fts_text(None) == ""


def test_pg_document_gives_variants_the_position_of_their_word():
    doc = search.pg_document("قصف وبالميادين", "في دير الزور")
    lex = dict(part.split(":", 1) for part in doc.split(" "))
    assert lex["'وبالميادين'"] == lex["'بالميادين'"] == lex["'الميادين'"] == "2A"
    assert lex["'دير'"] == "4" and lex["'الزور'"] == "5"


def test_body_does_not_repeat_a_lead_that_opens_the_text():
    assert search.body_of("أول فقرة.", "أول فقرة.\n\nثانية.") == "أول فقرة.\n\nثانية."
    assert search.body_of("ملخص آخر", "النص") == "ملخص آخر\n\nالنص"


def test_query_syntax_to_both_engines():
    q = search.parse_query('داعش "دير الزُّور" هجوم* -الرقة OR كمين')
    assert search.to_fts5(q) == '("داعش" AND "دير الزور" AND "هجوم"* NOT "الرقه") OR ("كمين")'
    assert search.to_tsquery(q) == "('داعش' & ('دير' <-> 'الزور') & 'هجوم':* & !'الرقه') | ('كمين')"


@pytest.mark.parametrize("source", ["", "   ", "-الرقة", "!!! ...", "OR"])
def test_query_with_nothing_to_find_is_an_error(source):
    with pytest.raises(search.QueryError):
        search.parse_query(source)


def test_snippet_highlights_on_the_original_text():
    original = "قالت مصادر إن القصف طال وبالميادينِ أحياءً في دير الزُّور."
    s = search.snippet(original, search.parse_query("الميادين الزور"), width=200)
    assert "[وبالميادينِ]" in s and "[الزُّور]" in s        # diacritics kept, as written
    assert s.replace("[", "").replace("]", "") == original


def test_snippet_window_is_around_the_first_match():
    original = "كلمة " * 100 + "الميادين" + " نهاية" * 100
    s = search.snippet(original, search.parse_query("الميادين"), width=80)
    assert "[الميادين]" in s and s.startswith("…") and s.endswith("…") and len(s) < 120


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=LETTERS + " \u064e\u0651\u0640،.", max_size=80), st.sampled_from(PREFIXES))
def test_every_highlight_is_a_word_that_matches_the_query(noise, prefix):
    original = noise + " " + prefix + "الميادين" + " " + noise
    q = search.parse_query("الميادين")
    spans = search.highlight_spans(original, q)
    assert spans
    for a, b in spans:
        assert "الميادين" in search.token_variants(normalize_text(original[a:b]))
