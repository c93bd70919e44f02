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
        pending = getattr(self.crawler, "rasad_validators", {})
        accepted = getattr(spider, "accepted_pages", set())
        store = store_for(self.crawler)
        record_outcome(store, self.run_id, spider.name, self.crawler.stats.get_stats(), reason,
                       getattr(spider, "discovery_errors", []),
                       {url: v for url, v in pending.items() if url in accepted})
        store.close()


def record_outcome(store, run_id: int | None, name: str, stats: dict, reason: str, errors: list[str],
                   validators: dict) -> tuple[str, dict]:
    """Record a finished crawl run: its counts and status in crawl_runs and, only when nothing
    was lost, skipped or failed, the validators of the discovery pages it accepted (otherwise
    the next poll's 304 would hide the articles this run did not get). Shared by the in-process
    crawl (CrawlRunRecorder) and the distributed one (crawler/frontier/runs.py)."""
    counts = {k: v for k, v in stats.items() if k.startswith(_KEPT) and isinstance(v, (int, float, str))}
    counts["close_reason"] = reason
    failed = bool(stats.get("rasad/discovery_failed")) or reason not in ("finished", "closespider_itemcount")
    error = None
    if failed:
        error = "; ".join(errors) or f"closed: {reason}"
    troubles = sum(int(stats.get(k, 0) or 0) for k in LOST_KEYS)
    if not failed and not troubles:
        for url, (etag, last_modified) in validators.items():
            store.set_validators(url, etag, last_modified)
    status = "failed" if failed else "finished"
    if run_id is not None:
        store.finish_run(run_id, status, counts, error)
    log.info("crawl of %s %s: %d new, %d updated, %d unchanged, %d duplicates, %d skipped, %d failed fetches",
             name, "FAILED" if failed else "finished", counts.get("rasad/articles/new", 0),
             counts.get("rasad/articles/updated", 0), counts.get("rasad/articles/unchanged", 0),
             counts.get("rasad/articles/duplicate", 0), counts.get("rasad/skipped", 0),
             counts.get("rasad/article_failed", 0))
    return status, counts
