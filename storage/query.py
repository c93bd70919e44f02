"""Filters shared by `rasad search` and `rasad export`: outlet, watch, place, time range, story.

An article's time is ``published_at`` when the page had a date, else ``first_seen_at``.
Time ranges are half-open: since <= time < until. A bare date (2026-11-20) is that day in the
configured zone (Asia/Damascus): as --since its start, as --until its end (the whole day is in).
Relative forms count back from now: 30m, 24h, 7d, 2w.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, or_, select, text
from sqlalchemy.sql import ColumnElement

from storage.models import ArticleRow

ARTICLES = ArticleRow.__table__


class FilterError(ValueError):
    """A filter names something unknown or is malformed; the message is one line."""


@dataclass
class Filters:
    outlets: list[str] = field(default_factory=list)
    watches: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)        # p-codes, descendants included
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    story: bool = False                                    # one row per story (its earliest-seen article)

    def describe(self) -> str:
        bits = []
        if self.outlets:
            bits.append("outlet " + ",".join(self.outlets))
        if self.watches:
            bits.append("watch " + ",".join(self.watches))
        if self.places:
            bits.append(f"{len(self.places)} place(s)")
        if self.since:
            bits.append(f"since {self.since.isoformat()}")
        if self.until:
            bits.append(f"until {self.until.isoformat()}")
        return "; ".join(bits)


_REL = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(value: str, tz: str, *, end: bool = False, now: dt.datetime | None = None) -> dt.datetime:
    """'7d', '24h', '30m', '2w' (ago), 'YYYY-MM-DD' (start of that day, or the next day's start
    when ``end``), or an ISO date-time (naive = in ``tz``). Returns an aware datetime."""
    zone = ZoneInfo(tz)
    now = now or dt.datetime.now(dt.timezone.utc)
    m = _REL.match(value or "")
    if m:
        return now - dt.timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})
    s = (value or "").strip()
    try:
        if len(s) == 10:
            day = dt.date.fromisoformat(s)
            start = dt.datetime.combine(day, dt.time(), zone)
            return start + dt.timedelta(days=1) if end else start
        parsed = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise FilterError(f"not a date: {value!r} (use YYYY-MM-DD, an ISO date-time, or 30m/24h/7d/2w)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return list(dict.fromkeys(out))


def known_outlets(conn) -> set[str]:
    """Outlets configured, plus any outlet name present in the store (imports)."""
    from crawler.config import get_config
    names = set(get_config().outlets)
    names.update(conn.execute(select(ARTICLES.c.outlet).distinct()).scalars())
    return names


def known_watches() -> set[str]:
    from crawler.config import get_config
    from crawler.geo.watch import DEFAULT_WATCHES
    return set(get_config().watches or DEFAULT_WATCHES)


def resolve_places(names: list[str]) -> list[str]:
    """Gazetteer names or p-codes -> the p-codes of those places and everything inside them."""
    from crawler.geo import default_gazetteer
    g = default_gazetteer()
    codes: set[str] = set()
    for name in names:
        hits = g.resolve(name)
        if not hits:
            raise FilterError(f"unknown place {name!r} (give a gazetteer name or p-code, e.g. الميادين or SY0903)")
        for code in hits:
            codes.add(code)
            codes.update(g.descendants(code))
    return sorted(codes)


def build_filters(conn, *, outlets=None, watches=None, places=None, since=None, until=None,
                  story=False, tz: str = "Asia/Damascus", now: dt.datetime | None = None) -> Filters:
    """Validate command-line filter values (lists may hold comma-separated names)."""
    f = Filters(story=bool(story))
    f.outlets = _split(outlets)
    if f.outlets:
        known = known_outlets(conn)
        unknown = [o for o in f.outlets if o not in known]
        if unknown:
            raise FilterError(f"unknown outlet {unknown[0]!r} (known: {', '.join(sorted(known)) or 'none'})")
    f.watches = _split(watches)
    if f.watches:
        known = known_watches()
        unknown = [w for w in f.watches if w not in known]
        if unknown:
            raise FilterError(f"unknown watch {unknown[0]!r} (configured: {', '.join(sorted(known)) or 'none'})")
    place_names = [p.strip() for p in (places or []) if p.strip()]
    if place_names:
        f.places = resolve_places(place_names)
    if since:
        f.since = parse_when(since, tz, now=now)
    if until:
        f.until = parse_when(until, tz, end=True, now=now)
    if f.since and f.until and f.since >= f.until:
        raise FilterError(f"--since {since} is not before --until {until}: the date range is empty")
    return f


def article_time():
    """The time an article is filtered and listed by: published_at, else first_seen_at."""
    return func.coalesce(ARTICLES.c.published_at, ARTICLES.c.first_seen_at)


def _json_any(dialect: str, column: str, values: list[str], param: str, key: str | None) -> ColumnElement:
    """EXISTS an element of the JSON list ``articles.<column>`` (its ``key`` when given) in values."""
    if dialect == "postgresql":
        src = (f"CASE WHEN json_typeof(articles.{column}) = 'array' THEN articles.{column} "
               f"ELSE '[]'::json END")
        if key:
            sql = f"EXISTS (SELECT 1 FROM json_array_elements({src}) AS je WHERE je->>'{key}' IN :{param})"
        else:
            sql = f"EXISTS (SELECT 1 FROM json_array_elements_text({src}) AS je WHERE je IN :{param})"
    else:
        expr = f"json_extract(je.value, '$.{key}')" if key else "je.value"
        sql = (f"EXISTS (SELECT 1 FROM json_each(CASE WHEN json_type(articles.{column}) = 'array' "
               f"THEN articles.{column} ELSE '[]' END) AS je WHERE {expr} IN :{param})")
    return text(sql).bindparams(bindparam(param, value=list(values), expanding=True))


def facet_groups(f: Filters) -> list[tuple[str, list[str]]]:
    """(bind name, facet values) per outlet/watch/place filter: a document passes a group when it
    has one of its facets (storage.search.doc_facets)."""
    out = []
    if f.outlets:
        out.append(("f_outlets", ["o:" + v for v in f.outlets]))
    if f.watches:
        out.append(("f_watches", ["w:" + v for v in f.watches]))
    if f.places:
        out.append(("f_places", ["p:" + v for v in f.places]))
    return out


def _facet_exists(dialect: str, doc_id: str, param: str, values: list[str]) -> ColumnElement:
    # SQLite: "+sf.facet" keeps the planner on the primary key (doc_id, facet): a document has
    # a few facets, read in one seek, while a place filter lists dozens of p-codes (one seek each)
    facet = "+sf.facet" if dialect == "sqlite" else "sf.facet"
    sql = f"EXISTS (SELECT 1 FROM search_facets sf WHERE sf.doc_id = {doc_id} AND {facet} IN :{param})"
    return text(sql).bindparams(bindparam(param, value=list(values), expanding=True))


def where_clauses(f: Filters, dialect: str, doc_id: str | None = None, time_col=None) -> list[ColumnElement]:
    """SQL conditions on the ``articles`` table for the filters (story collapse excluded).

    ``doc_id``: an SQL expression for the search document of the row (``search_fts.rowid``,
    ``search_docs.doc_id``), given when ``search_facets`` is complete: outlet, watch and place
    are then tested there (an indexed lookup) instead of on the article's columns.
    ``time_col``: test --since/--until on this copy of the article time instead (see
    ``time_clauses``)."""
    out: list[ColumnElement] = []
    if doc_id is not None:
        out.extend(_facet_exists(dialect, doc_id, param, values) for param, values in facet_groups(f))
    else:
        if f.outlets:
            # "outlet || ''": not the outlet index. Lists and exports walk the time or first_seen_at
            # index and filter; with the outlet index the planner sorted every article of the
            # outlet again for each page (seconds on a large store)
            out.append((ARTICLES.c.outlet + "").in_(f.outlets))
        if f.watches:
            out.append(_json_any(dialect, "watches", f.watches, "f_watches", None))
        if f.places:
            out.append(_json_any(dialect, "places", f.places, "f_places", "pcode"))
    out.extend(time_clauses(f, time_col))
    return out


def time_clauses(f: Filters, time_col=None) -> list[ColumnElement]:
    """--since/--until on the article time, or on ``time_col`` (a copy of it, e.g. the time of a
    search document: storage.search ``search_times``)."""
    col = article_time() if time_col is None else time_col
    out: list[ColumnElement] = []
    if f.since:
        out.append(col >= f.since)
    if f.until:
        out.append(col < f.until)
    return out


def story_key():
    """The story an article belongs to: its story_id, else itself (its own story)."""
    col = ARTICLES.c.get("story_id")
    return ARTICLES.c.id if col is None else func.coalesce(col, ARTICLES.c.id)


def after_key(first_seen_at, article_id) -> ColumnElement:
    """Keyset condition: rows after (first_seen_at, id) in (first_seen_at, id) order."""
    c = ARTICLES.c
    return and_(c.first_seen_at >= first_seen_at,
                or_(c.first_seen_at > first_seen_at, c.id > article_id))
