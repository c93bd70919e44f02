"""Scrapy settings for rasad: every crawl knob in one place.

Components are wired here by dotted path (pipelines, middlewares, extensions), as Scrapy
intends; the outlet list and the contact URL come from rasad.toml (crawler/config.py), the
store from RASAD_DB_URL.
"""
from crawler import __version__
from crawler.config import db_url, get_config

_config = get_config()

BOT_NAME = "rasad"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# An honest User-Agent naming rasad and a contact URL from configuration.
USER_AGENT = f"rasad/{__version__} (+{_config.contact_url})" if _config.contact_url else f"rasad/{__version__}"

# Politeness.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = int(_config.crawl.get("download_timeout", 30))
RETRY_ENABLED = True
RETRY_TIMES = int(_config.crawl.get("retry_times", 3))
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024

# Pages fetched per discovery source per run at most (feed/API/sitemap/listing pages).
RASAD_MAX_PAGES = int(_config.crawl.get("max_pages", 10))
RASAD_REFETCH_MODIFIED = bool(_config.crawl.get("refetch_modified", True))
# The store; read at crawl start so tests and `rasad` can point it elsewhere.
RASAD_DB_URL = db_url()

DOWNLOADER_MIDDLEWARES = {
    # Adds If-None-Match / If-Modified-Since to re-polled discovery pages.
    "crawler.middlewares.ConditionalRequestMiddleware": 580,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,
    "crawler.pipelines.PlacesPipeline": 300,
    "crawler.pipelines.StorePipeline": 900,
    "crawler.pipelines.StoryPipeline": 950,
}
EXTENSIONS = {
    "crawler.extensions.CrawlRunRecorder": 500,
}

LOG_LEVEL = "INFO"
# Scrapy re-parses a generator callback's source on every response to warn about `return x`
# in generators (~1 ms a page, its cache misses bound methods); our callbacks have none.
WARN_ON_GENERATOR_RETURN_VALUE = False
LOG_FORMATTER = "crawler.logformatter.RasadLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
