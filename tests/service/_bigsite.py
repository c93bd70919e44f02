"""A generated WordPress-like outlet of N articles on 127.0.0.1 (the pages of bench/sitegen.py:
Jannah markup, RSS feed paged by 50), served in a thread; articles can be made slow so a test
can kill a worker while it has requests in flight."""
from __future__ import annotations

import importlib.util
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location("rasad_bench_sitegen",
                                               Path(__file__).resolve().parents[2] / "bench" / "sitegen.py")
sitegen = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(sitegen)


class BigSite:
    def __init__(self, articles: int, article_delay: float = 0.0, feed_rewrite=None):
        self.articles = articles
        self.article_delay = article_delay
        self.feed_rewrite = feed_rewrite     # callable(feed xml) -> feed xml, e.g. to add off-site links
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        base = sitegen.make_handler(articles)
        site = self

        class Handler(base):
            def do_GET(self):
                with site.lock:
                    site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if self.path.startswith("/archives/") and site.article_delay:
                    time.sleep(site.article_delay)
                return super().do_GET()

            def _send(self, status, body, ctype):
                if site.feed_rewrite and "rss" in ctype:
                    body = site.feed_rewrite(body)
                return super()._send(status, body, ctype)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def article_hits(self) -> dict[str, int]:
        with self.lock:
            return {p: n for p, n in self.hits.items() if p.startswith("/archives/")}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
