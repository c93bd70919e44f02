"""`rasad export`: stored articles to CSV (for Excel), XLSX, JSON Lines or Parquet, streamed.

Every Article field is written (``crawler.items.Article`` order), including sources, places,
watches, score and story_id. Datetimes are ISO 8601 in the configured zone (+03:00).

- CSV: UTF-8 with a byte-order mark (Excel then reads Arabic correctly), RFC 4180 quoting (a
  field holding a newline, a quote or a comma is quoted), CRLF row ends. Lists are joined with
  " | "; places as their Arabic names; provenance as compact JSON.
- XLSX: the same cells, written with openpyxl's write-only workbook (constant memory). Excel
  holds at most 32,767 characters per cell: longer cells are cut there (counted on stderr).
- JSON Lines: one ``Article.to_record()`` per line, places as full objects; what `rasad import`
  reads back.
- Parquet: typed columns (timestamps with zone, lists, places as a list of structs, provenance
  as a JSON string), written in row groups by pyarrow's ParquetWriter.

Safe to open: text scraped from the web can start with = + - @ (or a tab / carriage return),
which a spreadsheet may run as a formula ("formula injection"). In CSV such a cell gets a
leading apostrophe ('=...) so Excel and LibreOffice show it as text; in XLSX every such value is
written as an explicit string cell, never a formula. JSON Lines and Parquet keep values as they
are.

Constant memory: rows are read in pages (keyset pagination on (first_seen_at, id); a query, a
story collapse or a limit first puts the chosen ids in a temporary table) and written as they
come. The output is written to a temporary file beside the target and renamed on success, so a
failed export leaves no partial file.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import Column, MetaData, String, Table, Text, cast, insert, select
from sqlalchemy.engine import Connection

from crawler.items import Article

try:                      # JSON 5-10x faster than the standard library; output checked identical
    import orjson
except ImportError:       # pragma: no cover  (a dependency; the standard library still works)
    orjson = None
from storage.models import UTCDateTime
from storage.query import ARTICLES, Filters, after_key, article_time, story_key, where_clauses

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
FIELDS: tuple[str, ...] = tuple(Article.field_names())
DATETIME_FIELDS = ("published_at", "modified_at", "first_seen_at")
LIST_FIELDS = ("tags", "sources", "watches")
LIST_SEP = " | "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CHARS = frozenset("=+-@\t\r")
EXCEL_CELL_MAX = 32767
PAGE = 1000


class ExportError(RuntimeError):
    """The export cannot be written (output path); the message is one line."""


# ---- reading ---------------------------------------------------------------------------

def _columns() -> list:
    cols = []
    for name in FIELDS:
        col = ARTICLES.c.get(name)
        cols.append(col if col is not None else None)
    return cols


def iter_rows(conn: Connection, filters: Filters, q=None, limit: int | None = None,
              page: int = PAGE) -> Iterator[dict]:
    """Matching articles as dicts of Article field -> stored value, oldest first seen first.

    Plain filters page through ``articles`` by (first_seen_at, id). A query, ``filters.story``
    or ``limit`` (the ``limit`` best-ranked, or most recent without a query) first selects the
    ids into a temporary table, which is then paged the same way.
    """
    cols = _columns()
    present = [(name, c) for name, c in zip(FIELDS, cols) if c is not None]
    names = [n for n, _ in present]
    if conn.dialect.name == "postgresql":
        # JSON as text: most values are "[]", which the loop below turns into a list without
        # parsing (psycopg would parse every one)
        present = [(n, cast(c, Text).label(n) if n in JSON_FIELDS else c) for n, c in present]
    fs_idx, id_idx = names.index("first_seen_at"), names.index("id")
    missing = {name: ([] if name in ("tags", "sources", "places", "watches") else
                      {} if name == "provenance" else None) for name, c in zip(FIELDS, cols) if c is None}
    clauses = where_clauses(filters, conn.dialect.name)

    if q is not None or filters.story or limit is not None:
        tmp = Table("rasad_export_ids", MetaData(),
                    Column("first_seen_at", UTCDateTime, primary_key=True),
                    Column("article_id", String(32), primary_key=True), prefixes=["TEMPORARY"])
        tmp.create(conn)
        chosen = _chosen(conn, filters, q, limit, clauses)
        conn.execute(insert(tmp).from_select(["first_seen_at", "article_id"], chosen))
        base = (select(*[c for _, c in present]).select_from(tmp.join(ARTICLES, ARTICLES.c.id == tmp.c.article_id))
                .order_by(tmp.c.first_seen_at, tmp.c.article_id))

        def after(fs, aid):
            return (tmp.c.first_seen_at >= fs) & ((tmp.c.first_seen_at > fs) | (tmp.c.article_id > aid))
    else:
        base = select(*[c for _, c in present]).where(*clauses).order_by(ARTICLES.c.first_seen_at, ARTICLES.c.id)
        after = after_key

    # Raw DBAPI rows (SQLAlchemy's per-value result processing costs more than the export
    # itself): datetimes and JSON are converted here, the same way on both engines.
    dt_names = [n for n in names if n in DATETIME_FIELDS]      # stored as naive UTC
    json_names = [n for n in names if n in JSON_FIELDS]
    fromiso, utc, loads = dt.datetime.fromisoformat, _UTC, _loads

    def pages() -> Iterator[list]:
        last = None
        while True:
            stmt = base if last is None else base.where(after(*last))
            cursor = conn.execute(stmt.limit(page)).cursor
            rows = cursor.fetchall()
            cursor.close()
            yield rows
            if len(rows) < page:
                return
            last = (_as_utc(rows[-1][fs_idx]), rows[-1][id_idx])

    # PostgreSQL: read ahead in a thread (the server works while this one converts). Not on
    # SQLite: its driver gives up the GIL on every row read, and a second thread then slows both
    for rows in (_prefetched(pages()) if conn.dialect.name == "postgresql" else pages()):
        for r in rows:
            d = dict(zip(names, r))
            for name in dt_names:
                v = d[name]
                if v is not None:
                    d[name] = (fromiso(v) if v.__class__ is str else v).replace(tzinfo=utc)
            for name in json_names:
                v = d[name]
                if v.__class__ is str:
                    d[name] = [] if v == "[]" else {} if v == "{}" else None if v in ("null", "") else loads(v)
            if missing:
                d.update(missing)
            yield d


def _prefetched(pages: Iterator[list], depth: int = 2) -> Iterator[list]:
    """``pages`` read ahead in a thread: the next page is queried (the database working, the
    driver waiting with the GIL released) while this one is converted and written. The
    connection is used by that thread alone until it has stopped, which it has whenever this
    generator returns or raises (also when the consumer stops early)."""
    import queue
    import threading
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for rows in pages:
                while not stop.is_set():
                    try:
                        q.put((rows, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((done, None))
        except BaseException as exc:  # noqa: BLE001  (handed to the consumer, raised there)
            q.put((done, exc))
        finally:
            pages.close()

    t = threading.Thread(target=produce, name="rasad-export-read", daemon=True)
    t.start()
    try:
        while True:
            rows, exc = q.get()
            if rows is done:
                if exc is not None:
                    raise exc
                return
            yield rows
    finally:
        stop.set()
        while t.is_alive():          # unblock a producer waiting on a full queue, then wait for it
            try:
                q.get_nowait()
            except queue.Empty:
                pass
            t.join(0.05)


JSON_FIELDS = ("tags", "sources", "places", "watches", "provenance")
_UTC = dt.timezone.utc


_LONG_DIGITS = re.compile(r"\d{19}")


def _loads(s):
    """json.loads, by orjson when it reads the text the same way: it refuses NaN, Infinity and
    lone surrogates, and reads integers beyond 64 bits as floats; the standard library reads
    those (any run of 19 digits goes to it)."""
    if orjson is not None and not _LONG_DIGITS.search(s):
        try:
            return orjson.loads(s)
        except ValueError:
            pass
    return json.loads(s)


_INT_MIN, _INT_MAX = -(1 << 63), 1 << 64


def _orjson_exact(v) -> bool:
    """Whether orjson writes ``v`` exactly as ``json.dumps(v, ensure_ascii=False,
    separators=(",", ":"))`` does: plain str/int/bool/None, lists and str-keyed dicts of them,
    64-bit integers, and floats written without an exponent by both (0 or 1e-4 <= |x| < 1e16;
    outside that the exponent notation differs, NaN and infinities are written differently)."""
    c = v.__class__
    if c is str or v is None or c is bool:
        return True
    if c is int:
        return _INT_MIN <= v < _INT_MAX
    if c is float:
        return v == 0.0 or 1e-4 <= abs(v) < 1e16
    if c is list:
        for x in v:
            if x.__class__ is not str and not _orjson_exact(x):
                return False
        return True
    if c is dict:
        for k, x in v.items():
            if k.__class__ is not str or (x.__class__ is not str and not _orjson_exact(x)):
                return False
        return True
    return False


def _as_utc(v):
    """A stored datetime (SQLite: text, PostgreSQL: naive UTC) as an aware UTC datetime."""
    if v is None:
        return None
    if isinstance(v, str):
        v = dt.datetime.fromisoformat(v)
    return v.replace(tzinfo=_UTC) if v.tzinfo is None else v.astimezone(_UTC)


def _chosen(conn: Connection, filters: Filters, q, limit, clauses):
    """SELECT first_seen_at, id of the articles to export (query, story collapse, limit)."""
    from storage import search
    if q is not None:
        search.prefer_index(conn)
        src, cond, rank = search.match_parts(conn, q)
        if search.facets_ready(conn):   # outlet/watch/place on the facets (see search.run_search)
            clauses = where_clauses(filters, conn.dialect.name, "search_docs.doc_id" if
                                    conn.dialect.name == "postgresql" else "search_fts.rowid")
        stmt = select(ARTICLES.c.first_seen_at, ARTICLES.c.id, rank.label("hit_rank"),
                      article_time().label("t")).select_from(src).where(cond, *clauses)
    else:
        stmt = select(ARTICLES.c.first_seen_at, ARTICLES.c.id, article_time().label("hit_rank"),
                      article_time().label("t")).where(*clauses)
    if filters.story:
        sub = search.collapse_stories(stmt.add_columns(story_key().label("story_key")))
        stmt = select(sub.c.first_seen_at, sub.c.id, sub.c.hit_rank, sub.c.t).where(sub.c.story_rn == 1)
        cols = sub.c
    else:
        cols = stmt.selected_columns
    if limit is not None:
        stmt = stmt.order_by(cols.hit_rank.desc(), cols.t.desc(), cols.id).limit(limit)
    sub = stmt.subquery("picked")
    return select(sub.c.first_seen_at, sub.c.id)


# ---- cell values -----------------------------------------------------------------------

def json_record(row: dict, zone: ZoneInfo) -> dict:
    """The JSON Lines record: ``Article.to_record`` shape (datetimes ISO 8601 in ``zone``)."""
    out = {}
    for name in FIELDS:
        v = row.get(name)
        if name in DATETIME_FIELDS:
            v = v.astimezone(zone).isoformat() if v is not None else None
        elif name in ("tags", "sources", "watches", "places"):
            v = list(v or [])
        elif name == "provenance":
            v = dict(v or {})
        elif name == "version":
            v = v or 1
        out[name] = v
    return out


def place_names(places) -> list[str]:
    """Arabic names of the places, each once, in reading order."""
    names: dict[str, None] = {}
    for p in places or []:
        if isinstance(p, dict):
            n = p.get("name_ar") or p.get("name_en") or p.get("pcode")
            if n:
                names.setdefault(str(n), None)
        elif p:
            names.setdefault(str(p), None)
    return list(names)


def neutralise(s: str) -> str:
    """A CSV cell that a spreadsheet would run as a formula, made text with a leading '."""
    return "'" + s if s and s.startswith(FORMULA_START) else s


