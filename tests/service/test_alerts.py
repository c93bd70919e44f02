"""Alerts through the outbox, in process, against a real HTTP webhook and a real SMTP server,
on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from crawler.config import load_config
from crawler.items import Article
from scheduler.alerts import RLI, RLM, Dispatcher, snippet
from storage import Store
from storage.models import ArticleRow
from storage.outbox import DEAD, FAILED, PENDING, SENT, DeliveryRow, list_deliveries

from .conftest import free_port, wait_until

DAMASCUS = ZoneInfo("Asia/Damascus")
TEXT = ("أفادت مصادر محلية بأن قوات التحالف أحبطت محاولة تقدم في ريف دير الزور الشرقي، "
        "قرب بلدة ذيبان، بعد اشتباكات استمرت ساعات. وقال مراسلنا إن الاشتباكات توقفت فجراً.")


def config_file(tmp_path, channels: dict, rules: list[dict], alerts: dict | None = None, extra: str = ""):
    lines = []
    for name, url in channels.items():
        lines += [f"[channels.{name}]", f"url = {json.dumps(url)}", ""]
    lines += ["[alerts]", 'timezone = "Asia/Damascus"', "retry_base_seconds = 0.2", "retry_cap_seconds = 1",
              "story_settle_seconds = 0"]
    for k, v in (alerts or {}).items():
        lines.append(f"{k} = {json.dumps(v)}")
    lines.append("")
    for rule in rules:
        lines.append("[[alerts.rules]]")
        for k, v in rule.items():
            lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
        lines.append("")
    path = tmp_path / "rasad.toml"
    path.write_text("\n".join(lines) + extra, encoding="utf-8")
    return load_config(path)


def add_article(store: Store, outlet: str, n: int, *, watches=("deir-ez-zor",), score=2.5, story=None,
                title="التحالف يُفشل محاولة تقدم في دير الزور", published=None) -> str:
    start = TEXT.index("ذيبان")
    a = Article(url=f"https://{outlet}.example/archives/{n}", outlet=outlet, title=f"{title} {n}", text=f"{TEXT} {n}",
                published_at=published or dt.datetime.now(DAMASCUS) - dt.timedelta(minutes=5),
                watches=list(watches), score=score,
                places=[{"name_ar": "ذيبان", "name_en": "Thiban", "pcode": "SY090400", "level": 4,
                         "span": [start, start + 5], "field": "text", "matched": "ذيبان"}] if watches else [])
    result = store.save_article(a)
    with store.session() as s, s.begin():
        s.execute(update(ArticleRow).where(ArticleRow.id == result.article_id)
                  .values(story_id=story or result.article_id))
    return result.article_id


@pytest.fixture
def store(db_url):
    st = Store(db_url)
    yield st
    st.close()


def test_one_alert_per_story_to_webhook_and_email_with_followup(tmp_path, store, webhook, smtp):
    hook = webhook()
    config = config_file(tmp_path, {"ops-webhook": hook.url, "team-email": smtp.url},
                         [{"watch": "deir-ez-zor", "channels": ["ops-webhook", "team-email"], "min_score": 1.0,
                           "followups": True}])
    d = Dispatcher(store, config)
    first = add_article(store, "geiroon", 1)
    add_article(store, "euphratespost", 2, watches=[])                  # no watch: no alert
    add_article(store, "euphratespost", 3, score=0.4)                   # under min_score
    counts = d.dispatch()
    assert counts["sent"] == 2, counts
    (msg,) = hook.delivered()
    body = msg["body"]["message"]
    assert "التحالف يُفشل محاولة تقدم في دير الزور 1" in body
    assert body.splitlines()[0].startswith(RLM + RLI)                   # right-to-left safe
    assert "«ذيبان»" in body and "https://geiroon.example/archives/1" in body
    assert "[deir-ez-zor] Jeroun" in body and "Thiban" in body          # the English line
    assert "توقيت دمشق" in body
    assert msg["headers"]["x-rasad-key"] == f"alert:deir-ez-zor:immediate:ops-webhook+team-email:ops-webhook:{first}"
    (mail,) = smtp.messages
    assert mail["to"] == ["team@example.org"] and "دير الزور" in mail["subject"]
    assert "«ذيبان»" in mail["text"]

    # later copies of the same story: one short follow-up per new outlet, never a second alert
    add_article(store, "sharqsouri", 4, story=first)
    add_article(store, "sharqsouri", 5, story=first)                    # same outlet again: nothing
    add_article(store, "geiroon", 6, story=first)                       # the alerting outlet: nothing
    d.dispatch()
    assert len(hook.delivered()) == 2 and len(smtp.messages) == 2
    followup = hook.delivered()[1]["body"]["message"]
    assert "أوردته أيضاً الشرق السوري" in followup and "Also reported by Al-Sharq al-Souri" in followup
    with store.session() as s:
        rows = list(s.scalars(select(DeliveryRow)))
    assert sorted(r.kind for r in rows) == ["alert", "alert", "followup", "followup"]
    assert all(r.status == SENT and r.attempts == 1 for r in rows)
    d.dispatch()                                                         # idempotent
    assert len(hook.delivered()) == 2


def test_webhook_500_then_recovers_with_backoff(tmp_path, store, webhook):
    hook = webhook()
    hook.fail_next = 2
    config = config_file(tmp_path, {"hook": hook.url}, [{"watch": "deir-ez-zor", "channels": ["hook"]}])
    d = Dispatcher(store, config)
    add_article(store, "geiroon", 1)
    assert d.dispatch()["failed"] == 1
    (row,) = list_deliveries(store)
    assert row.status == FAILED and row.attempts == 1 and "500" in row.last_error
    assert "127.0.0.1" not in row.last_error.replace("to 127.0.0.1.", "") and "json://" not in row.last_error
    assert row.next_attempt_at > dt.datetime.now(dt.timezone.utc)
    assert d.deliver() == {"sent": 0, "failed": 0, "dead": 0}          # not due yet: backoff
    wait_until(lambda: d.deliver()["sent"] == 1, timeout=10, interval=0.1, what="delivery after recovery")
    (row,) = list_deliveries(store)
    assert row.status == SENT and row.attempts == 3 and row.last_error is None
    assert len(hook.delivered()) == 1 and len(hook.requests) == 3


def test_dead_channel_delays_and_gives_up_after_max_attempts(tmp_path, store):
    port = free_port()   # nothing listens here
    config = config_file(tmp_path, {"down": f"json://127.0.0.1:{port}/hook"}, [{"watch": "*", "channels": ["down"]}],
                         {"max_attempts": 3})
    d = Dispatcher(store, config)
    add_article(store, "geiroon", 1)
    d.dispatch()
    wait_until(lambda: (d.deliver(), list_deliveries(store)[0].status == DEAD)[1], timeout=10, what="dead")
    (row,) = list_deliveries(store)
    assert row.attempts == 3 and "Connection" in row.last_error and str(port) not in row.last_error


def test_quiet_hours_hold_an_alert_and_later_copies_update_it(tmp_path, store, webhook):
    hook = webhook()
    now = dt.datetime.now(DAMASCUS)
    start, end = (now - dt.timedelta(minutes=30)), (now + dt.timedelta(minutes=30))
    quiet = f"{start:%H:%M}-{end:%H:%M}"
    config = config_file(tmp_path, {"hook": hook.url}, [{"watch": "deir-ez-zor", "channels": ["hook"],
                                                          "quiet_hours": quiet}])
    d = Dispatcher(store, config)
    first = add_article(store, "geiroon", 1)
    add_article(store, "euphratespost", 2, story=first)
    d.dispatch()
    assert hook.requests == []
    (row,) = list_deliveries(store)
    assert row.status == PENDING
    assert row.next_attempt_at.astimezone(DAMASCUS).strftime("%H:%M") == f"{end:%H:%M}"
    assert "أوردته أيضاً: فرات بوست" in row.body and "also reported by: Euphrates Post" in row.body


def test_digest_collects_stories_into_one_message(tmp_path, store, webhook):
    hook = webhook()
    config = config_file(tmp_path, {"hook": hook.url}, [{"name": "dz-daily", "watch": "deir-ez-zor", "channels": ["hook"],
                                                          "mode": "digest", "digest": "daily@08:00"}])
    d = Dispatcher(store, config)
    a = add_article(store, "geiroon", 1)
    add_article(store, "sharqsouri", 2, story=a)
    add_article(store, "euphratespost", 3)
    d.dispatch()
    assert hook.requests == []
    rule = d.settings.rules[0]
    assert d.run_digest(rule) == 2
    d.deliver()
    (msg,) = hook.delivered()
    text = msg["body"]["message"]
    assert "1. جيرون" in text and "2. فرات بوست" in text and "أوردته أيضاً: الشرق السوري" in text
    assert d.run_digest(rule) == 0


def test_parallel_deliverers_send_each_message_once(tmp_path, store, webhook):
    hook = webhook()
    config = config_file(tmp_path, {"hook": hook.url}, [{"watch": "deir-ez-zor", "channels": ["hook"]}])
    d = Dispatcher(store, config)
    for n in range(30):
        add_article(store, "geiroon", n)
    hook.fail_next = 3
    d.scan()
    workers = [Dispatcher(Store(store.url), config) for _ in range(4)]
    def loop(w):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(hook.delivered()) < 30:
            w.deliver()
            time.sleep(0.05)
    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    keys = [r["headers"]["x-rasad-key"] for r in hook.delivered()]
    assert len(keys) == 30 and len(set(keys)) == 30
    for w in workers:
        w.store.close()


def test_snippet_marks_the_matched_span():
    row = ArticleRow(text=TEXT, title="t")
    start = TEXT.index("ذيبان")
    s = snippet(row, {"field": "text", "span": [start, start + 5], "matched": "ذيبان"}, width=20)
    assert "«ذيبان»" in s and s.startswith("…") and s.endswith("…")
    assert snippet(row, {"field": "text", "span": [0, 3], "matched": "دير الزور"}).count("«دير الزور»") == 1


def test_old_articles_are_not_news(tmp_path, store, webhook):
    hook = webhook()
    config = config_file(tmp_path, {"hook": hook.url}, [{"watch": "deir-ez-zor", "channels": ["hook"]}],
                         {"max_age_hours": 48})
    d = Dispatcher(store, config)
    add_article(store, "geiroon", 1, published=dt.datetime.now(DAMASCUS) - dt.timedelta(days=30))
    assert d.scan() == {"old": 1}
    assert d.deliver()["sent"] == 0


def test_slack_telegram_and_discord_channels(tmp_path, sqlite_url, webhook, monkeypatch):
    """The fixed-host services, pointed at a local receiver (their plugin's API base URL)."""
    from apprise.plugins.discord import NotifyDiscord
    from apprise.plugins.slack import NotifySlack
    from apprise.plugins.telegram import NotifyTelegram
    hook = webhook()
    base = f"http://127.0.0.1:{hook.port}"
    monkeypatch.setattr(NotifyTelegram, "notify_url", f"{base}/bot")
    monkeypatch.setattr(NotifySlack, "webhook_url", f"{base}/services")
    monkeypatch.setattr(NotifyDiscord, "notify_url", f"{base}/api/webhooks")

    def answer(path):
        if path.startswith("/bot"):
            return 200, json.dumps({"ok": True, "result": {"message_id": 1, "chat": {"id": 12345}}}).encode()
        if path.startswith("/services"):
            return 200, b"ok"
        return 204, b""
    hook.answer = answer
    monkeypatch.setenv("TG_TOKEN", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    config = config_file(tmp_path, {"tg": "tgram://{TG_TOKEN}/12345",
                                    "slack": "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
                                    "discord": "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js"},
                         [{"watch": "deir-ez-zor", "channels": ["tg", "slack", "discord"]}])
    store = Store(sqlite_url)
    d = Dispatcher(store, config)
    add_article(store, "geiroon", 1)
    assert d.dispatch()["sent"] == 3, [r.last_error for r in list_deliveries(store)]
    paths = sorted(r["path"].split("/")[1] for r in hook.delivered())
    assert paths == ["api", "bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "services"]
    texts = [json.dumps(r["body"], ensure_ascii=False) for r in hook.delivered()]
    assert all("ذيبان" in t for t in texts)


def test_body_snippets_mark_every_match_once_and_skip_the_title():
    from scheduler.alerts import body_snippets
    lead = "قُتل شخصان في بلدة ذيبان بريف دير الزور الشرقي فجر اليوم."
    text = lead + "\n\n" + "كلام " * 40 + "وفي الميادين أيضاً توترات."
    def at(field, word):
        src = lead if field == "lead" else text
        i = src.index(word)
        return {"field": field, "span": [i, i + len(word)], "matched": word}
    row = ArticleRow(title="ذيبان", lead=lead, text=text,
                     places=[at("title", "ذيبان") | {"span": [0, 5]}, at("lead", "ذيبان"), at("text", "ذيبان"),
                             at("text", "ريف دير الزور الشرقي"), at("text", "الميادين")])
    first, second = body_snippets(row, width=30)
    assert "«ذيبان» ب«ريف دير الزور الشرقي»" in first and first.count("«") == 2
    assert "«الميادين»" in second and second.startswith("…")
    assert len(body_snippets(row, limit=1)) == 1
