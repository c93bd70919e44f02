"""`rasad extract FILE_OR_URL... [--url URL] [--explain] [--theme T]`.

One input -> one JSON object (indented). Several inputs -> JSON Lines, each with a "file" key.
Files ending in .gz are decompressed transparently. http(s) arguments are fetched with urllib
(20 s timeout). A failing input yields {"file": ..., "error": ...} and exit code 1 at the end.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import urllib.request
from email.message import Message
from pathlib import Path

from .core import extract
from .model import ExtractionError

USER_AGENT = "rasad-extract/0.1"


def _fetch(url: str) -> tuple[bytes, str | None, str]:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
    with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 - http(s) only, checked by caller
        body = resp.read()
        if resp.headers.get("Content-Encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        msg: Message = resp.headers
        return body, msg.get_content_charset(), resp.geturl()


def _read(arg: str) -> tuple[bytes, str | None, str]:
    if arg.startswith(("http://", "https://")):
        return _fetch(arg)
    path = Path(arg)
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data, None, path.resolve().as_uri()


def _one(arg: str, args) -> dict:
    body, charset, default_url = _read(arg)
    url = args.url or default_url
    result = extract(body, url, encoding=charset, theme=args.theme, tz=args.tz)
    data = result.to_dict()
    if not args.explain:
        data.pop("provenance", None)
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasad extract", description="Extract article fields from saved pages or URLs.")
    ap.add_argument("inputs", nargs="+", metavar="FILE_OR_URL")
    ap.add_argument("--url", help="the page's URL (for files; resolves relative links, post ids)")
    ap.add_argument("--explain", action="store_true", help="include provenance: which layer found each field")
    ap.add_argument("--theme", help="site family hint: jannah, newspaper, sahifa, jnews, voice, amp")
    ap.add_argument("--tz", default="Asia/Damascus", help="zone for dates printed without one")
    args = ap.parse_args(argv)
    status = 0
    single = len(args.inputs) == 1
    out = sys.stdout
    for arg in args.inputs:
        try:
            data = _one(arg, args)
        except (ExtractionError, OSError, ValueError, EOFError, gzip.BadGzipFile) as exc:
            status = 1
            record = {"file": arg, "error": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        if single:
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(json.dumps({"file": arg, **data}, ensure_ascii=False) + "\n")
        out.flush()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
