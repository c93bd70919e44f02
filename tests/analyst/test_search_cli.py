"""`rasad search` as an analyst runs it."""
from __future__ import annotations

import json

import pytest

from storage import Store

from .conftest import seed, set_story


def test_table_with_damascus_time_outlet_title_and_highlighted_snippet(seeded, analyst, db_url):
    r = analyst("search", "الميادين", db=db_url)
    assert r.returncode == 0, r.stderr.decode()
    lines = r.stdout.decode().splitlines()
    assert lines[0].split()[:4] == ["time", "(Damascus)", "outlet", "title"]
    body = "\n".join(lines[2:])
    assert len(lines) == 2 + 3
    row = next(line for line in lines if "geiroon" in line)
    assert row.startswith("2026-11-20 09:00") and "[وبالميادين]" in row     # published 09:00 +03:00
    assert "2026-11-25 10:00" in body                                       # no date: first seen, in Damascus
    assert "\x1b[" not in body                                               # no colour when piped


def test_search_flags(seeded, cli, db_url):
    code, out, err = cli("search", "الميادين", "--outlet", "euphratespost", "--json", db=db_url)
    hits = [json.loads(x) for x in out.decode().splitlines()]
    assert code == 0 and [h["url"][-4:] for h in hits] == ["2002"]
    assert "[للميادين]" in hits[0]["snippet"] and "text" not in hits[0]
    code, out, _ = cli("search", "--place", "البوكمال", "--json", db=db_url)
    assert [json.loads(x)["url"][-4:] for x in out.decode().splitlines()] == ["2002"]
    code, out, _ = cli("search", "--since", "2026-11-24", "--until", "2026-11-24", "--json", db=db_url)
    assert [json.loads(x)["url"][-4:] for x in out.decode().splitlines()] == ["2003"]
    code, out, _ = cli("search", "--limit", "2", "--json", db=db_url)
    assert [json.loads(x)["url"][-4:] for x in out.decode().splitlines()] == ["1005", "2004"]
    code, out, err = cli("search", "حلب", db=db_url)
    assert code == 0 and out == b"" and "no matching articles" in err
    code, out, _ = cli("search", "دير", "الزور", "--color", "always", db=db_url)          # words unquoted
    assert "\x1b[1;33mالزُّور\x1b[0m" in out.decode()


def test_story_flag_collapses(seeded, cli, db_url):
    store, ids = seeded
    set_story(store, [ids[0], ids[1], ids[3]], ids[0])
    code, out, _ = cli("search", "الميادين", "--story", db=db_url)
    rows = out.decode().splitlines()[2:]
    assert code == 0 and len(rows) == 1 and "+2 more in story" in rows[0] and "geiroon" in rows[0]


def test_empty_query_is_a_usage_error(sqlite_url, cli):
    seed(Store(sqlite_url))
    code, _, err = cli("search", "-- ", db=sqlite_url)
    assert code == 2 and "nothing to search for" in err


def test_wired_into_rasad(seeded, rasad, db_url):
    """`rasad search` / `rasad export` once crawler/cli.py delegates to storage.analyst_cli."""
    from crawler import cli as rasad_cli
    if "search" not in getattr(rasad_cli, "DELEGATED", {}) and "search" not in getattr(rasad_cli, "COMMANDS", {}):
        pytest.skip("crawler/cli.py does not wire `rasad search` yet (the lead wires it to storage.analyst_cli)")
    r = rasad("search", "الميادين", "--json", db=db_url)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 3
    r = rasad("export", "--format", "jsonl", "-o", "-", "--outlet", "geiroon", db=db_url)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 2
