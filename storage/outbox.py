"""The alert outbox: what was matched, what must be delivered where, and what was delivered.

Tables (declared on ``storage.models.Base``, created with the rest of the schema):

``alert_articles``   one row per stored article the alert dispatcher has looked at, so each
                     article is considered once (the "new matches" query is an anti-join on it).
``alerts``           one row per (rule, story): the first article that made the story alert-worthy
                     and every later copy (article ids, outlets). Unique (rule, story_key): a story
                     alerts once per rule, whatever the number of copies or of processes.
``alert_deliveries`` the outbox proper: one row per message to one channel, with status
                     (pending / failed / sent / dead), attempts, next_attempt_at (exponential
                     backoff with a cap), a unique idempotency key, the redacted last error and the
                     rendered message (rendered once, so a retry sends the same text).
``health_episodes``  one row per (outlet, condition): whether the condition is active and since
                     when, so a health alert is sent once per episode, not at every check.

Delivery claims are transactional: on PostgreSQL a row is claimed with
``SELECT ... FOR UPDATE SKIP LOCKED`` and marked sent/failed in the same transaction; on SQLite
(one writer at a time) a row is claimed by an atomic conditional UPDATE that takes a short lease,
and marked by a second UPDATE guarded by the claim token. A process that dies while holding a
claim loses nothing: the row lock is released (PostgreSQL) or the lease expires (SQLite) and the
row is retried. The message carries its idempotency key so a receiver can drop the one copy that
can be sent twice (a crash after the channel accepted it but before the outcome was recorded).
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy import (JSON, BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint, func,
                        or_, select, update)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.models import Base, UTCDateTime

PENDING, FAILED, SENT, DEAD = "pending", "failed", "sent", "dead"
OPEN_STATUSES = (PENDING, FAILED)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class AlertArticleRow(Base):
    __tablename__ = "alert_articles"
    article_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    story_key: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(32))   # "alert" | "copy" | "digest" | "no-rule" | "old"


class AlertRow(Base):
    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    rule: Mapped[str] = mapped_column(String(96))
    story_key: Mapped[str] = mapped_column(String(64))
    watch: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))              # "immediate" | "digest"
    first_article_id: Mapped[str] = mapped_column(String(32))
    article_ids: Mapped[list] = mapped_column(JSON, default=list)
    outlets: Mapped[list] = mapped_column(JSON, default=list)
    digest_key: Mapped[str | None] = mapped_column(String(96))  # set once included in a digest
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("rule", "story_key", name="uq_alerts_rule_story"),)


class DeliveryRow(Base):
    __tablename__ = "alert_deliveries"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    idem_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(16))              # alert | followup | digest | health | test
    rule: Mapped[str | None] = mapped_column(String(96))
    channel: Mapped[str] = mapped_column(String(64), index=True)
    story_key: Mapped[str | None] = mapped_column(String(64))
    alert_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    claim_token: Mapped[str | None] = mapped_column(String(36))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)


class HealthEpisodeRow(Base):
    __tablename__ = "health_episodes"
    outlet: Mapped[str] = mapped_column(String(64), primary_key=True)
    condition: Mapped[str] = mapped_column(String(32), primary_key=True)   # silence | failures | yield
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    detail: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


@dataclass
class Backoff:
    base_seconds: float = 10.0
    cap_seconds: float = 3600.0
    max_attempts: int = 20

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt (full jitter on the upper half)."""
        raw = min(self.cap_seconds, self.base_seconds * (2 ** max(0, attempts - 1)))
        return raw / 2 + random.random() * raw / 2


@dataclass
class NewDelivery:
    idem_key: str
    kind: str
    channel: str
    title: str
    body: str
    rule: str | None = None
    story_key: str | None = None
    alert_id: int | None = None
    not_before: dt.datetime | None = None


def enqueue(s: Session, items: Iterable[NewDelivery], now: dt.datetime | None = None) -> list[str]:
    """Add deliveries inside the caller's transaction; keys already present are left alone.

    Returns the keys actually added. Uniqueness is enforced by the database (idem_key UNIQUE), so
    two processes enqueueing the same key concurrently end with one row: the loser's transaction
    fails with IntegrityError and is retried by the caller, and then finds the key present.
    """
    now = now or utcnow()
    items = list(items)
    if not items:
        return []
    have = set(s.scalars(select(DeliveryRow.idem_key).where(DeliveryRow.idem_key.in_([i.idem_key for i in items]))))
    added = []
    for item in items:
        if item.idem_key in have:
            continue
        s.add(DeliveryRow(
            idem_key=item.idem_key, kind=item.kind, rule=item.rule, channel=item.channel, story_key=item.story_key,
            alert_id=item.alert_id, title=item.title, body=item.body, status=PENDING, attempts=0,
            next_attempt_at=max(now, item.not_before or now), created_at=now, updated_at=now))
        have.add(item.idem_key)
        added.append(item.idem_key)
    s.flush()
    return added


