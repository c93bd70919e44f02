"""``rasad match``: JSON Lines in, JSON Lines out.

    rasad match [--watch NAME] [--config rasad.toml] [--all-candidates] < in.jsonl > out.jsonl

Watches come from --config PATH, else the ``config`` argument (the parsed rasad.toml the
caller passes), else crawler.config.get_config() (RASAD_CONFIG or ./rasad.toml); with no
[watches] table the built-in default "deir-ez-zor" is used.
Input lines: {"id": ..., "title": ..., "text": ..., "lead": ... (optional)}.
Output, one line per valid input line (in order):
    {"id", "watches": [names of matching watches], "places": [{"name_ar", "name_en", "level",
     "pcode", "span", "field", "matched"}...], "score"}
plus "candidates" (every candidate with accepted/evidence/rule) with --all-candidates.
"span" is [start, end) on the original string of "field".
--watch NAME evaluates only that watch (unknown name: one-line error, exit 2).
A bad line (invalid JSON, not an object, no "id", non-string title/lead/text) is reported on
stderr with its line number and skipped; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from typing import IO

from .matcher import Matcher
from .watch import load_watches

PROG = "rasad match"


def _project_config() -> dict | None:
    """The operator's rasad.toml through crawler.config (RASAD_CONFIG or ./rasad.toml)."""
    try:
        from crawler.config import get_config
    except ImportError:
        return None
    return get_config().raw


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Match articles (JSON Lines on stdin) "
                                "against the Deir ez-Zor gazetteer and the configured watches.")
    p.add_argument("--watch", metavar="NAME", help="evaluate only this watch")
    p.add_argument("--config", metavar="PATH", help="rasad.toml to read [watches] from")
    p.add_argument("--all-candidates", action="store_true",
                   help="also output rejected candidates with their evidence")
    return p


def main(argv: list[str] | None = None, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout,
         config: dict | None = None, stderr: IO[str] | None = None) -> int:
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "match":
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:   # argparse already printed the message
        return int(e.code or 0)
    try:
        if args.config:
            with open(args.config, "rb") as f:
                config = tomllib.load(f)
        elif config is None:
            config = _project_config()
        watches = load_watches((config or {}).get("watches"))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as e:
        print(f"{PROG}: config error: {e}", file=err)
        return 2
    if args.watch:
        watches = [w for w in watches if w.name == args.watch]
        if not watches:
            print(f"{PROG}: unknown watch {args.watch!r}", file=err)
            return 2
    matcher = Matcher.default()
    skipped = 0
    for lineno, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"{PROG}: line {lineno}: invalid JSON: {e.msg}", file=err)
            skipped += 1
            continue
        problem = None
        if not isinstance(item, dict):
            problem = "not a JSON object"
        elif "id" not in item:
            problem = 'missing "id"'
        else:
            for k in ("title", "lead", "text"):
                if item.get(k) is not None and not isinstance(item[k], str):
                    problem = f'"{k}" is not a string'
                    break
        if problem:
            print(f"{PROG}: line {lineno}: {problem}", file=err)
            skipped += 1
            continue
        title, lead, text = (item.get(k) or "" for k in ("title", "lead", "text"))
        res = matcher.match(title=title, lead=lead, text=text)
        out = {"id": item["id"],
               "watches": [w.name for w in watches if w.matches(res, title=title, lead=lead, text=text)],
               "places": [m.to_dict() for m in res.places],
               "score": res.score}
        if args.all_candidates:
            out["candidates"] = [m.to_dict(details=True) for m in res.candidates]
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    if skipped:
        print(f"{PROG}: {skipped} line(s) skipped", file=err)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
