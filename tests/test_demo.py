"""`rasad demo`, the first command a newcomer runs (and `make demo` behind it)."""
import re

from storage import Store


def test_demo_crawls_the_three_outlets_and_second_run_stores_nothing(rasad, tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    first = rasad("demo", db=db)
    assert first.returncode == 0, first.stderr[-3000:]
    for outlet, count in (("geiroon", 8), ("euphratespost", 6), ("sharqsouri", 5)):
        assert f"{outlet}: {count} articles stored" in first.stdout
    assert "التحالف يُفشل محاولة تقدم لميليشيات النظام في دير الزور" in first.stdout
    assert Store(db).count() == 19
    second = rasad("demo", db=db)
    assert second.returncode == 0
    assert all(int(n) == 0 for n in re.findall(r"^\w+\s+finished\s+\w+\s+(\d+)", second.stdout, re.M))
    assert Store(db).count() == 19


def test_demo_uses_the_default_sqlite_store_when_nothing_is_configured(rasad, tmp_path):
    result = rasad("demo", env={"RASAD_DB_URL": ""}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "data" / "rasad.db").is_file()
    assert Store(f"sqlite:///{tmp_path / 'data' / 'rasad.db'}").count() == 19
