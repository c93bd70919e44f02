"""`rasad run`: the long-running service (APScheduler 3.x).

Jobs:
- ``crawl:OUTLET`` per enabled outlet, every ``interval_minutes`` (adapted between the outlet's
  bounds from the share of already-known URLs in its recent crawls), with jitter, one run at a
  time (max_instances=1, plus a job lock: in-process, or in Redis with REDIS_URL), misfires
  coalesced. Each crawl is a subprocess (``python -m scheduler.crawl_entry OUTLET``, i.e.
  ``crawler.cli crawl OUTLET`` with Sentry) with the same environment; it is killed after
  ``[scheduler] crawl_timeout_seconds`` and its run recorded as failed ("timed out").
- the alert dispatcher (a thread woken after every crawl and every ``alerts.poll_seconds``):
  new matches -> outbox -> channels.
- ``health`` every ``[health] interval_seconds``; ``digest:RULE`` per digest rule (cron, team zone).

SIGTERM/SIGINT: no new jobs; running crawls get ``shutdown_grace_seconds`` to finish, then are
killed and recorded as ``abandoned``; the dispatcher finishes the message in hand; exit 0.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

from sqlalchemy import select

from crawler.config import Config, ConfigError, get_config, redact_url
from scheduler.alerts import Dispatcher
from scheduler.health import check_all
from scheduler.locks import make_locks
from scheduler.monitoring import CheckIns, flush, init_sentry
from scheduler.redact import RedactingFilter, Redactor
from scheduler.settings import (load_alert_settings, load_health_settings, load_scheduler_settings,
                                outlet_interval_bounds)
from storage.models import CrawlRunRow
from storage.outbox import utcnow

log = logging.getLogger("rasad.service")
UTC = dt.timezone.utc


def adaptive_interval(history: list[dict], base: float, lo: float, hi: float) -> float:
    """Poll interval after replaying ``history`` (crawl_runs counts, oldest first).

    Like Media Cloud's feed scheduling: a crawl whose items were (nearly) all already known
    (>= 90 %, or nothing seen: an unchanged feed) backs off x1.5; a crawl where half or more of
    the items were new halves the interval (the outlet publishes faster than we poll, so items
    could slip past the feed window); otherwise it stays. Always within [lo, hi].
    """
    interval = min(max(base, lo), hi)
    for counts in history:
        new = int(counts.get("rasad/articles/new", 0) or 0)
        known = int(counts.get("rasad/known_skipped", 0) or 0) + int(counts.get("rasad/articles/unchanged", 0) or 0)
        seen = new + known
        share_known = known / seen if seen else 1.0
        if share_known >= 0.9:
            interval *= 1.5
        elif share_known <= 0.5:
            interval *= 0.5
        interval = min(max(interval, lo), hi)
    return interval


class Service:
    def __init__(self, config: Config, store, outlets: list[str] | None = None, crawl: bool = True,
                 distributed: bool = False):
        self.config = config
        self.store = store
        self.sched = load_scheduler_settings(config)
        self.alert_settings = load_alert_settings(config)
        self.health = load_health_settings(config)
        redis_url = os.environ.get("REDIS_URL")
        self.redact = Redactor(self.alert_settings.secrets())
        self.redact.add_url_password(store.url)
        self.redact.add_url_password(redis_url)
        self.dispatcher = Dispatcher(store, config, self.alert_settings, self.redact)
        self.locks = make_locks(redis_url, self.sched.lock_ttl_seconds)
        # --distributed: crawls are seeded into the shared Redis frontier and run by `rasad worker`s
        self.frontier = None
        if distributed:
            from crawler.frontier.runs import FrontierRuns
            self.frontier = FrontierRuns(store, config, redis_url)
            self.frontier.ping()
        self.checkins = CheckIns()
        self.stopping = threading.Event()     # no new work
        self.abandon = threading.Event()      # kill running crawls now
        self.wake = threading.Event()         # run the dispatcher now
        self.active: set[str] = set()
        self.active_lock = threading.Lock()
        keys = outlets or [o.key for o in config.enabled_outlets()]
        self.outlets = [config.outlet(k) for k in keys] if crawl else []
        self.bounds = {o.key: outlet_interval_bounds(o, self.sched) for o in self.outlets}
        self.intervals: dict[str, float] = {}
        self.warm: dict[str, tuple] = {}
        self.warm_lock = threading.Lock()
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max(4, len(self.outlets) + 3))},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
            timezone=UTC)
        self.dispatch_thread = threading.Thread(target=self._dispatch_loop, name="alerts-dispatcher", daemon=True)

    # ---- scheduling -----------------------------------------------------------------------

    def _jitter(self, interval: float) -> float:
        if self.sched.jitter_seconds is not None:
            return self.sched.jitter_seconds
        return min(60.0, interval * 0.1)

    def _trigger(self, interval: float):
        from apscheduler.triggers.interval import IntervalTrigger
        return IntervalTrigger(seconds=interval, jitter=self._jitter(interval) or None, timezone=UTC)

    def start(self) -> None:
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger
        now = dt.datetime.now(UTC)
        for o in self.outlets:
            base, lo, hi = self.bounds[o.key]
            interval = adaptive_interval(self._history(o.key), base, lo, hi) if self.sched.adaptive else base
            self.intervals[o.key] = interval
            first = now + dt.timedelta(seconds=random.uniform(0, min(self._jitter(interval), 2.0)))
            self.scheduler.add_job(self.crawl_job, self._trigger(interval), args=[o.key], id=f"crawl:{o.key}",
                                   name=f"crawl {o.key}", next_run_time=first)
        self.scheduler.add_job(self.health_job, IntervalTrigger(seconds=self.health.interval_seconds, timezone=UTC),
                               id="health", name="health", next_run_time=now + dt.timedelta(seconds=1))
        for rule in self.alert_settings.rules:
            if rule.mode != "digest":
                continue
            hour, minute = rule.digest_time()
            trigger = (CronTrigger(minute=0, timezone=self.alert_settings.timezone) if hour is None else
                       CronTrigger(hour=hour, minute=minute, timezone=self.alert_settings.timezone))
            self.scheduler.add_job(self.digest_job, trigger, args=[rule], id=f"digest:{rule.name}",
                                   name=f"digest {rule.name}")
        self.scheduler.start()
        self.dispatch_thread.start()
        for o in self.outlets:
            self._prewarm(o.key)
        outlets = ", ".join(f"{o.key} every {self.intervals[o.key]:.0f}s (bounds {self.bounds[o.key][1]:.0f}-"
                            f"{self.bounds[o.key][2]:.0f}s)" for o in self.outlets) or "none"
        log.info("rasad run: pid %d; store %s; locks %s; sentry %s; crawls %s", os.getpid(),
                 redact_url(self.store.url), self.locks.kind, "on" if os.environ.get("SENTRY_DSN") else "off",
                 "seeded into the Redis frontier for rasad workers" if self.frontier else "in subprocesses")
        log.info("crawling: %s", outlets)
        log.info("alert rules: %s; channels: %s; operators: %s",
                 ", ".join(r.name for r in self.alert_settings.rules) or "none",
                 ", ".join(ch.describe() for ch in self.alert_settings.channels.values()) or "none",
                 ", ".join(self.alert_settings.operators) or "none")
        for ch in self.alert_settings.channels.values():
            missing = ch.missing_variables()
            if missing:
                log.error("channel %s: environment variable(s) %s not set: its messages wait in the outbox",
                          ch.name, ", ".join(missing))

    def _history(self, key: str) -> list[dict]:
        with self.store.session() as s:
            rows = s.scalars(select(CrawlRunRow.counts).where(CrawlRunRow.outlet == key, CrawlRunRow.status == "finished")
                             .order_by(CrawlRunRow.started_at.desc()).limit(self.sched.adaptive_runs)).all()
        return [dict(c or {}) for c in reversed(rows)]

    def _adapt(self, key: str) -> None:
        if not self.sched.adaptive:
            return
        base, lo, hi = self.bounds[key]
        if lo == hi:
            return
        new = adaptive_interval(self._history(key), base, lo, hi)
        old = self.intervals.get(key, base)
        if abs(new - old) / old > 0.05 and not self.stopping.is_set():
            self.intervals[key] = new
            try:
                self.scheduler.reschedule_job(f"crawl:{key}", trigger=self._trigger(new))
                log.info("outlet %s: poll interval %.1fs -> %.1fs", key, old, new)
            except Exception as exc:  # noqa: BLE001 - shutting down
                log.debug("reschedule of %s failed: %s", key, exc)

    # ---- jobs -----------------------------------------------------------------------------

    def crawl_job(self, key: str) -> None:
        if self.stopping.is_set():
            return
        with self.locks.hold(f"crawl:{key}") as held:
            if not held:
                log.info("crawl of %s is already running (here or on another host); skipped", key)
                return
            with self.active_lock:
                self.active.add(key)
            started = time.monotonic()
            token = self.checkins.start(f"rasad-crawl-{key}", self.intervals.get(key, 600), self.sched.crawl_timeout_seconds)
            ok = False
            try:
                ok = self.run_crawl(key)
            except Exception:  # noqa: BLE001
                log.exception("crawl job of %s crashed", key)
            finally:
                with self.active_lock:
                    self.active.discard(key)
                self.checkins.finish(token, ok, time.monotonic() - started, f"rasad-crawl-{key}")
        if not self.stopping.is_set():
            self.wake.set()
            self._adapt(key)
            self._prewarm(key)

    def _spawn(self, key: str, wait: bool):
        out = tempfile.TemporaryFile()
        cmd = [sys.executable, "-m", "scheduler.crawl_entry", *(["--wait"] if wait else []), key]
        proc = subprocess.Popen(cmd, env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.PIPE if wait else subprocess.DEVNULL, start_new_session=True)
        return proc, out

    def _prewarm(self, key: str) -> None:
        """Start the next crawl's process now; it imports everything and waits for "go"."""
        if not self.sched.warm_start or self.stopping.is_set() or self.frontier is not None:
            return
        with self.warm_lock:
            if key in self.warm and self.warm[key][0].poll() is None:
                return
            self.warm[key] = self._spawn(key, wait=True)

    def _take_warm(self, key: str):
        with self.warm_lock:
            entry = self.warm.pop(key, None)
        if entry is None:
            return None
        proc, out = entry
        if proc.poll() is not None:
            out.close()
            return None
        try:
            proc.stdin.write(b"go\n")
            proc.stdin.close()
        except OSError:
            self._kill(proc)
            proc.wait()
            out.close()
            return None
        return proc, out

    def _drop_warm(self) -> None:
        with self.warm_lock:
            entries, self.warm = list(self.warm.values()), {}
        for proc, out in entries:
            try:
                proc.stdin.close()       # end of input: it exits without crawling
                proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._kill(proc)
                proc.wait()
            out.close()

    def run_crawl(self, key: str) -> bool:
        """Run one crawl subprocess; True when it finished normally."""
        if self.stopping.is_set():
            return False
        if self.frontier is not None:
            return self.run_distributed(key)
        launch = utcnow()
        timeout = self.sched.crawl_timeout_seconds
        proc, out = self._take_warm(key) or self._spawn(key, wait=False)
        with out:
            deadline = time.monotonic() + timeout
            outcome = None
            while True:
                try:
                    rc = proc.wait(timeout=0.25)
                    break
                except subprocess.TimeoutExpired:
                    if self.abandon.is_set():
                        outcome = "abandoned"
                    elif time.monotonic() > deadline:
                        outcome = "timeout"
                    if outcome:
                        self._kill(proc)
                        rc = proc.wait()
                        break
            out.seek(0, os.SEEK_END)
            size = out.tell()
            out.seek(max(0, size - 3000))
            tail = self.redact(out.read().decode("utf-8", "replace")).strip()
        elapsed = (utcnow() - launch).total_seconds()
        outlet = self.config.outlets.get(key)
        if outcome == "abandoned":
            self._close_runs(key, launch, "abandoned", "abandoned: the service was stopped during the crawl")
            log.warning("crawl of %s abandoned after %.1fs (service stopping); run recorded as abandoned", key, elapsed)
            return False
        if outcome == "timeout":
            self._close_runs(key, launch, "failed", f"timed out after {timeout:.0f}s; killed by rasad run")
            self._report(key, outlet, f"crawl of {key} timed out after {timeout:.0f}s and was killed")
            return False
        if rc != 0:
            self._close_runs(key, launch, "failed", f"crawl exited with code {rc}: {tail[-500:]}")
            last_line = tail.splitlines()[-1] if tail else ""
            self._report(key, outlet, f"crawl of {key} failed (exit code {rc}): {last_line[:300]}")
            return False
        log.info("crawl of %s finished in %.1fs", key, elapsed)
        return True

    def run_distributed(self, key: str) -> bool:
        """Seed a run of ``key`` into the frontier and wait (holding the outlet's job lock) until
        the workers have done every request of it; then record it. True when it finished."""
        from crawler.frontier.queue import REDIS_DOWN
        timeout = self.sched.crawl_timeout_seconds
        outlet = self.config.outlets.get(key)
        started = time.monotonic()
        try:
            closed = self.frontier.recover(key, timeout)
            if closed:
                log.warning("outlet %s: recorded %d run(s) left open by a stopped scheduler", key, closed)
            run_id = self.frontier.seed(key)
        except REDIS_DOWN as exc:
            self._report(key, outlet, f"crawl of {key} not seeded: the frontier (Redis) is unavailable: "
                                      f"{type(exc).__name__}")
            return False
        outcome = self.frontier.wait(run_id, timeout, stop=self.abandon.is_set)
        status = self.frontier.finish(run_id, key, outcome, timeout)
        elapsed = time.monotonic() - started
        if outcome == "timeout":
            self._report(key, outlet, f"crawl of {key} timed out after {timeout:.0f}s on the frontier "
                                      "(are workers running? see `rasad stats`)")
        elif outcome == "lost":
            self._report(key, outlet, f"crawl of {key}: the frontier lost run {run_id} (Redis restarted "
                                      "without persistence?); the next run pages past stored articles")
        else:
            log.info("crawl of %s (run %d on the frontier) %s in %.1fs", key, run_id, status, elapsed)
        return status == "finished"

    def _report(self, key: str, outlet, message: str) -> None:
        if os.environ.get("SENTRY_DSN"):
            import sentry_sdk
            with sentry_sdk.new_scope() as scope:
                scope.set_tag("outlet", key)
                if outlet is not None:
                    scope.set_tag("url", outlet.base_url)
                log.error(message)
        else:
            log.error(message)

    @staticmethod
    def _kill(proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                proc.kill()
            except ProcessLookupError:
                pass

    def _close_runs(self, key: str, launch: dt.datetime, status: str, error: str) -> None:
        """Record the outcome of a killed/failed crawl subprocess: its crawl_runs row left
        "running" gets ``status``; when it died before recording a row, one is added."""
        now = utcnow()
        with self.store.session() as s, s.begin():
            rows = list(s.scalars(select(CrawlRunRow).where(
                CrawlRunRow.outlet == key, CrawlRunRow.started_at >= launch - dt.timedelta(seconds=1))))
            for r in rows:
                if r.status == "running":
                    r.status, r.finished_at, r.error = status, now, error
            if not rows:
                s.add(CrawlRunRow(outlet=key, started_at=launch, finished_at=now, status=status, counts={}, error=error))

    def _dispatch_loop(self) -> None:
        interval = self.alert_settings.poll_seconds
        while not self.stopping.is_set():
            self.wake.wait(timeout=interval)
            self.wake.clear()
            if self.stopping.is_set():
                break
            started = time.monotonic()
            token = self.checkins.start("rasad-alerts", interval)
            ok = True
            try:
                counts = self.dispatcher.dispatch(stop=self.stopping.is_set)
                if any(counts.values()):
                    log.info("alerts: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v))
            except Exception:  # noqa: BLE001 - the service lives on; next pass retries
                ok = False
                log.exception("alert dispatch failed")
                time.sleep(min(interval, 5))
            self.checkins.finish(token, ok, time.monotonic() - started, "rasad-alerts", interval)

    def health_job(self) -> None:
        if self.stopping.is_set():
            return
        with self.locks.hold("health") as held:
            if not held:
                return
            started = time.monotonic()
            token = self.checkins.start("rasad-health", self.health.interval_seconds)
            ok = True
            try:
                queued = check_all(self.store, self.config, self.health, self.dispatcher)
                if queued:
                    self.wake.set()
            except Exception:  # noqa: BLE001
                ok = False
                log.exception("health check failed")
            self.checkins.finish(token, ok, time.monotonic() - started, "rasad-health", self.health.interval_seconds)

    def digest_job(self, rule) -> None:
        if self.stopping.is_set():
            return
        with self.locks.hold(f"digest:{rule.name}") as held:
            if not held:
                return
            started = time.monotonic()
            token = self.checkins.start(f"rasad-digest-{rule.name}", 3600)
            ok = True
            try:
                self.dispatcher.scan()   # make sure matches stored just now are in
                if self.dispatcher.run_digest(rule):
                    self.wake.set()
            except Exception:  # noqa: BLE001
                ok = False
                log.exception("digest %s failed", rule.name)
            self.checkins.finish(token, ok, time.monotonic() - started, f"rasad-digest-{rule.name}", 3600)

    # ---- shutdown -------------------------------------------------------------------------

    def stop(self) -> None:
        log.info("stopping: no new jobs; waiting up to %.0fs for running crawls", self.sched.shutdown_grace_seconds)
        self.stopping.set()
        self.wake.set()
        try:
            self.scheduler.shutdown(wait=False)
        except Exception:  # noqa: BLE001
            pass
        deadline = time.monotonic() + self.sched.shutdown_grace_seconds
        while time.monotonic() < deadline and self.active:
            time.sleep(0.1)
        if self.active:
            log.warning("abandoning running crawls: %s", ", ".join(sorted(self.active)))
        self.abandon.set()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.active:
            time.sleep(0.1)
        self._drop_warm()
        self.dispatch_thread.join(timeout=30)
        log.info("stopped")


def _setup_logging(redactor: Redactor, verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(redactor))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    apprise_log = logging.getLogger("apprise")
    apprise_log.setLevel(logging.WARNING)
    apprise_log.propagate = False   # its failures are captured per delivery and logged redacted
    for noisy in ("urllib3", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="rasad run", description="the service: scheduled crawls, alerts, health")
    parser.add_argument("--outlets", help="comma-separated outlet keys (default: every enabled outlet)")
    parser.add_argument("--no-crawl", action="store_true", help="only alerts and health (crawls run elsewhere)")
    parser.add_argument("--distributed", action="store_true",
                        help="seed crawls into the shared Redis frontier (REDIS_URL) for `rasad worker`s "
                             "instead of crawling in this process")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.distributed and not os.environ.get("REDIS_URL"):
        print("rasad: error: --distributed needs REDIS_URL (the shared frontier)", file=sys.stderr)
        return 2
    done = threading.Event()
    state: dict = {}

    def on_signal(signum, _frame):
        if done.is_set() and "service" in state:
            state["service"].abandon.set()   # a second signal: do not wait for running crawls
        log.info("received %s", signal.Signals(signum).name)
        done.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    config = get_config()
    from storage import open_store
    for attempt in range(3):
        # another process may be creating/stamping the schema right now (two services starting
        # together): ensure_schema then fails with "already exists" or a duplicate key; retry
        try:
            store = open_store()
            break
        except Exception:  # noqa: BLE001
            if attempt == 2:
                raise
            time.sleep(1 + attempt + random.random())
    settings = load_alert_settings(config)
    redactor = Redactor([*settings.secrets(), os.environ.get("SENTRY_DSN", "")])
    redactor.add_url_password(store.url)
    redactor.add_url_password(os.environ.get("REDIS_URL"))
    _setup_logging(redactor, args.verbose)
    init_sentry(redactor, "service")
    outlets = [k.strip() for k in args.outlets.split(",") if k.strip()] if args.outlets else None
    try:
        service = Service(config, store, outlets, crawl=not args.no_crawl, distributed=args.distributed)
    except ConfigError:
        raise
    except Exception as exc:  # Redis unreachable, ...
        print(f"rasad: error: cannot start the service: {redactor(f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 1
    state["service"] = service
    if done.is_set():           # stopped while starting up
        store.close()
        return 0
    service.start()
    while not done.wait(1.0):
        pass
    service.stop()
    flush(5)
    store.close()
    return 0
