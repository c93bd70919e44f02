"""Normalisation rules, offset map and tokens."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.text.normalize import normalize, normalize_text
from crawler.text.tokens import shingle_set, shingles, tokenize, words


@pytest.mark.parametrize("raw, expected", [
    ("دِيرِ الزُّورِ", "دير الزور"),                 # harakat, shadda
    ("احتجاجاً", "احتجاجا"),                          # tanween
    ("ديـــر", "دير"),                                # tatweel
    ("أحمد إدلب آمنة ٱلله", "احمد ادلب امنه الله"),    # alef/hamza forms (not ءدلب)
    ("مستشفى", "مستشفي"),                             # alef maqsura
    ("مدينة", "مدينه"),                               # ta marbuta
    ("دیر الزور", "دير الزور"),                       # Persian yeh
    ("کمال", "كمال"),                                 # Persian kaf
    ("٢٠٢٤ ۱۲", "2024 12"),                           # Eastern Arabic / Persian digits
    ("دير\u200fالزور\u200b", "ديرالزور"),             # bidi / zero-width marks
    ("\ufeffنص\u061c", "نص"),                         # BOM, Arabic letter mark
    ("\ufefb", "لا"),                                 # presentation form (NFKC)
    ("\ufe8d\ufedf\ufee4\ufef4\ufe8e\ufea9\ufef3\ufee6", "الميادين"),  # presentation forms
    ("Deir EZ-ZOR", "deir ez-zor"),                   # casefold
    ("Déir ëz Zôr Straße", "deir ez zor strasse"),    # accents stripped, casefold ß
    ("Deir\u2011ez\u2013Zor\u00a0’s", "deir-ez-zor 's"),  # dashes, NBSP, apostrophe
    ("ؤ ئ ء", "ؤ ئ ء"),                              # other hamza forms kept
])
def test_rules(raw, expected):
    assert normalize_text(raw) == expected


def test_empty():
    n = normalize("")
    assert n.text == "" and n.span(0, 0) == (0, 0)


@pytest.mark.parametrize("raw, needle, orig", [
    ("قصف على دِيرِ الزُّورِ اليوم", "دير الزور", "دِيرِ الزُّورِ"),
    ("قصف على ديـــر الزور", "دير الزور", "ديـــر الزور"),
    ("ﻻ شيء في Déir ez-Zor", "deir ez-zor", "Déir ez-Zor"),
    ("\u200fمدينة\u200f الميادين", "الميادين", "الميادين"),
    ("في ٢٠٢٤ بدير الزور", "دير الزور", "دير الزور"),
])
def test_spans_map_to_original(raw, needle, orig):
    n = normalize(raw)
    i = n.text.index(needle)
    s, e = n.span(i, i + len(needle))
    assert raw[s:e] == orig


alphabet = st.sampled_from(list("دير الزورميادينبوكمالأإآىةـًٌٍَُِّْ\u200f\u200b٠١٢ABCdé-ﻻ ,."))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet, max_size=40), st.data())
def test_span_property(raw, data):
    """The original text of any normalised span normalises back to (a superstring of, when
    the span cuts a one-to-many expansion such as the ligature ﻻ) that span."""
    n = normalize(raw)
    if not n.text:
        return
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, len(n.text)))
    s, e = n.span(i, j)
    assert 0 <= s <= e <= len(raw)
    back = normalize_text(raw[s:e])
    assert n.text[i:j] in back
    if "\ufefb" not in raw and "é" not in raw:
        assert back == n.text[i:j]


def test_idempotent():
    raw = "أهالي دِيرِ الزّور في ٢٠٢٤ Déir"
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_tokens_with_original_spans():
    raw = "وصل وفدٌ إلى دِيرِ الزور، صباحاً."
    toks = tokenize(raw)
    assert [t.text for t in toks] == ["وصل", "وفد", "الي", "دير", "الزور", "صباحا"]
    assert raw[toks[3].start:toks[3].end] == "دِيرِ"
    assert words("Deir_ez Zor") == ["deir", "ez", "zor"]


def test_shingles():
    assert list(shingles(["a", "b", "c", "d"], 3)) == ["a b c", "b c d"]
    assert list(shingles(["a", "b"], 3)) == ["a b"]
    assert list(shingles([], 3)) == []
    assert shingle_set("قصف على دير الزور", 2) == {"قصف علي", "علي دير", "دير الزور"}


def test_shingles_windows_match_the_plain_definition():
    toks = ["a", "b", "c", "d", "e"]
    for k in range(1, 7):
        want = [" ".join(toks[i:i + k]) for i in range(len(toks) - k + 1)] or [" ".join(toks)]
        assert list(shingles(toks, k)) == want
        assert list(shingles(iter(toks), k)) == want     # any iterable
    assert list(shingles([], 3)) == [] and list(shingles(["a"], 3)) == ["a"]
