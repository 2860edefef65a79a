"""Audit trail: chained append vs plain INSERTs, and chain verification vs a plain SELECT.

Append: ``ledger.service.append`` writes entries 1,000 per transaction (each entry reads the
chain head, hashes RFC 8785 JSON with SHA-256 and inserts one row; on PostgreSQL it also takes
the advisory lock). The baseline inserts the same rows, one INSERT per row and 1,000 rows per
transaction, into an unchained copy of the table (same columns and indexes, no hash columns).

Verify: ``ledger.service.verify`` recomputes a chain of 100,000 entries. The baseline streams
the same rows with a plain ``SELECT``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from common import Row, paired
from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
)

from qualitas.db import Database, UTCDateTime, utcnow
from qualitas.ledger import chain
from qualitas.ledger import service as ledger
from qualitas.ledger.models import AuditEntry
from qualitas.ledger.service import Actor, AuditAction, json_safe

BATCH = 1_000
ACTOR = Actor(7, "qe.a")

plain_metadata = MetaData()
plain_audit = Table(
    "bench_plain_audit",
    plain_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts", UTCDateTime),
    Column("actor_id", Integer),
    Column("actor_name", String(200)),
    Column("action", String(40)),
    Column("entity_type", String(40)),
    Column("entity_id", String(64)),
    Column("site_id", Integer, index=True),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text),
    Index("ix_bench_plain_audit_entity", "entity_type", "entity_id"),
    Index("ix_bench_plain_audit_ts", "ts"),
)


def snapshot(i: int, usl: float) -> dict[str, Any]:
    """A characteristic snapshot of realistic size (the before/after of an update)."""
    return {
        "id": i,
        "site_id": 1,
        "item_id": 40 + i % 50,
        "operation_node_id": 12,
        "operation": "OP20",
        "code": f"P-HSG-100-C{i:05d}",
        "name": "Bore diameter",
        "kind": "variable",
        "unit": "mm",
        "nominal": 25.0,
        "lsl": 24.985,
        "usl": usl,
        "special_class": "CC",
        "gauge_type": "Bore gauge",
        "description": None,
        "status": "active",
        "version": 2,
        "created_at": "2026-01-05T08:00:00Z",
        "updated_at": "2026-01-06T09:30:00Z",
    }


def payloads(n: int) -> list[dict[str, Any]]:
    return [
        {
            "entity_id": i,
            "before": snapshot(i, 25.015),
            "after": snapshot(i, 25.02),
            "reason": "Drawing change DCN-2026-114: widened tolerance",
        }
        for i in range(n)
    ]


def append_chained(db: Database, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        with db.unit_of_work() as session:
            for r in rows[start : start + BATCH]:
                ledger.append(
                    session,
                    ACTOR,
                    AuditAction.UPDATE,
                    "characteristic",
                    r["entity_id"],
                    site_id=1,
                    before=r["before"],
                    after=r["after"],
                    reason=r["reason"],
                )


def append_plain(db: Database, rows: list[dict[str, Any]]) -> None:
    stmt = insert(plain_audit)
    for start in range(0, len(rows), BATCH):
        with db.engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
            for r in rows[start : start + BATCH]:
                conn.execute(
                    stmt,
                    {
                        "ts": utcnow(),
                        "actor_id": ACTOR.user_id,
                        "actor_name": ACTOR.name,
                        "action": "update",
                        "entity_type": "characteristic",
                        "entity_id": str(r["entity_id"]),
                        "site_id": 1,
                        "before": json_safe(r["before"]),
                        "after": json_safe(r["after"]),
                        "reason": r["reason"],
                    },
                )


def bench_append(db: Database, backend: str, entries: int, repeats: int) -> Row:
    plain_metadata.create_all(db.engine)
    rows = payloads(entries)
    t_chain, t_plain = paired(
        lambda: append_chained(db, rows), lambda: append_plain(db, rows), repeats
    )
    with db.session(write=False) as session:
        assert ledger.verify(session).ok
    return Row(
        "audit append",
        f"{backend}: {entries:,} entries, {BATCH:,} per transaction",
        "ledger.service.append",
        entries / t_chain,
        "plain INSERT, unchained table",
        entries / t_plain,
        "entries/s",
    )


def build_chain(db: Database, entries: int) -> None:
    """Write a valid chain of ``entries`` quickly (pure chain functions + bulk insert)."""
    prev, seq = chain.GENESIS_HASH, 0
    start = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    rows = payloads(1_000)
    while seq < entries:
        batch = []
        for r in rows[: min(1_000, entries - seq)]:
            seq += 1
            ts = start + dt.timedelta(milliseconds=250 * seq)
            fields = {
                "seq": seq,
                "ts": json_safe(ts),
                "actor_id": ACTOR.user_id,
                "actor_name": ACTOR.name,
                "action": "update",
                "entity_type": "characteristic",
                "entity_id": str(r["entity_id"]),
                "site_id": 1,
                "before": r["before"],
                "after": r["after"],
                "reason": r["reason"],
                "format": chain.FORMAT_VERSION,
            }
            digest = chain.entry_hash(prev, fields)
            batch.append({**fields, "ts": ts, "prev_hash": prev, "hash": digest})
            prev = digest
        with db.engine.begin() as conn:
            conn.execute(insert(AuditEntry), batch)


def stream_plain(db: Database) -> int:
    n = 0
    with db.engine.connect() as conn:
        result = conn.execution_options(yield_per=5_000).execute(
            select(AuditEntry.__table__).order_by(AuditEntry.seq)
        )
        for _row in result:
            n += 1
    return n


def bench_verify(db: Database, backend: str, entries: int, repeats: int) -> Row:
    build_chain(db, entries)

    def verify() -> None:
        with db.session(write=False) as session:
            report = ledger.verify(session)
        assert report.ok and report.checked == entries, report

    t_verify, t_select = paired(verify, lambda: stream_plain(db), repeats)
    return Row(
        "audit verify",
        f"{backend}: chain of {entries:,} entries",
        "ledger.service.verify",
        entries / t_verify,
        "plain SELECT streaming the rows",
        entries / t_select,
        "entries/s",
    )
