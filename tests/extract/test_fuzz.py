"""Random and truncated input: only ExtractionError may escape, and it names the URL."""
import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from crawler.extract import Extraction, ExtractionError, extract, parse_date

from ._util import NOW, page_bytes

URL = "https://fuzz.example/archives/1"
PAGES = [page_bytes(n) for n in ("jannah-01.html", "newspaper-03.html", "sahifa-02.html", "jnews-03.html",
                                 "voice-05.html", "amp-02.html", "jsonld-01.html", "legacy-cp1256-01.html")]
TAGS = ["<p>", "</p>", "<div class='entry-content'>", "</div>", "<script type='application/ld+json'>",
        "</script>", "{\"@type\":\"NewsArticle\",\"datePublished\":", "<meta property='article:published_time' content='",
        "'>", "<time datetime='", "<h1 class='jeg_post_title'>", "<br>", "<!--", "-->", "<![CDATA[", "&amp;", "&#x0;",
        "منذ 3 ساعات", "24 تشرين الثاني 2026", "شبكة (", ")", "\x00", "\ufeff", "<html amp>", "<?xml version='1.0' encoding='utf-8'?>"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(body, **kw):
    try:
        result = extract(body, URL, now=NOW, **kw)
    except ExtractionError as exc:
        assert URL in str(exc)
        return
    assert isinstance(result, Extraction)
    if result.published_at is not None:
        assert result.published_at.tzinfo is not None
        assert result.published_at <= NOW + dt.timedelta(days=1)
    result.to_dict()


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([None, "utf-8", "windows-1256", "latin-1", "bogus-charset", "utf-16"]))
def test_random_bytes(body, encoding):
    check(body, encoding=encoding)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=30)), max_size=60))
def test_random_markup(parts):
    check("".join(parts))


@FUZZ
@given(st.sampled_from(PAGES), st.integers(min_value=0, max_value=60000), st.integers(min_value=0, max_value=60000),
       st.sampled_from([None, "jannah", "newspaper", "sahifa", "jnews", "voice", "amp"]))
def test_truncated_and_sliced_real_pages(page, start, length, theme):
    check(page[: start % (len(page) + 1)], theme=theme)
    check(page[start % len(page): start % len(page) + length], theme=theme)


@FUZZ
@given(st.text(max_size=80))
def test_parse_date_never_raises(text):
    value = parse_date(text, now=NOW)
    assert value is None or value.tzinfo is not None