_PLAIN, _DT, _LIST, _PLACES, _JSON = range(5)
_PLAN = tuple((name, _DT if name in DATETIME_FIELDS else _LIST if name in LIST_FIELDS else
               _PLACES if name == "places" else _JSON if name == "provenance" else _PLAIN) for name in FIELDS)


def flat_cells(row: dict, zone: ZoneInfo) -> list:
    """Row -> spreadsheet cells (str, int, float or None), in FIELDS order; strings not yet
    neutralised."""
    out = []
    ap = out.append
    for name, kind in _PLAN:
        v = row.get(name)
        if v is None or kind == _PLAIN:
            ap(v)
        elif kind == _DT:
            ap(v.astimezone(zone).isoformat())
        elif kind == _LIST:
            ap(LIST_SEP.join(map(str, v)) if v else "")
        elif kind == _PLACES:
            ap(LIST_SEP.join(place_names(v)) if v else "")
        else:
            ap(json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True) if v else "")
    return out


# ---- writers ---------------------------------------------------------------------------

def csv_field(v) -> str:
    """One CSV field: RFC 4180 quoting (fields holding , " CR or LF are quoted, quotes doubled);
    strings neutralised against formula injection."""
    if v is None:
        return ""
    if not isinstance(v, str):
        return str(v)
    if v and v.startswith(FORMULA_START):
        v = "'" + v
    if '"' in v:
        return '"' + v.replace('"', '""') + '"'
    if "," in v or "\n" in v or "\r" in v:
        return '"' + v + '"'
    return v