Sender = Callable[[DeliveryRow], "tuple[bool, str | None]"]


def _due(now: dt.datetime, skip_channels: set[str]):
    q = select(DeliveryRow).where(DeliveryRow.status.in_(OPEN_STATUSES), DeliveryRow.next_attempt_at <= now)
    if skip_channels:
        q = q.where(DeliveryRow.channel.not_in(sorted(skip_channels)))
    return q.order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)


def _record(row: DeliveryRow, ok: bool, error: str | None, now: dt.datetime, backoff: Backoff) -> None:
    row.attempts = (row.attempts or 0) + 1
    row.updated_at = now
    row.claim_token, row.claimed_until = None, None
    if ok:
        row.status, row.sent_at, row.last_error = SENT, now, None
        return
    row.last_error = (error or "delivery failed")[:2000]
    if row.attempts >= backoff.max_attempts:
        row.status = DEAD
    else:
        row.status = FAILED
        row.next_attempt_at = now + dt.timedelta(seconds=backoff.delay(row.attempts))


def deliver_due(store, send: Sender, backoff: Backoff, limit: int = 100, lease_seconds: float = 120.0,
                stop: Callable[[], bool] | None = None) -> dict[str, int]:
    """Send every due delivery once; returns {"sent": n, "failed": n, "dead": n}.

    A channel that fails is skipped for the rest of this pass (its other rows stay due and are
    tried on the next pass, each with its own backoff once tried).
    """
    counts = {"sent": 0, "failed": 0, "dead": 0}
    skip: set[str] = set()
    postgres = store.engine.dialect.name == "postgresql"
    for _ in range(limit):
        if stop and stop():
            break
        now = utcnow()
        if postgres:
            with store.session() as s, s.begin():
                row = s.scalars(_due(now, skip).with_for_update(skip_locked=True).limit(1)).first()
                if row is None:
                    break
                ok, error = send(row)
                _record(row, ok, error, utcnow(), backoff)
                status, channel = row.status, row.channel
        else:
            token = str(uuid.uuid4())
            with store.session() as s, s.begin():
                candidate = s.scalars(_due(now, skip).where(
                    or_(DeliveryRow.claimed_until.is_(None), DeliveryRow.claimed_until < now)).limit(1)).first()
                if candidate is None:
                    break
                claimed = s.execute(update(DeliveryRow).where(
                    DeliveryRow.id == candidate.id, DeliveryRow.status.in_(OPEN_STATUSES),
                    or_(DeliveryRow.claimed_until.is_(None), DeliveryRow.claimed_until < now),
                ).values(claim_token=token, claimed_until=now + dt.timedelta(seconds=lease_seconds))).rowcount
                row_id = candidate.id
            if claimed != 1:
                continue
            with store.session() as s:
                row = s.get(DeliveryRow, row_id)
                s.expunge(row)
            ok, error = send(row)
            with store.session() as s, s.begin():
                row = s.get(DeliveryRow, row_id)
                if row is None or row.claim_token != token:
                    continue  # lease lost (should not happen with a sane lease); the other owner records it
                _record(row, ok, error, utcnow(), backoff)
                status, channel = row.status, row.channel
        if status == SENT:
            counts["sent"] += 1
        else:
            counts["dead" if status == DEAD else "failed"] += 1
            skip.add(channel)
    return counts


def list_deliveries(store, statuses: Iterable[str] | None = None, limit: int = 50) -> list[DeliveryRow]:
    with store.session() as s:
        q = select(DeliveryRow).order_by(DeliveryRow.id.desc()).limit(limit)
        if statuses:
            q = q.where(DeliveryRow.status.in_(list(statuses)))
        return list(s.scalars(q))


def status_counts(store) -> dict[str, int]:
    with store.session() as s:
        return dict(s.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)).all())


def requeue(store, statuses: Iterable[str] = (DEAD, FAILED)) -> int:
    """Make dead/failed deliveries due now again (after an operator fixed a channel)."""
    now = utcnow()
    with store.session() as s, s.begin():
        return s.execute(update(DeliveryRow).where(DeliveryRow.status.in_(list(statuses))).values(
            status=FAILED, next_attempt_at=now, updated_at=now, attempts=0)).rowcount


def run_in_transaction(store, fn: Callable[[Session], object], retries: int = 5):
    """Run ``fn(session)`` in a transaction, retrying when a concurrent writer won a unique key."""
    for attempt in range(retries):
        try:
            with store.session() as s, s.begin():
                return fn(s)
        except IntegrityError:
            if attempt == retries - 1:
                raise
    return None
