"""Per-crawl shared objects (the store), created once per Scrapy crawler from its settings."""
from __future__ import annotations

from storage import Store

_ATTR = "_rasad_store"


def store_for(crawler) -> Store:
    """The crawler's store, opened on first use from the RASAD_DB_URL setting."""
    store = getattr(crawler, _ATTR, None)
    if store is None:
        store = Store(crawler.settings.get("RASAD_DB_URL"))
        setattr(crawler, _ATTR, store)
    return store