class CsvOut:
    binary = False

    def __init__(self, fh: IO[str], zone: ZoneInfo):
        self.fh, self.zone, self.buf = fh, zone, []
        fh.write("\ufeff")
        fh.write(",".join(csv_field(n) for n in FIELDS) + "\r\n")

    def write(self, row: dict) -> None:
        cells = []
        ap = cells.append
        zone = self.zone
        for name, kind in _PLAN:                      # flat_cells and csv_field, inlined (the hot loop)
            v = row[name]
            if v is None:
                ap("")
                continue
            if kind != _PLAIN:
                if kind == _DT:
                    v = v.astimezone(zone).isoformat()
                elif kind == _LIST:
                    v = LIST_SEP.join(map(str, v)) if v else ""
                elif kind == _PLACES:
                    v = LIST_SEP.join(place_names(v)) if v else ""
                else:
                    v = json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True) if v else ""
            if v.__class__ is str:
                if v and v[0] in FORMULA_CHARS:
                    v = "'" + v
                if '"' in v:
                    v = '"' + v.replace('"', '""') + '"'
                elif "," in v or "\n" in v or "\r" in v:
                    v = '"' + v + '"'
                ap(v)
            else:
                ap("" if v is None else str(v))
        buf = self.buf
        buf.append(",".join(cells) + "\r\n")
        if len(buf) >= 500:
            self.fh.write("".join(buf))
            buf.clear()

    def close(self) -> None:
        self.fh.write("".join(self.buf))
        self.buf.clear()


