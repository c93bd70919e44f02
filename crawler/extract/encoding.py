"""Robust decoding of HTML bytes: BOM, HTTP charset (may be wrong), <meta charset>, verification."""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers treat as windows-1252/1256 and friends (WHATWG): ISO-8859-1 means cp1252.
_ALIASES = {
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252", "windows-1256": "cp1256", "cp1256": "cp1256", "x-user-defined": "cp1252",
    "arabic": "iso8859-6", "utf8": "utf-8",
}


def normalise_charset(name: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def sniff_meta_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def _try(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        # Truncated download: a multi-byte character cut at the very end.
        if codec == "utf-8" and exc.start >= len(body) - 3 and exc.reason in (
            "unexpected end of data", "invalid continuation byte"
        ):
            return body[: exc.start].decode("utf-8", "strict")
        return None
    except LookupError:
        return None


def decode_html(body: bytes | str, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, codec used, warnings)."""
    if isinstance(body, str):
        return body, "str", []
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = body[len(bom):].decode(codec, "replace")
            return text, codec, warnings
    http = normalise_charset(declared)
    meta_label = sniff_meta_charset(body)
    meta = normalise_charset(meta_label)
    if meta in ("utf-16-le", "utf-16-be", "utf-16", "utf-32"):
        meta = "utf-8"  # a meta tag readable as ASCII cannot be in UTF-16
    said = http or meta
    # UTF-8 verification first: legacy single-byte Arabic text is essentially never valid UTF-8.
    text = _try(body, "utf-8")
    if text is not None:
        if said and said != "utf-8" and not body.isascii():
            warnings.append(f"encoding: declared {declared or meta_label} but decoded as utf-8")
        return text, "utf-8", warnings
    tried = []
    for codec in (http, meta, "cp1256"):
        if not codec or codec in tried or codec == "utf-8":
            continue
        tried.append(codec)
        text = _try(body, codec)
        if text is not None:
            if said and codec != said:
                warnings.append(
                    f"encoding: declared {declared or meta_label} but decoded as {_label(codec)}"
                )
            elif not said:
                warnings.append(f"encoding: none declared, decoded as {_label(codec)}")
            return text, codec, warnings
    warnings.append("encoding: undecodable bytes replaced (utf-8)")
    return body.decode("utf-8", "replace"), "utf-8", warnings


def _label(codec: str) -> str:
    return {"cp1256": "windows-1256", "cp1252": "windows-1252"}.get(codec, codec)
