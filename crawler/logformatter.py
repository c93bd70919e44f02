"""Log lines for items: URLs and reasons only, never page bodies or article text."""
from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


def _url(item) -> str:
    return getattr(item, "url", None) or (item.get("url") if isinstance(item, dict) else None) or "?"


class RasadLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        return {"level": logging.DEBUG, "msg": "Stored item from %(url)s", "args": {"url": _url(item)}}

    def dropped(self, item, exception, response, spider):
        # the pipeline already logged a warning with the reason; this is the Scrapy-level trace
        return {"level": logging.DEBUG, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}

    def item_error(self, item, exception, response, spider):
        return {"level": logging.ERROR, "msg": "Error processing item from %(url)s", "args": {"url": _url(item)}}
