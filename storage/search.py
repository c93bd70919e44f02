"""Full-text search over stored articles, on normalised Arabic.

What is indexed: the normalised title (one column, weighted higher) and the normalised lead and
text (another). Normalisation is ``crawler.text.normalize`` (diacritics and tatweel removed, alef
forms, ى/ي, ة/ه unified), so "الزور" finds "الزُّور". Every Arabic token that starts with an
attached clitic (و ف, then ب ك ل; "لل" = ل + ال) is indexed as written AND without the clitic:
"وبالميادين" is indexed as وبالميادين, بالميادين, الميادين; "للميادين" as للميادين, الميادين. A
query word is matched as written, so "الميادين" finds all of them and "بالميادين" finds
"وبالميادين" but not "الميادين".

Engines:

- SQLite: an FTS5 table ``search_fts(title, body)`` (unicode61 tokenizer on the pre-normalised
  tokens), ranked with bm25; ``search_docs`` maps its rowid to the article id.
- PostgreSQL: ``search_docs.document`` is a tsvector built here (lexemes with explicit positions;
  clitic variants share the position of the word they come from, so phrases match exactly), with
  a GIN index; ranked with ts_rank. The 'simple' configuration is what the query side uses.

Filters on both engines: ``search_facets`` holds, per indexed document, its outlet (``o:KEY``),
watches (``w:NAME``) and place codes (``p:PCODE``), so --outlet/--watch/--place test a small
indexed table instead of reading each matching article's JSON columns. Written with the document
(``index_many``); an older store gets it backfilled once when opened (``schema_info`` key
``search_facets`` marks it complete; until then filters read the article columns as before).

Time range (--since/--until) on SQLite: ``search_times(doc_id, t)`` holds each document's
article time (``coalesce(published_at, first_seen_at)``), indexed on ``t``. Triggers keep it
equal to the article's (a document inserted or deleted, an article's dates inserted or updated,
by any code or raw SQL), so a search tests the time of a match there instead of reading its
article, and bounds the FTS5 scan to the doc ids of the range (a recent range with a common word
no longer walks every older match). Without --story (and with the facets complete) a candidate
is ranked on its document's article id and time, so only the articles shown are read. An older
store gets the table, triggers and times once when opened (``schema_info`` key
``search_times``; until then the article columns are tested). PostgreSQL keeps testing the
article time.

The index is kept in sync by ``Store._save`` / ``Store._new_version`` (``index_article``) and
backfilled when a store is opened (``ensure_index``, run from schema creation), which also
rebuilds it when the indexing rules change (a fingerprint of the rules is kept in
``schema_info``).

Snippets are cut from the ORIGINAL text (token spans map back through the normaliser), so they
read as the outlet wrote them.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from sqlalchemy import (BigInteger, ForeignKey, Index, Integer, String, Text, bindparam, event, text)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from crawler.text.normalize import normalize, normalize_text
from crawler.text.tokens import tokenize
from storage.models import Base

log = logging.getLogger(__name__)

INDEX_RULES_VERSION = "1"
FINGERPRINT_KEY = "search_index"
FACETS_KEY, FACETS_VERSION = "search_facets", "1"
TIMES_KEY, TIMES_VERSION = "search_times", "1"
TIME_BOUND_SCAN = 100_000      # at most this many search_times rows are read to bound a time range
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0          # bm25 column weights (SQLite)
PG_MAX_POS = 16383                            # tsvector position limit
PG_MAX_POSITIONS_PER_LEXEME = 256
BACKFILL_BATCH = 1000
FACET_BATCH = 5000

_WORD_RE = re.compile(r"[^\W_]+")
_CONJ = "وف"
_PREP = "بكل"


class SearchDocRow(Base):
    """One row per indexed article. On SQLite ``doc_id`` is the FTS5 rowid; on PostgreSQL
    ``document`` holds the tsvector (the column is an unused TEXT on SQLite)."""
    __tablename__ = "search_docs"
    __table_args__ = {"sqlite_autoincrement": True}
    doc_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                        autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id", ondelete="CASCADE"),
                                            unique=True)
    document: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"), nullable=True)


class SearchFacetRow(Base):
    """What --outlet, --watch and --place test, per indexed document: ``o:<outlet>``,
    ``w:<watch>``, ``p:<pcode>`` (see ``doc_facets``). No foreign key (search_docs may be dropped
    and rebuilt): rows of a removed document are never matched, and a document's rows are
    replaced whenever it is (re)indexed."""
    __tablename__ = "search_facets"
    __table_args__ = (Index("ix_search_facets_facet", "facet", "doc_id"), {"sqlite_with_rowid": False})
    doc_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                        autoincrement=False)
    facet: Mapped[str] = mapped_column(String(255), primary_key=True)


def _json_list(v) -> list:
    if isinstance(v, (bytes, str)):
        try:
            v = json.loads(v)
        except ValueError:
            return []
    return v if isinstance(v, list) else []


def doc_facets(outlet, places, watches) -> list[str]:
    """The facets of an article (stored values: JSON text or lists). Matches what the filters on
    the article columns test (storage.query): the outlet; string elements of ``watches``; the
    string ``pcode`` of each object in ``places``."""
    out: dict[str, None] = {}
    if isinstance(outlet, str):
        out["o:" + outlet] = None
    for w in _json_list(watches):
        if isinstance(w, str):
            out["w:" + w] = None
    for p in _json_list(places):
        if isinstance(p, dict) and isinstance(p.get("pcode"), str):
            out["p:" + p["pcode"]] = None
    return [f for f in out if len(f) <= 255]


# ---- tokens and clitic variants ---------------------------------------------------------

def token_variants(tok: str) -> list[str]:
    """``tok`` followed by its forms without attached clitics, the most stripped last.

    و/ف (conjunction), then ب/ك/ل (preposition); "لل" is also read as ل + ال
    ("للميادين" -> "لميادين", "الميادين"; "للبنان" -> "لبنان", "البنان").
    A stripped form keeps at least two letters. Only Arabic tokens have variants.
    """
    return list(_variants(tok))


@lru_cache(maxsize=262144)
def _variants(tok: str) -> tuple[str, ...]:
    if len(tok) < 3 or not ("\u0600" <= tok[0] <= "\u06ff"):
        return (tok,)
    out = [tok]
    stems = [tok]
    if tok[0] in _CONJ and len(tok) - 1 >= 2:
        stems.append(tok[1:])
        out.append(tok[1:])
    for s in stems:
        if len(s) >= 3 and s[0] in _PREP:
            out.append(s[1:])
            if s.startswith("لل") and len(s) >= 4:      # ل + ال with the alef dropped
                out.append("ال" + s[2:])
    seen: dict[str, None] = {}
    for v in out:   # the most stripped form last (phrases: see fts_text)
        if len(v) >= 2:
            seen.pop(v, None)
            seen[v] = None
    return tuple(seen)


@lru_cache(maxsize=262144)
def _group_text(tok: str) -> str:
    return " ".join(_variants(tok))


def index_groups(text: str | None) -> list[tuple[str, ...]]:
    """Per word of ``text`` (normalised), the word and its clitic-free variants."""
    if not text:
        return []
    return [_variants(t) for t in _WORD_RE.findall(normalize_text(text))]


def fts_text(text: str | None) -> str:
    """What FTS5 indexes: every word followed by its variants (the most stripped one last, so a
    phrase after a prefixed word still matches: "بدير الزور" -> "بدير دير الزور")."""
    if not text:
        return ""
    return " ".join(map(_group_text, _WORD_RE.findall(normalize_text(text))))


def body_of(lead: str | None, text: str | None) -> str:
    """Lead and text, without indexing the lead twice when the text starts with it."""
    lead, text = lead or "", text or ""
    if lead and lead.strip() and lead.strip() not in text[: len(lead) + 200]:
        return lead + "\n\n" + text
    return text


def pg_document(title: str | None, body: str | None) -> str:
    """A tsvector literal: title lexemes weighted A, body lexemes D; variants share positions."""
    lexemes: dict[str, list[str]] = {}
    pos = 0
    for weight, source in (("A", title), ("", body)):
        for group in index_groups(source):
            pos = min(pos + 1, PG_MAX_POS)
            for lex in group:
                plist = lexemes.setdefault(lex, [])
                if len(plist) < PG_MAX_POSITIONS_PER_LEXEME:
                    entry = f"{pos}{weight}"
                    if not plist or plist[-1] != entry:
                        plist.append(entry)
    return " ".join(f"'{lex}':{','.join(p)}" for lex, p in lexemes.items())


def rules_fingerprint() -> str:
    """Changes when normalisation or variant rules change: the index is then rebuilt."""
    probe = ("الزُّور وبالميادين للميادين فالبوكمال كالعادة أإآٱ ى ة ی ک ٣٤ ۵ ـــ "
             "Déjà-Vu ﻻ ﷲ \u200fx\u200b")
    payload = INDEX_RULES_VERSION + "|" + fts_text(probe) + "|" + pg_document("ا", probe)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


# ---- keeping the index in sync ----------------------------------------------------------

def _conn(s: Session | Connection) -> Connection:
    return s.connection() if isinstance(s, Session) else s


def index_article(s: Session | Connection, row) -> None:
    """(Re)index one article (anything with id, title, lead, text) in the current transaction.
    Its outlet, places and watches (filter facets) are taken from ``row`` when it has them (an
    ORM row may hold changes not flushed yet), else read from the store."""
    facets = None
    if all(hasattr(row, a) for a in ("outlet", "places", "watches")):
        facets = [doc_facets(row.outlet, row.places, row.watches)]
    index_many(_conn(s), [(row.id, row.title, row.lead, row.text)], facets)


def _stored_facets(conn: Connection, ids: Sequence[str]) -> list[list[str]]:
    from sqlalchemy import inspect
    have = {c["name"] for c in inspect(conn).get_columns("articles")}
    cols = ", ".join(c if c in have else "NULL" for c in ("outlet", "places", "watches"))
    found = {r[0]: doc_facets(*r[1:]) for r in conn.execute(
        text(f"SELECT id, {cols} FROM articles WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"ids": list(ids)})}
    return [found.get(aid, []) for aid in ids]


def index_many(conn: Connection, rows: Sequence[tuple[str, str | None, str | None, str | None]],
               facets: Sequence[Sequence[str]] | None = None) -> None:
    """(Re)index ``rows`` of (article_id, title, lead, text); ``facets`` (per row, see
    ``doc_facets``) are read from the stored articles when not given."""
    if not rows:
        return
    ids = [r[0] for r in rows]
    if facets is None:
        facets = _stored_facets(conn, ids)
    last = {aid: list(fs) for aid, fs in zip(ids, facets)}     # an article twice: its last facets
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            "INSERT INTO search_docs (article_id, document) VALUES (:id, CAST(:doc AS tsvector)) "
            "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document"),
            [{"id": aid, "doc": pg_document(t, body_of(ld, tx))} for aid, t, ld, tx in rows])
        uniq = list(last)
        conn.execute(text("DELETE FROM search_facets WHERE doc_id IN "
                          "(SELECT doc_id FROM search_docs WHERE article_id = ANY(:ids))"), {"ids": uniq})
        pairs = [(aid, f) for aid in uniq for f in last[aid]]
        if pairs:
            conn.execute(text(
                "INSERT INTO search_facets (doc_id, facet) SELECT d.doc_id, v.facet "
                "FROM unnest(CAST(:aids AS text[]), CAST(:facets AS text[])) AS v(aid, facet) "
                "JOIN search_docs d ON d.article_id = v.aid ON CONFLICT DO NOTHING"),
                {"aids": [a for a, _ in pairs], "facets": [f for _, f in pairs]})
        return
    # SQLite: reuse the doc_id of an article indexed before, else take a new one.
    have = dict(conn.execute(text("SELECT article_id, doc_id FROM search_docs WHERE article_id IN :ids")
                             .bindparams(bindparam("ids", expanding=True)), {"ids": ids}).all())
    missing = [aid for aid in dict.fromkeys(ids) if aid not in have]
    if missing:
        conn.execute(text("INSERT INTO search_docs (article_id) VALUES (:id)"), [{"id": a} for a in missing])
        have.update(conn.execute(text("SELECT article_id, doc_id FROM search_docs WHERE article_id IN :ids")
                                 .bindparams(bindparam("ids", expanding=True)), {"ids": missing}).all())
    doc_ids = [have[aid] for aid in ids]
    conn.execute(text("DELETE FROM search_fts WHERE rowid = :d"), [{"d": d} for d in doc_ids])
    conn.execute(text("INSERT INTO search_fts (rowid, title, body) VALUES (:d, :t, :b)"),
                 [{"d": d, "t": fts_text(t), "b": fts_text(body_of(ld, tx))}
                  for d, (aid, t, ld, tx) in zip(doc_ids, rows)])
    conn.execute(text("DELETE FROM search_facets WHERE doc_id = :d"), [{"d": have[a]} for a in last])
    pairs = [{"d": have[aid], "f": f} for aid, fs in last.items() for f in fs]
    if pairs:
        conn.execute(text("INSERT OR IGNORE INTO search_facets (doc_id, facet) VALUES (:d, :f)"), pairs)


def _create_engine_objects(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_search_docs_document ON search_docs USING gin (document)"))
    else:
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"))


def _create_time_index(conn: Connection) -> None:
    """Listing newest first (search without a query, --since/--until) orders by an article's
    time, published_at else first_seen_at: an expression index serves it on both engines."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_time ON articles "
                      "((coalesce(published_at, first_seen_at)))"))


