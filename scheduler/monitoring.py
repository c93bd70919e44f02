"""Sentry for the service and its crawls (only when SENTRY_DSN is set).

Events carry ``outlet`` and ``url`` tags and never article text or secrets: ``before_send``
redacts channel URLs / passwords / tokens, shortens long strings, drops local variables and
request bodies. Scheduled jobs send cron check-ins so a missed or failing crawl is visible.
"""
from __future__ import annotations

import logging
import math
import os
import re
import threading
import time

from scheduler.redact import Redactor

log = logging.getLogger("rasad.monitoring")
_URL_IN_TEXT = re.compile(r"https?://[^\s'\"<>)]+")
# a run of 6+ Arabic-script words: article text (titles, paragraphs) that must not leave the host
_ARABIC_RUN = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+"
                         r"(?:[\s،,.:؛«»()\-]+[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+){5,}")
MAX_STRING = 400
_enabled = False


def enabled() -> bool:
    return _enabled


def _scrub(value, redact: Redactor, depth: int = 0):
    if depth > 12:
        return None
    if isinstance(value, str):
        value = _ARABIC_RUN.sub("[text removed]", redact(value))
        return value if len(value) <= MAX_STRING else value[:MAX_STRING] + "…[cut]"
    if isinstance(value, dict):
        return {k: _scrub(v, redact, depth + 1) for k, v in value.items() if k not in ("vars", "data", "body")}
    if isinstance(value, list):
        return [_scrub(v, redact, depth + 1) for v in value]
    return value


def make_before_send(redact: Redactor, outlet: str | None = None):
    def before_send(event, hint):
        tags = event.setdefault("tags", {})
        if outlet and "outlet" not in tags:
            tags["outlet"] = outlet
        if "url" not in tags:
            text = " ".join(str(x) for x in (
                (event.get("logentry") or {}).get("message"), (event.get("logentry") or {}).get("formatted"),
                event.get("message"),
                *[(e or {}).get("value") for e in (event.get("exception") or {}).get("values", [])]) if x)
            m = _URL_IN_TEXT.search(text)
            if m:
                tags["url"] = m.group(0)[:200]
        event.pop("request", None)
        event.pop("extra", None)
        return _scrub(event, redact)
    return before_send


def init_sentry(redact: Redactor, component: str, outlet: str | None = None) -> bool:
    """Initialise sentry-sdk from SENTRY_DSN; returns False (and does nothing) without one."""
    global _enabled
    dsn = os.environ.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration
    redact.add([dsn])
    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        include_local_variables=False,
        max_breadcrumbs=30,
        environment=os.environ.get("RASAD_ENVIRONMENT", "production"),
        integrations=[LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
        before_send=make_before_send(redact, outlet),
        before_breadcrumb=lambda crumb, hint: _scrub(crumb, redact),
        traces_sample_rate=0,
    )
    sentry_sdk.set_tag("component", component)
    if outlet:
        sentry_sdk.set_tag("outlet", outlet)
    _enabled = True
    return True


def flush(timeout: float = 5.0) -> None:
    if _enabled:
        import sentry_sdk
        sentry_sdk.flush(timeout=timeout)


def slug(name: str) -> str:
    """A Sentry monitor slug: lowercase letters, digits, - and _ (at most 50 characters)."""
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")[:50] or "rasad"


class CheckIns:
    """Cron check-ins per job (monitor slug), throttled to one completed check-in a minute for
    jobs that run more often than that; a failure is always reported."""

    def __init__(self):
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def start(self, name: str, interval_seconds: float, max_runtime_seconds: float | None = None):
        if not _enabled:
            return None
        slug_ = slug(name)
        with self._lock:
            due = interval_seconds >= 60 or time.monotonic() - self._last.get(slug_, -1e9) >= 55
        if not due:
            return None
        from sentry_sdk.crons import capture_checkin
        config = {
            "schedule": {"type": "interval", "value": max(1, math.ceil(interval_seconds / 60)), "unit": "minute"},
            "checkin_margin": max(1, math.ceil(interval_seconds / 60)),
            "max_runtime": max(1, math.ceil((max_runtime_seconds or interval_seconds * 3) / 60)),
            "timezone": "UTC",
        }
        try:
            return (slug_, capture_checkin(monitor_slug=slug_, status="in_progress", monitor_config=config), config)
        except Exception as exc:  # noqa: BLE001 - monitoring never breaks a job
            log.debug("check-in failed: %s", exc)
            return None

    def finish(self, token, ok: bool, duration: float, name: str | None = None, interval_seconds: float = 60):
        if not _enabled:
            return
        slug_ = slug(name) if name else None
        from sentry_sdk.crons import capture_checkin
        try:
            if token is not None:
                token_slug, check_in_id, config = token
                capture_checkin(monitor_slug=token_slug, check_in_id=check_in_id, status="ok" if ok else "error",
                                duration=duration, monitor_config=config)
                with self._lock:
                    self._last[token_slug] = time.monotonic()
            elif not ok and slug_:
                capture_checkin(monitor_slug=slug_, status="error", duration=duration)
        except Exception as exc:  # noqa: BLE001
            log.debug("check-in failed: %s", exc)
