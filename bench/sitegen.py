"""A generated WordPress-like news site (Jannah markup) of N articles, served on 127.0.0.1.

    python bench/sitegen.py --articles 2000 --port 0      # prints "listening on http://127.0.0.1:PORT"

Pages are generated on request (deterministic from the article number): /robots.txt,
/feed/?paged=N (RSS, PER_PAGE items a page, newest first), /archives/<id> (a full Jannah page
with JSON-LD, ~600 words of Arabic text, theme chrome, related posts and comments).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PER_PAGE = 50
WORDS = ("قالت مصادر محلية إن قوات عسكرية انتشرت في ريف دير الزور الشرقي بعد اشتباكات مع خلايا "
         "مسلحة قرب بلدة الشحيل على ضفة نهر الفرات وأكد ناشطون أن الأهالي طالبوا بفتح المعابر "
         "وتحسين الخدمات في مدينة الميادين والبوكمال حيث ارتفعت أسعار الخبز والمحروقات خلال الأسبوع "
         "الماضي وذكرت شبكة محلية أن دورية مشتركة وصلت إلى حقل العمر النفطي وسط تحليق للطيران").split()
BASE_TIME = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def article_time(n: int) -> dt.datetime:
    return BASE_TIME + dt.timedelta(minutes=7 * n)


def paragraphs(n: int) -> list[str]:
    rnd = random.Random(n)
    return [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(40, 70))) + "." for _ in range(10)]


def article_page(origin: str, n: int) -> str:
    when = article_time(n).isoformat()
    title = f"تقرير رقم {n}: تطورات ميدانية في ريف دير الزور"
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs(n))
    related = "".join(f'<li><a href="{origin}/archives/{m}">خبر ذو صلة {m}</a></li>' for m in range(max(1, n - 3), n))
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="UTF-8"><title>{title} - موقع تجريبي</title>
<link rel="canonical" href="{origin}/archives/{n}"><link rel="shortlink" href="{origin}/?p={n}">
<meta property="og:title" content="{title}"><meta property="og:type" content="article">
<script id="tie-schema-json" type="application/ld+json">{{"@context":"http://schema.org","@type":"Article",
"headline":"{title}","datePublished":"{when}","dateModified":"{when}","author":{{"@type":"Person","name":"مراسل الموقع"}},
"articleSection":"أخبار","keywords":"دير الزور,الفرات"}}</script></head>
<body class="post-template-default single single-post postid-{n}">
<header id="theme-header"><nav><ul><li><a href="{origin}/">الرئيسية</a></li><li><a href="{origin}/archives/category/1">أخبار</a></li></ul></nav></header>
<div id="content"><article id="the-post" class="container-wrapper post-content">
<header class="entry-header-outer"><div class="entry-header"><span class="post-cat-wrap"><a class="post-cat" href="{origin}/archives/category/1">أخبار</a></span>
<h1 class="post-title entry-title">{title}</h1>
<div class="post-meta"><span class="meta-author"><a class="author-name" href="{origin}/archives/author/a">مراسل الموقع</a></span>
<span class="date meta-item">منذ ساعتين</span></div></div></header>
<div class="entry-content entry clearfix">
{body}</div>
<div class="post-bottom-tags"><span class="tagcloud"><a href="{origin}/archives/tag/d">دير الزور</a></span></div>
<div class="share-links"><a class="facebook-share-btn" href="#">فيسبوك</a><a href="#">تويتر</a></div>
</article>
<div id="related-posts" class="container-wrapper"><div class="mag-box-title"><h3>مقالات ذات صلة</h3></div><ul>{related}</ul></div>
<div id="comments"><ol class="commentlist"><li><p>تعليق من قارئ على الخبر.</p></li></ol></div>
</div>
<div id="check-also-box"><a id="check-also-close" href="#">إغلاق</a></div>
<footer id="footer"><p>جميع الحقوق محفوظة</p></footer></body></html>"""


def outlet_toml(base: str) -> str:
    """The rasad.toml table of an outlet served by this site at ``base`` (the benchmarks' config)."""
    return f"""[outlets.benchsite]
name = "Bench site"
base_url = "{base}"
domains = ["127.0.0.1"]
theme = "jannah"
discovery = ["feed"]
feeds = ["/feed/"]
founded = "2020-01-01"
"""


def feed_page(origin: str, total: int, page: int) -> str | None:
    newest = total - (page - 1) * PER_PAGE
    if newest < 1:
        return None
    items = []
    for n in range(newest, max(0, newest - PER_PAGE), -1):
        items.append(f"<item><title>تقرير رقم {n}</title><link>{origin}/archives/{n}</link>"
                     f'<guid isPermaLink="false">{origin}/?p={n}</guid>'
                     f"<pubDate>{format_datetime(article_time(n))}</pubDate></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>موقع تجريبي</title>'
            f"<link>{origin}</link>{''.join(items)}</channel></rss>")


def make_handler(total: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: str, ctype: str):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            parts = urlsplit(self.path)
            origin = f"http://{self.headers.get('Host')}"
            if parts.path == "/robots.txt":
                return self._send(200, "User-agent: *\nDisallow: /wp-admin/\n", "text/plain")
            if parts.path.rstrip("/") == "/feed":
                page = int(parse_qs(parts.query).get("paged", ["1"])[0])
                body = feed_page(origin, total, page)
                if body is None:
                    return self._send(404, "<html><body>not found</body></html>", "text/html")
                return self._send(200, body, "application/rss+xml; charset=UTF-8")
            if parts.path.startswith("/archives/"):
                tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
                if tail.isdigit() and 1 <= int(tail) <= total:
                    return self._send(200, article_page(origin, int(tail)), "text/html; charset=UTF-8")
            return self._send(404, "<html><body>not found</body></html>", "text/html")

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.articles))
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
