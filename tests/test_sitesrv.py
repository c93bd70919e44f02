"""crawler.sitesrv: real HTTP requests against the saved-site server."""

from __future__ import annotations

import http.client
import json
import pathlib
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from crawler.sitesrv import SiteServer, serve_sites

SITES = pathlib.Path(__file__).parent / "fixtures" / "sites"
ARABIC_DIR = "دير-الزور-خبر"


def _write(root: pathlib.Path, rel: str, data) -> pathlib.Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    p.write_bytes(data)
    return p


@pytest.fixture()
def site(tmp_path: pathlib.Path):
    root = tmp_path / "site"
    _write(root, "_site.json", json.dumps({"origin": "https://example.net",
                                            "aliases": ["https://www.example.net", "http://example.net"]}))
    _write(root, "index.html", "<html>home <a href='https://example.net/archives/1'>a</a></html>")
    _write(root, "index@p=7.html", "<html>shortlink page 7</html>")
    _write(root, "robots.txt", "User-agent: *\nSitemap: https://example.net/wp-sitemap.xml\n")
    _write(root, "archives/1.html", "<html>article one</html>")
    _write(root, "a/b/index.html", "<html>dir index</html>")
    _write(root, "feed/index.xml", "<?xml version='1.0'?><rss><channel><link>https://example.net</link></channel></rss>")
    _write(root, "feed/index@paged=2.xml", "<rss>page two</rss>")
    _write(root, "wp-json/wp/v2/posts/index.json", '[{"link":"https:\\/\\/example.net\\/archives\\/1"}]')
    _write(root, "wp-json/wp/v2/posts@page=2.json", '[{"page":2}]')
    _write(root, "wp-json/wp/v2/posts@page=2&per_page=5.json", '[{"page":2,"per_page":5}]')
    _write(root, f"{ARABIC_DIR}/index.html", "<html>arabic slug</html>")
    _write(root, "rewrite.html",
           "A https://example.net/x B https://www.example.net/y C http://example.net/z "
           "D https:\\/\\/example.net\\/j E //example.net/p F https%3A%2F%2Fexample.net%2Fs "
           "G https://example.network/keep H https://notexample.net/keep")
    _write(root, "cp1256.html", "<p>دير الزور https://example.net/x</p>".encode("windows-1256"))
    _write(root, "img/logo.png", b"\x89PNG\r\n\x1a\n https://example.net/ not rewritten")
    _write(root, "_headers.json", json.dumps({
        "/cp1256.html": {"Content-Type": "text/html; charset=windows-1256"},
        "/wp-json/wp/v2/posts": {"X-WP-TotalPages": "2", "Link": '<https://example.net/wp-json/wp/v2/posts?page=2>; rel="next"'},
        "/archives/1": {"Last-Modified": "Mon, 23 Nov 2026 17:10:00 GMT"},
    }))
    _write(root, "_redirects.json", json.dumps({"/?p=1": "/archives/1", "/old/": "/a/b/",
                                                 "/abs/": "https://example.net/archives/1"}))
    _write(root, "flaky.html", "<html>finally</html>")
    _write(root, "slow.html", "<html>slow</html>")
    _write(root, "cut.html", "x" * 5000)
    _write(root, "gone.html", "<html>exists but 404</html>")
    _write(root, "_faults.json", json.dumps({
        "/flaky.html": {"sequence": [500, 503, 200]},
        "/slow.html": {"delay": 0.6},
        "/gone.html": {"status": 404},
        "/cut.html": {"truncate": 1234},
        "/dropme": {"drop": True},
        "/feed/?paged=2": {"status": 403},
    }))
    with SiteServer(root) as srv:
        yield srv


def get(srv: SiteServer, path: str, headers: dict | None = None, method: str = "GET", timeout: float = 5):
    """One raw request, no redirect following: (status, headers, body)."""
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


def test_base_url_and_start_stop(tmp_path):
    _write(tmp_path, "index.html", "hi")
    srv = SiteServer(tmp_path)
    srv.start()
    try:
        assert srv.base_url.startswith("http://127.0.0.1:") and not srv.base_url.endswith("/")
        assert urllib.request.urlopen(srv.base_url + "/").read() == b"hi"
    finally:
        srv.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(srv.base_url + "/", timeout=1)