# SQLite: the article time of each search document, kept equal to the article's by triggers
_TIME_OF = "(SELECT coalesce(a.published_at, a.first_seen_at) FROM articles a WHERE a.id = {aid})"
_TIME_OBJECTS = (
    "CREATE TABLE IF NOT EXISTS search_times (doc_id INTEGER PRIMARY KEY, t DATETIME)",
    "CREATE INDEX IF NOT EXISTS ix_search_times_t ON search_times (t)",
    # a document indexed (its article may come later: see search_times_article_new)
    "CREATE TRIGGER IF NOT EXISTS search_times_doc_new AFTER INSERT ON search_docs BEGIN "
    "INSERT OR REPLACE INTO search_times (doc_id, t) VALUES (NEW.doc_id, "
    + _TIME_OF.format(aid="NEW.article_id") + "); END",
    "CREATE TRIGGER IF NOT EXISTS search_times_doc_moved AFTER UPDATE OF article_id ON search_docs BEGIN "
    "UPDATE search_times SET t = " + _TIME_OF.format(aid="NEW.article_id") + " WHERE doc_id = NEW.doc_id; END",
    "CREATE TRIGGER IF NOT EXISTS search_times_doc_gone AFTER DELETE ON search_docs BEGIN "
    "DELETE FROM search_times WHERE doc_id = OLD.doc_id; END",
    "CREATE TRIGGER IF NOT EXISTS search_times_article_new AFTER INSERT ON articles BEGIN "
    "UPDATE search_times SET t = coalesce(NEW.published_at, NEW.first_seen_at) "
    "WHERE doc_id IN (SELECT doc_id FROM search_docs WHERE article_id = NEW.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_times_article_dated AFTER UPDATE OF published_at, first_seen_at, id "
    "ON articles BEGIN "
    "UPDATE search_times SET t = coalesce(NEW.published_at, NEW.first_seen_at) "
    "WHERE doc_id IN (SELECT doc_id FROM search_docs WHERE article_id = NEW.id); END",
)
_TIME_TRIGGERS = ("search_times_doc_new", "search_times_doc_moved", "search_times_doc_gone",
                  "search_times_article_new", "search_times_article_dated")


