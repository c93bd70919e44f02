"""Navigation for WordPress news outlets: feed, REST API, sitemaps, listing pages.

A spider here only finds article URLs and fetches the pages; it never parses article fields
(crawler/extract does, in the ExtractPipeline). Each outlet is an ``OutletConfig`` from
rasad.toml; an outlet module in spiders/ is a three-line subclass naming its key, and outlets
configured without a module get a generated class (spiders/configured.py).

Discovery sources are tried in the outlet's configured order until one answers (a 403 feed,
a disabled REST API or a missing sitemap moves on to the next). Paging within a source stops
at ``RASAD_MAX_PAGES`` or at the first page whose articles are all already stored, so a
routine poll costs one conditional request when nothing changed.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import logging
import re
from urllib.parse import urlencode, urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.sitemap import Sitemap

from crawler.config import OutletConfig, get_config
from crawler.items import ArticlePage
from crawler.runtime import store_for

log = logging.getLogger(__name__)

API_PAGE_SIZE = 20
SITEMAP_CHUNK = 50
_NOT_ARTICLE = re.compile(
    r"/(category|tag|author|page|feed|wp-json|wp-admin|wp-content|wp-includes|search|comments)(/|$)"
    r"|\.(xml|jpe?g|png|gif|webp|svg|pdf|mp4|mp3|zip|css|js)$|[?&](s|cat|tag|feed|author)=", re.I)
_CHILD_SITEMAP_SKIP = re.compile(r"(page|category|categories|tag|author|user|attachment|taxonom|product|video|image)", re.I)


def _newest_first(entries: list[dict]) -> list[dict]:
    """Sitemap entries newest first: by lastmod when given, else by the number in the URL
    (WordPress core lists posts and numbers its child sitemaps oldest first)."""
    def number(entry):
        found = re.findall(r"\d+", entry.get("loc") or "")
        return int(found[-1]) if found else 0
    return sorted(entries, key=lambda e: (e.get("lastmod") or e.get("publication_date") or "", number(e)),
                  reverse=True)


def _rfc822(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.isoformat()


def _iso(value: str | None, assume_utc: bool = False) -> str | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        if not assume_utc:
            return None
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.isoformat()


class WordPressSpider(scrapy.Spider):
    """Crawl one configured WordPress outlet incrementally."""

    outlet_key: str = ""
    # Backlog retries bypass the dupefilter only where it outlives a crawl (the shared frontier):
    # within one crawl Scrapy's own filter keeps a failed article listed in the feed to one fetch.
    _backlog_dont_filter = False

    def __init__(self, *args, base_url: str | None = None, max_pages: str | int | None = None,
                 sources: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        outlet = get_config().outlet(self.outlet_key or self.name)
        if base_url:  # crawl a copy of the site elsewhere (mirror, saved copy)
            outlet = dataclasses.replace(outlet, base_url=base_url.rstrip("/"))
        if sources:
            outlet = dataclasses.replace(outlet, discovery=tuple(s.strip() for s in sources.split(",") if s.strip()))
        self.outlet: OutletConfig = outlet
        self.allowed_domains = outlet.allowed_domains()
        self._max_pages_arg = int(max_pages) if max_pages else None
        self._pattern = re.compile(outlet.article_url_pattern) if outlet.article_url_pattern else None
        self._queue = list(outlet.discovery)
        self.discovery_used: str | None = None
        self.discovery_errors: list[str] = []
        # Discovery pages whose body was read as what it claimed to be: only their validators
        # are kept for conditional requests (a 200 HTML page at /feed/ must not become a 304).
        self.accepted_pages: set[str] = set()
        # Whether the last run left articles behind (a failed page, max_pages reached): then
        # this run pages on past stored articles until a page holds only stored ones.
        self.resume = False

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_pages = spider._max_pages_arg or crawler.settings.getint("RASAD_MAX_PAGES", 10)
        spider.refetch_modified = crawler.settings.getbool("RASAD_REFETCH_MODIFIED", True)
        return spider

    @property
    def store(self):
        return store_for(self.crawler)

    # ---- hooks for the shared frontier (crawler/frontier/spider.py) --------------------

    def _carry(self) -> dict:
        """Meta every new request of this crawl carries (the frontier adds outlet and run)."""
        return {}

    def _item_context(self, response) -> dict:
        """Context an ArticlePage carries through the pipelines (the frontier's run and entry)."""
        return {}

    # ---- discovery chain --------------------------------------------------------------

    async def start(self):
        for request in self.start_requests():
            yield request

    def start_requests(self):
        if not self.outlet.verified:
            self.logger.warning("outlet %s: domain %s is UNVERIFIED in the configuration; confirm it before "
                                "relying on its records", self.outlet.key, self.outlet.host)
        last = self.store.last_run_counts(self.outlet.key)
        self.resume = bool(last.get("rasad/incomplete"))
        if self.resume:
            self.logger.info("outlet %s: the last run stopped paging early; paging past stored ones", self.outlet.key)
        for url in self.store.backlog(self.outlet.key):
            self.crawler.stats.inc_value("rasad/backlog_retries")
            yield scrapy.Request(url, callback=self.parse_article, errback=self._article_failed,
                                 meta={"source": "backlog", "hints": {}, **self._carry()},
                                 dont_filter=self._backlog_dont_filter)
        yield from self._next_source(None)

    def _next_source(self, reason: str | None):
        if reason:
            self.discovery_errors.append(reason)
            self.logger.info("outlet %s: %s; trying the next discovery source", self.outlet.key, reason)
        while self._queue:
            source = self._queue.pop(0)
            requests = list(getattr(self, f"_start_{source}")())
            if requests:
                yield from requests
                return
        self.crawler.stats.set_value("rasad/discovery_failed", 1)
        self.logger.error("outlet %s: every discovery source failed: %s", self.outlet.key,
                          "; ".join(self.discovery_errors) or "none configured")

    def _source_request(self, url: str, source: str, callback, page: int = 1, alternatives=(),
                        conditional: bool | None = None, **meta):
        """A discovery request; page 1 is conditional and its failure moves down the chain."""
        if conditional is None:
            conditional = page == 1 and source != "sitemap"  # sitemap: the child sitemaps are
        # the discovery sources still to try travel with the request (another process may
        # handle its failure when the frontier is shared)
        meta.update(source=source, page=page, alternatives=list(alternatives), conditional=conditional,
                    sources_left=list(self._queue), **self._carry())
        return scrapy.Request(url, callback=callback, errback=self._source_failed, meta=meta,
                              dont_filter=(page == 1), priority=-page)

    def _source_failed(self, failure):
        request = failure.request
        meta = request.meta
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else type(failure.value).__name__
        self.crawler.stats.inc_value(f"rasad/discovery_error/{meta['source']}")
        if meta["page"] > 1:
            if response is not None and response.status in (400, 404, 410) and not meta.get("child"):
                # past the last page: WordPress answers 404 (feeds, listings) or 400 (REST API)
                self.logger.info("outlet %s: %s has no page %d", self.outlet.key, meta["source"], meta["page"])
                return
            # the articles listed there are still unknown: the next run must come back for them
            self.crawler.stats.inc_value("rasad/incomplete")
            self.logger.warning("outlet %s: %s page %s gave %s; its articles are left for the next run",
                                self.outlet.key, meta["source"], request.url, what)
            return
        if response is None and not failure.check(IgnoreRequest):
            # connection refused, DNS, timeout after retries: the site is down, not this source
            request.meta["sources_left"] = []
            request.meta["alternatives"] = []
        yield from self._try_alternative_or_next(request, f"{meta['source']} {request.url} gave {what}")

    def _try_alternative_or_next(self, request, reason: str):
        self._queue = list(request.meta.get("sources_left", self._queue))
        alternatives = list(request.meta.get("alternatives") or [])
        if alternatives:
            self.discovery_errors.append(reason)
            source = request.meta["source"]
            nxt = alternatives.pop(0)
            yield self._source_request(self._page_url(source, nxt, 1), source, request.callback, page=1,
                                       alternatives=alternatives, path=nxt)
            return
        yield from self._next_source(reason)

    def _page_url(self, source: str, path: str, page: int) -> str:
        url = self.outlet.absolute(path)
        if source == "feed":
            return url if page == 1 else self._add_query(url, {"paged": page})
        if source == "api":
            params = {"per_page": API_PAGE_SIZE, "_fields": "id,link,date_gmt,modified_gmt,title"}
            if page > 1:
                params["page"] = page
            return self._add_query(url, params)
        if source == "listing" and page > 1:
            return urljoin(url if url.endswith("/") else url + "/", f"page/{page}/")
        return url

    @staticmethod
    def _add_query(url: str, params: dict) -> str:
        return url + ("&" if "?" in url else "?") + urlencode(params)

    def _start_feed(self):
        return self._start_paths("feed", self.outlet.feeds, self.parse_feed)

    def _start_api(self):
        return self._start_paths("api", self.outlet.api, self.parse_api)

    def _start_sitemap(self):
        return self._start_paths("sitemap", self.outlet.sitemaps, self.parse_sitemap)

    def _start_listing(self):
        return self._start_paths("listing", self.outlet.listings, self.parse_listing)

    def _start_paths(self, source, paths, callback):
        if not paths:
            return []
        first, *rest = paths
        return [self._source_request(self._page_url(source, first, 1), source, callback,
                                     alternatives=rest, path=first)]

    def _source_ok(self, response) -> bool:
        """Book-keeping when a source page answered; False when it is 304 Not Modified.

        A 304 is only possible for a page accepted at an earlier run (validators are kept for
        accepted pages only), so it counts as this source answering with nothing new.
        """
        self.crawler.stats.inc_value(f"rasad/discovery_pages/{response.meta['source']}")
        if response.status == 304:
            self._accept(response)
            self.logger.info("outlet %s: %s unchanged since last poll (304)", self.outlet.key, response.url)
            return False
        return True

    def _accept(self, response) -> None:
        """The page was what its source promised (a feed, a post list, a sitemap, a listing)."""
        self.accepted_pages.add(response.request.url)
        if self.discovery_used is None:
            self.discovery_used = response.meta["source"]
            self.crawler.stats.set_value("rasad/discovery_source", self.discovery_used)

    # ---- entries -> article requests ----------------------------------------------------

    def _follow_entries(self, response, entries: list[dict], paging: bool = True):
        """Request the articles not yet stored; page on while something new was found."""
        meta = response.meta
        source, page = meta["source"], meta["page"]
        entries = [e for e in entries if e.get("url")]
        urls = [e["url"] for e in entries]
        known = self.store.known_urls(urls + [e["alt"] for e in entries if e.get("alt")]) if entries else set()
        modified = self.store.modified_times([u for u in urls if u in known]) if (
            self.refetch_modified and any(e.get("modified_at") for e in entries)) else {}
        reached_known = False
        for entry in entries:
            url = entry["url"]
            is_known = url in known or (entry.get("alt") in known)
            reached_known = reached_known or is_known
            refetch = False
            if is_known and entry.get("modified_at") and url in modified:
                stored = modified[url]
                seen = dt.datetime.fromisoformat(entry["modified_at"])
                refetch = stored is None or seen > stored + dt.timedelta(minutes=1)
            if is_known and not refetch:
                self.crawler.stats.inc_value("rasad/known_skipped")
                continue
            self.crawler.stats.inc_value("rasad/article_requests")
            hints = {k: entry[k] for k in ("published_at", "modified_at", "title") if entry.get(k)}
            yield scrapy.Request(url, callback=self.parse_article, errback=self._article_failed,
                                 meta={"source": source, "hints": hints, "refetch": refetch, **self._carry()},
                                 dont_filter=refetch)
        self.crawler.stats.inc_value("rasad/entries_seen", len(entries))
        if not entries or not paging:
            return
        if reached_known and not self.resume:
            # newest first: a stored article here means everything further back is stored too
            self.logger.info("outlet %s: %s page %d reaches stored articles; stopping", self.outlet.key, source, page)
            return
        if page >= self.max_pages:
            self.crawler.stats.inc_value("rasad/incomplete")
            self.logger.info("outlet %s: reached max_pages=%d on %s; the rest is left for the next run",
                             self.outlet.key, self.max_pages, source)
            return
        nxt = self._next_page_url(response, source, page)
        if nxt:
            yield self._source_request(nxt, source, response.request.callback, page=page + 1,
                                       path=meta.get("path"), sitemap_rest=meta.get("sitemap_rest"))

    def _next_page_url(self, response, source: str, page: int) -> str | None:
        if source in ("feed", "api"):
            if source == "api":
                total = response.headers.get(b"X-WP-TotalPages")
                if total and total.isdigit() and int(total) <= page:
                    return None
            return self._page_url(source, response.meta.get("path") or "", page + 1)
        if source == "listing":
            sel = response.selector if hasattr(response, "selector") else None
            href = None
            if sel is not None:
                href = (sel.css("link[rel=next]::attr(href)").get() or sel.css("a.next::attr(href)").get()
                        or sel.css("a[rel=next]::attr(href)").get() or sel.css(".next a::attr(href)").get())
            return response.urljoin(href) if href else self._page_url("listing", response.meta.get("path") or "/", page + 1)
        return None

    def _is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if self._pattern is not None:
            return bool(self._pattern.search(target))
        if parts.path in ("", "/") and not re.search(r"(^|&)p=\d+", parts.query):
            return False
        return not _NOT_ARTICLE.search(target)

    # ---- sources ----------------------------------------------------------------------

    def parse_feed(self, response):
        if not self._source_ok(response):
            return
        try:
            sel = Selector(text=response.text, type="xml")
            sel.remove_namespaces()
        except (AttributeError, ValueError):  # not a text response, undecodable
            sel = None
        if sel is None or not (sel.xpath("/rss | /feed | /*[local-name()='RDF']")):
            if response.meta["page"] == 1:
                yield from self._try_alternative_or_next(response.request, f"feed {response.url} is not RSS/Atom")
            return
        self._accept(response)
        entries = []
        for item in sel.xpath("//item | //entry"):
            link = (item.xpath("link/text()").get() or item.xpath("link[not(@rel) or @rel='alternate']/@href").get()
                    or "").strip()
            guid = (item.xpath("guid/text()").get() or item.xpath("id/text()").get() or "").strip()
            published = (_rfc822(item.xpath("pubDate/text()").get())
                         or _iso(item.xpath("published/text()").get() or item.xpath("updated/text()").get()))
            if not link and guid.startswith("http"):
                link = guid
            if link:
                entries.append({
                    "url": response.urljoin(link), "alt": guid if guid.startswith("http") else None,
                    "published_at": published, "title": (item.xpath("title/text()").get() or "").strip() or None,
                })
        yield from self._follow_entries(response, entries)

    def parse_api(self, response):
        if not self._source_ok(response):
            return
        try:
            data = json.loads(response.text)
        except (ValueError, AttributeError):
            data = None
        if not isinstance(data, list):
            if response.meta["page"] == 1:
                yield from self._try_alternative_or_next(response.request, f"api {response.url} did not return a post list")
            return
        self._accept(response)
        entries = []
        for post in data:
            if not isinstance(post, dict) or not isinstance(post.get("link"), str):
                continue
            title = post.get("title")
            entries.append({
                "url": response.urljoin(post["link"]),
                "alt": self.outlet.absolute(f"/?p={post['id']}") if post.get("id") else None,
                "published_at": _iso(post.get("date_gmt"), assume_utc=True),
                "modified_at": _iso(post.get("modified_gmt"), assume_utc=True),
                "title": title.get("rendered") if isinstance(title, dict) else None,
            })
        yield from self._follow_entries(response, entries)

    def parse_sitemap(self, response):
        if not self._source_ok(response):
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception:
            sitemap = None
        if sitemap is None or sitemap.type not in ("sitemapindex", "urlset"):
            if response.meta["page"] == 1 and not response.meta.get("child"):
                yield from self._try_alternative_or_next(response.request, f"sitemap {response.url} is not a sitemap")
            return
        self._accept(response)
        entries = _newest_first(list(sitemap))
        if sitemap.type == "sitemapindex":
            children = [e["loc"] for e in entries if e.get("loc")]
            wanted = [c for c in children if not _CHILD_SITEMAP_SKIP.search(urlsplit(c).path)] or children
            # newest child sitemaps first; each is conditional, so an unchanged one costs a 304
            for child in wanted[:self.max_pages]:
                yield self._source_request(response.urljoin(child), "sitemap", self.parse_sitemap, page=2,
                                           conditional=True, child=True, path=child)
            return
        found = []
        for e in entries:
            loc = (e.get("loc") or "").strip()
            if not loc or not self._is_article_url(response.urljoin(loc)):
                continue
            news = e.get("news") if isinstance(e.get("news"), dict) else {}
            published = _iso(news.get("publication_date")) if news else None
            found.append({"url": response.urljoin(loc), "published_at": published,
                          "modified_at": _iso(e.get("lastmod"))})
        # Sitemaps are not paged: read them in chunks, newest first, and stop at an all-known chunk.
        for number, start in enumerate(range(0, len(found), SITEMAP_CHUNK), 1):
            requests = list(self._follow_entries(response, found[start:start + SITEMAP_CHUNK], paging=False))
            yield from requests
            chunk_size = len(found[start:start + SITEMAP_CHUNK])
            if not self.resume and len(requests) < chunk_size:
                self.logger.info("outlet %s: sitemap %s: chunk %d reaches stored articles; stopping",
                                 self.outlet.key, response.url, number)
                break
            if number >= self.max_pages:
                break

    def parse_listing(self, response):
        if not self._source_ok(response):
            return
        if not hasattr(response, "css"):
            if response.meta["page"] == 1:
                yield from self._try_alternative_or_next(response.request, f"listing {response.url} is not HTML")
            return
        links = []
        seen = set()
        scopes = response.css("main, #content, .content, #main, body")[:1] or [response]
        candidates = scopes[0].css(
            "article a::attr(href), h2 a::attr(href), h3 a::attr(href), .entry-title a::attr(href), "
            ".post-title a::attr(href), .jeg_post_title a::attr(href)").getall()
        for href in candidates:
            url = response.urljoin(href.strip())
            if url in seen or not self._is_article_url(url):
                continue
            host = urlsplit(url).hostname or ""
            if not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
                continue
            seen.add(url)
            links.append({"url": url})
        if not links and response.meta["page"] == 1:
            yield from self._try_alternative_or_next(response.request, f"listing {response.url} has no article links")
            return
        self._accept(response)
        yield from self._follow_entries(response, links)

    # ---- articles -----------------------------------------------------------------------

    def parse_article(self, response):
        encoding = None
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        match = re.search(r"charset=([\w.:-]+)", content_type, re.I)
        if match:
            encoding = match.group(1)
        yield ArticlePage(
            outlet=self.outlet.key, url=response.url, requested_url=response.request.meta.get(
                "redirect_urls", [response.request.url])[0],
            body=response.body, encoding=encoding, status=response.status,
            discovered_via=response.meta.get("source", ""), hints=dict(response.meta.get("hints") or {}),
            context=self._item_context(response),
        )

    def _article_failed(self, failure):
        request = failure.request
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else type(failure.value).__name__
        self.crawler.stats.inc_value("rasad/article_failed")
        self.crawler.stats.inc_value(f"rasad/article_failed/{what.replace(' ', '_')}")
        self.store.backlog_add(self.outlet.key, request.url, what)
        self.logger.warning("outlet %s: article %s skipped: %s", self.outlet.key, request.url, what)
