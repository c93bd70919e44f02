"""Gazetteer matching: prefixes, boundaries, spans, homograph families, score."""
from pathlib import Path

import pytest

from crawler.geo import Matcher, default_gazetteer


@pytest.fixture(scope="module")
def m():
    return Matcher.default()


def accepted(m, text="", title="", lead=""):
    return [(p.pcode, p.matched) for p in m.match(title=title, lead=lead, text=text).places]


def cands(m, text):
    return {p.matched: (p.accepted, p.evidence) for p in m.match(text=text).candidates}


# ------------------------------------------------------------------ gazetteer
def test_gazetteer_shape():
    g = default_gazetteer()
    levels = {}
    for p in g.places.values():
        levels[p.level] = levels.get(p.level, 0) + 1
    assert levels["governorate"] == 1 and levels["district"] == 3 and levels["subdistrict"] == 14
    assert len(g.places) >= 213
    # every parent chain ends at the governorate
    for code in g.places:
        assert g.ancestors(code)[-1] == "SY09", code
    assert g.ancestors("C5175") == ["C5175", "SY090201", "SY0902", "SY09"]


def test_gazetteer_news_spellings(m):
    for name in ["البوكمال", "أبو كمال", "الباغوز", "الشعفة", "السوسة", "هجين", "الشحيل", "ذيبان",
                 "الطيانة", "الصبحة", "البصيرة", "الكسرة", "موحسن", "العشارة", "القورية", "الجنينة",
                 "الحسينية", "حويجة كاطع", "حويجة صقر", "الجورة", "القصور", "حي العمال",
                 "حقل العمر", "كونيكو", "حقل التنك", "مطار دير الزور العسكري", "جسر السياسية"]:
        got = accepted(m, f"قصف على بلدة {name} في ريف دير الزور")
        assert any(x[1] == name for x in got), (name, got)


# ------------------------------------------------------------------ prefixes / boundaries
@pytest.mark.parametrize("text, matched", [
    ("وصل الوفد لدير الزور", "دير الزور"),
    ("ارتفاع الأسعار بدير الزور", "دير الزور"),
    ("ودير الزور كذلك", "دير الزور"),
    ("فدير الزور", "دير الزور"),
    ("كدير الزور", "دير الزور"),
    ("وبدير الزور", "دير الزور"),
    ("ولدير الزور", "دير الزور"),
    ("فبدير الزور", "دير الزور"),
    ("فلدير الزور", "دير الزور"),
    ("وكدير الزور", "دير الزور"),
    ("فكدير الزور", "دير الزور"),
    ("وبالبوكمال", "البوكمال"),
    ("نقل الجرحى للبوكمال", "لبوكمال"),      # ل + ال -> لل
    ("وللبوكمال", "لبوكمال"),
    ("فللبوكمال", "لبوكمال"),
    ("انقطاع في ديرالزور", "ديرالزور"),      # no space
    ("بديرالزور", "ديرالزور"),
    ("Deir ez Zor and", "Deir ez Zor"),
    ("(دير الزور)", "دير الزور"),
])
def test_prefixes_and_nospace(m, text, matched):
    assert [x[1] for x in accepted(m, text)] == [matched]


@pytest.mark.parametrize("text", [
    "زار الوفد لبنان وبلدة في الجنوب",      # no name inside ordinary words
    "ديرالزورية",                            # no boundary after
    "الدير الزوري",
    "تحدير الزور",                           # not an allowed prefix
    "مالبوكمال",
    "XDeir ez-Zor",
    "للدير الزور",                           # لل only before ال-names' contracted form
])
def test_no_match_inside_words(m, text):
    assert accepted(m, text) == []


def test_longest_match_wins(m):
    got = m.match(text="قصف على ريف دير الزور الشرقي").places
    assert [(p.pcode, p.matched) for p in got] == [("SY09-L18", "ريف دير الزور الشرقي")]


# ------------------------------------------------------------------ spans on original text
def test_spans_on_original_text(m):
    title = "ديـــر الزّور: قصف"
    text = "قال ناشطون إن مدينةَ المَيادينِ تعرضت للقصف، وفي ٢٠٢٤ وبالبوكمال أيضاً."
    res = m.match(title=title, text=text)
    for p in res.places:
        src = title if p.field == "title" else text
        s, e = p.span
        assert src[s:e] == p.matched
    d = {p.matched: p.to_dict() for p in res.places}
    assert "ديـــر الزّور" in d and d["ديـــر الزّور"]["field"] == "title"
    assert set(d["ديـــر الزّور"]) >= {"name_ar", "name_en", "level", "pcode", "span", "field", "matched"}
    assert "المَيادينِ" in d and "البوكمال" in d