def test_routing(site):
    assert get(site, "/")[2].startswith(b"<html>home")
    assert get(site, "/archives/1")[2] == b"<html>article one</html>"
    assert get(site, "/archives/1/")[2] == b"<html>article one</html>"
    assert get(site, "/a/b")[2] == b"<html>dir index</html>"
    assert get(site, "/a/b/")[2] == b"<html>dir index</html>"
    assert get(site, "/robots.txt")[1]["Content-Type"].startswith("text/plain")
    status, headers, _ = get(site, "/feed/")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    assert get(site, "/wp-json/wp/v2/posts")[1]["Content-Type"] == "application/json; charset=UTF-8"


def test_query_param_files(site):
    assert get(site, "/?p=7")[2] == b"<html>shortlink page 7</html>"
    assert get(site, "/?p=8")[2].startswith(b"<html>home")          # no matching param file -> plain index
    assert get(site, "/?utm_source=x")[2].startswith(b"<html>home")
    assert json.loads(get(site, "/wp-json/wp/v2/posts?page=2")[2]) == [{"page": 2}]
    assert json.loads(get(site, "/wp-json/wp/v2/posts?page=2&foo=bar")[2]) == [{"page": 2}]
    assert json.loads(get(site, "/wp-json/wp/v2/posts?per_page=5&page=2")[2]) == [{"page": 2, "per_page": 5}]
    assert b"example" not in get(site, "/wp-json/wp/v2/posts?page=1")[2]  # page=1 -> index.json (rewritten)


def test_percent_encoded_arabic_path(site):
    upper = "/" + urllib.parse.quote(ARABIC_DIR) + "/"
    lower = upper.lower()
    assert upper != lower
    assert get(site, upper)[2] == b"<html>arabic slug</html>"
    assert get(site, lower)[2] == b"<html>arabic slug</html>"
    assert get(site, upper.rstrip("/"))[0] == 200


def test_404_and_private_files(site):
    status, headers, body = get(site, "/no/such/page/")
    assert status == 404 and b"error404" in body and headers["Content-Type"].startswith("text/html")
    assert get(site, "/_site.json")[0] == 404
    assert get(site, "/_faults.json")[0] == 404
    assert get(site, "/../../etc/passwd")[0] == 404
    assert get(site, "/%2e%2e/%2e%2e/etc/passwd")[0] == 404


def test_origin_rewriting(site):
    base = site.base_url
    body = get(site, "/rewrite.html")[2].decode()
    host = base.split("//", 1)[1]
    assert f"A {base}/x " in body
    assert f"B {base}/y " in body
    assert f"C {base}/z " in body
    assert "D " + base.replace("/", "\\/") + "\\/j " in body
    assert f"E //{host}/p " in body
    assert "F " + urllib.parse.quote(base, safe="") + "%2Fs " in body
    assert "G https://example.network/keep" in body and "H https://notexample.net/keep" in body
    assert f"<a href='{base}/archives/1'>" in get(site, "/")[2].decode()
    assert json.loads(get(site, "/wp-json/wp/v2/posts")[2])[0]["link"] == base + "/archives/1"
    # byte-level: windows-1256 stays windows-1256
    status, headers, raw = get(site, "/cp1256.html")
    assert headers["Content-Type"] == "text/html; charset=windows-1256"
    assert raw.decode("windows-1256") == f"<p>دير الزور {base}/x</p>"
    # binary: untouched
    assert b"https://example.net/" in get(site, "/img/logo.png")[2]
    # header values from _headers.json are rewritten too
    h = get(site, "/wp-json/wp/v2/posts")[1]
    assert h["X-WP-TotalPages"] == "2" and h["Link"].startswith(f"<{base}/wp-json/")


