"""Engine creation and automatic schema creation/migration."""
from __future__ import annotations

import contextlib
import logging

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateColumn

from crawler.config import redact_url
from storage.models import SCHEMA_VERSION, Base, SchemaInfoRow

log = logging.getLogger(__name__)


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message never contains a password."""


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")       # readers (search, stats) don't block the crawl
    cur.execute("PRAGMA synchronous=NORMAL")
    # Checkpoint the WAL every 10,000 pages (~40 MB) instead of every 1,000: a crawl writes ~80
    # WAL pages per article (one transaction each), so the default checkpoints (each with two
    # fsyncs under synchronous=NORMAL) every ~13 articles. Durability is that of WAL+NORMAL
    # either way: an application crash loses nothing committed; a power loss or OS crash may
    # roll back the transactions since the last WAL sync (now up to ~130 articles instead of
    # ~13, which the next crawl fetches again: they are not known to the store).
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    authority = url.partition("://")[2].partition("/")[0]
    if authority.count("@") > 1:
        raise StoreError(f"store URL {redact_url(url)}: the password holds a raw '@'; "
                         "percent-encode it (@ -> %40)")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # bad URL, missing driver
        raise StoreError(f"cannot use store {redact_url(url)}: {type(exc).__name__}: {exc}") from None
    return engine


# Modules that declare tables on storage.models.Base besides storage.models itself; each is
# imported before the schema is created so its tables exist in every store.
MODEL_MODULES: tuple[str, ...] = ("storage.outbox", "storage.search")


def _import_model_modules() -> None:
    import importlib
    for name in MODEL_MODULES:
        importlib.import_module(name)


def ensure_schema(engine: Engine) -> None:
    """Create missing tables, then add columns that newer code expects (additive migration).

    Columns are only ever added, never dropped or retyped, so an older store opens with newer
    code and keeps every row. The schema version is recorded in ``schema_info``.
    """
    _import_model_modules()
    try:
        with _schema_lock(engine):
            _create_and_migrate(engine)
    except OperationalError as exc:
        raise StoreError(f"cannot open store {redact_url(str(engine.url.render_as_string(hide_password=True)))}: "
                         f"{exc.orig}") from None


# Several processes may open a fresh PostgreSQL store at once (workers, `rasad run` on two
# hosts): schema creation is serialised by a session-level advisory lock.
_SCHEMA_LOCK_KEY = 0x72617361  # "rasa"


@contextlib.contextmanager
def _schema_lock(engine: Engine):
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _SCHEMA_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _SCHEMA_LOCK_KEY})
            conn.commit()


def _create_and_migrate(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    inspector = inspect(engine)
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in have:
                    continue
                ddl = CreateColumn(column).compile(dialect=engine.dialect)
                ddl_text = str(ddl).replace(" NOT NULL", "")
                log.warning("migrating store: adding %s.%s", table.name, column.name)
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl_text}"))
        conn.execute(
            SchemaInfoRow.__table__.delete().where(SchemaInfoRow.key == "schema_version"))
        conn.execute(SchemaInfoRow.__table__.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
