"""Scale-out benchmark: articles/min with 1, 2 and 4 `rasad worker`s, and Redis memory per
million fingerprints of the frontier's dupefilter.

    .venv/bin/python bench/scale.py                      # 2,000 articles, 1/2/4 workers
    .venv/bin/python bench/scale.py --articles 500 --workers 1,2

Each round: a generated local outlet (bench/sitegen.py pages) served on 127.0.0.1, a scratch
PostgreSQL database, a scratch Redis database (--redis-db, flushed), N workers started and
ready, then one run seeded as `rasad run --distributed` does; the time is from seeding to
the run recorded (every article stored and processed through all pipelines). Fingerprints:
1,000,000 Scrapy request fingerprints added through the dupefilter's own script; the figure
is the growth of Redis ``used_memory`` divided by the count.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sitegen  # noqa: E402

PG_ADMIN = os.environ.get("RASAD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def serve(articles: int) -> tuple[ThreadingHTTPServer, str]:
    class Server(ThreadingHTTPServer):
        daemon_threads = True
    server = Server(("127.0.0.1", 0), sitegen.make_handler(articles))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def round_(workers: int, articles: int, redis_base: str, tmp: Path) -> dict:
    import psycopg
    import redis

    from crawler.config import load_config
    from crawler.frontier.runs import FrontierRuns
    from storage import Store
    server, base = serve(articles)
    name = f"rasad_scale_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    db = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    config = tmp / f"rasad-{workers}.toml"
    config.write_text(sitegen.outlet_toml(base) + f"""
[crawl]
max_pages = {articles // 50 + 2}

[frontier]
lease_seconds = 30
""", encoding="utf-8")
    client = redis.Redis.from_url(redis_base)
    client.flushdb()
    env = dict(os.environ, RASAD_CONFIG=str(config), RASAD_DB_URL=db, REDIS_URL=redis_base)
    store = Store(db)
    procs = []
    try:
        for i in range(workers):
            log = open(tmp / f"worker-{workers}-{i}.log", "wb")
            procs.append((subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker"], cwd=ROOT, env=env,
                                           stdout=log, stderr=subprocess.STDOUT), log))
        # ready: every worker has announced itself on the frontier
        deadline = time.monotonic() + 60
        while client.hlen("rasad:frontier:workers") < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        runs = FrontierRuns(store, load_config(config), redis_base)
        started = time.monotonic()
        run_id = runs.seed("benchsite")
        outcome = runs.wait(run_id, 1800, poll=0.1)
        wall = time.monotonic() - started
        status = runs.finish(run_id, "benchsite", outcome)
        stored = store.count()
        cpu = 0.0
        for proc, log in procs:
            proc.terminate()
            proc.wait(timeout=60)
            log.close()
        cpu = 0.0
        return {"workers": workers, "stored": stored, "seconds": wall, "status": status,
                "per_min": stored / wall * 60 if wall else 0.0}
    finally:
        for proc, log in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        store.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        server.shutdown()
        client.flushdb()


def fingerprint_memory(redis_base: str, count: int) -> float:
    import redis
    from scrapy import Request
    from scrapy.settings import Settings

    from crawler.frontier.queue import ExpiringDupeFilter
    client = redis.Redis.from_url(redis_base)
    client.flushdb()
    settings = Settings({"REDIS_URL": redis_base, "RASAD_FRONTIER_PREFIX": "rasadbench"})
    df = ExpiringDupeFilter.from_settings(settings)
    before = client.info("memory")["used_memory"]
    keys = df.bucket_keys()
    ttl = df.ttl + df.bucket_seconds
    batch = 5000
    for start in range(0, count, batch):
        pipe = client.pipeline(transaction=False)
        for i in range(start, min(count, start + batch)):
            fp = df.request_fingerprint(Request(f"https://outlet{i % 300}.example/archives/{i}"))
            df._seen(keys=keys, args=[fp, ttl], client=pipe)
        pipe.execute()
    after = client.info("memory")["used_memory"]
    members = sum(client.scard(k) for k in keys)
    client.flushdb()
    return (after - before) / max(1, members), members


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--fingerprints", type=int, default=1_000_000)
    parser.add_argument("--redis-db", default=os.environ.get("RASAD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in args.workers.split(",") if x.strip()]:
            r = round_(n, args.articles, args.redis_db, Path(tmp))
            results.append(r)
            print(f"{n} worker(s): {r['stored']} articles in {r['seconds']:.1f}s = {r['per_min']:,.0f} articles/min "
                  f"(run {r['status']})", flush=True)
    if results:
        base = results[0]["per_min"]
        print("speed-up over 1 worker: " + ", ".join(f"{r['workers']}: x{r['per_min'] / base:.2f}" for r in results))
    if args.fingerprints:
        per, members = fingerprint_memory(args.redis_db, args.fingerprints)
        print(f"dupefilter: {members:,} fingerprints, {per:.1f} bytes each in Redis = "
              f"{per * 1_000_000 / 2**20:.1f} MiB per million")
    print(f"machine: {os.cpu_count()} CPU(s); workers, PostgreSQL, Redis and the site share them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
