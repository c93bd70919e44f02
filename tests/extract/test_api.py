import datetime as dt
import json

import pytest

import crawler.extract as ce
from crawler.extract import Extraction, ExtractionError, extract, parse_date

from ._util import NOW, page_bytes


def test_public_api_surface():
    assert set(ce.__all__) == {"extract", "Extraction", "ExtractionError", "parse_date"}
    assert issubclass(ExtractionError, ValueError)
    assert parse_date("2026-11-24").tzinfo is not None


def test_str_and_bytes_give_the_same_result(labels):
    raw = page_bytes("voice-02.html")
    url = labels["voice-02.html"]["url"]
    assert extract(raw, url, now=NOW).to_dict() == extract(raw.decode("utf-8"), url, now=NOW).to_dict()


def test_to_dict_uses_the_tz_zone(labels):
    raw = page_bytes("voice-02.html")
    url = labels["voice-02.html"]["url"]
    data = extract(raw, url, now=NOW, tz="UTC").to_dict()
    assert data["published_at"] == "2026-11-26T21:50:00+00:00"
    json.dumps(data, ensure_ascii=False)


def test_generic_page_uses_trafilatura_and_strips_by():
    html = """<html><head><title>ارتفاع أسعار الخبز - موقع محلي</title><meta name="author" content="بواسطة سامر الأحمد"></head>
    <body><div id="nav"><a href="/">الرئيسية</a> <a href="/n">أخبار</a></div>
    <div class="main"><h1>ارتفاع أسعار الخبز</h1>
    <p>رفعت الأفران الخاصة في مدينة الميادين سعر ربطة الخبز للمرة الثانية خلال شهر واحد فقط.</p>
    <p>وقال سكان إن الزيادة تثقل كاهل العائلات التي تعتمد على الخبز كغذاء رئيسي في ظل الغلاء.</p>
    <p>ولم يصدر أي تعليق رسمي من الجهات المعنية حول الأسعار الجديدة حتى الآن رغم المطالبات.</p></div>
    <div class="footer">جميع الحقوق محفوظة</div></body></html>"""
    result = extract(html, "https://local.example/news/1", now=NOW)
    assert result.family == "generic"
    assert result.author == "سامر الأحمد"
    assert result.provenance["text"] == "trafilatura"
    assert result.text.startswith("رفعت الأفران الخاصة")
    assert result.text.endswith("رغم المطالبات.")
    assert "\n\n" in result.text
    assert result.title == "ارتفاع أسعار الخبز"


def test_extraction_dataclass_defaults():
    e = Extraction(url="u")
    assert e.tags == [] and e.sources == [] and e.family == "generic" and e.to_dict()["published_at"] is None


@pytest.mark.parametrize("cut", [200, 1000, 3000, 8000, 15000])
def test_truncated_pages_still_extract_what_is_there(cut, labels):
    raw = page_bytes("jannah-01.html")[:cut]
    try:
        result = extract(raw, labels["jannah-01.html"]["url"], now=NOW)
    except ExtractionError:
        return
    assert isinstance(result, Extraction)


def test_truncated_after_body_keeps_body(labels):
    raw = page_bytes("jannah-01.html")
    cut = raw[: raw.index(b"stream-item-in-post")]
    result = extract(cut, labels["jannah-01.html"]["url"], now=NOW)
    assert result.family == "jannah"
    assert result.title == labels["jannah-01.html"]["title"]
    assert result.text.endswith(labels["jannah-01.html"]["last_sentence"])


def test_theme_hint_trusted_when_its_container_exists():
    html = ("<html><body><h1>عنوان</h1><div class='entry-content'><p>"
            + "فقرة أولى طويلة عن أوضاع الأهالي في ريف دير الزور الشرقي. " * 3 + "</p></div></body></html>")
    assert extract(html, "https://s.example/a", now=NOW).family == "generic"
    hinted = extract(html, "https://s.example/a", theme="jannah", now=NOW)
    assert hinted.family == "jannah" and hinted.provenance["text"] == "jannah:div.entry-content"


def test_lead_skips_a_leading_subhead_or_list():
    html = ("<html><body><article id='the-post'><div class='entry-content'><h3>تفاصيل</h3><ul><li>أ</li><li>ب</li></ul>"
            "<p>أعلنت مديرية الصحة في دير الزور عن حملة تلقيح جديدة تشمل الأطفال دون الخامسة.</p></div></article></body></html>")
    result = extract(html, "https://s.example/a", now=NOW)
    assert result.text.startswith("تفاصيل")
    assert result.lead.startswith("أعلنت مديرية الصحة") and result.provenance["lead"].endswith("paragraph-3")


@pytest.mark.parametrize("html", [
    "<html><body><div class='entry-content'>" + "<div>" * 5000 + "<p>نص</p>" + "</div>" * 5000 + "</div></body></html>",
    "<html><head><script type='application/ld+json'>" + "[" * 100000 + "</script></head><body><p>نص</p></body></html>",
    "<html><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"keywords\":" + "[" * 900 + "]" * 900
    + ",\"author\":" + "{\"name\":" * 500 + "\"x\"" + "}" * 500 + "}</script></head><body><p>نص</p></body></html>",
])
def test_pathological_nesting_does_not_raise(html):
    assert isinstance(extract(html, "https://s.example/deep", theme="jannah", now=NOW), Extraction)


def test_lead_falls_back_to_standfirst_or_excerpt():
    html = ("<html><head><meta property='og:description' content='وصف كامل للخبر عن دير الزور.'></head><body>"
            "<article id='the-post'><h1 class='post-title entry-title'>عنوان</h1><h2 class='entry-sub-title'>"
            "مقدمة الخبر كما كتبها المحرر</h2><div class='entry-content'></div></article></body></html>")
    result = extract(html, "https://s.example/a", now=NOW)
    assert result.family == "jannah"
    assert result.lead == "مقدمة الخبر كما كتبها المحرر"  # (trafilatura's fallback finds it too)
    no_subtitle = html.replace("<h2 class='entry-sub-title'>مقدمة الخبر كما كتبها المحرر</h2>", "")
    bare = extract(no_subtitle, "https://s.example/a", now=NOW)
    assert bare.text is None and bare.lead == "وصف كامل للخبر عن دير الزور."
    assert bare.provenance["lead"] == "meta:og:description"
    truncated_excerpt = no_subtitle.replace("عن دير الزور.", "عن دير الزور [&hellip;]")
    assert extract(truncated_excerpt, "https://s.example/a", now=NOW).lead is None


@pytest.mark.parametrize("raw, clean", [
    ("بواسطة سامر الأحمد", "سامر الأحمد"), ("By Jane Doe", "Jane Doe"), ("Byron Smith", "Byron Smith"),
    ("كتب: علي حسن", "علي حسن"), ("بقلم:علي حسن", "علي حسن"), ("https://s.example/author/x", None),
    ("بواسطة", None), ("admin", None),
])
def test_author_prefixes(raw, clean):
    from crawler.extract.core import _clean_author
    assert _clean_author(raw) == clean