class JsonlOut:
    """One JSON object per line, exactly ``json.dumps(record, ensure_ascii=False,
    separators=(",", ":"))``; written by orjson (UTF-8 bytes straight to the file under the
    text stream) when it gives the same bytes (``_orjson_exact``), else by the standard library."""
    binary = False

    def __init__(self, fh: IO[str], zone: ZoneInfo):
        self.fh, self.zone, self.buf = fh, zone, []
        self.raw = getattr(fh, "buffer", None) if orjson is not None else None
        if self.raw is not None:
            fh.flush()                                # nothing of ours is pending in the text layer

    def write(self, row: dict) -> None:
        zone = self.zone
        for name in DATETIME_FIELDS:                  # the row is ours: convert in place
            v = row[name]
            if v is not None:
                row[name] = v.astimezone(zone).isoformat()
        if row["version"] is None:
            row["version"] = 1
        for name in ("tags", "sources", "watches", "places"):
            if row[name] is None:
                row[name] = []
        if row["provenance"] is None:
            row["provenance"] = {}
        buf = self.buf
        if self.raw is None:
            buf.append(self._dumps(row))
        else:
            line = None
            for v in row.values():
                if v.__class__ is not str and v is not None and not _orjson_exact(v):
                    break
            else:
                try:
                    line = orjson.dumps(row)
                except TypeError:       # e.g. a lone surrogate: the standard library's way (and error)
                    pass
            buf.append(line if line is not None else self._dumps(row).encode("utf-8"))
        if len(buf) >= 500:
            self._flush()

    _dumps = staticmethod(json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode)

    def _flush(self) -> None:
        buf = self.buf
        if not buf:
            return
        buf.append(b"" if self.raw is not None else "")
        if self.raw is not None:
            self.raw.write(b"\n".join(buf))
        else:
            self.fh.write("\n".join(buf))
        buf.clear()

    def close(self) -> None:
        self._flush()


