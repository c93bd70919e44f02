"""End-to-end crawl benchmark: a generated local site of N articles crawled into a fresh store.

    python bench/crawl.py [--articles 2000]

Prints articles/min (stored articles over the crawl's own start-to-finish time), peak RSS of
the crawl process, and the ratio to raw `scrapy bench` pages/min measured in the same run on
this machine. Target (issue 2): ratio >= 0.5.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sitegen  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def scrapy_bench() -> float:
    """Pages/min of `scrapy bench` (its own local server and a do-nothing spider)."""
    out = subprocess.run([str(BIN / "scrapy"), "bench", "-s", "LOG_LEVEL=INFO"], cwd=tempfile.gettempdir(),
                         capture_output=True, text=True, timeout=300)
    log = out.stderr + out.stdout
    responses = re.search(r"'downloader/response_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not (responses and elapsed):
        raise SystemExit(f"could not read scrapy bench output:\n{log[-2000:]}")
    return int(responses.group(1)) / float(elapsed.group(1)) * 60


def rasad_crawl(articles: int) -> dict:
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "sitegen.py"), "--articles", str(articles)],
                              stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "rasad.toml"
            config.write_text(sitegen.outlet_toml(base), encoding="utf-8")
            db = f"sqlite:///{tmp}/bench.db"
            env = dict(os.environ, RASAD_CONFIG=str(config), RASAD_DB_URL=db)
            pages = articles // 50 + 2
            started = time.monotonic()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run([str(BIN / "rasad"), "crawl", "benchsite", "--max-pages", str(pages)],
                                 env=env, capture_output=True, text=True, timeout=1800)
            wall = time.monotonic() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)   # the crawl process only (the
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # server runs on)
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # fallback only
            if out.returncode != 0:
                print(out.stdout, out.stderr[-3000:], sep="\n")
            sys.path.insert(0, str(ROOT))
            from storage import Store
            store = Store(db)
            stored = store.count()
            (stats,) = [s for s in store.outlet_stats() if s["outlet"] == "benchsite"]
            with store.session() as s:
                from sqlalchemy import select
                from storage.models import CrawlRunRow
                run = s.scalars(select(CrawlRunRow)).one()
                crawl_seconds = (run.finished_at - run.started_at).total_seconds()
                peak_kb = (run.counts or {}).get("memusage/max", peak_kb * 1024) / 1024
            store.close()
    finally:
        server.terminate()
        server.wait()
    return {"stored": stored, "crawl_seconds": crawl_seconds, "wall_seconds": wall, "cpu_seconds": cpu,
            "peak_rss_mb": peak_kb / 1024, "status": stats["last_status"], "output": out.stdout}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    print("measuring `scrapy bench` (about 20 s) ...", flush=True)
    bench_ppm = scrapy_bench()
    print(f"crawling a generated site of {args.articles} articles ...", flush=True)
    result = rasad_crawl(args.articles)
    apm = result["stored"] / result["crawl_seconds"] * 60
    print()
    print(f"scrapy bench                : {bench_ppm:,.0f} pages/min")
    print(f"rasad articles stored       : {result['stored']} of {args.articles} ({result['status']})")
    print(f"rasad crawl time            : {result['crawl_seconds']:.1f} s (process wall {result['wall_seconds']:.1f} s)")
    print(f"rasad articles/min          : {apm:,.0f}")
    # CPU time of the crawl process (user + sys): what the pipeline costs, little affected by
    # other load on the machine (which moves the wall-clock figures and so the ratio)
    print(f"rasad crawl CPU             : {result['cpu_seconds']:.1f} s = {result['cpu_seconds'] / max(1, result['stored']) * 1000:.1f} ms/article")
    print(f"peak RSS of the crawl       : {result['peak_rss_mb']:.0f} MB")
    print(f"ratio to scrapy bench       : {apm / bench_ppm:.2f}   (target >= 0.50)")
    return 0 if result["stored"] == args.articles else 1


if __name__ == "__main__":
    sys.exit(main())
