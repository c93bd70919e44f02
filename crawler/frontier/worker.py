"""`rasad worker`: a crawl worker on the shared frontier (Redis) writing to the shared store.

    REDIS_URL=redis://frontier:6379/0 RASAD_DB_URL=postgresql://rasad@db/rasad rasad worker

Any number of workers on any number of hosts. A worker runs one Scrapy crawler with the
FrontierSpider, the scrapy-redis scheduler and our leased queue and expiring dupefilter
(settings in runs.frontier_settings). It does not seed crawls: `rasad run --distributed`
does. SIGTERM/SIGINT: stop taking requests, finish or give back the ones in hand, exit 0.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import time
import uuid

from crawler.config import ConfigError, get_config, redact_url
from crawler.frontier.queue import REDIS_DOWN

log = logging.getLogger("rasad.frontier")


class WorkerExtension:
    """Keeps the worker's leases alive, returns expired ones to the queue, announces the worker
    (``{prefix}:frontier:workers``), and wakes the engine when the queue has work."""

    def __init__(self, crawler):
        from scrapy import signals
        self.crawler = crawler
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = crawler.settings.getfloat("RASAD_FRONTIER_LEASE_SECONDS", 60.0)
        self.every = max(1.0, min(10.0, self.lease / 3))
        self.started = time.time()
        self._loop = None
        self._last_beat = 0.0
        self._down_logged = 0.0
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self, spider):
        from twisted.internet import task
        self._loop = task.LoopingCall(self.tick)
        self._loop.start(1.0, now=True)
        log.info("worker %s: on frontier %s, lease %.0fs", self.id,
                 self.crawler.settings.get("RASAD_FRONTIER_PREFIX"), self.lease)

    def tick(self):
        frontier = getattr(self.crawler, "rasad_frontier", None)
        if frontier is None or not hasattr(frontier, "queue"):
            return
        queue = frontier.queue
        try:
            now = time.time()
            if now - self._last_beat >= self.every:
                self._last_beat = now
                queue.renew()
                requeued = queue.requeue_expired()
                if requeued:
                    log.warning("frontier: %d expired lease(s) (a worker stopped) put back in the queue", requeued)
                    self.crawler.stats.inc_value("rasad/frontier/requeued", requeued)
                stats = self.crawler.stats.get_stats()
                queue.server.hset(queue.keys.workers, self.id, json.dumps({
                    "at": now, "every": self.every, "pid": os.getpid(), "host": socket.gethostname(),
                    "since": self.started, "held": len(queue.held),
                    "responses": stats.get("downloader/response_count", 0),
                    "stored": stats.get("rasad/articles/new", 0)}))
            if len(queue):
                engine = self.crawler.engine
                slot = getattr(engine, "_slot", None)   # wake the engine now instead of at its 5 s heartbeat
                if slot is not None and getattr(slot, "nextcall", None) is not None:
                    slot.nextcall.schedule()
        except Exception as exc:  # noqa: BLE001 - the loop must live on (LoopingCall stops on an error)
            if time.time() - self._down_logged > 10:
                self._down_logged = time.time()
                if isinstance(exc, REDIS_DOWN):
                    log.warning("worker %s: Redis unavailable (%s); reconnecting", self.id, type(exc).__name__)
                else:
                    log.error("worker %s: frontier upkeep failed: %s: %s", self.id, type(exc).__name__, exc)

    def closed(self, spider, reason):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        frontier = getattr(self.crawler, "rasad_frontier", None)
        if frontier is not None:
            try:
                frontier.queue.server.hdel(frontier.queue.keys.workers, self.id)
            except REDIS_DOWN:
                pass
        log.info("worker %s stopped (%s)", self.id, reason)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="rasad worker",
                                     description="a crawl worker on the shared Redis frontier (REDIS_URL)")
    parser.add_argument("--concurrency", type=int, help="concurrent requests in this worker (default 16)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request (INFO)")
    args = parser.parse_args(argv)
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        print("rasad: error: rasad worker needs REDIS_URL (the shared frontier), e.g. redis://127.0.0.1:6379/0",
              file=sys.stderr)
        return 2
    config = get_config()
    from crawler.config import db_url
    store_url = db_url()
    if store_url.startswith("sqlite"):
        print(f"rasad worker: warning: the store is {redact_url(store_url)} (SQLite); workers on several "
              "machines need a shared PostgreSQL store (RASAD_DB_URL)", file=sys.stderr)
    import redis
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except Exception as exc:  # noqa: BLE001
        print(f"rasad: error: cannot reach the frontier at {redact_url(redis_url)}: {type(exc).__name__}",
              file=sys.stderr)
        return 1
    from storage import open_store
    for attempt in range(3):   # several workers starting together may race to create the schema
        try:
            open_store().close()
            break
        except Exception:  # noqa: BLE001
            if attempt == 2:
                raise
            time.sleep(1 + attempt)

    from scheduler.monitoring import init_sentry
    from scheduler.redact import Redactor
    redactor = Redactor([])
    redactor.add_url_password(redis_url)
    redactor.add_url_password(store_url)
    init_sentry(redactor, "worker")     # errors logged by the worker reach Sentry (when SENTRY_DSN is set)

    from scrapy.crawler import CrawlerProcess

    from crawler.crawl import project_settings
    from crawler.frontier.runs import frontier_settings
    from crawler.frontier.spider import FrontierSpider
    overrides = frontier_settings(config, redis_url)
    overrides["LOG_LEVEL"] = "INFO" if args.verbose else "WARNING"
    if args.concurrency:
        overrides["CONCURRENT_REQUESTS"] = args.concurrency
    settings = project_settings(overrides)
    process = CrawlerProcess(settings)
    logging.getLogger("rasad.frontier").setLevel(logging.INFO)
    process.crawl(FrontierSpider)
    process.start()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ConfigError as exc:
        print(f"rasad: error: {exc}", file=sys.stderr)
        sys.exit(2)