# ------------------------------------------------------------------ homograph families
NEGATIVE_CASES = {
    "pictures": "نشر ناشطون الصور الأولى من موقع الانفجار في اعزاز",
    "tyre": "غارة إسرائيلية على مدينة صور جنوبي لبنان",
    "hybrid": "أعلنت الشركة عن محرك هجين جديد يجمع بين البنزين والكهرباء",
    "adoption": "ناقش البرلمان مشروع قانون ينظم التبني والكفالة",
    "jalaa": "احتفل السوريون بعيد الجلاء في ساحة الأمويين",
    "insight": "فقدان البصيرة السياسية أوصل البلاد إلى الانهيار",
    "squares": "خرج الآلاف إلى الميادين العامة في القاهرة",
    "tv-channel": "قال مراسل الميادين إن الطيران الإسرائيلي شن غارات",
    "tv-channel-2": "بثت قناة الميادين مقابلة مع وزير الخارجية",
    "tv-site": "نشر موقع الميادين نت تقريراً",
    "tv-en": "A senior official told Al Mayadeen that talks were ongoing.",
    "palaces": "تحويل القصور الرئاسية إلى متاحف",
    "employees": "زيادة رواتب الموظفين في القطاع العام",
    "hamidiyeh": "حريق في سوق الحميدية الأثري وسط دمشق",
    "salhiyeh": "ترميم أسواق حي الصالحية في دمشق على سفح قاسيون",
    "geneina": "قتل العشرات في هجمات على مدينة الجنينة عاصمة ولاية غرب دارفور",
    "husseiniyeh": "عادت عائلات إلى مخيم الحسينية في ريف دمشق",
    "dhiban": "اعتصام في لواء ذيبان بمحافظة مادبا الأردنية",
    "sousse": "محاكمة المتهمين في هجوم سوسة التونسية",
    "ramadi": "انفجار في مدينة الرمادي مركز محافظة الأنبار",
    "jufra": "طائرات روسية في قاعدة الجفرة الجوية وسط ليبيا",
    "deir-balah": "قصف على منزل في دير البلح وسط قطاع غزة",
    "deir-hafer": "اشتباكات قرب دير حافر شرقي حلب",
    "deir-atiyeh": "تستقبل مدينة دير عطية آلاف المصطافين",
    "deir-yassin": "ذكرى مجزرة دير ياسين",
    "monastery": "عاد رهبان دير مار موسى إلى الدير",
    "outlet": "كرمت منظمة ناشطين من شبكة ديرالزور تذبح بصمت لتوثيقهم الانتهاكات في الرقة",
    "outlet-2": "أفادت شبكة فرات بوست بتوتر في الرقة",
    "euphrates-elsewhere": "انخفض منسوب بحيرة سد الفرات في الطبقة",
    "mazloum": "التقى مظلوم عبدي وفداً أمريكياً في الحسكة",
    "map": "تتغير الخريطة السياسية في المنطقة",
    "conocophillips": "ConocoPhillips and Conoco Phillips reported profits",
    "signal": "وتجدر الإشارة إلى أن الاجتماع عقد في حلب",          # GeoNames alt الأشارة
    "suwaidan": "قال الداعية طارق السويدان في محاضرة",
    "libya-sabha": "Clashes in Sabha, the main city of southern Fezzan, killed two",
}


@pytest.mark.parametrize("family", sorted(NEGATIVE_CASES))
def test_homograph_negative(m, family):
    res = m.match(text=NEGATIVE_CASES[family])
    assert res.places == [] and res.score == 0.0, [(c.matched, c.evidence) for c in res.candidates]


