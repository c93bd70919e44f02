"""Store benchmark: insert, export and search on a generated store (figures printed, nothing kept).

    .venv/bin/python bench/store.py                 # 1,000,000 articles, SQLite file under /tmp
    .venv/bin/python bench/store.py --n 100000      # smaller
    .venv/bin/python bench/store.py --n 100000 --pg # PostgreSQL (a scratch database, dropped after)

Generated articles: Arabic news-like text (Zipf-distributed vocabulary with clitic prefixes,
diacritics and Deir ez-Zor place names), 3-5 paragraphs, ~190 words (~1,200 characters); 30% carry places and the
``deir-ez-zor`` watch; 20% are in multi-outlet stories; published over two years.

Measured:
- insert rate through ``Store.save_article`` (what a crawl does: dedup lookups, URL aliases,
  search index) on the first ``--sample`` articles; the rest is bulk-loaded (same tables, same
  index code) and its rate printed separately;
- export rate (rows/s) and peak RSS of ``rasad export`` for CSV and JSON Lines (a child process,
  whole store, peak RSS from wait4);
- search latency (median, p95) of ten typical queries (run_search + snippets of the hits, 20 hits,
  each query repeated ``--repeat`` times on a fresh connection);
- the same for filtered searches (``FILTERED``: --outlet, --watch, --place with a district,
  --since a year / the last month, place and since together, --story), each kind with a common
  word and a rarer two-word query, reported per kind.
Targets: export >= 20,000 rows/s with RSS < 200 MB; search p95 <= 300 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from crawler.items import Article  # noqa: E402
from storage import Store, search  # noqa: E402
from storage.models import ArticleRow, ArticleUrlRow  # noqa: E402
from storage.query import Filters  # noqa: E402
from storage.repository import article_id_for, url_hash  # noqa: E402

PG_ADMIN = os.environ.get("RASAD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DAMASCUS = dt.timezone(dt.timedelta(hours=3))
OUTLETS = ["geiroon", "euphratespost", "sharqsouri", "enabbaladi", "npasyria", "deirezzor24"]

WORDS = (
    "قال أفاد مصدر مصادر محلية محلي قوات الحكومة السورية النظام المعارضة التحالف الدولي قسد سوريا "
    "الديمقراطية تنظيم داعش خلية خلايا هجوم هجمات كمين قصف مدفعي جوي طائرة مسيرة اشتباكات عنيفة "
    "مقتل إصابة جرحى مدنيين عناصر عسكريين حاجز نقطة عسكرية ريف الشرقي الغربي الشمالي الجنوبي مدينة "
    "بلدة قرية حي أحياء شارع سوق مستشفى مدرسة جامعة مجلس المحلي العسكري المدني الإدارة الذاتية "
    "عشيرة عشائر شيوخ وجهاء أهالي السكان النازحين المخيم مخيمات الهلال الأحمر منظمة الأمم المتحدة "
    "مساعدات إنسانية غذائية طبية مياه الشرب كهرباء التيار الكهربائي محطة النفط حقل حقول الغاز "
    "الوقود المحروقات أسعار الخبز الطحين القمح المحصول الزراعة الفلاحين الري نهر الفرات الجسر "
    "المعبر الحدود العراق تركيا إيران روسيا الولايات المتحدة الأمريكية الميليشيات الإيرانية "
    "الحرس الثوري حزب الله الفرقة الرابعة الدفاع الوطني الأمن العسكري اعتقال اعتقالات حملة مداهمة "
    "دورية تفتيش سيارة مفخخة عبوة ناسفة لغم انفجار دوي صوت إطلاق نار رصاص مجهولين اغتيال "
    "ناشط صحفي مراسل شبكة موقع وكالة أنباء بيان رسمي مصدر خاص اليوم أمس صباح مساء الثلاثاء "
    "الأربعاء الخميس الجمعة السبت الأحد الاثنين الأسبوع الشهر العام الماضي الجاري الحالي "
    "في على من إلى عن مع بعد قبل خلال حيث أن إن كان كانت التي الذي الذين هذا هذه ذلك تلك "
    "وقد حتى أيضا بين عدد عدة أكثر أقل نحو حوالي منذ ما لا لم لن قد كما وفق بحسب"
).split()
PLACES = ("دير الزور", "الميادين", "البوكمال", "العشارة", "هجين", "الشحيل", "البصيرة", "ذيبان", "الكسرة",
          "موحسن", "القورية", "صبيخان", "الصالحية", "حطلة", "خشام", "الطيانة", "الجرذي", "السوسة")
PLACE_CODES = {"دير الزور": "SY09", "الميادين": "SY0903", "البوكمال": "SY0902"}
CLITICS = ("", "", "", "", "و", "ب", "ل", "وب", "ف", "ك", "ول")
DIACRITICS = ("\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "")

TAIL_WORDS = 40000
QUERIES = ["الميادين", "دير الزور", "داعش", "قصف مسيرة", '"الطائرة المسيرة"', "اغتيال ناشط", "النفط OR الغاز",
           "البوكمال -العراق", "اعتقال*", "الهلال الأحمر مساعدات"]


# filtered searches (each with every FILTER_QUERIES query); the generated store spans 2024-11-01
# to 2026-11-01 (Damascus), so "last month" is a recent window as --since 30d is on a live store
FILTER_QUERIES = ["قصف", "اغتيال ناشط"]
FILTERED = [
    ("--outlet geiroon", dict(outlets=["geiroon"])),
    ("--watch deir-ez-zor", dict(watches=["deir-ez-zor"])),
    ("--place الميادين (district, with its towns)", dict(places=["منطقة الميادين"])),
    ("--since 2026-01-01", dict(since="2026-01-01")),
    ("--since 2026-10-01 (last month)", dict(since="2026-10-01")),
    ("--place الميادين --since 2026-10-01", dict(places=["منطقة الميادين"], since="2026-10-01")),
    ("--story", dict(story=True)),
]


def p95_of(values: list[float]) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]


class Gen:
    def __init__(self, seed: int = 7):
        self.r = random.Random(seed)
        # the real words first, then a long tail of made-up ones: news vocabulary runs to tens of
        # thousands of words, so a query word is in some articles, not in all of them
        self.words = WORDS[:]
        self.r.shuffle(self.words)
        letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
        tail = {"".join(self.r.choices(letters, k=self.r.randint(3, 7))) for _ in range(TAIL_WORDS)}
        self.words += sorted(tail - set(WORDS))
        n = len(self.words)
        weights = [1 / (i + 1) ** 1.0 for i in range(n)]
        acc, self.cum = 0.0, []
        for w in weights:
            acc += w
            self.cum.append(acc)
        self.start = dt.datetime(2024, 11, 1, tzinfo=DAMASCUS)

    def sentence(self, k: int) -> str:
        r = self.r
        ws = r.choices(self.words, cum_weights=self.cum, k=k)
        for i in range(0, k, 9):
            ws[i] = r.choice(CLITICS) + ws[i]
        if r.random() < 0.5:
            i = r.randrange(k)
            ws[i] = r.choice(CLITICS[:6]) + r.choice(PLACES)
        if r.random() < 0.3:
            i = r.randrange(k)
            ws[i] = ws[i][0] + r.choice(DIACRITICS) + ws[i][1:]
        return " ".join(ws) + "."

    def article(self, i: int) -> Article:
        r = self.r
        paras = [" ".join(self.sentence(r.randint(10, 22)) for _ in range(r.randint(2, 4)))
                 for _ in range(r.randint(3, 5))]
        seen = self.start + dt.timedelta(seconds=i * (730 * 86400 / max(self.n, 1)) + r.randint(0, 600))
        outlet = OUTLETS[i % len(OUTLETS)]
        places, watches = [], []
        if r.random() < 0.3:
            name = r.choice(list(PLACE_CODES))
            places = [{"pcode": PLACE_CODES[name], "name_ar": name, "name_en": "", "level": "district",
                       "span": [0, len(name)], "field": "text", "matched": name}]
            watches = ["deir-ez-zor"]
        a = Article(
            url=f"https://{outlet}.example/archives/{i}", outlet=outlet,
            title=self.sentence(r.randint(5, 10))[:-1], author=r.choice(["", "مراسل", "فريق التحرير"]) or None,
            published_at=None if r.random() < 0.05 else seen - dt.timedelta(minutes=r.randint(1, 300)),
            first_seen_at=seen, section=r.choice(["أخبار", "تقارير", "محلي"]), tags=r.sample(PLACES, 2),
            lead=paras[0], text="\n\n".join(paras), language="ar", places=places, watches=watches,
            sources=["فرات بوست"] if r.random() < 0.1 else [], score=1.0 if places else 0.0,
        )
        a.story_id = f"s{i // 3:015d}" if i % 5 == 0 else None
        a.compute_hash()
        return a

    n = 0


def fmt_rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s" if seconds > 0 else "-"


def bulk_load(store: Store, gen: Gen, start: int, n: int, batch: int = 2000) -> None:
    cols = {c.name for c in ArticleRow.__table__.columns}
    with store.engine.connect() as conn:
        for lo in range(start, start + n, batch):
            arts = [gen.article(i) for i in range(lo, min(lo + batch, start + n))]
            rows, urls = [], []
            for a in arts:
                aid = article_id_for(a.url)
                d = {k: getattr(a, k) for k in Article.field_names() if k in cols}
                d.update(id=aid, canonical_url=a.url, updated_at=a.first_seen_at, version=1)
                rows.append(d)
                urls.append({"url_hash": url_hash(a.url), "url": a.url, "article_id": aid, "outlet": a.outlet})
            conn.execute(insert(ArticleRow.__table__), rows)
            conn.execute(insert(ArticleUrlRow.__table__), urls)
            search.index_many(conn, [(r["id"], r["title"], r["lead"], r["text"]) for r in rows],
                              [search.doc_facets(r["outlet"], r["places"], r["watches"]) for r in rows])
            conn.commit()
            done = lo + len(arts) - start
            if sys.stderr.isatty():
                print(f"\r  bulk load {done:,}/{n:,}", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)


def run_export(url: str, fmt: str, out: Path) -> tuple[int, float, int]:
    """Rows, seconds and peak RSS (MB) of `rasad export` in a child process. The child is started
    by GNU time (a small process): a child forked from this big process would report the
    parent's memory as its own peak (ru_maxrss survives exec)."""
    env = dict(os.environ, RASAD_DB_URL=url, PYTHONPATH=str(ROOT))
    env.pop("RASAD_CONFIG", None)
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M cpu=%U+%S", sys.executable, "-m", "storage.analyst_cli",
                        "export", "-f", fmt, "-o", str(out)], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, cwd=str(out.parent))
    secs = time.perf_counter() - t0
    err = p.stderr.decode()
    if p.returncode:
        raise SystemExit(f"export failed: {err}")
    rows = int(err.split("article(s)")[0].rsplit(":", 1)[1].replace(",", ""))
    tail = err.rsplit("maxrss_kb=", 1)[1].split()
    rss_kb = int(tail[0])
    cpu = sum(float(x) for x in tail[1].split("=", 1)[1].split("+"))
    return rows, secs, rss_kb // 1024, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="articles in the generated store")
    ap.add_argument("--pg", action="store_true", help="PostgreSQL scratch database instead of a SQLite file")
    ap.add_argument("--sample", type=int, default=5000, help="articles inserted through Store.save_article")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each search query")
    ap.add_argument("--dir", default="/tmp", help="where the SQLite file and exports go (removed after)")
    ap.add_argument("--keep", action="store_true", help="keep the store and exports")
    ap.add_argument("--skip-export", action="store_true", help="measure search only")
    ap.add_argument("--reuse", metavar="URL", help="measure export and search on this existing store "
                    "(e.g. one kept with --keep); nothing is generated or dropped")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="rasad-bench-", dir=args.dir))
    admin = None
    if args.reuse:
        url = args.reuse
        args.n, args.sample = 0, 0
    elif args.pg:
        import psycopg
        name = f"rasad_bench_{uuid.uuid4().hex[:8]}"
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{work / 'bench.db'}"
    engine_name = "PostgreSQL" if args.pg or url.startswith("postgres") else "SQLite"
    print(f"rasad store benchmark: {'an existing store' if args.reuse else f'{args.n:,} articles'}, "
          f"{engine_name}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cpu, load average {os.getloadavg()[0]:.1f}")
    try:
        gen = Gen()
        gen.n = args.n
        store = Store(url)
        sample = min(args.sample, args.n)
        arts = [gen.article(i) for i in range(sample)]
        t0 = time.perf_counter()
        for a in arts:
            store.save_article(a)
        secs = time.perf_counter() - t0
        if sample:
            print(f"insert via Store.save_article (incl. search index): {sample:,} articles in {secs:.1f} s = "
                  f"{fmt_rate(sample, secs)}")
        avg_chars = sum(len(a.text or "") for a in arts) / max(len(arts), 1)
        avg_words = sum(len((a.text or "").split()) for a in arts) / max(len(arts), 1)
        del arts
        if args.n > sample:
            t0 = time.perf_counter()
            bulk_load(store, gen, sample, args.n - sample)
            secs = time.perf_counter() - t0
            print(f"bulk load (same tables and index code, 2,000 per transaction): {args.n - sample:,} in "
                  f"{secs:.0f} s = {fmt_rate(args.n - sample, secs)}")
        with store.engine.begin() as conn:
            if args.pg:
                conn.execute(text("ANALYZE"))
            # the story ids the generator made
            n = conn.execute(text("SELECT count(*) FROM articles")).scalar()
        print(f"store: {n:,} articles" + (f", text {avg_chars:,.0f} chars / {avg_words:,.0f} words on average"
                                           if avg_chars else "")
              + (f", file {os.path.getsize(url.split(':///', 1)[1]) / 1e9:.2f} GB" if url.startswith("sqlite:///")
                 else ""))
        store.close()

        for fmt in () if args.skip_export else ("csv", "jsonl"):
            out = work / f"export.{fmt}"
            rows, secs, rss, cpu = run_export(url, fmt, out)
            print(f"export {fmt:5s}: {rows:,} rows in {secs:.1f} s = {fmt_rate(rows, secs)} (wall, incl. start-up; "
                  f"{fmt_rate(rows, cpu)} per CPU second), peak RSS {rss} MB, file {out.stat().st_size / 1e9:.2f} GB")
            out.unlink()

        store = Store(url)
        times: dict[str, list[float]] = {q: [] for q in QUERIES}
        counts = {}
        for rep in range(args.repeat + 1):
            for qs in QUERIES:
                t0 = time.perf_counter()
                with store.engine.connect() as conn:
                    q = search.parse_query(qs)
                    hits = search.run_search(conn, q, Filters(), limit=20)
                    for h in hits:
                        search.snippet(h.article.text, q)
                if rep:           # the first round warms the caches
                    times[qs].append((time.perf_counter() - t0) * 1000)
                counts[qs] = len(hits)
        # with filters, as analysts use them: a common word and a rarer one, each filter kind
        filtered: dict[str, list[float]] = {name: [] for name, _ in FILTERED}
        fcounts: dict[str, list[int]] = {name: [] for name, _ in FILTERED}
        with store.engine.connect() as conn:
            from storage.query import build_filters
            for rep in range(args.repeat + 1):
                for name, kw in FILTERED:
                    for qs in FILTER_QUERIES:
                        f = build_filters(conn, **kw)
                        t0 = time.perf_counter()
                        hits = search.run_search(conn, search.parse_query(qs), f, limit=20)
                        for h in hits:
                            search.snippet(h.article.text, search.parse_query(qs))
                        if rep:
                            filtered[name].append((time.perf_counter() - t0) * 1000)
                        else:
                            fcounts[name].append(len(hits))
                conn.rollback()
        store.close()
        allt = sorted(x for v in times.values() for x in v)
        p95 = p95_of(allt)
        print(f"search, 10 queries x {args.repeat}: median {statistics.median(allt):.0f} ms, p95 {p95:.0f} ms, "
              f"max {allt[-1]:.0f} ms")
        for qs in QUERIES:
            print(f"  {statistics.median(times[qs]):7.1f} ms  {qs}")
        allf = sorted(x for v in filtered.values() for x in v)
        print(f"search with a filter, {len(FILTERED)} kinds x {FILTER_QUERIES} x {args.repeat}: "
              f"median {statistics.median(allf):.0f} ms, p95 {p95_of(allf):.0f} ms, max {allf[-1]:.0f} ms")
        for name, _ in FILTERED:
            v = sorted(filtered[name])
            print(f"  median {statistics.median(v):7.1f} ms  p95 {p95_of(v):7.1f} ms  {name}  "
                  f"(hits {'/'.join(map(str, fcounts[name]))})")
    finally:
        if admin is not None:
            if not args.keep:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work}" + (f" and database {name}" if admin else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
