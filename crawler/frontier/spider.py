"""One spider for every outlet, fed by the shared frontier (`rasad worker`).

The navigation is spiders/wordpress.py's, unchanged: what a per-outlet spider keeps on
itself (the outlet, the discovery sources left, whether this run resumes, the pages it
accepted) travels in each request's meta here, because the next request of a run may be
handled by another worker. Before each step of a callback, errback or item pipeline run,
``step()`` puts that state on the spider and gives Scrapy's stats collector an empty dict;
after the step, what the step counted is added to the tally of the queue entry in hand and,
when the entry is acknowledged, to its run in Redis. Steps are synchronous (Scrapy runs our
generator callbacks and our synchronous pipelines without yielding to the reactor), so no
other request's counts can mix in; an overlapping step would be counted as
``rasad/frontier/overlap`` and is covered by a test.
"""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from urllib.parse import urlsplit
from dataclasses import dataclass, field

import scrapy
from scrapy.pipelines import ItemPipelineManager

from crawler.config import get_config
from crawler.frontier.keys import PARENT, RUN, TOKEN
from spiders.wordpress import WordPressSpider

log = logging.getLogger("rasad.frontier")

FRONTIER_SPIDER = "rasad-frontier"


@dataclass
class Tally:
    """What the steps of one queue entry counted, sent with its acknowledgement."""
    run: int | None = None
    counters: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    validators: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def add(self, stats: dict) -> None:
        for key, value in stats.items():
            if isinstance(value, bool) or not isinstance(value, int):
                self.values[key] = value
            else:
                self.counters[key] = self.counters.get(key, 0) + value


def _merge(into: dict, delta: dict) -> None:
    for key, value in delta.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(into.get(key), (int, float)):
            into[key] = into[key] + value
        else:
            into[key] = value


