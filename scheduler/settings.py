"""Service settings from rasad.toml: [scheduler], [channels], [alerts] (+ [[alerts.rules]]), [health].

Channel URLs are templates: ``{NAME}`` is replaced by the environment variable NAME (URL-quoted)
when a message is sent, so secrets live in the environment only. Nothing here ever puts a channel
URL or a secret into an error message: errors name the channel and the variable.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.config import Config, ConfigError, OutletConfig

_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MODES = ("immediate", "digest")


@dataclass(frozen=True)
class Channel:
    name: str
    template: str

    @property
    def scheme(self) -> str:
        return self.template.split("://", 1)[0].lower() if "://" in self.template else "?"

    @property
    def variables(self) -> list[str]:
        return _VAR.findall(self.template)

    def missing_variables(self) -> list[str]:
        return [v for v in self.variables if not os.environ.get(v)]

    def resolve(self) -> str:
        """The channel URL with its {VARS} filled in (never log or print the result)."""
        missing = self.missing_variables()
        if missing:
            raise ConfigError(f"channel {self.name}: environment variable(s) {', '.join(missing)} not set")
        return _VAR.sub(lambda m: quote(os.environ[m.group(1)], safe=""), self.template)

    def secrets(self) -> list[str]:
        values = []
        for var in self.variables:
            value = os.environ.get(var)
            if value:
                values += [value, quote(value, safe="")]
        try:
            values.append(self.resolve())
        except ConfigError:
            pass
        values.append(self.template)
        return values

    def describe(self) -> str:
        return f"{self.name} ({self.scheme})"


@dataclass(frozen=True)
class Window:
    """A daily local-time window such as 00:00-06:00 (may wrap around midnight)."""
    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, text: str, where: str) -> "Window":
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text or "")
        if not m:
            raise ConfigError(f"{where}: quiet_hours must look like \"00:00-06:00\", got {text!r}")
        h1, m1, h2, m2 = map(int, m.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
            raise ConfigError(f"{where}: quiet_hours {text!r} is not a valid time range")
        return cls(dt.time(h1, m1), dt.time(0, 0) if h2 == 24 else dt.time(h2, m2))

    def end_if_inside(self, now: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
        """When ``now`` falls inside the window: the (aware) end of it; else None."""
        local = now.astimezone(tz)
        t = local.time()
        if self.start <= self.end:
            inside = self.start <= t < self.end
        else:
            inside = t >= self.start or t < self.end
        if not inside:
            return None
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end += dt.timedelta(days=1)
        # re-localise (DST-safe: Damascus has none since 2022, but be correct anyway)
        end = dt.datetime.combine(end.date(), self.end, tzinfo=tz)
        return end.astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class Rule:
    name: str
    watch: str                       # a watch name, or "*" for every new article
    channels: tuple[str, ...]
    min_score: float = 0.0
    mode: str = "immediate"
    digest: str = "hourly"           # "hourly" | "daily@HH:MM"
    quiet_hours: Window | None = None
    followups: bool = False
    outlets: tuple[str, ...] = ()    # only these outlets (empty: all)

    def matches(self, watches: list, score: float | None, outlet: str) -> bool:
        if self.outlets and outlet not in self.outlets:
            return False
        if self.watch != "*" and self.watch not in (watches or []):
            return False
        if self.min_score > 0 and (score or 0.0) < self.min_score:
            return self.watch == "*" and score is None   # "*" rules accept unscored articles
        return True

    def digest_time(self) -> tuple[int | None, int]:
        """(hour, minute) of a daily digest, or (None, 0) for hourly."""
        if self.digest == "hourly":
            return None, 0
        m = re.fullmatch(r"daily@(\d{1,2}):(\d{2})", self.digest)
        if not m:
            raise ConfigError(f"alert rule {self.name}: digest must be \"hourly\" or \"daily@HH:MM\", got {self.digest!r}")
        return int(m.group(1)), int(m.group(2))


@dataclass(frozen=True)
class AlertSettings:
    channels: dict[str, Channel]
    rules: tuple[Rule, ...]
    timezone: ZoneInfo
    operators: tuple[str, ...] = ()
    poll_seconds: float = 5.0
    lookback_hours: float = 24.0
    max_age_hours: float = 72.0
    retry_base_seconds: float = 10.0
    retry_cap_seconds: float = 3600.0
    max_attempts: int = 20
    story_settle_seconds: float = 15.0
    claim_lease_seconds: float = 60.0

    def secrets(self) -> list[str]:
        out = []
        for ch in self.channels.values():
            out += ch.secrets()
        return out


@dataclass(frozen=True)
class HealthSettings:
    interval_seconds: float = 300.0
    expected_silence_hours: float = 24.0
    max_failures: int = 3
    min_yield: float = 0.5
    yield_runs: int = 3
    yield_min_pages: int = 3
    per_outlet_silence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SchedulerSettings:
    crawl_timeout_seconds: float = 900.0
    jitter_seconds: float | None = None        # None: 10% of the interval, at most 60 s
    adaptive: bool = True
    min_factor: float = 0.5                     # default bounds when an outlet sets none
    max_factor: float = 4.0
    adaptive_runs: int = 6
    shutdown_grace_seconds: float = 10.0
    lock_ttl_seconds: float = 30.0
    warm_start: bool = True                     # pre-start the next crawl process (imports done)


def _tz(name: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown time zone {name!r}") from None


def _num(table: dict, key: str, default, where: str, kind=float):
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where}.{key} must be a number, got {value!r}")
    return kind(value)


def load_alert_settings(config: Config) -> AlertSettings:
    raw = config.raw
    channels_raw = raw.get("channels", {}) or {}
    if not isinstance(channels_raw, dict):
        raise ConfigError("[channels] must be a table of channel tables")
    channels = {}
    for name, table in channels_raw.items():
        if not _NAME.match(name):
            raise ConfigError(f"channel name {name!r}: use letters, digits, -, _ or .")
        url = table.get("url") if isinstance(table, dict) else table
        if not isinstance(url, str) or "://" not in url:
            raise ConfigError(f"channels.{name}.url must be an apprise URL such as json://host/path")
        channels[name] = Channel(name, url.strip())
    alerts = raw.get("alerts", {}) or {}
    if not isinstance(alerts, dict):
        raise ConfigError("[alerts] must be a table")
    tz = _tz(str(alerts.get("timezone", config.timezone)), "alerts.timezone")
    operators = alerts.get("operators", [])
    if isinstance(operators, str):
        operators = [operators]
    for op in operators:
        if op not in channels:
            raise ConfigError(f"alerts.operators: unknown channel {op!r} (configured: {', '.join(sorted(channels)) or 'none'})")
    rules = []
    seen = set()
    for i, table in enumerate(alerts.get("rules", []) or [], 1):
        where = f"alerts.rules[{i}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table ([[alerts.rules]])")
        watch = table.get("watch")
        if not isinstance(watch, str) or not watch:
            raise ConfigError(f"{where}.watch must name a watch (or \"*\" for every article)")
        chans = table.get("channels", [])
        if isinstance(chans, str):
            chans = [chans]
        if not chans:
            raise ConfigError(f"{where}.channels must list at least one channel")
        for ch in chans:
            if ch not in channels:
                raise ConfigError(f"{where}.channels: unknown channel {ch!r} (configured: {', '.join(sorted(channels)) or 'none'})")
        mode = table.get("mode", "immediate")
        if mode not in MODES:
            raise ConfigError(f"{where}.mode must be one of {list(MODES)}, got {mode!r}")
        name = str(table.get("name") or f"{watch}:{mode}:{'+'.join(chans)}")[:96]
        if name in seen:
            raise ConfigError(f"{where}: two rules are named {name!r}; give one a `name`")
        seen.add(name)
        quiet = table.get("quiet_hours")
        outlets = table.get("outlets", [])
        rule = Rule(name=name, watch=watch, channels=tuple(chans), min_score=_num(table, "min_score", 0.0, where) or 0.0,
                    mode=mode, digest=str(table.get("digest", "hourly")),
                    quiet_hours=Window.parse(quiet, where) if quiet else None,
                    followups=bool(table.get("followups", False)),
                    outlets=tuple([outlets] if isinstance(outlets, str) else outlets))
        rule.digest_time()
        rules.append(rule)
    return AlertSettings(
        channels=channels, rules=tuple(rules), timezone=tz, operators=tuple(operators),
        poll_seconds=_num(alerts, "poll_seconds", 5.0, "alerts"),
        lookback_hours=_num(alerts, "lookback_hours", 24.0, "alerts"),
        max_age_hours=_num(alerts, "max_age_hours", 72.0, "alerts"),
        retry_base_seconds=_num(alerts, "retry_base_seconds", 10.0, "alerts"),
        retry_cap_seconds=_num(alerts, "retry_cap_seconds", 3600.0, "alerts"),
        max_attempts=_num(alerts, "max_attempts", 20, "alerts", int),
        story_settle_seconds=_num(alerts, "story_settle_seconds", 15.0, "alerts"),
        claim_lease_seconds=_num(alerts, "claim_lease_seconds", 60.0, "alerts"),
    )


def load_health_settings(config: Config) -> HealthSettings:
    table = config.raw.get("health", {}) or {}
    per_outlet = {key: float(o.extra["expected_silence_hours"]) for key, o in config.outlets.items()
                  if "expected_silence_hours" in o.extra}
    return HealthSettings(
        interval_seconds=_num(table, "interval_seconds", 300.0, "health"),
        expected_silence_hours=_num(table, "expected_silence_hours", 24.0, "health"),
        max_failures=_num(table, "max_failures", 3, "health", int),
        min_yield=_num(table, "min_yield", 0.5, "health"),
        yield_runs=_num(table, "yield_runs", 3, "health", int),
        yield_min_pages=_num(table, "yield_min_pages", 3, "health", int),
        per_outlet_silence=per_outlet,
    )


def load_scheduler_settings(config: Config) -> SchedulerSettings:
    table = config.raw.get("scheduler", {}) or {}
    return SchedulerSettings(
        crawl_timeout_seconds=_num(table, "crawl_timeout_seconds", 900.0, "scheduler"),
        jitter_seconds=_num(table, "jitter_seconds", None, "scheduler"),
        adaptive=bool(table.get("adaptive", True)),
        min_factor=_num(table, "min_factor", 0.5, "scheduler"),
        max_factor=_num(table, "max_factor", 4.0, "scheduler"),
        adaptive_runs=_num(table, "adaptive_runs", 6, "scheduler", int),
        shutdown_grace_seconds=_num(table, "shutdown_grace_seconds", 10.0, "scheduler"),
        lock_ttl_seconds=_num(table, "lock_ttl_seconds", 30.0, "scheduler"),
        warm_start=bool(table.get("warm_start", True)),
    )


def outlet_interval_bounds(outlet: OutletConfig, sched: SchedulerSettings) -> tuple[float, float, float]:
    """(base, minimum, maximum) poll interval of an outlet, in seconds.

    ``interval_seconds`` (for tests) wins over ``interval_minutes``; ``min_interval_minutes`` /
    ``max_interval_minutes`` (or ``*_seconds``) bound the adaptive interval, by default
    ``min_factor``/``max_factor`` times the base.
    """
    extra = outlet.extra
    base = float(extra["interval_seconds"]) if "interval_seconds" in extra else outlet.interval_minutes * 60
    if base <= 0:
        raise ConfigError(f"outlets.{outlet.key}: the poll interval must be positive")

    def bound(name: str, default: float) -> float:
        if f"{name}_seconds" in extra:
            return float(extra[f"{name}_seconds"])
        if f"{name}_minutes" in extra:
            return float(extra[f"{name}_minutes"]) * 60
        return default
    lo = bound("min_interval", base * sched.min_factor if sched.adaptive else base)
    hi = bound("max_interval", base * sched.max_factor if sched.adaptive else base)
    if lo > hi:
        raise ConfigError(f"outlets.{outlet.key}: min interval is larger than max interval")
    return base, lo, hi
