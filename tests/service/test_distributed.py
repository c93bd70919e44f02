"""Beyond one machine, for real: `rasad worker` processes on the shared Redis frontier
(scrapy-redis scheduler, leased queue, expiring dupefilter) writing to PostgreSQL, seeded by
`rasad run --distributed`; a worker killed with SIGKILL; Redis restarted mid-crawl."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import ROOT, service_missing
from storage import Store
from storage.models import ArticleRow, CrawlRunRow
from storage.outbox import SENT, DeliveryRow

from ._bigsite import BigSite
from ._config import service_config
from .conftest import free_port, wait_until

RULE = {"watch": "deir-ez-zor", "channels": ["hook"], "min_score": 0.0}
BENCH = {"theme": "jannah", "discovery": ["feed"], "feeds": ["/feed/"], "founded": "2020-01-01"}


class Worker:
    """A `rasad worker` subprocess, output in a file."""

    def __init__(self, config: Path, db: str, redis_url: str, log_path: Path):
        env = dict(os.environ, RASAD_CONFIG=str(config), RASAD_DB_URL=db, REDIS_URL=redis_url)
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker"], cwd=ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            self.log.close()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(config: Path, db: str, redis_url: str) -> Worker:
        w = Worker(config, db, redis_url, tmp_path / f"worker{len(started)}.log")
        started.append(w)
        return w
    yield start
    for w in started:
        if w.proc.poll() is None:
            w.stop(signal.SIGKILL)


@pytest.fixture
def bigsite():
    sites: list[BigSite] = []

    def make(n: int, delay: float = 0.0, feed_rewrite=None) -> BigSite:
        site = BigSite(n, delay, feed_rewrite)
        sites.append(site)
        return site
    yield make
    for s in sites:
        s.stop()


def write_config(tmp_path: Path, site, *, lease: float = 5, hook=None, interval: float = 600, more=None) -> Path:
    fixed = {"interval_seconds": interval, "min_interval_seconds": interval, "max_interval_seconds": interval}
    outlets = {"bench": (site, {**BENCH, **fixed})}
    outlets.update({key: (other, {**BENCH, **fixed}) for key, other in (more or {}).items()})
    config = service_config(tmp_path / "rasad.toml", outlets=outlets,
                            channels={"hook": hook.url} if hook else None, rules=[RULE] if hook else None,
                            alerts={"story_settle_seconds": 0, "max_age_hours": 24 * 3650},
                            scheduler={"jitter_seconds": 0, "crawl_timeout_seconds": 300},
                            crawl={"max_pages": 20, "download_timeout": 10})
    with open(config, "a", encoding="utf-8") as f:
        f.write(f"\n[frontier]\nlease_seconds = {lease}\n")
    return config


def stored(store: Store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(ArticleRow))


def finished_runs(store: Store) -> list[CrawlRunRow]:
    with store.session() as s:
        return list(s.scalars(select(CrawlRunRow).where(CrawlRunRow.outlet == "bench", CrawlRunRow.status != "running")
                              .order_by(CrawlRunRow.id)))


def assert_each_article_once(store: Store, n: int) -> None:
    with store.session() as s:
        rows = s.execute(select(ArticleRow.canonical_url, ArticleRow.title)).all()
    if len(rows) != n:
        with store.session() as s:
            runs = [(r.status, r.error, r.counts) for r in s.scalars(select(CrawlRunRow))]
            missing = sorted(set(range(1, n + 1)) - {int(r.canonical_url.rsplit("/", 1)[1]) for r in rows})
        raise AssertionError(f"{len(rows)} articles stored, expected {n}; missing {missing[:10]}; runs {runs}")
    assert len({r.canonical_url for r in rows}) == n
    assert {r.title for r in rows} == {f"تقرير رقم {i}: تطورات ميدانية في ريف دير الزور" for i in range(1, n + 1)}


def seed_and_wait(store: Store, config: Path, redis_url: str, timeout: float = 240,
                  outlet: str = "bench") -> tuple[int, str, str]:
    """Seed one run of an outlet as `rasad run --distributed` does; returns its outcome."""
    from crawler.config import load_config
    from crawler.frontier.runs import FrontierRuns
    runs = FrontierRuns(store, load_config(config), redis_url)
    run_id = runs.seed(outlet)
    outcome = runs.wait(run_id, timeout)
    status = runs.finish(run_id, outlet, outcome, timeout)
    return run_id, outcome, status


def test_an_off_site_link_is_dropped_and_the_run_still_ends(tmp_path, bigsite, workers, pg_url, redis_url):
    # Scrapy drops off-site requests before the scheduler sees them; the frontier must not wait for them
    # on each feed page the channel link and the first item link move to another host
    site = bigsite(60, feed_rewrite=lambda xml: xml.replace("<link>http://127.0.0.1", "<link>http://elsewhere.example", 2))
    config = write_config(tmp_path, site)
    worker = workers(config, pg_url, redis_url)
    store = Store(pg_url)
    run_id, outcome, status = seed_and_wait(store, config, redis_url, 90)
    assert (outcome, status) == ("done", "finished"), worker.output()[-3000:]
    with store.session() as s:
        counts = s.get(CrawlRunRow, run_id).counts
    # one item per feed page (2 pages) moved away
    assert counts["rasad/offsite_dropped"] == 2 and counts["rasad/articles/new"] == 58, counts
    assert worker.stop() == 0
    store.close()


def test_runs_of_two_outlets_in_one_worker_keep_their_own_counts(tmp_path, bigsite, workers, pg_url, redis_url):
    # one worker interleaves the requests of both runs; each run's counts must be its own
    a, b = bigsite(120, delay=0.01), bigsite(70, delay=0.01)
    config = write_config(tmp_path, a, more={"other": b})
    worker = workers(config, pg_url, redis_url)
    store = Store(pg_url)
    import threading
    results = {}
    threads = [threading.Thread(target=lambda key=key: results.__setitem__(
        key, seed_and_wait(store, config, redis_url, 180, outlet=key))) for key in ("bench", "other")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert all(results[k][1:] == ("done", "finished") for k in ("bench", "other")), (results, worker.output()[-3000:])
    with store.session() as s:
        rows = {r.outlet: r for r in s.scalars(select(CrawlRunRow))}
    for key, n in (("bench", 120), ("other", 70)):
        counts = rows[key].counts
        assert counts["rasad/articles/new"] == n and counts["rasad/article_requests"] == n, (key, counts)
        assert counts["rasad/extracted"] == n and counts["rasad/entries_seen"] == n, (key, counts)
        assert counts["rasad/discovery_pages/feed"] == -(-n // 50), (key, counts)
        assert not any(k.startswith("rasad/frontier/") for k in counts), counts
    assert "overlapping steps" not in worker.output()
    assert worker.stop() == 0
    store.close()


def test_two_workers_two_schedulers_store_every_article_once_and_alert_once(
        tmp_path, bigsite, workers, run_service, webhook, pg_url, redis_url):
    site = bigsite(500)
    hook = webhook()
    config = write_config(tmp_path, site, hook=hook, interval=8)
    env = {"REDIS_URL": redis_url}
    w1, w2 = workers(config, pg_url, redis_url), workers(config, pg_url, redis_url)
    a = run_service("--distributed", config=config, db=pg_url, env=env, name="a")
    b = run_service("--distributed", config=config, db=pg_url, env=env, name="b")
    store = Store(pg_url)
    wait_until(lambda: stored(store) >= 500, 240, 0.5, "500 stored articles")
    # the first run is recorded, then at least one more poll (nothing new) runs on the frontier
    wait_until(lambda: len(finished_runs(store)) >= 2, 120, 0.5, "two recorded runs")
    with store.session() as s:
        stories = s.scalar(select(func.count(func.distinct(ArticleRow.story_id))))
    wait_until(lambda: len(hook.delivered()) >= stories, 120, 0.5, f"{stories} alerts")
    time.sleep(3)   # anything sent twice would arrive now
    shown = subprocess.run([sys.executable, "-m", "crawler.cli", "stats"], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, RASAD_CONFIG=str(config), RASAD_DB_URL=pg_url, REDIS_URL=redis_url))
    assert "2 worker(s) alive" in shown.stdout and "bench" in shown.stdout, shown.stdout + shown.stderr
    assert a.terminate() == 0, a.output()[-3000:]
    assert b.terminate() == 0, b.output()[-3000:]
    assert w1.stop() == 0, w1.output()[-3000:]
    assert w2.stop() == 0, w2.output()[-3000:]

    assert_each_article_once(store, 500)
    keys = [r["headers"]["x-rasad-key"] for r in hook.delivered()]
    assert len(keys) == len(set(keys)) == stories, (len(keys), len(set(keys)), stories)
    with store.session() as s:
        rows = list(s.scalars(select(DeliveryRow)))
    assert len(rows) == stories and all(r.status == SENT for r in rows)
    # each site article fetched once: the frontier's dupefilter and the store agree across workers
    hits = site.article_hits()
    assert len(hits) == 500 and max(hits.values()) == 1, sorted(hits.items(), key=lambda kv: -kv[1])[:5]
    runs = finished_runs(store)
    first = runs[0]
    assert first.status == "finished" and first.counts["rasad/articles/new"] == 500, [
        (r.id, r.status, r.started_at, r.finished_at, r.error, r.counts) for r in runs]
    assert first.counts["rasad/discovery_source"] == "feed"
    assert all(r.status == "finished" for r in runs), [(r.status, r.error) for r in runs]
    assert all(r.counts.get("rasad/articles/new", 0) == 0 for r in runs[1:])
    spans = sorted((r.started_at, r.finished_at) for r in runs)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert s2 >= e1 - dt.timedelta(milliseconds=50), f"two runs of the outlet overlapped: {spans}"
    # both workers did part of the crawl
    logs = a.output() + b.output()
    assert "seeded into the Redis frontier" in logs
    assert "already running (here or on another host)" in logs
    store.close()


def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path, bigsite, workers, pg_url, redis_url):
    site = bigsite(500, delay=0.05)     # slow pages: the victim always has requests in flight
    config = write_config(tmp_path, site, lease=3)
    victim, survivor = workers(config, pg_url, redis_url), workers(config, pg_url, redis_url)
    store = Store(pg_url)
    import threading
    result = {}
    seeder = threading.Thread(target=lambda: result.update(zip(("run", "outcome", "status"),
                                                               seed_and_wait(store, config, redis_url))))
    seeder.start()
    wait_until(lambda: stored(store) >= 80, 120, 0.2, "80 stored articles")
    victim.stop(signal.SIGKILL)
    seeder.join(timeout=300)
    assert result.get("outcome") == "done" and result.get("status") == "finished", (result, survivor.output()[-3000:])
    assert_each_article_once(store, 500)
    import redis
    requeued = int(redis.Redis.from_url(redis_url).hget("rasad:frontier:stats", "requeued") or 0)
    assert requeued > 0, "the killed worker's leased requests were not taken over"
    assert "expired lease(s)" in survivor.output()
    (run,) = finished_runs(store)
    # work is at-least-once: an article the victim stored but did not acknowledge is redone and
    # counted "unchanged" by the survivor; each is counted once or more, none is stored twice
    c = run.counts
    assert 500 - requeued <= c["rasad/articles/new"] <= 500 and not c.get("rasad/incomplete"), c
    assert c["rasad/articles/new"] + c.get("rasad/articles/unchanged", 0) >= 500, c
    assert survivor.stop() == 0
    store.close()


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of our own with an append-only file, so the test can restart it."""
    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("redis-server", "not installed")
    port = free_port()
    data = tmp_path / "redis"
    data.mkdir()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), "--appendonly", "yes",
            "--appendfsync", "always", "--save", ""]
    state = {}

    def start():
        state["proc"] = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis
        wait_until(lambda: _pings(redis, port), 10, 0.05, "private Redis")

    def stop():
        proc = state["proc"]
        proc.send_signal(signal.SIGTERM)      # Redis flushes its append-only file and exits
        proc.wait(timeout=10)

    start()
    yield SimpleRedis(f"redis://127.0.0.1:{port}/0", start, stop)
    if state["proc"].poll() is None:
        state["proc"].kill()
        state["proc"].wait()


