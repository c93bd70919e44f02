"""`rasad demo`: the bundled saved-style copies of the three outlets, served on 127.0.0.1,
crawled into an embedded SQLite store, and what was stored printed — the first thing a newcomer
runs. The demo has its own store (data/demo.db, or --db URL): an exported RASAD_DB_URL must
never receive 127.0.0.1 copies filed under the real outlets' names.
"""
from __future__ import annotations

import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

DEMO_OUTLETS = ("geiroon", "euphratespost", "sharqsouri")
DEMO_PORTS = {"geiroon": 8701, "euphratespost": 8702, "sharqsouri": 8703}
SITES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sites"


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def demo_config(servers: dict) -> str:
    """A config that points each demo outlet at its local copy (everything else as configured)."""
    lines = ["# written by `rasad demo`: the outlets' saved-style copies on 127.0.0.1", "[crawl]",
             "download_timeout = 10", ""]
    for key, server in servers.items():
        lines += [f"[outlets.{key}]", f'base_url = "{server.base_url}"', 'domains = ["127.0.0.1"]', ""]
    return "\n".join(lines)


DEMO_DB = "sqlite:///data/demo.db"


def run_demo(keep_serving: bool = False, db: str | None = None) -> int:
    from crawler.sitesrv import SiteServer

    if not SITES.is_dir():
        print(f"rasad: error: the bundled outlet copies are missing ({SITES}); run from a checkout", file=sys.stderr)
        return 2
    servers = {}
    for key in DEMO_OUTLETS:
        port = DEMO_PORTS[key] if _free(DEMO_PORTS[key]) else 0
        servers[key] = SiteServer(SITES / key, port=port).start()
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".toml", prefix="rasad-demo-", delete=False) as fh:
            fh.write(demo_config(servers))
        os.environ["RASAD_CONFIG"] = fh.name
        from crawler.config import get_config, redact_url
        from crawler.crawl import run_crawls
        from storage import open_store

        url = db or DEMO_DB
        if url == DEMO_DB:
            Path("data").mkdir(exist_ok=True)
        os.environ["RASAD_DB_URL"] = url   # the crawl reads its store from the environment

        print("rasad demo: serving saved-style copies of the outlets on 127.0.0.1:")
        for key, server in servers.items():
            print(f"  {key:<14} {server.base_url}")
        print(f"crawling them into {redact_url(url)} ...\n")
        started = time.monotonic()
        outcomes = run_crawls(list(servers), {"LOG_LEVEL": "WARNING", "AUTOTHROTTLE_START_DELAY": 0.2})
        took = time.monotonic() - started

        from crawler.cli import _print_outcomes
        _print_outcomes(outcomes)
        print(f"\n({took:.1f} s)\n")
        tz = ZoneInfo(get_config().timezone)
        store = open_store(url)
        for key in servers:
            articles = [a for a in store.iter_articles(outlet=key)]
            print(f"{key}: {len(articles)} articles stored")
            articles.sort(key=lambda a: a.published_at.timestamp() if a.published_at else 0, reverse=True)
            for a in articles:
                when = a.published_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if a.published_at else "(no date)"
                title = (a.title or "")[:70]
                print(f"  {when}  {title}")
                extras = []
                if a.section:
                    extras.append(f"section: {a.section}")
                if a.sources:
                    extras.append("sources: " + "، ".join(a.sources))
                if a.version > 1:
                    extras.append(f"version {a.version}")
                if extras:
                    print(f"                    {' | '.join(extras)}")
        store.close()
        print("\nRun `rasad demo` again: nothing new is stored (known URLs, conditional requests).")
        print("Then try `rasad stats`, `rasad outlets`, or `rasad extract tests/fixtures/sites/geiroon/archives/175204.html --url https://geiroon.net/archives/175204`.")
        if keep_serving:
            print("\nServing until Ctrl-C ...")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        return 0 if all(o.status == "finished" for o in outcomes) else 1
    finally:
        for server in servers.values():
            server.stop()
