"""Independent check: the saved outlet sites in tests/fixtures/sites (built by another part of
the project, with their own generator) against their WordPress REST API copies."""
import datetime as dt
import html
import json
import re
import urllib.parse

import pytest

from crawler.extract import ExtractionError, extract

from ._util import ROOT

SITES = ROOT / "tests" / "fixtures" / "sites"
NOW = dt.datetime.fromisoformat("2026-11-27T12:00:00+03:00")
pytestmark = pytest.mark.skipif(not SITES.exists(), reason="saved outlet sites not available")


def rest_posts(site: str) -> list[dict]:
    posts = []
    for path in (SITES / site / "wp-json" / "wp" / "v2" / "posts").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        posts.extend(data if isinstance(data, list) else [data])
    return list({p["id"]: p for p in posts}.values())


def page_file(site: str, link: str):
    path = urllib.parse.unquote(urllib.parse.urlsplit(link).path).strip("/")
    for candidate in (SITES / site / f"{path}.html", SITES / site / path / "index.html"):
        if candidate.exists():
            return candidate
    return None


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.mark.parametrize("site, theme", [("geiroon", "jannah"), ("euphratespost", "newspaper")])
def test_pages_agree_with_rest_api(site, theme):
    posts = rest_posts(site)
    if not posts:
        pytest.skip(f"{site}: no REST copies")
    checked = 0
    for post in posts:
        path = page_file(site, post["link"])
        if path is None:
            continue
        result = extract(path.read_bytes(), post["link"], theme=theme, now=NOW)
        assert result.family == theme
        assert result.title == plain(post["title"]["rendered"])
        assert result.published_at == dt.datetime.fromisoformat(post["date_gmt"] + "+00:00")
        paragraphs = [plain(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", post["content"]["rendered"], re.S)]
        paragraphs = [p for p in paragraphs if p]
        bylines = result.provenance.get("byline", "").split(" | ")
        assert result.text.split("\n\n") == [p for p in paragraphs if p not in bylines]
        assert result.post_id == str(post["id"])
        checked += 1
    assert checked >= 5


def test_faulty_site_cases():
    base = SITES / "faulty"
    if not base.exists():
        pytest.skip("faulty site not available")
    read = lambda name: (base / name / "index.html").read_bytes()  # noqa: E731
    mislabelled = extract(read("cp1256-mislabelled"), "https://faulty.example/cp1256-mislabelled/", encoding="utf-8", now=NOW)
    assert mislabelled.title == "نفوق أسماك في نهر الفرات قرب مدينة الميادين"
    assert "\ufffd" not in mislabelled.text and "دير الزور" in mislabelled.text or "الميادين" in mislabelled.text
    assert any("decoded as windows-1256" in w for w in mislabelled.warnings)
    truncated = extract(read("truncated-article")[:3170], "https://faulty.example/truncated-article/", now=NOW)
    assert truncated.published_at == dt.datetime.fromisoformat("2026-11-22T12:00:00+03:00")
    assert truncated.text and any(w.startswith("html: truncated") for w in truncated.warnings)
    undated = extract(read("no-date-article"), "https://faulty.example/no-date-article/", now=NOW)
    assert undated.title == "افتتاح سوق شعبي جديد في مدينة دير الزور" and undated.published_at is None
    good = extract(read("good-article"), "https://faulty.example/good-article/", now=NOW)
    assert good.published_at == dt.datetime.fromisoformat("2026-11-26T16:05:00+03:00")
    assert len(good.text.split("\n\n")) == 3 and not good.warnings
    for name in ("empty-page", "binary-page"):
        with pytest.raises(ExtractionError, match=f"faulty.example/{name}"):
            extract(read(name), f"https://faulty.example/{name}/", encoding="utf-8", now=NOW)
