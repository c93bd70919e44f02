"""URL canonicalisation and exact-duplicate keys: one test per rule."""
from __future__ import annotations

import pytest

from crawler.dedup import (canonicalize, choose_canonical, post_key, same_site, shortlink, site_host, url_key,
                           wp_post_id)
from crawler.items import Article

SLUG_RAW = "https://geiroon.net/2026/11/قصف-الميادين/"
SLUG_LOWER = "https://geiroon.net/2026/11/%d9%82%d8%b5%d9%81-%d8%a7%d9%84%d9%85%d9%8a%d8%a7%d8%af%d9%8a%d9%86/"
SLUG_UPPER = SLUG_LOWER.upper().replace("HTTPS://GEIROON.NET", "https://geiroon.net")


def test_scheme_and_host_case():
    assert canonicalize("HTTPS://Geiroon.NET/archives/1") == "https://geiroon.net/archives/1"
    assert canonicalize("https://geiroon.net./archives/1") == "https://geiroon.net/archives/1"


@pytest.mark.parametrize("url", ["https://geiroon.net:443/archives/1", "http://geiroon.net:80/archives/1"])
def test_default_ports_are_dropped(url):
    assert ":443" not in canonicalize(url) and ":80" not in canonicalize(url)
    assert url_key(url) == "geiroon.net/archives/1"


def test_other_ports_are_kept():
    assert canonicalize("https://geiroon.net:8443/archives/1") == "https://geiroon.net:8443/archives/1"


def test_fragment_is_dropped():
    assert canonicalize("https://geiroon.net/archives/1#comments") == "https://geiroon.net/archives/1"


@pytest.mark.parametrize("query", ["utm_source=facebook&utm_medium=social", "fbclid=IwAR0abc", "gclid=x",
                                   "UTM_Campaign=x", "igshid=1", "mc_cid=1&mc_eid=2"])
def test_tracking_parameters_are_dropped(query):
    assert canonicalize(f"https://geiroon.net/archives/1?{query}") == "https://geiroon.net/archives/1"


def test_real_parameters_are_kept_and_sorted():
    assert canonicalize("https://geiroon.net/?s=دير&cat=3&utm_source=x") == \
        "https://geiroon.net/?cat=3&s=%D8%AF%D9%8A%D8%B1"


@pytest.mark.parametrize("url", [
    "https://geiroon.net/archives/1/amp/", "https://geiroon.net/archives/1/amp",
    "https://geiroon.net/archives/1/?amp", "https://geiroon.net/archives/1/?amp=1",
    "https://geiroon.net/amp/archives/1/",
])
def test_amp_variants_are_one_article(url):
    assert url_key(url) == "geiroon.net/archives/1"


def test_trailing_slash_www_and_scheme_do_not_make_a_second_article():
    keys = {url_key(u) for u in ("https://geiroon.net/archives/1", "https://geiroon.net/archives/1/",
                                 "http://www.geiroon.net/archives/1/")}
    assert keys == {"geiroon.net/archives/1"}


def test_raw_and_percent_encoded_arabic_slugs_are_one_url():
    assert canonicalize(SLUG_RAW) == canonicalize(SLUG_LOWER) == canonicalize(SLUG_UPPER)
    assert "%D9%82" in canonicalize(SLUG_RAW)  # one encoding: upper-case hex


@pytest.mark.parametrize("url", [
    "https://geiroon.net/?p=175201", "http://www.geiroon.net/?p=175201&utm_source=tw",
    "https://geiroon.net/index.php?p=175201", "https://geiroon.net/?p=175201&amp=1",
    "https://geiroon.net/wp-json/wp/v2/posts/175201", "https://geiroon.net/?p=0175201",
])
def test_wordpress_post_urls_key_on_host_and_post_id(url):
    assert wp_post_id(url) == "175201"
    assert url_key(url) == "geiroon.net/?p=175201" == post_key("https://geiroon.net/archives/175201", "175201")


def test_shortlink_and_post_key_use_the_site_host():
    assert shortlink("https://www.geiroon.net/2026/11/x/", 42) == "https://geiroon.net/?p=42"
    assert post_key("https://geiroon.net/x/", None) is None
    assert post_key("https://geiroon.net/x/", "abc") is None
    assert post_key("https://geiroon.net/x/", "0") is None
    assert wp_post_id("https://geiroon.net/?s=175201") is None
    assert wp_post_id("https://geiroon.net/section/?p=175201") is None  # not the site root


def test_sites():
    assert site_host("https://amp.geiroon.net/x") == site_host("https://www.geiroon.net/") == "geiroon.net"
    assert same_site("https://geiroon.net/a", "https://news.geiroon.net/b")
    assert not same_site("https://geiroon.net/a", "https://notgeiroon.net/a")


def test_sane_rel_canonical_is_used():
    assert choose_canonical("https://geiroon.net/archives/1/amp/?utm_source=x",
                            "https://www.geiroon.net/2026/11/slug/") == "https://www.geiroon.net/2026/11/slug/"
    assert choose_canonical("https://geiroon.net/archives/1", "/2026/11/slug/") == "https://geiroon.net/2026/11/slug/"


@pytest.mark.parametrize("candidate", [
    "https://geiroon.net/", "/", "https://other.example/2026/11/slug/", "javascript:void(0)", "", None,
    "http://[broken/",
])
def test_insane_rel_canonical_is_ignored(candidate):
    assert choose_canonical("https://geiroon.net/archives/1/?fbclid=1", candidate) == "https://geiroon.net/archives/1/"


def test_exact_body_hash_ignores_marks_and_spacing():
    a = Article(title="قصفٌ على الميادين", text="قُتل ثلاثة   مدنيين.\n\nوأصيب خمسة.")
    b = Article(title="قصف على الميادين", text="قتل ثلاثة مدنيين.\n\nوأصيب خمسة.")
    c = Article(title="قصف على الميادين", text="قتل أربعة مدنيين.\n\nوأصيب خمسة.")
    assert a.compute_hash() == b.compute_hash() != c.compute_hash()


# ---- properties ---------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_segment = st.lists(st.sampled_from(list("abcxyz019-_") + list("ديرالزورقصف") + ["%D8%AF", "%d8%af", " "]),
                    min_size=1, max_size=12).map("".join)
_urls = st.builds(
    lambda scheme, www, host, port, segs, slash, query, frag: (
        f"{scheme}://{www}{host}{(':443' if scheme.lower() == 'https' else ':80') if port else ''}/"
        + "/".join(segs) + slash + query + frag),
    st.sampled_from(["http", "https", "HTTPS"]), st.sampled_from(["", "www.", "WWW."]),
    st.sampled_from(["geiroon.net", "Euphratespost.NET", "sharqsouri.net"]), st.booleans(),
    st.lists(_segment, min_size=0, max_size=3), st.sampled_from(["", "/", "/amp/"]),
    st.sampled_from(["", "?utm_source=fb", "?p=12", "?b=2&a=1", "?amp", "?fbclid=x&s=دير"]),
    st.sampled_from(["", "#top", "#تعليقات"]),
)


@settings(max_examples=300, deadline=None)
@given(_urls)
def test_canonicalize_is_idempotent_and_keys_are_stable(url):
    canonical = canonicalize(url)
    assert canonicalize(canonical) == canonical
    assert url_key(canonical) == url_key(url)
    assert "#" not in canonical and "utm_" not in canonical and "fbclid" not in canonical
    assert ":443" not in canonical and ":80/" not in canonical
    other_scheme = url.replace("https://", "http://", 1).replace("HTTPS://", "http://", 1).replace(":443/", "/", 1)
    assert url_key(url) == url_key(other_scheme)
