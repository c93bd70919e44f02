"""Near-duplicate precision and recall on the labelled Arabic pairs (tests/fixtures/dedup/pairs.jsonl).

Two measures, both printed:

* pairwise: for each labelled pair, would the story service put b into a's story? That is a
  candidate (LSH band hit, or a recent article with a close signature) that passes the exact
  decision (crawler.neardup.decide).
* stories: every article of the set is saved in a fresh SQLite store and assigned to stories in
  publication order, exactly as a crawl does; a pair is "same" when both articles end up with one
  story_id (transitive grouping and the real index included).

With the default set, the held-out set (events written after the thresholds were set) is
reported too.

Run: .venv/bin/python bench/dedup.py [--pairs PATH] [--no-store] [-v]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.neardup import Doc, decide, doc_text, is_candidate, signature  # noqa: E402

PAIRS = ROOT / "tests" / "fixtures" / "dedup" / "pairs.jsonl"
HOLDOUT = ROOT / "tests" / "fixtures" / "dedup" / "pairs_holdout.jsonl"


def load_pairs(path: Path = PAIRS) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _doc(side: dict) -> Doc:
    return Doc.from_text(doc_text(side.get("title"), None, side.get("text")),
                         dt.datetime.fromisoformat(side["published_at"]))


def pairwise(pairs: list[dict]) -> dict:
    """Decisions per pair and the precision/recall of "same story"."""
    rows, cache = [], {}
    for p in pairs:
        docs = []
        for side in (p["a"], p["b"]):
            key = (side["url"], side["text"])
            if key not in cache:
                d = _doc(side)
                cache[key] = (d, signature(d.shingles))
            docs.append(cache[key])
        (da, sa), (db, sb) = docs
        candidate = is_candidate(sa, sb, da.when, db.when)
        decision = decide(da, db)
        rows.append({"id": p["id"], "kind": p["kind"], "label": p["label"], "candidate": candidate,
                     "predicted": int(candidate and decision.same), "reason": decision.reason,
                     "jaccard": decision.jaccard, "containment": decision.containment,
                     "coverage": decision.coverage})
    return {"rows": rows, **_scores([(r["label"], r["predicted"]) for r in rows])}


def _scores(pairs: list[tuple[int, int]]) -> dict:
    tp = sum(1 for y, p in pairs if y and p)
    fp = sum(1 for y, p in pairs if not y and p)
    fn = sum(1 for y, p in pairs if y and not p)
    return {"tp": tp, "fp": fp, "fn": fn, "n": len(pairs),
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0}


def through_store(pairs: list[dict]) -> dict:
    """Save every article in a fresh store, assign stories in publication order, compare."""
    from crawler.items import Article
    from storage import Store
    from storage.stories import StoryService

    articles: dict[str, dict] = {}
    for p in pairs:
        for side in (p["a"], p["b"]):
            articles.setdefault(side["url"], side)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        stories = StoryService(store)
        ids, t0 = {}, time.perf_counter()
        for side in sorted(articles.values(), key=lambda s: s["published_at"]):
            when = dt.datetime.fromisoformat(side["published_at"])
            result = store.save_article(Article(url=side["url"], outlet=side["outlet"], title=side["title"],
                                                text=side["text"], published_at=when, first_seen_at=when))
            stories.assign(result.article_id)
            ids[side["url"]] = result.article_id
        elapsed = time.perf_counter() - t0
        story_of = stories.story_ids(list(ids.values()))
        store.close()
    decided = [(p["label"], int(story_of[ids[p["a"]["url"]]] == story_of[ids[p["b"]["url"]]])) for p in pairs]
    return {**_scores(decided), "articles": len(ids), "stories": len(set(story_of.values())),
            "ms_per_article": 1000 * elapsed / max(1, len(ids))}


def report(label: str, pairs: list[dict], path: Path, args) -> None:
    pos = sum(p["label"] for p in pairs)
    print(f"{label}labelled pairs: {len(pairs)} ({pos} same story, {len(pairs) - pos} different) from {path}")
    result = pairwise(pairs)
    print(f"pairwise  precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
          f"(tp {result['tp']}, fp {result['fp']}, fn {result['fn']})")
    by_kind: dict[str, Counter] = {}
    for r in result["rows"]:
        c = by_kind.setdefault(r["kind"], Counter())
        c["n"] += 1
        c["right"] += int(r["predicted"] == r["label"])
    print("  by kind: " + ", ".join(f"{k} {c['right']}/{c['n']}" for k, c in by_kind.items()))
    wrong = [r for r in result["rows"] if r["predicted"] != r["label"]]
    if args.verbose or len(wrong) <= 12:
        for r in wrong:
            print(f"  wrong: {r['id']:<34} label {r['label']} candidate {int(r['candidate'])} {r['reason']:<16} "
                  f"J {r['jaccard']:.2f} C {r['containment']:.2f} cov {r['coverage']:.2f}")
    if not args.no_store:
        s = through_store(pairs)
        print(f"stories   precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
              f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']}; {s['articles']} articles -> {s['stories']} stories, "
              f"{s['ms_per_article']:.1f} ms per article saved+assigned)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--no-store", action="store_true", help="pairwise only (skip the store run)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every wrong decision")
    args = ap.parse_args(argv)
    sets = [("", args.pairs)] + ([("held-out ", HOLDOUT)] if args.pairs == PAIRS and HOLDOUT.exists() else [])
    for label, path in sets:
        report(label, load_pairs(path), path, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
