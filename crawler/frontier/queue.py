"""scrapy-redis components with leases and expiring fingerprints (wired by settings, see worker.py).

Queue layout (keys.py): a sorted set of entry tokens by priority, the serialized requests in a
hash, and a sorted set of tokens in flight by lease deadline. Popping moves a token from the
queue to in-flight atomically (a Lua script); acknowledging removes it and its data, and
counts it done in its run, atomically too. Leases are renewed by the worker that holds them
(`renew`), and any worker puts expired ones back in the queue (`requeue_expired`).
"""
from __future__ import annotations

import hashlib
import logging
import time
import uuid

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from scrapy.utils.request import fingerprint
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from crawler.frontier.keys import PARENT, RUN, TOKEN, Keys

log = logging.getLogger("rasad.frontier")

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
REDIS_ERRORS = (RedisError, OSError)   # anything Redis can answer instead of doing the work

_PUSH = """
-- Queue one request, atomically with its duplicate check and its run's pending count.
-- KEYS: queue, data, prio, inflight, runs, run ('' = none), fingerprint buckets (newest first)...
-- ARGV: token, payload, score, old token ('' = none), run id ('' = none), fingerprint ('' = none),
--       bucket ttl
-- Returns 1 queued (or already queued by a retry of this call), 2 seen (filtered), 0 run gone.
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 1 end   -- a retry after a lost reply
local function drop_old()
  if ARGV[4] == '' then return 0 end
  local removed = redis.call('ZREM', KEYS[4], ARGV[4]) + redis.call('ZREM', KEYS[1], ARGV[4])
  redis.call('HDEL', KEYS[2], ARGV[4])
  redis.call('HDEL', KEYS[3], ARGV[4])
  redis.call('HDEL', KEYS[5], ARGV[4])
  return removed
end
if KEYS[6] ~= '' and redis.call('EXISTS', KEYS[6]) == 0 then
  drop_old()
  return 0
end
if ARGV[6] ~= '' then
  for i = 7, #KEYS do
    if redis.call('SISMEMBER', KEYS[i], ARGV[6]) == 1 then return 2 end
  end
  redis.call('SADD', KEYS[7], ARGV[6])
  redis.call('EXPIRE', KEYS[7], ARGV[7])
end
local delta = 1
if drop_old() > 0 then delta = 0 end      -- a redirect/retry takes its entry's place
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[5]) end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
if KEYS[6] ~= '' and delta ~= 0 then redis.call('HINCRBY', KEYS[6], 'pending', delta) end
return 1
"""

_POP = """
-- KEYS: queue, inflight, data ; ARGV: lease seconds (deadlines on the Redis clock)
local now = redis.call('TIME')
local deadline = tonumber(now[1]) + tonumber(now[2]) / 1000000 + tonumber(ARGV[1])
local item = redis.call('ZRANGE', KEYS[1], 0, 0)
if #item == 0 then return nil end
local token = item[1]
redis.call('ZREM', KEYS[1], token)
local data = redis.call('HGET', KEYS[3], token)
if not data then return {token, ''} end
redis.call('ZADD', KEYS[2], deadline, token)
return {token, data}
"""

_ACK = """
-- KEYS: inflight, queue, data, prio, run ('' = none), run validators, run errors, runs
-- ARGV: token, ttl, n counters, (name, int)*, n values, (name, value)*, n validators, (url, json)*, n errors, error*
local removed = redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[8], ARGV[1])
if removed == 0 then return -1 end
if KEYS[5] == '' or redis.call('EXISTS', KEYS[5]) == 0 then return -2 end
local i = 3
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HINCRBY', KEYS[5], 'c:' .. ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[5], 's:' .. ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 1]); i = i + 2 end
if n > 0 then redis.call('EXPIRE', KEYS[6], ARGV[2]) end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('RPUSH', KEYS[7], ARGV[i]); i = i + 1 end
if n > 0 then redis.call('EXPIRE', KEYS[7], ARGV[2]) end
return redis.call('HINCRBY', KEYS[5], 'pending', -1)
"""

_REQUEUE_EXPIRED = """
-- KEYS: inflight, queue, prio, stats ; ARGV: limit
local now = redis.call('TIME')
local tokens = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', tonumber(now[1]) + tonumber(now[2]) / 1000000,
                          'LIMIT', 0, ARGV[1])
for _, t in ipairs(tokens) do
  redis.call('ZREM', KEYS[1], t)
  redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[3], t) or 0, t)
end
if #tokens > 0 then redis.call('HINCRBY', KEYS[4], 'requeued', #tokens) end
return #tokens
"""