def _ensure_times(conn: Connection, have: set[str]) -> None:
    """SQLite: create ``search_times`` and its triggers, and fill it once (an older store)."""
    if conn.dialect.name != "sqlite" or not {"published_at", "first_seen_at"} <= have:
        return           # an early store being migrated: on its next open
    objects = ("search_times", "ix_search_times_t") + _TIME_TRIGGERS
    present = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name IN :names")
                           .bindparams(bindparam("names", expanding=True)), {"names": list(objects)}).scalar()
    if present == len(objects) and _get_info(conn, TIMES_KEY) == TIMES_VERSION and (
            conn.execute(text("SELECT 1 FROM search_times LIMIT 1")).first() is not None
            or conn.execute(text("SELECT 1 FROM search_docs LIMIT 1")).first() is None):
        return                 # complete (else: a trigger lost, the table emptied or made anew)
    for ddl in _TIME_OBJECTS:
        conn.execute(text(ddl))
    if conn.execute(text("SELECT 1 FROM search_docs LIMIT 1")).first() is not None:
        log.warning("adding article times to the search index (once)")
    conn.execute(text("DELETE FROM search_times"))
    conn.execute(text(
        "INSERT INTO search_times (doc_id, t) SELECT d.doc_id, coalesce(a.published_at, a.first_seen_at) "
        "FROM search_docs d LEFT JOIN articles a ON a.id = d.article_id"))
    _set_info(conn, TIMES_KEY, TIMES_VERSION)


