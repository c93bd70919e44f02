"""`rasad run` as a real subprocess: a local outlet publishing while the service runs, a real
webhook and SMTP server, a Sentry envelope sink, SIGKILL/restart, two services with Redis locks."""
from __future__ import annotations

import datetime as dt
import json
import signal
import time

from sqlalchemy import select

from storage import Store
from storage.models import CrawlRunRow
from storage.outbox import SENT, DeliveryRow

from ._config import service_config
from ._outlet import publish
from .conftest import free_port, wait_until
from .test_alerts import add_article

RULE = {"watch": "deir-ez-zor", "channels": ["hook"], "min_score": 0.0}
FIXED = {"interval_seconds": 2, "min_interval_seconds": 2, "max_interval_seconds": 2}


def runs(store: Store, outlet: str = "geiroon") -> list[CrawlRunRow]:
    with store.session() as s:
        return list(s.scalars(select(CrawlRunRow).where(CrawlRunRow.outlet == outlet).order_by(CrawlRunRow.id)))


def deliveries(store: Store) -> list[DeliveryRow]:
    with store.session() as s:
        return list(s.scalars(select(DeliveryRow).order_by(DeliveryRow.id)))


def test_new_deir_ez_zor_item_reaches_webhook_and_email(serve, webhook, smtp, run_service, tmp_path, sqlite_url):
    site = serve("geiroon")
    hook = webhook()
    config = service_config(tmp_path / "rasad.toml", outlets={"geiroon": (site, FIXED)},
                            channels={"hook": hook.url, "mail": smtp.url},
                            rules=[{**RULE, "channels": ["hook", "mail"]}])
    service = run_service("--outlets", "geiroon", config=config, db=sqlite_url)
    store = Store(sqlite_url)
    wait_until(lambda: any(r.status == "finished" for r in runs(store)), 60, 0.2, "the first crawl")
    item = publish(tmp_path / "sites" / "geiroon", 175300)
    stored = wait_until(lambda: store.find_by_url(site.base_url + item["path"]), 30, 0.2, "the new item stored")
    assert stored.watches, (
        "the crawl pipeline stored the Deir ez-Zor item without watches: place matching (crawler/geo) is not "
        f"wired into the pipeline yet; places={stored.places!r}")
    assert "deir-ez-zor" in stored.watches
    msg = wait_until(lambda: [r for r in hook.delivered() if item["title"] in r["body"]["message"]], 30, 0.2,
                     "the webhook alert")[0]
    assert site.base_url + item["path"] in msg["body"]["message"]
    wait_until(lambda: [m for m in smtp.messages if item["title"] in m["text"]], 15, 0.2, "the e-mail alert")
    assert service.terminate() == 0, service.output()[-3000:]
    assert sum(item["title"] in r["body"]["message"] for r in hook.delivered()) == 1


def test_killed_before_sending_then_restarted_sends_each_alert_once(webhook, run_service, tmp_path, sqlite_url):
    port = free_port()      # the webhook is down at first
    config = service_config(tmp_path / "rasad.toml", channels={"hook": f"json://127.0.0.1:{port}/hook"},
                            rules=[RULE], alerts={"story_settle_seconds": 0})
    store = Store(sqlite_url)
    ids = [add_article(store, "geiroon", n) for n in range(3)]
    first = run_service("--no-crawl", config=config, db=sqlite_url)
    wait_until(lambda: len(deliveries(store)) == 3 and all(d.attempts >= 1 for d in deliveries(store)), 30, 0.1,
               "stored and tried deliveries")
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait()
    assert all(d.status != SENT for d in deliveries(store))
    ids.append(add_article(store, "euphratespost", 9))       # stored while no service runs
    hook = webhook(port)
    second = run_service("--no-crawl", config=config, db=sqlite_url)
    wait_until(lambda: len(hook.delivered()) >= 4, 30, 0.1, "all four alerts")
    time.sleep(2)
    keys = [r["headers"]["x-rasad-key"] for r in hook.delivered()]
    assert len(keys) == 4 and len(set(keys)) == 4
    assert {k.rsplit(":", 1)[1] for k in keys} == set(ids)
    assert all(d.status == SENT for d in deliveries(store))
    assert second.terminate() == 0
    logs = first.output() + second.output()
    assert "failed (attempt 1)" in logs and "json://" not in logs and f":{port}" not in logs