def test_etag_and_if_none_match(site):
    status, headers, body = get(site, "/archives/1")
    etag = headers["ETag"]
    assert status == 200 and etag.startswith('"') and headers["Last-Modified"] == "Mon, 23 Nov 2026 17:10:00 GMT"
    status, headers2, body2 = get(site, "/archives/1", {"If-None-Match": etag})
    assert status == 304 and body2 == b"" and headers2["ETag"] == etag
    assert get(site, "/archives/1", {"If-None-Match": '"other"'})[0] == 200
    assert get(site, "/archives/1", {"If-None-Match": f'"x", W/{etag}'})[0] == 304


def test_if_modified_since(site):
    lm = "Mon, 23 Nov 2026 17:10:00 GMT"
    assert get(site, "/archives/1", {"If-Modified-Since": lm})[0] == 304
    assert get(site, "/archives/1", {"If-Modified-Since": "Tue, 24 Nov 2026 00:00:00 GMT"})[0] == 304
    assert get(site, "/archives/1", {"If-Modified-Since": "Sun, 22 Nov 2026 00:00:00 GMT"})[0] == 200
    # mtime-based Last-Modified
    status, headers, _ = get(site, "/a/b/")
    assert get(site, "/a/b/", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(site, "/a/b/", {"If-Modified-Since": "garbage"})[0] == 200


def test_changed_file_changes_etag(site):
    etag = get(site, "/a/b/")[1]["ETag"]
    _write(site.root, "a/b/index.html", "<html>dir index, updated</html>")
    status, headers, body = get(site, "/a/b/", {"If-None-Match": etag})
    assert status == 200 and body == b"<html>dir index, updated</html>" and headers["ETag"] != etag


def test_fault_sequence_and_reset(site):
    assert [get(site, "/flaky.html")[0] for _ in range(4)] == [500, 503, 200, 200]
    site.reset_faults()
    assert get(site, "/flaky.html")[0] == 500
    assert get(site, "/flaky.html")[0] == 503
    assert get(site, "/flaky.html")[2] == b"<html>finally</html>"


def test_fault_delay(site):
    t0 = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        urllib.request.urlopen(site.base_url + "/slow.html", timeout=0.2)
    assert time.monotonic() - t0 < 0.5
    t0 = time.monotonic()
    assert urllib.request.urlopen(site.base_url + "/slow.html", timeout=3).read() == b"<html>slow</html>"
    assert time.monotonic() - t0 >= 0.55


def test_fault_status_and_query_key(site):
    assert get(site, "/gone.html")[0] == 404
    assert get(site, "/feed/?paged=2")[0] == 403
    assert get(site, "/feed/?paged=2&x=1")[0] == 403
    assert get(site, "/feed/")[0] == 200


def test_fault_drop(site):
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine)):
        get(site, "/dropme")
    assert site.hits[-1]["status"] is None and site.hits[-1]["path"] == "/dropme"
    assert get(site, "/")[0] == 200  # server still fine


def test_fault_truncate(site):
    status, headers, body = get(site, "/cut.html")
    assert status == 200 and int(headers["Content-Length"]) == 1234 and body == b"x" * 1234


def test_redirects(site):
    status, headers, _ = get(site, "/?p=1")
    assert status == 301 and headers["Location"] == site.base_url + "/archives/1"
    status, headers, _ = get(site, "/old/")
    assert status == 301 and headers["Location"] == site.base_url + "/a/b/"
    assert get(site, "/abs/")[1]["Location"] == site.base_url + "/archives/1"
    r = urllib.request.urlopen(site.base_url + "/?p=1")
    assert r.url == site.base_url + "/archives/1" and r.read() == b"<html>article one</html>"