def times_ready(conn: Connection) -> bool:
    """Whether ``search_times`` (SQLite) holds every indexed document's time (searches may use it)."""
    if conn.dialect.name != "sqlite":
        return False
    try:
        return _get_info(conn, TIMES_KEY) == TIMES_VERSION
    except Exception:  # noqa: BLE001  (no schema_info: an unopened store)
        return False


def _get_info(conn: Connection, key: str) -> str | None:
    return conn.execute(text("SELECT value FROM schema_info WHERE key = :k"), {"k": key}).scalar()


def _set_info(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("DELETE FROM schema_info WHERE key = :k"), {"k": key})
    conn.execute(text("INSERT INTO schema_info (key, value) VALUES (:k, :v)"), {"k": key, "v": value})


def facets_ready(conn: Connection) -> bool:
    """Whether ``search_facets`` covers every indexed document (filters may use it)."""
    try:
        return _get_info(conn, FACETS_KEY) == FACETS_VERSION
    except Exception:  # noqa: BLE001  (no schema_info: an unopened store)
        return False


def _backfill_facets(conn: Connection, have: set[str]) -> int:
    """Facets of every indexed document, from the stored articles (once per store)."""
    cols = ", ".join(f"a.{c}" if c in have else "NULL" for c in ("outlet", "places", "watches"))
    conn.execute(text("DELETE FROM search_facets"))
    pg = conn.dialect.name == "postgresql"
    done, last = 0, -1
    while True:
        rows = conn.execute(text(
            f"SELECT d.doc_id, {cols} FROM search_docs d JOIN articles a ON a.id = d.article_id "
            "WHERE d.doc_id > :last ORDER BY d.doc_id LIMIT :n"), {"last": last, "n": FACET_BATCH}).all()
        if not rows:
            if pg:
                conn.execute(text("ANALYZE search_facets"))    # else the planner guesses its rows
            return done
        pairs = [(r[0], f) for r in rows for f in doc_facets(*r[1:])]
        if pairs and pg:
            conn.execute(text("INSERT INTO search_facets (doc_id, facet) SELECT * FROM "
                              "unnest(CAST(:d AS bigint[]), CAST(:f AS text[])) ON CONFLICT DO NOTHING"),
                         {"d": [d for d, _ in pairs], "f": [f for _, f in pairs]})
        elif pairs:
            conn.execute(text("INSERT OR IGNORE INTO search_facets (doc_id, facet) VALUES (:d, :f)"),
                         [{"d": d, "f": f} for d, f in pairs])
        done += len(rows)
        last = rows[-1][0]


