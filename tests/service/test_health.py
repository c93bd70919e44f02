"""Health checks from the store (crawl_runs, articles), one operator alert per episode; locks;
adaptive polling; Sentry scrubbing; `rasad alerts` on the command line."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest

from crawler.config import load_config
from scheduler.alerts import Dispatcher
from scheduler.health import check_all, evaluate
from scheduler.locks import LocalLocks, RedisLocks
from scheduler.monitoring import make_before_send
from scheduler.redact import Redactor
from scheduler.service import adaptive_interval
from scheduler.settings import HealthSettings
from storage import Store
from storage.models import CrawlRunRow
from storage.outbox import list_deliveries

from .conftest import free_port
from .test_alerts import TEXT, add_article, config_file

UTC = dt.timezone.utc


def add_run(store, outlet: str, status: str, counts: dict | None = None, ago: float = 0.0, error: str | None = None):
    at = dt.datetime.now(UTC) - dt.timedelta(seconds=ago)
    with store.session() as s, s.begin():
        s.add(CrawlRunRow(outlet=outlet, started_at=at, finished_at=at, status=status, counts=counts or {}, error=error))


GOOD = {"rasad/articles/new": 5, "rasad/extracted": 5, "rasad/skipped": 0}
BROKEN_THEME = {"rasad/articles/new": 1, "rasad/extracted": 2, "rasad/skipped": 4, "rasad/missing/published_at": 1}


@pytest.fixture
def store(db_url):
    st = Store(db_url)
    yield st
    st.close()


def test_yield_drop_alerts_operators_once_per_episode_and_on_recovery(tmp_path, store, webhook):
    hook = webhook()
    config = config_file(tmp_path, {"ops": hook.url}, [], {"operators": ["ops"]})
    d = Dispatcher(store, config)
    hs = HealthSettings(yield_runs=2, yield_min_pages=3, min_yield=0.5, expected_silence_hours=24, max_failures=3)
    add_run(store, "geiroon", "finished", GOOD, ago=300)
    add_article(store, "geiroon", 1)
    assert check_all(store, config, hs, d) == []
    add_run(store, "geiroon", "finished", BROKEN_THEME, ago=200)
    add_run(store, "geiroon", "finished", BROKEN_THEME, ago=100)
    assert evaluate(store, "geiroon", hs, dt.datetime.now(UTC))["yield"][0] is True
    (key,) = check_all(store, config, hs, d)
    assert key.startswith("health:geiroon:yield:")
    assert check_all(store, config, hs, d) == []              # same episode: nothing more
    add_run(store, "geiroon", "finished", {"rasad/known_skipped": 10}, ago=50)   # nothing fetched: no verdict
    assert check_all(store, config, hs, d) == []
    d.deliver()
    (msg,) = hook.delivered()
    assert "yield" in msg["body"]["title"] and "2 of 12" in msg["body"]["message"]
    add_run(store, "geiroon", "finished", GOOD, ago=20)
    add_run(store, "geiroon", "finished", GOOD, ago=10)
    (key,) = check_all(store, config, hs, d)
    assert key.startswith("health-ok:geiroon:yield:")
    d.deliver()
    assert "resolved" in hook.delivered()[1]["body"]["title"]


def test_silence_and_repeated_failures(tmp_path, store, webhook):
    hook = webhook()
    config = config_file(tmp_path, {"ops": hook.url}, [], {"operators": ["ops"]},
                         extra='\n[outlets.euphratespost]\nexpected_silence_hours = 0.001\n')
    d = Dispatcher(store, config)
    hs = HealthSettings(max_failures=2, expected_silence_hours=24,
                        per_outlet_silence={"euphratespost": 0.001})
    add_run(store, "euphratespost", "finished", {"rasad/known_skipped": 5}, ago=60)
    add_run(store, "sharqsouri", "failed", ago=30, error="every discovery source failed")
    add_run(store, "sharqsouri", "failed", ago=10, error="every discovery source failed")
    keys = sorted(check_all(store, config, hs, d))
    assert [k.split(":")[1:3] for k in keys] == [["euphratespost", "silence"], ["sharqsouri", "failures"]]
    assert check_all(store, config, hs, d) == []
    d.deliver()
    texts = " ".join(r["body"]["message"] for r in hook.delivered())
    assert "every discovery source failed" in texts and "no new article for" in texts


def test_redis_locks_are_exclusive_renewed_and_released_by_owner_only(redis_url):
    a, b = RedisLocks(redis_url, ttl_seconds=1.0), RedisLocks(redis_url, ttl_seconds=1.0)
    with a.hold("crawl:x") as held:
        assert held
        with b.hold("crawl:x") as other:
            assert not other
        time.sleep(2.0)                  # longer than the TTL: renewal keeps it ours
        assert not held.lost.is_set()
        with b.hold("crawl:x") as other:
            assert not other
        a.client.set("rasad:lock:crawl:x", "someone-else")   # the lock was taken over
    assert a.client.get("rasad:lock:crawl:x") == b"someone-else"   # compare-and-delete kept theirs
    a.client.delete("rasad:lock:crawl:x")
    with b.hold("crawl:x") as held:
        assert held
    assert a.client.get("rasad:lock:crawl:x") is None


def test_local_locks_one_holder_at_a_time():
    locks = LocalLocks()
    results = []
    with locks.hold("j") as first:
        t = threading.Thread(target=lambda: results.append(bool(locks.hold("j").__enter__())))
        t.start()
        t.join()
        assert first and results == [False]


def test_adaptive_interval_follows_the_share_of_known_urls():
    busy = {"rasad/articles/new": 8, "rasad/known_skipped": 2}
    steady = {"rasad/articles/new": 3, "rasad/known_skipped": 7}
    quiet = {"rasad/articles/new": 0, "rasad/known_skipped": 10}
    unchanged_feed = {}
    assert adaptive_interval([busy], 600, 300, 2400) == 300
    assert adaptive_interval([steady, steady], 600, 300, 2400) == 600
    assert adaptive_interval([quiet, unchanged_feed, quiet], 600, 300, 2400) == 600 * 1.5 ** 3
    assert adaptive_interval([quiet] * 10, 600, 300, 2400) == 2400
    assert adaptive_interval([quiet] * 10 + [busy], 600, 300, 2400) == 1200


def test_sentry_events_are_scrubbed_and_tagged():
    red = Redactor(["json://127.0.0.1:9000/hook/s3cr3t-token"])
    before = make_before_send(red, "geiroon")
    event = {"logentry": {"message": "extraction crashed on https://geiroon.net/archives/1 " + TEXT * 5},
             "exception": {"values": [{"value": "send to json://127.0.0.1:9000/hook/s3cr3t-token failed",
                                       "stacktrace": {"frames": [{"vars": {"text": TEXT}}]}}]},
             "request": {"data": TEXT}, "extra": {"body": TEXT}}
    out = before(event, {})
    dumped = json.dumps(out, ensure_ascii=False)
    assert out["tags"] == {"outlet": "geiroon", "url": "https://geiroon.net/archives/1"}
    assert "s3cr3t" not in dumped and TEXT not in dumped and "request" not in out and "extra" not in out


def test_alerts_cli_lists_tests_and_never_shows_secrets(tmp_path, webhook, rasad, sqlite_url):
    hook = webhook()
    dead = free_port()
    token = "tok-9f8e7d6c5b4a"
    cfg = tmp_path / "rasad.toml"
    cfg.write_text(f'''
[channels.hook]
url = "json://127.0.0.1:{hook.port}/hook/{{HOOK_TOKEN}}"
[channels.down]
url = "json://rasad:{{HOOK_TOKEN}}@127.0.0.1:{dead}/x"
[alerts]
retry_base_seconds = 60
story_settle_seconds = 0
[[alerts.rules]]
watch = "deir-ez-zor"
channels = ["hook", "down"]
''', encoding="utf-8")
    env = {"HOOK_TOKEN": token}
    ok = rasad("alerts", "test", "hook", config=cfg, db=sqlite_url, env=env)
    assert ok.returncode == 0, ok.stderr
    (msg,) = hook.delivered()
    assert msg["path"] == f"/hook/{token}" and "رسالة تجريبية" in msg["body"]["message"]
    bad = rasad("alerts", "test", "down", config=cfg, db=sqlite_url, env=env)
    assert bad.returncode == 1 and "failed" in bad.stderr
    missing = rasad("alerts", "test", "hook", config=cfg, db=sqlite_url)
    assert missing.returncode == 1 and "HOOK_TOKEN not set" in missing.stderr
    # a failed delivery in the outbox, listed
    import os
    os.environ["HOOK_TOKEN"] = token
    try:
        store = Store(sqlite_url)
        add_article(store, "geiroon", 1)
        Dispatcher(store, load_config(cfg)).dispatch()
        assert {r.status for r in list_deliveries(store)} == {"sent", "failed"}
    finally:
        del os.environ["HOOK_TOKEN"]
    listing = rasad("alerts", config=cfg, db=sqlite_url, env=env)
    assert listing.returncode == 0
    assert "pending 0, failed 1, sent 1, dead 0" in listing.stdout and "down (json)" in listing.stdout
    for out in (ok, bad, missing, listing):
        assert token not in out.stdout + out.stderr and f":{dead}" not in out.stdout + out.stderr
        assert "json://127" not in out.stdout + out.stderr
    pending = rasad("alerts", "--status", "failed", config=cfg, db=sqlite_url, env=env)
    rows = pending.stdout.splitlines()[4:]
    assert len(rows) == 1 and " down " in rows[0] and " failed " in rows[0]
