"""End to end: `rasad crawl` against saved-style copies of the outlets served on 127.0.0.1."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, write_config
from storage import Store

SAMPLE = (ROOT / "tests" / "fixtures" / "sites" / "_sources" / "geiroon-deir-ez-zor.txt")
CHROME = ("مقالات ذات صلة", "الوسوم", "إغلاق", "Author")


def crawl(rasad, tmp_path, servers: dict, *outlets, extra: str = "", db: str | None = None):
    config = write_config(tmp_path / "rasad.toml", servers, extra)
    db = db or f"sqlite:///{tmp_path / 'rasad.db'}"
    result = rasad("crawl", *outlets, config=config, db=db)
    return result, Store(db)


def article_hits(server) -> list[str]:
    return [h["path"] for h in server.hits if h["path"].startswith("/archives/1")]


def by_title(store: Store, fragment: str):
    matches = [a for a in store.iter_articles() if fragment in (a.title or "")]
    assert len(matches) == 1, [a.title for a in store.iter_articles()]
    return matches[0]


def test_geiroon_crawl_end_to_end(serve, rasad, tmp_path):
    site = serve("geiroon")
    result, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"geiroon\s+finished\s+feed\s+8\b", result.stdout), result.stdout
    assert store.count("geiroon") == 8

    a = by_title(store, "التحالف يُفشل محاولة تقدم")
    sample = [p.strip() for p in SAMPLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert a.section == sample[0] == "تحقيقات وتقارير سياسية"
    assert a.title == sample[1]
    assert a.lead == sample[2]
    # the body is exactly the article's paragraphs: from the lead to the last body paragraph
    assert a.text.split("\n\n") == sample[2:-4]
    for word in CHROME:
        assert word not in a.text, word
    assert "فرات بوست" in a.sources and "الشرق السوري" in a.sources
    record = a.to_record("Asia/Damascus")
    assert record["published_at"].endswith("+03:00")
    assert record["language"] == "ar" and record["version"] == 1 and len(record["content_hash"]) == 64
    assert record["canonical_url"].startswith(site.base_url)

    # polite: robots.txt first, an honest User-Agent naming rasad and the configured contact
    assert site.hits[0]["path"] == "/robots.txt"
    agents = {h["headers"].get("user-agent", "") for h in site.hits}
    assert all(ua.startswith("rasad/") and "https://rasad.example/contact" in ua for ua in agents), agents


def test_second_crawl_is_conditional_and_writes_nothing(serve, rasad, tmp_path):
    site = serve("geiroon")
    first, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert first.returncode == 0
    site.hits.clear()
    second, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert second.returncode == 0, second.stderr[-2000:]
    feed = [h for h in site.hits if h["path"] == "/feed/"]
    assert feed and feed[0]["headers"].get("if-none-match") and feed[0]["status"] == 304
    assert article_hits(site) == []
    assert store.count() == 8
    assert re.search(r"geiroon\s+finished\s+feed\s+0\b", second.stdout), second.stdout


def test_new_article_is_fetched_and_paging_stops_at_known_ones(serve, rasad, tmp_path):
    site = serve("geiroon")
    crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    root = tmp_path / "sites" / "geiroon"
    # the outlet publishes: a new article page and a new first item in the feed
    page = (root / "archives" / "175208.html").read_text(encoding="utf-8")
    page = page.replace("175208", "175209").replace("ذيبان", "الباغوز")
    (root / "archives" / "175209.html").write_text(page, encoding="utf-8")
    feed = (root / "feed" / "index.xml").read_text(encoding="utf-8")
    first_item = feed.index("<item>")
    item = feed[first_item:feed.index("</item>", first_item) + len("</item>")]
    feed = feed[:first_item] + item.replace("175208", "175209").replace("ذيبان", "الباغوز") + feed[first_item:]
    (root / "feed" / "index.xml").write_text(feed, encoding="utf-8")
    site.hits.clear()

    result, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert result.returncode == 0, result.stderr[-2000:]
    assert article_hits(site) == ["/archives/175209"]
    assert not [h for h in site.hits if h["path"] == "/feed/" and "paged" in h["query"]]
    assert store.count() == 9
    assert "الباغوز" in by_title(store, "الباغوز").title


def test_edited_article_becomes_a_new_version(serve, rasad, tmp_path):
    site = serve("geiroon")
    api_only = {"discovery": ["api"]}
    result, store = crawl(rasad, tmp_path, {"geiroon": (site, api_only)}, "geiroon")
    assert result.returncode == 0 and store.count() == 8, result.stdout + result.stderr[-2000:]
    root = tmp_path / "sites" / "geiroon"
    page = root / "archives" / "175208.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("تخلّف قتيلين", "تخلّف ثلاثة قتلى"), encoding="utf-8")
    for listing in root.rglob("*.json"):
        posts = json.loads(listing.read_text(encoding="utf-8"))
        if not isinstance(posts, list):
            continue
        for post in posts:
            if post.get("id") == 175208:
                post["modified_gmt"] = "2026-11-27T09:00:00"
        listing.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
    site.hits.clear()

    result, store = crawl(rasad, tmp_path, {"geiroon": (site, api_only)}, "geiroon")
    assert result.returncode == 0, result.stderr[-2000:]
    assert article_hits(site) == ["/archives/175208"]
    assert store.count() == 8
    edited = by_title(store, "ثلاثة قتلى")
    assert edited.version == 2
    (old,) = store.versions(edited.id)
    assert "قتيلين" in old["title"] and "title" in old["changes"]


def test_robots_txt_is_obeyed(serve, rasad, tmp_path):
    site = serve("geiroon")
    robots = tmp_path / "sites" / "geiroon" / "robots.txt"
    robots.write_text("User-agent: *\nDisallow: /archives/175203\n", encoding="utf-8")
    result, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert result.returncode == 0
    assert "/archives/175203" not in article_hits(site)
    assert store.count() == 7


def test_outlet_whose_every_source_fails_is_reported_failed(rasad, tmp_path):
    from crawler.sitesrv import SiteServer
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "_site.json").write_text('{"origin": "https://gone.example"}', encoding="utf-8")
    with SiteServer(empty) as site:
        result, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert result.returncode == 1
    assert re.search(r"geiroon\s+failed", result.stdout), result.stdout
    (stats,) = store.outlet_stats()
    assert stats["last_status"] == "failed" and stats["consecutive_failures"] == 1
    stats_out = rasad("stats", db=f"sqlite:///{tmp_path / 'rasad.db'}")
    assert stats_out.returncode == 0 and "failed" in stats_out.stdout


def test_crawl_into_postgresql(serve, rasad, tmp_path, pg_url):
    site = serve("geiroon")
    result, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon", db=pg_url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert store.count("geiroon") == 8
    again, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon", db=pg_url)
    assert again.returncode == 0 and store.count() == 8
    store.close()


def test_scrapy_list_and_crawl_from_the_repo_root(serve, tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if k != "RASAD_CONFIG"}
    scrapy = str(Path(sys.executable).parent / "scrapy")
    listed = subprocess.run([scrapy, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert {"geiroon", "euphratespost", "sharqsouri"} <= set(listed.stdout.split())
    site = serve("geiroon")
    env["RASAD_DB_URL"] = f"sqlite:///{tmp_path / 'scrapy.db'}"
    done = subprocess.run([scrapy, "crawl", "geiroon", "-a", f"base_url={site.base_url}", "-s", "LOG_LEVEL=WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert Store(env["RASAD_DB_URL"]).count("geiroon") == 8


def test_config_only_outlet_needs_no_python(serve, rasad, tmp_path):
    """An outlet on standard WordPress is added with a rasad.toml table alone."""
    site = serve("geiroon")
    extra = f"""
