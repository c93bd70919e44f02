"""Story lifecycle in the store (SQLite and PostgreSQL) and the Redis-backed band index."""
from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pytest
from sqlalchemy import func, select

from conftest import REDIS_URL, service_missing
from crawler.items import Article
from storage import Store
from storage.models import ArticleSignatureRow, LshBandRow, StoryRow
from storage.stories import StoryIndexError, StoryService

from .test_neardup import REPORT, SAME_PLACE_OTHER_EVENT

T0 = dt.datetime(2026, 11, 2, 6, 30, tzinfo=dt.timezone.utc)
BOILER_HEAD = "دير الزور – فرات بوست\n\n"
BOILER_FOOT = "\n\nالمصدر: موقع جيرون\n\nتابعوا آخر أخبار دير الزور على قناتنا في تلغرام."


def art(outlet: str, path: str, text: str, minutes: float = 0, **kw) -> Article:
    hosts = {"geiroon": "geiroon.net", "euphratespost": "euphratespost.net", "sharqsouri": "sharqsouri.net"}
    when = T0 + dt.timedelta(minutes=minutes)
    base = dict(url=f"https://{hosts.get(outlet, outlet + '.example')}/{path}", outlet=outlet, title="قصف الميادين",
                text=text, published_at=when, first_seen_at=when)
    base.update(kw)
    return Article(**base)


def save_assign(store: Store, stories: StoryService, article: Article):
    saved = store.save_article(article)
    return saved, stories.assign(saved.article_id)


def test_story_lifecycle_copy_joins_other_event_does_not(db_url):
    store = Store(db_url)
    stories = StoryService(store)
    _, first = save_assign(store, stories, art("geiroon", "archives/1", REPORT, 0))
    assert first.status == "new" and first.story_id
    _, copy = save_assign(store, stories, art("euphratespost", "2026/11/x/", BOILER_HEAD + REPORT + BOILER_FOOT, 40))
    assert copy.status == "joined" and copy.story_id == first.story_id
    _, other = save_assign(store, stories, art("geiroon", "archives/2", SAME_PLACE_OTHER_EVENT, 90))
    assert other.status == "new" and other.story_id != first.story_id

    story = stories.story(first.story_id)
    assert [m.outlet for m in story.articles] == ["geiroon", "euphratespost"]
    assert story.lead_article_id == first.article_id and story.lead.outlet == "geiroon"
    assert story.first_seen_at == T0
    assert [m.first_seen_at for m in story.articles] == [T0, T0 + dt.timedelta(minutes=40)]
    assert stories.story_of(copy.article_id).id == first.story_id
    assert stories.count() == 2
    # assigning again changes nothing
    assert stories.assign(copy.article_id).status == "unchanged"
    with store.session() as s:
        assert s.scalar(select(StoryRow.article_count).where(StoryRow.id == first.story_id)) == 2


def test_earlier_copy_seen_later_becomes_the_lead(db_url):
    store = Store(db_url)
    stories = StoryService(store)
    _, late = save_assign(store, stories, art("euphratespost", "2026/11/x/", REPORT, 120))
    # an import brings the original, first seen two hours earlier
    _, early = save_assign(store, stories, art("sharqsouri", "2026/11/y/", BOILER_HEAD + REPORT, 0))
    assert early.status == "joined" and early.story_id == late.story_id
    story = stories.story(late.story_id)
    assert story.lead_article_id == early.article_id and story.first_seen_at == T0
    assert [m.outlet for m in story.articles] == ["sharqsouri", "euphratespost"]