_RENEW = """
-- KEYS: inflight ; ARGV: lease seconds, token* (only entries still leased are extended)
local now = redis.call('TIME')
local deadline = tonumber(now[1]) + tonumber(now[2]) / 1000000 + tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], deadline, ARGV[i])
    n = n + 1
  end
end
return n
"""

_RELEASE = """
-- KEYS: inflight, queue, prio ; ARGV: token*
local n = 0
for _, t in ipairs(ARGV) do
  if redis.call('ZREM', KEYS[1], t) == 1 then
    redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[3], t) or 0, t)
    n = n + 1
  end
end
return n
"""

_SEEN_OR_ADD = """
-- KEYS: the time buckets, newest first ; ARGV: fingerprint, ttl of the newest bucket
for i = 1, #KEYS do
  if redis.call('SISMEMBER', KEYS[i], ARGV[1]) == 1 then return 1 end
end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 0
"""


def _retrying(what: str, fn, patience: float):
    """Call ``fn`` until Redis answers or ``patience`` seconds pass (a Redis restart takes a few)."""
    deadline = time.monotonic() + patience
    delay = 0.2
    warned = False
    while True:
        try:
            result = fn()
            if warned:
                log.warning("frontier: Redis is back (%s)", what)
            return result
        except REDIS_DOWN as exc:
            if time.monotonic() + delay > deadline:
                raise
            if not warned:
                log.warning("frontier: Redis unavailable during %s (%s); retrying", what, type(exc).__name__)
                warned = True
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