[outlets.newoutlet]
name = "A new outlet"
base_url = "{site.base_url}"
domains = ["127.0.0.1"]
"""
    config = write_config(tmp_path / "rasad.toml", {}, extra)
    listed = rasad("outlets", config=config)
    assert "newoutlet" in listed.stdout
    db = f"sqlite:///{tmp_path / 'new.db'}"
    result = rasad("crawl", "newoutlet", config=config, db=db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert Store(db).count("newoutlet") == 8


def test_cli_usage_errors(rasad, tmp_path):
    unknown = rasad("crawl", "nosuchoutlet")
    assert unknown.returncode == 2 and "unknown outlet 'nosuchoutlet'" in unknown.stderr
    nothing = rasad("crawl")
    assert nothing.returncode == 2 and "--all" in nothing.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[outlets.x]\nbase_url = 'ftp://nope'\n", encoding="utf-8")
    broken = rasad("outlets", config=bad)
    assert broken.returncode == 2 and "outlets.x.base_url" in broken.stderr
    outlets = rasad("outlets")
    assert outlets.returncode == 0
    assert re.search(r"sharqsouri\s.*UNVERIFIED", outlets.stdout)


def test_euphratespost_falls_back_from_a_forbidden_feed(serve, rasad, tmp_path):
    site = serve("euphratespost")
    result, store = crawl(rasad, tmp_path, {"euphratespost": site}, "euphratespost")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [h["status"] for h in site.hits if h["path"] == "/feed/"] == [403]
    assert re.search(r"euphratespost\s+finished\s+api\s+6\b", result.stdout), result.stdout
    articles = list(store.iter_articles())
    assert len(articles) == 6
    for a in articles:  # percent-encoded Arabic slugs, one spelling
        assert re.search(r"/%D[89]%[0-9A-F]{2}", a.canonical_url), a.canonical_url
        assert a.published_at is not None and a.title and a.text
        assert not a.text.startswith(("فرات بوست/", "خاص فرات بوست")), a.text[:40]


def test_sharqsouri_is_crawled_and_flagged_unverified(serve, rasad, tmp_path):
    site = serve("sharqsouri")
    result, store = crawl(rasad, tmp_path, {"sharqsouri": site}, "sharqsouri")
    assert result.returncode == 0, result.stderr[-2000:]
    assert store.count("sharqsouri") == 5
    assert "UNVERIFIED" in result.stderr


def test_bad_input_is_retried_or_skipped_and_counted(serve, rasad, tmp_path):
    """faulty/EXPECTED.md: encodings, truncation, no date, 404, 500-then-200, timeout, empty, binary."""
    site = serve("faulty")
    result, store = crawl(rasad, tmp_path, {"faulty": site}, "faulty")
    assert result.returncode == 0, result.stderr[-3000:]
    titles = {a.title: a for a in store.iter_articles()}
    assert set(titles) == {
        "ارتفاع أسعار الأدوية في صيدليات دير الزور بنسبة كبيرة",        # windows-1256, declared
        "نفوق أسماك في نهر الفرات قرب مدينة الميادين",                   # windows-1256, labelled utf-8
        "افتتاح سوق شعبي جديد في مدينة دير الزور",                       # no date anywhere
        "عودة العمل في معبر الصالحية بين ضفتي الفرات بعد إغلاق دام أسبوعًا",  # 500, then 200
        "مزارعو دير الزور يبدأون زراعة القمح وسط مخاوف من شح المياه",      # good
    }
    for a in titles.values():
        assert "\ufffd" not in a.text + a.title
        assert "دير الزور" in a.text + a.title or "الفرات" in a.text
    assert titles["افتتاح سوق شعبي جديد في مدينة دير الزور"].published_at is None
    assert titles["مزارعو دير الزور يبدأون زراعة القمح وسط مخاوف من شح المياه"].to_record()[
        "published_at"] == "2026-11-26T16:05:00+03:00"
    flaky = [h["status"] for h in site.hits if h["path"] == "/flaky-article/"]
    assert flaky == [500, 200]
    (run,) = store.outlet_stats()
    counts = run["last_counts"]
    assert run["last_status"] == "finished"
    assert counts["rasad/skipped/truncated"] == 1
    assert counts["rasad/skipped/unreadable"] == 2          # empty page, PNG served as HTML
    assert counts["rasad/article_failed/HTTP_404"] == 1
    assert counts["rasad/article_failed"] == 2              # 404 and the timeout
    assert counts["rasad/missing/published_at"] == 1
    # nothing was lost for good: the next poll re-reads the feed (no 304) and retries the rest
    site.hits.clear()
    site.reset_faults()
    again = rasad("crawl", "faulty", config=tmp_path / "rasad.toml", db=f"sqlite:///{tmp_path / 'rasad.db'}")
    assert again.returncode == 0
    assert [(h["query"], h["status"]) for h in site.hits if h["path"] == "/feed/"] == [("", 200)]
    retried = {h["path"] for h in site.hits if h["path"] != "/feed/"}
    assert {"/truncated-article/", "/slow-article/", "/deleted-article/"} <= retried  # from the backlog
    assert store.count() == 5
    backlog = {u.rsplit("/", 2)[-2] for u in store.backlog("faulty")}
    assert backlog == {"truncated-article", "slow-article", "deleted-article", "empty-page", "binary-page"}


def test_unreachable_site_fails_fast_and_is_recorded(rasad, tmp_path):
    import socket
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    class Down:
        base_url = f"http://127.0.0.1:{port}"
    result, store = crawl(rasad, tmp_path, {"geiroon": Down()}, "geiroon")
    assert result.returncode == 1
    (stats,) = store.outlet_stats()
    assert stats["last_status"] == "failed"
    run_error = store.session().execute(__import__("sqlalchemy").text("select error from crawl_runs")).scalar()
    assert "ConnectionRefused" in run_error and "api" not in run_error  # no point trying other sources


def _publish(root: Path, new_id: int = 175209) -> None:
    """The outlet publishes an article: its page, and its entry in the REST API and the sitemap."""
    page = (root / "archives" / "175208.html").read_text(encoding="utf-8")
    (root / "archives" / f"{new_id}.html").write_text(
        page.replace("175208", str(new_id)).replace("ذيبان", "الباغوز"), encoding="utf-8")
    for listing in root.rglob("*.json"):
        posts = json.loads(listing.read_text(encoding="utf-8"))
        if isinstance(posts, list) and any(p.get("id") == 175208 for p in posts):
            first = dict(posts[0], id=new_id, link=f"https://geiroon.net/archives/{new_id}",
                         date_gmt="2026-11-27T08:00:00", modified_gmt="2026-11-27T08:00:00")
            listing.write_text(json.dumps([first] + posts, ensure_ascii=False), encoding="utf-8")
    sitemap = root / "wp-sitemap-posts-post-1.xml"
    xml = sitemap.read_text(encoding="utf-8")
    sitemap.write_text(xml.replace("</urlset>", f"<url><loc>https://geiroon.net/archives/{new_id}</loc></url></urlset>"),
                       encoding="utf-8")


def test_a_feed_that_is_not_a_feed_never_hides_new_articles(serve, rasad, tmp_path):
    site = serve("geiroon")
    root = tmp_path / "sites" / "geiroon"
    (root / "feed" / "index.xml").unlink()
    (root / "feed" / "index.html").write_text("<html><body>maintenance</body></html>", encoding="utf-8")
    first, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert re.search(r"geiroon\s+finished\s+api\s+8\b", first.stdout), first.stdout
    _publish(root)
    second, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert store.count() == 9, second.stdout


def test_a_failed_later_page_is_read_at_the_next_run(serve, rasad, tmp_path):
    site = serve("geiroon")
    faults = tmp_path / "sites" / "geiroon" / "_faults.json"
    faults.write_text(json.dumps({"/feed/?paged=2": {"status": 503}}), encoding="utf-8")
    first, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert first.returncode == 0 and store.count() == 5
    faults.write_text(json.dumps({"/feed/?paged=3": {"status": 404}}), encoding="utf-8")
    second, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert store.count() == 8, second.stdout   # page 1 is all stored, yet page 2 is read this time
    third, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert re.search(r"geiroon\s+finished\s+feed\s+0\b", third.stdout), third.stdout


def test_an_article_that_was_empty_once_is_fetched_again(serve, rasad, tmp_path):
    site = serve("geiroon")
    page = tmp_path / "sites" / "geiroon" / "archives" / "175205.html"
    html = page.read_bytes()
    page.write_bytes(b"")
    first, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert store.count() == 7
    page.write_bytes(html)
    second, store = crawl(rasad, tmp_path, {"geiroon": site}, "geiroon")
    assert store.count() == 8, second.stdout


def test_new_entries_in_a_child_sitemap_are_found(serve, rasad, tmp_path):
    site = serve("geiroon")
    sitemap_only = {"discovery": ["sitemap"], "sitemaps": ["/wp-sitemap.xml"]}
    first, store = crawl(rasad, tmp_path, {"geiroon": (site, sitemap_only)}, "geiroon")
    assert re.search(r"geiroon\s+finished\s+sitemap\s+8\b", first.stdout), first.stdout + first.stderr[-2000:]
    _publish(tmp_path / "sites" / "geiroon")
    second, store = crawl(rasad, tmp_path, {"geiroon": (site, sitemap_only)}, "geiroon")
    assert store.count() == 9, second.stdout


def test_an_api_edit_flag_is_refetched_once_not_every_poll(serve, rasad, tmp_path):
    site = serve("geiroon")
    api_only = {"discovery": ["api"]}
    crawl(rasad, tmp_path, {"geiroon": (site, api_only)}, "geiroon")
    root = tmp_path / "sites" / "geiroon"
    for listing in root.rglob("*.json"):   # only the REST API's modified time moves (a tag edit)
        posts = json.loads(listing.read_text(encoding="utf-8"))
        if isinstance(posts, list):
            for post in posts:
                if post.get("id") == 175208:
                    post["modified_gmt"] = "2026-11-27T09:00:00"
            listing.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
    site.hits.clear()
    crawl(rasad, tmp_path, {"geiroon": (site, api_only)}, "geiroon")
    assert article_hits(site) == ["/archives/175208"]
    site.hits.clear()
    result, store = crawl(rasad, tmp_path, {"geiroon": (site, api_only)}, "geiroon")
    assert article_hits(site) == [], result.stdout
    assert by_title(store, "ذيبان").version == 1
