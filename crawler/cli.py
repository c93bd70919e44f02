"""`rasad ...`: the one entry point for everything a user runs.

Exit codes: 0 success, 1 the work ran but something failed (a crawl, a file), 2 bad usage or
configuration (a one-line message says what is wrong).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import logging
import os
import sys
from zoneinfo import ZoneInfo

from crawler import __version__
from crawler.config import ConfigError, get_config, redact_url

log = logging.getLogger("rasad")


def _fail(message: str, code: int = 2) -> int:
    print(f"rasad: error: {message}", file=sys.stderr)
    return code


def _fmt_time(value, tz: str) -> str:
    if not value:
        return "-"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)] if rows else [len(h) for h in headers]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


# ---- crawl ------------------------------------------------------------------------------

def _print_outcomes(outcomes) -> None:
    rows = []
    for o in outcomes:
        rows.append([o.outlet, o.status, o.stats.get("rasad/discovery_source", "-"), o.count("articles/new"),
                     o.count("articles/updated"), o.count("articles/unchanged") + o.count("known_skipped"),
                     o.count("articles/duplicate"), o.count("skipped"), o.count("article_failed")])
    print(_table(rows, ["outlet", "status", "via", "new", "updated", "known", "duplicate", "skipped", "failed"]))


def cmd_crawl(args) -> int:
    config = get_config()
    if args.all:
        keys = [o.key for o in config.enabled_outlets()]
    else:
        keys = args.outlets
    if not keys:
        return _fail("name outlets to crawl or use --all (see `rasad outlets`)")
    for key in keys:
        config.outlet(key)  # raises ConfigError for an unknown outlet
    from crawler.crawl import run_crawls
    overrides = {"LOG_LEVEL": "INFO" if args.verbose else "WARNING"}
    if args.max_pages:
        overrides["RASAD_MAX_PAGES"] = args.max_pages
    outcomes = run_crawls(keys, overrides)
    _print_outcomes(outcomes)
    return 0 if all(o.status == "finished" for o in outcomes) else 1


# ---- outlets / stats --------------------------------------------------------------------

def cmd_outlets(args) -> int:
    config = get_config()
    rows = []
    for o in config.outlets.values():
        rows.append([o.key, "yes" if o.enabled else "no", o.name, o.name_ar, o.base_url,
                     "yes" if o.verified else "UNVERIFIED", o.theme or "auto", ",".join(o.discovery)])
    print(_table(rows, ["key", "enabled", "name", "arabic", "site", "domain", "theme", "discovery"]))
    return 0


def cmd_stats(args) -> int:
    from storage import open_store
    config = get_config()
    store = open_store()
    frontier = _frontier_overview(config)
    if args.frontier:
        if frontier is None:
            return _fail("--frontier needs REDIS_URL (the shared frontier)")
        if args.json:
            print(json.dumps(frontier, default=str, ensure_ascii=False, indent=2))
            return 0 if "error" not in frontier else 1
    stats = [] if args.frontier else store.outlet_stats()
    if args.json:
        print(json.dumps(stats, default=str, ensure_ascii=False, indent=2))
        return 0
    rows = []
    for s in stats:
        counts = s["last_counts"]
        rows.append([s["outlet"], s["articles"], _fmt_time(s["last_new_article"], config.timezone),
                     _fmt_time(s["last_crawl"], config.timezone), s["last_status"] or "-",
                     counts.get("rasad/articles/new", 0), counts.get("rasad/skipped", 0),
                     counts.get("rasad/article_failed", 0), s["consecutive_failures"]])
    if not args.frontier:
        print(f"store: {redact_url(store.url)}")
        print(_table(rows, ["outlet", "articles", "last new", "last crawl", "status", "new", "skipped",
                            "failed fetches", "failed runs in a row"]))
    if frontier is not None:
        if "error" in frontier:
            print(f"\nfrontier: unreachable ({frontier['error']})")
        else:
            print(f"\nfrontier: {frontier['queued']} queued, {frontier['leased']} leased, "
                  f"{len(frontier['workers'])} worker(s) alive, {frontier['requeued']} lease(s) taken over "
                  "from stopped workers")
            for wid, info in sorted(frontier["workers"].items()):
                print(f"  worker {wid}: {info.get('held', 0)} in hand, {info.get('responses', 0)} responses, "
                      f"{info.get('stored', 0)} new articles since start")
    return 0


def _frontier_overview(config) -> dict | None:
    """The shared frontier's state when REDIS_URL is set (workers and queue), else None."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    try:
        import redis

        from crawler.frontier.keys import Keys
        from crawler.frontier.runs import frontier_overview
        server = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        return frontier_overview(server, Keys(str((config.raw.get("frontier") or {}).get("prefix", "rasad"))))
    except Exception as exc:  # noqa: BLE001 - stats still shows the store
        return {"error": type(exc).__name__}


