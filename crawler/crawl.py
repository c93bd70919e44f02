"""Run outlet crawls in this process (the `rasad crawl` and `rasad demo` path)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")


@dataclass
class CrawlOutcome:
    outlet: str
    status: str                      # "finished" | "failed"
    stats: dict = field(default_factory=dict)

    def count(self, key: str) -> int:
        return int(self.stats.get(f"rasad/{key}", 0) or 0)


def project_settings(overrides: dict | None = None):
    from scrapy.utils.project import get_project_settings
    settings = get_project_settings()
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawls(outlets: list[str], overrides: dict | None = None, spider_args: dict | None = None) -> list[CrawlOutcome]:
    """Crawl ``outlets`` concurrently in one Twisted reactor; returns one outcome each."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiderloader import SpiderLoader

    settings = project_settings(overrides)
    loader = SpiderLoader.from_settings(settings)
    process = CrawlerProcess(settings)
    crawlers = []
    for key in outlets:
        crawler = process.create_crawler(loader.load(key))
        crawlers.append((key, crawler))
        process.crawl(crawler, **(spider_args or {}).get(key, {}))
    process.start()
    outcomes = []
    for key, crawler in crawlers:
        stats = dict(crawler.stats.get_stats())
        reason = stats.get("finish_reason", "unknown")
        failed = bool(stats.get("rasad/discovery_failed")) or reason not in ("finished", "closespider_itemcount")
        outcomes.append(CrawlOutcome(key, "failed" if failed else "finished", stats))
    return outcomes