def test_new_version_keeps_its_story_and_unchanged_recrawl_writes_nothing(db_url):
    store = Store(db_url)
    stories = StoryService(store)
    saved, first = save_assign(store, stories, art("geiroon", "archives/1", REPORT))
    _, copy = save_assign(store, stories, art("euphratespost", "2026/11/x/", REPORT + BOILER_FOOT, 30))
    edited = REPORT.replace("بالحرجة", "بالخطرة") + "\n\nوارتفعت حصيلة القتلى إلى أربعة بعد وفاة أحد المصابين."
    version, again = save_assign(store, stories, art("geiroon", "archives/1", edited))
    assert version.status == "updated" and version.version == 2
    assert again.status == "kept" and again.story_id == first.story_id
    # a rewrite so heavy it no longer matches still stays in its story: never a second story
    version3, kept = save_assign(store, stories, art("geiroon", "archives/1", SAME_PLACE_OTHER_EVENT))
    assert version3.status == "updated" and kept.status == "kept" and kept.story_id == first.story_id
    assert stories.count() == 1
    with store.session() as s:
        bands = s.scalar(select(func.count()).select_from(LshBandRow))
        sigs = s.scalar(select(func.count()).select_from(ArticleSignatureRow))
    assert sigs == 2 and bands <= 2 * 32  # the old version's bands were replaced, not added to
    unchanged, result = save_assign(store, stories, art("geiroon", "archives/1", SAME_PLACE_OTHER_EVENT))
    assert unchanged.status == "unchanged" and result.status == "unchanged"
    assert stories.story(first.story_id).lead_article_id == saved.article_id


def test_index_survives_a_restart(db_url):
    store = Store(db_url)
    _, first = save_assign(store, StoryService(store), art("geiroon", "archives/1", REPORT))
    store.close()
    reopened = Store(db_url)  # a new process: nothing in memory
    _, copy = save_assign(reopened, StoryService(reopened), art("sharqsouri", "2026/11/z/", REPORT + BOILER_FOOT, 5))
    assert copy.status == "joined" and copy.story_id == first.story_id


def test_old_copy_outside_the_window_is_a_new_story(db_url):
    store = Store(db_url)
    stories = StoryService(store)
    _, first = save_assign(store, stories, art("geiroon", "archives/1", REPORT))
    _, later = save_assign(store, stories, art("euphratespost", "2026/12/x/", REPORT, 60 * 24 * 30))
    assert later.status == "new" and later.story_id != first.story_id


def test_wordpress_shortlink_of_a_stored_post_is_known(db_url):
    store = Store(db_url)
    stories = StoryService(store)
    saved, _ = save_assign(store, stories, art("geiroon", "2026/11/qasf-al-mayadin/", REPORT, post_id="175201"))
    assert store.known_urls(["https://www.geiroon.net/?p=175201&utm_source=rss"]) == \
        {"https://www.geiroon.net/?p=175201&utm_source=rss"}
    # the post served under its shortlink is the same article, not a second one
    again = store.save_article(art("geiroon", "?p=175201", REPORT))
    assert again.article_id == saved.article_id and store.count() == 1


# ---- Redis-backed index -------------------------------------------------------------------

