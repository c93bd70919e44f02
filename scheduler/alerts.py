"""Alerts: rules -> messages -> channels, through the outbox (storage/outbox.py).

How new matches are found: every stored article that the dispatcher has not looked at yet
(an anti-join of ``articles`` on ``alert_articles``), first seen within ``alerts.lookback_hours``,
oldest first::

    SELECT articles.* FROM articles
    LEFT OUTER JOIN alert_articles ON alert_articles.article_id = articles.id
    WHERE alert_articles.article_id IS NULL AND articles.first_seen_at >= :since
      AND (articles.story_id IS NOT NULL OR articles.first_seen_at <= :now - story_settle_seconds)
    ORDER BY articles.first_seen_at, articles.id LIMIT 200

Each article is then handled in one transaction: its ``alert_articles`` row is inserted (primary
key: a second process handling the same article fails and skips it), and for each rule whose
watch is in ``articles.watches`` (and ``score >= min_score``) the story (``story_id``, or the
article itself while no story is assigned) gets one ``alerts`` row (unique per rule and story).
The first article of a story enqueues one delivery per channel; later copies only update the
alert (the outlets list, the text of a not-yet-sent message) or enqueue a short "also reported
by" follow-up when the rule asks for it. Digest rules collect alerts and a digest job sends them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import uuid
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from crawler.config import Config, ConfigError, get_config
from scheduler.redact import Redactor
from scheduler.settings import AlertSettings, Channel, Rule, load_alert_settings
from storage.models import ArticleRow
from storage.outbox import (DEAD, FAILED, OPEN_STATUSES, PENDING, SENT, AlertArticleRow, AlertRow, Backoff,
                            DeliveryRow, NewDelivery, deliver_due, enqueue, list_deliveries, requeue,
                            run_in_transaction, status_counts, utcnow)

log = logging.getLogger("rasad.alerts")

RLM, RLI, LRI, PDI = "\u200f", "\u2067", "\u2066", "\u2069"
SCAN_BATCH = 200
HTTP_SCHEMES = ("json", "jsons", "form", "forms", "xml", "xmls")


def rtl(line: str) -> str:
    """An Arabic line that stays right-to-left in any client: RLM + isolated RTL run."""
    return f"{RLM}{RLI}{line}{PDI}"


def ltr(text: str) -> str:
    """A left-to-right fragment (a URL, Latin name) isolated inside an Arabic line."""
    return f"{LRI}{text}{PDI}"


# ---- rendering ---------------------------------------------------------------------------

def _outlet_names(config: Config, key: str) -> tuple[str, str]:
    o = config.outlets.get(key)
    if o is None:
        return key, key
    return (o.name_ar or o.name or key), (o.name or key)


def _local(value: dt.datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def snippet(article: ArticleRow, place: dict, width: int = 70) -> str:
    """The words around a matched place, the match marked «like this»."""
    field = place.get("field") or "text"
    text = getattr(article, field, None) or ""
    span = place.get("span") or []
    matched = place.get("matched") or place.get("name_ar") or ""
    start = end = None
    if len(span) == 2 and 0 <= span[0] < span[1] <= len(text) and (not matched or text[span[0]:span[1]] == matched):
        start, end = span
    elif matched and matched in text:
        start = text.index(matched)
        end = start + len(matched)
    if start is None:
        return f"«{matched}»" if matched else ""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    if start - width > 0:
        left = "…" + left[left.find(" ") + 1:] if " " in left else "…" + left
    if end + width < len(text):
        right = (right[:right.rfind(" ")] if " " in right else right) + "…"
    return " ".join((left + "«" + text[start:end] + "»" + right).split())


def _located(text: str, place: dict) -> tuple[int, int] | None:
    span = place.get("span") or []
    matched = place.get("matched") or ""
    if len(span) == 2 and 0 <= span[0] < span[1] <= len(text) and (not matched or text[span[0]:span[1]] == matched):
        return span[0], span[1]
    if matched and matched in text:
        i = text.index(matched)
        return i, i + len(matched)
    return None


def body_snippets(article: ArticleRow, limit: int = 2, width: int = 70) -> list[str]:
    """Snippets of the body around matched places, every match inside a snippet marked «...»;
    a further snippet only for a match outside the previous ones."""
    out: list[str] = []
    by_field: dict[str, list[tuple[int, int]]] = {}
    for p in article.places or []:
        field = p.get("field") or "text"
        if field == "title":
            continue
        loc = _located(getattr(article, field, None) or "", p)
        if loc:
            by_field.setdefault(field, []).append(loc)
    fields = ["text", "lead", *[f for f in by_field if f not in ("lead", "text")]]
    if article.lead and article.lead in (article.text or "") and by_field.get("text"):
        fields.remove("lead")        # the lead is the body's first paragraph: same words twice
    for field in fields:
        text = getattr(article, field, None) or ""
        spans = sorted(set(by_field.get(field, [])))
        covered_to = -1
        for start, end in spans:
            if len(out) >= limit:
                return out
            if start < covered_to:
                continue
            lo, hi = max(0, start - width), min(len(text), end + width)
            inside = [(a, b) for a, b in spans if a >= lo and b <= hi]
            # no overlapping marks: keep the longer of two overlapping matches
            marks: list[tuple[int, int]] = []
            for a, b in sorted(inside, key=lambda x: (x[0], -(x[1] - x[0]))):
                if marks and a < marks[-1][1]:
                    continue
                marks.append((a, b))
            piece = text[lo:hi]
            for a, b in reversed(marks):
                piece = piece[:a - lo] + "«" + piece[a - lo:b - lo] + "»" + piece[b - lo:]
            if lo > 0:
                piece = "…" + (piece[piece.find(" ") + 1:] if " " in piece[:20] else piece)
            if hi < len(text):
                piece = (piece[:piece.rfind(" ")] if " " in piece[-20:] else piece) + "…"
            out.append(" ".join(piece.split()))
            covered_to = hi
    return out


def _places(article: ArticleRow) -> list[dict]:
    seen, out = set(), []
    for p in article.places or []:
        key = p.get("pcode") or p.get("name_ar")
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


def render_alert(article: ArticleRow, rule: Rule, other_outlets: list[str], config: Config,
                 tz: ZoneInfo) -> tuple[str, str]:
    """(title, body) of a full alert: Arabic lines (RTL-safe) and one English line."""
    ar_outlet, en_outlet = _outlet_names(config, article.outlet)
    places = _places(article)
    title = f"رصد | {ar_outlet}: {article.title or ''}".strip()
    lines = [rtl(f"{ar_outlet}: {article.title or ''}")]
    when = _local(article.published_at, tz)
    tzname = "توقيت دمشق" if str(tz) == "Asia/Damascus" else str(tz)
    lines.append(rtl(f"نُشر: {ltr(when)} ({tzname})" if when else "نُشر: تاريخ النشر غير معروف"))
    if places:
        lines.append(rtl("الأماكن: " + "، ".join(p.get("name_ar") or p.get("name_en") or "?" for p in places[:8])))
        # the title is shown already: snippets come from the body (two at most)
        for snip in body_snippets(article, limit=2):
            lines.append(rtl(snip))
    others_ar = [_outlet_names(config, o)[0] for o in other_outlets]
    others_en = [_outlet_names(config, o)[1] for o in other_outlets]
    if others_ar:
        lines.append(rtl("أوردته أيضاً: " + "، ".join(others_ar)))
    lines.append(article.url)
    en = [f"[{rule.watch}] {en_outlet}"]
    if when:
        en.append(f"published {when} {tz}")
    if places:
        en.append("places: " + ", ".join(p.get("name_en") or p.get("name_ar") or "?" for p in places[:8]))
    if others_en:
        en.append("also reported by: " + ", ".join(others_en))
    lines.append("; ".join(en))
    return title, "\n".join(lines)


def render_followup(article: ArticleRow, first_title: str, config: Config) -> tuple[str, str]:
    ar_outlet, en_outlet = _outlet_names(config, article.outlet)
    title = f"رصد | أوردته أيضاً: {ar_outlet}"
    body = "\n".join([rtl(f"أوردته أيضاً {ar_outlet}: {article.title or ''}"),
                      rtl(f"(الخبر الأول: {first_title})"), article.url,
                      f"Also reported by {en_outlet}: {article.url}"])
    return title, body


def render_digest(rule: Rule, items: list[tuple[ArticleRow, list[str]]], config: Config, tz: ZoneInfo,
                  period: str) -> tuple[str, str]:
    title = f"رصد | ملخص {rule.watch}: {len(items)} خبر"
    lines = [rtl(f"ملخص «{rule.watch}» ({ltr(period)}): {len(items)} خبر")]
    for n, (article, outlets) in enumerate(items, 1):
        ar_outlet = _outlet_names(config, article.outlet)[0]
        lines.append("")
        lines.append(rtl(f"{n}. {ar_outlet}: {article.title or ''}"))
        when = _local(article.published_at, tz)
        places = "، ".join(p.get("name_ar") or "?" for p in _places(article)[:5])
        meta = " — ".join(x for x in (ltr(when) if when else "", places) if x)
        if meta:
            lines.append(rtl(meta))
        others = [_outlet_names(config, o)[0] for o in outlets if o != article.outlet]
        if others:
            lines.append(rtl("أوردته أيضاً: " + "، ".join(others)))
        lines.append(article.url)
    lines.append("")
    lines.append(f"Digest of watch {rule.watch} for {period}: {len(items)} stories")
    return title, "\n".join(lines)


# ---- matching -> outbox ------------------------------------------------------------------

def story_key(article: ArticleRow) -> str:
    return str(getattr(article, "story_id", None) or article.id)[:64]


def _story_outlets(s, article: ArticleRow) -> list[str]:
    """Outlets of other stored copies of the article's story (when stories are assigned)."""
    sid = getattr(article, "story_id", None)
    if not sid or not hasattr(ArticleRow, "story_id"):
        return []
    rows = s.execute(select(ArticleRow.outlet).where(ArticleRow.story_id == sid, ArticleRow.id != article.id)).all()
    return sorted({r[0] for r in rows if r[0] != article.outlet})


