"""Result type and error of the extraction layer."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


class ExtractionError(ValueError):
    """The page cannot be read at all (empty, binary, not HTML). The message names the URL."""


@dataclass
class Extraction:
    url: str
    canonical_url: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: _dt.datetime | None = None
    modified_at: _dt.datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    lead: str | None = None
    text: str | None = None
    language: str | None = None
    image_url: str | None = None
    post_id: str | None = None
    sources: list[str] = field(default_factory=list)
    family: str = "generic"
    provenance: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    tz: str = field(default="Asia/Damascus", repr=False, compare=False)

    def to_dict(self) -> dict:
        """JSON-ready dict; datetimes as ISO 8601 with offset, expressed in the tz zone."""
        zone = ZoneInfo(self.tz)

        def iso(value: _dt.datetime | None) -> str | None:
            if value is None:
                return None
            return value.astimezone(zone).isoformat()

        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "author": self.author,
            "published_at": iso(self.published_at),
            "modified_at": iso(self.modified_at),
            "section": self.section,
            "tags": list(self.tags),
            "lead": self.lead,
            "text": self.text,
            "language": self.language,
            "image_url": self.image_url,
            "post_id": self.post_id,
            "sources": list(self.sources),
            "family": self.family,
            "provenance": dict(self.provenance),
            "warnings": list(self.warnings),
        }
