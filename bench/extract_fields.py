"""Field accuracy of crawler.extract on the labelled outlet-theme pages.

    .venv/bin/python bench/extract_fields.py [--verbose]

Exact match per field: title, author, published_at (same instant), section, tags (same list),
first body sentence (text starts with it), last body sentence (text ends with it), family.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from crawler.extract import extract  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "extract"
FIELDS = ["title", "author", "published_at", "section", "tags", "first_sentence", "last_sentence", "sources", "family"]


def load_labels() -> dict:
    return json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))


def run_page(name: str, label: dict):
    body = (FIXTURES / "pages" / name).read_bytes()
    now = dt.datetime.fromisoformat(label.get("now", "2026-11-27T12:00:00+03:00"))
    return extract(body, label["url"], encoding=label.get("encoding"), now=now)


def check(result, label: dict) -> dict[str, bool]:
    text = result.text or ""
    want_pub = dt.datetime.fromisoformat(label["published_at"]) if label.get("published_at") else None
    return {
        "title": result.title == label["title"],
        "author": result.author == label["author"],
        "published_at": result.published_at == want_pub,
        "section": result.section == label["section"],
        "tags": result.tags == label["tags"],
        "first_sentence": text.startswith(label["first_sentence"]),
        "last_sentence": text.endswith(label["last_sentence"]),
        "sources": result.sources == label["sources"],
        "family": result.family == label["family"],
    }


def score(verbose: bool = False) -> tuple[dict[str, tuple[int, int]], float, list[str]]:
    labels = load_labels()
    table = {f: [0, 0] for f in FIELDS}
    failures = []
    for name, label in sorted(labels.items()):
        result = run_page(name, label)
        for field, ok in check(result, label).items():
            table[field][1] += 1
            table[field][0] += ok
            if not ok:
                got = {"first_sentence": (result.text or "")[:80], "last_sentence": (result.text or "")[-80:]}.get(
                    field, getattr(result, field, None))
                failures.append(f"{name}: {field}: got {got!r}")
    correct = sum(c for c, _ in table.values())
    total = sum(t for _, t in table.values())
    return {k: (v[0], v[1]) for k, v in table.items()}, correct / total if total else 0.0, failures


def main(argv: list[str]) -> int:
    table, overall, failures = score()
    print(f"{'field':<16}{'correct':>8}{'total':>7}{'%':>8}")
    for field, (c, t) in table.items():
        print(f"{field:<16}{c:>8}{t:>7}{100 * c / t:>7.1f}%")
    c = sum(v[0] for v in table.values())
    t = sum(v[1] for v in table.values())
    print(f"{'overall':<16}{c:>8}{t:>7}{100 * overall:>7.1f}%   (target >= 98%: {'met' if overall >= 0.98 else 'MISSED'})")
    if failures and ("--verbose" in argv or "-v" in argv):
        print("\nfailures:")
        for f in failures:
            print("  " + f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