def _quiet_until(rule: Rule, now: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    return rule.quiet_hours.end_if_inside(now, tz) if rule.quiet_hours else None


class Dispatcher:
    """Finds new matches, fills the outbox, and delivers due messages."""

    def __init__(self, store, config: Config | None = None, settings: AlertSettings | None = None,
                 redactor: Redactor | None = None):
        self.store = store
        self.config = config or get_config()
        self.settings = settings or load_alert_settings(self.config)
        self.redact = redactor or Redactor(self.settings.secrets())
        self.backoff = Backoff(self.settings.retry_base_seconds, self.settings.retry_cap_seconds,
                               self.settings.max_attempts)

    # -- scan
    def scan(self, now: dt.datetime | None = None) -> dict[str, int]:
        """Look at every article not yet considered; returns counts of outcomes."""
        counts: dict[str, int] = {}
        now = now or utcnow()
        since = now - dt.timedelta(hours=self.settings.lookback_hours)
        q = (select(ArticleRow.id)
             .outerjoin(AlertArticleRow, AlertArticleRow.article_id == ArticleRow.id)
             .where(AlertArticleRow.article_id.is_(None), ArticleRow.first_seen_at >= since))
        if hasattr(ArticleRow, "story_id") and self.settings.story_settle_seconds > 0:
            # the crawl assigns the story right after storing: wait for it (or for the settle
            # time, when story assignment failed) so a copy is never mistaken for a new story
            settled = now - dt.timedelta(seconds=self.settings.story_settle_seconds)
            q = q.where(or_(ArticleRow.story_id.is_not(None), ArticleRow.first_seen_at <= settled))
        q = q.order_by(ArticleRow.first_seen_at, ArticleRow.id).limit(SCAN_BATCH)
        while True:
            with self.store.session() as s:
                ids = list(s.scalars(q))
            if not ids:
                return counts
            for article_id in ids:
                outcome = run_in_transaction(self.store, lambda s, a=article_id: self._handle(s, a, utcnow()))
                if outcome:
                    counts[outcome] = counts.get(outcome, 0) + 1
            if len(ids) < SCAN_BATCH:
                return counts

    def _handle(self, s, article_id: str, now: dt.datetime) -> str | None:
        if s.get(AlertArticleRow, article_id) is not None:
            return None  # another process got there first
        article = s.get(ArticleRow, article_id)
        if article is None:
            return None
        key = story_key(article)
        mark = AlertArticleRow(article_id=article_id, processed_at=now, story_key=key, outcome="no-rule")
        s.add(mark)
        s.flush()  # claims the article (primary key) before anything else is written
        rules = [r for r in self.settings.rules if r.matches(article.watches or [], article.score, article.outlet)]
        if not rules:
            return "no-rule"
        age_limit = dt.timedelta(hours=self.settings.max_age_hours)
        if article.published_at and article.first_seen_at and article.published_at < article.first_seen_at - age_limit:
            mark.outcome = "old"   # a backfilled or late-discovered old article is not news
            return "old"
        outcomes = []
        for rule in rules:
            outcomes.append(self._apply_rule(s, rule, article, key, now))
        mark.outcome = "alert" if "alert" in outcomes else outcomes[0]
        return mark.outcome

    def _apply_rule(self, s, rule: Rule, article: ArticleRow, key: str, now: dt.datetime) -> str:
        tz = self.settings.timezone
        alert = s.scalar(select(AlertRow).where(AlertRow.rule == rule.name, AlertRow.story_key == key))
        if alert is None:
            others = _story_outlets(s, article)
            alert = AlertRow(rule=rule.name, story_key=key, watch=rule.watch, mode=rule.mode,
                             first_article_id=article.id, article_ids=[article.id],
                             outlets=[article.outlet, *[o for o in others if o != article.outlet]],
                             created_at=now, updated_at=now)
            s.add(alert)
            s.flush()
            if rule.mode == "digest":
                return "digest"
            title, body = render_alert(article, rule, others, self.config, tz)
            not_before = _quiet_until(rule, now, tz)
            enqueue(s, [NewDelivery(idem_key=f"alert:{rule.name}:{ch}:{key}", kind="alert", channel=ch, title=title,
                                    body=body, rule=rule.name, story_key=key, alert_id=alert.id, not_before=not_before)
                        for ch in rule.channels], now)
            log.info("alert %s: story %s (%s %s) queued for %s%s", rule.name, key, article.outlet, article.url,
                     ", ".join(rule.channels), f" after quiet hours ({not_before.isoformat()})" if not_before else "")
            return "alert"
        # a later copy of a story already alerted: update, never a second full alert
        new_outlet = article.outlet not in (alert.outlets or [])
        alert.article_ids = [*(alert.article_ids or []), article.id]
        if new_outlet:
            alert.outlets = [*(alert.outlets or []), article.outlet]
        alert.updated_at = now
        if rule.mode == "digest" or not new_outlet:
            return "copy"
        first = s.get(ArticleRow, alert.first_article_id)
        open_rows = list(s.scalars(select(DeliveryRow).where(
            DeliveryRow.alert_id == alert.id, DeliveryRow.kind == "alert", DeliveryRow.status.in_(OPEN_STATUSES))))
        if open_rows and first is not None:
            # not sent yet (quiet hours, a dead channel): the one alert will name the other outlets
            others = [o for o in alert.outlets if o != first.outlet]
            title, body = render_alert(first, rule, others, self.config, tz)
            for row in open_rows:
                row.title, row.body, row.updated_at = title, body, now
        elif rule.followups:
            title, body = render_followup(article, first.title if first else "", self.config)
            enqueue(s, [NewDelivery(idem_key=f"followup:{rule.name}:{ch}:{key}:{article.outlet}", kind="followup",
                                    channel=ch, title=title, body=body, rule=rule.name, story_key=key,
                                    alert_id=alert.id, not_before=_quiet_until(rule, now, tz))
                        for ch in rule.channels], now)
        return "copy"

    # -- digests
    def run_digest(self, rule: Rule, now: dt.datetime | None = None) -> int:
        """Send the collected alerts of a digest rule as one message per channel; returns stories sent."""
        now = now or utcnow()
        tz = self.settings.timezone
        local = now.astimezone(tz)
        hour, _ = rule.digest_time()
        period = local.strftime("%Y-%m-%d %H:00") if hour is None else local.strftime("%Y-%m-%d")

        def work(s):
            q = select(AlertRow).where(AlertRow.rule == rule.name, AlertRow.mode == "digest",
                                       AlertRow.digest_key.is_(None)).order_by(AlertRow.created_at)
            if self.store.engine.dialect.name == "postgresql":
                q = q.with_for_update(skip_locked=True)
            alerts = list(s.scalars(q))
            if not alerts:
                return 0
            keys = [f"digest:{rule.name}:{ch}:{period}" for ch in rule.channels]
            if s.scalar(select(DeliveryRow.id).where(DeliveryRow.idem_key.in_(keys)).limit(1)):
                return 0   # this period's digest is out already; these wait for the next one
            items = []
            for alert in alerts:
                article = s.get(ArticleRow, alert.first_article_id)
                if article is not None:
                    items.append((article, list(alert.outlets or [])))
                alert.digest_key = period
            if not items:
                return 0
            title, body = render_digest(rule, items, self.config, tz, period)
            enqueue(s, [NewDelivery(idem_key=k, kind="digest", channel=ch, title=title, body=body, rule=rule.name,
                                    not_before=_quiet_until(rule, now, tz))
                        for k, ch in zip(keys, rule.channels)], now)
            return len(items)
        n = run_in_transaction(self.store, work) or 0
        if n:
            log.info("digest %s (%s): %d stories queued", rule.name, period, n)
        return n

    # -- delivery
    def send(self, row: DeliveryRow) -> tuple[bool, str | None]:
        channel = self.settings.channels.get(row.channel)
        if channel is None:
            return False, f"channel {row.channel!r} is not configured"
        return send_to_channel(channel, row.title, row.body, row.idem_key, self.redact)

    def deliver(self, stop=None) -> dict[str, int]:
        counts = deliver_due(self.store, self._send_logged, self.backoff, stop=stop,
                             lease_seconds=self.settings.claim_lease_seconds)
        return counts

    def _send_logged(self, row: DeliveryRow) -> tuple[bool, str | None]:
        ok, error = self.send(row)
        if ok:
            log.info("delivered %s %s to %s (attempt %d)", row.kind, row.story_key or "", row.channel, row.attempts + 1)
        else:
            log.warning("delivery of %s %s to %s failed (attempt %d): %s", row.kind, row.story_key or "",
                        row.channel, row.attempts + 1, error)
        return ok, error

    def dispatch(self, stop=None) -> dict[str, int]:
        scanned = self.scan()
        counts = self.deliver(stop=stop)
        return {**{f"scan/{k}": v for k, v in scanned.items()}, **counts}

    def enqueue_operator(self, idem_key: str, title: str, body: str) -> list[str]:
        """Queue a message to every operators' channel (health alerts)."""
        def work(s):
            return enqueue(s, [NewDelivery(idem_key=f"{idem_key}:{ch}", kind="health", channel=ch, title=title,
                                           body=body) for ch in self.settings.operators])
        return run_in_transaction(self.store, work) or []


def send_to_channel(channel: Channel, title: str, body: str, idem_key: str | None,
                    redact: Redactor) -> tuple[bool, str | None]:
    """Send one message through apprise; (ok, redacted error)."""
    import apprise
    try:
        url = channel.resolve()
    except ConfigError as exc:
        return False, str(exc)
    if idem_key and channel.scheme in HTTP_SCHEMES:
        url += ("&" if "?" in url else "?") + "+X-Rasad-Key=" + quote(idem_key, safe=":")
    ap = apprise.Apprise()
    if not ap.add(url):
        return False, f"channel {channel.name}: apprise does not understand this {channel.scheme}:// URL"
    try:
        with apprise.LogCapture(level=logging.WARNING) as out:
            ok = bool(ap.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT))
            captured = out.getvalue()
    except Exception as exc:  # noqa: BLE001 - a plugin crash is a failed delivery, not a dead service
        return False, redact(f"channel {channel.name}: {type(exc).__name__}: {exc}")
    if ok:
        return True, None
    lines = [ln.split(" - ", 2)[-1] for ln in captured.strip().splitlines() if ln.strip()]
    detail = " | ".join(lines[-3:]) or "the channel did not accept the message"
    return False, redact(f"channel {channel.name}: {detail}")[:1000]


