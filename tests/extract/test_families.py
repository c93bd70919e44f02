"""Each page object on its own fixture pages, detection, and the theme hint."""
import datetime as dt

import lxml.html
import pytest

from crawler.extract import extract
from crawler.extract.pages import REGISTRY, detect_family

from ._util import NOW, PAGES, page_bytes

FAMILY_PAGES = {
    "jannah": "jannah-01.html",
    "newspaper": "newspaper-01.html",
    "sahifa": "sahifa-01.html",
    "jnews": "jnews-01.html",
    "voice": "voice-01.html",
    "amp": "amp-01.html",
}
CHROME = ["الوسوم", "مقالات ذات صلة", "إغلاق", "اقرأ أيضاً", "فيسبوك", "تويتر", "اترك تعليقاً",
          "الأكثر قراءة", "جميع الحقوق محفوظة", "الله يفرج", "إعلان", "صورة أرشيفية", "Author",
         "مقتل شاب برصاص مجهولين", "انخفاض جديد في قيمة الليرة"]


def run(name, labels, **kw):
    label = labels[name]
    now = dt.datetime.fromisoformat(label.get("now", NOW.isoformat()))
    return extract(page_bytes(name), label["url"], encoding=label.get("encoding"), now=now, **kw), label


@pytest.mark.parametrize("family, name", sorted(FAMILY_PAGES.items()))
def test_family_detected_and_fields(family, name, labels):
    tree = lxml.html.document_fromstring(page_bytes(name))
    assert detect_family(tree) is REGISTRY[family]
    result, label = run(name, labels)
    assert result.family == family
    assert result.title == label["title"]
    assert result.author == label["author"]
    assert result.section == label["section"]
    assert result.tags == label["tags"]
    assert result.published_at == dt.datetime.fromisoformat(label["published_at"])
    assert result.provenance["text"].startswith(family + ":")
    assert result.text.startswith(label["first_sentence"])
    assert result.text.endswith(label["last_sentence"])
    for junk in CHROME:
        assert junk not in result.text, junk
    assert label["title"] not in result.text and label["section"] not in result.text.split("\n\n")


@pytest.mark.parametrize("family, name", sorted(FAMILY_PAGES.items()))
def test_theme_hint_matches_auto_detection(family, name, labels):
    hinted, _ = run(name, labels, theme=family)
    auto, _ = run(name, labels)
    assert hinted.to_dict() == auto.to_dict()


def test_wrong_theme_hint_falls_back_with_warning(labels):
    result, label = run("jnews-01.html", labels, theme="voice")
    assert result.family == "jnews"
    assert any("does not look like voice" in w for w in result.warnings)
    result, _ = run("jnews-01.html", labels, theme="nosuchtheme")
    assert result.family == "jnews" and any("unknown family" in w for w in result.warnings)


def test_jannah_prefers_jsonld_date_over_relative_visible_date(labels):
    result, _ = run("jannah-01.html", labels)  # visible date says "منذ 3 أيام"
    assert result.provenance["published_at"] == "jsonld:datePublished"


def test_jannah_relative_visible_date_uses_now(labels):
    result, label = run("jannah-04.html", labels)
    assert result.provenance["published_at"] == "jannah:#single-post-meta span.date.meta-item"
    assert result.published_at == dt.datetime.fromisoformat("2026-11-27T07:00:00+03:00")


def test_newspaper_uses_time_datetime_and_strips_by(labels):
    result, _ = run("newspaper-02.html", labels)
    assert result.provenance["published_at"] == "newspaper:header.td-post-title time.entry-date[datetime]"
    assert result.author == "فريق التحرير"
    assert result.tags == ["الشحيل", "اعتقالات"]  # first li is the label


def test_newspaper_composer_markup(labels):
    result, label = run("newspaper-03.html", labels)
    assert result.provenance["text"] == "newspaper:div.tdb_single_content div.tdb-block-inner"
    assert result.title == label["title"]


def test_sahifa_levantine_visible_date(labels):
    result, _ = run("sahifa-02.html", labels)
    assert result.provenance["published_at"] == "sahifa:.post-inner .post-meta span.tie-date"
    assert result.published_at == dt.datetime.fromisoformat("2026-01-05T00:00:00+03:00")
    assert result.post_id == "2002"


def test_amp_canonical_points_to_article(labels):
    result, _ = run("amp-01.html", labels)
    assert result.canonical_url == "https://www.enabbaladi.net/archives/77001/"
    assert result.post_id == "77001"


def test_byline_is_not_the_lead(labels):
    result, _ = run("newspaper-01.html", labels)
    assert not result.lead.startswith("فرات بوست")
    assert result.lead.startswith("توقفت محطة ضخ المياه")
    assert "فرات بوست/أخبار" not in result.text
    assert result.provenance["byline"] == "فرات بوست/أخبار"
    assert result.sources[0] == "فرات بوست"


def test_container_missing_falls_back_to_generic():
    html = ('<html><body id="tie-body"><span class="post-cat-wrap"><a class="post-cat">أخبار</a></span>'
            '<h1 class="post-title entry-title">خبر بلا حاوية</h1><div class="story"><p>'
            + "نص طويل عن الأوضاع المعيشية في ريف دير الزور الشرقي وارتفاع الأسعار. " * 8 + "</p></div></body></html>")
    result = extract(html, "https://s.example/a", now=NOW)
    assert result.family == "jannah"
    assert result.text and result.provenance["text"] == "trafilatura"
    assert any("body container missing" in w for w in result.warnings)


def test_every_labelled_page_has_exactly_the_body_paragraphs(labels):
    for name, label in labels.items():
        result, _ = run(name, labels)
        paragraphs = result.text.split("\n\n")
        assert len(paragraphs) == label["n_paragraphs"], (name, paragraphs)
        assert result.lead == paragraphs[0]


def test_rich_body_structure(labels):
    import sys
    sys.path.insert(0, str(PAGES.parent))
    from articles import RICH  # the inputs the page was built from
    result, _ = run("jannah-09-rich.html", labels)
    assert result.text.split("\n\n") == [text for _, text in RICH["blocks"] if text is not None]
    assert result.provenance["byline"] == "دير الزور - جيرون:"
    assert result.sources == ["جيرون", "فرات بوست"]
    assert any("approximate" in w for w in result.warnings)  # "أمس" read against now


def test_english_voice_page(labels):
    result, label = run("voice-06-english.html", labels)
    assert result.language == "en" and result.family == "voice"
    assert result.published_at == dt.datetime.fromisoformat(label["published_at"])


def test_signatures_never_hide_a_match(labels):
    """The raw-HTML pre-filter must agree with the selectors on every labelled page."""
    for name in labels:
        raw = page_bytes(name)
        text = raw.decode("utf-8", "replace")
        tree = lxml.html.document_fromstring(raw)
        assert detect_family(tree, text) is detect_family(tree), name