def test_killed_while_sending_resends_with_the_same_idempotency_key(webhook, run_service, tmp_path, db_url):
    """SQLite: the dead process's lease expires; PostgreSQL: its transaction (row lock) is rolled back."""
    sqlite_url = db_url
    hook = webhook()
    hook.delay = 2.0
    config = service_config(tmp_path / "rasad.toml", channels={"hook": hook.url}, rules=[RULE],
                            alerts={"story_settle_seconds": 0, "claim_lease_seconds": 4})
    store = Store(sqlite_url)
    add_article(store, "geiroon", 1)
    first = run_service("--no-crawl", config=config, db=sqlite_url)
    wait_until(lambda: hook.requests, 30, 0.05, "a request in flight")
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait()
    hook.delay = 0
    second = run_service("--no-crawl", config=config, db=sqlite_url)
    wait_until(lambda: deliveries(store) and deliveries(store)[0].status == SENT, 30, 0.2, "the resend")
    time.sleep(1)
    # the copy in flight when the process died is sent again, with the same idempotency key
    assert len(hook.requests) == 2 and hook.requests[0]["status"] == 200
    assert len({r["headers"]["x-rasad-key"] for r in hook.requests}) == 1
    assert deliveries(store)[0].attempts == 1
    assert second.terminate() == 0


def test_crawl_timeout_health_alert_sentry_and_sigterm_abandons(serve, webhook, sentry_sink, run_service, tmp_path,
                                                                 sqlite_url):
    site = serve("geiroon")
    root = tmp_path / "sites" / "geiroon"
    (root / "_faults.json").write_text(json.dumps({"/feed/": {"delay": 25}}), encoding="utf-8")
    hook = webhook()
    config = service_config(tmp_path / "rasad.toml", outlets={"geiroon": (site, FIXED)}, channels={"ops": hook.url},
                            alerts={"operators": ["ops"]}, crawl={"download_timeout": 60},
                            scheduler={"crawl_timeout_seconds": 5, "shutdown_grace_seconds": 1},
                            health={"max_failures": 2})
    store = Store(sqlite_url)
    service = run_service("--outlets", "geiroon", config=config, db=sqlite_url, env={"SENTRY_DSN": sentry_sink.dsn})
    wait_until(lambda: len([r for r in runs(store) if r.status == "failed"]) >= 2, 60, 0.2, "two timed-out crawls")
    assert all("timed out after 5s" in r.error for r in runs(store) if r.status == "failed")
    health = wait_until(lambda: [r for r in hook.delivered() if "failures" in r["body"]["title"]], 20, 0.2,
                        "the health alert")
    assert "geiroon" in health[0]["body"]["message"] and "فشل" in health[0]["body"]["message"]
    wait_until(lambda: len([r for r in runs(store) if r.status == "failed"]) >= 3, 30, 0.2, "a third failure")
    time.sleep(1.5)
    assert len([r for r in hook.delivered() if "failures" in r["body"]["title"]]) == 1   # one per episode
    assert service.proc.poll() is None                                                    # the service lives on

    def fresh_crawl_in_flight():   # well before its 5 s timeout, so SIGTERM (not the timeout) ends it
        last = runs(store)[-1]
        return last.status == "running" and (dt.datetime.now(dt.timezone.utc) - last.started_at).total_seconds() < 1.5
    wait_until(fresh_crawl_in_flight, 30, 0.05, "a crawl in flight")
    t0 = time.monotonic()
    assert service.terminate(timeout=30) == 0, service.output()[-3000:]
    assert time.monotonic() - t0 < 10
    assert runs(store)[-1].status == "abandoned"

    events = sentry_sink.of_type("event")
    timeouts = [e for e in events if "timed out" in json.dumps(e)]
    assert timeouts and timeouts[0]["tags"]["outlet"] == "geiroon" and timeouts[0]["tags"]["url"] == site.base_url
    checkins = sentry_sink.of_type("check_in")
    crawl_checkins = [c for c in checkins if c["monitor_slug"] == "rasad-crawl-geiroon"]
    assert {"in_progress", "error"} <= {c["status"] for c in crawl_checkins}
    assert crawl_checkins[0]["monitor_config"]["schedule"]["type"] == "interval"
    raw = b"".join(sentry_sink.raw)
    assert hook.url.encode() not in raw and str(hook.port).encode() not in raw


