"""`rasad demo`, the first command a newcomer runs (and `make demo` behind it)."""
import re

from storage import Store


def test_demo_crawls_the_three_outlets_and_second_run_stores_nothing(rasad, tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    first = rasad("demo", "--db", db)
    assert first.returncode == 0, first.stderr[-3000:]
    for outlet, count in (("geiroon", 8), ("euphratespost", 6), ("sharqsouri", 5)):
        assert f"{outlet}: {count} articles stored" in first.stdout
    assert "التحالف يُفشل محاولة تقدم لميليشيات النظام في دير الزور" in first.stdout
    assert Store(db).count() == 19
    second = rasad("demo", "--db", db)
    assert second.returncode == 0
    new = re.findall(r"^(\w+)\s+finished\s+\w+\s+(\d+)", second.stdout, re.M)
    assert sorted(new) == [("euphratespost", "0"), ("geiroon", "0"), ("sharqsouri", "0")], second.stdout
    assert Store(db).count() == 19


def test_demo_keeps_its_own_store_and_never_touches_rasad_db_url(rasad, tmp_path):
    production = f"sqlite:///{tmp_path / 'production.db'}"
    result = rasad("demo", db=production, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert Store(f"sqlite:///{tmp_path / 'data' / 'demo.db'}").count() == 19
    assert not (tmp_path / "production.db").exists() or Store(production).count() == 0