class FrontierSpider(WordPressSpider):
    """Every configured outlet, request by request from the shared frontier."""

    name = FRONTIER_SPIDER
    _backlog_dont_filter = True   # backlog retries are explicit: never dropped as "seen" within the TTL

    def __init__(self, *args, config=None, **kwargs):
        scrapy.Spider.__init__(self, *args, **kwargs)
        config = config or get_config()
        self.outlets = dict(config.outlets)
        # the union is what Scrapy's OffsiteMiddleware sees; each step narrows it to its outlet
        self._all_domains = sorted({d for o in self.outlets.values() for d in o.allowed_domains()})
        self.allowed_domains = self._all_domains
        self._max_pages_arg = None
        self._patterns: dict = {}
        self._tallies: dict[str | None, Tally] = {}
        # token -> [outputs not yet done, output finished?]: an entry is acknowledged when its
        # callback/errback has produced everything and each output is done (item through the
        # pipelines, request handed to the frontier)
        self._open: dict[str, list] = {}
        self._stepping = False
        self._meta: dict = {}
        self._reset_state(None, {})

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._idle, signal=scrapy.signals.spider_idle)
        return spider

    def _idle(self):
        raise scrapy.exceptions.DontCloseSpider   # a worker waits for the frontier; SIGTERM stops it

    async def start(self):
        return
        yield  # noqa: unreachable - no start requests: everything comes from the frontier

    # ---- per-step state ---------------------------------------------------------------------

    def _reset_state(self, outlet, meta: dict) -> None:
        import re
        self.outlet = outlet
        if outlet is not None and outlet.key not in self._patterns:
            self._patterns[outlet.key] = re.compile(outlet.article_url_pattern) if outlet.article_url_pattern else None
        self._pattern = self._patterns.get(outlet.key) if outlet is not None else None
        self.allowed_domains = outlet.allowed_domains() if outlet is not None else self._all_domains
        self._queue = list(meta.get("sources_left") or [])
        self.resume = bool(meta.get("resume"))
        self.accepted_pages = set()
        self.discovery_used = None
        self.discovery_errors = []
        self._meta = meta

    @contextmanager
    def step(self, meta: dict, request_url: str | None = None):
        """Run a piece of this entry's work with its outlet state and its own stats."""
        token = meta.get(TOKEN)
        tally = self._tallies.setdefault(token, Tally(meta.get(RUN)))
        stats = self.crawler.stats
        if self._stepping:   # must not happen (steps are synchronous): count it, do not swap
            stats.inc_value("rasad/frontier/overlap")
            log.error("frontier: overlapping steps; counts of entry %s may be attributed to another run", token)
            yield tally
            return
        outlet = self.outlets.get(meta.get("outlet") or "")
        self._reset_state(outlet, meta)
        saved = stats.get_stats()
        stats.set_stats({})
        self._stepping = True
        try:
            yield tally
        finally:
            delta = stats.get_stats()
            stats.set_stats(saved)
            self._stepping = False
            _merge(saved, delta)
            tally.add({k: v for k, v in delta.items() if k.startswith(("rasad/", "log_count/"))})
            pending = getattr(self.crawler, "rasad_validators", None)
            if pending is not None:
                for url in self.accepted_pages:
                    found = pending.pop(url, None)
                    if found:
                        tally.validators[url] = json.dumps(list(found))
                if request_url:
                    pending.pop(request_url, None)
            tally.errors.extend(self.discovery_errors)
            self._reset_state(None, {})

    def _carry(self) -> dict:
        meta = self._meta
        return {"outlet": self.outlet.key if self.outlet else meta.get("outlet"), RUN: meta.get(RUN),
                "resume": self.resume}

    def _item_context(self, response) -> dict:
        return {"token": response.meta.get(TOKEN), "run": response.meta.get(RUN)}

    # ---- acknowledgement --------------------------------------------------------------------

    def count_output(self, token: str, out) -> bool:
        """An output of entry ``token`` on its way to the scraper; False: drop it (a request
        off its outlet's domains, which Scrapy would drop before the frontier ever saw it)."""
        if isinstance(out, scrapy.Request):
            if not self._on_site(out):
                self.crawler.stats.inc_value("rasad/frontier/offsite_dropped")
                self._tallies.setdefault(token, Tally(out.meta.get(RUN))).add({"rasad/offsite_dropped": 1})
                return False
            out.meta.pop(TOKEN, None)
            out.meta[PARENT] = token
            self.output_started(token)
        elif (getattr(out, "context", None) or {}).get("token") == token:
            self.output_started(token)
        return True

    def _on_site(self, request) -> bool:
        if request.dont_filter or request.meta.get("allow_offsite"):
            return True
        outlet = self.outlets.get(request.meta.get("outlet") or "")
        domains = outlet.allowed_domains() if outlet is not None else self._all_domains
        host = (urlsplit(request.url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in domains)

    def mark_lost(self, token: str | None, what: str) -> None:
        """The entry's callback or errback failed part-way: its run is not clean (no validators
        kept, the next run pages past stored articles)."""
        tally = self._tallies.setdefault(token, Tally())
        tally.validators.clear()
        tally.add({"rasad/lost": 1, "rasad/incomplete": 1})
        tally.errors.append(what[:300])

    def output_started(self, token: str) -> None:
        self._open.setdefault(token, [0, False])[0] += 1

    def output_done(self, token: str | None) -> None:
        entry = self._open.get(token) if token else None
        if entry is None:
            return
        entry[0] -= 1
        self._maybe_done(token)

    def outputs_finished(self, token: str, meta: dict) -> None:
        entry = self._open.setdefault(token, [0, False])
        entry[1] = True
        entry.append(meta)
        self._maybe_done(token)

    def _maybe_done(self, token: str) -> None:
        entry = self._open[token]
        if entry[1] and entry[0] <= 0:
            del self._open[token]
            self.frontier_done(token, entry[2] if len(entry) > 2 else None)

    def frontier_done(self, token: str, meta: dict | None = None) -> int | None:
        """The entry's work is finished: acknowledge it with what it counted."""
        tally = self._tallies.pop(token, None) or Tally((meta or {}).get(RUN))
        frontier = getattr(self.crawler, "rasad_frontier", None)
        if frontier is None:
            return None
        return frontier.queue.ack(token, tally.counters, tally.values, tally.validators, tally.errors, run=tally.run)

    def _errback(self, base, failure):
        request = failure.request
        meta = request.meta
        token = meta.get(TOKEN)
        try:
            with self.step(meta, request.url):
                outputs = list(base(self, failure) or [])
        except Exception as exc:  # noqa: BLE001 - the entry is still finished, its run marked not clean
            log.exception("frontier: errback for %s failed", request.url)
            self.mark_lost(token, f"errback for {request.url} failed: {type(exc).__name__}: {exc}")
            outputs = []
        if token is None:
            return outputs
        self._open.setdefault(token, [0, False])
        kept = []
        for out in outputs:
            if isinstance(out, scrapy.Request) and not self.count_output(token, out):
                continue
            kept.append(out)
        outputs = kept
        meta["rasad_errback_done"] = True   # its outputs are counted here, not by the middleware
        self.outputs_finished(token, meta)
        return outputs

    def _source_ok(self, response) -> bool:
        if response.status == 304:
            self.crawler.stats.inc_value("rasad/not_modified")   # counted per run (the middleware's is per worker)
        return super()._source_ok(response)

    def _source_failed(self, failure):
        return self._errback(WordPressSpider._source_failed, failure)

    def _article_failed(self, failure):
        return self._errback(WordPressSpider._article_failed, failure)

    # ---- seeding (run by `rasad run --distributed`, not by workers) -------------------------

    def seed_requests(self, key: str, run_id: int) -> tuple[list, Tally]:
        """The first requests of a run of outlet ``key`` (backlog, first discovery source)."""
        outlet = self.outlets[key]
        meta = {"outlet": key, RUN: run_id, "sources_left": list(outlet.discovery)}
        with self.step(meta) as tally:
            requests = list(self.start_requests())
        self._tallies.pop(None, None)
        return requests, tally


class FrontierStepMiddleware:
    """Spider middleware (engine side, so it sees exactly what reaches the scraper): runs each
    step of a callback inside ``FrontierSpider.step`` and counts the outputs, so the entry is
    acknowledged only when each item has been through the pipelines and each follow-up
    request is in the frontier."""

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls()
        mw.crawler = crawler
        return mw

    async def process_spider_output(self, response, result, spider=None):
        # Scrapy >= 2.13 hands every callback's output to the middlewares as an async iterator
        # (so an async generator alone is enough here);
        # for our synchronous generator callbacks each __anext__ runs one generator step
        # without yielding to the event loop, so the step can be attributed.
        spider = self.crawler.spider
        meta = response.meta
        token = meta.get(TOKEN)
        if token is None or meta.get("rasad_errback_done") or not isinstance(spider, FrontierSpider):
            async for out in result:
                yield out
            return
        it = result.__aiter__()
        try:
            while True:
                try:
                    with spider.step(meta, response.request.url if response.request else None):
                        try:
                            out = await it.__anext__()
                        except StopAsyncIteration:
                            break
                except Exception as exc:
                    spider.mark_lost(token, f"callback for {response.url} failed: {type(exc).__name__}: {exc}")
                    raise
                if spider.count_output(token, out):
                    yield out
        finally:
            spider.outputs_finished(token, meta)


class RunPipelineManager(ItemPipelineManager):
    """The item pipelines, with each item's counts attributed to its queue entry's run."""

    async def process_item_async(self, item):
        context = getattr(item, "context", None) or {}
        spider = self.crawler.spider if getattr(self, "crawler", None) else None
        if not context.get("token") or not isinstance(spider, FrontierSpider):
            return await super().process_item_async(item)
        try:
            with spider.step({TOKEN: context["token"], RUN: context.get("run")}):
                return await super().process_item_async(item)
        finally:
            spider.output_done(context["token"])
