"""Downloader middlewares."""
from __future__ import annotations

import logging

from crawler.runtime import store_for

log = logging.getLogger(__name__)


class ConditionalRequestMiddleware:
    """Conditional GETs (ETag / Last-Modified) for discovery pages re-polled every few minutes.

    Requests with ``meta["conditional"] = True`` get ``If-None-Match`` / ``If-Modified-Since``
    from the validators stored at the last successful run; a ``304`` reaches the callback
    (the spider treats it as "nothing new"). New validators are only held in memory until the
    crawl closes cleanly with every article fetched and stored (see the CrawlRunRecorder):
    a crawl that lost an article must not let the next poll skip the page that listed it.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.pending: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.rasad_validators = mw.pending
        return mw

    def process_request(self, request, spider=None):
        if not request.meta.get("conditional") or request.method != "GET":
            return None
        etag, last_modified = store_for(self.crawler).get_validators(request.url)
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1", "replace"))
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified.encode("latin-1", "replace"))
        allowed = list(request.meta.get("handle_httpstatus_list", []))
        if 304 not in allowed:
            request.meta["handle_httpstatus_list"] = allowed + [304]
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.get("conditional") and response.status == 200:
            etag = response.headers.get(b"ETag")
            last_modified = response.headers.get(b"Last-Modified")
            if etag or last_modified:
                self.pending[request.url] = (
                    etag.decode("latin-1") if etag else None,
                    last_modified.decode("latin-1") if last_modified else None,
                )
        if response.status == 304:
            self.crawler.stats.inc_value("rasad/not_modified")
        return response