class XlsxOut:
    binary = True

    def __init__(self, fh: IO[bytes], zone: ZoneInfo):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font
        self.fh, self.zone = fh, zone
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet("articles")
        self.ws.freeze_panes = "A2"
        self._cell, self._illegal = WriteOnlyCell, ILLEGAL_CHARACTERS_RE
        bold = Font(bold=True)
        header = []
        for name in FIELDS:
            c = WriteOnlyCell(self.ws, value=name)
            c.font = bold
            header.append(c)
        self.ws.append(header)
        self.truncated = 0

    def _str(self, s: str):
        if self._illegal.search(s):
            s = self._illegal.sub("", s)
        if len(s) > EXCEL_CELL_MAX:
            s = s[:EXCEL_CELL_MAX]
            self.truncated += 1
        if s.startswith(FORMULA_START):
            c = self._cell(self.ws)
            c.value = s
            c.data_type = "s"           # an explicit string cell: never a formula
            return c
        return s

    def write(self, row: dict) -> None:
        self.ws.append([self._str(c) if isinstance(c, str) else c for c in flat_cells(row, self.zone)])

    def close(self) -> None:
        self.wb.save(self.fh)
        if self.truncated:
            print(f"rasad export: {self.truncated} cell(s) longer than {EXCEL_CELL_MAX:,} characters "
                  f"(Excel's limit) were cut; jsonl and parquet keep the full text", file=sys.stderr)


class ParquetOut:
    binary = True
    BATCH = 5000

    def __init__(self, fh: IO[bytes], zone: ZoneInfo):
        import pyarrow as pa
        import pyarrow.parquet as pq
        self.pa = pa
        ts = pa.timestamp("us", tz=str(zone.key))
        place = pa.struct([("pcode", pa.string()), ("name_ar", pa.string()), ("name_en", pa.string()),
                           ("level", pa.string()), ("field", pa.string()), ("matched", pa.string()),
                           ("span", pa.list_(pa.int64())), ("extra", pa.string())])
        types = {"published_at": ts, "modified_at": ts, "first_seen_at": ts, "tags": pa.list_(pa.string()),
                 "sources": pa.list_(pa.string()), "watches": pa.list_(pa.string()), "places": pa.list_(place),
                 "version": pa.int32(), "score": pa.float64()}
        self.schema = pa.schema([(n, types.get(n, pa.string())) for n in FIELDS])
        self.writer = pq.ParquetWriter(fh, self.schema, compression="zstd")
        self.cols: dict[str, list] = {n: [] for n in FIELDS}
        self.n = 0

    @staticmethod
    def _place(p) -> dict:
        if not isinstance(p, dict):
            return {"pcode": None, "name_ar": str(p), "name_en": None, "level": None, "field": None,
                    "matched": None, "span": None, "extra": None}
        known = ("pcode", "name_ar", "name_en", "level", "field", "matched")
        out = {k: (None if p.get(k) is None else str(p.get(k))) for k in known}
        span = p.get("span")
        out["span"] = [int(x) for x in span] if isinstance(span, (list, tuple)) else None
        extra = {k: v for k, v in p.items() if k not in known and k != "span"}
        out["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
        return out

    def write(self, row: dict) -> None:
        cols = self.cols
        for name in FIELDS:
            v = row.get(name)
            if name in LIST_FIELDS:
                v = [str(x) for x in (v or [])]
            elif name == "places":
                v = [self._place(p) for p in (v or [])]
            elif name == "provenance":
                v = json.dumps(v or {}, ensure_ascii=False, sort_keys=True)
            elif name == "version":
                v = v or 1
            elif v is not None and name not in DATETIME_FIELDS and name != "score" and not isinstance(v, str):
                v = str(v)
            cols[name].append(v)
        self.n += 1
        if self.n >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.n:
            self.writer.write_table(self.pa.Table.from_pydict(self.cols, schema=self.schema))
            self.cols = {n: [] for n in FIELDS}
            self.n = 0

    def close(self) -> None:
        self._flush()
        self.writer.close()


WRITERS = {"csv": CsvOut, "jsonl": JsonlOut, "xlsx": XlsxOut, "parquet": ParquetOut}


# ---- output files ----------------------------------------------------------------------

class Output:
    """The target: a temporary file beside it, renamed on success (or standard output)."""

    def __init__(self, target: str):
        self.target = target
        self.to_stdout = target == "-"
        self.tmp: str | None = None
        self.fh: IO[bytes] | None = None

    def open(self) -> IO[bytes]:
        if self.to_stdout:
            # spooled: xlsx/parquet need a seekable file; csv/jsonl are streamed (see export())
            self.fh = tempfile.TemporaryFile()
            return self.fh
        path = Path(self.target)
        if path.is_dir():
            raise ExportError(f"cannot write {self.target}: it is a directory")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise ExportError(f"cannot write {self.target}: no such directory {str(parent)!r}")
        try:
            fd, self.tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".part")
        except OSError as exc:
            raise ExportError(f"cannot write {self.target}: {exc.strerror or exc}") from None
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def commit(self) -> None:
        assert self.fh is not None
        if self.to_stdout:
            self.fh.seek(0)
            out = sys.stdout.buffer
            while chunk := self.fh.read(1 << 20):
                out.write(chunk)
            out.flush()
            self.fh.close()
            return
        self.fh.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)
        os.replace(self.tmp, self.target)
        self.tmp = None

    def abort(self) -> None:
        try:
            if self.fh is not None and not self.fh.closed:
                self.fh.close()
        finally:
            if self.tmp and os.path.exists(self.tmp):
                os.unlink(self.tmp)
            self.tmp = None


