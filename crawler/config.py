"""rasad configuration: built-in defaults merged with the operator's rasad.toml.

Lookup order for the operator's file: the path in ``RASAD_CONFIG``, else ``./rasad.toml``.
Tables merge key by key over ``crawler/default.toml``; lists and scalars replace.
Secrets never live here: they come from the environment (``RASAD_DB_URL``, ``REDIS_URL``,
``SENTRY_DSN``, channel tokens).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_PATH = Path(__file__).with_name("default.toml")
DISCOVERY_SOURCES = ("feed", "api", "sitemap", "listing")
_OUTLET_KEY = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which key and why."""


@dataclass(frozen=True)
class OutletConfig:
    key: str
    name: str
    base_url: str
    name_ar: str = ""
    domains: tuple[str, ...] = ()
    theme: str | None = None
    founded: dt.date | None = None
    discovery: tuple[str, ...] = DISCOVERY_SOURCES
    feeds: tuple[str, ...] = ("/feed/",)
    api: tuple[str, ...] = ("/wp-json/wp/v2/posts",)
    sitemaps: tuple[str, ...] = ("/wp-sitemap.xml", "/sitemap_index.xml")
    listings: tuple[str, ...] = ("/",)
    article_url_pattern: str | None = None
    verified: bool = True
    enabled: bool = True
    interval_minutes: float = 10.0
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    def allowed_domains(self) -> list[str]:
        hosts = {self.host, *self.domains}
        return sorted(h for h in hosts if h)

    def absolute(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class Config:
    raw: dict
    outlets: dict[str, OutletConfig]
    contact_url: str
    timezone: str
    crawl: dict
    path: Path | None = None

    def outlet(self, key: str) -> OutletConfig:
        try:
            return self.outlets[key]
        except KeyError:
            known = ", ".join(sorted(self.outlets)) or "none"
            raise ConfigError(f"unknown outlet {key!r} (configured: {known})") from None

    def enabled_outlets(self) -> list[OutletConfig]:
        return [o for o in self.outlets.values() if o.enabled]

    @property
    def watches(self) -> dict | None:
        return self.raw.get("watches")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _tuple(value: Any, key: str, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"outlets.{key}.{name} must be a list of strings")
    return tuple(value)


def _outlet(key: str, table: dict) -> OutletConfig:
    if not _OUTLET_KEY.match(key):
        raise ConfigError(f"outlet key {key!r} must be lowercase letters, digits or _")
    if not isinstance(table, dict):
        raise ConfigError(f"outlets.{key} must be a table")
    base_url = table.get("base_url")
    if not base_url or not str(base_url).startswith(("http://", "https://")):
        raise ConfigError(f"outlets.{key}.base_url must be an http(s) URL, got {base_url!r}")
    founded = table.get("founded")
    if isinstance(founded, str):
        try:
            founded = dt.date.fromisoformat(founded)
        except ValueError:
            raise ConfigError(f"outlets.{key}.founded must be YYYY-MM-DD, got {founded!r}") from None
    elif isinstance(founded, dt.datetime):
        founded = founded.date()
    discovery = _tuple(table.get("discovery", list(DISCOVERY_SOURCES)), key, "discovery")
    unknown = [d for d in discovery if d not in DISCOVERY_SOURCES]
    if unknown:
        raise ConfigError(f"outlets.{key}.discovery: unknown source(s) {unknown}; use {list(DISCOVERY_SOURCES)}")
    pattern = table.get("article_url_pattern")
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"outlets.{key}.article_url_pattern: {exc}") from None
    known = {"name", "name_ar", "base_url", "domains", "theme", "founded", "discovery", "feeds", "api",
             "sitemaps", "listings", "article_url_pattern", "verified", "enabled", "interval_minutes"}
    return OutletConfig(
        key=key,
        name=str(table.get("name", key)),
        name_ar=str(table.get("name_ar", "")),
        base_url=str(base_url).rstrip("/"),
        domains=_tuple(table.get("domains", []), key, "domains"),
        theme=table.get("theme") or None,
        founded=founded,
        discovery=discovery,
        feeds=_tuple(table.get("feeds", ["/feed/"]), key, "feeds"),
        api=_tuple(table.get("api", ["/wp-json/wp/v2/posts"]), key, "api"),
        sitemaps=_tuple(table.get("sitemaps", ["/wp-sitemap.xml", "/sitemap_index.xml"]), key, "sitemaps"),
        listings=_tuple(table.get("listings", ["/"]), key, "listings"),
        article_url_pattern=pattern or None,
        verified=bool(table.get("verified", True)),
        enabled=bool(table.get("enabled", True)),
        interval_minutes=float(table.get("interval_minutes", 10)),
        extra={k: v for k, v in table.items() if k not in known},
    )


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def user_config_path() -> Path | None:
    env = os.environ.get("RASAD_CONFIG")
    if env:
        return Path(env)
    local = Path("rasad.toml")
    return local if local.is_file() else None


def load_config(path: str | Path | None = None) -> Config:
    """Defaults merged with ``path`` (or RASAD_CONFIG / ./rasad.toml when None)."""
    raw = _read(DEFAULT_PATH)
    user_path = Path(path) if path else user_config_path()
    if user_path is not None:
        raw = _merge(raw, _read(user_path))
    outlets_raw = raw.get("outlets", {})
    if not isinstance(outlets_raw, dict):
        raise ConfigError("[outlets] must be a table of outlet tables")
    outlets = {key: _outlet(key, table) for key, table in outlets_raw.items()}
    settings = raw.get("rasad", {})
    return Config(
        raw=raw,
        outlets=outlets,
        contact_url=str(settings.get("contact_url", "")),
        timezone=str(settings.get("timezone", "Asia/Damascus")),
        crawl=dict(raw.get("crawl", {})),
        path=user_path,
    )


@lru_cache(maxsize=4)
def _cached(path_key: str | None, mtime: float | None) -> Config:
    return load_config(path_key)


def get_config() -> Config:
    """The process-wide configuration (re-read when the operator's file changes)."""
    path = user_config_path()
    mtime = path.stat().st_mtime if path and path.exists() else None
    return _cached(str(path) if path else None, mtime)


def db_url() -> str:
    """The store URL: RASAD_DB_URL, else a SQLite file under ./data/."""
    url = os.environ.get("RASAD_DB_URL")
    if url:
        return url
    Path("data").mkdir(exist_ok=True)
    return "sqlite:///data/rasad.db"


def redact_url(url: str) -> str:
    """A DSN/URL with its credentials' secret part removed, safe for logs and error messages.

    Everything between the first ``:`` after the scheme's ``//`` and the LAST ``@`` of the
    authority is hidden, so a password holding a raw ``@`` or ``:`` is hidden whole; a URL
    that cannot be parsed is not echoed at all.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url if "@" not in url else "<url hidden>"
    authority, slash, tail = rest.partition("/")
    if "@" not in authority:
        return url
    userinfo, _, hostport = authority.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{hostport}{slash}{tail}"
