"""`python -m scheduler.crawl_entry [--wait] OUTLET`: the crawl subprocess that `rasad run` starts.

It is `python -m crawler.cli crawl OUTLET` plus Sentry (when SENTRY_DSN is set) tagged with the
outlet, so errors logged during the crawl reach Sentry with the outlet and URL as tags.

``--wait`` ("warm start"): import everything a crawl needs, then wait for a line ``go`` on stdin
before crawling (anything else, or end of input, exits 0 without crawling). The service starts
the next crawl's process this way right after the previous crawl, so the ~1.5 s of Python/Scrapy
imports are not part of the time from a scheduled poll to a stored article.
"""
from __future__ import annotations

import sys


def _preimport() -> None:
    import importlib
    for name in ("crawler.crawl", "scrapy.crawler", "scrapy.spiderloader", "crawler.settings", "crawler.pipelines",
                 "crawler.extensions", "crawler.middlewares", "crawler.extract", "spiders", "storage.stories",
                 "sentry_sdk"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the real run reports what is broken
            pass


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--wait":
        argv = argv[1:]
        _preimport()
        if sys.stdin.readline().strip() != "go":
            return 0
    from scheduler.monitoring import flush, init_sentry
    from scheduler.redact import Redactor
    outlet = argv[0] if argv else None
    secrets = []
    try:  # channel secrets are redacted from crawl events too
        from crawler.config import get_config
        from scheduler.settings import load_alert_settings
        secrets = load_alert_settings(get_config()).secrets()
    except Exception:  # noqa: BLE001 - the crawl reports its own configuration errors
        pass
    init_sentry(Redactor(secrets), "crawl", outlet)
    from crawler.cli import main as cli_main
    try:
        return cli_main(["crawl", *argv])
    finally:
        flush(5)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
