"""Filter facets (search_facets) and the fast export paths give exactly what the plain paths give,
on the real engines (``db_url`` runs SQLite and PostgreSQL)."""
from __future__ import annotations

import dataclasses
import io
import json
import math

import pytest
from sqlalchemy import text

from crawler.items import Article
from storage import Store, search
from storage import export as ex
from storage.query import Filters, build_filters

from .conftest import BUKAMAL, MAYADIN, corpus, seed, t


def ids_of(store: Store, query: str, facets: bool, **kw) -> list[str]:
    """Hits of ``query`` with the filters, through the facets or (facets=False) the article columns."""
    with store.engine.connect() as conn:
        f = build_filters(conn, **kw)
        if not facets:
            conn.execute(text("DELETE FROM schema_info WHERE key = :k"), {"k": search.FACETS_KEY})
        assert search.facets_ready(conn) is facets
        hits = search.run_search(conn, search.parse_query(query), f, limit=50)
        conn.rollback()
    return [h.article.id for h in hits]


FILTERS = [dict(outlets=["geiroon"]), dict(outlets=["geiroon,sharqsouri"]), dict(watches=["deir-ez-zor"]),
           dict(places=["منطقة الميادين"]), dict(places=["البوكمال"]), dict(places=["الميادين"], outlets=["euphratespost"]),
           dict(watches=["deir-ez-zor"], since="2026-11-21"), dict(outlets=["sharqsouri"], story=True)]


@pytest.mark.parametrize("kw", FILTERS)
def test_facet_filters_match_the_article_columns(seeded, kw):
    store, _ = seeded
    for query in ("الميادين", "قصف OR الخبز OR التيار OR الميادين", "اليوم"):
        assert ids_of(store, query, True, **kw) == ids_of(store, query, False, **kw)


def test_facets_follow_a_new_version(db_url):
    store = Store(db_url)
    a = corpus()[2]                                     # no places, no watch
    store.save_article(dataclasses.replace(a))
    assert ids_of(store, "الرقة", True, watches=["deir-ez-zor"]) == []
    moved = dataclasses.replace(a, text=a.text + " وفي الميادين أيضًا.", places=[MAYADIN], watches=["deir-ez-zor"])
    assert store.save_article(moved).status == "updated"
    assert len(ids_of(store, "الرقة", True, watches=["deir-ez-zor"])) == 1
    assert len(ids_of(store, "الرقة", True, places=["منطقة الميادين"])) == 1
    with store.engine.connect() as c:
        facets = c.execute(text("SELECT facet FROM search_facets ORDER BY facet")).scalars().all()
    assert facets == ["o:euphratespost", "p:SY0903", "w:deir-ez-zor"]


def test_store_without_facets_gets_them_on_open(db_url):
    store = Store(db_url)
    seed(store)
    with store.engine.begin() as c:                     # a store indexed before the facets existed
        c.execute(text("DROP TABLE search_facets"))
        c.execute(text("DELETE FROM schema_info WHERE key = :k"), {"k": search.FACETS_KEY})
    store.close()
    store = Store(db_url)
    with store.engine.connect() as c:
        assert search.facets_ready(c)
        n = c.execute(text("SELECT count(*) FROM search_facets")).scalar()
    assert n == 5 + 4 + 3                               # outlets, places (a district twice), watches
    for kw in FILTERS:
        assert ids_of(store, "الميادين", True, **kw) == ids_of(store, "الميادين", False, **kw)


def test_facets_of_odd_stored_values():
    assert search.doc_facets("geiroon", None, None) == ["o:geiroon"]
    assert search.doc_facets("g", '[{"pcode": "SY09"}, "x", {"pcode": 5}, {}]', '["w", 3, null]') == \
        ["o:g", "w:w", "p:SY09"]
    assert search.doc_facets("g", "not json", '{"a": 1}') == ["o:g"]
    assert search.doc_facets("g", [BUKAMAL, BUKAMAL], ["a", "a"]) == ["o:g", "w:a", "p:SY0902"]


def test_export_with_a_query_and_facet_filters(seeded, cli, db_url, tmp_path):
    out = tmp_path / "x.jsonl"
    code, _, err = cli("export", "الميادين", "--place", "منطقة الميادين", "--outlet", "euphratespost,sharqsouri",
                       "-f", "jsonl", "-o", str(out), db=db_url)
    assert code == 0, err
    assert sorted(json.loads(x)["url"][-4:] for x in out.read_text(encoding="utf-8").splitlines()) == ["2002", "2004"]


ODD = [0.0, -0.0, 1.0, 0.5, 1e-5, 2.5e-7, 1e16, 1.5e300, -3e-9, 12345.678, float("nan"), float("inf"),
       2 ** 70, -(2 ** 64), 7, True, None, "نص \u2028 \x00 \x1f \" \\ \ud800"]


@pytest.mark.parametrize("v", ODD, ids=repr)
def test_jsonl_lines_are_exactly_the_standard_library_json(v):
    """orjson writes a line only when its bytes are the standard library's."""
    zone = ex.ZoneInfo("Asia/Damascus")
    row = {name: None for name in ex.FIELDS}
    row.update(id="a1", url="https://x.example/1", outlet="geiroon", title="عنوان", first_seen_at=t(20),
               tags=["a", v] if not isinstance(v, float) or not math.isnan(v) else ["a"], sources=[],
               places=[{"pcode": "SY09", "span": [0, 3], "extra": v}], watches=["w"], provenance={"k": v},
               score=v if isinstance(v, float) else 1.0)
    expected = json.dumps(ex.json_record(dict(row), zone), ensure_ascii=False, separators=(",", ":"))
    buf = io.BytesIO()
    fh = io.TextIOWrapper(buf, encoding="utf-8", newline="")
    w = ex.JsonlOut(fh, zone)
    try:
        w.write(dict(row))
        w.close()
        fh.flush()
    except UnicodeEncodeError:                          # a lone surrogate: not UTF-8, with either
        with pytest.raises(UnicodeEncodeError):
            expected.encode("utf-8")
        return
    assert buf.getvalue().decode("utf-8") == expected + "\n"


def test_stored_json_is_read_the_same_way():
    for s in ('[1, 2.5e-7, "x"]', '{"a": NaN}', '[Infinity]', '[18446744073709551616]', '[-9223372036854775809]',
              '[9223372036854775807, 0.1, 1e-7, 123456.789e3]', '["\\ud800"]', '[1e400]',
              '{"a": 1, "a": 2}', '[]', '{"k": [{"z": null}]}'):
        a, b = ex._loads(s), json.loads(s)
        assert json.dumps(a) == json.dumps(b)


def test_export_stops_early_without_leaving_the_reader_running(db_url):
    store = Store(db_url)
    seed(store, [Article(url=f"https://geiroon.net/archives/p{i}", outlet="geiroon", title=f"خبر {i}",
                         text="نص", first_seen_at=t(1 + i % 20, i % 24)) for i in range(60)])
    with store.engine.connect() as conn:
        rows = ex.iter_rows(conn, Filters(), page=7)
        got = [next(rows)["id"] for _ in range(10)]
        rows.close()                                    # the reading thread has stopped: conn is free
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 60
        all_ids = [r["id"] for r in ex.iter_rows(conn, Filters(), page=7)]
        assert len(all_ids) == len(set(all_ids)) == 60 and all_ids[:10] == got
    store.close()
