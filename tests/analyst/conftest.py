"""Fixtures for search/export: a seeded store (real SQLite file or real PostgreSQL database)
and a runner for the analyst commands in a subprocess."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from crawler.items import Article
from storage import Store

ROOT = Path(__file__).resolve().parents[2]
DAMASCUS = dt.timezone(dt.timedelta(hours=3))


def t(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=DAMASCUS)


MAYADIN = {"pcode": "SY0903", "name_ar": "الميادين", "name_en": "Al Mayadin", "level": "district",
           "span": [0, 8], "field": "title", "matched": "الميادين"}
MAYADIN_TOWN = {"pcode": "C5192", "name_ar": "الميادين", "name_en": "Al Mayadin", "level": "town",
                "span": [4, 12], "field": "text", "matched": "الميادين"}
BUKAMAL = {"pcode": "SY0902", "name_ar": "البوكمال", "name_en": "Abu Kamal", "level": "district",
           "span": [1, 9], "field": "text", "matched": "البوكمال"}


def corpus() -> list[Article]:
    """Small, hand-written articles; each test relies only on what its docstring says."""
    return [
        Article(url="https://geiroon.net/archives/1001", outlet="geiroon", title="قصف على أطراف البلدة",
                lead="قصفت طائرات مسيّرة مواقع وبالميادين صباح اليوم.",
                text="قصفت طائرات مسيّرة مواقع وبالميادين صباح اليوم.\n\nوقال مصدر محلي إن القصف طال مناطق في ريف دير الزُّور الشرقي.",
                published_at=t(20), first_seen_at=t(20, 10), places=[MAYADIN_TOWN], watches=["deir-ez-zor"],
                tags=["دير الزور", "قصف"], sources=["فرات بوست"]),
        Article(url="https://euphratespost.net/news/2002", outlet="euphratespost", title="اجتماع للميادين والبوكمال",
                text="عقد مجلس محلي اجتماعًا للميادين والبوكمال لبحث الخدمات.",
                published_at=t(22), first_seen_at=t(22, 10), places=[MAYADIN, BUKAMAL], watches=["deir-ez-zor"]),
        Article(url="https://euphratespost.net/news/2003", outlet="euphratespost", title="أسعار الخبز في الرقة",
                text="ارتفعت أسعار الخبز في مدينة الرقة للمرة الثالثة هذا الشهر.",
                published_at=t(24), first_seen_at=t(24, 10)),
        Article(url="https://sharqnews.example/2004", outlet="sharqsouri", title="الميادين: عودة التيار الكهربائي",
                text="عاد التيار الكهربائي إلى أحياء في المدينة بعد انقطاع دام أسبوعًا.",
                published_at=None, first_seen_at=t(25, 10), places=[MAYADIN], watches=["deir-ez-zor"]),
        Article(url="https://geiroon.net/archives/1005", outlet="geiroon", title="=HYPERLINK(\"http://evil.example\",\"اضغط\")",
                text="+cmd|' /C calc'!A0\nسطر ثانٍ، فيه فاصلة, و\"اقتباس\"\r\nوسطر ثالث",
                lead="-2+3", author="@مراسل", published_at=t(26), first_seen_at=t(26, 10),
                tags=["=1+1", "عادي"], provenance={"title": "og:title"}),
    ]


def seed(store: Store, articles: list[Article] | None = None) -> list[str]:
    ids = []
    for a in articles or corpus():
        ids.append(store.save_article(a).article_id)
    return ids


def set_story(store: Store, article_ids: list[str], story_id: str) -> None:
    with store.engine.begin() as c:
        for aid in article_ids:
            c.execute(text("UPDATE articles SET story_id = :s WHERE id = :i"), {"s": story_id, "i": aid})


@pytest.fixture
def seeded(db_url):
    store = Store(db_url)
    ids = seed(store)
    yield store, ids
    store.close()


@pytest.fixture
def analyst(tmp_path):
    """Run `rasad search|export ARGS` (storage.analyst_cli) in a subprocess against ``db``."""
    def run(*args, db: str, config: Path | None = None, cwd: Path | None = None, timeout: float = 120):
        env = dict(os.environ)
        env.pop("RASAD_CONFIG", None)
        env["RASAD_DB_URL"] = db
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        if config:
            env["RASAD_CONFIG"] = str(config)
        return subprocess.run([sys.executable, "-m", "storage.analyst_cli", *args], cwd=cwd or tmp_path, env=env,
                              capture_output=True, timeout=timeout)
    return run


@pytest.fixture
def cli(monkeypatch, capsysbinary, tmp_path):
    """Run search_main/export_main in this process (fast); returns (exit code, stdout bytes, stderr str)."""
    from storage import analyst_cli

    def run(command: str, *args, db: str, cwd: Path | None = None):
        monkeypatch.setenv("RASAD_DB_URL", db)
        monkeypatch.delenv("RASAD_CONFIG", raising=False)
        monkeypatch.chdir(cwd or tmp_path)
        capsysbinary.readouterr()
        fn = analyst_cli.search_main if command == "search" else analyst_cli.export_main
        try:
            code = fn(list(args))
        except SystemExit as exc:          # argparse usage errors
            code = exc.code
        sys.stdout.flush()
        captured = capsysbinary.readouterr()
        return code, captured.out, captured.err.decode("utf-8")
    return run