def test_head(site):
    status, headers, body = get(site, "/archives/1", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == len(b"<html>article one</html>")
    assert headers["ETag"]
    assert get(site, "/nope", method="HEAD")[0] == 404


def test_file_added_while_running(site):
    assert get(site, "/archives/2")[0] == 404
    _write(site.root, "archives/2.html", "<html>new article https://example.net/archives/2</html>")
    status, _, body = get(site, "/archives/2")
    assert status == 200 and body == f"<html>new article {site.base_url}/archives/2</html>".encode()


def test_hits_recorded(site):
    get(site, "/feed/?paged=1", {"User-Agent": "rasad-test", "If-None-Match": '"x"'})
    hit = site.hits[-1]
    assert hit["method"] == "GET" and hit["path"] == "/feed/" and hit["query"] == "paged=1"
    assert hit["headers"]["user-agent"] == "rasad-test" and hit["headers"]["if-none-match"] == '"x"'
    assert hit["status"] == 200
    get(site, "/missing")
    assert site.hits[-1]["status"] == 404


def test_serve_sites_and_fixture_sites():
    roots = {p.name: p for p in sorted(SITES.iterdir()) if (p / "_site.json").is_file()}
    assert {"geiroon", "euphratespost", "sharqsouri", "faulty"} <= set(roots)
    servers = serve_sites(roots)
    try:
        assert len({s.port for s in servers.values()}) == len(servers)
        for name, srv in servers.items():
            robots = urllib.request.urlopen(srv.base_url + "/robots.txt", timeout=3).read().decode()
            assert "Disallow: /wp-admin/" in robots and f"Sitemap: {srv.base_url}/" in robots, name
        g = servers["geiroon"]
        page = urllib.request.urlopen(g.base_url + "/archives/175204", timeout=3).read().decode()
        assert 'class="post-title entry-title">التحالف يُفشل محاولة تقدم لميليشيات النظام في دير الزور<' in page
        assert "geiroon.net" not in page.replace("facebook.com/geiroon", "").replace("twitter.com/geiroon", "").replace("t.me/geiroon", "")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(servers["euphratespost"].base_url + "/feed/", timeout=3)
        assert e.value.code == 403
    finally:
        for srv in servers.values():
            srv.stop()


def _links(xml: str, tag: str) -> list[str]:
    import re
    return re.findall(rf"<{tag}>\s*([^<\s]+)\s*</{tag}>", xml)


def test_fixture_inventory():
    """The counts promised in tests/fixtures/sites/README.md, via every discovery source."""
    roots = {n: SITES / n for n in ("geiroon", "euphratespost", "sharqsouri", "faulty")}
    servers = serve_sites(roots)

    def fetch(name, path):
        return urllib.request.urlopen(servers[name].base_url + path, timeout=3).read().decode("utf-8")
    try:
        # geiroon: 8 everywhere
        feed = _links(fetch("geiroon", "/feed/"), "link")[1:] + _links(fetch("geiroon", "/feed/?paged=2"), "link")[1:]
        api = [p["link"] for p in json.loads(fetch("geiroon", "/wp-json/wp/v2/posts"))] + \
              [p["link"] for p in json.loads(fetch("geiroon", "/wp-json/wp/v2/posts?page=2"))]
        smap = _links(fetch("geiroon", "/wp-sitemap-posts-post-1.xml"), "loc")
        assert len(set(feed)) == len(set(api)) == len(set(smap)) == 8 and set(feed) == set(api) == set(smap)
        assert all("/archives/1752" in u for u in feed)
        sample = (SITES / "_sources" / "geiroon-deir-ez-zor.txt").read_text(encoding="utf-8")
        page = fetch("geiroon", "/archives/175204")
        for para in [p.strip() for p in sample.split("\n\n") if p.strip()][2:13]:
            assert f"<p>{para}</p>" in page.replace("&quot;", '"')
        # euphratespost: 6, feed forbidden
        api = {p["link"] for p in json.loads(fetch("euphratespost", "/wp-json/wp/v2/posts"))}
        news = set(_links(fetch("euphratespost", "/news-sitemap.xml"), "loc"))
        posts = set(_links(fetch("euphratespost", "/post-sitemap.xml"), "loc")) - {servers["euphratespost"].base_url + "/"}
        assert len(api) == 6 and api == news == posts
        assert all(u.endswith("/") and "%d8%" in u for u in api)
        # sharqsouri: 5 in the feed
        feed = _links(fetch("sharqsouri", "/feed/"), "link")[1:]
        assert len(set(feed)) == 5 and all("/2026/11/" in u for u in feed)
        # faulty: 10 feed items
        assert len(_links(fetch("faulty", "/feed/"), "link")[1:]) == 10
    finally:
        for srv in servers.values():
            srv.stop()
