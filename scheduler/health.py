"""Outlet health: silence, repeated crawl failures, extraction yield; one operator alert per episode.

All three are computed from the store (``articles.first_seen_at`` and ``crawl_runs``), so any
`rasad run` process (or a restarted one) reaches the same verdict:

- ``silence``: nothing new stored for longer than the outlet's expected silence
  (``[health] expected_silence_hours``, or ``expected_silence_hours`` in the outlet's table),
  counted from the newest article, or from the first recorded crawl when there is none.
- ``failures``: the newest ``max_failures`` finished crawls all failed.
- ``yield``: over the newest ``yield_runs`` finished crawls that fetched at least
  ``yield_min_pages`` article pages, the share of pages that gave a title, a body and a date
  (``rasad/extracted`` minus ``rasad/missing/published_at``, over ``rasad/extracted`` plus
  ``rasad/skipped``) fell below ``min_yield`` -- the usual sign of a changed theme.

Each (outlet, condition) is an episode in ``health_episodes``: the operators' channel hears once
when it starts and once when it ends.
"""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, select

from crawler.config import Config
from scheduler.alerts import Dispatcher, rtl
from scheduler.settings import HealthSettings
from storage.models import ArticleRow, CrawlRunRow
from storage.outbox import HealthEpisodeRow, run_in_transaction, utcnow

log = logging.getLogger("rasad.health")
DONE = ("finished", "failed")

AR = {"silence": "لا أخبار جديدة", "failures": "فشل الزحف المتكرر", "yield": "انخفاض نسبة الاستخراج"}


def _hours(td: dt.timedelta) -> str:
    return f"{td.total_seconds() / 3600:.1f} h"


def evaluate(store, outlet: str, hs: HealthSettings, now: dt.datetime) -> dict[str, tuple[bool, str]]:
    """{condition: (active, detail)} for one outlet."""
    with store.session() as s:
        newest = s.scalar(select(func.max(ArticleRow.first_seen_at)).where(ArticleRow.outlet == outlet))
        first_run = s.scalar(select(func.min(CrawlRunRow.started_at)).where(CrawlRunRow.outlet == outlet))
        runs = list(s.scalars(select(CrawlRunRow).where(CrawlRunRow.outlet == outlet, CrawlRunRow.status.in_(DONE))
                              .order_by(CrawlRunRow.started_at.desc()).limit(max(hs.max_failures, hs.yield_runs * 4, 10))))
    out: dict[str, tuple[bool, str]] = {}
    expected = dt.timedelta(hours=hs.per_outlet_silence.get(outlet, hs.expected_silence_hours))
    ref = newest or first_run
    if ref is not None:
        quiet = now - ref
        out["silence"] = (quiet > expected,
                          f"no new article for {_hours(quiet)} (expected within {_hours(expected)})")
    recent = runs[:hs.max_failures]
    failing = len(recent) >= hs.max_failures and all(r.status == "failed" for r in recent)
    last_error = (recent[0].error or "") if recent else ""
    out["failures"] = (failing, f"the last {len(recent)} crawls failed" + (f"; last error: {last_error[:200]}" if failing and last_error else ""))
    pages = complete = used = 0
    for r in runs:
        if r.status != "finished":
            continue
        c = r.counts or {}
        extracted = int(c.get("rasad/extracted", 0) or 0)
        skipped = int(c.get("rasad/skipped", 0) or 0)
        if extracted + skipped == 0:
            continue   # nothing new fetched: says nothing about the theme
        pages += extracted + skipped
        complete += max(0, extracted - int(c.get("rasad/missing/published_at", 0) or 0))
        used += 1
        if used >= hs.yield_runs:
            break
    if pages >= hs.yield_min_pages:
        share = complete / pages
        out["yield"] = (share < hs.min_yield,
                        f"{complete} of {pages} article pages gave title, date and body ({share:.0%}) over the "
                        f"last {used} crawls; expected at least {hs.min_yield:.0%}")
    return out


def check_all(store, config: Config, hs: HealthSettings, dispatcher: Dispatcher, now: dt.datetime | None = None) -> list[str]:
    """Evaluate every enabled outlet; open/close episodes; returns the messages queued (keys)."""
    now = now or utcnow()
    queued: list[str] = []
    for outlet in config.enabled_outlets():
        for condition, (active, detail) in evaluate(store, outlet.key, hs, now).items():
            queued += _episode(store, config, dispatcher, outlet.key, condition, active, detail, now)
    return queued


def _episode(store, config, dispatcher, outlet, condition, active, detail, now) -> list[str]:
    def work(s):
        q = select(HealthEpisodeRow).where(HealthEpisodeRow.outlet == outlet, HealthEpisodeRow.condition == condition)
        if store.engine.dialect.name == "postgresql":
            q = q.with_for_update()
        row = s.scalar(q)
        if row is None:
            if not active:
                return None
            row = HealthEpisodeRow(outlet=outlet, condition=condition, active=False, updated_at=now)
            s.add(row)
        if active == bool(row.active):
            row.detail, row.updated_at = detail, now
            return None
        since = row.since if not active else now
        row.active, row.detail, row.updated_at = active, detail, now
        if active:
            row.since = now
        s.flush()
        return ("start" if active else "end", since)
    change = run_in_transaction(store, work)
    if not change:
        return []
    kind, since = change
    o = config.outlets.get(outlet)
    name_ar = (o.name_ar or o.name) if o else outlet
    stamp = since.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    if kind == "start":
        title = f"rasad health: {outlet}: {condition}"
        body = "\n".join([rtl(f"تنبيه تشغيل: {name_ar} — {AR.get(condition, condition)}"),
                          f"rasad health alert: outlet {outlet}: {condition}: {dispatcher.redact(detail)}"])
        key = f"health:{outlet}:{condition}:{stamp}"
        log.warning("health: outlet %s: %s: %s", outlet, condition, detail)
    else:
        title = f"rasad health: {outlet}: {condition} resolved"
        body = "\n".join([rtl(f"عادت الأمور إلى طبيعتها: {name_ar} — {AR.get(condition, condition)}"),
                          f"rasad health: outlet {outlet}: {condition} resolved ({dispatcher.redact(detail)})"])
        key = f"health-ok:{outlet}:{condition}:{stamp}"
        log.info("health: outlet %s: %s resolved", outlet, condition)
    if not dispatcher.settings.operators:
        log.warning("health: no [alerts] operators channel configured; %s of %s/%s only logged", kind, outlet, condition)
        return []
    return dispatcher.enqueue_operator(key, title, body)