class FrontierQueue(Base):
    """A scrapy-redis priority queue whose entries are leased until acknowledged."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        settings = spider.settings
        self.keys = Keys(settings.get("RASAD_FRONTIER_PREFIX", "rasad"))
        self.lease = settings.getfloat("RASAD_FRONTIER_LEASE_SECONDS", 60.0)
        self.patience = settings.getfloat("RASAD_FRONTIER_REDIS_PATIENCE", 120.0)
        self.run_ttl = settings.getint("RASAD_FRONTIER_RUN_TTL", 2 * 86400)
        self.held: dict[str, float] = {}     # tokens this worker holds -> since (renewed, released on close)
        # an entry held longer than this is no longer renewed (whatever holds it up, another
        # worker gets it when the lease runs out): no request can pin a run open for ever
        self.max_hold = settings.getfloat("RASAD_FRONTIER_MAX_HOLD_SECONDS", 1800.0)
        self.failed_parents: set[str] = set()  # entries whose follow-ups could not be queued
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._ack = server.register_script(_ACK)
        self._requeue = server.register_script(_REQUEUE_EXPIRED)
        self._release = server.register_script(_RELEASE)
        self._renew = server.register_script(_RENEW)

    def __len__(self):
        return self.server.zcard(self.keys.queue)

    def _run_key(self, request) -> str:
        run = request.meta.get(RUN)
        return self.keys.run(run) if run is not None else ""

    def push(self, request, fingerprint: bytes | None = None, buckets: tuple[list[str], int] | None = None) -> int:
        """Queue ``request``: 1 queued, 2 already seen (``fingerprint`` in one of ``buckets``;
        it is added to the newest otherwise, in the same atomic step), 0 its run is gone.
        A request carrying a TOKEN (a redirect or retry of a leased entry) takes its place."""
        old = request.meta.pop(TOKEN, None) or ""
        token = uuid.uuid4().hex
        payload = self._encode_request(request)
        score = -request.priority
        run = request.meta.get(RUN)
        run_key = self._run_key(request)
        bucket_keys, bucket_ttl = buckets if (buckets and fingerprint) else ([], 0)
        try:
            result = _retrying("push", lambda: self._push(
                keys=[self.keys.queue, self.keys.data, self.keys.prio, self.keys.inflight, self.keys.runs,
                      run_key, *bucket_keys],
                args=[token, payload, score, old, "" if run is None else str(run), fingerprint or b"",
                      bucket_ttl]), self.patience)
        except REDIS_ERRORS:
            # not queued: the entry that produced it (or the one it replaces) must not be
            # acknowledged; its lease runs out and it is done again
            culprit = old or request.meta.get(PARENT)
            if culprit:
                self.failed_parents.add(culprit)
            raise
        if old and int(result) != 2:
            self.held.pop(old, None)
        return int(result)

    def pop(self, timeout=0):
        while True:
            got = self._pop(keys=[self.keys.queue, self.keys.inflight, self.keys.data], args=[self.lease])
            if not got:
                return None
            token, data = got[0].decode() if isinstance(got[0], bytes) else got[0], got[1]
            if not data:
                continue   # an entry without data (acknowledged meanwhile): skip it
            try:
                request = self._decode_request(data)
            except Exception as exc:  # noqa: BLE001 - a payload this code cannot read: drop, counted
                log.error("frontier: dropping an unreadable queue entry %s: %s", token, exc)
                run = self.server.hget(self.keys.runs, token)
                self.ack(token, {"rasad/lost": 1}, errors=[f"unreadable queue entry dropped: {exc}"],
                         run=int(run) if run else None)
                continue
            request.meta[TOKEN] = token
            self.held[token] = time.monotonic()
            return request

    def ack(self, token: str, counters: dict | None = None, values: dict | None = None,
            validators: dict | None = None, errors: list | None = None, run=None) -> int | None:
        """The entry is done: remove it and add its counts to its run. Returns the run's pending
        count after this (-1: the entry was already gone, -2: no such run), or None when the
        entry must not be acknowledged (a follow-up could not be queued: it will be redone)."""
        self.held.pop(token, None)
        if token in self.failed_parents:
            self.failed_parents.discard(token)
            log.warning("frontier: entry %s left for redelivery (a follow-up request was not queued)", token)
            return None
        run_key = self.keys.run(run) if run is not None else ""
        args: list = [token, self.run_ttl]
        counters = {k: int(v) for k, v in (counters or {}).items() if v}
        args.append(len(counters))
        for k, v in counters.items():
            args += [k, v]
        values = values or {}
        args.append(len(values))
        for k, v in values.items():
            args += [k, str(v)]
        validators = validators or {}
        args.append(len(validators))
        for k, v in validators.items():
            args += [k, v]
        errors = errors or []
        args.append(len(errors))
        args += [str(e)[:500] for e in errors]
        keys = [self.keys.inflight, self.keys.queue, self.keys.data, self.keys.prio, run_key,
                self.keys.run_validators(run) if run is not None else "x",
                self.keys.run_errors(run) if run is not None else "x", self.keys.runs]
        try:
            return int(_retrying("ack", lambda: self._ack(keys=keys, args=args), self.patience))
        except REDIS_DOWN:
            log.error("frontier: could not acknowledge %s (Redis down); it will be redone after its lease", token)
            return None

    def renew(self) -> int:
        """Extend the leases of the entries this worker holds; returns how many."""
        now = time.monotonic()
        stale = [t for t, since in self.held.items() if now - since > self.max_hold]
        for t in stale:
            del self.held[t]
            log.error("frontier: entry %s held for over %.0fs; no longer renewed (another worker will redo it)",
                      t, self.max_hold)
        tokens = list(self.held)
        if not tokens:
            return 0
        return int(self._renew(keys=[self.keys.inflight], args=[self.lease, *tokens]))

    def requeue_expired(self, limit: int = 500) -> int:
        return int(self._requeue(keys=[self.keys.inflight, self.keys.queue, self.keys.prio, self.keys.stats],
                                 args=[limit]))

    def release_held(self) -> int:
        """Give back what this worker holds (graceful stop): the others take it at once."""
        tokens = list(self.held)
        self.held.clear()
        if not tokens:
            return 0
        return int(self._release(keys=[self.keys.inflight, self.keys.queue, self.keys.prio], args=tokens))

    def clear(self):
        self.server.delete(self.keys.queue, self.keys.data, self.keys.prio, self.keys.inflight, self.keys.runs)


class ExpiringDupeFilter(RFPDupeFilter):
    """scrapy-redis dupefilter whose fingerprints expire after ``RASAD_FRONTIER_FINGERPRINT_TTL``.

    Fingerprints (Scrapy's request fingerprint, 20 raw bytes) go into the set of the current
    time bucket; a request is "seen" if any bucket within the TTL holds its fingerprint. A
    bucket expires as a whole, so memory is bounded by what was seen within the TTL. Discovery
    pages (feed/API/listing pages 2+, child sitemaps) are deduplicated within their run only.
    """

    def __init__(self, server, key, debug=False, ttl: int = 86400, prefix: str = "rasad"):
        super().__init__(server, key, debug)
        self.keys = Keys(prefix)
        self.ttl = max(60, int(ttl))
        self.bucket_seconds = max(60, self.ttl // 8)
        self._seen = server.register_script(_SEEN_OR_ADD)

    @classmethod
    def from_settings(cls, settings):
        from scrapy_redis import connection
        prefix = settings.get("RASAD_FRONTIER_PREFIX", "rasad")
        return cls(connection.from_settings(settings), f"{prefix}:frontier:seen",
                   debug=settings.getbool("DUPEFILTER_DEBUG"),
                   ttl=settings.getint("RASAD_FRONTIER_FINGERPRINT_TTL", 86400), prefix=prefix)

    @classmethod
    def from_crawler(cls, crawler):
        return cls.from_settings(crawler.settings)

    @classmethod
    def from_spider(cls, spider):
        return cls.from_settings(spider.settings)

    def request_fingerprint(self, request) -> bytes:
        fp = fingerprint(request)
        if "page" in request.meta and request.meta.get(RUN) is not None:
            fp = hashlib.sha1(fp + f"run:{request.meta[RUN]}".encode()).digest()
        return fp

    def bucket_keys(self, now: float | None = None) -> list[str]:
        current = int((now or time.time()) // self.bucket_seconds)
        span = -(-self.ttl // self.bucket_seconds)
        return [self.keys.seen(current - i) for i in range(span + 1)]

    def request_seen(self, request) -> bool:
        fp = self.request_fingerprint(request)
        keys = self.bucket_keys()
        return bool(_retrying("dupefilter", lambda: self._seen(
            keys=keys, args=[fp, self.ttl + self.bucket_seconds]), 120.0))

    def clear(self):
        for key in self.server.scan_iter(self.keys.seen_pattern()):
            self.server.delete(key)

    def close(self, reason=""):
        pass   # fingerprints are shared by every worker: never cleared by one that stops


class FrontierScheduler(Scheduler):
    """The scrapy-redis scheduler, with the frontier queue's leases and Redis outages handled."""

    @classmethod
    def from_crawler(cls, crawler):
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        crawler.rasad_frontier = instance
        return instance

    def enqueue_request(self, request):
        # A request a callback produced (PARENT, no TOKEN of its own yet) counts as one output
        # of its parent entry done once it is in the frontier (or filtered as seen); a redirect
        # or retry of a leased entry carries that entry's TOKEN and replaces it in the queue.
        # The duplicate check and the push are one atomic step (queue._PUSH): a fingerprint is
        # never recorded for a request that did not reach the queue.
        parent = request.meta.get(PARENT) if TOKEN not in request.meta else None
        old = request.meta.get(TOKEN)
        try:
            fp = buckets = None
            if not request.dont_filter:
                fp = self.df.request_fingerprint(request)
                buckets = (self.df.bucket_keys(), self.df.ttl + self.df.bucket_seconds)
            result = self.queue.push(request, fp, buckets)
            if result == 2:
                self.df.log(request, self.spider)
                if old:   # a redirect or retry of a leased entry led to a page already seen: it is done
                    self.spider.frontier_done(old, request.meta)
                return False
            if result == 0:
                self.stats.inc_value("rasad/frontier/dropped_cancelled")
                return False
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
            return True
        except Exception as exc:  # noqa: BLE001 - not queued: its parent is redone after its lease
            culprit = old or parent
            if culprit:
                self.queue.failed_parents.add(culprit)
            if old:
                self.queue.held.pop(old, None)   # no callback will acknowledge it: let its lease run out
            log.error("frontier: could not queue %s (%s: %s); the request that produced it will be redone",
                      request.url, type(exc).__name__, exc)
            return False
        finally:
            if parent and hasattr(self.spider, "output_done"):
                self.spider.output_done(parent)

    def next_request(self):
        try:
            request = self.queue.pop()
        except REDIS_DOWN as exc:
            now = time.monotonic()
            if now - getattr(self, "_warned", 0) > 10:
                log.warning("frontier: Redis unavailable (%s); waiting for it", type(exc).__name__)
                self._warned = now
            return None
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        try:
            return len(self) > 0
        except REDIS_DOWN:
            return False

    def close(self, reason):
        try:
            released = self.queue.release_held()
            if released:
                log.info("frontier: gave back %d leased request(s) on close", released)
        except REDIS_DOWN:
            log.warning("frontier: Redis down on close; this worker's leases expire by themselves")