def _pings(redis, port) -> bool:
    try:
        return redis.Redis(port=port, socket_connect_timeout=0.2).ping()
    except Exception:  # noqa: BLE001
        return False


class SimpleRedis:
    def __init__(self, url, start, stop):
        self.url, self.start, self.stop = url, start, stop


def test_workers_reconnect_after_redis_restarts_mid_crawl(tmp_path, bigsite, workers, pg_url, private_redis):
    site = bigsite(500, delay=0.02)
    config = write_config(tmp_path, site, lease=5)
    w1, w2 = workers(config, pg_url, private_redis.url), workers(config, pg_url, private_redis.url)
    store = Store(pg_url)
    import threading
    result = {}
    seeder = threading.Thread(target=lambda: result.update(zip(("run", "outcome", "status"),
                                                               seed_and_wait(store, config, private_redis.url, 90))))
    seeder.start()
    wait_until(lambda: stored(store) >= 100, 120, 0.2, "100 stored articles")
    private_redis.stop()
    during = stored(store)
    time.sleep(2)
    private_redis.start()
    seeder.join(timeout=300)
    import redis
    left = redis.Redis.from_url(private_redis.url)
    state = {k.decode(): left.type(k).decode() for k in left.keys("*")}
    (tmp_path / "frontier-state.txt").write_text(repr((state, left.hgetall(f"rasad:run:{result.get('run')}"),
                                                       left.zcard("rasad:frontier:queue"),
                                                       left.zcard("rasad:frontier:inflight"), stored(store))))
    assert result.get("outcome") == "done" and result.get("status") == "finished", (
        result, (tmp_path / "frontier-state.txt").read_text(), w1.output()[-3000:], w2.output()[-3000:])
    assert stored(store) > during
    assert_each_article_once(store, 500)
    logs = w1.output() + w2.output()
    assert "Redis unavailable" in logs and w1.proc.poll() is None and w2.proc.poll() is None
    assert w1.stop() == 0 and w2.stop() == 0
    store.close()
