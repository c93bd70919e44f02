"""--since/--until through ``search_times`` (SQLite) give exactly what testing the article's own
time gives, whatever wrote the dates; an older store gets the table once when opened."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import text

from crawler.items import Article
from storage import Store, search
from storage.query import build_filters

from .conftest import MAYADIN, corpus, seed, set_story, t

QUERIES = ("الميادين", "قصف OR الخبز OR التيار OR الميادين", "اليوم OR مجلس OR التيار", "الرقة")
RANGES = [dict(since="2026-11-22"), dict(since="2026-11-25"), dict(until="2026-11-22"),
          dict(since="2026-11-21", until="2026-11-24"), dict(since="2026-11-27"),
          dict(since="2026-11-22", story=True), dict(since="2026-11-20", watches=["deir-ez-zor"]),
          dict(since="2026-11-22", places=["منطقة الميادين"], outlets=["euphratespost,sharqsouri"]),
          dict(), dict(watches=["deir-ez-zor"]), dict(story=True), dict(outlets=["geiroon"], story=True)]


def hits(store: Store, query: str, times: bool, facets: bool = True, **kw) -> list[tuple[str, float | None, int]]:
    """(id, rank, story size) of the hits, with the time tested on search_times or (times=False)
    on the articles (and the outlet/watch/place on the articles when not ``facets``)."""
    with store.engine.connect() as conn:
        f = build_filters(conn, **kw)
        if not times:
            conn.execute(text("DELETE FROM schema_info WHERE key = :k"), {"k": search.TIMES_KEY})
        if not facets:
            conn.execute(text("DELETE FROM schema_info WHERE key = :k"), {"k": search.FACETS_KEY})
        assert search.times_ready(conn) is times
        out = [(h.article.id, h.rank, h.story_size)
               for h in search.run_search(conn, search.parse_query(query), f, limit=50)]
        conn.rollback()
    return out


def assert_same(store: Store, ranges=RANGES, queries=QUERIES) -> None:
    for kw in ranges:
        for query in queries:
            plain = hits(store, query, False, False, **kw)
            assert hits(store, query, True, **kw) == plain, (kw, query)
            assert hits(store, query, True, False, **kw) == plain, (kw, query)
            assert hits(store, query, False, **kw) == plain, (kw, query)


def times_table(store: Store) -> dict[str, dt.datetime | None]:
    with store.engine.connect() as c:
        return dict(c.execute(text(
            "SELECT d.article_id, st.t FROM search_times st JOIN search_docs d ON d.doc_id = st.doc_id")).all())


def article_times(store: Store) -> dict[str, str | None]:
    with store.engine.connect() as c:
        return dict(c.execute(text("SELECT id, coalesce(published_at, first_seen_at) FROM articles")).all())


@pytest.fixture
def store(sqlite_url):
    s = Store(sqlite_url)
    seed(s)
    yield s
    s.close()


def test_time_filters_match_the_article_columns(store):
    assert times_table(store) == article_times(store)
    assert_same(store)
    with store.engine.connect() as c:
        ids = c.execute(text("SELECT id FROM articles ORDER BY first_seen_at")).scalars().all()
    set_story(store, [ids[1], ids[3]], ids[1])           # two articles of the Mayadin story
    assert_same(store)


def test_times_follow_any_change_of_the_dates(store):
    """Raw SQL, a new version and a deleted article: the triggers keep search_times exact."""
    with store.engine.begin() as c:
        c.execute(text("UPDATE articles SET published_at = '2026-11-27 08:00:00.000000' "
                       "WHERE outlet = 'euphratespost'"))
        c.execute(text("UPDATE articles SET published_at = NULL, first_seen_at = '2026-11-19 08:00:00.000000' "
                       "WHERE outlet = 'sharqsouri'"))
    assert times_table(store) == article_times(store)
    assert_same(store)
    assert [h[0] for h in hits(store, "الرقة", True, since="2026-11-27")] != []
    a = corpus()[0]
    moved = dataclasses.replace(a, text=a.text + " وفي الرقة أيضًا.", published_at=t(27, 12))
    assert store.save_article(moved).status == "updated"
    assert times_table(store) == article_times(store)
    assert_same(store)
    with store.engine.begin() as c:
        c.execute(text("DELETE FROM articles WHERE outlet = 'geiroon'"))
    assert times_table(store) == article_times(store)
    assert_same(store)


def test_store_without_times_gets_them_on_open(sqlite_url):
    store = Store(sqlite_url)
    seed(store)
    with store.engine.begin() as c:                     # a store indexed before search_times existed
        c.execute(text("DROP TABLE search_times"))
        for name in search._TIME_TRIGGERS:
            c.execute(text(f"DROP TRIGGER {name}"))
        c.execute(text("DELETE FROM schema_info WHERE key = :k"), {"k": search.TIMES_KEY})
        c.execute(text("UPDATE articles SET published_at = '2026-11-27 08:00:00.000000' WHERE outlet = 'geiroon'"))
    store.close()
    store = Store(sqlite_url)
    with store.engine.connect() as c:
        assert search.times_ready(c)
    assert times_table(store) == article_times(store)
    assert len(times_table(store)) == len(corpus())
    assert_same(store)
    store.close()


def test_lost_trigger_or_emptied_table_is_rebuilt_on_open(sqlite_url):
    store = Store(sqlite_url)
    seed(store)
    with store.engine.begin() as c:
        c.execute(text("DROP TRIGGER search_times_article_dated"))
        c.execute(text("UPDATE articles SET first_seen_at = '2026-11-19 08:00:00.000000', published_at = NULL"))
    store.close()
    store = Store(sqlite_url)
    assert times_table(store) == article_times(store)
    with store.engine.begin() as c:
        c.execute(text("DELETE FROM search_times"))
    store.close()
    store = Store(sqlite_url)
    assert times_table(store) == article_times(store)
    assert_same(store)
    store.close()


def test_doc_ids_out_of_time_order_and_wide_ranges(sqlite_url, monkeypatch):
    """Articles indexed newest first (an archive import) and a range too wide to bound the scan."""
    store = Store(sqlite_url)
    base = dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    words = ["قصف", "الخبز", "الميادين", "اليوم"]
    arts = [Article(url=f"https://geiroon.net/archives/{9000 + i}", outlet="geiroon",
                    title=f"{words[i % 4]} عنوان {i}", text=f"{words[(i + 1) % 4]} {words[i % 3]} نص رقم {i}",
                    published_at=None if i % 7 == 0 else base - dt.timedelta(hours=5 * i),
                    first_seen_at=base - dt.timedelta(hours=5 * i - 1),
                    places=[MAYADIN] if i % 3 == 0 else [], watches=["deir-ez-zor"] if i % 3 == 0 else [])
            for i in range(120)]
    seed(store, arts)
    ranges = [dict(since="2026-10-25"), dict(since="2026-10-10", until="2026-10-20"), dict(until="2026-10-15"),
              dict(since="2026-10-20", places=["منطقة الميادين"]), dict(since="2026-10-18", story=True)]
    queries = ("قصف", "الخبز OR اليوم", "الميادين -قصف")
    assert_same(store, ranges, queries)
    monkeypatch.setattr(search, "TIME_BOUND_SCAN", 3)
    assert_same(store, ranges, queries)
    with store.engine.connect() as c:
        assert search.run_search(c, search.parse_query("قصف"), build_filters(c, since="2027-01-01")) == []
    store.close()


def test_times_survive_a_rebuild_of_the_index(store):
    with store.engine.begin() as c:
        c.execute(text("UPDATE schema_info SET value = 'old-rules' WHERE key = 'search_index'"))
    store.close()
    reopened = Store(store.engine.url.render_as_string(hide_password=False))
    assert times_table(reopened) == article_times(reopened)
    assert_same(reopened)
    reopened.close()


def test_postgresql_keeps_the_article_columns(db_url):
    store = Store(db_url)
    seed(store)
    with store.engine.connect() as c:
        assert search.times_ready(c) is (store.engine.dialect.name == "sqlite")
        f = build_filters(c, since="2026-11-22")
        got = {h.article.url for h in search.run_search(c, search.parse_query("الميادين OR الخبز"), f)}
    assert {u.rsplit("/", 1)[1] for u in got} == {"2002", "2003", "2004"}
    store.close()