# ---- delegated commands -----------------------------------------------------------------

def _delegate(target: str, argv: list[str]) -> int:
    module, _, function = target.partition(":")
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        return _fail(f"this command is not available: {exc}")
    return int(getattr(mod, function or "main")(argv) or 0)


def cmd_demo(args) -> int:
    from crawler.demo import run_demo
    return run_demo(keep_serving=args.serve, db=args.db)


COMMANDS = {
    "crawl": "crawl outlets now: rasad crawl OUTLET... | --all",
    "outlets": "list configured outlets",
    "stats": "articles per outlet, last crawl, failures",
    "extract": "extract one page (file or URL) or many files to JSON",
    "match": "match JSON Lines items on stdin against watches",
    "demo": "serve the bundled outlet copies on 127.0.0.1 and crawl them into the store",
    "import": "load Article records from JSON Lines through dedup, stories, places and watches",
    "search": "full-text search of stored articles with filters",
    "export": "export stored articles to csv, xlsx, jsonl or parquet",
    "run": "the service: scheduled crawls, alerts to channels, health checks (until SIGTERM/Ctrl-C)",
    "alerts": "the alert outbox: list deliveries | test CHANNEL | retry dead ones",
    "worker": "a crawl worker on the shared Redis frontier (REDIS_URL), for rasad run --distributed",
}
DELEGATED = {"extract": "crawler.extract.command", "match": "crawler.geo.command",
             "import": "storage.importer", "search": "storage.analyst_cli:search_main",
             "export": "storage.analyst_cli:export_main", "run": "scheduler.service",
             "alerts": "scheduler.alerts", "worker": "crawler.frontier.worker"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rasad", description="rasad (رصد): Syrian news monitoring")
    parser.add_argument("--version", action="version", version=f"rasad {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("crawl", help=COMMANDS["crawl"])
    p.add_argument("outlets", nargs="*", metavar="OUTLET")
    p.add_argument("--all", action="store_true", help="every enabled outlet")
    p.add_argument("--max-pages", type=int, help="feed/API/sitemap/listing pages per outlet at most")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request and article")
    p.set_defaults(func=cmd_crawl)
    p = sub.add_parser("outlets", help=COMMANDS["outlets"])
    p.set_defaults(func=cmd_outlets)
    p = sub.add_parser("stats", help=COMMANDS["stats"])
    p.add_argument("--json", action="store_true")
    p.add_argument("--frontier", action="store_true",
                   help="only the shared frontier (REDIS_URL): queue, leases, live workers")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("demo", help=COMMANDS["demo"])
    p.add_argument("--serve", action="store_true", help="keep serving the copies after the crawl (Ctrl-C stops)")
    p.add_argument("--db", metavar="URL", help="store to crawl into (default: sqlite:///data/demo.db, never RASAD_DB_URL)")
    p.set_defaults(func=cmd_demo)
    for name in DELEGATED:
        p = sub.add_parser(name, help=COMMANDS[name], add_help=False)
        p.set_defaults(func=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    if argv and argv[0] in DELEGATED:
        try:
            return _delegate(DELEGATED[argv[0]], argv[1:])
        except ConfigError as exc:
            return _fail(str(exc))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.command not in ("crawl", "demo"):  # crawls log through Scrapy's own root handler
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except ConfigError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from storage import StoreError
        if isinstance(exc, StoreError):
            return _fail(str(exc), 1)
        raise


if __name__ == "__main__":
    sys.exit(main())
