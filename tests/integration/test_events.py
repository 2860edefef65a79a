"""Transactional outbox and dispatcher: at-least-once delivery, idempotent subscribers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from qualitas import events
from qualitas.db import Database
from qualitas.events import Dispatcher, Event, EventDelivery, InMemoryBus, OutboxEvent


class EffectBase(DeclarativeBase):
    """Kept apart from the application's metadata (not part of the schema)."""


class Effect(EffectBase):
    """A subscriber's side effect, written in the same transaction as its delivery mark."""

    __tablename__ = "test_event_effect"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(50))


@pytest.fixture
def db(fresh_url: str) -> Database:
    database = Database(fresh_url)
    Effect.__table__.create(database.engine, checkfirst=True)
    return database


def effects(db: Database) -> list[int]:
    with db.session(write=False) as s:
        return sorted(s.scalars(select(Effect.event_id)))


def test_event_exists_only_if_the_change_commits(db: Database) -> None:
    with db.unit_of_work() as s:
        events.emit(s, "plant.gauge.updated", {"id": 1})
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        events.emit(s, "plant.gauge.updated", {"id": 2})
        raise RuntimeError("change failed")
    with db.session(write=False) as s:
        payloads = [e.payload for e in s.scalars(select(OutboxEvent))]
    assert payloads == [{"id": 1}]


def test_delivers_to_matching_subscribers_once_and_publishes(db: Database) -> None:
    bus = InMemoryBus()
    dispatcher = Dispatcher(db, bus=bus)
    seen: list[tuple[str, int]] = []

    @dispatcher.subscribe("plant.gauge.*", "gauge-watch")
    def on_gauge(session: Session, event: Event) -> None:
        seen.append(("gauge", event.id))
        session.add(Effect(event_id=event.id, note="gauge"))

    @dispatcher.subscribe("plant.*.retired", "retirements")
    def on_retired(session: Session, event: Event) -> None:
        seen.append(("retired", event.id))

    with db.unit_of_work() as s:
        a = events.emit(s, "plant.gauge.updated", {"n": 1}).id
        b = events.emit(s, "plant.gauge.retired", {"n": 2}).id
        c = events.emit(s, "plant.item.created", {"n": 3}).id
    assert dispatcher.dispatch_pending() == 3
    assert sorted(seen) == sorted([("gauge", a), ("gauge", b), ("retired", b)])
    assert effects(db) == [a, b]
    assert sorted(bus.messages) == [f"qualitas-{i}" for i in (a, b, c)]
    assert dispatcher.dispatch_pending() == 0  # nothing is delivered twice
    assert len(seen) == 3


def test_failing_subscriber_is_retried_without_repeating_the_others(db: Database) -> None:
    dispatcher = Dispatcher(db)
    calls = {"flaky": 0}

    @dispatcher.subscribe("*", "steady")
    def steady(session: Session, event: Event) -> None:
        session.add(Effect(event_id=event.id, note="steady"))

    @dispatcher.subscribe("*", "flaky")
    def flaky(session: Session, event: Event) -> None:
        calls["flaky"] += 1
        session.add(Effect(event_id=event.id, note="flaky"))
        if calls["flaky"] == 1:
            raise ConnectionError("smtp down")

    with db.unit_of_work() as s:
        event_id = events.emit(s, "quality.alarm", {}).id
    assert dispatcher.dispatch_pending() == 0
    with db.unit_of_work() as s:
        row = s.get(OutboxEvent, event_id)
        assert row is not None and row.status == "pending" and row.attempts == 1
        assert "smtp down" in (row.last_error or "")
        row.next_attempt_at = row.created_at  # due now
    # the flaky subscriber's effect was rolled back with its failure
    assert effects(db) == [event_id]
    assert dispatcher.dispatch_pending() == 1
    assert effects(db) == [event_id, event_id]
    with db.session(write=False) as s:
        marks = s.scalar(select(func.count()).select_from(EventDelivery))
    assert marks == 2


def test_redelivery_after_a_crash_is_skipped(db: Database) -> None:
    """The dispatcher died after a subscriber committed but before marking the event."""
    dispatcher = Dispatcher(db)
    calls: list[int] = []

    @dispatcher.subscribe("*", "once")
    def once(session: Session, event: Event) -> None:
        calls.append(event.id)

    with db.unit_of_work() as s:
        event_id = events.emit(s, "x", {}).id
        s.add(EventDelivery(event_id=event_id, subscriber="once"))
    assert dispatcher.dispatch_pending() == 1
    assert calls == []


def test_parks_after_max_attempts(db: Database) -> None:
    dispatcher = Dispatcher(db, max_attempts=2)

    @dispatcher.subscribe("*", "broken")
    def broken(session: Session, event: Event) -> None:
        raise ValueError("bad payload")

    with db.unit_of_work() as s:
        event_id = events.emit(s, "x", {}).id
    for _ in range(2):
        dispatcher.dispatch_pending()
        with db.unit_of_work() as s:
            row = s.get(OutboxEvent, event_id)
            assert row is not None
            row.next_attempt_at = row.created_at
    with db.session(write=False) as s:
        assert s.get(OutboxEvent, event_id).status == "parked"  # type: ignore[union-attr]


def test_duplicate_subscriber_name_rejected(db: Database) -> None:
    dispatcher = Dispatcher(db)
    dispatcher.subscribe("*", "a")(lambda s, e: None)
    with pytest.raises(ValueError, match="already registered"):
        dispatcher.subscribe("*", "a")(lambda s, e: None)


def test_api_change_emits_event(demo_app: Any, as_user: Any, site_ids: dict[str, int]) -> None:
    dispatcher: Dispatcher = demo_app.state.dispatcher
    got: list[dict[str, Any]] = []
    name = f"test-{id(got)}"
    dispatcher.subscribe("plant.customer.created", name)(lambda s, e: got.append(e.payload))
    try:
        r = as_user("qe.a").post(
            "/api/plant/customers",
            json={"site_id": site_ids["SUZ"], "code": f"EV{id(got) % 10000}", "name": "Event test"},
        )
        assert r.status_code == 201
        while dispatcher.dispatch_pending():  # drain the backlog of the shared demo database
            pass
        assert r.json()["id"] in [p["id"] for p in got]
    finally:
        del dispatcher.subscribers[name]
