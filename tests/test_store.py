"""The store on real engines: SQLite file and PostgreSQL server."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, inspect, text

from crawler.items import Article
from storage import Store, StoreError
from storage.repository import article_id_for

DAMASCUS = dt.timezone(dt.timedelta(hours=3))


def article(**kw) -> Article:
    base = dict(url="https://geiroon.net/archives/175201", outlet="geiroon", title="عنوان",
                text="الفقرة الأولى.\n\nالفقرة الثانية.", lead="الفقرة الأولى.",
                published_at=dt.datetime(2026, 11, 24, 10, 30, tzinfo=DAMASCUS), tags=["دير الزور"])
    base.update(kw)
    return Article(**base)


def test_new_then_unchanged_then_new_version(db_url):
    store = Store(db_url)
    first = store.save_article(article())
    assert first.status == "new" and first.version == 1
    again = store.save_article(article())
    assert again.status == "unchanged" and again.article_id == first.article_id
    edited = store.save_article(article(title="عنوان معدّل"))
    assert edited.status == "updated" and edited.version == 2 and edited.changes == ("title",)
    assert store.count() == 1
    versions = store.versions(first.article_id)
    assert [v["version"] for v in versions] == [1]
    assert versions[0]["title"] == "عنوان" and versions[0]["changes"] == ["title"]
    stored = store.get_article(first.article_id)
    assert stored.title == "عنوان معدّل" and stored.version == 2


def test_same_canonical_url_in_other_forms_is_one_article(db_url):
    store = Store(db_url)
    a = store.save_article(article())
    for variant in ("http://www.geiroon.net/archives/175201/?utm_source=fb&fbclid=xyz",
                    "HTTPS://GEIROON.NET:443/archives/175201#comments",
                    "https://geiroon.net/archives/175201/amp/"):
        result = store.save_article(article(url=variant))
        assert result.article_id == a.article_id and result.status == "unchanged", variant
    assert store.count() == 1


def test_same_body_on_second_url_of_same_outlet_is_a_duplicate(db_url):
    store = Store(db_url)
    a = store.save_article(article())
    dup = store.save_article(article(url="https://geiroon.net/?p=175201"))
    assert dup.status == "duplicate" and dup.article_id == a.article_id
    assert store.known_urls(["https://geiroon.net/?p=175201"]) == {"https://geiroon.net/?p=175201"}
    # the same body at another outlet is that outlet's article (stories group them later)
    other = store.save_article(article(url="https://euphratespost.net/x/", outlet="euphratespost"))
    assert other.status == "new" and other.article_id != a.article_id
    assert store.count() == 2


def test_unconfigured_outlet_is_stored_not_rejected(db_url):
    store = Store(db_url)
    result = store.save_article(article(url="https://example.org/news/1", outlet="imported_outlet"))
    assert result.status == "new"
    assert store.get_article(result.article_id).outlet == "imported_outlet"


def test_datetimes_round_trip_with_offset(db_url):
    store = Store(db_url)
    result = store.save_article(article())
    stored = store.get_article(result.article_id)
    assert stored.published_at == dt.datetime(2026, 11, 24, 7, 30, tzinfo=dt.timezone.utc)
    record = stored.to_record("Asia/Damascus")
    assert record["published_at"] == "2026-11-24T10:30:00+03:00"
    assert record["first_seen_at"].endswith("+03:00")
    assert record["id"] == article_id_for("https://geiroon.net/archives/175201")


def test_naive_datetime_is_refused_not_guessed(db_url):
    store = Store(db_url)
    with pytest.raises(Exception, match="naive datetime"):
        store.save_article(article(published_at=dt.datetime(2026, 11, 24, 10, 30)))
    assert store.count() == 0


def test_crawl_runs_and_validators(db_url):
    store = Store(db_url)
    run = store.start_run("geiroon")
    store.finish_run(run, "failed", {"rasad/articles/new": 0}, "feed gave HTTP 500")
    run = store.start_run("geiroon")
    store.finish_run(run, "failed", {}, "feed gave HTTP 500")
    (stats,) = store.outlet_stats()
    assert stats["consecutive_failures"] == 2 and stats["last_status"] == "failed"
    store.set_validators("https://geiroon.net/feed/", '"abc"', "Tue, 24 Nov 2026 10:00:00 GMT")
    store.set_validators("https://geiroon.net/feed/", '"def"', None)
    assert store.get_validators("https://geiroon.net/feed/") == ('"def"', None)


def test_old_schema_is_migrated_in_place(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # an older store: articles without the later columns
        conn.execute(text("CREATE TABLE articles (id VARCHAR(32) PRIMARY KEY, outlet VARCHAR(64), url TEXT, "
                          "canonical_url VARCHAR(2048) UNIQUE, title TEXT, first_seen_at DATETIME)"))
        conn.execute(text("INSERT INTO articles VALUES ('a1', 'geiroon', 'https://geiroon.net/archives/1', "
                          "'https://geiroon.net/archives/1', 'قديم', '2026-01-01 00:00:00')"))
    engine.dispose()
    store = Store(url)
    columns = {c["name"] for c in inspect(store.engine).get_columns("articles")}
    assert {"content_hash", "version", "sources", "text"} <= columns
    assert store.get_article("a1").title == "قديم"
    assert store.save_article(article()).status == "new"


def test_bad_store_url_gives_clear_error_without_password():
    with pytest.raises(StoreError) as err:
        Store("postgresql://rasad:s3cret-pw@127.0.0.1:1/rasad")
    assert "s3cret-pw" not in str(err.value)
    assert "127.0.0.1" in str(err.value)


def test_many_processes_can_open_a_fresh_postgresql_store_at_once(pg_url):
    """Workers and services on several hosts start together: schema creation must not race."""
    import subprocess
    import sys
    code = f"from storage import Store; Store({pg_url!r}).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(8)]
    errors = [p.stderr.read() for p in procs if p.wait() != 0]
    assert not errors, errors[0][-800:]
    assert Store(pg_url).count() == 0


def test_a_shared_url_key_never_merges_two_posts(db_url):
    store = Store(db_url)
    first = store.save_article(article(url="https://geiroon.net/archives/1", post_id="1",
                                       canonical_url="https://geiroon.net/archives/shared"))
    second = store.save_article(article(url="https://geiroon.net/archives/2", post_id="2", title="آخر",
                                        text="نص مختلف تماما.", canonical_url="https://geiroon.net/archives/shared"))
    assert second.status == "new" and second.article_id != first.article_id
    assert store.count() == 2


def test_listing_pages_are_never_an_articles_canonical():
    from crawler.dedup import sane_canonical
    url = "https://geiroon.net/archives/175204"
    assert sane_canonical(url, "/archives/category/21/") is None
    assert sane_canonical(url, "https://geiroon.net/") is None
    assert sane_canonical(url, "https://other.example/archives/175204") is None
    assert sane_canonical(url, "https://www.geiroon.net/archives/175204/") == "https://www.geiroon.net/archives/175204/"


def test_password_with_raw_at_sign_is_refused_without_leaking_it():
    with pytest.raises(StoreError) as err:
        Store("postgresql://rasad:S3c@ret@127.0.0.1:1/rasad")
    assert "S3c" not in str(err.value) and "ret" not in str(err.value).replace("percent", "")
    assert "percent-encode" in str(err.value)


def test_two_writers_saving_one_body_at_two_urls_at_once_store_it_once(pg_url):
    # several workers store one outlet at once: the same-body check must hold under concurrency
    import threading
    stores = [Store(pg_url), Store(pg_url)]
    for round_ in range(15):
        barrier = threading.Barrier(2)
        results = []

        def save(i, store):
            a = article(url=f"https://geiroon.net/archives/{round_}-{i}", text=f"نص الخبر رقم {round_}.\n\nفقرة.")
            barrier.wait()
            results.append(store.save_article(a).status)
        threads = [threading.Thread(target=save, args=(i, st)) for i, st in enumerate(stores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["duplicate", "new"], (round_, results)
    assert stores[0].count() == 15
    for st in stores:
        st.close()
