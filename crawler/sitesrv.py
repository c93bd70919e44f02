"""A small threaded HTTP server for *saved-style* copies of news sites.

The real outlets cannot be reached from tests or from ``rasad demo``, so each
outlet is represented by a directory of saved pages which this server serves on
``127.0.0.1`` (stdlib only: :mod:`http.server`).

Usage::

    with SiteServer(Path("tests/fixtures/sites/geiroon")) as srv:
        urllib.request.urlopen(srv.base_url + "/feed/")
        srv.hits   # [{"method": "GET", "path": "/feed/", "query": "", "headers": {...}, "status": 200, ...}]

    servers = serve_sites({"geiroon": p1, "faulty": p2})   # one port per site, all started

    python -m crawler.sitesrv tests/fixtures/sites          # serve every site until Ctrl-C

Site directory format
---------------------
``_site.json``
    ``{"origin": "https://geiroon.net", "aliases": ["https://www.geiroon.net", "http://geiroon.net"]}``.
    Saved pages keep the outlet's REAL absolute URLs.  For text-ish responses
    (html, xml, json, txt, rss, js) the body bytes are rewritten so the origin
    and every alias point at the server's ``base_url``; also rewritten are the
    JSON-escaped form (``https:\\/\\/geiroon.net``), the percent-encoded form
    used in share links (``https%3A%2F%2Fgeiroon.net``) and the protocol-relative
    form (``//geiroon.net``).  Replacement is byte-level, so windows-1256 pages
    keep their encoding.

URL path -> file
    ``/`` -> ``index.html``; ``/a/b/`` and ``/a/b`` -> ``a/b/index.<ext>`` or
    ``a/b.<ext>`` (in that order; ``ext`` one of html, xml, json, txt, rss),
    or the file ``a/b`` itself if it exists (e.g. ``/robots.txt``,
    ``/wp-sitemap.xml``, images).  Percent-encoded path segments are decoded as
    UTF-8 for the lookup (directory names on disk are raw Arabic).  Names
    starting with ``_`` are never served.

Query strings
    A file may carry required query parameters in its name, after ``@``:
    ``feed/index@paged=2.xml``, ``wp-json/wp/v2/posts@page=2.json``,
    ``index@p=175201.html``, several joined by ``&`` (values may be
    percent-encoded, e.g. ``index@rest_route=%2Fwp%2Fv2%2Fposts.json``).  A
    candidate file matches when ALL its parameters are present in the request
    with equal values (other request parameters are ignored); the candidate
    with the most parameters wins; a file without parameters matches any query.

``_headers.json``
    ``{"/path": {"Content-Type": "...", "X-WP-TotalPages": "2", "Last-Modified": "..."}}``
    Extra/overriding response headers (origin URLs in values are rewritten).  ``Content-Type`` defaults from the
    extension (html -> ``text/html; charset=utf-8``; xml -> ``application/rss+xml``
    for feeds, else ``application/xml``; json -> ``application/json; charset=UTF-8``;
    txt -> ``text/plain; charset=utf-8``).  A fixed ``Last-Modified`` replaces
    the file mtime (also for If-Modified-Since).

Caching
    Every 200 carries ``ETag`` (sha1 of the served bytes, quoted) and
    ``Last-Modified``; ``If-None-Match`` (preferred) and ``If-Modified-Since``
    are honoured with ``304`` and an empty body.

``_redirects.json``
    ``{"/?p=123": "/archives/123", "/old/": "/new/"}`` -> ``301`` with
    ``Location`` on the server's base_url (absolute targets on the origin are
    rewritten too).  Checked before files.

``_faults.json``
    ``{"/path": {...}}`` with any of:
    ``"sequence": [500, 200]`` (n-th request gets the n-th status; ``200`` means
    serve normally, ``"drop"`` drops; after the list is used up: normal),
    ``"delay": 3.0`` (sleep seconds before answering),
    ``"status": 404`` (always answer that status with a small error page),
    ``"truncate": 2000`` (send only the first N bytes of the body, declaring
    Content-Length N: a truncated saved page, not a broken connection),
    ``"drop": true`` (close the connection without any response).
    ``reset_faults()`` restarts the sequences.

Keys of the three JSON maps
    A key matches the request path (percent-decoding and a trailing slash are
    ignored); if the key has a query string, all of its parameters must be in
    the request too.  The most specific matching key wins.

Everything (files and the ``_*.json`` maps) is read from disk on every request,
so tests can add or change files while the server runs.  A missing file gets a
404 with a small WordPress-like "page not found" page.  ``HEAD`` is supported.
Requests are not logged to stderr unless ``RASAD_SITESRV_LOG=1``.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import os
import pathlib
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["SiteServer", "serve_sites"]

EXTS = ("html", "xml", "json", "txt", "rss")
TEXTISH = ("html", "xml", "json", "text/", "rss", "javascript", "csv")

_DEFAULT_CT = {
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "xml": "application/xml; charset=UTF-8",
    "rss": "application/rss+xml; charset=UTF-8",
    "json": "application/json; charset=UTF-8",
    "txt": "text/plain; charset=utf-8",
    "css": "text/css",
    "js": "application/javascript",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "ico": "image/x-icon",
}


def _split_name(name: str) -> tuple[str, dict[str, str], str] | None:
    """'index@paged=2.xml' -> ('index', {'paged': '2'}, 'xml'); no extension -> None."""
    if "@" in name:
        base, rest = name.split("@", 1)
        if "." not in rest:
            return None
        qs, ext = rest.rsplit(".", 1)
        params = dict(urllib.parse.parse_qsl(qs, keep_blank_values=True))
        return base, params, ext.lower()
    if "." not in name:
        return None
    base, ext = name.rsplit(".", 1)
    return base, {}, ext.lower()


def _params_match(required: dict[str, str], query: dict[str, list[str]]) -> bool:
    return all(k in query and v in query[k] for k, v in required.items())


def _norm_path(p: str) -> str:
    p = urllib.parse.unquote(p, encoding="utf-8", errors="replace")
    if len(p) > 1:
        p = p.rstrip("/") or "/"
    return p or "/"


def _lookup_map(mapping: dict[str, Any], path: str, query: dict[str, list[str]]) -> tuple[str, Any] | None:
    """Most specific key of a _faults/_headers/_redirects map matching the request."""
    want = _norm_path(path)
    best: tuple[int, str, Any] | None = None
    for key, value in mapping.items():
        kpath, _, kqs = key.partition("?")
        if _norm_path(kpath) != want:
            continue
        req = dict(urllib.parse.parse_qsl(kqs, keep_blank_values=True))
        if not _params_match(req, query):
            continue
        if best is None or len(req) > best[0]:
            best = (len(req), key, value)
    return None if best is None else (best[1], best[2])


def _read_json(path: pathlib.Path) -> dict:
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
        return data if isinstance(data, dict) else {}
    except FileNotFoundError:
        return {}


_NOT_FOUND = """<!DOCTYPE html>
<html dir="rtl" lang="ar">
<head>
<meta charset="UTF-8">
<title>الصفحة غير موجودة - {name}</title>
<meta name="robots" content="noindex, follow">
</head>
<body class="error404 wp-theme">
<div id="tie-wrapper"><div class="container-404">
<h2>404 :(</h2>
<h3>عذراً، الصفحة التي تبحث عنها غير موجودة.</h3>
<p>Oops! That page can&rsquo;t be found.</p>
<p><a href="{base}/">العودة إلى الصفحة الرئيسية</a></p>
</div></div>
</body>
</html>
"""

_ERROR = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{code} {reason}</title></head>
<body><h1>{code} {reason}</h1><p>{msg}</p><hr><address>nginx</address></body></html>
"""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: "SiteServer"

    def handle_error(self, request, client_address):  # quiet: clients time out / go away on purpose
        if os.environ.get("RASAD_SITESRV_LOG"):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after a minute
    server_version = "nginx"
    sys_version = ""

    # -- plumbing -------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        if os.environ.get("RASAD_SITESRV_LOG"):
            sys.stderr.write("sitesrv %s - %s\n" % (self.address_string(), format % args))

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _record(self, status: int | None) -> None:
        site: SiteServer = self.server.site  # type: ignore[attr-defined]
        path, _, query = self.path.partition("?")
        site._add_hit({
            "method": self.command,
            "path": path,
            "query": query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "status": status,
            "time": time.time(),
        })

    def _send(self, status: int, headers: dict[str, str], body: bytes, head: bool) -> None:
        self._record(status)  # before the client can see the response, so tests never race
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _drop(self) -> None:
        self._record(None)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _error(self, code: int, head: bool, extra: dict[str, str] | None = None) -> None:
        site: SiteServer = self.server.site  # type: ignore[attr-defined]
        if code == 404:
            body = _NOT_FOUND.format(name=html.escape(site.root.name), base=site.base_url).encode()
        else:
            reason = self.responses.get(code, ("Error",))[0]
            body = _ERROR.format(code=code, reason=reason, msg=reason).encode()
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if code >= 500 or code in (403, 429):
            headers["Cache-Control"] = "no-store"
        headers.update(extra or {})
        self._send(code, headers, body, head)

    # -- main -----------------------------------------------------------
    def _serve(self, head: bool) -> None:
        site: SiteServer = self.server.site  # type: ignore[attr-defined]
        raw_path, _, raw_query = self.path.partition("?")
        if raw_path.startswith(("http://", "https://")):  # absolute-form request line
            raw_path = urllib.parse.urlsplit(raw_path).path or "/"
        raw_query = raw_query.split("#", 1)[0]
        query: dict[str, list[str]] = {}
        for k, v in urllib.parse.parse_qsl(raw_query, keep_blank_values=True):
            query.setdefault(k, []).append(v)

        # faults
        faults = _read_json(site.root / "_faults.json")
        hit = _lookup_map(faults, raw_path, query)
        truncate: int | None = None
        if hit is not None:
            key, spec = hit
            spec = spec or {}
            if spec.get("delay"):
                time.sleep(float(spec["delay"]))
            if "sequence" in spec:
                n = site._next_count(key)
                seq = spec["sequence"]
                if n < len(seq):
                    step = seq[n]
                    if step == "drop":
                        return self._drop()
                    if int(step) != 200:
                        return self._error(int(step), head)
            if spec.get("drop"):
                return self._drop()
            if spec.get("status") and int(spec["status"]) != 200:
                return self._error(int(spec["status"]), head)
            if spec.get("truncate") is not None:
                truncate = int(spec["truncate"])

        # redirects
        redirects = _read_json(site.root / "_redirects.json")
        hit = _lookup_map(redirects, raw_path, query)
        if hit is not None:
            target = site._rewrite(str(hit[1]).encode("utf-8")).decode("utf-8")
            if target.startswith("/"):
                target = site.base_url + target
            return self._send(301, {"Location": target, "Content-Type": "text/html; charset=utf-8"}, b"", head)

        # file
        found = site._resolve(raw_path, query)
        if found is None:
            return self._error(404, head)
        fpath, ext = found
        try:
            body = fpath.read_bytes()
            mtime = fpath.stat().st_mtime
        except OSError:
            return self._error(404, head)

        headers: dict[str, str] = {"Content-Type": _DEFAULT_CT.get(ext, "application/octet-stream")}
        if ext == "xml" and (b"<rss" in body[:2000] or "feed" in raw_path):
            headers["Content-Type"] = "application/rss+xml; charset=UTF-8"
        hmap = _read_json(site.root / "_headers.json")
        hit = _lookup_map(hmap, raw_path, query)
        if hit is not None:
            for k, v in (hit[1] or {}).items():  # header values are rewritten too (Link: <origin/...>)
                headers[str(k)] = site._rewrite(str(v).encode("utf-8")).decode("utf-8", "replace")
        ctype = headers.get("Content-Type", "").lower()
        if any(t in ctype for t in TEXTISH):
            body = site._rewrite(body)
        if truncate is not None:
            body = body[:truncate]

        etag = '"%s"' % hashlib.sha1(body).hexdigest()
        last_mod = headers.get("Last-Modified") or email.utils.formatdate(mtime, usegmt=True)
        headers["ETag"] = etag
        headers["Last-Modified"] = last_mod

        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            not_modified = "*" in tags or any(t.removeprefix("W/") == etag for t in tags)
        elif ims is not None:
            try:
                ims_t = email.utils.parsedate_to_datetime(ims).timestamp()
                lm_t = email.utils.parsedate_to_datetime(last_mod).timestamp()
                not_modified = int(lm_t) <= int(ims_t)
            except (TypeError, ValueError, IndexError, OverflowError):
                not_modified = False
        if not_modified:
            keep = {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified", "Cache-Control")}
            self._record(304)
            self.send_response(304)
            for k, v in keep.items():
                self.send_header(k, v)
            self.end_headers()
            return
        self._send(200, headers, body, head)


class SiteServer:
    """Serve one saved-style site directory (see module docstring) on its own port."""

    def __init__(self, root: pathlib.Path, host: str = "127.0.0.1", port: int = 0):
        self.root = pathlib.Path(root).resolve()
        self.host = host
        self.port = port
        self.base_url = ""
        self.hits: list[dict] = []
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------
    def start(self) -> "SiteServer":
        if self._httpd is not None:
            return self
        httpd = _Server((self.host, self.port), _Handler)
        httpd.site = self
        self._httpd = httpd
        host, port = httpd.server_address[:2]
        self.port = port
        self.base_url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"sitesrv-{self.root.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "SiteServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"SiteServer({str(self.root)!r}, base_url={self.base_url!r})"

    def reset_faults(self) -> None:
        with self._lock:
            self._counts.clear()

    # -- helpers used by the handler ------------------------------------
    def _add_hit(self, hit: dict) -> None:
        with self._lock:
            self.hits.append(hit)

    def _next_count(self, key: str) -> int:
        with self._lock:
            n = self._counts.get(key, 0)
            self._counts[key] = n + 1
            return n

    def _origins(self) -> list[str]:
        cfg = _read_json(self.root / "_site.json")
        origins = [cfg.get("origin")] + list(cfg.get("aliases") or [])
        return [o.rstrip("/") for o in origins if o]

    def _rewrite(self, body: bytes) -> bytes:
        origins = self._origins()
        if not origins or not self.base_url:
            return body
        base = self.base_url.encode("ascii")
        base_json = base.replace(b"/", b"\\/")
        base_pct = urllib.parse.quote(self.base_url, safe="").encode("ascii")
        base_rel = base.split(b":", 1)[1]  # //127.0.0.1:port
        tail = rb"(?![A-Za-z0-9\-]|\.[A-Za-z0-9])"
        hosts: list[bytes] = []
        for o in sorted(origins, key=len, reverse=True):
            ob = o.encode("ascii")
            hosts.append(ob.split(b":", 1)[1])
            body = re.sub(re.escape(ob) + tail, lambda m: base, body)
            body = re.sub(re.escape(ob.replace(b"/", b"\\/")) + tail, lambda m: base_json, body)
            pct = urllib.parse.quote(o, safe="").encode("ascii")
            body = re.sub(re.escape(pct) + tail, lambda m: base_pct, body, flags=re.I)
        for h in sorted(set(hosts), key=len, reverse=True):  # protocol-relative //host
            body = re.sub(rb"(?<![:A-Za-z0-9])" + re.escape(h) + tail, lambda m: base_rel, body)
            hj = h.replace(b"/", b"\\/")
            body = re.sub(rb"(?<![:A-Za-z0-9])" + re.escape(hj) + tail,
                          lambda m: base_rel.replace(b"/", b"\\/"), body)
        return body

    def _resolve(self, raw_path: str, query: dict[str, list[str]]) -> tuple[pathlib.Path, str] | None:
        path = urllib.parse.unquote(raw_path, encoding="utf-8", errors="replace")
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") or p.startswith("_") or "\\" in p for p in parts):
            return None
        root = self.root
        # exact file (robots.txt, wp-sitemap.xml, images ...)
        if parts and not path.endswith("/"):
            exact = root.joinpath(*parts)
            if exact.is_file():
                ext = parts[-1].rsplit(".", 1)[-1].lower() if "." in parts[-1] else ""
                return exact, ext
        candidates: list[tuple[int, int, pathlib.Path, str]] = []
        places: list[tuple[pathlib.Path, str]] = [(root.joinpath(*parts), "index")]
        if parts:
            places.append((root.joinpath(*parts[:-1]), parts[-1]))
        for order, (directory, stem) in enumerate(places):
            if not directory.is_dir():
                continue
            for entry in directory.iterdir():
                if not entry.is_file() or entry.name.startswith("_"):
                    continue
                split = _split_name(entry.name)
                if split is None:
                    continue
                base, params, ext = split
                if base != stem or ext not in EXTS:
                    continue
                if _params_match(params, query):
                    candidates.append((len(params), -order, entry, ext))
        if not candidates:
            return None
        candidates.sort(key=lambda c: (c[0], c[1], -EXTS.index(c[3])), reverse=True)
        _, _, entry, ext = candidates[0]
        return entry, ext


def serve_sites(roots: dict[str, pathlib.Path]) -> dict[str, SiteServer]:
    """Start one SiteServer (own port) per site; returns {name: started server}."""
    servers: dict[str, SiteServer] = {}
    try:
        for name, root in roots.items():
            servers[name] = SiteServer(pathlib.Path(root)).start()
    except BaseException:
        for srv in servers.values():
            srv.stop()
        raise
    return servers


def _main(argv: list[str]) -> int:
    top = pathlib.Path(argv[0] if argv else "tests/fixtures/sites")
    roots = {p.name: p for p in sorted(top.iterdir()) if (p / "_site.json").is_file()}
    servers = serve_sites(roots)
    for name, srv in servers.items():
        origin = _read_json(srv.root / "_site.json").get("origin", "")
        print(f"{name:15s} {srv.base_url}   ({origin})", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for srv in servers.values():
            srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
