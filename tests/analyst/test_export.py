"""`rasad export` on the real engines: every format, filters, safety, errors, streaming."""
from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from crawler.items import Article
from storage import Store
from storage import export as ex
from storage.query import Filters

from .conftest import corpus, seed, t

FIELDS = Article.field_names()


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                          # BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_for_excel(seeded, analyst, tmp_path, db_url):
    out = tmp_path / "articles.csv"
    r = analyst("export", "--format", "csv", "-o", str(out), db=db_url)
    assert r.returncode == 0, r.stderr.decode()
    rows = read_csv(out)
    assert list(rows[0]) == FIELDS and len(rows) == len(corpus())
    by_url = {row["url"][-4:]: row for row in rows}
    a = by_url["1001"]
    assert a["places"] == "الميادين" and a["watches"] == "deir-ez-zor"
    assert a["tags"] == "دير الزور | قصف" and a["sources"] == "فرات بوست"
    assert a["published_at"] == "2026-11-20T09:00:00+03:00" and a["first_seen_at"] == "2026-11-20T10:00:00+03:00"
    assert a["text"].count("\n") == 2                               # embedded newlines survive quoting
    assert by_url["2002"]["places"] == "الميادين | البوكمال"
    # formula injection neutralised: = + - @ at the start of a cell (also inside a joined list)
    bad = by_url["1005"]
    assert bad["title"] == "'=HYPERLINK(\"http://evil.example\",\"اضغط\")"
    assert bad["text"].startswith("'+cmd") and bad["lead"] == "'-2+3" and bad["author"] == "'@مراسل"
    assert bad["tags"] == "'=1+1 | عادي"
    assert bad["text"].endswith("\r\nوسطر ثالث")
    assert json.loads(bad["provenance"]) == {"title": "og:title"}
    # nothing else is touched
    assert all(not v.startswith("'") for k, v in by_url["2003"].items())


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise(start):
    assert ex.neutralise(start + "1+1") == "'" + start + "1+1"
    assert ex.neutralise("a" + start) == "a" + start and ex.neutralise("") == ""


def test_xlsx_cells_are_strings_never_formulas(seeded, analyst, tmp_path, db_url):
    out = tmp_path / "articles.xlsx"
    r = analyst("export", "-o", str(out), db=db_url)                 # format from the extension
    assert r.returncode == 0, r.stderr.decode()
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet                  # no formula element anywhere
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == FIELDS and len(rows) == len(corpus()) + 1
    bad = next(r for r in rows if r[1].endswith("1005"))
    assert bad[FIELDS.index("title")] == "=HYPERLINK(\"http://evil.example\",\"اضغط\")"   # shown as text
    assert bad[FIELDS.index("tags")] == "=1+1 | عادي"
    cell = next(c for c in ws.iter_rows() if c[1].value.endswith("1005"))[FIELDS.index("title")]
    assert cell.data_type == "s"
    good = next(r for r in rows if r[1].endswith("1001"))
    assert good[FIELDS.index("places")] == "الميادين" and "\n" in good[FIELDS.index("text")]


def test_jsonl_is_the_article_record(seeded, analyst, tmp_path, db_url):
    store, ids = seeded
    out = tmp_path / "a.jsonl"
    r = analyst("export", "--format", "jsonl", "-o", str(out), db=db_url)
    assert r.returncode == 0, r.stderr.decode()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [rec["id"] for rec in records] == ids                      # oldest first seen first
    for rec, aid in zip(records, ids):
        assert rec == store.get_article(aid).to_record("Asia/Damascus") | {"story_id": rec["story_id"]}
    assert records[1]["places"][1]["pcode"] == "SY0902"               # full objects


def test_parquet_typed_columns(seeded, analyst, tmp_path, db_url):
    out = tmp_path / "a.parquet"
    r = analyst("export", "--format", "parquet", "-o", str(out), db=db_url)
    assert r.returncode == 0, r.stderr.decode()
    table = pq.read_table(out)
    assert table.column_names == FIELDS and table.num_rows == len(corpus())
    rows = table.to_pylist()
    first = rows[0]
    assert first["published_at"].isoformat() == "2026-11-20T09:00:00+03:00"
    assert first["places"][0]["pcode"] == "C5192" and first["places"][0]["span"] == [4, 12]
    assert first["tags"] == ["دير الزور", "قصف"] and first["version"] == 1
    assert rows[3]["published_at"] is None
    assert json.loads(rows[4]["provenance"]) == {"title": "og:title"}
    assert rows[4]["title"].startswith("=")                           # data formats keep values as they are


