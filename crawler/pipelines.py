"""Item pipelines: thin glue, in order: extract -> (dedup, places: later stages) -> store.

Every outcome is counted in the crawl stats (``rasad/...``) and bad pages are dropped with a
logged reason; nothing here stops the run.
"""
from __future__ import annotations

import datetime as dt
import logging

from scrapy.exceptions import DropItem

from crawler.config import get_config
from crawler.extract import ExtractionError, extract
from crawler.items import Article, ArticlePage
from crawler.runtime import store_for

log = logging.getLogger(__name__)


def page_to_article(page: ArticlePage, *, theme: str | None, tz: str, founded: dt.date | None,
                    now: dt.datetime | None = None) -> tuple[Article, list[str]]:
    """Extract an Article from a fetched page; discovery hints fill only what the page lacks."""
    ex = extract(page.body, page.url, encoding=page.encoding, theme=theme, tz=tz, not_before=founded, now=now)
    article = Article(
        url=page.url, canonical_url=ex.canonical_url or page.url, outlet=page.outlet, title=ex.title,
        author=ex.author, published_at=ex.published_at, modified_at=ex.modified_at, section=ex.section,
        tags=list(ex.tags), lead=ex.lead, text=ex.text, language=ex.language, image_url=ex.image_url,
        sources=list(ex.sources), post_id=ex.post_id, provenance=dict(ex.provenance),
    )
    warnings = list(ex.warnings)
    for name in ("published_at", "modified_at"):
        hint = page.hints.get(name)
        if not hint:
            continue
        value = dt.datetime.fromisoformat(hint)
        limit = (now or dt.datetime.now(dt.timezone.utc)) + dt.timedelta(days=1)
        if value > limit or (founded is not None and value.date() < founded):
            continue
        current = getattr(article, name)
        # a missing date comes from the discovery source; so does a later modification time
        # (the REST API's modified_gmt moves on edits the page's own markup may not show)
        if current is None or (name == "modified_at" and value > current):
            setattr(article, name, value)
            article.provenance[name] = f"{page.discovered_via}:hint"
    if not article.title and page.hints.get("title"):
        article.title = page.hints["title"]
        article.provenance["title"] = f"{page.discovered_via}:hint"
    article.compute_hash()
    return article, warnings


def looks_truncated(body: bytes) -> bool:
    """True for an HTML page cut short: WordPress always closes </body></html>."""
    tail = body[-2048:].lower()
    return b"<html" in body[:4096].lower() and b"</html>" not in tail and b"</body>" not in tail


class ExtractPipeline:
    """ArticlePage -> Article, or a counted, logged drop."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = get_config()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _drop(self, reason: str, page: ArticlePage, detail: str):
        self.stats.inc_value("rasad/skipped")
        self.stats.inc_value(f"rasad/skipped/{reason}")
        # a page may be empty, cut or broken only this once: later runs try it again
        store_for(self.crawler).backlog_add(page.outlet, page.requested_url or page.url, f"{reason}: {detail}")
        log.warning("outlet %s: skipped %s: %s", page.outlet, page.url, detail)
        raise DropItem(f"{reason}: {page.url}: {detail}")

    def process_item(self, item, spider=None):
        if not isinstance(item, ArticlePage):
            return item
        if item.body and looks_truncated(item.body):
            # stored partial text would pass for the article; skip it and let a later run re-fetch
            self._drop("truncated", item, "page ends before </body></html> (truncated download)")
        outlet = self.config.outlets.get(item.outlet)
        theme = outlet.theme if outlet else None
        founded = outlet.founded if outlet else None
        try:
            article, warnings = page_to_article(item, theme=theme, tz=self.config.timezone, founded=founded)
        except ExtractionError as exc:
            self._drop("unreadable", item, str(exc))
        except Exception as exc:  # an extractor bug must not stop the crawl, but must be visible
            log.exception("outlet %s: extraction crashed on %s", item.outlet, item.url)
            self._drop("extract_error", item, f"{type(exc).__name__}: {exc}")
        for warning in warnings:
            self.stats.inc_value("rasad/extract_warnings")
            log.info("outlet %s: %s: %s", item.outlet, item.url, warning)
        if not article.title or not article.text:
            missing = " and ".join(n for n in ("title", "text") if not getattr(article, n))
            self._drop("no_body" if not article.text else "no_title", item, f"no {missing} found")
        if article.published_at is None:
            self.stats.inc_value("rasad/missing/published_at")
            log.warning("outlet %s: %s has no usable publication date; stored with published_at empty",
                        item.outlet, item.url)
        self.stats.inc_value("rasad/extracted")
        self.stats.inc_value(f"rasad/extracted_family/{article.provenance.get('family', 'unknown')}")
        return article


class PlacesPipeline:
    """Article -> the places it names, the watches it matches and its relevance score (crawler/geo)."""

    def __init__(self, crawler):
        from crawler.geo import Matcher, load_watches
        self.stats = crawler.stats
        self.matcher = Matcher.default()
        self.watches = load_watches(get_config().watches)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        if not isinstance(item, Article):
            return item
        try:
            annotate_places(item, self.matcher, self.watches)
        except Exception as exc:  # a matcher bug must not lose the article; it is stored unmatched
            self.stats.inc_value("rasad/places/errors")
            log.error("outlet %s: place matching failed for %s: %s: %s", item.outlet, item.url,
                      type(exc).__name__, exc)
            return item
        if item.watches:
            self.stats.inc_value("rasad/watched")
        return item


def annotate_places(article: Article, matcher, watches) -> None:
    """Fill ``places``, ``score`` and ``watches`` of an article (used by crawl and import)."""
    fields = {"title": article.title or "", "lead": article.lead or "", "text": article.text or ""}
    result = matcher.match(**fields)
    article.places = [p.to_dict() for p in result.places]
    article.score = result.score
    article.watches = [w.name for w in watches if w.matches(result, **fields)]


class StorePipeline:
    """Writes each Article once (new, new version, or duplicate of a stored one).

    With StoryPipeline enabled after it, the article is stored and put into its story in one
    transaction (StoryService.save_and_assign: one session and one commit per article instead
    of two); StoryPipeline then only counts and logs the story result handed over here.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        if not isinstance(item, Article):
            return item
        stories = getattr(self.crawler, _STORY_PIPELINE, None)
        try:
            if stories is None:
                result = store_for(self.crawler).save_article(item)
            else:
                result = stories.save_and_assign(item)
        except Exception as exc:
            self.stats.inc_value("rasad/store_errors")
            log.error("outlet %s: could not store %s: %s", item.outlet, item.url, type(exc).__name__)
            try:   # the next crawl retries it (a known URL would otherwise never be fetched again)
                store_for(self.crawler).backlog_add(item.outlet, item.url, f"store error: {type(exc).__name__}")
            except Exception:  # noqa: BLE001 - the store itself is down: counted and logged above
                pass
            raise DropItem(f"store error: {item.url}") from exc
        self.stats.inc_value(f"rasad/articles/{result.status}")
        log.info("outlet %s: %s %s (id %s, v%d)", item.outlet, result.status, item.url, result.article_id,
                 result.version)
        return item


