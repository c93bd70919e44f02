"""rasad.toml for service tests: local outlets, channels, rules and short intervals."""
from __future__ import annotations

import json
from pathlib import Path


def _table(name: str, values: dict) -> list[str]:
    lines = [f"[{name}]"]
    for k, v in values.items():
        lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
    return lines + [""]


def service_config(path: Path, *, outlets: dict | None = None, channels: dict | None = None, rules: list | None = None,
                   alerts: dict | None = None, scheduler: dict | None = None, health: dict | None = None,
                   crawl: dict | None = None) -> Path:
    lines = _table("rasad", {"contact_url": "https://rasad.example/contact"})
    lines += _table("crawl", {"download_timeout": 3, "retry_times": 1, **(crawl or {})})
    for key in ("geiroon", "euphratespost", "sharqsouri"):
        if key not in (outlets or {}):
            lines += _table(f"outlets.{key}", {"enabled": False})
    for key, (server, table) in (outlets or {}).items():
        lines += _table(f"outlets.{key}", {"base_url": server.base_url, "domains": ["127.0.0.1"], **table})
    for name, url in (channels or {}).items():
        lines += _table(f"channels.{name}", {"url": url})
    lines += _table("alerts", {"timezone": "Asia/Damascus", "poll_seconds": 0.5, "retry_base_seconds": 0.5,
                               "retry_cap_seconds": 2, **(alerts or {})})
    for rule in rules or []:
        lines += ["[[alerts.rules]]", *[f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in rule.items()], ""]
    lines += _table("scheduler", {"jitter_seconds": 0.2, "shutdown_grace_seconds": 2, **(scheduler or {})})
    lines += _table("health", {"interval_seconds": 1, **(health or {})})
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
