"""The store: schema, repository functions, search and export."""
from storage.db import StoreError
from storage.repository import SaveResult, Store

__all__ = ["Store", "StoreError", "SaveResult", "open_store"]


def open_store(url: str | None = None) -> Store:
    """Open the configured store (RASAD_DB_URL, else the embedded SQLite file)."""
    from crawler.config import db_url
    return Store(url or db_url())
