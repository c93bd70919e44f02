"""Near-duplicate lookup at scale: N stored signatures in a SQLite store, lookup latency and size.

Generates N MinHash signatures (random, with 10% of them near-copies of an earlier one, as
republications are), writes them and their LSH band keys in bulk into a real rasad store (the
``article_signatures`` and ``lsh_bands`` tables of storage/models.py) in a SQLite file under
/tmp, then times the lookup the story service does for a new article:

  band keys of its signature -> SqlBandIndex.query (one indexed IN over 32 keys)
  -> fetch the candidates' signatures -> rank by estimated Jaccard

for copies of stored articles (hits) and for unrelated articles (misses). The exact text
verification of the top candidates comes on top (``decide`` on two ~150-word texts is timed
separately), and so does the recent-window scan for rewrites (timed with --window articles
first seen in the window).

Run: .venv/bin/python bench/dedup_scale.py [--n 1000000] [--queries 1000] [--window 5000] [--keep]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.neardup import (BANDS, NUM_PERM, SCHEME, Doc, band_keys, band_keys_many, decide,  # noqa: E402
                             signature_from_bytes)
from storage import Store  # noqa: E402
from storage.stories import SqlBandIndex, StoryService  # noqa: E402

COPY_SHARE = 0.10      # stored articles that are near-copies of an earlier one
COPY_KEEP = 0.80       # share of signature values a copy keeps (J ~ 0.8)


def _perturb(rng, sigs: np.ndarray, keep: float) -> np.ndarray:
    out = sigs.copy()
    mask = rng.random(out.shape) > keep
    out[mask] = rng.integers(0, 2**32, size=int(mask.sum()), dtype=np.uint64)
    return out


def generate(rng, n: int) -> np.ndarray:
    sigs = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint64)
    copies = rng.choice(np.arange(1, n), size=int(n * COPY_SHARE), replace=False)
    sources = (rng.random(len(copies)) * copies).astype(np.int64)   # an earlier article
    sigs[copies] = _perturb(rng, sigs[sources], COPY_KEEP)
    return sigs


def bulk_load(path: Path, sigs: np.ndarray, window: int, batch: int = 200_000) -> dict:
    n = len(sigs)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    now = dt.datetime(2026, 11, 27, 12, 0)
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    blobs = sigs.astype("<u4")
    for start in range(0, n, batch):
        rows = ((i + 1, f"a{i:015d}", SCHEME, None, 100, blobs[i].tobytes(), now.isoformat(" "))
                for i in range(start, min(n, start + batch)))
        conn.executemany("INSERT INTO article_signatures (sig_id, article_id, scheme, content_hash, shingles, "
                         "signature, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    # the newest `window` articles exist as article rows first seen in the last days
    arts = ((f"a{i:015d}", "bench", f"https://bench.example/{i}", f"https://bench.example/{i}",
             (now - dt.timedelta(seconds=(n - i) * 60)).isoformat(" "), "[]", "[]", "{}", 1, f"s{i}")
            for i in range(max(0, n - window), n))
    conn.executemany("INSERT INTO articles (id, outlet, url, canonical_url, first_seen_at, tags, sources, provenance, "
                     "version, story_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arts)
    conn.execute("COMMIT")
    t_sig = time.perf_counter() - t0

    t0 = time.perf_counter()
    keys = np.empty((n, BANDS), dtype=np.int64)
    for start in range(0, n, batch):
        keys[start:start + batch] = band_keys_many(sigs[start:start + batch])
    flat_keys = keys.ravel()
    flat_ids = np.repeat(np.arange(1, n + 1, dtype=np.int64), BANDS)
    order = np.lexsort((flat_ids, flat_keys))
    flat_keys, flat_ids = flat_keys[order], flat_ids[order]
    # equal (band_key, sig_id) pairs cannot happen (a signature's 32 keys hash 32 different bands)
    conn.execute("BEGIN")
    step = 1_000_000
    for start in range(0, len(flat_keys), step):
        conn.executemany("INSERT INTO lsh_bands (band_key, sig_id) VALUES (?, ?)",
                         zip(flat_keys[start:start + step].tolist(), flat_ids[start:start + step].tolist()))
    conn.execute("COMMIT")
    t_bands = time.perf_counter() - t0
    conn.execute("ANALYZE")
    sizes = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall())
    conn.close()
    return {"load_signatures_s": t_sig, "load_bands_s": t_bands, "sizes": sizes}


def lookup(s, index: SqlBandIndex, sig: np.ndarray) -> tuple[int, float]:
    """What StoryService does before text verification: candidates and their ranking."""
    from sqlalchemy import select

    from storage.models import ArticleSignatureRow
    candidates = index.query(s, band_keys(sig))
    best = 0.0
    if candidates:
        rows = s.execute(select(ArticleSignatureRow.signature)
                         .where(ArticleSignatureRow.sig_id.in_(list(candidates)))).all()
        best = max(float(np.count_nonzero(signature_from_bytes(r.signature) == sig)) / NUM_PERM for r in rows)
    return len(candidates), best


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="stored articles (default 1,000,000)")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--window", type=int, default=5000, help="articles first seen in the recent window")
    ap.add_argument("--db", type=Path, default=Path("/tmp/rasad_dedup_scale.db"))
    ap.add_argument("--keep", action="store_true", help="keep the SQLite file")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    for suffix in ("", "-wal", "-shm"):
        Path(str(args.db) + suffix).unlink(missing_ok=True)

    url = f"sqlite:///{args.db}"
    Store(url).close()  # the real schema
    t0 = time.perf_counter()
    sigs = generate(rng, args.n)
    t_gen = time.perf_counter() - t0
    loaded = bulk_load(args.db, sigs, min(args.window, args.n))
    bands_bytes = loaded["sizes"].get("lsh_bands", 0)
    sig_bytes = loaded["sizes"].get("article_signatures", 0) + loaded["sizes"].get("sqlite_autoindex_article_signatures_1", 0)
    print(f"stored articles: {args.n:,} (generated in {t_gen:.1f} s; signatures loaded in "
          f"{loaded['load_signatures_s']:.1f} s, {args.n * BANDS:,} band rows in {loaded['load_bands_s']:.1f} s)")
    print(f"index size: lsh_bands {bands_bytes / 2**20:.1f} MiB = {bands_bytes / args.n:.0f} bytes/article; "
          f"signatures {sig_bytes / 2**20:.1f} MiB = {sig_bytes / args.n:.0f} bytes/article; "
          f"file {os.path.getsize(args.db) / 2**20:.0f} MiB")

    store = Store(url)
    index = SqlBandIndex()
    half = args.queries // 2
    hits = _perturb(rng, sigs[rng.integers(0, args.n, size=half)], COPY_KEEP)
    misses = rng.integers(0, 2**32, size=(args.queries - half, NUM_PERM), dtype=np.uint64)
    timings = {"copy of a stored article": [], "unrelated article": []}
    found = 0
    with store.session() as s:
        lookup(s, index, hits[0])  # warm the connection
        for label, queries in (("copy of a stored article", hits), ("unrelated article", misses)):
            for sig in queries:
                t = time.perf_counter()
                n_cand, best = lookup(s, index, sig)
                timings[label].append((time.perf_counter() - t) * 1000)
                if label.startswith("copy") and best >= 0.6:
                    found += 1
    every = timings["copy of a stored article"] + timings["unrelated article"]
    print(f"LSH lookup over {args.n:,} articles ({len(every)} queries): median {statistics.median(every):.2f} ms, "
          f"p95 {pct(every, 0.95):.2f} ms")
    for label, values in timings.items():
        print(f"  {label:<26} median {statistics.median(values):.2f} ms  p95 {pct(values, 0.95):.2f} ms")
    print(f"  copies found by LSH: {found}/{len(hits)}")

    # the recent-window scan (rewrites below the LSH threshold)
    service = StoryService(store)
    seen = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
    window_ms = []
    with store.session() as s:
        t = time.perf_counter()
        service._recent(s, misses[0], seen)   # first use: the window is read into the process cache
        first_ms = (time.perf_counter() - t) * 1000
        for sig in misses[:200]:
            t = time.perf_counter()
            service._recent(s, sig, seen)
            window_ms.append((time.perf_counter() - t) * 1000)
    in_window = min(args.window, args.n, int(3 * 24 * 60 * 2))  # article rows are one a minute
    print(f"recent-window scan ({in_window:,} articles within 3 days, process cache): median "
          f"{statistics.median(window_ms):.2f} ms, p95 {pct(window_ms, 0.95):.2f} ms (first use, reading the "
          f"window from the store: {first_ms:.0f} ms)")

    # exact verification of one candidate pair (two ~150-word Arabic texts)
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "dedup"))
    from corpus import EVENTS
    a, b = EVENTS[0]["text"], EVENTS[0]["rewrite"]
    t = time.perf_counter()
    for _ in range(200):
        decide(Doc.from_text(a), Doc.from_text(b))
    print(f"exact verification of a candidate (shingling both texts + decide): "
          f"{(time.perf_counter() - t) / 200 * 1000:.2f} ms")
    store.close()
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