def ensure_index(conn: Connection) -> int:
    """Create the engine's index objects; index every article not indexed yet (all of them when
    the indexing rules changed); fill the filter facets of an older store. Returns how many
    articles were (re)indexed."""
    _create_engine_objects(conn)
    fingerprint = rules_fingerprint()
    if _get_info(conn, FINGERPRINT_KEY) != fingerprint:
        if conn.execute(text("SELECT 1 FROM search_docs LIMIT 1")).first() is not None:
            log.warning("search index rules changed: rebuilding the search index")
            conn.execute(text("DELETE FROM search_facets"))
            conn.execute(text("DELETE FROM search_docs"))
            if conn.dialect.name == "sqlite":
                conn.execute(text("DELETE FROM search_fts"))
        _set_info(conn, FINGERPRINT_KEY, fingerprint)
    from sqlalchemy import inspect
    have = {c["name"] for c in inspect(conn).get_columns("articles")}
    ready = _get_info(conn, FACETS_KEY) == FACETS_VERSION
    if ready and conn.execute(text("SELECT 1 FROM search_facets LIMIT 1")).first() is None:
        ready = False          # the table was emptied or made anew under a store that had it
    if not ready:
        if conn.execute(text("SELECT 1 FROM search_docs LIMIT 1")).first() is not None:
            log.warning("adding search filter facets to the indexed articles (once)")
            _backfill_facets(conn, have)
        _set_info(conn, FACETS_KEY, FACETS_VERSION)
    _ensure_times(conn, have)
    n_articles = conn.execute(text("SELECT count(*) FROM articles")).scalar() or 0
    n_docs = conn.execute(text("SELECT count(*) FROM search_docs")).scalar() or 0
    if n_docs >= n_articles:
        return 0
    todo = n_articles - n_docs
    if todo > BACKFILL_BATCH:
        log.warning("indexing %d stored articles for search (once)", todo)
    # an older store being migrated right now may lack lead/text: they are empty then
    cols = ", ".join(f"a.{c}" if c in have else "NULL" for c in ("title", "lead", "text", "outlet", "places",
                                                                  "watches"))
    done, last = 0, ""
    while True:
        rows = conn.execute(text(
            f"SELECT a.id, {cols} FROM articles a WHERE a.id > :last AND NOT EXISTS "
            "(SELECT 1 FROM search_docs d WHERE d.article_id = a.id) ORDER BY a.id LIMIT :n"),
            {"last": last, "n": BACKFILL_BATCH}).all()
        if not rows:
            return done
        index_many(conn, [tuple(r[:4]) for r in rows], [doc_facets(*r[4:]) for r in rows])
        done += len(rows)
        last = rows[-1][0]


@event.listens_for(Base.metadata, "after_create")
def _on_schema(target, connection: Connection, **kw) -> None:
    """Runs whenever a store is opened (ensure_schema -> create_all): index objects + backfill."""
    try:
        with connection.begin_nested():
            _create_engine_objects(connection)
    except Exception as exc:  # noqa: BLE001
        log.warning("search index objects not created: %s: %s", type(exc).__name__, exc)
        return
    try:
        with connection.begin_nested():
            _create_time_index(connection)
    except Exception as exc:  # noqa: BLE001  (an older store gets it on its next open)
        log.info("time index not created yet: %s: %s", type(exc).__name__, exc)
    try:
        with connection.begin_nested():
            ensure_index(connection)
    except Exception as exc:  # never stop a store from opening; search re-checks on its own open
        log.warning("search index not brought up to date: %s: %s", type(exc).__name__, exc)


