"""Crawl runs over the shared frontier: seeded and recorded by `rasad run --distributed`.

A run of one outlet is a crawl_runs row (its id names the run) plus a Redis hash holding the
number of its queue entries not yet done (``pending``) and what they counted. The scheduler
that seeds a run holds the outlet's job lock (scheduler/locks.py) until the run ends, exactly
as it does for an in-process crawl, so an outlet has one run at a time across the cluster.
When ``pending`` reaches zero the scheduler records the run like an in-process crawl
(crawler/extensions.record_outcome): counts, status and, for a clean run, the validators.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time
from types import SimpleNamespace

from crawler.extensions import record_outcome
from crawler.frontier.keys import Keys
from crawler.frontier.queue import REDIS_DOWN, FrontierQueue

log = logging.getLogger("rasad.frontier")


def frontier_settings(config, redis_url: str) -> dict:
    """Scrapy settings that turn a crawl process into a frontier worker (see worker.py)."""
    table = dict(config.raw.get("frontier") or {})
    prefix = str(table.get("prefix", "rasad"))
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "crawler.frontier.queue.FrontierScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.frontier.queue.FrontierQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:frontier:queue",
        "SCHEDULER_PERSIST": True,          # the frontier outlives any one worker
        "DUPEFILTER_CLASS": "crawler.frontier.queue.ExpiringDupeFilter",
        "RASAD_FRONTIER_PREFIX": prefix,
        "RASAD_FRONTIER_LEASE_SECONDS": float(table.get("lease_seconds", 60)),
        "RASAD_FRONTIER_FINGERPRINT_TTL": int(table.get("fingerprint_ttl_seconds", 86400)),
        "RASAD_FRONTIER_REDIS_PATIENCE": float(table.get("redis_patience_seconds", 120)),
        "RASAD_FRONTIER_RUN_TTL": int(table.get("run_ttl_seconds", 2 * 86400)),
        "ITEM_PROCESSOR": "crawler.frontier.spider.RunPipelineManager",
        "SPIDER_MIDDLEWARES": {"crawler.frontier.spider.FrontierStepMiddleware": 5},   # engine side
        # runs are recorded by the scheduler that seeded them, not by each worker
        "EXTENSIONS": {"crawler.extensions.CrawlRunRecorder": None,
                       "crawler.frontier.worker.WorkerExtension": 500},
    }


class FrontierRuns:
    """Seed, watch and record outlet runs on the shared frontier."""

    def __init__(self, store, config, redis_url: str):
        import redis
        from crawler.crawl import project_settings
        from crawler.frontier.spider import FRONTIER_SPIDER, FrontierSpider
        from scrapy.statscollectors import MemoryStatsCollector

        self.store = store
        self.settings = project_settings({
            **frontier_settings(config, redis_url), "RASAD_DB_URL": store.url,
            "RASAD_MAX_PAGES": int(config.crawl.get("max_pages", 10)),
            "RASAD_REFETCH_MODIFIED": bool(config.crawl.get("refetch_modified", True))})
        self.keys = Keys(self.settings.get("RASAD_FRONTIER_PREFIX"))
        self.run_ttl = self.settings.getint("RASAD_FRONTIER_RUN_TTL")
        self.server = redis.Redis.from_url(redis_url, socket_timeout=10, socket_connect_timeout=10)
        stub = SimpleNamespace(settings=self.settings, rasad_validators=None)
        stub.stats = MemoryStatsCollector(stub)
        setattr(stub, "_rasad_store", store)            # crawler.runtime.store_for: use ours
        spider = FrontierSpider(name=FRONTIER_SPIDER, config=config)
        spider.crawler, spider.settings = stub, self.settings
        spider.max_pages = self.settings.getint("RASAD_MAX_PAGES", 10)
        spider.refetch_modified = self.settings.getbool("RASAD_REFETCH_MODIFIED", True)
        self.spider = spider
        self.queue = FrontierQueue(self.server, spider, self.keys.queue)

    def ping(self) -> None:
        self.server.ping()

    # ---- one run ------------------------------------------------------------------------------

    def seed(self, key: str) -> int:
        """Start a run of outlet ``key``: its crawl_runs row, its Redis hash, its first requests."""
        run_id = self.store.start_run(key)
        run_key = self.keys.run(run_id)
        pipe = self.server.pipeline()
        pipe.hset(run_key, mapping={"pending": 1, "outlet": key, "started": time.time()})  # 1: seeding
        pipe.expire(run_key, self.run_ttl)
        pipe.execute()
        requests, tally = self.spider.seed_requests(key, run_id)
        pushed = sum(1 for r in requests if self.queue.push(r))
        pipe = self.server.pipeline()
        for name, value in tally.counters.items():
            pipe.hincrby(run_key, f"c:{name}", int(value))
        for name, value in tally.values.items():
            pipe.hset(run_key, f"s:{name}", str(value))
        for error in tally.errors:
            pipe.rpush(self.keys.run_errors(run_id), error)
        pipe.expire(self.keys.run_errors(run_id), self.run_ttl)
        pipe.hincrby(run_key, "pending", -1)
        pipe.execute()
        log.info("outlet %s: run %d seeded with %d request(s)", key, run_id, pushed)
        return run_id

    def pending(self, run_id: int) -> int | None:
        """Entries of the run not yet done; None when Redis no longer knows the run."""
        value = self.server.hget(self.keys.run(run_id), "pending")
        return None if value is None else int(value)

    def wait(self, run_id: int, timeout: float, stop=lambda: False, poll: float = 0.5) -> str:
        """Until the run is done: "done", "timeout", "lost" (Redis forgot it) or "stopped"."""
        deadline = time.monotonic() + timeout
        down_since = None
        while True:
            try:
                pending = self.pending(run_id)
                down_since = None
            except REDIS_DOWN:
                down_since = down_since or time.monotonic()
                pending = -99
            if pending is None:
                return "lost"
            if pending != -99 and pending <= 0:
                return "done"
            if stop():
                return "stopped"
            if time.monotonic() > deadline:
                return "timeout"
            time.sleep(poll)

    def finish(self, run_id: int, outlet: str, outcome: str = "done", timeout: float | None = None) -> str:
        """Record the run in crawl_runs (status, counts, validators if clean); drop its Redis keys."""
        stats: dict = {}
        errors: list[str] = []
        validators: dict = {}
        try:
            raw = self.server.hgetall(self.keys.run(run_id))
            errors = [e.decode() for e in self.server.lrange(self.keys.run_errors(run_id), 0, -1)]
            validators = {k.decode(): tuple(json.loads(v))
                          for k, v in self.server.hgetall(self.keys.run_validators(run_id)).items()}
        except REDIS_DOWN:
            raw = {}
            outcome = "lost" if outcome == "done" else outcome
        for field_, value in raw.items():
            name, value = field_.decode(), value.decode()
            if name.startswith("c:"):
                stats[name[2:]] = int(value)
            elif name.startswith("s:"):
                stats[name[2:]] = value
        reason = "finished"
        if outcome != "done":
            # articles of this run may be left behind: the next run pages past stored ones
            stats["rasad/incomplete"] = int(stats.get("rasad/incomplete", 0) or 0) + 1
            reason = {"timeout": "timed out", "lost": "frontier state lost", "stopped": "abandoned"}.get(outcome, outcome)
            if outcome == "timeout" and timeout:
                errors.append(f"timed out after {timeout:.0f}s; its remaining requests were dropped")
            elif outcome == "lost":
                errors.append("Redis lost the run (restarted without persistence, or flushed)")
        status, _ = record_outcome(self.store, run_id, outlet, stats, reason, errors, validators)
        if outcome == "stopped":
            self.store.finish_run(run_id, "abandoned", {**stats, "close_reason": reason},
                                  "abandoned: the service was stopped during the crawl")
            status = "abandoned"
        try:
            self.server.delete(self.keys.run(run_id), self.keys.run_errors(run_id), self.keys.run_validators(run_id))
        except REDIS_DOWN:
            pass
        return status

    def recover(self, key: str, timeout: float) -> int:
        """Record runs of ``key`` left "running" by a scheduler that died (call with the outlet's
        job lock held). Returns how many were closed."""
        from sqlalchemy import select

        from storage.models import CrawlRunRow
        now = dt.datetime.now(dt.timezone.utc)
        with self.store.session() as s:
            rows = list(s.execute(select(CrawlRunRow.id, CrawlRunRow.started_at).where(
                CrawlRunRow.outlet == key, CrawlRunRow.status == "running")))
        closed = 0
        for run_id, started in rows:
            started = started if started.tzinfo else started.replace(tzinfo=dt.timezone.utc)
            age = (now - started).total_seconds()
            pending = self.pending(run_id)
            if pending is not None and pending <= 0:
                self.finish(run_id, key, "done")
            elif pending is not None and age > timeout:
                self.finish(run_id, key, "timeout", timeout)
            elif pending is None and age > timeout:
                self.finish(run_id, key, "lost")
            else:
                continue
            closed += 1
        return closed

    def overview(self) -> dict:
        return frontier_overview(self.server, self.keys)


def frontier_overview(server, keys: Keys) -> dict:
    """Queue length, leased entries, live workers, leases taken over (`rasad stats`)."""
    pipe = server.pipeline()
    pipe.zcard(keys.queue)
    pipe.zcard(keys.inflight)
    pipe.hgetall(keys.workers)
    pipe.hgetall(keys.stats)
    queued, inflight, workers, stats = pipe.execute()
    now = time.time()
    alive = {}
    for wid, beat in workers.items():
        info = json.loads(beat)
        if now - info.get("at", 0) < 3 * info.get("every", 10):
            alive[wid.decode()] = info
    return {"queued": queued, "leased": inflight, "workers": alive,
            "requeued": int(stats.get(b"requeued", 0) or 0)}
