"""`rasad search` and `rasad export` (wired from crawler/cli.py to ``search_main`` / ``export_main``).

Exit codes: 0 success; 1 the store could not be used or the export failed while writing;
2 bad usage or input (unknown outlet/watch/place, a bad or empty date range, an unwritable
output path, an empty query) — with a one-line message on stderr saying what is wrong.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import unicodedata
from zoneinfo import ZoneInfo

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error and exit code 2 (argparse's own code, kept explicit)."""

    def error(self, message):  # noqa: D401
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _fail(prog: str, message: str, code: int = EXIT_USAGE) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return code


def _add_filters(p: argparse.ArgumentParser, query_required: bool) -> None:
    p.add_argument("query", nargs="+" if query_required else "*", metavar="QUERY",
                   help='words (all must occur), "a phrase", word* (prefix), -word (exclude), OR; '
                        'quote the whole query when it starts with -')
    g = p.add_argument_group("filters")
    g.add_argument("--outlet", action="append", metavar="KEY", help="outlet key (repeat, or a,b)")
    g.add_argument("--watch", action="append", metavar="NAME", help="watch name (repeat, or a,b)")
    g.add_argument("--place", action="append", metavar="NAME",
                   help="gazetteer name or p-code; a district/governorate includes everything inside it")
    g.add_argument("--since", metavar="WHEN", help="YYYY-MM-DD, ISO date-time, or 30m/24h/7d/2w ago")
    g.add_argument("--until", metavar="WHEN", help="same forms; a bare date includes that whole day")
    g.add_argument("--story", action="store_true", help="one row per story: its earliest-seen article")
    g.add_argument("--limit", type=int, metavar="N", help="at most N articles")


def _open(prog: str):
    """(store, config) or an exit code."""
    from crawler.config import ConfigError, db_url, get_config
    from storage import Store, StoreError
    try:
        config = get_config()
    except ConfigError as exc:
        return _fail(prog, str(exc))
    try:
        store = Store(db_url())
    except StoreError as exc:
        return _fail(prog, str(exc), EXIT_FAIL)
    return store, config


def _prepare(prog: str, args, conn, config):
    """(filters, parsed query or None) or raises the error message as ValueError."""
    from storage import search
    from storage.query import build_filters
    if args.limit is not None and args.limit < 1:
        raise ValueError(f"--limit must be at least 1, got {args.limit}")
    filters = build_filters(conn, outlets=args.outlet, watches=args.watch, places=args.place,
                            since=args.since, until=args.until, story=args.story, tz=config.timezone)
    q = search.parse_query(" ".join(args.query)) if args.query else None
    return filters, q


# ---- search ------------------------------------------------------------------------------

def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) == "Cf" else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _fit(s: str, width: int) -> str:
    s = " ".join((s or "").split())
    if _width(s) <= width:
        return s
    out, w = [], 0
    for c in s:
        cw = _width(c)
        if w + cw > width - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _when(a, zone) -> str:
    t = a.published_at or a.first_seen_at
    return t.astimezone(zone).strftime("%Y-%m-%d %H:%M") if t else "-"