# ---- queries ----------------------------------------------------------------------------

class QueryError(ValueError):
    """The search query cannot be parsed; the message says why."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]     # normalised; more than one = phrase
    prefix: bool = False       # trailing * on the last word
    negated: bool = False


@dataclass
class Query:
    """OR of AND-clauses of terms."""
    source: str
    clauses: list[list[Term]] = field(default_factory=list)

    def positive_terms(self) -> list[Term]:
        return [t for c in self.clauses for t in c if not t.negated]


_QTOKEN = re.compile(r'\s*(-?)(?:"([^"]*)"|(\S+))')


def parse_query(source: str) -> Query:
    """Words (all must occur), "quoted phrases", word* (prefix), -word (must not occur),
    OR between groups: ``داعش "دير الزور" -الرقة OR هجوم*``."""
    q = Query(source)
    clause: list[Term] = []
    pos = 0
    source = source or ""
    while pos < len(source):
        m = _QTOKEN.match(source, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if phrase is None and word == "OR" and not neg:
            if clause:
                q.clauses.append(clause)
            clause = []
            continue
        raw = phrase if phrase is not None else word
        prefix = phrase is None and raw.endswith("*")
        words = tuple(_WORD_RE.findall(normalize_text(raw.rstrip("*") if prefix else raw)))
        if not words:
            continue
        clause.append(Term(words, prefix, bool(neg)))
    if clause:
        q.clauses.append(clause)
    q.clauses = [c for c in q.clauses if any(not t.negated for t in c)]
    if not q.clauses:
        raise QueryError(f"nothing to search for in {source!r} (give at least one word; -word only excludes)")
    return q


def to_fts5(q: Query) -> str:
    def term(t: Term) -> str:
        s = '"' + " ".join(t.words).replace('"', '""') + '"'
        return s + ("*" if t.prefix else "")

    parts = []
    for clause in q.clauses:
        pos = " AND ".join(term(t) for t in clause if not t.negated)
        neg = [term(t) for t in clause if t.negated]
        parts.append("(" + pos + "".join(" NOT " + n for n in neg) + ")")
    return " OR ".join(parts)


def to_tsquery(q: Query) -> str:
    def term(t: Term) -> str:
        ws = [f"'{w}'" for w in t.words]
        if t.prefix:
            ws[-1] += ":*"
        s = " <-> ".join(ws)
        s = f"({s})" if len(ws) > 1 else s
        return ("!" + s) if t.negated else s

    return " | ".join("(" + " & ".join(term(t) for t in c) + ")" for c in q.clauses)


# ---- snippets ---------------------------------------------------------------------------

def _token_matches(tok: str, terms: Iterable[Term]) -> bool:
    variants = token_variants(tok)
    for t in terms:
        for w in t.words:
            if w in variants or (t.prefix and w == t.words[-1] and any(v.startswith(w) for v in variants)):
                return True
    return False


def highlight_spans(original: str, q: Query) -> list[tuple[int, int]]:
    """Spans on ``original`` of the words that match a query word (with clitics)."""
    if not original:
        return []
    terms = q.positive_terms()
    return [(t.start, t.end) for t in tokenize(normalize(original)) if _token_matches(t.text, terms)]


def snippet(original: str | None, q: Query | None, width: int = 160,
            mark: tuple[str, str] = ("[", "]")) -> str:
    """A window of ``original`` around the first matching word, matches wrapped in ``mark``;
    whitespace collapsed. Without a match (or query): the start of the text."""
    s = original or ""
    spans = highlight_spans(s, q) if q else []
    if not spans:
        out = " ".join(s[: width * 2].split())
        return out[:width] + ("…" if len(out) > width else "")
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        sp = s.rfind(" ", 0, start)
        if sp < 0:
            start = 0 if start < 20 else start
        elif start - sp < 20:
            start = sp + 1
    end = min(len(s), start + width)
    if end < len(s):
        sp = s.find(" ", end)
        end = sp if 0 <= sp < end + 20 else end
    pieces, cur = [], start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        pieces.append(s[cur:a])
        pieces.append(mark[0] + s[a:b] + mark[1])
        cur = b
    pieces.append(s[cur:end])
    out = " ".join("".join(pieces).split())
    return ("…" if start > 0 else "") + out + ("…" if end < len(s) else "")


# ---- running a search -------------------------------------------------------------------

@dataclass
class Hit:
    article: "object"          # crawler.items.Article
    rank: float | None         # higher is better (bm25 negated on SQLite, ts_rank on PostgreSQL)
    story_size: int = 1        # articles of its story among the matches (with --story)


def article_from_mapping(m) -> "object":
    """An Article from a row mapping of ``articles`` columns (values already type-processed)."""
    from crawler.items import Article
    kw = {}
    for name in Article.field_names():
        if name in m:
            kw[name] = m[name]
    for name in ("tags", "sources", "places", "watches"):
        kw[name] = list(kw.get(name) or [])
    kw["provenance"] = dict(kw.get("provenance") or {})
    kw["version"] = kw.get("version") or 1
    return Article(**kw)


def prefer_index(conn: Connection) -> None:
    """PostgreSQL: use the GIN index for a text match. The documents are TOASTed, so the heap
    looks small and the planner prefers a sequential scan that detoasts every document (40x
    slower at 100,000 articles). Applies to the current transaction only."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = off"))


