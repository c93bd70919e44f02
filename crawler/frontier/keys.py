"""Redis key names of the frontier, under one prefix (``[frontier] prefix`` in rasad.toml)."""
from __future__ import annotations

from dataclasses import dataclass

# Request meta keys the frontier adds (kept in meta so they travel with the serialized request).
TOKEN = "rasad_token"      # the queue entry a request came from (acknowledged when done)
PARENT = "rasad_parent"    # the entry whose callback produced this request
RUN = "rasad_run"          # crawl_runs.id of the outlet run the request belongs to


@dataclass(frozen=True)
class Keys:
    prefix: str = "rasad"

    @property
    def queue(self) -> str:          # zset: token -> -priority
        return f"{self.prefix}:frontier:queue"

    @property
    def data(self) -> str:           # hash: token -> serialized request
        return f"{self.prefix}:frontier:data"

    @property
    def prio(self) -> str:           # hash: token -> queue score (to requeue at the same place)
        return f"{self.prefix}:frontier:prio"

    @property
    def runs(self) -> str:           # hash: token -> run id
        return f"{self.prefix}:frontier:runs"

    @property
    def inflight(self) -> str:       # zset: token -> lease deadline (unix seconds)
        return f"{self.prefix}:frontier:inflight"

    @property
    def workers(self) -> str:        # hash: worker id -> JSON heartbeat
        return f"{self.prefix}:frontier:workers"

    @property
    def stats(self) -> str:          # hash: frontier-wide counters (requeued leases, ...)
        return f"{self.prefix}:frontier:stats"

    def seen(self, bucket: int) -> str:   # set of fingerprints first seen in this time bucket
        return f"{self.prefix}:frontier:seen:{bucket}"

    def seen_pattern(self) -> str:
        return f"{self.prefix}:frontier:seen:*"

    def run(self, run_id) -> str:    # hash: pending, outlet, state, c:<counter>, s:<value>
        return f"{self.prefix}:run:{run_id}"

    def run_validators(self, run_id) -> str:   # hash: url -> JSON [etag, last_modified]
        return f"{self.prefix}:run:{run_id}:validators"

    def run_errors(self, run_id) -> str:       # list of discovery error strings
        return f"{self.prefix}:run:{run_id}:errors"