def test_two_services_with_redis_locks_lose_nothing_and_send_nothing_twice(serve, webhook, run_service, tmp_path,
                                                                             pg_url, redis_url):
    site = serve("geiroon")
    hook = webhook()
    hook.fail_next = 2
    fast = {"interval_seconds": 1, "min_interval_seconds": 1, "max_interval_seconds": 1}
    # the crawled geiroon items are not alerted here (rule limited to the outlet the test writes)
    config = service_config(tmp_path / "rasad.toml", outlets={"geiroon": (site, fast)}, channels={"hook": hook.url},
                            rules=[{**RULE, "outlets": ["euphratespost"]}], alerts={"story_settle_seconds": 0},
                            scheduler={"jitter_seconds": 0})
    store = Store(pg_url)
    env = {"REDIS_URL": redis_url}
    a = run_service("--outlets", "geiroon", config=config, db=pg_url, env=env, name="a")
    b = run_service("--outlets", "geiroon", config=config, db=pg_url, env=env, name="b")
    ids = []
    for batch in range(4):
        ids += [add_article(store, "euphratespost", batch * 10 + n) for n in range(3)]
        time.sleep(1)
    wait_until(lambda: len(hook.delivered()) >= 12, 40, 0.2, "twelve alerts")
    wait_until(lambda: len([r for r in runs(store) if r.finished_at]) >= 4, 40, 0.2, "several crawls")
    time.sleep(2)
    keys = [r["headers"]["x-rasad-key"] for r in hook.delivered()]
    assert len(keys) == 12 and len(set(keys)) == 12 and {k.rsplit(":", 1)[1] for k in keys} == set(ids)
    assert a.terminate() == 0, a.output()[-3000:]
    assert b.terminate() == 0, b.output()[-3000:]
    done = [r for r in runs(store) if r.finished_at]
    spans = sorted((r.started_at, r.finished_at) for r in done)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert s2 >= e1 - dt.timedelta(milliseconds=50), f"two crawls of geiroon overlapped: {spans}"
    logs = a.output() + b.output()
    assert "locks redis" in logs
    assert "already running (here or on another host)" in logs
    assert all(d.status == SENT for d in deliveries(store))


def test_crawl_errors_reach_sentry_with_outlet_and_url_tags(sentry_sink, tmp_path, sqlite_url):
    import os
    import subprocess
    import sys

    from conftest import ROOT
    dead = free_port()
    cfg = tmp_path / "rasad.toml"
    cfg.write_text(f'[crawl]\ndownload_timeout = 1\nretry_times = 0\n[outlets.geiroon]\n'
                   f'base_url = "http://127.0.0.1:{dead}"\ndomains = ["127.0.0.1"]\n', encoding="utf-8")
    env = dict(os.environ, RASAD_CONFIG=str(cfg), RASAD_DB_URL=sqlite_url, SENTRY_DSN=sentry_sink.dsn)
    result = subprocess.run([sys.executable, "-m", "scheduler.crawl_entry", "geiroon"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    events = wait_until(lambda: sentry_sink.of_type("event"), 10, 0.1, "crawl events")
    failed = [e for e in events if "every discovery source failed" in json.dumps(e)]
    assert failed and failed[0]["tags"]["outlet"] == "geiroon" and failed[0]["tags"]["component"] == "crawl"
    assert all(e["tags"].get("url", "").startswith(f"http://127.0.0.1:{dead}/") for e in events if "url" in e["tags"])
    assert any("url" in e["tags"] for e in events)
