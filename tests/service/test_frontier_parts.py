"""The frontier's parts against the real Redis: leased queue, run counting, expiring dupefilter."""
from __future__ import annotations

import time

import pytest
import redis
import scrapy
from scrapy.settings import Settings

from crawler.frontier.keys import RUN, TOKEN, Keys
from crawler.frontier.queue import ExpiringDupeFilter, FrontierQueue


@pytest.fixture
def queue(redis_url):
    spider = scrapy.Spider(name="t")
    spider.settings = Settings({"RASAD_FRONTIER_PREFIX": "t", "RASAD_FRONTIER_LEASE_SECONDS": 30})
    server = redis.Redis.from_url(redis_url)
    return FrontierQueue(server, spider, "t:frontier:queue")


def start_run(q: FrontierQueue, run_id: int) -> str:
    key = Keys("t").run(run_id)
    q.server.hset(key, mapping={"pending": 0, "outlet": "x"})
    return key


def test_entries_are_leased_until_acknowledged_and_counted_in_their_run(queue):
    run = start_run(queue, 1)
    for i, prio in enumerate((0, 5, -3)):
        assert queue.push(scrapy.Request(f"https://o.example/{i}", priority=prio, meta={RUN: 1}))
    assert int(queue.server.hget(run, "pending")) == 3 and len(queue) == 3
    first = queue.pop()
    assert first.url == "https://o.example/1"          # highest priority first
    assert len(queue) == 2 and queue.server.zcard(queue.keys.inflight) == 1
    assert queue.ack(first.meta[TOKEN], {"rasad/articles/new": 1}, {"rasad/discovery_source": "feed"},
                     {"https://o.example/feed/": '["e1", null]'}, ["a failure"], run=1) == 2
    assert queue.ack(first.meta[TOKEN], {"rasad/articles/new": 1}, run=1) == -1   # twice: no effect
    assert queue.server.hget(run, "c:rasad/articles/new") == b"1"
    assert queue.server.hget(run, "s:rasad/discovery_source") == b"feed"
    assert queue.server.hget(queue.keys.run_validators(1), "https://o.example/feed/") == b'["e1", null]'
    assert queue.server.zcard(queue.keys.inflight) == 0 and queue.server.hlen(queue.keys.data) == 2


def test_an_expired_lease_goes_back_to_the_queue_at_its_priority(queue):
    start_run(queue, 2)
    queue.push(scrapy.Request("https://o.example/a", priority=3, meta={RUN: 2}))
    queue.push(scrapy.Request("https://o.example/b", priority=1, meta={RUN: 2}))
    queue.lease = -1                                    # taken by a worker that then dies
    taken = queue.pop()
    assert taken.url == "https://o.example/a"
    queue.held.clear()                                  # the dead worker renews nothing
    assert queue.requeue_expired() == 1
    queue.lease = 30
    again = queue.pop()
    assert again.url == "https://o.example/a" and again.meta[TOKEN] == taken.meta[TOKEN]
    assert int(queue.server.hget(queue.keys.stats, "requeued")) == 1


def test_a_push_retried_after_a_lost_reply_counts_once_and_a_cancelled_run_takes_nothing(queue):
    run = start_run(queue, 3)
    args = lambda token: dict(keys=[queue.keys.queue, queue.keys.data, queue.keys.prio, queue.keys.inflight,  # noqa: E731
                                    queue.keys.runs, run], args=[token, b"payload", 0, "", "3", "", 0])
    assert queue._push(**args("tok")) == 1 and queue._push(**args("tok")) == 1
    assert int(queue.server.hget(run, "pending")) == 1 and len(queue) == 1
    queue.server.delete(run)                            # the run was finished or timed out
    assert not queue.push(scrapy.Request("https://o.example/late", meta={RUN: 3}))
    assert len(queue) == 1


def test_a_redirect_of_a_leased_entry_replaces_it_without_counting_twice(queue):
    run = start_run(queue, 4)
    queue.push(scrapy.Request("https://o.example/old", meta={RUN: 4}))
    entry = queue.pop()
    redirected = entry.replace(url="https://o.example/new")   # RedirectMiddleware keeps the meta
    assert queue.push(redirected)
    assert int(queue.server.hget(run, "pending")) == 1
    assert queue.server.zcard(queue.keys.inflight) == 0 and len(queue) == 1
    assert queue.pop().url == "https://o.example/new"


def test_the_duplicate_check_and_the_push_are_one_step(queue, redis_url):
    from crawler.frontier.queue import FrontierScheduler
    df = ExpiringDupeFilter.from_settings(Settings({"REDIS_URL": redis_url, "RASAD_FRONTIER_PREFIX": "t"}))
    start_run(queue, 5)
    buckets = (df.bucket_keys(), df.ttl)
    req = lambda: scrapy.Request("https://o.example/archives/9", meta={RUN: 5})  # noqa: E731
    assert queue.push(req(), df.request_fingerprint(req()), buckets) == 1
    assert queue.push(req(), df.request_fingerprint(req()), buckets) == 2        # seen: not queued twice
    assert len(queue) == 1
    # a run that is gone takes nothing, and records no fingerprint for what it refused
    queue.server.delete(Keys("t").run(5))
    late = scrapy.Request("https://o.example/archives/10", meta={RUN: 5})
    assert queue.push(late, df.request_fingerprint(late), buckets) == 0
    start_run(queue, 6)
    again = scrapy.Request("https://o.example/archives/10", meta={RUN: 6})
    assert queue.push(again, df.request_fingerprint(again), buckets) == 1
    assert FrontierScheduler   # the scheduler uses exactly this path (enqueue_request)


def test_fingerprints_expire_and_discovery_pages_are_deduplicated_per_run(redis_url):
    df = ExpiringDupeFilter.from_settings(Settings({"REDIS_URL": redis_url, "RASAD_FRONTIER_PREFIX": "t",
                                                    "RASAD_FRONTIER_FINGERPRINT_TTL": 3600}))
    article = scrapy.Request("https://o.example/archives/1", meta={RUN: 1})
    assert not df.request_seen(article)
    assert df.request_seen(scrapy.Request("https://o.example/archives/1", meta={RUN: 2}))
    fp = df.request_fingerprint(article)
    assert len(fp) == 20                                # raw bytes, not hex: half the memory
    # the same check an hour and a half later looks at other buckets only: not seen any more
    later = df.bucket_keys(time.time() + 3600 + 2 * df.bucket_seconds)
    assert not df._seen(keys=later, args=[fp, df.ttl])
    # a bucket key carries an expiry just over the TTL
    ttl = df.server.ttl(df.bucket_keys()[0])
    assert df.ttl < ttl <= df.ttl + df.bucket_seconds
    page2 = lambda run: scrapy.Request("https://o.example/feed/?paged=2", meta={RUN: run, "page": 2})  # noqa: E731
    assert not df.request_seen(page2(1))
    assert df.request_seen(page2(1))                    # twice in one run: filtered
    assert not df.request_seen(page2(2))                # the next run polls it again