def match_parts(conn: Connection, q: Query):
    """(FROM clause joined to articles, match condition, rank expression) for ``q`` on this engine."""
    from sqlalchemy import cast, column, func, literal, literal_column, table
    from sqlalchemy.dialects.postgresql import TSQUERY

    from storage.query import ARTICLES
    docs = SearchDocRow.__table__
    if conn.dialect.name == "postgresql":
        tsq = cast(literal(to_tsquery(q)), TSQUERY)
        src = docs.join(ARTICLES, ARTICLES.c.id == docs.c.article_id)
        return src, docs.c.document.bool_op("@@")(tsq), func.ts_rank(docs.c.document, tsq, 1)
    fts = table("search_fts", column("rowid"))
    src = fts.join(docs, docs.c.doc_id == fts.c.rowid).join(ARTICLES, ARTICLES.c.id == docs.c.article_id)
    cond = text("search_fts MATCH :fts_query").bindparams(fts_query=to_fts5(q))
    return src, cond, -literal_column(f"bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})")


CANDIDATES = 5000   # a search ranks (and collapses stories) among at most this many matches


def run_search(conn: Connection, q: Query | None, filters, limit: int = 20, sort: str = "rank",
               candidates: int = CANDIDATES) -> list[Hit]:
    """Articles matching ``q`` (all articles when None) and ``filters``, best first (``sort`` =
    "rank") or newest first ("time"); with ``filters.story`` one row per story (its earliest-seen
    article among the matches).

    Bounded work: the matches are taken most recently indexed first, at most ``candidates`` of
    them, and ranked (and collapsed into stories) among those. A query with fewer matches is
    ranked exactly; a very common one is ranked among its most recent matches. Then only the
    ``limit`` chosen articles are read in full.
    """
    from sqlalchemy import column, func, literal, select, table

    from storage.models import UTCDateTime
    from storage.query import ARTICLES, article_time, facet_groups, story_key, time_clauses, where_clauses
    clauses = where_clauses(filters, conn.dialect.name)
    if q is None:
        sort = "time"
        if not filters.story:
            stmt = (select(ARTICLES, literal(None).label("hit_rank")).where(*clauses)
                    .order_by(article_time().desc(), ARTICLES.c.id).limit(limit))
            return [Hit(article_from_mapping(m), None) for m in conn.execute(stmt).mappings()]
        cand = (select(ARTICLES.c.id, ARTICLES.c.first_seen_at, story_key().label("story_key"),
                       article_time().label("t"), literal(None).label("hit_rank"))
                .where(*clauses).order_by(article_time().desc()).limit(candidates))
    else:
        prefer_index(conn)
        src, cond, rank = match_parts(conn, q)
        cols = (ARTICLES.c.id, ARTICLES.c.first_seen_at, story_key().label("story_key"), article_time().label("t"))
        pg = conn.dialect.name == "postgresql"
        facets = facets_ready(conn)
        if facets:
            # outlet/watch/place on the facets, tested per match before its article is read
            clauses = where_clauses(filters, conn.dialect.name, "search_docs.doc_id" if pg else "search_fts.rowid")
        if pg:
            # the GIN index finds the matches; "doc_id + 0" keeps the planner from walking the
            # primary key backwards and testing every document; ts_rank runs on the candidates only
            docs = SearchDocRow.__table__
            if facets and not time_clauses(filters):
                src = docs            # nothing to test on the article: its row is not needed yet
            ids = (select(docs.c.doc_id).select_from(src).where(cond, *clauses)
                   .order_by((docs.c.doc_id + 0).desc()).limit(candidates)
                   .cte("matches").prefix_with("MATERIALIZED"))
            cand = select(*cols, rank.label("hit_rank")).select_from(
                ids.join(docs, docs.c.doc_id == ids.c.doc_id).join(ARTICLES, ARTICLES.c.id == docs.c.article_id))
        else:
            if times_ready(conn):
                # search_times: the time range is tested there before a match's article is read,
                # and bounds the FTS5 scan to the doc ids the range holds; without --story a
                # candidate's article is not read at all (its id and time are the document's)
                times = table("search_times", column("doc_id"), column("t", UTCDateTime))
                fts, docs = table("search_fts", column("rowid")), SearchDocRow.__table__
                clauses = where_clauses(filters, "sqlite", "search_fts.rowid" if facets else None, times.c.t)
                if time_clauses(filters):
                    bounds = _time_bounds(conn, filters)
                    if bounds[0] == 0:
                        return []
                    if bounds[0] < TIME_BOUND_SCAN:
                        clauses.append(text("search_fts.rowid BETWEEN :doc_lo AND :doc_hi")
                                       .bindparams(doc_lo=bounds[1], doc_hi=bounds[2]))
                src = fts.join(times, times.c.doc_id == fts.c.rowid).join(docs, docs.c.doc_id == fts.c.rowid)
                if not filters.story and (facets or not facet_groups(filters)):
                    # the article must exist (as the join below requires): a probe of its id index
                    clauses.append(text("EXISTS (SELECT 1 FROM articles WHERE articles.id = search_docs.article_id)"))
                    cols = (docs.c.article_id.label("id"), times.c.t.label("t"))
                else:
                    src = src.join(ARTICLES, ARTICLES.c.id == docs.c.article_id)
            cand = (select(*cols, rank.label("hit_rank")).select_from(src).where(cond, *clauses)
                    .order_by(text("search_fts.rowid DESC")).limit(candidates))
    c = cand.cte("candidates").prefix_with("MATERIALIZED")
    if filters.story:
        w = select(c, func.row_number().over(partition_by=c.c.story_key, order_by=(c.c.first_seen_at, c.c.id))
                   .label("story_rn"), func.count().over(partition_by=c.c.story_key).label("story_size")
                   ).subquery("stories")
        pick = select(w.c.id, w.c.hit_rank, w.c.story_size, w.c.t).where(w.c.story_rn == 1)
        cols = w.c
    else:
        pick = select(c.c.id, c.c.hit_rank, literal(1).label("story_size"), c.c.t)
        cols = c.c
    order = (cols.hit_rank.desc(), cols.t.desc(), cols.id) if sort == "rank" else (cols.t.desc(), cols.id)
    chosen = conn.execute(pick.order_by(*order).limit(limit)).all()
    if not chosen:
        return []
    full = {m["id"]: m for m in conn.execute(select(ARTICLES).where(ARTICLES.c.id.in_([r[0] for r in chosen])))
            .mappings()}
    return [Hit(article_from_mapping(full[aid]), rank, size or 1) for aid, rank, size, _ in chosen if aid in full]


