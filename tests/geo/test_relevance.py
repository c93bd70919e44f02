"""Precision / recall of the default watch on the labelled evaluation set (can fail)."""

import json
from pathlib import Path

import pytest

from crawler.geo import Matcher, load_watches

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "relevance"


def load(name):
    return [json.loads(l) for l in (FIX / name).read_text(encoding="utf-8").splitlines() if l.strip()]


def test_evaluation_set_shape():
    items = load("items.jsonl")
    assert len(items) >= 200
    rel = sum(it["relevant"] for it in items)
    assert 0.4 <= rel / len(items) <= 0.6
    fams = {it["family"] for it in items}
    for f in ["homograph-word-suwar", "homograph-word-hajin", "homograph-word-tabni",
              "homograph-word-jalaa", "homograph-word-basira", "homograph-word-mayadin",
              "homograph-tv-mayadeen", "homograph-word-qusur", "homograph-word-muwazzafin",
              "homograph-elsewhere-hamidiyeh", "homograph-elsewhere-geneina",
              "homograph-elsewhere-husseiniyeh", "homograph-elsewhere-dhiban",
              "homograph-elsewhere-sousse", "homograph-elsewhere-salhiyeh", "other-deir",
              "outlet-name", "town-only"]:
        assert f in fams, f
    # many positives name only a town/landmark, never the governorate
    kw = ("دير الزور", "ديرالزور", "Deir", "Dayr", "الدير")
    town_only = [it for it in items if it["relevant"]
                 and not any(k in it["title"] + it.get("lead", "") + it["text"] for k in kw)]
    assert len(town_only) >= 60


# items.jsonl: the main set (target 0.95). holdout.jsonl was written after the matcher was
# built and is not used for tuning; it is smaller (64 items) and gets a looser floor so the
# test still catches regressions without the set being fitted to the matcher.
@pytest.mark.parametrize("name, floor", [("items.jsonl", 0.95), ("holdout.jsonl", 0.90)])
def test_precision_recall(name, floor):
    if not (FIX / name).exists():
        pytest.skip(f"{name} not present")
    items = load(name)
    m = Matcher.default()
    (w,) = [w for w in load_watches(None) if w.name == "deir-ez-zor"]
    tp = fp = fn = 0
    wrong = []
    for it in items:
        res = m.match(title=it["title"], lead=it.get("lead", ""), text=it["text"])
        pred = w.matches(res, title=it["title"], lead=it.get("lead", ""), text=it["text"])
        if pred and it["relevant"]:
            tp += 1
        elif pred:
            fp += 1
            wrong.append(("FP", it["id"], it["title"]))
        elif it["relevant"]:
            fn += 1
            wrong.append(("FN", it["id"], it["title"]))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    assert precision >= floor, (precision, wrong)
    assert recall >= floor, (recall, wrong)