def test_filters_and_query_apply_to_export(seeded, cli, db_url):
    def ids_of(*args):
        code, out, err = cli("export", "-f", "jsonl", "-o", "-", *args, db=db_url)
        assert code == 0, err
        return [json.loads(line)["url"][-4:] for line in out.decode().splitlines()]
    assert ids_of("الميادين") == ["1001", "2002", "2004"]
    assert ids_of("الميادين", "--outlet", "euphratespost") == ["2002"]
    assert ids_of("--place", "البوكمال") == ["2002"]
    assert ids_of("--watch", "deir-ez-zor", "--since", "2026-11-21") == ["2002", "2004"]
    assert ids_of("--limit", "2") == ["2004", "1005"]                 # the most recent two, in export order
    assert ids_of("الميادين", "--limit", "1") in (["2002"], ["2004"])   # the best match


def test_story_export(seeded, cli, db_url):
    store, ids = seeded
    with store.engine.begin() as c:
        c.execute(text("UPDATE articles SET story_id = :s WHERE id IN (:a, :b)"), {"s": ids[1], "a": ids[1], "b": ids[3]})
    code, out, err = cli("export", "-f", "jsonl", "-o", "-", "--story", db=db_url)
    recs = [json.loads(line) for line in out.decode().splitlines()]
    assert [x["url"][-4:] for x in recs] == ["1001", "2002", "2003", "1005"]
    assert recs[1]["story_id"] == ids[1]


def test_keyset_pages_with_ties_lose_and_repeat_nothing(db_url):
    store = Store(db_url)
    same = t(21)
    for i in range(23):   # many articles with the very same first_seen_at: the id breaks ties
        store.save_article(Article(url=f"https://geiroon.net/archives/k{i}", outlet="geiroon", title=f"خبر {i}",
                                   text=f"نص {i} عن الميادين", first_seen_at=same if i % 2 else t(21, i % 5)))
    with store.engine.connect() as conn:
        all_ids = [r["id"] for r in ex.iter_rows(conn, Filters(), page=4)]
        assert len(all_ids) == 23 and len(set(all_ids)) == 23
        assert all_ids == [r["id"] for r in ex.iter_rows(conn, Filters(), page=1000)]
        from storage import search
        matched = [r["id"] for r in ex.iter_rows(conn, Filters(), q=search.parse_query("الميادين"), page=5)]
        assert matched == all_ids
        conn.rollback()


def test_stdout_and_default_name(seeded, analyst, tmp_path, db_url):
    r = analyst("export", "-o", "-", db=db_url)
    assert r.returncode == 0 and r.stdout.startswith(b"\xef\xbb\xbfid,url,")
    assert b"\r" not in r.stderr                                      # no progress when stderr is not a terminal
    r = analyst("export", "-f", "xlsx", "-o", "-", db=db_url)
    assert r.returncode == 0 and r.stdout[:2] == b"PK"
    r = analyst("export", "-f", "jsonl", db=db_url, cwd=tmp_path)
    made = list(tmp_path.glob("rasad-export-*.jsonl"))
    assert r.returncode == 0 and len(made) == 1 and len(made[0].read_text().splitlines()) == len(corpus())


BAD_INPUT = [
    (["--outlet", "nosuch"], "unknown outlet 'nosuch'"),
    (["--watch", "nosuch"], "unknown watch 'nosuch'"),
    (["--place", "أتلانتس"], "unknown place 'أتلانتس'"),
    (["--since", "2026-11-20", "--until", "2026-11-10"], "date range is empty"),
    (["--since", "7d", "--until", "30d"], "date range is empty"),
    (["--since", "last tuesday"], "not a date"),
    (["-o", "/nonexistent-dir/x.csv"], "no such directory"),
    (["-o", "/"], "is a directory"),
    (["-f", "docx"], "invalid choice"),
    (["--limit", "0"], "--limit"),
    (["-e-"], "unrecognized"),
]


