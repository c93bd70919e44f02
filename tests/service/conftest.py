"""Real local receivers for the service tests: an HTTP webhook, an SMTP server (aiosmtpd), a
Sentry envelope sink, and a runner for `rasad run` as a subprocess."""
from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import REDIS_URL, ROOT, service_missing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Webhook:
    """A real HTTP receiver on 127.0.0.1 that records JSON posts; can answer 500 or hang on demand."""

    def __init__(self, port: int | None = None):
        self.requests: list[dict] = []
        self.fail_next = 0          # answer this many requests with `fail_status`
        self.fail_status = 500
        self.delay = 0.0
        self.answer = None          # callable(path) -> (status, body bytes) for a 2xx answer
        self.lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                entry = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                         "body": body, "status": None, "at": time.time()}
                with hook.lock:
                    hook.requests.append(entry)     # recorded on arrival; status once answered
                    delay = hook.delay
                if delay:
                    time.sleep(delay)
                with hook.lock:
                    failing = hook.fail_next > 0
                    if failing:
                        hook.fail_next -= 1
                    status = hook.fail_status if failing else 200
                    entry["status"] = status
                payload = b'{"ok": true}' if status == 200 else b'{"error": "boom"}'
                if status == 200 and hook.answer:
                    status, payload = hook.answer(self.path)
                    entry["status"] = 200 if 200 <= status < 300 else status
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = _Recorder(("127.0.0.1", port or 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def delivered(self) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["status"] == 200]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    hooks = []

    def make(port: int | None = None) -> Webhook:
        hook = Webhook(port)
        hooks.append(hook)
        return hook
    yield make
    for h in hooks:
        h.stop()


class Mailbox:
    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain", "html"))
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "subject": str(msg["subject"]), "text": body.get_content() if body else ""})
        return "250 OK"


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    box.url = f"mailto://127.0.0.1:{port}?from=rasad@example.org&to=team@example.org&mode=insecure"
    yield box
    controller.stop()


class SentrySink:
    """Records Sentry envelopes POSTed to /api/<project>/envelope/ (DSN http://public@127.0.0.1:PORT/1)."""

    def __init__(self):
        self.items: list[tuple[dict, dict | str]] = []
        self.raw: list[bytes] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                enc = (self.headers.get("Content-Encoding") or "").lower()
                if enc == "gzip":
                    data = gzip.decompress(data)
                elif enc == "deflate":
                    data = zlib.decompress(data)
                elif enc == "br":
                    import brotli  # noqa: F401 - only if the SDK chose it
                    data = brotli.decompress(data)
                sink.raw.append(data)
                lines = data.split(b"\n")
                i = 1
                while i < len(lines):
                    if not lines[i].strip():
                        i += 1
                        continue
                    header = json.loads(lines[i])
                    payload = lines[i + 1] if i + 1 < len(lines) else b""
                    try:
                        payload = json.loads(payload)
                    except ValueError:
                        payload = payload.decode("utf-8", "replace")
                    sink.items.append((header, payload))
                    i += 2
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = _Recorder(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.dsn = f"http://public@127.0.0.1:{self.port}/1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of_type(self, kind: str) -> list:
        return [p for h, p in list(self.items) if h.get("type") == kind]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sentry_sink():
    sink = SentrySink()
    yield sink
    sink.stop()


@pytest.fixture
def redis_url():
    try:
        import redis
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        service_missing("Redis", exc)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


class Running:
    """A `rasad run` subprocess; output goes to a file so a test can read it at any time."""

    def __init__(self, args, env, cwd: Path, log_path: Path):
        self.log_path = log_path
        self.log_file = open(log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "run", *args], cwd=cwd, env=env,
                                     stdout=self.log_file, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 30) -> None:
        """Until the service has installed its signal handlers and started its jobs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if "rasad run: pid" in self.output():
                return
            time.sleep(0.05)

    def terminate(self, timeout: float = 60) -> int:
        self.wait_ready()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.log_file.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.log_file.close()


@pytest.fixture
def run_service(tmp_path):
    """Start `rasad run ARGS` with a config and store; every process is stopped at teardown."""
    procs: list[Running] = []

    def start(*args, config: Path, db: str, env: dict | None = None, name: str = "run") -> Running:
        full = dict(os.environ)
        full.pop("SENTRY_DSN", None)
        full.pop("REDIS_URL", None)
        full["RASAD_CONFIG"] = str(config)
        full["RASAD_DB_URL"] = db
        full["PYTHONPATH"] = str(ROOT) + os.pathsep + full.get("PYTHONPATH", "")
        full.update(env or {})
        running = Running(list(args), full, tmp_path, tmp_path / f"{name}-{len(procs)}.log")
        procs.append(running)
        return running
    yield start
    for p in procs:
        if p.proc.poll() is None:
            p.proc.kill()
            p.proc.wait()
        if not p.log_file.closed:
            p.log_file.close()
