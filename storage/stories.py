"""Stories: one event published by several outlets (republished, rewritten, lightly edited).

Every stored article gets a ``story_id``. :meth:`StoryService.assign` signs the article's text
(MinHash, :mod:`crawler.neardup`), gathers candidates from the LSH band index (copies, edited
copies, excerpts) and from the signatures of articles first seen within three days (rewrites,
whose Jaccard is below the LSH threshold), verifies them exactly (shingle Jaccard, containment,
verbatim coverage, figures, time window) and either joins the best candidate's story or founds
a new one (the story id is then the founding article's id). The earliest first-seen article
of a story is its lead. Assignments are serialised across workers (PostgreSQL advisory lock,
SQLite write lock) so two copies arriving at once cannot found two stories.

The index is shared, not per process: the ``lsh_bands`` table of the store (default) or Redis
sets when a Redis URL is given. Signatures are kept in ``article_signatures`` with the scheme
that made them, so a restart or a second worker sees every article, and a scheme change is
detected (the article is re-signed, never compared across schemes).

Idempotent: assigning an article whose text and scheme are unchanged does nothing; a new
version of an article that already has a story keeps that story (its bands are replaced).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import bindparam, delete, func, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crawler.items import Article
from crawler.neardup import (NUM_PERM, RECENT_MIN_ESTIMATE, SCHEME, Doc, band_keys, decide,
                             estimated_jaccard, signature, signature_bytes, signature_from_bytes)
from storage.models import ArticleRow, ArticleSignatureRow, LshBandRow, StoryRow
from storage.repository import SaveResult, Store, utcnow

log = logging.getLogger(__name__)

MAX_VERIFY = 20   # candidates verified exactly per article, best estimated similarity first
# Besides LSH, the signatures of articles first seen within this span are compared directly
# (rewrites sit below the LSH threshold); at most RECENT_MAX of them, newest first.
RECENT_SPAN = dt.timedelta(days=3)
RECENT_MAX = 200_000


_LOCK_KEY = 0x7261736164_5354  # "rasad" "ST": the advisory lock of story assignment
# the Article fields Store._save sets (restored before save_and_assign starts over)
_SAVE_SETS = ("id", "canonical_url", "content_hash", "first_seen_at", "version")


# Statements of the hot path (every stored article), built once and executed on the session's
# connection: Core skips the ORM's per-statement work (~0.1 ms a statement).
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_SIGS = ArticleSignatureRow.__table__
_BANDS = LshBandRow.__table__
_STORIES = StoryRow.__table__
_ARTICLES = ArticleRow.__table__
_INSERT_SIG = insert(_SIGS)
_INSERT_BANDS = insert(_BANDS)
_QUERY_BANDS = select(_BANDS.c.sig_id).where(_BANDS.c.band_key.in_(bindparam("keys", expanding=True)))
_STORY_EXISTS = select(_STORIES.c.id).where(_STORIES.c.id == bindparam("story_id"))
_INSERT_STORY = insert(_STORIES)
_SET_STORY = (update(_ARTICLES).where(_ARTICLES.c.id == bindparam("b_article_id"))
              .values(story_id=bindparam("b_story_id")))
_NEWER_SIGS = (select(_SIGS.c.sig_id, _SIGS.c.signature, _ARTICLES.c.first_seen_at, _SIGS.c.scheme)
               .join(_ARTICLES, _ARTICLES.c.id == _SIGS.c.article_id)
               .where(_SIGS.c.sig_id > bindparam("last")))
_NEWER_SIGS_BELOW = _NEWER_SIGS.where(_SIGS.c.sig_id < bindparam("below"))


def _set_story(s: Session, row: ArticleRow, story_id: str) -> None:
    """Set the article's story: with Core for a row Store._save inserted with Core (a transient
    ArticleRow), through the unit of work for a row of the session."""
    if inspect(row).transient:
        s.connection().execute(_SET_STORY, {"b_article_id": row.id, "b_story_id": story_id})
    row.story_id = story_id


class StoryIndexError(RuntimeError):
    """The shared index cannot be used (e.g. Redis holds bands of another scheme)."""


@dataclass
class StoryResult:
    status: str                 # "new" | "joined" | "kept" | "unchanged" | "missing"
    article_id: str
    story_id: str | None
    matched_article_id: str | None = None
    jaccard: float | None = None
    containment: float | None = None


@dataclass
class StoryMember:
    article_id: str
    outlet: str
    url: str
    title: str | None
    first_seen_at: dt.datetime
    published_at: dt.datetime | None


@dataclass
class Story:
    id: str
    lead_article_id: str
    first_seen_at: dt.datetime
    articles: list[StoryMember] = field(default_factory=list)   # earliest first seen first

    @property
    def lead(self) -> StoryMember:
        return next(m for m in self.articles if m.article_id == self.lead_article_id)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(m.outlet for m in self.articles))


# ---- band indexes -------------------------------------------------------------------------

class SqlBandIndex:
    """Band keys in the store's ``lsh_bands`` table, written in the caller's transaction."""
    kind = "sql"

    def add(self, s: Session, sig_id: int, keys: list[int]) -> None:
        s.connection().execute(_INSERT_BANDS, [{"band_key": k, "sig_id": sig_id} for k in set(keys)])

    def remove(self, s: Session, sig_id: int, keys: list[int] | None) -> None:
        q = delete(LshBandRow).where(LshBandRow.sig_id == sig_id)
        if keys is not None:
            q = q.where(LshBandRow.band_key.in_(list(set(keys))))
        s.execute(q)

    def query(self, s: Session, keys: list[int]) -> set[int]:
        return set(s.connection().execute(_QUERY_BANDS, {"keys": list(set(keys))}).scalars())

    def clear(self, s: Session) -> None:
        s.execute(delete(LshBandRow))


class RedisBandIndex:
    """Band keys as Redis sets ``{basename}:lsh:{band_key}`` -> signature ids.

    Writes happen before the store transaction commits: a crash in between leaves at worst a
    band entry whose signature does not exist (ignored by lookups), never a missing entry.
    """
    kind = "redis"

    def __init__(self, url: str, basename: str = "rasad"):
        import redis
        self.client = redis.Redis.from_url(url)
        self.prefix = f"{basename}:lsh:"
        try:
            self.client.set(self.prefix + "scheme", SCHEME, nx=True)
            have = self.client.get(self.prefix + "scheme")
        except redis.RedisError as exc:
            raise StoryIndexError(f"Redis index unusable: {type(exc).__name__}: {exc}") from None
        if have is not None and have.decode() != SCHEME:
            raise StoryIndexError(f"Redis index {self.prefix}* was built with scheme {have.decode()!r}, "
                                  f"this code uses {SCHEME!r}: rebuild it (StoryService.reindex)")

    def add(self, s: Session | None, sig_id: int, keys: list[int]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for k in set(keys):
            pipe.sadd(f"{self.prefix}{k}", sig_id)
        pipe.execute()

    def remove(self, s: Session | None, sig_id: int, keys: list[int] | None) -> None:
        if keys is None:
            return  # keys of another scheme are not in this index (checked at open)
        pipe = self.client.pipeline(transaction=False)
        for k in set(keys):
            pipe.srem(f"{self.prefix}{k}", sig_id)
        pipe.execute()

    def query(self, s: Session | None, keys: list[int]) -> set[int]:
        pipe = self.client.pipeline(transaction=False)
        for k in set(keys):
            pipe.smembers(f"{self.prefix}{k}")
        out: set[int] = set()
        for members in pipe.execute():
            out.update(int(m) for m in members)
        return out

    def clear(self, s: Session | None = None) -> None:
        keys = list(self.client.scan_iter(match=self.prefix + "*", count=1000))
        for i in range(0, len(keys), 1000):
            self.client.delete(*keys[i:i + 1000])
        self.client.set(self.prefix + "scheme", SCHEME)


class RecentSignatures:
    """The signatures of recently seen articles as one numpy matrix, per process.

    A cache of the store, not a second source of truth: it is filled from the store and
    topped up with every signature id above the last one it read (so articles signed by other
    workers are seen too). A lookup outside the cached span (an import of old articles) reads
    that span from the store first. Versions keep their first signature here; candidates are
    verified against the current text anyway.

    Rows live in preallocated arrays grown by doubling (``ids``, ``when``, ``sigs`` are views of
    the filled part), so topping up with one signature per article costs O(1), not a copy of
    the whole matrix.
    """

    def __init__(self):
        self.lo: float | None = None       # first_seen_at (epoch seconds) the cache covers from
        self.last_sig = 0
        self._n = 0
        self._ids = np.empty(0, dtype=np.int64)
        self._when = np.empty(0, dtype=np.float64)
        self._sigs = np.empty((0, NUM_PERM), dtype=np.uint32)

    @property
    def ids(self) -> np.ndarray:
        return self._ids[:self._n]

    @property
    def when(self) -> np.ndarray:
        return self._when[:self._n]

    @property
    def sigs(self) -> np.ndarray:
        return self._sigs[:self._n]

    def _set(self, ids: np.ndarray, when: np.ndarray, sigs: np.ndarray) -> None:
        self._ids, self._when, self._sigs, self._n = ids, when, sigs, len(ids)

    def _append(self, rows) -> None:
        """Add rows of (sig_id, signature bytes, first_seen_at)."""
        if not rows:  # (an id read twice is harmless: candidates are a set)
            return
        n, k = self._n, len(rows)
        if n + k > len(self._ids):
            cap = max(n + k, 2 * len(self._ids), 256)
            ids, when = np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.float64)
            sigs = np.empty((cap, NUM_PERM), dtype=np.uint32)
            ids[:n], when[:n], sigs[:n] = self.ids, self.when, self.sigs
            self._ids, self._when, self._sigs = ids, when, sigs
        self._ids[n:n + k] = [r[0] for r in rows]
        self._when[n:n + k] = [r[2].timestamp() for r in rows]
        self._sigs[n:n + k] = np.frombuffer(b"".join(r[1] for r in rows), dtype="<u4").reshape(-1, NUM_PERM)
        self._n = n + k

    def _read(self, s: Session, *conditions) -> None:
        self._append(s.execute(
            select(ArticleSignatureRow.sig_id, ArticleSignatureRow.signature, ArticleRow.first_seen_at)
            .join(ArticleRow, ArticleRow.id == ArticleSignatureRow.article_id)
            .where(ArticleSignatureRow.scheme == SCHEME, *conditions)).all())

    def refresh(self, s: Session, lo: dt.datetime, below: int | None = None) -> None:
        """Cover first-seen times from ``lo``; read signature ids below ``below`` only (the
        caller's own, not yet committed signature stays out of the cache)."""
        if self.lo is None or lo.timestamp() < self.lo:
            q = select(func.max(ArticleSignatureRow.sig_id))
            if below is not None:
                q = q.where(ArticleSignatureRow.sig_id < below)
            newest = s.scalar(q) or 0
            self._read(s, ArticleRow.first_seen_at >= lo, ArticleSignatureRow.sig_id <= newest,
                       *(() if self.lo is None else (ArticleRow.first_seen_at < dt.datetime.fromtimestamp(
                           self.lo, dt.timezone.utc),)))
            self.lo = lo.timestamp()
            self.last_sig = max(self.last_sig, newest)
        else:
            # one query: every signature above the last one read (of any scheme, so that
            # last_sig moves past all of them), keeping those of this scheme
            if below is None:
                rows = s.connection().execute(_NEWER_SIGS, {"last": self.last_sig}).all()
            else:
                rows = s.connection().execute(_NEWER_SIGS_BELOW, {"last": self.last_sig, "below": below}).all()
            if rows:
                self._append([r for r in rows if r[3] == SCHEME])
                self.last_sig = max(self.last_sig, max(r[0] for r in rows))
        if self._n > 2 * RECENT_MAX:  # keep the newest
            keep = np.sort(np.argsort(self.when)[-RECENT_MAX:])
            self._set(self.ids[keep], self.when[keep], self.sigs[keep])
            self.lo = float(self.when.min())

    def candidates(self, s: Session, sig: np.ndarray, seen: dt.datetime, below: int | None = None) -> set[int]:
        self.refresh(s, seen - RECENT_SPAN, below)
        if not self._n:
            return set()
        span = RECENT_SPAN.total_seconds()
        t = seen.timestamp()
        ids, sigs = self.ids, self.sigs
        near = np.abs(self.when - t) <= span
        if not near.all():   # (usually all of them: the cache holds the last days)
            near = np.nonzero(near)[0]
            if not len(near):
                return set()
            ids, sigs = ids[near], sigs[near]
        estimate = np.count_nonzero(sigs == sig, axis=1) / NUM_PERM
        return set(ids[estimate >= RECENT_MIN_ESTIMATE].tolist())


# ---- the service --------------------------------------------------------------------------

class StoryService:
    """Assigns stored articles to stories; reads stories back."""

    def __init__(self, store: Store, redis_url: str | None = None, basename: str | None = None):
        self.store = store
        if redis_url:
            self.index = RedisBandIndex(redis_url, basename or os.environ.get("RASAD_LSH_BASENAME", "rasad"))
        else:
            self.index = SqlBandIndex()
        self._recent_cache = RecentSignatures()
        # a store created before stories: the story_id column was added by ensure_schema, its
        # index was not (create_all only indexes new tables)
        with store.engine.begin() as conn:
            conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_story_id ON articles (story_id)"))

    @classmethod
    def from_env(cls, store: Store, redis_url: str | None = None) -> "StoryService":
        """The service for ``store``, with the Redis index when REDIS_URL (or ``redis_url``) is set."""
        return cls(store, redis_url or os.environ.get("REDIS_URL") or None)

    # ---- assignment ---------------------------------------------------------------------

    def assign(self, article_id: str, now: dt.datetime | None = None) -> StoryResult:
        """Put a stored article into its story (see the module docstring); idempotent."""
        for attempt in range(3):
            try:
                with self.store.session() as s, s.begin():
                    return self._assign(s, article_id, now or utcnow())
            except IntegrityError:
                if attempt == 2:
                    raise
                log.debug("concurrent story assignment of %s; retrying", article_id)
        raise AssertionError("unreachable")

    def save_and_assign(self, article: Article, now: dt.datetime | None = None
                        ) -> tuple[SaveResult, StoryResult | None, Exception | None]:
        """:meth:`Store.save_article` and :meth:`assign` of the stored article in ONE transaction
        (what a crawl does per article: one session, one commit, the article row read once).

        Returns (save result, story result, None), or (save result, None, the exception) when
        the story assignment failed: the article is then stored on its own, as if assign had
        failed after save_article, so a story failure never loses an article. A store failure
        raises as from save_article. Concurrent inserts (IntegrityError) are retried like both.
        """
        now = now or utcnow()
        before = {name: getattr(article, name) for name in _SAVE_SETS}
        error: Exception | None = None
        for attempt in range(3):
            stored = False
            try:
                with self.store.session() as s, s.begin():
                    saved, row = self.store._save_row(s, article, now)
                    stored = True
                    story = self._assign(s, saved.article_id, now, saved_new=saved.status == "new", row=row)
                return saved, story, None
            except IntegrityError as exc:
                for name, value in before.items():   # as it came: the retry starts afresh
                    setattr(article, name, value)
                if attempt == 2:
                    if not stored:
                        raise
                    error = exc
                    break
                log.debug("concurrent insert of %s; retrying", article.url)
            except Exception as exc:
                if not stored:
                    raise
                for name, value in before.items():
                    setattr(article, name, value)
                error = exc
                break
        return self.store.save_article(article, now), None, error

    def _serialise(self, s: Session, written: bool = False) -> None:
        """One assignment at a time across workers, so two copies of one event arriving together
        at two workers cannot found two stories: a transaction-scoped advisory lock on
        PostgreSQL, the write lock (taken by a no-op write) on SQLite. ``written``: this SQLite
        transaction has written already (Store._save), so it holds the write lock."""
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            s.connection().execute(_ADVISORY_LOCK, {"key": _LOCK_KEY})
        elif dialect == "sqlite" and not written:
            s.execute(text("UPDATE stories SET article_count = article_count WHERE 1 = 0"))

    def _assign(self, s: Session, article_id: str, now: dt.datetime, saved_new: bool | None = None,
                row: ArticleRow | None = None) -> StoryResult:
        """``saved_new``, ``row``: called by save_and_assign in the transaction of Store._save, with
        the row it stored (``saved_new`` True when it inserted the article: it has no signature
        yet, as a signature row is deleted with its article)."""
        self._serialise(s, written=saved_new is not None)
        if row is None:
            row = s.get(ArticleRow, article_id)
        if row is None:
            return StoryResult("missing", article_id, None)
        # (the WordPress shortlink alias of the post is registered by Store.save_article)
        if saved_new:
            sig_row = None
        else:
            sig_row = s.scalar(select(ArticleSignatureRow).where(ArticleSignatureRow.article_id == article_id))
        current = (sig_row is not None and sig_row.scheme == SCHEME
                   and sig_row.content_hash == row.content_hash)
        if current and row.story_id:
            return StoryResult("unchanged", article_id, row.story_id)

        doc = Doc.from_article(row.title, row.lead, row.text, row.published_at or row.first_seen_at)
        sig = signature(doc.shingles)
        keys = band_keys(sig)
        fresh = sig_row is None   # inserted by this (uncommitted) transaction
        if fresh:
            sig_id = s.connection().execute(_INSERT_SIG, {
                "article_id": article_id, "scheme": SCHEME, "content_hash": row.content_hash,
                "shingles": len(doc.shingles), "signature": signature_bytes(sig), "updated_at": now,
            }).inserted_primary_key[0]
        elif not current:  # a new version (or a signature of an older scheme): replace its bands
            old = band_keys(signature_from_bytes(sig_row.signature)) if sig_row.scheme == SCHEME else None
            self.index.remove(s, sig_row.sig_id, old)
            sig_row.scheme, sig_row.content_hash = SCHEME, row.content_hash
            sig_row.shingles, sig_row.signature, sig_row.updated_at = len(doc.shingles), signature_bytes(sig), now
        elif current:
            self.index.remove(s, sig_row.sig_id, keys)  # re-added below (no story yet: re-match)
        if not fresh:
            sig_id = sig_row.sig_id

        if row.story_id and s.get(StoryRow, row.story_id) is not None:
            # a new version of an article already in a story keeps it: never a second story
            self.index.add(s, sig_id, keys)
            return StoryResult("kept", article_id, row.story_id)

        best = self._best_match(s, sig_id, sig, keys, doc, row.first_seen_at, fresh)
        self.index.add(s, sig_id, keys)
        if best is not None:
            match_row, decision = best
            story = s.get(StoryRow, match_row.story_id)
            if story is not None:
                _set_story(s, row, story.id)
                story.article_count = (story.article_count or 0) + 1
                story.updated_at = now
                if row.first_seen_at < story.first_seen_at:   # an imported older copy leads
                    story.first_seen_at, story.lead_article_id = row.first_seen_at, row.id
                return StoryResult("joined", article_id, story.id, match_row.id,
                                   decision.jaccard, decision.containment)
        conn = s.connection()
        if conn.execute(_STORY_EXISTS, {"story_id": row.id}).first() is None:
            conn.execute(_INSERT_STORY, {"id": row.id, "lead_article_id": row.id, "first_seen_at": row.first_seen_at,
                                         "created_at": now, "updated_at": now, "article_count": 1})
        _set_story(s, row, row.id)
        return StoryResult("new", article_id, row.id)

    def _recent(self, s: Session, sig: np.ndarray, seen: dt.datetime, own_sig: int | None = None) -> set[int]:
        """Signature ids of articles first seen within RECENT_SPAN of ``seen`` whose signature
        estimates a Jaccard of at least RECENT_MIN_ESTIMATE (from the per-process cache)."""
        return self._recent_cache.candidates(s, np.asarray(sig, dtype=np.uint32), seen, own_sig)

    def _best_match(self, s: Session, own_sig: int, sig: np.ndarray, keys: list[int], doc: Doc,
                    seen: dt.datetime, fresh: bool = False):
        candidates = self.index.query(s, keys) | self._recent(s, sig, seen, own_sig if fresh else None)
        candidates.discard(own_sig)
        if not candidates:
            return None
        rows = s.execute(
            select(ArticleSignatureRow.signature, ArticleSignatureRow.article_id)
            .join(ArticleRow, ArticleRow.id == ArticleSignatureRow.article_id)
            .where(ArticleSignatureRow.sig_id.in_(list(candidates)),
                   ArticleSignatureRow.scheme == SCHEME, ArticleRow.story_id.is_not(None))
        ).all()
        ranked = sorted(rows, key=lambda r: estimated_jaccard(sig, signature_from_bytes(r.signature)),
                        reverse=True)[:MAX_VERIFY]
        best = None
        for r in ranked:
            other = s.get(ArticleRow, r.article_id)
            other_doc = Doc.from_article(other.title, other.lead, other.text,
                                         other.published_at or other.first_seen_at)
            decision = decide(doc, other_doc)
            if decision.same and (best is None or (decision.jaccard, decision.containment) >
                                  (best[1].jaccard, best[1].containment)):
                best = (other, decision)
        return best

    def reindex(self, batch: int = 1000) -> int:
        """Rebuild the band index from the stored signatures (re-signing other schemes): after
        moving to Redis, losing Redis, or a scheme change. Returns the number of articles."""
        with self.store.session() as s, s.begin():
            self.index.clear(s)
        done, last = 0, 0
        while True:
            with self.store.session() as s, s.begin():
                sig_rows = s.scalars(select(ArticleSignatureRow).where(ArticleSignatureRow.sig_id > last)
                                     .order_by(ArticleSignatureRow.sig_id).limit(batch)).all()
                if not sig_rows:
                    return done
                for sig_row in sig_rows:
                    if sig_row.scheme != SCHEME:
                        row = s.get(ArticleRow, sig_row.article_id)
                        sh = Doc.from_article(row.title, row.lead, row.text).shingles
                        sig_row.signature, sig_row.scheme = signature_bytes(signature(sh)), SCHEME
                        sig_row.shingles = len(sh)
                    self.index.add(s, sig_row.sig_id, band_keys(signature_from_bytes(sig_row.signature)))
                    done += 1
                last = sig_rows[-1].sig_id

    # ---- reading ------------------------------------------------------------------------

    def story(self, story_id: str) -> Story | None:
        with self.store.session() as s:
            row = s.get(StoryRow, story_id)
            if row is None:
                return None
            members = s.execute(
                select(ArticleRow.id, ArticleRow.outlet, ArticleRow.url, ArticleRow.title,
                       ArticleRow.first_seen_at, ArticleRow.published_at)
                .where(ArticleRow.story_id == story_id)
                .order_by(ArticleRow.first_seen_at, ArticleRow.id)).all()
        return Story(row.id, row.lead_article_id, row.first_seen_at, [StoryMember(*m) for m in members])

    def story_of(self, article_id: str) -> Story | None:
        with self.store.session() as s:
            story_id = s.scalar(select(ArticleRow.story_id).where(ArticleRow.id == article_id))
        return self.story(story_id) if story_id else None

    def story_ids(self, article_ids: list[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        with self.store.session() as s:
            for i in range(0, len(article_ids), 500):
                chunk = article_ids[i:i + 500]
                out.update(s.execute(select(ArticleRow.id, ArticleRow.story_id)
                                     .where(ArticleRow.id.in_(chunk))).all())
        return out

    def count(self) -> int:
        with self.store.session() as s:
            return s.scalar(select(func.count()).select_from(StoryRow)) or 0