@pytest.fixture
def redis_index():
    try:
        import redis
        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        service_missing("Redis", exc)
    basename = f"rasad-test-{uuid.uuid4().hex[:10]}"
    yield REDIS_URL, basename, client
    keys = list(client.scan_iter(match=f"{basename}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_redis_index_is_shared_between_workers(tmp_path, redis_index):
    url, basename, client = redis_index
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    worker1, worker2 = Store(db), Store(db)
    s1 = StoryService(worker1, redis_url=url, basename=basename)
    s2 = StoryService(worker2, redis_url=url, basename=basename)
    assert s1.index.kind == "redis"
    _, first = save_assign(worker1, s1, art("geiroon", "archives/1", REPORT))
    assert len(list(client.scan_iter(match=f"{basename}:lsh:*"))) == 32 + 1  # 32 bands + the scheme
    with worker1.session() as s:
        assert s.scalar(select(func.count()).select_from(LshBandRow)) == 0  # nothing in SQL
    _, copy = save_assign(worker2, s2, art("euphratespost", "2026/11/x/", BOILER_HEAD + REPORT, 10))
    assert copy.status == "joined" and copy.story_id == first.story_id
    # a new version replaces its bands in Redis
    save_assign(worker1, s1, art("geiroon", "archives/1", SAME_PLACE_OTHER_EVENT))
    members = sum(client.scard(k) for k in client.scan_iter(match=f"{basename}:lsh:*") if not k.endswith(b"scheme"))
    assert members == 64


def test_redis_index_rebuild_and_scheme_guard(tmp_path, redis_index):
    url, basename, client = redis_index
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    sql = StoryService(store)
    _, first = save_assign(store, sql, art("geiroon", "archives/1", REPORT))
    moved = StoryService(store, redis_url=url, basename=basename)
    assert moved.reindex() == 1  # moving the index to Redis: rebuilt from stored signatures
    _, copy = save_assign(store, moved, art("sharqsouri", "2026/11/z/", REPORT, 3))
    assert copy.status == "joined" and copy.story_id == first.story_id
    client.set(f"{basename}:lsh:scheme", "datasketch-minhash:legacy")
    with pytest.raises(StoryIndexError, match="scheme"):
        StoryService(store, redis_url=url, basename=basename)


def test_store_created_before_stories_gets_the_story_index(tmp_path):
    from sqlalchemy import create_engine, inspect, text
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # an older store: articles without story_id
        conn.execute(text("CREATE TABLE articles (id VARCHAR(32) PRIMARY KEY, outlet VARCHAR(64), url TEXT, "
                          "canonical_url VARCHAR(2048) UNIQUE, title TEXT, first_seen_at DATETIME)"))
    engine.dispose()
    store = Store(url)
    stories = StoryService(store)
    assert "ix_articles_story_id" in {i["name"] for i in inspect(store.engine).get_indexes("articles")}
    _, first = save_assign(store, stories, art("geiroon", "archives/1", REPORT))
    assert first.status == "new"


def test_scale_bench_runs_small(tmp_path, capsys):
    import importlib.util

    from conftest import ROOT
    spec = importlib.util.spec_from_file_location("bench_dedup_scale", ROOT / "bench" / "dedup_scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--n", "3000", "--queries", "40", "--window", "500", "--db", str(tmp_path / "s.db")]) == 0
    out = capsys.readouterr().out
    assert "copies found by LSH: 20/20" in out and "bytes/article" in out


def test_two_workers_assigning_copies_at_once_found_one_story(db_url):
    import threading
    setup = Store(db_url)
    texts = [REPORT, SAME_PLACE_OTHER_EVENT]
    pairs = []
    for n, text in enumerate(texts):
        a = setup.save_article(art("geiroon", f"archives/{n}", text, n))
        b = setup.save_article(art("sharqsouri", f"2026/11/{n}/", BOILER_HEAD + text, n + 0.5))
        pairs.append((a.article_id, b.article_id))
    workers = [StoryService(Store(db_url)), StoryService(Store(db_url))]
    for a_id, b_id in pairs:
        barrier = threading.Barrier(2)
        results = {}

        def run(service, article_id):
            barrier.wait()
            results[article_id] = service.assign(article_id)
        threads = [threading.Thread(target=run, args=(w, i)) for w, i in zip(workers, (a_id, b_id))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results[a_id].story_id == results[b_id].story_id
        assert sorted(r.status for r in results.values()) == ["joined", "new"]
    assert StoryService(setup).count() == 2


# ---- store and assign in one transaction (what the crawl's StorePipeline does) ------------

def test_save_and_assign_in_one_transaction_matches_save_then_assign(db_url):
    store = Store(db_url)
    stories = StoryService(store)
    saved, first, error = stories.save_and_assign(art("geiroon", "archives/1", REPORT))
    assert error is None and saved.status == "new" and first.status == "new" and first.story_id == saved.article_id
    saved2, copy, _ = stories.save_and_assign(art("euphratespost", "2026/11/x/", BOILER_HEAD + REPORT + BOILER_FOOT, 40))
    assert saved2.status == "new" and copy.status == "joined" and copy.story_id == first.story_id
    assert copy.matched_article_id == saved.article_id
    _, other, _ = stories.save_and_assign(art("geiroon", "archives/2", SAME_PLACE_OTHER_EVENT, 90))
    assert other.status == "new" and other.story_id != first.story_id
    # the same page again: unchanged, nothing written; the shortlink of the post: a duplicate URL
    again, unchanged, _ = stories.save_and_assign(art("geiroon", "archives/1", REPORT))
    assert again.status == "unchanged" and unchanged.status == "unchanged" and unchanged.story_id == first.story_id
    # a new version keeps its story; its bands are replaced, not added to
    edited = REPORT.replace("بالحرجة", "بالخطرة") + "\n\nوارتفعت حصيلة القتلى إلى أربعة بعد وفاة أحد المصابين."
    version, kept, _ = stories.save_and_assign(art("geiroon", "archives/1", edited))
    assert version.status == "updated" and version.version == 2 and kept.status == "kept"
    assert kept.story_id == first.story_id
    # another outlet's byte-identical body under a new URL of the same outlet: a duplicate
    dup, dup_story, _ = stories.save_and_assign(art("euphratespost", "2026/11/x-amp/", BOILER_HEAD + REPORT + BOILER_FOOT, 41))
    assert dup.status == "duplicate" and dup.article_id == saved2.article_id and dup_story.status == "unchanged"

    story = stories.story(first.story_id)
    assert [m.outlet for m in story.articles] == ["geiroon", "euphratespost"]
    assert story.lead_article_id == saved.article_id
    with store.session() as s:
        assert s.scalar(select(StoryRow.article_count).where(StoryRow.id == first.story_id)) == 2
        assert s.scalar(select(func.count()).select_from(ArticleSignatureRow)) == 3
        assert s.scalar(select(func.count()).select_from(LshBandRow)) <= 3 * 32
    assert stories.count() == 2 and store.count() == 3
    # what the two-transaction path reads back is the same
    assert stories.story_of(saved2.article_id).id == first.story_id
    assert store.get_article(saved.article_id).story_id == first.story_id


def test_save_and_assign_keeps_the_article_when_the_story_step_fails(db_url):
    store = Store(db_url)
    stories = StoryService(store)
    stories.save_and_assign(art("geiroon", "archives/1", REPORT))

    def broken(*args, **kwargs):
        raise RuntimeError("index down")
    stories.index.add = broken
    article = art("sharqsouri", "2026/11/y/", BOILER_HEAD + REPORT, 5)
    saved, story, error = stories.save_and_assign(article)
    assert story is None and isinstance(error, RuntimeError)
    assert saved.status == "new" and article.id == saved.article_id
    stored = store.get_article(saved.article_id)
    assert stored is not None and stored.story_id is None and store.count() == 2
    with store.session() as s:  # the story step left nothing behind
        assert s.scalar(select(func.count()).select_from(ArticleSignatureRow)) == 1
    del stories.index.add
    assert stories.assign(saved.article_id).status == "joined"   # a later assignment catches up


def test_save_and_assign_with_the_redis_index(tmp_path, redis_index):
    url, basename, client = redis_index
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    s1 = StoryService(Store(db), redis_url=url, basename=basename)
    s2 = StoryService(Store(db), redis_url=url, basename=basename)
    _, first, _ = s1.save_and_assign(art("geiroon", "archives/1", REPORT))
    _, copy, _ = s2.save_and_assign(art("euphratespost", "2026/11/x/", BOILER_HEAD + REPORT, 10))
    assert first.status == "new" and copy.status == "joined" and copy.story_id == first.story_id
    assert len(list(client.scan_iter(match=f"{basename}:lsh:*"))) > 32


def test_recent_signature_cache_grows_and_finds_what_a_full_scan_finds(tmp_path):
    from storage.stories import RecentSignatures
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    stories = StoryService(store)
    for n in range(40):   # a few hundred signatures would not change the logic; 40 grow the buffer
        text = REPORT if n % 10 == 0 else f"{SAME_PLACE_OTHER_EVENT} تقرير رقم {n} " + "كلمة " * n
        stories.save_and_assign(art("geiroon" if n % 10 else f"outlet{n}", f"archives/{n}", text, n))
    cache = RecentSignatures()
    with store.session() as s:
        rows = s.execute(select(ArticleSignatureRow.sig_id, ArticleSignatureRow.signature)).all()
        probe = neardup_sig(REPORT)
        found = cache.candidates(s, probe, T0)
        assert len(cache.ids) == len(rows) == 40 and cache.last_sig == max(r.sig_id for r in rows)
        expected = {r.sig_id for r in rows
                    if (np.frombuffer(r.signature, dtype="<u4") == probe).sum() / 128 >= 0.08}
        assert found == expected and len(found) >= 4
        assert cache.candidates(s, probe, T0) == expected   # topped up: nothing new, same answer


def neardup_sig(text):
    from crawler.neardup import Doc, signature
    return signature(Doc.from_text(text).shingles)