def _time_bounds(conn: Connection, filters) -> tuple[int, int | None, int | None]:
    """(documents, lowest doc id, highest doc id) in the time range of ``filters``, from the time
    index of ``search_times``; reads at most TIME_BOUND_SCAN rows (a wide range: the count is
    TIME_BOUND_SCAN and the bounds are not to be used)."""
    from sqlalchemy import column, func, select, table

    from storage.models import UTCDateTime
    from storage.query import time_clauses
    times = table("search_times", column("doc_id"), column("t", UTCDateTime))
    inner = select(times.c.doc_id).where(*time_clauses(filters, times.c.t)).limit(TIME_BOUND_SCAN).subquery()
    n, lo, hi = conn.execute(select(func.count(), func.min(inner.c.doc_id), func.max(inner.c.doc_id))).one()
    return n, lo, hi


def collapse_stories(stmt):
    """``stmt`` (selecting id, first_seen_at, story_key, ...) as a subquery with ``story_rn`` (1 =
    the story's earliest-seen article among the rows) and ``story_size``. The rows are first
    materialised: SQLite cannot evaluate bm25() under a window function."""
    from sqlalchemy import func, select
    m = stmt.cte("matched").prefix_with("MATERIALIZED")
    return select(m, func.row_number().over(partition_by=m.c.story_key, order_by=(m.c.first_seen_at, m.c.id))
                  .label("story_rn"), func.count().over(partition_by=m.c.story_key).label("story_size")
                  ).subquery("hits")


def literal_column_rank():
    from sqlalchemy import literal_column
    return literal_column("hit_rank").desc()