def test_bad_input_one_line_exit_2_no_file(sqlite_url, cli, tmp_path):
    seed(Store(sqlite_url))
    out = tmp_path / "out"
    out.mkdir()
    for args, message in BAD_INPUT:
        for command in ("export", "search"):
            if command == "search" and ("-o" in args or "-f" in args):
                continue
            full = args if "-o" in args or command == "search" else ["-o", str(out / "x.csv"), *args]
            code, _, err = cli(command, *full, db=sqlite_url, cwd=out)
            assert code == 2, (command, args, err)
            assert message in err and len(err.strip().splitlines()) == 1, (command, args, err)
    assert list(out.iterdir()) == []                                  # no partial or temp file


def test_bad_input_through_the_command(seeded, analyst, tmp_path, db_url):
    r = analyst("export", "--place", "أتلانتس", "-o", str(tmp_path / "x.csv"), db=db_url)
    assert r.returncode == 2 and r.stderr.decode().strip() == (
        "rasad export: error: unknown place 'أتلانتس' (give a gazetteer name or p-code, e.g. الميادين or SY0903)")
    assert not (tmp_path / "x.csv").exists()


def test_unwritable_directory(sqlite_url, cli, tmp_path):
    seed(Store(sqlite_url))
    if os.geteuid() == 0:
        target = "/proc/rasad-export.csv"                            # root can write anywhere but here
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target = str(ro / "x.csv")
    code, _, err = cli("export", "-o", target, db=sqlite_url)
    assert code == 2 and "cannot write" in err and len(err.strip().splitlines()) == 1


def test_failed_export_leaves_no_partial_file(seeded, tmp_path, monkeypatch):
    store, _ = seeded
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "x.csv"
    target.write_text("previous export")                              # an old file stays as it was
    out = ex.Output(str(target))
    out.open()
    real_iter_rows = ex.iter_rows

    def failing_after_rows(*a, **k):                                  # the store fails mid-export
        yield from real_iter_rows(*a, **k)
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(ex, "iter_rows", failing_after_rows)
    with store.engine.connect() as conn, pytest.raises(OSError):
        ex.export(conn, "csv", out, Filters())
    assert target.read_text() == "previous export"
    assert [p.name for p in target.parent.iterdir()] == ["x.csv"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(), st.lists(st.sampled_from(
    list('ab ,"\r\n\t=+-@\'') + ["الميادين", "\u200f", "\ufeff"]), max_size=12).map("".join)), min_size=1, max_size=6))
def test_csv_fields_parse_back_with_the_csv_module(cells):
    cells = ["id", *cells]                   # rows always have many cells (an empty line is no row)
    line = ",".join(ex.csv_field(c) for c in cells) + "\r\n"
    parsed = next(csv.reader(io.StringIO(line, newline="")))
    expected = ["" if c is None else ex.neutralise(c) if isinstance(c, str) else str(c) for c in cells]
    assert parsed == expected


def test_progress_only_on_a_terminal(tmp_path):
    master, slave = os.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as tty:
        p = ex.Progress(stream=tty)
        p.tick(1000)
        p.done()
    seen = os.read(master, 4096).decode()
    os.close(master)
    assert "1,000 rows" in seen
    with open(tmp_path / "err.txt", "w", encoding="utf-8") as f:
        p = ex.Progress(stream=f)
        p.tick(1000)
        p.done()
    assert (tmp_path / "err.txt").read_text() == ""


def test_xlsx_control_characters_and_excel_cell_limit(tmp_path, capsys):
    from zoneinfo import ZoneInfo
    row = {name: None for name in FIELDS}
    row.update(id="x1", url="https://geiroon.net/archives/1", outlet="geiroon", title="عنوان\x01\x0bمع محارف تحكم",
               text="ن" * 40000, version=1, tags=[], sources=[], places=[], watches=[], provenance={})
    path = tmp_path / "t.xlsx"
    with open(path, "wb") as fh:
        w = ex.XlsxOut(fh, ZoneInfo("Asia/Damascus"))
        w.write(row)
        w.close()
    assert "1 cell(s) longer than 32,767" in capsys.readouterr().err
    values = list(openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True))[0]
    assert values[FIELDS.index("title")] == "عنوانمع محارف تحكم"
    assert len(values[FIELDS.index("text")]) == ex.EXCEL_CELL_MAX
