"""Domain events: a transactional outbox, an in-process dispatcher and a port for an external bus.

``emit()`` writes the event in the caller's transaction, so an event exists if and only if
the change committed. The dispatcher delivers each pending event to every matching subscriber
at least once; a subscriber's side effects and its delivery mark commit together, so a
redelivery after a crash is recognised and skipped (idempotent subscribers).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from qualitas.db import Base, BigId, Database, UTCDateTime, utcnow
from qualitas.ledger.service import json_safe

log = logging.getLogger(__name__)


class OutboxEvent(Base):
    __tablename__ = "event_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(120), index=True)
    key: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class EventDelivery(Base):
    """Marks that ``subscriber`` has handled ``event_id`` (written with its side effects)."""

    __tablename__ = "event_delivery"

    event_id: Mapped[int] = mapped_column(ForeignKey("event_outbox.id"), primary_key=True)
    subscriber: Mapped[str] = mapped_column(String(120), primary_key=True)
    delivered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class Event:
    id: int
    topic: str
    key: str | None
    payload: dict[str, Any]
    created_at: dt.datetime


class EventBus(Protocol):
    """Port to an external bus (NATS JetStream adapter: ingest issue). ``msg_id`` dedups."""

    def publish(self, topic: str, payload: dict[str, Any], msg_id: str) -> None: ...


@dataclass
class InMemoryBus:
    """Fake bus for tests: keeps published messages, drops duplicates by msg_id."""

    messages: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def publish(self, topic: str, payload: dict[str, Any], msg_id: str) -> None:
        self.messages.setdefault(msg_id, (topic, payload))


Handler = Callable[[Session, Event], None]


def emit(
    session: Session, topic: str, payload: dict[str, Any], key: str | None = None
) -> OutboxEvent:
    """Record a domain event in the current transaction."""
    return emit_many(session, [(topic, payload, key)])[0]


def emit_many(
    session: Session, items: list[tuple[str, dict[str, Any], str | None]]
) -> list[OutboxEvent]:
    """Record domain events (topic, payload, key) in the current transaction, one flush."""
    rows = [OutboxEvent(topic=t, key=k, payload=json_safe(p)) for t, p, k in items]
    session.add_all(rows)
    session.flush()
    return rows


@dataclass
class Dispatcher:
    """Delivers pending outbox events to subscribers registered by topic pattern."""

    db: Database
    bus: EventBus | None = None
    max_attempts: int = 10
    subscribers: dict[str, tuple[str, Handler]] = field(default_factory=dict)

    def subscribe(self, pattern: str, name: str) -> Callable[[Handler], Handler]:
        """Register ``fn`` under a unique ``name`` for topics matching the glob ``pattern``."""

        def register(fn: Handler) -> Handler:
            if name in self.subscribers:
                raise ValueError(f"subscriber {name!r} already registered")
            self.subscribers[name] = (pattern, fn)
            return fn

        return register

    def _pending(self, limit: int) -> list[OutboxEvent]:
        with self.db.session(write=False) as session:
            rows = session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.status == "pending", OutboxEvent.next_attempt_at <= utcnow())
                .order_by(OutboxEvent.id)
                .limit(limit)
            ).all()
            session.expunge_all()
            return list(rows)

    def _deliver(self, event: Event, name: str, fn: Handler) -> None:
        with self.db.unit_of_work() as session:
            done = session.get(EventDelivery, (event.id, name))
            if done is not None:
                return
            fn(session, event)
            session.add(EventDelivery(event_id=event.id, subscriber=name))

    def _record(self, outcomes: list[tuple[int, str | None]]) -> None:
        """Mark delivered events and schedule retries, all in one transaction."""
        if not outcomes:
            return
        with self.db.unit_of_work() as session:
            rows = session.scalars(
                select(OutboxEvent).where(OutboxEvent.id.in_([i for i, _ in outcomes]))
            )
            by_id = {row.id: row for row in rows}
            now = utcnow()
            for event_id, error in outcomes:
                row = by_id.get(event_id)
                if row is None:
                    continue
                if error is None:
                    row.status, row.delivered_at = "delivered", now
                    continue
                row.attempts += 1
                row.last_error = error[:2000]
                delay = min(2**row.attempts, 3600)
                row.next_attempt_at = now + dt.timedelta(seconds=delay)
                if row.attempts >= self.max_attempts:
                    row.status = "parked"

    def dispatch_pending(self, limit: int = 500) -> int:
        """Deliver what is due; returns how many events were fully delivered. Outcomes are
        recorded together at the end (a subscriber's delivery is idempotent by its record)."""
        outcomes: list[tuple[int, str | None]] = []
        for row in self._pending(limit):
            event = Event(row.id, row.topic, row.key, dict(row.payload), row.created_at)
            error: str | None = None
            for name, (pattern, fn) in sorted(self.subscribers.items()):
                if not fnmatch.fnmatchcase(event.topic, pattern):
                    continue
                try:
                    self._deliver(event, name, fn)
                except Exception as exc:  # a failing subscriber must not stop the others
                    log.exception("subscriber %s failed on event %s", name, event.id)
                    error = f"{name}: {exc!r}"
            if error is None and self.bus is not None:
                try:
                    self.bus.publish(event.topic, event.payload, msg_id=f"qualitas-{event.id}")
                except Exception as exc:
                    error = f"bus: {exc!r}"
            outcomes.append((event.id, error))
        self._record(outcomes)
        return sum(error is None for _, error in outcomes)


class DispatcherThread:
    """Polls the outbox in the background of a server process."""

    def __init__(self, dispatcher: Dispatcher, interval: float = 1.0) -> None:
        self.dispatcher = dispatcher
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qualitas-outbox", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.dispatcher.dispatch_pending()
            except Exception:
                log.exception("outbox dispatch failed")
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
