import datetime as dt

import lxml.html

from crawler.extract import extract
from crawler.extract.structured import read_structured

from ._util import NOW

BODY = "<p>" + "أعلنت الإدارة المحلية في دير الزور عن خطة لتأهيل الطرق الريفية خلال الأشهر المقبلة. " * 6 + "</p>"


def tree(html: str):
    return lxml.html.document_fromstring(html)


def test_jsonld_graph_with_author_reference():
    html = """<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebSite","@id":"https://s.example/#w","name":"الموقع"},
      {"@type":["NewsArticle"],"@id":"https://s.example/a#art","headline":"عنوان الخبر",
       "datePublished":"2026-11-20T10:00:00+03:00","dateModified":"2026-11-21T09:00:00+03:00",
       "author":{"@id":"https://s.example/#p1"},"articleSection":["أخبار محلية","تقارير"],
       "keywords":["دير الزور","الطرق"],"inLanguage":"ar","image":[{"@type":"ImageObject","url":"https://s.example/i.jpg"}]},
      {"@type":"Person","@id":"https://s.example/#p1","name":"بواسطة رامي العلي"}]}</script></head><body></body></html>"""
    s = read_structured(tree(html))
    assert s.jsonld["headline"] == "عنوان الخبر"
    result = extract(html.replace("<body></body>", f"<body>{BODY}</body>"), "https://s.example/a", now=NOW)
    assert result.family == "jsonld"
    assert result.author == "رامي العلي"
    assert result.section == "أخبار محلية"
    assert result.tags == ["دير الزور", "الطرق"]
    assert result.published_at == dt.datetime.fromisoformat("2026-11-20T10:00:00+03:00")
    assert result.modified_at == dt.datetime.fromisoformat("2026-11-21T09:00:00+03:00")
    assert result.image_url == "https://s.example/i.jpg"
    assert result.provenance["published_at"] == "jsonld:datePublished"
    assert result.provenance["author"] == "jsonld:author"


def test_jsonld_list_and_broken_json_are_tolerated():
    html = """<html><head>
    <script type="application/ld+json">{"@type": "Organization", "name": "x",}</script>
    <script type="application/ld+json">
      [{"@type":"BreadcrumbList"},{"@type":"ReportageNewsArticle","headline":"تقرير ميداني",
        "datePublished":"2026-10-01T08:00:00Z","author":[{"name":"سلمى"}],},]
    </script></head><body>""" + BODY + "</body></html>"
    result = extract(html, "https://s.example/r", now=NOW)
    assert result.title == "تقرير ميداني"
    assert result.author == "سلمى"
    assert result.published_at == dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.timezone.utc)
    assert "jsonld: broken JSON repaired" in result.warnings


def test_garbage_jsonld_does_not_break_extraction():
    html = "<html><head><script type='application/ld+json'>{{{ not json</script><title>خبر</title></head><body>" + BODY + "</body></html>"
    result = extract(html, "https://s.example/g", now=NOW)
    assert result.text and result.family == "generic"


def test_open_graph_canonical_shortlink_lang():
    html = """<html lang="ar-SY"><head>
      <meta property="og:title" content="خبر عن الجسر - دير الزور 24">
      <meta property="og:site_name" content="دير الزور 24">
      <meta property="og:image" content="/img/a.jpg">
      <meta property="article:published_time" content="2026-11-01T12:00:00+03:00">
      <meta property="article:modified_time" content="2026-11-02T12:00:00+03:00">
      <meta property="article:section" content="خدمات">
      <meta property="article:tag" content="الجسور"><meta property="article:tag" content="دير الزور">
      <link rel="canonical" href="/2026/11/bridge/"><link rel="shortlink" href="https://s.example/?p=9876">
      </head><body>""" + BODY + "</body></html>"
    result = extract(html, "https://www.s.example/2026/11/bridge/?utm_source=x", now=NOW)
    assert result.title == "خبر عن الجسر"
    assert result.provenance["title"] == "og:title"
    assert result.canonical_url == "https://www.s.example/2026/11/bridge/"
    assert result.image_url == "https://www.s.example/img/a.jpg"
    assert result.section == "خدمات" and result.tags == ["الجسور", "دير الزور"]
    assert result.modified_at == dt.datetime.fromisoformat("2026-11-02T12:00:00+03:00")
    assert result.post_id == "9876" and result.provenance["post_id"] == "link:shortlink"
    assert result.language == "ar" and result.provenance["language"] == "html:lang"


def test_insane_canonical_is_ignored():
    for canonical in ("https://s.example/", "https://other.example/a", "javascript:alert(1)"):
        html = f'<html><head><link rel="canonical" href="{canonical}"></head><body>{BODY}</body></html>'
        result = extract(html, "https://s.example/news/5", now=NOW)
        assert result.canonical_url is None, canonical


def test_post_id_from_body_class_and_archives_url():
    html = f'<html><body class="single postid-4321">{BODY}</body></html>'
    assert extract(html, "https://s.example/x", now=NOW).post_id == "4321"
    html = f"<html><body>{BODY}</body></html>"
    result = extract(html, "https://www.geiroon.net/archives/123456", now=NOW)
    assert result.post_id == "123456" and result.provenance["post_id"] == "url"


def test_language_guessed_from_script():
    html = f"<html><body>{BODY}</body></html>"
    result = extract(html, "https://s.example/x", now=NOW)
    assert result.language == "ar" and result.provenance["language"] == "guess:script"
    english = "<html><body><p>" + "The council announced a plan to repair rural roads next month. " * 6 + "</p></body></html>"
    assert extract(english, "https://s.example/y", now=NOW).language == "en"


def test_time_datetime_used_when_nothing_else():
    html = f'<html><body><article><h1>خبر</h1><time datetime="2026-09-01T10:00:00+03:00">1 أيلول</time>{BODY}</article></body></html>'
    result = extract(html, "https://s.example/t", now=NOW)
    assert result.published_at == dt.datetime.fromisoformat("2026-09-01T10:00:00+03:00")
    assert result.provenance["published_at"] == "time[datetime]"
