"""`rasad import FILE.jsonl` (storage/importer.py): same pipeline, idempotent, bad lines counted."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text as sql

from storage import Store
from storage.importer import main
from storage.stories import StoryService

from .test_neardup import REPORT, SAME_PLACE_OTHER_EVENT

TABLES = ("articles", "article_urls", "article_versions", "stories", "article_signatures", "lsh_bands")


def record(**kw) -> dict:
    base = {"id": None, "url": "https://geiroon.net/archives/175201", "canonical_url": "https://geiroon.net/archives/175201",
            "outlet": "geiroon", "title": "قتلى بقصف على الميادين", "author": "فريق التحرير",
            "published_at": "2026-11-02T09:30:00+03:00", "modified_at": None,
            "first_seen_at": "2026-11-02T09:41:00+03:00", "section": "أخبار", "tags": ["دير الزور"],
            "lead": REPORT.split("\n\n")[0], "text": REPORT, "language": "ar", "image_url": None,
            "content_hash": "stale-or-foreign-hash", "version": 1, "sources": [], "story_id": "from-elsewhere",
            "places": [], "watches": []}
    base.update(kw)
    return base


GOOD = [
    record(),
    # the same story republished by an outlet this install does not crawl
    record(url="https://deirezzor24.example/news/9/?utm_source=telegram", canonical_url=None, outlet="deirezzor24",
           first_seen_at="2026-11-02T10:15:00+03:00", text="دير الزور 24 | بقلم: أحمد الحسن\n\n" + REPORT),
    # a different event in the same town
    record(url="https://geiroon.net/archives/175300", canonical_url="https://geiroon.net/archives/175300",
           title="مسيّرة تستهدف سيارة قرب الميادين", text=SAME_PLACE_OTHER_EVENT, lead=None,
           first_seen_at="2026-11-05T14:20:00+03:00", published_at="2026-11-05T14:10:00+03:00"),
]


def write(path, lines) -> str:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    encoding="utf-8")
    return str(path)


def snapshot(db: str) -> dict:
    store = Store(db)
    with store.engine.connect() as conn:
        out = {t: sorted(map(tuple, conn.execute(sql(f"SELECT * FROM {t}")).all()), key=repr) for t in TABLES}
    store.close()
    return out


@pytest.fixture
def env(monkeypatch, db_url):
    monkeypatch.setenv("RASAD_DB_URL", db_url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RASAD_CONFIG", raising=False)
    return db_url


def test_import_runs_the_pipeline_and_reimport_changes_nothing(tmp_path, env, capsys):
    path = write(tmp_path / "export.jsonl", GOOD)
    assert main([path]) == 0
    out = capsys.readouterr().out
    assert "3 record(s): 3 new" in out and "stories: 2 new, 1 joined" in out and "0 skipped" in out

    store = Store(env)
    articles = {a.outlet + a.url[-6:]: a for a in store.iter_articles()}
    assert len(articles) == 3
    copy = store.find_by_url("https://deirezzor24.example/news/9/")
    assert copy.outlet == "deirezzor24"                     # unconfigured outlet kept under its name
    assert copy.canonical_url == "https://deirezzor24.example/news/9/"  # tracking parameter gone
    assert copy.content_hash != "stale-or-foreign-hash" and len(copy.content_hash) == 64
    original = store.find_by_url("https://geiroon.net/archives/175201")
    stories = StoryService(store)
    story = stories.story_of(copy.id)
    assert story.id != "from-elsewhere" and story.lead_article_id == original.id
    assert [m.outlet for m in story.articles] == ["geiroon", "deirezzor24"]
    assert original.places and "deir-ez-zor" in original.watches   # crawler.geo ran
    store.close()

    before = snapshot(env)
    assert main([path]) == 0
    assert "0 new, 0 updated, 3 unchanged" in capsys.readouterr().out
    assert snapshot(env) == before


def test_edited_record_is_a_new_version_in_the_same_story(tmp_path, env, capsys):
    assert main([write(tmp_path / "a.jsonl", GOOD)]) == 0
    edited = record(text=REPORT + "\n\nوارتفعت الحصيلة إلى أربعة قتلى.", version=2)
    assert main([write(tmp_path / "b.jsonl", [edited])]) == 0
    assert "1 updated" in capsys.readouterr().out
    store = Store(env)
    article = store.find_by_url("https://geiroon.net/archives/175201")
    assert article.version == 2 and len(store.versions(article.id)) == 1
    assert StoryService(store).count() == 2


def test_bad_lines_are_named_counted_skipped_and_exit_1(tmp_path, env, capsys):
    lines = [
        GOOD[0],
        "{not json",
        json.dumps(["a", "list"]),
        record(url="ftp://geiroon.net/x"),
        record(url="https://geiroon.net/archives/9", outlet=""),
        record(url="https://geiroon.net/archives/10", published_at="2026-11-02T09:30:00"),
        record(url="https://geiroon.net/archives/11", tags="دير الزور"),
        record(url="https://geiroon.net/archives/12", version="two"),
        record(url="https://geiroon.net/archives/13", title=None, text=None),
        "",
        GOOD[2],
    ]
    path = tmp_path / "bad.jsonl"
    write(path, lines)
    with open(path, "ab") as fh:
        fh.write(b'{"url": "https://geiroon.net/archives/14", "title": "\xff\xfe"}\n')
    assert main([str(path)]) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert [e.split(":")[2] for e in errors] == ["2", "3", "4", "5", "6", "7", "8", "9", "12"]
    assert all(e.startswith("rasad import: ") and "skipped" in e for e in errors)
    assert "not JSON" in errors[0] and "no UTC offset" in errors[4] and "not UTF-8" in errors[-1]
    assert "2 new" in captured.out and "9 skipped" in captured.out
    assert Store(env).count() == 2


def test_missing_file_is_a_one_line_error(tmp_path, env, capsys):
    assert main([str(tmp_path / "nope.jsonl")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot read" in err[0]
