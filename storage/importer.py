"""`rasad import FILE.jsonl`: load Article records (as `rasad export` writes them) into the store.

Each line goes through what a crawled article goes through: URL canonicalisation (a sane
``canonical_url`` is kept, else the URL's canonical form), place matching and watches (when
``crawler.geo`` is importable), the store's exact dedup and versions, then story assignment.
``content_hash`` is recomputed; ``story_id``, ``places``, ``watches`` and ``score`` in the file
are recomputed here, not trusted. Re-importing the same file changes nothing.

Bad lines (not JSON, not an object, a missing url/outlet, a wrong type, a date without a UTC
offset) get a one-line error naming the line, are counted and skipped; the exit code is then 1.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections import Counter
from typing import Any, TextIO

from crawler.dedup import choose_canonical
from crawler.items import DATETIME_FIELDS, Article

log = logging.getLogger(__name__)
PROG = "rasad import"

_STR_FIELDS = ("id", "title", "author", "section", "lead", "text", "language", "image_url", "post_id")
_LIST_FIELDS = ("tags", "sources")


class BadRecord(ValueError):
    """A line that cannot become an Article; the message says which field and why."""


def _datetime(name: str, value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRecord(f'"{name}" is not an ISO 8601 string')
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadRecord(f'"{name}" is not an ISO 8601 date: {value[:40]!r}') from None
    if parsed.tzinfo is None:
        raise BadRecord(f'"{name}" has no UTC offset: {value[:40]!r}')
    return parsed


def record_to_article(record: Any) -> Article:
    """An Article from one exported record; raises BadRecord with a one-line reason."""
    if not isinstance(record, dict):
        raise BadRecord("not a JSON object")
    url = record.get("url")
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        raise BadRecord('"url" missing or not an http(s) URL')
    outlet = record.get("outlet")
    if not isinstance(outlet, str) or not outlet.strip():
        raise BadRecord('"outlet" missing or empty')
    values: dict[str, Any] = {"url": url.strip(), "outlet": outlet.strip()}
    for name in _STR_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, (str, int)) or isinstance(value, bool):
            raise BadRecord(f'"{name}" is not a string')
        values[name] = str(value) if value is not None and value != "" else None
    if values["id"] is not None and len(values["id"]) > 32:
        raise BadRecord('"id" is longer than 32 characters')
    for name in _LIST_FIELDS:
        value = record.get(name)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadRecord(f'"{name}" is not a list of strings')
        values[name] = list(value)
    for name in DATETIME_FIELDS:
        values[name] = _datetime(name, record.get(name))
    version = record.get("version", 1)
    if version is None:
        version = 1
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BadRecord('"version" is not a positive integer')
    canonical = record.get("canonical_url")
    if canonical is not None and not isinstance(canonical, str):
        raise BadRecord('"canonical_url" is not a string')
    if not (values["title"] or values["text"]):
        raise BadRecord("neither title nor text")
    provenance = record.get("provenance")
    article = Article(
        **values, canonical_url=choose_canonical(values["url"], canonical), version=version,
        provenance=dict(provenance) if isinstance(provenance, dict) else {"imported": True},
    )
    article.compute_hash()
    return article


class _Geo:
    """Place matching and watches from crawler.geo, when it can be imported (else a no-op);
    the crawl's own ``annotate_places`` when available, so both fill the same fields alike."""

    def __init__(self):
        self.matcher = self.watches = None
        try:
            from crawler.config import get_config
            from crawler.geo import Matcher, load_watches
        except ImportError as exc:
            log.warning("places and watches skipped: crawler.geo not importable (%s)", exc)
            return
        self.matcher = Matcher.default()
        self.watches = load_watches(get_config().watches)
        try:
            from crawler.pipelines import annotate_places
        except ImportError:
            annotate_places = None
        self.annotate = annotate_places or self._annotate

    def _annotate(self, article: Article, matcher, watches) -> None:
        fields = {"title": article.title or "", "lead": article.lead or "", "text": article.text or ""}
        res = matcher.match(**fields)
        article.places = [m.to_dict() for m in res.places]
        article.score = res.score
        article.watches = [w.name for w in watches if w.matches(res, **fields)]

    def apply(self, article: Article) -> None:
        if self.matcher is not None:
            self.annotate(article, self.matcher, self.watches)


def import_lines(lines, store, stories, *, name: str = "-", err: TextIO | None = None,
                 geo: _Geo | None = None) -> Counter:
    """Import JSON Lines from an iterable of bytes/str lines; returns the counts."""
    err = err or sys.stderr
    counts: Counter = Counter()
    for lineno, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            counts["skipped"] += 1
            print(f"{PROG}: {name}:{lineno}: skipped: not UTF-8 ({exc.reason} at byte {exc.start})", file=err)
            continue
        if lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        counts["lines"] += 1
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadRecord(f"not JSON ({exc.msg} at column {exc.colno})") from None
            article = record_to_article(record)
        except BadRecord as exc:
            counts["skipped"] += 1
            print(f"{PROG}: {name}:{lineno}: skipped: {exc}", file=err)
            continue
        try:
            if geo is not None:
                geo.apply(article)
            result = store.save_article(article)
            counts[f"articles/{result.status}"] += 1
            story = stories.assign(result.article_id)
            counts[f"stories/{story.status}"] += 1
        except Exception as exc:  # a record the store refuses: named, counted, skipped
            counts["skipped"] += 1
            detail = str(exc).splitlines()[0][:200] if str(exc) else ""
            print(f"{PROG}: {name}:{lineno}: skipped: {type(exc).__name__}: {detail}", file=err)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description="Load Article records (JSON Lines, as written "
                                     "by `rasad export`) through canonicalisation, dedup and stories.")
    parser.add_argument("file", metavar="FILE.jsonl", help="JSON Lines file ('-' for standard input)")
    parser.add_argument("--no-places", action="store_true", help="don't run place matching and watches")
    args = parser.parse_args(argv)

    from crawler.config import db_url, redact_url
    from storage import Store, StoreError
    from storage.stories import StoryIndexError, StoryService

    try:
        fh = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")
    except OSError as exc:
        print(f"{PROG}: error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    url = db_url()
    try:
        store = Store(url)
        stories = StoryService.from_env(store)
    except (StoreError, StoryIndexError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # e.g. Redis unreachable
        print(f"{PROG}: error: cannot open {redact_url(url)}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    geo = None if args.no_places else _Geo()
    try:
        with fh:
            counts = import_lines(fh, store, stories, name=args.file, geo=geo)
    finally:
        store.close()
    print(f"{PROG}: {args.file}: {counts['lines']} record(s): "
          f"{counts['articles/new']} new, {counts['articles/updated']} updated, "
          f"{counts['articles/unchanged']} unchanged, {counts['articles/duplicate']} duplicate; "
          f"stories: {counts['stories/new']} new, {counts['stories/joined']} joined; "
          f"{counts['skipped']} skipped")
    return 1 if counts["skipped"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