# ---- `rasad alerts` ----------------------------------------------------------------------

def _fmt(value: dt.datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def cmd_list(args, store, settings: AlertSettings, redact: Redactor) -> int:
    statuses = [args.status] if args.status else None
    rows = list_deliveries(store, statuses, limit=args.limit)
    counts = status_counts(store)
    print("outbox: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in (PENDING, FAILED, SENT, DEAD)))
    print("channels: " + (", ".join(ch.describe() for ch in settings.channels.values()) or "none configured"))
    from crawler.cli import _table
    table = []
    for r in rows:
        table.append([r.id, r.status, r.kind, r.channel, r.rule or "-", r.story_key or "-", r.attempts,
                      _fmt(r.created_at, settings.timezone),
                      _fmt(r.sent_at if r.status == SENT else r.next_attempt_at, settings.timezone),
                      redact(r.last_error or "")[:80], (r.title or "")[:50]])
    print(_table(table, ["id", "status", "kind", "channel", "rule", "story", "attempts", "queued",
                         "sent / next try", "last error", "title"]))
    return 0


def cmd_test(args, store, settings: AlertSettings, redact: Redactor) -> int:
    channel = settings.channels.get(args.channel)
    if channel is None:
        print(f"rasad: error: unknown channel {args.channel!r} (configured: "
              f"{', '.join(sorted(settings.channels)) or 'none'})", file=sys.stderr)
        return 2
    now = utcnow().astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M")
    title = "رصد: رسالة تجريبية | rasad test message"
    body = "\n".join([rtl(f"رسالة تجريبية من رصد إلى القناة «{channel.name}» ({ltr(now)})."),
                      f"Test message from rasad to channel {channel.name} at {now} {settings.timezone}."])
    ok, error = send_to_channel(channel, title, body, f"test:{channel.name}:{uuid.uuid4().hex[:12]}", redact)
    if ok:
        print(f"sent a test message to {channel.describe()}")
        return 0
    print(f"rasad: error: test message to {channel.describe()} failed: {redact(error)}", file=sys.stderr)
    return 1


def cmd_retry(args, store, settings, redact) -> int:
    n = requeue(store, (DEAD, FAILED) if args.all else (DEAD,))
    print(f"{n} deliveries due again")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="rasad alerts", description="the alert outbox: list, test a channel, retry")
    parser.add_argument("--status", choices=[PENDING, FAILED, SENT, DEAD], help="only deliveries with this status")
    parser.add_argument("--limit", type=int, default=50)
    sub = parser.add_subparsers(dest="action")
    p = sub.add_parser("list", help="list deliveries (default)")
    p.add_argument("--status", choices=[PENDING, FAILED, SENT, DEAD], dest="status2")
    p.add_argument("--limit", type=int, dest="limit2")
    p = sub.add_parser("test", help="send a test message to a channel")
    p.add_argument("channel")
    p = sub.add_parser("retry", help="make dead deliveries due again (after fixing a channel)")
    p.add_argument("--all", action="store_true", help="failed ones too")
    args = parser.parse_args(argv)
    if getattr(args, "status2", None):
        args.status = args.status2
    if getattr(args, "limit2", None):
        args.limit = args.limit2
    config = get_config()
    settings = load_alert_settings(config)
    redact = Redactor(settings.secrets())
    from storage import open_store
    store = open_store()
    try:
        if args.action == "test":
            return cmd_test(args, store, settings, redact)
        if args.action == "retry":
            return cmd_retry(args, store, settings, redact)
        return cmd_list(args, store, settings, redact)
    finally:
        store.close()
