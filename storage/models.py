"""Database schema (SQLAlchemy 2.0), portable between SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, BigInteger, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String,
                        Text, TypeDecorator)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 1


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC on every engine."""
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored: give it a zone")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime, dict: JSON, list: JSON}


class ArticleRow(Base):
    __tablename__ = "articles"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    outlet: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    modified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    section: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    lead: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    image_url: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    post_id: Mapped[str | None] = mapped_column(String(32))
    provenance: Mapped[dict] = mapped_column(JSON, default=dict)
    # Place matches ([{pcode, name_ar, name_en, level, span, field}]), matching watch names and
    # the relevance score, from crawler/geo at store time.
    places: Mapped[list | None] = mapped_column(JSON, default=list)
    watches: Mapped[list | None] = mapped_column(JSON, default=list)
    score: Mapped[float | None] = mapped_column(Float)
    # The near-duplicate story (storage/stories.py) this article belongs to; None until assigned.
    story_id: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)

    __table_args__ = (Index("ix_articles_outlet_hash", "outlet", "content_hash"),)


class ArticleUrlRow(Base):
    """Every canonical URL an article was seen under (feed link, shortlink, AMP, redirect)."""
    __tablename__ = "article_urls"
    url_hash: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    outlet: Mapped[str] = mapped_column(String(64))


class ArticleVersionRow(Base):
    """A superseded version of an article, kept when the outlet edits it."""
    __tablename__ = "article_versions"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    modified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    changes: Mapped[list] = mapped_column(JSON, default=list)


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    outlet: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class HttpValidatorRow(Base):
    """ETag / Last-Modified of discovery pages, for conditional re-polling."""
    __tablename__ = "http_validators"
    url_hash: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SchemaInfoRow(Base):
    __tablename__ = "schema_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ---- stories (storage/stories.py) ----------------------------------------------------------

class StoryRow(Base):
    """One event as published by one or more outlets; its lead is the earliest-seen article."""
    __tablename__ = "stories"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lead_article_id: Mapped[str] = mapped_column(String(32), index=True)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    article_count: Mapped[int] = mapped_column(Integer, default=1)


class ArticleSignatureRow(Base):
    """The MinHash signature of an article's current text, with the scheme that made it."""
    __tablename__ = "article_signatures"
    sig_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                        autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), unique=True)
    scheme: Mapped[str] = mapped_column(String(160))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    shingles: Mapped[int] = mapped_column(Integer, default=0)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class LshBandRow(Base):
    """The LSH index in the store: one row per (band key, signature); looked up by band key."""
    __tablename__ = "lsh_bands"
    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    sig_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)

    __table_args__ = {"sqlite_with_rowid": False}


# ---- crawl backlog -------------------------------------------------------------------------

class CrawlBacklogRow(Base):
    """An article URL a crawl found but could not store (failed fetch, empty or truncated page):
    every later run of its outlet tries it again until it is stored or MAX_ATTEMPTS is reached."""
    __tablename__ = "crawl_backlog"
    url_hash: Mapped[str] = mapped_column(String(40), primary_key=True)
    outlet: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
