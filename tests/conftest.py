"""Shared fixtures: real HTTP servers for saved-style sites, real SQLite/PostgreSQL stores,
and a runner for the `rasad` command in a subprocess (each crawl gets a fresh Twisted reactor).

Services: PostgreSQL at RASAD_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
and Redis at RASAD_TEST_REDIS_URL (default redis://127.0.0.1:6379/15). Off CI a missing
service skips its tests; with CI=true it fails them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "fixtures" / "sites"
PG_ADMIN_URL = os.environ.get("RASAD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("RASAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_missing(what: str, exc: Exception):
    message = f"{what} is not reachable: {type(exc).__name__}: {exc}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing service is a failure)")
    pytest.skip(message)


@pytest.fixture
def site_copy(tmp_path):
    """Copy a fixture site to a temporary folder (tests may edit it while it is served)."""
    def make(name: str) -> Path:
        dest = tmp_path / "sites" / name
        shutil.copytree(SITES / name, dest)
        return dest
    return make


@pytest.fixture
def serve(site_copy):
    """Start a SiteServer on a fresh copy of a fixture site; stopped at teardown."""
    from crawler.sitesrv import SiteServer
    servers = []

    def start(name: str):
        server = SiteServer(site_copy(name)).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'rasad.db'}"


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    try:
        import psycopg
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except Exception as exc:  # noqa: BLE001
        service_missing("PostgreSQL", exc)
    name = f"rasad_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Each store test runs on the embedded SQLite store and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rasad.db'}"
    return request.getfixturevalue("pg_url")


def write_config(path: Path, servers: dict, extra: str = "") -> Path:
    """A rasad.toml pointing outlets at local servers: {outlet_key: SiteServer or (SiteServer, table)}."""
    lines = ["[rasad]", 'contact_url = "https://rasad.example/contact"', "", "[crawl]",
             "download_timeout = 2", "retry_times = 2", ""]
    for key, value in servers.items():
        server, table = value if isinstance(value, tuple) else (value, {})
        lines.append(f"[outlets.{key}]")
        lines.append(f'base_url = "{server.base_url}"')
        lines.append('domains = ["127.0.0.1"]')
        for k, v in table.items():
            lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
        lines.append("")
    path.write_text("\n".join(lines) + extra, encoding="utf-8")
    return path


@pytest.fixture
def rasad(tmp_path):
    """Run `rasad ARGS` in a subprocess with the given config and store; returns CompletedProcess."""
    def run(*args, config: Path | None = None, db: str | None = None, env: dict | None = None,
            input: str | None = None, timeout: float = 180, cwd: Path | None = None):
        full_env = dict(os.environ)
        full_env.pop("RASAD_CONFIG", None)
        if config:
            full_env["RASAD_CONFIG"] = str(config)
        if db:
            full_env["RASAD_DB_URL"] = db
        full_env.update(env or {})
        return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd or tmp_path, env=full_env,
                              input=input, capture_output=True, text=True, timeout=timeout)
    return run
