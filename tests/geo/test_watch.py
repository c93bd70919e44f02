"""Watchlists: config, places by level (parent chain), keyword syntax."""

import pytest

from crawler.geo import Matcher, Watch, load_watches, parse_keywords
from crawler.text.normalize import normalize_text


@pytest.fixture(scope="module")
def m():
    return Matcher.default()


def names(watches, m, title="", lead="", text=""):
    res = m.match(title=title, lead=lead, text=text)
    return [w.name for w in watches if w.matches(res, title=title, lead=lead, text=text)]


def test_default_watch():
    for cfg in (None, {}):
        (w,) = load_watches(cfg)
        assert isinstance(w, Watch)
        assert w.name == "deir-ez-zor" and w.enabled and w.places == ("SY09",)
        assert w.min_score == 1.0 and w.keywords == ()
        assert {"C5175", "N0419", "SY09-L01", "SY090201"} <= w.scope


def test_default_watch_matches(m):
    ws = load_watches(None)
    assert names(ws, m, text="قصف على مدينة الميادين") == ["deir-ez-zor"]
    assert names(ws, m, text="قصف على مدينة حلب") == []


def test_places_by_level(m):
    ws = load_watches({
        "district-abu-kamal": {"places": ["SY0902"]},
        "town-hajin": {"places": ["هجين"]},            # by name -> subdistrict + town
        "city": {"places": ["C5086"]},                  # city: neighbourhoods and landmarks inside
        "latin": {"places": ["Al Mayadin"]},
    })
    assert names(ws, m, text="قصف على بلدة هجين") == ["district-abu-kamal", "town-hajin"]
    assert names(ws, m, text="قصف على الشعفة") == ["district-abu-kamal"]      # Susat subdistrict
    assert names(ws, m, text="انقطاع المياه في حي الجورة") == ["city"]
    assert names(ws, m, text="غارات على محيط مطار دير الزور العسكري") == ["city"]
    assert names(ws, m, text="قصف على مدينة الميادين") == ["latin"]
    # the governorate-level mention is not inside the city or a district
    assert names(ws, m, text="قصف على دير الزور") == []


def test_min_score_and_disabled(m):
    ws = load_watches({
        "strict": {"places": ["SY09"], "min_score": 3.0},
        "off": {"places": ["SY09"], "enabled": False},
    })
    assert names(ws, m, text="قصف على البوكمال") == []
    assert names(ws, m, title="قصف على البوكمال") == ["strict"]
    assert names(ws, m, text="قصف على البوكمال والميادين والعشارة") == ["strict"]


def test_keywords_with_places(m):
    ws = load_watches({"isis": {"places": ["SY09"], "keywords": ["داعش AND (هجوم OR كمين)"]}})
    assert names(ws, m, text="هجوم لداعش على حاجز في البوكمال") == ["isis"]
    assert names(ws, m, text="كمين نصبه داعش في البادية قرب الميادين") == ["isis"]
    assert names(ws, m, text="هجوم على حاجز في البوكمال") == []
    assert names(ws, m, text="هجوم لداعش في الرقة") == []


def test_keyword_only_watch(m):
    ws = load_watches({"oil": {"keywords": ['"حقول النفط" OR نفط*']}})
    assert names(ws, m, text="تهريب النفطيات عبر النهر") == ["oil"]
    assert names(ws, m, text="اجتماع حول المياه") == []


@pytest.mark.parametrize("expr, text, expected", [
    ("هجوم", "وقع الهجوم فجراً", True),             # article optional
    ("الهجوم", "بعد هجوم مسلح", True),
    ("هجوم", "وبالهجوم على", True),                  # attached prefixes
    ("هجوم", "للهجوم", True),
    ("هجوم", "هجومين", False),                       # whole word
    ("هجوم*", "هجومين", True),                       # trailing wildcard
    ('"ريف دير الزور"', "في ريف ديرالزور", False),   # phrase = consecutive words
    ('"ريف دير الزور"', "في ريف دِير الزور", True),
    ("داعش AND NOT الرقة", "داعش في الرقة", False),
    ("داعش AND NOT الرقة", "داعش في هجين", True),
    ("داعش كمين", "كمين لداعش", True),               # implicit AND
    ("داعش كمين", "داعش فقط", False),
    ("A OR B AND C", "a", True),                     # AND binds tighter than OR
    ("(A OR B) AND C", "a", False),
    ("NOT NOT isis", "ISIS attack", True),
    ("SDF", "the sdf said", True),
])
def test_keyword_syntax(expr, text, expected):
    assert parse_keywords(expr)(normalize_text(text)) is expected


@pytest.mark.parametrize("expr", ["", "(a OR b", "a OR", "AND a", "a )", "NOT"])
def test_keyword_syntax_errors(expr):
    with pytest.raises(ValueError):
        parse_keywords(expr)


@pytest.mark.parametrize("cfg, msg", [
    ({"x": {"places": ["Atlantis"]}}, "unknown place"),
    ({"x": {"places": "SY09", "colour": "red"}}, "unknown key"),
    ({"x": {}}, "needs places or keywords"),
    ({"x": {"places": ["SY09"], "min_score": "high"}}, "min_score"),
    ({"x": {"places": ["SY09"], "enabled": "yes"}}, "enabled"),
    ({"x": {"places": [1]}}, "places"),
    ({"x": {"keywords": ["(a"]}}, "missing"),
    ({"x": "SY09"}, "table"),
])
def test_config_errors(cfg, msg):
    with pytest.raises(ValueError, match=msg):
        load_watches(cfg)


def test_toml_config(tmp_path):
    import tomllib
    p = tmp_path / "rasad.toml"
    p.write_text('''
[watches.deir-ez-zor]
description = "Deir ez-Zor governorate and everything in it"
places = ["SY09"]
keywords = []
min_score = 1.0
enabled = true

[watches.oil]
places = ["Deir ez-Zor"]
keywords = ["نفط OR \\"حقل العمر\\""]
min_score = 2
''', encoding="utf-8")
    ws = load_watches(tomllib.loads(p.read_text(encoding="utf-8"))["watches"])
    assert [w.name for w in ws] == ["deir-ez-zor", "oil"]
    assert ws[1].places == ("SY09",) and ws[1].min_score == 2.0
