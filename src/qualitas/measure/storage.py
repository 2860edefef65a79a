"""Idempotent bulk insert of measurements, per backend (the only module that knows psycopg COPY).

SQLite: ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` in one statement per batch.
PostgreSQL: monthly partitions are created on demand; small batches use the same statement,
large ones stream with binary ``COPY`` into a temporary table and insert from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from qualitas.measure.models import Measurement

COLUMNS = (
    "characteristic_id",
    "site_id",
    "value",
    "source_ts",
    "ingest_ts",
    "source_id",
    "seq",
    "lot",
    "unit",
    "station_id",
    "subgroup",
    "gauge_id",
)
RETURNED = ("id", "characteristic_id", "site_id", "value", "source_ts", "subgroup", "lot", "unit")
TABLE: Any = Measurement.__table__
COPY_THRESHOLD = 2000
STAGE_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS measurement_stage (characteristic_id int4, site_id int4, "
    "value float8, source_ts timestamptz, ingest_ts timestamptz, source_id varchar(120), "
    "seq int8, lot varchar(80), unit varchar(80), station_id int4, subgroup varchar(80), "
    "gauge_id int4) ON COMMIT DELETE ROWS"
)
# Partitions known to exist, per engine (a dropped and recreated schema gets a new engine).
_known_partitions: WeakKeyDictionary[Engine, set[str]] = WeakKeyDictionary()


def _month_bounds(ts: dt.datetime) -> tuple[str, dt.datetime, dt.datetime]:
    start = dt.datetime(ts.year, ts.month, 1, tzinfo=dt.UTC)
    end = dt.datetime(ts.year + (ts.month == 12), ts.month % 12 + 1, 1, tzinfo=dt.UTC)
    return f"measurement_y{ts.year:04d}m{ts.month:02d}", start, end


def ensure_partitions(session: Session, timestamps: Sequence[dt.datetime]) -> None:
    """Create the monthly partitions a batch needs (PostgreSQL only)."""
    months = {_month_bounds(ts.astimezone(dt.UTC)) for ts in timestamps}
    known = _known_partitions.setdefault(session.get_bind().engine, set())
    for name, start, end in sorted(months):
        if name in known:
            continue
        if session.scalar(text("SELECT to_regclass(:n)"), {"n": name}) is None:
            session.execute(text("SELECT pg_advisory_xact_lock(7410401)"))
            session.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF measurement "
                    f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
                )
            )
        known.add(name)


def insert(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert ``rows``; duplicates are skipped. Returns the inserted rows (RETURNED columns)."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        ensure_partitions(session, [r["source_ts"] for r in rows])
        if len(rows) >= COPY_THRESHOLD:
            return _copy_insert(session, rows)
        stmt = postgresql.insert(TABLE).on_conflict_do_nothing()
    else:
        stmt = sqlite.insert(TABLE).on_conflict_do_nothing()
    returning = stmt.returning(*(TABLE.c[c] for c in RETURNED))  # Core: no ORM bulk overhead
    result = session.execute(returning, rows)
    return [dict(zip(RETURNED, r, strict=True)) for r in result.all()]


def _copy_insert(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    conn: Any = session.connection().connection.driver_connection
    cols = ", ".join(COLUMNS)
    with conn.cursor() as cur:
        cur.execute(STAGE_DDL)
        cur.execute("TRUNCATE measurement_stage")
        with cur.copy(f"COPY measurement_stage ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(
                [
                    "int4",
                    "int4",
                    "float8",
                    "timestamptz",
                    "timestamptz",
                    "varchar",
                    "int8",
                    "varchar",
                    "varchar",
                    "int4",
                    "varchar",
                    "int4",
                ]
            )
            for r in rows:
                copy.write_row([r[c] for c in COLUMNS])
        cur.execute(
            f"INSERT INTO measurement ({cols}) SELECT {cols} FROM measurement_stage "  # noqa: S608
            f"ON CONFLICT DO NOTHING RETURNING {', '.join(RETURNED)}"
        )
        return [dict(zip(RETURNED, r, strict=True)) for r in cur.fetchall()]