POSITIVE_CASES = {
    "hajin-type": ("قتل شابان في بلدة هجين", "هجين", "type-word"),
    "hajin-prep": ("حملة تنظيف في هجين بعد السيول", "هجين", "preposition"),
    "mayadin-type": ("تعزيزات تصل إلى مدينة الميادين", "الميادين", "type-word"),
    "mayadin-anchor": ("غارات على الميادين والبوكمال", "الميادين", "anchor"),
    "tabni-qualified": ("مشروع لتأهيل مدارس ناحية التبني", "ناحية التبني", "type-word"),
    "geneina-anchor": ("قصف على قرية الجنينة غربي مدينة دير الزور", "الجنينة", "anchor"),
    "husseiniyeh-context": ("قرية الحسينية المحاذية لنهر الفرات تخشى الفيضان", "الحسينية", "context"),
    "dhiban-anchor": ("تظاهر أهالي ذيبان في ريف دير الزور الشرقي", "ذيبان", "type-word"),
    "sousa-context": ("شيع أهالي بلدة السوسة على ضفة الفرات الضحايا", "السوسة", "type-word"),
    "jalaa-cooccur": ("حملة اعتقالات في الجلاء والسيال", "الجلاء", "co-occurs"),
    "qusur-type": ("ترميم جامع في حي القصور", "حي القصور", "type-word"),
    "hamidiyeh-type-anchor": ("دهم في حي الحميدية القريب من الجسر المعلق", "حي الحميدية", "anchor"),
    "dayr": ("أبناء الدير في المهجر يجمعون تبرعات لمشفى الميادين", "الدير", "type-word"),
    "anaphora": ("وبالميادين تضاعفت الإيجارات مع توافد الميليشيات إلى المدينة", "الميادين", "anaphora"),
    "latin-hajin": ("Demining teams cleared farmland around Hajin", "Hajin", "unambiguous"),
}


@pytest.mark.parametrize("case", sorted(POSITIVE_CASES))
def test_homograph_positive_with_evidence(m, case):
    text, name, why = POSITIVE_CASES[case]
    c = cands(m, text)
    assert name in c, c
    ok, evidence = c[name]
    assert ok, evidence
    assert any(e.startswith(why) for e in evidence), evidence


def test_candidates_record_rejections(m):
    res = m.match(text="قال مراسل الميادين إن")
    assert res.places == []
    (c,) = res.candidates
    d = c.to_dict(details=True)
    assert d["accepted"] is False and d["evidence"] == ["blocked:مراسل الميادين"]
    assert d["rule"] == "anchor"


def test_same_place_mentions_accepted_together(m):
    res = m.match(title="قصف على الميادين", text="قصف مدفعي على مدينة الميادين")
    assert [p.field for p in res.places] == ["title", "text"]
    assert res.places[0].evidence == ["same-place"]


def test_region_is_context_only(m):
    res = m.match(text="ارتفع منسوب نهر الفرات")
    assert res.places == [] and res.candidates[0].evidence == ["context-only"]


# ------------------------------------------------------------------ score
def test_score_formula(m):
    one_body = m.match(text="قصف على البوكمال").score
    one_title = m.match(title="قصف على البوكمال").score
    one_lead = m.match(lead="قصف على البوكمال").score
    two_body = m.match(text="قصف على البوكمال والميادين").score
    repeated = m.match(text="البوكمال، البوكمال، البوكمال").score
    assert (one_body, one_lead, one_title) == (1.0, 2.0, 3.0)
    assert two_body == 2.0
    assert repeated == 1.5 and repeated < two_body
    assert m.match(title="x", text="لا شيء هنا").score == 0.0


def test_default_is_cached():
    assert Matcher.default() is Matcher.default()


# ------------------------------------------------------------------ robustness / real article
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("دير الزورميادينبوكمالهجينالصورللوبف أإآىةـًّ\u200f٢ (،.)Deirz-ﻻé"))


@settings(max_examples=200, deadline=None)
@given(st.text(_ALPHABET, max_size=60), st.text(_ALPHABET, max_size=20))
def test_random_text_spans_are_valid(text, title):
    res = Matcher.default().match(title=title, text=text)
    for p in res.candidates:
        src = title if p.field == "title" else text
        s, e = p.span
        assert 0 <= s < e <= len(src) and src[s:e] == p.matched
    assert res.score >= 0


SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "_sources" / "geiroon-deir-ez-zor.txt"


def test_real_article(m):
    text = SAMPLE.read_text(encoding="utf-8")
    res = m.match(title="التحالف يُفشل محاولة تقدم لميليشيات النظام في دير الزور", text=text)
    got = {p.place.name_ar: p.evidence for p in res.places}
    assert {"دير الزور", "الجنينة", "الحسينية", "حويجة قاطع"} <= set(got)
    assert any(e.startswith("anchor") for e in got["الجنينة"])     # Darfur homograph, anchored
    assert res.score >= 5
    for p in res.places:
        src = text if p.field == "text" else None
        if src:
            assert src[p.span[0]:p.span[1]] == p.matched
