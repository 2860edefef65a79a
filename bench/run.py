"""Run every benchmark and write bench/RESULTS.md.

    .venv/bin/python bench/run.py            # default sizes: 3 to 5 minutes on 2 cores
    .venv/bin/python bench/run.py --full     # 100k-entry verify, 5,000-row import, PG everywhere
    .venv/bin/python bench/run.py --no-postgres --out /tmp/results.md
    .venv/bin/python bench/run.py --no-spc   # keep the SPC section of the file as it is

The SPC engine benchmarks (bench/spc, about 1.5 minutes; the pccpy peer needs
`pip install -e '.[bench]'`) run last and write their own section of the file.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import bench_audit
import bench_import
import bench_list_api
import bench_stream
from common import PG_URL, Row, postgres_available, postgres_database, sqlite_database
from spc import run as spc_run
from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sizes:
    append: int
    verify: int
    characteristics: int
    requests: int
    import_rows: int
    postgres_everywhere: bool


DEFAULT = Sizes(
    append=2_000,
    verify=20_000,
    characteristics=50_000,
    requests=10,
    import_rows=1_000,
    postgres_everywhere=False,
)
FULL = Sizes(
    append=5_000,
    verify=100_000,
    characteristics=50_000,
    requests=20,
    import_rows=5_000,
    postgres_everywhere=True,
)


NOTES = """\
## What each row measures

- **audit append**: `qualitas.ledger.service.append`, 1,000 entries per transaction, each entry
  an update of a characteristic with before/after snapshots (about 1 KB of canonical JSON). Per
  entry it flushes the session, reads the chain head (`SELECT ... ORDER BY seq DESC LIMIT 1`;
  on PostgreSQL after `pg_advisory_xact_lock`), serialises the hashed fields with RFC 8785
  (`rfc8785`, pure Python), hashes with SHA-256 and inserts the row through the ORM. The
  baseline inserts the same rows into an unchained copy of the table (same columns and
  secondary indexes, no `prev_hash`/`hash`) with one Core `INSERT` per row, 1,000 rows per
  transaction. SQLite runs in WAL mode with `synchronous=NORMAL` (the Qualitas default) in a
  temporary directory; PostgreSQL runs in a database created for the run and dropped after it.
- **audit verify**: `qualitas.ledger.service.verify` re-reads every entry through the ORM in
  keyset pages of 5,000 and recomputes each hash (RFC 8785 + SHA-256). The chain is written
  beforehand with the pure functions of `qualitas.ledger.chain` and a bulk insert (untimed).
  The baseline streams the same rows with a Core `SELECT` and does nothing with them.
- **list API**: `GET /api/plant/characteristics` through FastAPI's `TestClient` as a quality
  engineer of one site (session cookie, site-scoped permission check, count + page query,
  pydantic response model). The table holds the characteristics of two sites, inserted with
  Core. The baseline replays the exact count and page statements the endpoint sent (captured
  with a `before_cursor_execute` hook) through the DB-API cursor and fetches the rows.
- **import**: `qualitas.plant.io.import_rows` of characteristic rows read from a CSV file
  (site given by code), all-or-nothing in one transaction: per row a savepoint, schema
  validation, site and uniqueness checks, the insert, an audit entry and an outbox event.
  The baseline adds the same rows as ORM objects with typed values and commits once, with no
  validation, audit or event.
- **streaming**: `POST /api/measurements` to the application served by uvicorn in its own
  process (over HTTP on the loopback, one client, bodies encoded beforehand) in batches of
  1,000 readings spread over 50 characteristics with approved limit sets (Western Electric
  rules): JSON parsing, validation, site checks, idempotent insert, chart points, rule
  evaluation with the previous 20 points, alarms with their audit entries and events, one
  transaction per batch. An alarm is stored before its request returns, so the request
  latency bounds the alarm latency. The baseline inserts the same rows with one Core
  executemany into a bare table (no indexes, no validation, no monitoring). See
  `bench/bench_stream.py`. The issue's goal (20,000 readings/s on SQLite, 50,000 on
  PostgreSQL, p99 under 200 ms) is not met on this machine: see below.

## Where the time goes

- **audit append**: two statements per entry instead of one (the head read and the insert), an
  ORM object per entry, and the RFC 8785 canonicalisation (pure Python) plus SHA-256. Under a
  profiler the canonicalisation and hashing take about a fifth of the time; the ORM flush and
  the head read most of the rest.
- **audit verify**: recomputing the hash dominates: under a profiler `rfc8785.dumps` takes about
  four fifths of the time and reading the rows through the ORM most of the rest. A C
  implementation of JCS would move the rate towards the plain `SELECT`.
- **list API**: a fixed cost per request (ASGI transport, session and user lookup with grants,
  permission check, the Pydantic response model of 50 rows) on top of the same two SQL
  statements; with a text search both sides are dominated by the `LIKE` scan and the count.
- **import**: nine SQL statements per row (savepoint, lookup by code, site check, uniqueness
  check, insert, audit head read and insert, outbox insert, release) plus schema validation
  and snapshots, against one batched insert for the baseline.

