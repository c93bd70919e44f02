"""URL canonicalisation and exact-duplicate keys.

Two pages are the same article when their canonical URLs are equal, or when an outlet serves
the same normalised body under a second URL. Near-duplicates across outlets (stories) build
on this module.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that never change what page is served.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
    "igshid", "ref", "ref_src", "_ga", "_gl", "amp", "amp;", "output", "s_cid", "share",
    "mibextid", "twclid",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SUFFIX = re.compile(r"/amp/?$")


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
    path = _AMP_SUFFIX.sub("/", parts.path or "/")
    return canonicalize_url(urlunsplit((scheme, netloc, path, urlencode(query), "")), keep_fragments=False)


def url_key(url: str) -> str:
    """What identifies an article URL: its canonical form without scheme, ``www.`` or trailing
    slash (outlets serve the same post under all of these)."""
    canonical = canonicalize(url)
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https"):
        return canonical
    netloc = parts.netloc[4:] if parts.netloc.startswith("www.") else parts.netloc
    path = parts.path.rstrip("/") or "/"
    return netloc + path + (f"?{parts.query}" if parts.query else "")


_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")
_SPACE = re.compile(r"\s+")


def normalized_body(text: str) -> str:
    """Text reduced to what makes two bodies 'the same': forms, marks and spacing ignored."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip().casefold()