# the crawler attribute holding the StoryPipeline (set by it: pipelines are built in order)
_STORY_PIPELINE = "_rasad_story_pipeline"


class StoryPipeline:
    """After StorePipeline: puts each stored article into its story (storage/stories.py).

    Counts ``rasad/stories/new`` (founded a story), ``rasad/stories/joined`` (a copy or rewrite
    of a stored story), ``rasad/stories/kept`` (a new version stays in its story) and
    ``rasad/stories/errors``; a failure here is logged and counted, the item is kept.

    StorePipeline (when it runs before this one) does the assignment in the transaction that
    stores the article (:meth:`save_and_assign`) and hands the result over; an item that did
    not pass through it is assigned here, in a transaction of its own.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self._service = None
        self._handed: dict[int, tuple] = {}   # id(item) -> (item, StoryResult | None, error | None)
        setattr(crawler, _STORY_PIPELINE, self)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def service(self):
        if self._service is None:
            import os

            from storage.stories import StoryService
            redis_url = self.crawler.settings.get("REDIS_URL") or os.environ.get("REDIS_URL") or None
            self._service = StoryService(store_for(self.crawler), redis_url=redis_url)
        return self._service

    def save_and_assign(self, item: Article):
        """For StorePipeline: store ``item`` and assign its story in one transaction; returns the
        SaveResult (a store failure raises) and keeps the story outcome for process_item."""
        try:
            service = self.service()
        except Exception as exc:  # e.g. Redis unreachable: store the article, count the story error
            result, story, error = store_for(self.crawler).save_article(item), None, exc
        else:
            result, story, error = service.save_and_assign(item)
        self._handed[id(item)] = (item, story, error)
        return result

    def process_item(self, item, spider=None):
        if not isinstance(item, Article):
            return item
        handed = self._handed.pop(id(item), None)
        if handed is not None and handed[0] is item:
            _, result, error = handed
        else:
            result, error = self._assign(item)
        if error is not None:  # a story failure must not lose the stored article
            self.stats.inc_value("rasad/stories/errors")
            log.error("outlet %s: story assignment failed for %s: %s: %s", item.outlet, item.url,
                      type(error).__name__, error)
            return item
        if result is None:
            return item
        item.story_id = result.story_id
        if result.status in ("new", "joined", "kept"):
            self.stats.inc_value(f"rasad/stories/{result.status}")
        if result.status == "joined":
            log.info("outlet %s: %s joins story %s (copy of %s, jaccard %.2f)", item.outlet, item.url,
                     result.story_id, result.matched_article_id, result.jaccard or 0.0)
        return item

    def _assign(self, item: Article):
        """(StoryResult or None, None), or (None, the exception)."""
        try:
            service = self.service()
            article_id = item.id
            if article_id is None:  # unchanged or duplicate: StorePipeline left the id unset
                stored = service.store.find_by_url(item.canonical_url or item.url)
                article_id = stored.id if stored else None
            if article_id is None:
                return None, None
            return service.assign(article_id), None
        except Exception as exc:
            return None, exc