def search_main(argv: list[str]) -> int:
    prog = "rasad search"
    p = _Parser(prog=prog, description="Search stored articles (normalised Arabic full text).")
    _add_filters(p, query_required=False)
    p.add_argument("--sort", choices=("rank", "time"), default=None,
                   help="best match first (default with a query) or newest first")
    p.add_argument("--json", action="store_true", help="one JSON object per hit instead of a table")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="highlight matches in colour (auto: when stdout is a terminal)")
    args = p.parse_args(argv)

    opened = _open(prog)
    if isinstance(opened, int):
        return opened
    store, config = opened
    from storage import search
    from storage.query import FilterError
    zone = ZoneInfo(config.timezone)
    try:
        with store.engine.connect() as conn:
            try:
                filters, q = _prepare(prog, args, conn, config)
            except (FilterError, search.QueryError, ValueError) as exc:
                return _fail(prog, str(exc))
            search.ensure_index(conn)
            conn.commit()
            hits = search.run_search(conn, q, filters, limit=args.limit or 20,
                                     sort=args.sort or ("rank" if q else "time"))
    finally:
        store.close()

    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    mark = ("\033[1;33m", "\033[0m") if color else ("[", "]")
    if args.json:
        for h in hits:
            rec = h.article.to_record(config.timezone)
            rec.pop("text", None)
            rec.update(rank=h.rank, story_size=h.story_size,
                       snippet=search.snippet(h.article.text or h.article.lead, q, mark=("[", "]")))
            print(json.dumps(rec, ensure_ascii=False))
        return EXIT_OK
    if not hits:
        print("no matching articles", file=sys.stderr)
        return EXIT_OK
    total = shutil.get_terminal_size((160, 24)).columns
    titles = []
    for h in hits:
        title = h.article.title or "(no title)"
        if args.story and h.story_size > 1:
            title = f"{title} (+{h.story_size - 1} more in story)"
        titles.append(" ".join(title.split()))
    title_w = max(10, min(max(30, (total - 40) // 2), max(_width(x) for x in titles)))
    header = ["time (Damascus)", "outlet", "title", "snippet"]
    outlet_w = max(6, max(_width(h.article.outlet) for h in hits))
    snip_w = max(40, total - 16 - 2 - outlet_w - 2 - title_w - 2)
    lines = ["  ".join([_pad(header[0], 16), _pad(header[1], outlet_w), _pad(header[2], title_w), header[3]])]
    lines.append("  ".join(["-" * 16, "-" * outlet_w, "-" * title_w, "-" * min(snip_w, 40)]))
    for h, title in zip(hits, titles):
        a = h.article
        snip = search.snippet(a.text or a.lead, q, width=snip_w, mark=mark)
        lines.append("  ".join([_pad(_when(a, zone), 16), _pad(a.outlet, outlet_w),
                                _pad(_fit(title, title_w), title_w), snip]))
    print("\n".join(lines))
    print(f"{len(hits)} article(s)" + (" (limit reached; --limit N for more)" if len(hits) == (args.limit or 20) else ""),
          file=sys.stderr)
    return EXIT_OK


# ---- export ------------------------------------------------------------------------------

def export_main(argv: list[str]) -> int:
    from storage import export as ex
    prog = "rasad export"
    p = _Parser(prog=prog, description="Export stored articles (all fields) to a file.")
    p.add_argument("--format", "-f", choices=ex.FORMATS, default=None,
                   help="csv (Excel, UTF-8 with BOM), xlsx, jsonl (what `rasad import` reads), parquet; "
                        "default from the -o extension, else csv")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file ('-' = standard output); default rasad-export-DATE-TIME.FORMAT here")
    _add_filters(p, query_required=False)
    args = p.parse_args(argv)
    fmt = args.format
    if fmt is None:
        ext = (args.output or "").rsplit(".", 1)[-1].lower() if args.output and "." in args.output else ""
        fmt = ext if ext in ex.FORMATS else "csv"
    if args.output == "-" and fmt in ("xlsx", "parquet") and sys.stdout.isatty():
        return _fail(prog, f"{fmt} is binary: redirect standard output or give -o FILE")
    target = args.output or ex.default_output_name(fmt)

    opened = _open(prog)
    if isinstance(opened, int):
        return opened
    store, config = opened
    from storage import search
    from storage.query import FilterError
    output = ex.Output(target)
    try:
        with store.engine.connect() as conn:
            try:
                filters, q = _prepare(prog, args, conn, config)
                output.open()
            except (FilterError, search.QueryError, ex.ExportError, ValueError) as exc:
                return _fail(prog, str(exc))
            search.ensure_index(conn)
            conn.commit()
            try:
                n = ex.export(conn, fmt, output, filters, q, args.limit, tz=config.timezone)
            except BrokenPipeError:       # `rasad export -o - | head`: the reader had enough
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                return EXIT_OK
            except OSError as exc:
                return _fail(prog, f"cannot write {target}: {exc.strerror or exc}", EXIT_FAIL)
            finally:
                conn.rollback()
    finally:
        output.abort()
        store.close()
    where = "standard output" if target == "-" else target
    print(f"{prog}: {n:,} article(s) to {where} ({fmt})", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """`python -m storage.analyst_cli search|export ...` (until crawler/cli.py wires them)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("search", "export"):
        print("usage: python -m storage.analyst_cli {search,export} ...", file=sys.stderr)
        return EXIT_USAGE
    return (search_main if argv[0] == "search" else export_main)(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
