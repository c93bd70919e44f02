"""rasad match (crawler.geo.command.main)."""

import io
import json

from crawler.geo.command import main


def run(lines, *argv, config={}):  # noqa: B006 - {} = "no [watches]": built-in default
    out, err = io.StringIO(), io.StringIO()
    rc = main(list(argv), stdin=io.StringIO("".join(l + "\n" for l in lines)), stdout=out,
              config=config, stderr=err)
    return rc, [json.loads(l) for l in out.getvalue().splitlines()], err.getvalue()


ITEM1 = json.dumps({"id": "a1", "title": "قصف على البوكمال", "text": "قتل مدنيان في مدينة الميادين."},
                   ensure_ascii=False)
ITEM2 = json.dumps({"id": 2, "title": "حريق في سوق الحميدية", "lead": "", "text": "وسط دمشق"},
                   ensure_ascii=False)


def test_output_format():
    rc, out, err = run([ITEM1, ITEM2])
    assert rc == 0 and err == ""
    a, b = out
    assert a["id"] == "a1" and a["watches"] == ["deir-ez-zor"] and a["score"] == 4.0
    assert [p["name_ar"] for p in a["places"]] == ["البوكمال", "الميادين"]
    p = a["places"][0]
    assert set(p) >= {"name_ar", "name_en", "level", "pcode", "span"}
    assert p["pcode"] == "C5167" and p["level"] == "town" and p["span"] == [8, 16]
    assert b == {"id": 2, "watches": [], "places": [], "score": 0.0}


def test_leading_match_word_and_blank_lines():
    rc, out, _ = run([ITEM1, "", "   "], "match")
    assert rc == 0 and len(out) == 1


def test_bad_lines_are_skipped_and_reported():
    rc, out, err = run([ITEM1, "{not json", "[1, 2]", '{"title": "x"}', '{"id": 5, "text": 7}', ITEM2])
    assert rc == 1
    assert [o["id"] for o in out] == ["a1", 2]
    for n in (2, 3, 4, 5):
        assert f"line {n}:" in err
    assert "4 line(s) skipped" in err


def test_unknown_watch():
    rc, out, err = run([ITEM1], "--watch", "nope")
    assert rc == 2 and out == [] and err.strip() == "rasad match: unknown watch 'nope'"


def test_watch_selection_and_config():
    cfg = {"watches": {"mayadin": {"places": ["SY0903"]}, "abukamal": {"places": ["SY0902"]}}}
    rc, out, _ = run([ITEM1], config=cfg)
    assert out[0]["watches"] == ["mayadin", "abukamal"]
    rc, out, _ = run([ITEM1], "--watch", "abukamal", config=cfg)
    assert rc == 0 and out[0]["watches"] == ["abukamal"]


def test_config_file(tmp_path):
    p = tmp_path / "rasad.toml"
    p.write_text('[watches.hajin]\nplaces = ["هجين"]\n', encoding="utf-8")
    item = json.dumps({"id": 1, "title": "", "text": "قتل شاب في بلدة هجين"}, ensure_ascii=False)
    rc, out, _ = run([item], "--config", str(p))
    assert rc == 0 and out[0]["watches"] == ["hajin"]
    rc, out, err = run([item], "--config", str(tmp_path / "missing.toml"))
    assert rc == 2 and "config error" in err


def test_bad_config_is_exit_2():
    rc, out, err = run([ITEM1], config={"watches": {"x": {"places": ["Atlantis"]}}})
    assert rc == 2 and "unknown place" in err


def test_all_candidates():
    item = json.dumps({"id": 1, "title": "مراسل الميادين", "text": "قصف على البوكمال"}, ensure_ascii=False)
    rc, out, _ = run([item], "--all-candidates")
    c = out[0]["candidates"]
    assert [(x["matched"], x["accepted"]) for x in c] == [("الميادين", False), ("البوكمال", True)]
    assert c[0]["evidence"] == ["blocked:مراسل الميادين"]
    assert "candidates" not in run([item])[1][0]
