"""URL canonicalisation and exact-duplicate keys.

Two pages are the same article when their canonical URLs are equal, when they are the same
WordPress post of the same site (``?p=ID`` shortlink, ``postid-ID`` body class, REST API
``/wp-json/wp/v2/posts/ID``), or when an outlet serves the same normalised body under a second
URL. Near-duplicates across outlets (stories) live in :mod:`crawler.neardup` and
:mod:`storage.stories`.

Rules, in one place:

* scheme and host lower-cased, trailing dot and default port (80/443) dropped, fragment dropped;
* tracking parameters dropped (``utm_*``, ``fbclid``, ``gclid`` ... see ``TRACKING_PARAMS``);
* query sorted, percent-encoding unified (raw Arabic, ``%d8`` and ``%D8`` slugs are one URL);
* AMP variants folded: ``/amp/`` suffix, ``/amp/`` prefix, ``?amp``, ``?amp=1``;
* :func:`url_key` also ignores ``http``/``https``, ``www.`` and a trailing slash, and keys every
  WordPress post URL (``?p=ID`` on the site root or ``index.php``, the REST URL of the post) as
  the site's shortlink ``host/?p=ID``;
* ``rel=canonical`` is used only when sane (:func:`choose_canonical`): same site and not the
  home page.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that never change what page is served.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
    "igshid", "ref", "ref_src", "_ga", "_gl", "amp", "amp;", "output", "s_cid", "share",
    "mibextid", "twclid",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SUFFIX = re.compile(r"/amp/?$")
_AMP_PREFIX = re.compile(r"^/amp(?=/[^/])")
_WP_REST_POST = re.compile(r"^/(?:index\.php/)?wp-json/wp/v2/posts/(\d+)/?$")
_SITE_PREFIXES = ("www.", "amp.", "m.")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMS


def canonicalize(url: str) -> str:
    """The article URL as rasad stores and shows it.

    Lowercase scheme and host, no default port, no fragment, no tracking parameters, sorted
    query, one percent-encoding of Arabic slugs (upper-case hex, as w3lib writes it), and no
    AMP variant (``/amp/`` suffix or ``?amp``). Scheme and path are otherwise kept as served.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = _AMP_PREFIX.sub("", _AMP_SUFFIX.sub("/", parts.path or "/"))
    return canonicalize_url(urlunsplit((scheme, netloc, path, urlencode(query), "")), keep_fragments=False)


def url_key(url: str) -> str:
    """What identifies an article URL: its canonical form without scheme, ``www.`` or trailing
    slash (outlets serve the same post under all of these)."""
    canonical = canonicalize(url)
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https"):
        return canonical
    netloc = parts.netloc[4:] if parts.netloc.startswith("www.") else parts.netloc
    post_id = wp_post_id(canonical)
    if post_id:  # the same post under www./amp./m. hosts: one key
        return f"{site_host(canonical)}/?p={post_id}"
    path = parts.path.rstrip("/") or "/"
    return netloc + path + (f"?{parts.query}" if parts.query else "")


def wp_post_id(url: str) -> str | None:
    """The WordPress post ID a URL names by itself: ``/?p=ID`` (site root or ``index.php``,
    whatever else is in the query) or the REST URL ``/wp-json/wp/v2/posts/ID``. Permalinks
    don't name it; for them the extractor reads ``rel=shortlink`` / ``postid-ID`` into
    ``Article.post_id``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    path = parts.path or "/"
    if path in ("/", "/index.php"):
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name == "p" and value.isdigit() and value.strip("0"):
                return value.lstrip("0")
        return None
    m = _WP_REST_POST.match(path)
    if m is None:
        return None
    return m.group(1).lstrip("0") or None


def site_host(url: str) -> str:
    """The host that names a site: lower-case, without ``www.``/``amp.``/``m.``, with its port
    when it is not the default (two sites on one host are two sites)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return ""
    for prefix in _SITE_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
    if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    return host


def same_site(a: str, b: str) -> bool:
    """True when two URLs belong to one site (equal hosts, or one a subdomain of the other)."""
    ha, hb = site_host(a), site_host(b)
    return bool(ha and hb) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))


def shortlink(url: str, post_id: str | int) -> str:
    """The WordPress shortlink ``https://host/?p=ID`` of post ``post_id`` on ``url``'s site."""
    return f"https://{site_host(url)}/?p={int(post_id)}"


def post_key(url: str, post_id: str | int | None) -> str | None:
    """The (host, post ID) key of a WordPress post: equal to :func:`url_key` of its shortlink,
    so a feed's ``?p=ID`` link finds the article stored under its permalink."""
    if post_id is None or not str(post_id).strip().isdigit() or not str(post_id).strip("0 "):
        return None
    return url_key(shortlink(url, str(post_id).strip()))


_LISTING_PATH = re.compile(r"/(category|tag|author|page|feed|search|wp-json|wp-admin)(/|$)"
                           r"|[?&](s|cat|tag|author|paged)=", re.I)


def sane_canonical(url: str, candidate: str | None) -> str | None:
    """``candidate`` (rel=canonical, og:url) made absolute if it can name the article at ``url``.

    Sane: an http(s) URL on the same site (subdomains count) that is neither the site's home
    page nor a listing (category, tag, author, paging, feed, search) — theme bugs that would
    merge every article of a section into one. The one rule for crawl, extraction and import.
    """
    if not candidate:
        return None
    try:
        absolute = urljoin(url, candidate.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or not same_site(absolute, url):
        return None
    if parts.path.strip("/") == "" and not wp_post_id(absolute):
        return None
    if _LISTING_PATH.search(parts.path + ("?" + parts.query if parts.query else "")):
        return None
    return absolute


def choose_canonical(url: str, candidate: str | None) -> str:
    """``rel=canonical`` (or og:url) when sane (:func:`sane_canonical`), else the served URL;
    canonicalised."""
    return canonicalize(sane_canonical(url, candidate) or url)


_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")
_SPACE = re.compile(r"\s+")


def normalized_body(text: str) -> str:
    """Text reduced to what makes two bodies 'the same': forms, marks and spacing ignored."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip().casefold()
