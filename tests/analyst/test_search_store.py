"""Search on the real engines: SQLite FTS5 and PostgreSQL full text (``db_url`` runs both)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import text

from crawler.items import Article
from storage import Store, search
from storage.query import FilterError, Filters, build_filters

from .conftest import corpus, seed, set_story, t


def find(store: Store, query: str | None, **filters) -> list:
    story = filters.pop("story", False)
    limit = filters.pop("limit", 50)
    sort = filters.pop("sort", "rank")
    with store.engine.connect() as conn:
        f = build_filters(conn, story=story, **filters)
        return search.run_search(conn, search.parse_query(query) if query else None, f, limit=limit, sort=sort)


def urls(hits) -> set[str]:
    return {h.article.url.rsplit("/", 1)[-1] for h in hits}


def test_normalised_arabic_and_attached_prefixes(seeded):
    store, _ = seeded
    assert urls(find(store, "الزور")) == {"1001"}                    # text has الزُّور
    assert urls(find(store, "الميادين")) == {"1001", "2002", "2004"}  # وبالميادين, للميادين, الميادين
    assert urls(find(store, "بالميادين")) == {"1001"}                 # a prefix in the query is kept
    assert urls(find(store, "الرقة")) == {"2003"}                     # ة/ه unified
    assert urls(find(store, "اسعار")) == {"2003"}                     # أ/ا unified
    assert find(store, "حلب") == []


def test_every_clitic_combination_is_found(db_url):
    store = Store(db_url)
    forms = ["الميادين", "بالميادين", "وبالميادين", "فبالميادين", "للميادين", "وللميادين", "كالميادين",
             "والميادين", "فالميادين"]
    for i, form in enumerate(forms):
        store.save_article(Article(url=f"https://geiroon.net/archives/{i}", outlet="geiroon",
                                   title=f"خبر رقم {i}", text=f"وصلت قافلة {form} مساء الأمس."))
    assert len(find(store, "الميادين")) == len(forms)
    assert len(find(store, "الميادين مساء")) == len(forms)
    assert len(find(store, '"الميادين مساء"')) == len(forms)        # phrase right after a prefixed word
    assert len(find(store, "ميادين")) == 0                           # no stemming beyond the clitics


def test_ranking_title_before_body_and_snippet_from_original(seeded):
    store, _ = seeded
    hits = find(store, "الميادين")
    assert hits[0].article.url.endswith("2002") or hits[0].article.url.endswith("2004")  # in the title
    assert hits[-1].article.url.endswith("1001")                                          # body only
    assert all(h.rank is not None for h in hits)
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    s = search.snippet(hits[-1].article.text, search.parse_query("الميادين"))
    assert "[وبالميادين]" in s and "مسيّرة" in s                   # the outlet's own spelling


def test_operators_phrase_prefix_not_or(seeded):
    store, _ = seeded
    assert urls(find(store, '"دير الزور"')) == {"1001"}
    assert urls(find(store, '"الزور دير"')) == set()
    assert urls(find(store, "الكهرباء* OR الكهربائي")) == {"2004"}
    assert urls(find(store, "اسع*")) == {"2003"}
    assert urls(find(store, "الميادين -البوكمال")) == {"1001", "2004"}
    assert urls(find(store, "الرقه OR البوكمال")) == {"2002", "2003"}


def test_filters_outlet_watch_place_dates(seeded):
    store, _ = seeded
    assert urls(find(store, "الميادين", outlets=["geiroon"])) == {"1001"}
    assert urls(find(store, "الميادين", outlets=["geiroon,sharqsouri"])) == {"1001", "2004"}
    assert urls(find(store, None, watches=["deir-ez-zor"])) == {"1001", "2002", "2004"}
    # a district includes the town inside it; the town alone does not include the district
    assert urls(find(store, None, places=["منطقة الميادين"])) == {"1001", "2002", "2004"}
    assert urls(find(store, None, places=["SY0902"])) == {"2002"}
    assert urls(find(store, None, places=["دير الزور"])) == {"1001", "2002", "2004"}   # governorate
    # time = published_at, else first_seen_at (2004 has no date: seen on the 25th)
    assert urls(find(store, None, since="2026-11-22", until="2026-11-25")) == {"2002", "2003", "2004"}
    assert urls(find(store, None, since="2026-11-25T12:00:00+03:00")) == {"1005"}


def test_newest_first_without_query(seeded):
    store, _ = seeded
    hits = find(store, None, limit=3)
    assert [h.article.url[-4:] for h in hits] == ["1005", "2004", "2003"]


def test_relative_dates(db_url):
    store = Store(db_url)
    now = dt.datetime.now(dt.timezone.utc)
    for i, hours in enumerate((1, 30, 24 * 10)):
        store.save_article(Article(url=f"https://geiroon.net/archives/r{i}", outlet="geiroon",
                                   title=f"خبر {i}", text=f"نص الخبر {i}", published_at=now - dt.timedelta(hours=hours)))
    assert urls(find(store, None, since="24h")) == {"r0"}
    assert urls(find(store, None, since="7d")) == {"r0", "r1"}
    assert urls(find(store, None, until="7d")) == {"r2"}


def test_story_collapses_to_earliest_seen_article(seeded):
    store, ids = seeded
    set_story(store, [ids[0], ids[1], ids[3]], ids[1])          # 1001 (seen 20th), 2002 (22nd), 2004 (25th)
    hits = find(store, "الميادين", story=True)
    assert len(hits) == 1 and hits[0].article.url.endswith("1001") and hits[0].story_size == 3
    assert hits[0].article.story_id == ids[1]
    # the lead is the earliest among the matches; articles without a story are their own
    assert urls(find(store, None, story=True, outlets=["euphratespost"])) == {"2002", "2003"}
    assert len(find(store, None, story=True)) == 3


def test_bad_filter_values(seeded):
    store, _ = seeded
    with store.engine.connect() as conn:
        for kw, word in ((dict(outlets=["nosuch"]), "outlet"), (dict(watches=["nosuch"]), "watch"),
                         (dict(places=["أتلانتس"]), "place"), (dict(since="yesterday"), "date"),
                         (dict(since="2026-11-20", until="2026-11-19"), "empty")):
            with pytest.raises(FilterError, match=word):
                build_filters(conn, **kw)


def test_new_version_reindexes(db_url):
    store = Store(db_url)
    a = corpus()[2]
    store.save_article(dataclasses.replace(a))
    assert urls(find(store, "الخبز")) == {"2003"}
    edited = dataclasses.replace(a, title="أسعار الطحين في الرقة", text="ارتفعت أسعار الطحين في مدينة الرقة.")
    assert store.save_article(edited).status == "updated"
    assert find(store, "الخبز") == []
    assert urls(find(store, "الطحين")) == {"2003"}
    assert store.save_article(dataclasses.replace(edited)).status == "unchanged"
    with store.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM search_docs")).scalar() == 1


def test_store_from_before_the_index_is_backfilled_on_open(db_url):
    store = Store(db_url)
    seed(store)
    # make it an older store: no search tables, no fingerprint
    with store.engine.begin() as c:
        c.execute(text("DROP TABLE search_docs"))
        if c.dialect.name == "sqlite":
            c.execute(text("DROP TABLE search_fts"))
        c.execute(text("DELETE FROM schema_info WHERE key = 'search_index'"))
    store.close()
    reopened = Store(db_url)
    assert urls(find(reopened, "الميادين")) == {"1001", "2002", "2004"}
    # rows that lost their index entry (e.g. written by raw SQL) are indexed on the next open too
    with reopened.engine.begin() as c:
        c.execute(text("DELETE FROM search_docs WHERE article_id IN (SELECT id FROM articles WHERE outlet = 'sharqsouri')"))
    reopened.close()
    assert urls(find(Store(db_url), "الميادين")) == {"1001", "2002", "2004"}


def test_changed_index_rules_rebuild_the_index(db_url, monkeypatch):
    store = Store(db_url)
    seed(store)
    with store.engine.begin() as c:
        c.execute(text("UPDATE schema_info SET value = 'old-rules' WHERE key = 'search_index'"))
        c.execute(text("UPDATE articles SET title = 'عنوان جديد كليا' WHERE outlet = 'sharqsouri'"))
    store.close()
    store = Store(db_url)
    assert urls(find(store, "كليا")) == {"2004"}
    with store.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM search_docs")).scalar() == len(corpus())


def test_old_schema_store_is_migrated_and_indexed_on_open(tmp_path):
    from sqlalchemy import create_engine
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:   # an early store: no lead/text columns, no search tables
        conn.execute(text("CREATE TABLE articles (id VARCHAR(32) PRIMARY KEY, outlet VARCHAR(64), url TEXT, "
                          "canonical_url VARCHAR(2048) UNIQUE, title TEXT, first_seen_at DATETIME)"))
        conn.execute(text("INSERT INTO articles VALUES ('a1', 'geiroon', 'https://geiroon.net/archives/1', "
                          "'https://geiroon.net/archives/1', 'قصف وبالميادين', '2026-01-01 00:00:00')"))
    engine.dispose()
    store = Store(url)
    assert [h.article.id for h in find(store, "الميادين")] == ["a1"]


def test_very_common_queries_are_ranked_among_the_most_recent_matches(db_url):
    store = Store(db_url)
    for i in range(6):
        title = "الميادين الميادين الميادين" if i == 0 else f"خبر {i}"    # the best match is the oldest
        store.save_article(Article(url=f"https://geiroon.net/archives/c{i}", outlet="geiroon", title=title,
                                   text=f"نص عن الميادين رقم {i}", first_seen_at=t(10 + i)))
    with store.engine.connect() as conn:
        q = search.parse_query("الميادين")
        exact = search.run_search(conn, q, Filters(), limit=3)
        assert exact[0].article.url.endswith("c0") and len(exact) == 3
        capped = search.run_search(conn, q, Filters(), limit=3, candidates=4)
        assert len(capped) == 3 and {h.article.url[-2:] for h in capped} <= {"c2", "c3", "c4", "c5"}
        newest = search.run_search(conn, q, Filters(), limit=2, sort="time")
        assert [h.article.url[-2:] for h in newest] == ["c5", "c4"]