- **streaming**: per batch of 1,000 readings on SQLite (in-process timers, startup heap
  frozen): about 15 ms inserting the readings (one multi-row `INSERT ... RETURNING` through
  the driver, four B-trees to maintain), 7 ms inserting the chart points, 5 ms each for
  validation, site checks and the last-20-points query, 3 ms for the rules of all 50 charts
  (judged in one pass), 5 ms for the commit, and 15 ms of HTTP, JSON and authentication. The
  client and PostgreSQL share the machine's two cores with the server. Two concurrent
  clients raise SQLite's rate by about a fifth but its tail (writers wait for the lock), so
  the table reports one client. The rate moves with the machine's other load more than any
  other row: on this machine, runs of the same code gave 14,000 to 23,000 readings/s on
  SQLite (p50 40 to 67 ms) and 11,000 to 13,000 on PostgreSQL.

`--full` runs the larger sizes (100,000-entry verification, 5,000-row import, 5,000 appends)
and every benchmark on PostgreSQL as well; it takes several times longer.
"""


def step(label: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {label}", file=sys.stderr, flush=True)


def run_all(sizes: Sizes, repeats: int, postgres: bool) -> list[Row]:
    rows: list[Row] = []
    backends = [("SQLite", sqlite_database)] + (
        [("PostgreSQL", postgres_database)] if postgres else []
    )
    for name, database in backends:
        step(f"audit append on {name}")
        with database() as db:
            rows.append(bench_audit.bench_append(db, name, sizes.append, repeats))
    for name, database in backends[: 2 if sizes.postgres_everywhere else 1]:
        step(f"audit verify on {name}")
        with database() as db:
            rows.append(bench_audit.bench_verify(db, name, sizes.verify, repeats))
        step(f"list API on {name}")
        with database() as db:
            rows += bench_list_api.bench_list(
                db, name, sizes.characteristics, sizes.requests, repeats
            )
        step(f"import on {name}")
        with database() as db:
            rows.append(bench_import.bench_import(db, name, sizes.import_rows, repeats))
    for name, database in backends:
        step(f"streaming ingest with monitoring on {name}")
        with database() as db:
            row, extra = bench_stream.run(db, name, n_batches=10, size=1000, repeats=repeats)
        latency = (
            f"; request (= alarm stored) latency p50 {extra['p50_ms']:.0f} ms, "
            f"p99 {extra['p99_ms']:.0f} ms per batch of {extra['batch']}; "
            f"{extra['alarms']} alarms"
        )
        rows.append(dataclasses.replace(row, work=row.work + latency))
    return rows


def machine_note(postgres: bool) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0))  # what `nproc` prints
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    pg = "not measured"
    if postgres:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            pg = str(conn.execute(text("SHOW server_version")).scalar())
        engine.dispose()
    return (
        f"{nproc} CPU cores ({cpu}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}, {platform.system()} "
        f"{platform.release()}; load average at start {load}"
    )


def fmt(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def markdown(
    rows: list[Row], command: str, machine: str, seconds: float, repeats: int, busy: bool
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Each figure is the median of {repeats} repeats. Qualitas and its baseline run "
        "alternately (Qualitas, baseline, Qualitas, …) in the same process on the same data, so "
        "both see the same machine load. **Ratio** = baseline rate ÷ Qualitas rate: how many "
        "times more work the baseline does in the same time. Absolute rates depend on the "
        "machine and its load; compare ratios.",
        "",
        "| benchmark | work | Qualitas | rate | baseline | rate | ratio |",
        "|---|---|---|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.bench} | {r.work} | {r.qualitas_label} | {fmt(r.qualitas_rate)} {r.unit} "
            f"| {r.baseline_label} | {fmt(r.baseline_rate)} {r.unit} | {r.ratio:.1f}× |"
        )
    lines += [
        "",
        f"Command: `{command}` (total {seconds:.0f} s).",
        "",
        f"Machine: {machine}.",
        *(
            [
                "",
                "The load average exceeded the core count: other jobs shared the machine, so "
                "expect the ratios to move by tens of percent between runs.",
            ]
            if busy
            else []
        ),
        "",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        NOTES,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the larger sizes (several minutes)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per figure (median)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-spc", action="store_true", help="skip bench/spc (keep its section)")
    args = parser.parse_args()
    postgres = not args.no_postgres
    if postgres and (problem := postgres_available()):
        step(f"PostgreSQL skipped: {problem}")
        postgres = False
    machine = machine_note(postgres)
    busy = os.getloadavg()[0] > len(os.sched_getaffinity(0))
    start = time.perf_counter()
    rows = run_all(FULL if args.full else DEFAULT, args.repeats, postgres)
    seconds = time.perf_counter() - start
    command = " ".join([".venv/bin/python bench/run.py", *sys.argv[1:]])
    report = markdown(rows, command, machine, seconds, args.repeats, busy)
    previous = args.out.read_text() if args.out.exists() else ""
    if args.no_spc:
        spc_block = spc_run.existing_block(previous)
    else:
        step("SPC engine (bench/spc)")
        peer = spc_run.peer_available()
        spc_block = spc_run.section(spc_run.DEFAULT, args.repeats, peer, command)
    if spc_block:
        report = spc_run.splice(report, spc_block)
    args.out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
