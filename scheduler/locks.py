"""Job locks: in-process by default, in Redis when REDIS_URL is set (several `rasad run` hosts).

Redis lock protocol: ``SET key token NX PX ttl`` to take it, a renewal thread extends it every
ttl/3 while the job runs (only if the key still holds our token), and release deletes it only if
it still holds our token (compare-and-delete in a Lua script). A holder that dies stops renewing
and its lock expires after ``ttl``.
"""
from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager

log = logging.getLogger("rasad.locks")

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""


class Held:
    """What `hold()` yields: truthy when the lock is ours; ``lost`` is set if a renewal failed."""

    def __init__(self, acquired: bool):
        self.acquired = acquired
        self.lost = threading.Event()

    def __bool__(self) -> bool:
        return self.acquired


class LocalLocks:
    kind = "local"

    def __init__(self):
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, name: str):
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        got = lock.acquire(blocking=False)
        try:
            yield Held(got)
        finally:
            if got:
                lock.release()


class RedisLocks:
    kind = "redis"

    def __init__(self, url: str, ttl_seconds: float = 30.0, prefix: str = "rasad:lock:"):
        import redis
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.ttl_ms = max(1000, int(ttl_seconds * 1000))
        self.prefix = prefix
        self._renew = self.client.register_script(_RENEW)
        self._release = self.client.register_script(_RELEASE)

    def ping(self) -> None:
        self.client.ping()

    @contextmanager
    def hold(self, name: str):
        key = self.prefix + name
        token = uuid.uuid4().hex
        try:
            got = bool(self.client.set(key, token, nx=True, px=self.ttl_ms))
        except Exception as exc:  # noqa: BLE001 - Redis down: do not run the job (fail closed)
            log.error("lock %s: Redis unavailable (%s); job skipped", name, type(exc).__name__)
            got = False
        held = Held(got)
        stop = threading.Event()
        renewer = None
        if got:
            def renew():
                while not stop.wait(self.ttl_ms / 3000):
                    try:
                        if not self._renew(keys=[key], args=[token, self.ttl_ms]):
                            log.error("lock %s was lost (expired or taken over)", name)
                            held.lost.set()
                            return
                    except Exception as exc:  # noqa: BLE001
                        log.warning("lock %s: renewal failed (%s)", name, type(exc).__name__)
            renewer = threading.Thread(target=renew, name=f"lock-renew-{name}", daemon=True)
            renewer.start()
        try:
            yield held
        finally:
            stop.set()
            if renewer:
                renewer.join(timeout=2)
            if got:
                try:
                    self._release(keys=[key], args=[token])
                except Exception as exc:  # noqa: BLE001 - it expires by itself
                    log.warning("lock %s: release failed (%s); it expires in %d ms", name, type(exc).__name__, self.ttl_ms)


def make_locks(redis_url: str | None, ttl_seconds: float = 30.0):
    if redis_url:
        locks = RedisLocks(redis_url, ttl_seconds)
        locks.ping()
        return locks
    return LocalLocks()
