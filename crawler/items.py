"""The records that flow through a crawl.

``ArticlePage`` is what a spider yields: a fetched article page, not yet parsed (spiders
navigate, they don't parse fields). ``Article`` is the one record that flows through
everything after extraction and is what export writes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field, fields
from zoneinfo import ZoneInfo

from crawler.dedup import normalized_body

ARTICLE_FIELDS = (
    "id", "url", "canonical_url", "outlet", "title", "author", "published_at", "modified_at",
    "first_seen_at", "section", "tags", "lead", "text", "language", "image_url", "content_hash",
    "version",
)
DATETIME_FIELDS = ("published_at", "modified_at", "first_seen_at")


@dataclass
class ArticlePage:
    """A fetched article page on its way to extraction."""
    outlet: str
    url: str                      # the URL the page was served from (after redirects)
    requested_url: str            # the URL the spider asked for (feed link, shortlink...)
    body: bytes
    encoding: str | None          # charset named by the HTTP Content-Type, if any
    status: int = 200
    discovered_via: str = ""      # "feed", "api", "sitemap", "listing"
    hints: dict = field(default_factory=dict)   # what the discovery source said (date, title)
    context: dict = field(default_factory=dict)  # crawl bookkeeping (the shared frontier's run/entry)


@dataclass
class Article:
    id: str | None = None
    url: str = ""
    canonical_url: str = ""
    outlet: str = ""
    title: str | None = None
    author: str | None = None
    published_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    first_seen_at: dt.datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    lead: str | None = None
    text: str | None = None
    language: str | None = None
    image_url: str | None = None
    content_hash: str | None = None
    version: int = 1
    # Beyond the core record: filled by later stages, exported alongside.
    sources: list[str] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)    # crawler/geo matches
    watches: list[str] = field(default_factory=list)    # names of the watches it matches
    score: float | None = None                          # place relevance score
    story_id: str | None = None                         # near-duplicate story (crawler/dedup)
    post_id: str | None = None
    provenance: dict = field(default_factory=dict)

    def compute_hash(self) -> str:
        """sha256 of the normalised title and body: what 'the same article' means."""
        payload = normalized_body(self.title or "") + "\n\n" + normalized_body(self.text or "")
        self.content_hash = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        return self.content_hash

    def to_record(self, tz: str = "Asia/Damascus") -> dict:
        """JSON-ready dict: datetimes ISO 8601 with the offset of ``tz``."""
        zone = ZoneInfo(tz)
        out = asdict(self)
        for name in DATETIME_FIELDS:
            value = out.get(name)
            if isinstance(value, dt.datetime):
                if value.tzinfo is None:
                    value = value.replace(tzinfo=dt.timezone.utc)
                out[name] = value.astimezone(zone).isoformat()
        return out

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
