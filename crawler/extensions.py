"""Crawl bookkeeping: one crawl_runs row per outlet crawl, with its counts and outcome."""
from __future__ import annotations

import logging

from scrapy import signals

from crawler.runtime import store_for

log = logging.getLogger(__name__)

# Stats copied into the crawl_runs row (prefix match), so `rasad stats` can show them.
_KEPT = ("rasad/", "memusage/max", "elapsed_time_seconds", "downloader/response_status_count/", "retry/count", "item_dropped_count",
         "log_count/ERROR", "downloader/request_count", "downloader/response_count")


# Any of these in a run's stats means an article may have been left behind.
LOST_KEYS = ("rasad/article_failed", "rasad/store_errors", "rasad/lost", "rasad/incomplete", "rasad/skipped",
             "rasad/places/errors", "log_count/ERROR")


class CrawlRunRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        outlet = spider.outlet.key if hasattr(spider, "outlet") else spider.name
        self.run_id = store_for(self.crawler).start_run(outlet)

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        counts = {k: v for k, v in stats.items() if k.startswith(_KEPT) and isinstance(v, (int, float, str))}
        counts["close_reason"] = reason
        failed = bool(stats.get("rasad/discovery_failed")) or reason not in ("finished", "closespider_itemcount")
        error = None
        if failed:
            errors = getattr(spider, "discovery_errors", [])
            error = "; ".join(errors) or f"closed: {reason}"
        store = store_for(self.crawler)
        # Validators of discovery pages are kept only when nothing was lost, skipped or failed in
        # this run, and only for pages that were what they claimed to be: otherwise the next
        # poll's 304 would hide the articles this run did not get.
        troubles = sum(int(stats.get(k, 0) or 0) for k in LOST_KEYS)
        pending = getattr(self.crawler, "rasad_validators", {})
        accepted = getattr(spider, "accepted_pages", set())
        if not failed and not troubles:
            for url, (etag, last_modified) in pending.items():
                if url in accepted:
                    store.set_validators(url, etag, last_modified)
        if self.run_id is not None:
            store.finish_run(self.run_id, "failed" if failed else "finished", counts, error)
        log.info("crawl of %s %s: %d new, %d updated, %d unchanged, %d duplicates, %d skipped, %d failed fetches",
                 spider.name, "FAILED" if failed else "finished", counts.get("rasad/articles/new", 0),
                 counts.get("rasad/articles/updated", 0), counts.get("rasad/articles/unchanged", 0),
                 counts.get("rasad/articles/duplicate", 0), counts.get("rasad/skipped", 0),
                 counts.get("rasad/article_failed", 0))
        store.close()
