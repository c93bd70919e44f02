"""Repository functions: the only code that reads and writes articles and crawl bookkeeping."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Iterable, Iterator

from sqlalchemy import bindparam, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crawler.dedup import canonicalize, shortlink, url_key
from crawler.items import Article
from storage import search
from storage.db import ensure_schema, make_engine
from storage.models import (ArticleRow, ArticleUrlRow, ArticleVersionRow, CrawlBacklogRow, CrawlRunRow,
                            HttpValidatorRow)

log = logging.getLogger(__name__)

# Fields whose change makes a new version (what a reader would call "the article changed").
VERSIONED_FIELDS = ("title", "lead", "text")
# Fields refreshed from the newest crawl without a new version.
REFRESHED_FIELDS = ("author", "modified_at", "section", "tags", "language", "image_url", "sources",
                    "published_at", "post_id", "provenance", "places", "watches", "score")


# The statements of the hot path of _save (every crawled article runs them), built once and
# executed on the session's connection: Core statements skip the ORM's per-statement work
# (statement construction, ORM compile state, unit of work), ~0.1 ms each.
_ARTICLES = ArticleRow.__table__
_URLS = ArticleUrlRow.__table__
_BACKLOG = CrawlBacklogRow.__table__
_DELETE_BACKLOG = delete(_BACKLOG).where(_BACKLOG.c.url_hash.in_(bindparam("hashes", expanding=True)))
_ALIAS_HIT = select(_URLS.c.article_id).where(_URLS.c.url_hash.in_(bindparam("hashes", expanding=True))).limit(1)
_SAME_BODY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_SAME_BODY = select(_ARTICLES.c.id).where(_ARTICLES.c.outlet == bindparam("outlet"),
                                          _ARTICLES.c.content_hash == bindparam("content_hash")).limit(1)
_INSERT_ARTICLE = insert(_ARTICLES)
_INSERT_URLS = insert(_URLS)


def url_hash(url: str) -> str:
    return hashlib.sha1(url_key(url).encode("utf-8")).hexdigest()


def article_id_for(canonical_url: str) -> str:
    return hashlib.sha256(url_key(canonical_url).encode("utf-8")).hexdigest()[:16]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class SaveResult:
    status: str          # "new" | "updated" | "unchanged" | "duplicate"
    article_id: str
    version: int
    changes: tuple[str, ...] = ()


def _row_to_article(row: ArticleRow) -> Article:
    return Article(
        id=row.id, url=row.url, canonical_url=row.canonical_url, outlet=row.outlet, title=row.title,
        author=row.author, published_at=row.published_at, modified_at=row.modified_at,
        first_seen_at=row.first_seen_at, section=row.section, tags=list(row.tags or []),
        lead=row.lead, text=row.text, language=row.language, image_url=row.image_url,
        content_hash=row.content_hash, version=row.version, sources=list(row.sources or []),
        post_id=row.post_id, provenance=dict(row.provenance or {}), places=list(row.places or []),
        watches=list(row.watches or []), score=row.score, story_id=row.story_id,
    )


class Store:
    """A store opened from a SQLAlchemy URL; the schema is created/migrated on open."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        ensure_schema(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return self._session()

    # ---- articles -------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of ``urls`` already stored (compared canonically)."""
        by_hash = {url_hash(u): u for u in urls}
        if not by_hash:
            return set()
        found: set[str] = set()
        keys = list(by_hash)
        with self.session() as s:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                found.update(s.scalars(select(ArticleUrlRow.url_hash).where(ArticleUrlRow.url_hash.in_(chunk))))
        return {by_hash[h] for h in found}

    def modified_times(self, urls: Iterable[str]) -> dict[str, dt.datetime | None]:
        """For stored URLs, the stored article's modified_at (to decide on re-fetching edits)."""
        by_hash = {url_hash(u): u for u in urls}
        if not by_hash:
            return {}
        with self.session() as s:
            rows = s.execute(
                select(ArticleUrlRow.url_hash, ArticleRow.modified_at)
                .join(ArticleRow, ArticleRow.id == ArticleUrlRow.article_id)
                .where(ArticleUrlRow.url_hash.in_(list(by_hash)))
            ).all()
        return {by_hash[h]: m for h, m in rows}

    def save_article(self, article: Article, now: dt.datetime | None = None) -> SaveResult:
        """Store ``article`` once: new, a new version of a stored one, or a duplicate of one.

        Idempotent: saving the same content again writes nothing. Safe with several writers
        (a concurrent insert of the same URL is retried as an update).
        """
        for attempt in range(3):
            try:
                with self.session() as s, s.begin():
                    return self._save(s, article, now or utcnow())
            except IntegrityError:
                if attempt == 2:
                    raise
                log.debug("concurrent insert of %s; retrying", article.url)
        raise AssertionError("unreachable")

    def _save(self, s: Session, article: Article, now: dt.datetime) -> SaveResult:
        return self._save_row(s, article, now)[0]

    def _save_row(self, s: Session, article: Article, now: dt.datetime) -> tuple[SaveResult, ArticleRow]:
        """:meth:`_save`, also returning the stored row (the session holds it weakly only)."""
        canonical = canonicalize(article.canonical_url or article.url)
        article.canonical_url = canonical
        if not article.content_hash:
            article.compute_hash()
        urls = [article.url, canonical]
        if str(article.post_id or "").strip().isdigit():  # the shortlink finds the post even if its slug changed
            urls.append(shortlink(canonical, article.post_id))
        alias_hashes = {url_hash(u): canonicalize(u) for u in urls if u}

        conn = s.connection()
        conn.execute(_DELETE_BACKLOG, {"hashes": list(alias_hashes)})
        row = None
        hit = conn.execute(_ALIAS_HIT, {"hashes": list(alias_hashes)}).scalar()
        if hit:
            # locked: two writers editing one article must not both make version N+1
            row = s.scalars(select(ArticleRow).where(ArticleRow.id == hit).with_for_update()).first()
        if row is not None and row.post_id and article.post_id and str(row.post_id) != str(article.post_id):
            # a shared URL key but two different WordPress posts: never merge them
            log.warning("outlet %s: %s (post %s) shares a URL key with article %s (post %s); kept apart",
                        article.outlet, article.url, article.post_id, row.id, row.post_id)
            canonical = article.canonical_url = canonicalize(article.url)
            alias_hashes = {url_hash(article.url): canonical}
            if s.scalar(select(ArticleUrlRow.article_id).where(ArticleUrlRow.url_hash.in_(list(alias_hashes)))):
                raise ValueError(f"{article.url} is stored as another post")
            row = None
        if row is not None:
            self._add_aliases(s, row, alias_hashes)
            if row.content_hash == article.content_hash:
                if article.modified_at and row.modified_at != article.modified_at:
                    row.modified_at = article.modified_at   # metadata only: no new version
                return SaveResult("unchanged", row.id, row.version), row
            return self._new_version(s, row, article, now), row

        if conn.dialect.name == "postgresql" and article.text:
            # several workers store one outlet's articles at once: two URLs with the same body,
            # saved at the same moment, must not both miss the same-body check below
            digest = hashlib.sha256(f"{article.outlet}\x00{article.content_hash}".encode()).digest()
            conn.execute(_SAME_BODY_LOCK, {"key": int.from_bytes(digest[:8], "big", signed=True)})
        same_id = conn.execute(_SAME_BODY, {"outlet": article.outlet, "content_hash": article.content_hash}).scalar()
        same_body = s.get(ArticleRow, same_id) if same_id is not None and article.text else None
        if same_body is not None:
            self._add_aliases(s, same_body, alias_hashes)
            return SaveResult("duplicate", same_body.id, same_body.version), same_body

        article_id = article.id or article_id_for(canonical)
        values = dict(
            id=article_id, outlet=article.outlet, url=article.url, canonical_url=canonical,
            title=article.title, author=article.author, published_at=article.published_at,
            modified_at=article.modified_at, first_seen_at=article.first_seen_at or now, updated_at=now,
            section=article.section, tags=list(article.tags), lead=article.lead, text=article.text,
            language=article.language, image_url=article.image_url, content_hash=article.content_hash,
            version=max(1, article.version or 1), sources=list(article.sources), post_id=article.post_id,
            provenance=dict(article.provenance), places=list(article.places), watches=list(article.watches),
            score=article.score, story_id=None,
        )
        # inserted with Core (every column given: no defaults to apply); the returned row is a
        # transient ArticleRow holding what was inserted (StoryService updates it with Core too)
        conn.execute(_INSERT_ARTICLE, values)
        row = ArticleRow(**values)
        # none of the aliases exists: looked up above
        conn.execute(_INSERT_URLS, [{"url_hash": h, "url": u, "article_id": article_id, "outlet": article.outlet}
                                    for h, u in alias_hashes.items()])
        search.index_article(s, row)
        article.id, article.first_seen_at, article.version = row.id, row.first_seen_at, row.version
        return SaveResult("new", row.id, row.version), row

    def _add_aliases(self, s: Session, row: ArticleRow, alias_hashes: dict[str, str], absent: bool = False) -> None:
        have = set() if absent else set(s.scalars(
            select(ArticleUrlRow.url_hash).where(ArticleUrlRow.url_hash.in_(list(alias_hashes)))))
        for h, url in alias_hashes.items():
            if h not in have:
                s.add(ArticleUrlRow(url_hash=h, url=url, article_id=row.id, outlet=row.outlet))

    def _new_version(self, s: Session, row: ArticleRow, article: Article, now: dt.datetime) -> SaveResult:
        changes = tuple(f for f in VERSIONED_FIELDS if (getattr(row, f) or "") != (getattr(article, f) or ""))
        s.add(ArticleVersionRow(
            article_id=row.id, version=row.version, title=row.title, lead=row.lead, text=row.text,
            content_hash=row.content_hash, modified_at=row.modified_at, replaced_at=now, changes=list(changes),
        ))
        for name in VERSIONED_FIELDS:
            setattr(row, name, getattr(article, name))
        for name in REFRESHED_FIELDS:
            value = getattr(article, name)
            if value not in (None, [], {}):
                setattr(row, name, value)
        row.content_hash = article.content_hash
        row.version += 1
        row.updated_at = now
        search.index_article(s, row)
        article.id, article.first_seen_at, article.version = row.id, row.first_seen_at, row.version
        return SaveResult("updated", row.id, row.version, changes)

    def get_article(self, article_id: str) -> Article | None:
        with self.session() as s:
            row = s.get(ArticleRow, article_id)
            return _row_to_article(row) if row else None

    def find_by_url(self, url: str) -> Article | None:
        with self.session() as s:
            aid = s.scalar(select(ArticleUrlRow.article_id).where(ArticleUrlRow.url_hash == url_hash(url)))
            return _row_to_article(s.get(ArticleRow, aid)) if aid else None

    def versions(self, article_id: str) -> list[dict]:
        with self.session() as s:
            rows = s.scalars(select(ArticleVersionRow).where(ArticleVersionRow.article_id == article_id)
                             .order_by(ArticleVersionRow.version))
            return [{"version": r.version, "title": r.title, "text": r.text, "changes": r.changes,
                     "replaced_at": r.replaced_at} for r in rows]

    def iter_articles(self, outlet: str | None = None, batch: int = 500) -> Iterator[Article]:
        """All articles, oldest first seen first, streamed in batches."""
        last = ("", "")
        while True:
            with self.session() as s:
                q = select(ArticleRow).order_by(ArticleRow.first_seen_at, ArticleRow.id)
                if outlet:
                    q = q.where(ArticleRow.outlet == outlet)
                if last[0]:
                    q = q.where((ArticleRow.first_seen_at > last[0]) |
                                ((ArticleRow.first_seen_at == last[0]) & (ArticleRow.id > last[1])))
                rows = s.scalars(q.limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _row_to_article(row)
            last = (rows[-1].first_seen_at, rows[-1].id)

    def count(self, outlet: str | None = None) -> int:
        with self.session() as s:
            q = select(func.count()).select_from(ArticleRow)
            if outlet:
                q = q.where(ArticleRow.outlet == outlet)
            return s.scalar(q) or 0

    # ---- conditional requests ----------------------------------------------------------

    def get_validators(self, url: str) -> tuple[str | None, str | None]:
        with self.session() as s:
            row = s.get(HttpValidatorRow, url_hash(url))
            return (row.etag, row.last_modified) if row else (None, None)

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        h = url_hash(url)
        with self.session() as s, s.begin():
            row = s.get(HttpValidatorRow, h)
            if row is None:
                s.add(HttpValidatorRow(url_hash=h, url=url, etag=etag, last_modified=last_modified, updated_at=utcnow()))
            else:
                row.etag, row.last_modified, row.updated_at = etag, last_modified, utcnow()

    # ---- crawl backlog ------------------------------------------------------------------

    BACKLOG_MAX_ATTEMPTS = 5

    def backlog_add(self, outlet: str, url: str, error: str) -> int:
        """Remember an article URL that could not be stored; returns its attempts so far."""
        h = url_hash(url)
        with self.session() as s, s.begin():
            row = s.get(CrawlBacklogRow, h)
            if row is None:
                s.add(CrawlBacklogRow(url_hash=h, outlet=outlet, url=url, attempts=1, last_error=error[:500],
                                      updated_at=utcnow()))
                return 1
            row.attempts += 1
            row.last_error, row.updated_at = error[:500], utcnow()
            return row.attempts

    def backlog(self, outlet: str) -> list[str]:
        """URLs of the outlet still to retry (fewer than BACKLOG_MAX_ATTEMPTS failures)."""
        with self.session() as s:
            return list(s.scalars(select(CrawlBacklogRow.url).where(
                CrawlBacklogRow.outlet == outlet, CrawlBacklogRow.attempts < self.BACKLOG_MAX_ATTEMPTS)
                .order_by(CrawlBacklogRow.updated_at).limit(500)))

    # ---- crawl runs ---------------------------------------------------------------------

    def start_run(self, outlet: str) -> int:
        with self.session() as s, s.begin():
            row = CrawlRunRow(outlet=outlet, started_at=utcnow(), status="running", counts={})
            s.add(row)
            s.flush()
            return row.id

    def finish_run(self, run_id: int, status: str, counts: dict, error: str | None = None) -> None:
        with self.session() as s, s.begin():
            row = s.get(CrawlRunRow, run_id)
            if row is not None:
                row.finished_at, row.status, row.counts, row.error = utcnow(), status, counts, error

    def last_run_counts(self, outlet: str) -> dict:
        """The counts of the outlet's most recent finished or failed crawl ({} if none)."""
        with self.session() as s:
            counts = s.scalar(select(CrawlRunRow.counts).where(CrawlRunRow.outlet == outlet,
                                                               CrawlRunRow.status != "running")
                              .order_by(CrawlRunRow.started_at.desc()).limit(1))
        return dict(counts or {})

    def outlet_stats(self) -> list[dict]:
        """Per outlet: articles, newest article, last crawl and its outcome, recent failures."""
        with self.session() as s:
            counts = dict(s.execute(select(ArticleRow.outlet, func.count()).group_by(ArticleRow.outlet)).all())
            newest = dict(s.execute(select(ArticleRow.outlet, func.max(ArticleRow.first_seen_at))
                                    .group_by(ArticleRow.outlet)).all())
            runs = s.scalars(select(CrawlRunRow).order_by(CrawlRunRow.started_at.desc()).limit(2000)).all()
        out: dict[str, dict] = {}
        for outlet in sorted(set(counts) | {r.outlet for r in runs}):
            mine = [r for r in runs if r.outlet == outlet]
            last = mine[0] if mine else None
            failures = 0
            for r in mine:  # consecutive failures, newest first
                if r.status != "failed":
                    break
                failures += 1
            out[outlet] = {
                "outlet": outlet,
                "articles": counts.get(outlet, 0),
                "last_new_article": newest.get(outlet),
                "last_crawl": last.started_at if last else None,
                "last_status": last.status if last else None,
                "last_counts": dict(last.counts or {}) if last else {},
                "consecutive_failures": failures,
                "runs": len(mine),
            }
        return list(out.values())
