"""The measured target: precision and recall >= 0.95 on the labelled Arabic pairs (bench/dedup.py)."""
from __future__ import annotations

import importlib.util
import json
from collections import Counter

import pytest

from conftest import ROOT

PAIRS = ROOT / "tests" / "fixtures" / "dedup" / "pairs.jsonl"
HOLDOUT = ROOT / "tests" / "fixtures" / "dedup" / "pairs_holdout.jsonl"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_dedup", ROOT / "bench" / "dedup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pairs(bench):
    return bench.load_pairs(PAIRS)


def test_the_labelled_set_is_what_it_claims(pairs):
    assert len(pairs) >= 100
    kinds = Counter((p["kind"], p["label"]) for p in pairs)
    for kind in ("republish", "rewrite", "edited", "excerpt"):
        assert kinds[(kind, 1)] >= 15, kind
    for kind in ("hard", "hard-copy", "hard-rewrite"):
        assert kinds[(kind, 0)] >= 15, kind
    assert len({p["id"] for p in pairs}) == len(pairs)
    # the committed file is what build_pairs.py makes from the hand-written corpus
    import sys
    sys.path.insert(0, str(PAIRS.parent))
    try:
        from build_pairs import HOLDOUT_EVENTS, build
    finally:
        sys.path.remove(str(PAIRS.parent))
    dump = lambda ps: [json.dumps(p, ensure_ascii=False) for p in ps]  # noqa: E731
    assert dump(build()) == dump(pairs)
    holdout = [json.loads(line) for line in HOLDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert dump(build(HOLDOUT_EVENTS)) == dump(holdout)


def test_pairwise_precision_and_recall(bench, pairs):
    result = bench.pairwise(pairs)
    wrong = [(r["id"], r["reason"], round(r["jaccard"], 2)) for r in result["rows"] if r["predicted"] != r["label"]]
    assert result["precision"] >= 0.95, wrong
    assert result["recall"] >= 0.95, wrong
    # no kind of copy is missed wholesale
    for kind in ("republish", "edited", "excerpt"):
        assert all(r["predicted"] for r in result["rows"] if r["kind"] == kind), kind


def test_story_level_precision_and_recall_through_the_store(bench, pairs):
    result = bench.through_store(pairs)
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, result


def test_held_out_pairs_never_merge_different_events(bench):
    """Events written after the thresholds were set: recall there is lower (heavy rewrites are
    missed, see bench/dedup.py), but a false merge would hide an event behind another's alert."""
    result = bench.pairwise(bench.load_pairs(HOLDOUT))
    assert result["precision"] >= 0.95
    for kind in ("republish", "edited", "excerpt"):
        assert all(r["predicted"] for r in result["rows"] if r["kind"] == kind), kind
