"""Idempotent bulk insert of measurements, per backend (the only module that knows psycopg COPY).

SQLite: multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` through the driver.
PostgreSQL: monthly partitions are created on demand; every batch streams with binary ``COPY``
into a temporary table and is inserted from there with ``ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

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
    utc = (ts if ts.tzinfo is dt.UTC else ts.astimezone(dt.UTC) for ts in timestamps)
    months = {
        _month_bounds(dt.datetime(y, m, 1, tzinfo=dt.UTC))
        for y, m in {(t.year, t.month) for t in utc}
    }
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
    """Insert ``rows`` (dicts with every column of COLUMNS); duplicates, in the table or within
    the batch, are skipped. Returns the inserted rows: the given dicts, each with its new "id".

    Rows go to the driver directly (SQLAlchemy's per-parameter processing costs more than the
    insert itself); timestamps are written exactly as the ``UTCDateTime`` column type writes
    them, so readings stored by either path deduplicate against each other."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        ensure_partitions(session, [r["source_ts"] for r in rows])
        found = _copy_insert(session, rows)
        key = _pg_key
    else:
        found = _sqlite_insert(session, rows)
        key = _sqlite_key
    by_key = {key(r): r for r in rows}
    out = []
    for new_id, *k in found:
        row = by_key[tuple(k)]
        row["id"] = new_id
        out.append(row)
    for r in rows:
        r.pop("_ts", None)
    out.sort(key=lambda r: r["id"])  # insertion order
    return out


KEY = ("source_id", "characteristic_id", "seq", "source_ts")  # the idempotency key
SQLITE_CHUNK = 1000  # rows per statement: 12,000 parameters, below SQLite's 32,766


def sqlite_ts(ts: dt.datetime) -> str:
    """A timestamp as the ``UTCDateTime`` type stores it on SQLite (UTC, naive text)."""
    u = ts if ts.tzinfo is dt.UTC else ts.astimezone(dt.UTC)
    text = u.replace(tzinfo=None).isoformat(" ")
    return text if len(text) > 19 else text + ".000000"  # isoformat drops zero microseconds


def _sqlite_key(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["source_id"], r["characteristic_id"], r["seq"], r["_ts"])


def _pg_key(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["source_id"], r["characteristic_id"], r["seq"], r["source_ts"])


def _driver(session: Session) -> Any:
    """The DB-API connection under the session's transaction."""
    return session.connection().connection.driver_connection


def _sqlite_insert(session: Session, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    cur = _driver(session).cursor()
    found: list[tuple[Any, ...]] = []
    one = "(" + ", ".join("?" * len(COLUMNS)) + ")"
    stamps: dict[dt.datetime, str] = {}  # a batch usually shares one ingest time
    for r in rows:
        r["_ts"] = sqlite_ts(r["source_ts"])
    for lo in range(0, len(rows), SQLITE_CHUNK):
        chunk = rows[lo : lo + SQLITE_CHUNK]
        params = []
        for r in chunk:
            ingest = r["ingest_ts"]
            if ingest not in stamps:
                stamps[ingest] = sqlite_ts(ingest)
            params += [r[c] for c in COLUMNS]
            params[-9], params[-8] = r["_ts"], stamps[ingest]  # source_ts, ingest_ts
        cur.execute(
            f"INSERT INTO measurement ({', '.join(COLUMNS)}) VALUES "  # noqa: S608
            f"{', '.join([one] * len(chunk))} ON CONFLICT DO NOTHING "
            f"RETURNING id, {', '.join(KEY)}",
            params,
        )
        found += cur.fetchall()
    cur.close()
    return found


PG_TYPES = (
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
)


def _copy_insert(session: Session, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Binary COPY into a session-local staging table, then one INSERT ... SELECT."""
    conn = _driver(session)
    cols = ", ".join(COLUMNS)
    with conn.cursor() as cur:
        cur.execute(STAGE_DDL)
        cur.execute("TRUNCATE measurement_stage")
        with cur.copy(f"COPY measurement_stage ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(list(PG_TYPES))
            for r in rows:
                copy.write_row([r[c] for c in COLUMNS])
        cur.execute(
            f"INSERT INTO measurement ({cols}) SELECT {cols} FROM measurement_stage "  # noqa: S608
            f"ON CONFLICT DO NOTHING RETURNING id, {', '.join(KEY)}"
        )
        return list(cur.fetchall())


def insert_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: list[list[Any]],
    timestamps: Sequence[int] = (),
) -> None:
    """Bulk insert of plain rows through the driver (no RETURNING; COPY on PostgreSQL). The
    cells at positions
    ``timestamps`` are aware datetimes, written as ``UTCDateTime`` writes them (converted in
    place); other cells must already be in the driver's form (JSON as text)."""
    if not rows:
        return
    sqlite = session.get_bind().dialect.name != "postgresql"
    if sqlite:
        stamps: dict[dt.datetime, str] = {}
        for r in rows:
            for i in timestamps:
                ts = r[i]
                if ts is not None:
                    if ts not in stamps:
                        stamps[ts] = sqlite_ts(ts)
                    r[i] = stamps[ts]
    cur = _driver(session).cursor()
    try:
        if sqlite:
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                f"VALUES ({', '.join(['?'] * len(columns))})"
            )
            cur.executemany(sql, rows)
            return
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
    finally:
        cur.close()