class Progress:
    """Rows written so far, on stderr, only when stderr is a terminal."""

    def __init__(self, stream=None, every: float = 0.5):
        self.stream = stream or sys.stderr
        self.on = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every, self.start, self.last, self.n = every, time.monotonic(), 0.0, 0

    def tick(self, n: int) -> None:
        self.n = n
        if not self.on:
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            rate = n / max(now - self.start, 1e-9)
            self.stream.write(f"\rrasad export: {n:,} rows ({rate:,.0f} rows/s)")
            self.stream.flush()

    def done(self) -> None:
        if self.on and self.last:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def export(conn: Connection, fmt: str, output: Output, filters: Filters, q=None, limit: int | None = None,
           tz: str = "Asia/Damascus", progress: Progress | None = None) -> int:
    """Write the matching articles to ``output`` in ``fmt``; returns the number of rows.
    ``output`` must already be opened; it is committed here, or aborted on any error."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    zone = ZoneInfo(tz)
    progress = progress or Progress()
    cls = WRITERS[fmt]
    assert output.fh is not None
    stream_text = output.to_stdout and not cls.binary
    text_fh = None
    n = 0
    try:
        if cls.binary:
            writer = cls(output.fh, zone)
        else:
            raw = sys.stdout.buffer if stream_text else output.fh
            text_fh = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
            writer = cls(text_fh, zone)
        for row in iter_rows(conn, filters, q, limit):
            writer.write(row)
            n += 1
            if not n % 1000:
                progress.tick(n)
        writer.close()
        if text_fh is not None:
            text_fh.flush()
            text_fh.detach()
            text_fh = None
        progress.done()
        if stream_text:
            output.fh.close()
        else:
            output.commit()
    except BaseException:
        progress.done()
        if text_fh is not None:
            try:
                text_fh.detach()
            except Exception:  # noqa: BLE001
                pass
        output.abort()
        raise
    return n


def default_output_name(fmt: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"rasad-export-{now:%Y%m%d-%H%M%S}.{fmt}"
