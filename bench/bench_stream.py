"""Streaming: readings per second from API receipt through rule evaluation to stored alarm.

Qualitas: `POST /api/measurements` to the application served by uvicorn in a separate process
over HTTP on the loopback, request bodies encoded beforehand (JSON parsing, validation, site checks,
idempotent insert, charting against the active limit set with Western Electric rules, alarms
written in the same transaction) in batches, 50 characteristics with approved limit sets, about
one out-of-limit reading per 2,000. Every alarm is stored before its request returns, so the
request latency bounds the alarm latency; p50/p99 are over the requests, after one untimed
warm-up batch.
Baseline: the same rows inserted with one Core executemany into an unindexed copy of the
columns (no validation, no monitoring): the cost of storing the bytes alone (on SQLite in a
database file of its own, so that neither side checkpoints the other's writes).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import numpy as np
from common import Row
from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, insert

from qualitas.auth.principal import Principal
from qualitas.db import Database
from qualitas.demo import loader
from qualitas.spc import limits
from qualitas.spc.schemas import LimitSetCreate

warnings.filterwarnings("ignore", message=".*httpx2.*")

CHARS = 50


def _prepare(db: Database) -> tuple[list[int], str]:
    from sqlalchemy import select

    from qualitas.plant.models import Characteristic

    who = Principal.system("bench")
    with db.unit_of_work() as s:
        loader.load(s)
        ids = list(
            s.scalars(
                select(Characteristic.id)
                .where(Characteristic.kind == "variable")
                .order_by(Characteristic.id)
            )
        )[:CHARS]
        for char_id in ids:
            if s.scalar(select(Characteristic.id).where(Characteristic.id == char_id)) is None:
                continue
            try:
                ls = limits.create(
                    s,
                    who,
                    LimitSetCreate(
                        characteristic_id=char_id,
                        center=10.0,
                        std_dev=1.0,
                        rule_set="western-electric",
                        reason="benchmark limits",
                    ),
                )
                limits.approve(s, who, ls.id, "benchmark")
            except Exception:  # a demo scenario already has one: keep it
                continue
    return ids, _token(db)


def _token(db: Database) -> str:
    from qualitas.auth import credentials
    from qualitas.auth import service as auth_service
    from qualitas.auth.models import User

    with db.unit_of_work() as s:
        from sqlalchemy import select

        admin = s.scalar(select(User).where(User.username == "admin"))
        _row, secret = credentials.create_token(
            s, auth_service._principal(admin, "token"), "bench", 1
        )
    return secret


def _batches(ids: list[int], n_batches: int, size: int, seed: int) -> list[list[dict[str, Any]]]:
    rng = np.random.default_rng(seed)
    t0 = dt.datetime(2026, 9, 1, tzinfo=dt.UTC) + dt.timedelta(days=seed)
    out, seq = [], 0
    for _ in range(n_batches):
        batch = []
        values = rng.normal(10.0, 1.0, size)
        values[rng.random(size) < 0.0005] = 14.0  # beyond 3 sigma
        for v in values:
            seq += 1
            batch.append(
                {
                    "characteristic_id": ids[seq % len(ids)],
                    "value": float(v),
                    "source_ts": (t0 + dt.timedelta(milliseconds=seq)).isoformat(),
                    "source_id": f"bench-{seed}",
                    "seq": seq,
                }
            )
        out.append(batch)
    return out


def _qualitas(
    client: Any, token: str, batches: list[list[dict[str, Any]]]
) -> tuple[float, list[float], int]:
    """Post the batches one after another; bodies are encoded beforehand (a client's work)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = [json.dumps({"rows": batch}).encode() for batch in batches]
    latencies, alarms = [], 0
    start = time.perf_counter()
    for batch, body in zip(batches, bodies, strict=True):
        t = time.perf_counter()
        r = client.post("/api/measurements", content=body, headers=headers)
        latencies.append(time.perf_counter() - t)
        report = r.json()
        assert report["accepted"] == len(batch), report
        alarms += report["alarms_raised"]
    return time.perf_counter() - start, latencies, alarms


@contextmanager
def _server(url: str) -> Iterator[str]:
    """The application served by uvicorn in its own process, as in production."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "QUALITAS_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "uvicorn", "qualitas.app:create_app", "--factory"]
    cmd += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _baseline(db: Database, batches: list[list[dict[str, Any]]]) -> float:
    """On SQLite the baseline writes its own database file beside the served one: its pages
    in the served database's write-ahead log would be checkpointed by the server's next
    commits and slow them down."""
    if db.is_sqlite:
        own = Database(f"sqlite:///{db.url.database}.baseline.db")
        try:
            return _baseline_into(own, batches)
        finally:
            own.dispose()
    return _baseline_into(db, batches)


def _baseline_into(db: Database, batches: list[list[dict[str, Any]]]) -> float:
    meta = MetaData()
    table = Table(
        f"bench_raw_{int(time.time() * 1000)}",
        meta,
        Column("characteristic_id", Integer),
        Column("value", Float),
        Column("source_ts", DateTime(timezone=True)),
        Column("source_id", String(120)),
        Column("seq", Integer),
    )
    meta.create_all(db.engine)
    start = time.perf_counter()
    for batch in batches:
        rows = [dict(r, source_ts=dt.datetime.fromisoformat(r["source_ts"])) for r in batch]
        with db.engine.begin() as conn:
            conn.execute(insert(table), rows)
    return time.perf_counter() - start


def run(
    db: Database, label: str, n_batches: int = 20, size: int = 1000, repeats: int = 3
) -> tuple[Row, dict[str, float]]:
    ids, token = _prepare(db)
    q_times, b_times, lat_all, alarms = [], [], [], 0
    url = db.url.render_as_string(hide_password=False)
    with _server(url) as base, httpx.Client(base_url=base, timeout=120) as client:
        # One untimed batch first, as a running server has served: every reading on its
        # centre line, so that it raises no alarm (the timed batches raise them).
        warm = _batches(ids, 1, size, seed=99)
        for row in warm[0]:
            row["value"] = 10.0
        _qualitas(client, token, warm)
        for rep in range(repeats):
            batches = _batches(ids, n_batches, size, seed=rep)
            q, lat, a = _qualitas(client, token, batches)
            q_times.append(q)
            lat_all += lat
            alarms += a
            b_times.append(_baseline(db, _batches(ids, n_batches, size, seed=100 + rep)))
    readings = n_batches * size
    row = Row(
        "streaming",
        f"{label}: {readings:,} readings in batches of {size}, 50 charts",
        "POST /api/measurements (validate, store, chart, rules, alarms)",
        readings / statistics.median(q_times),
        "Core executemany, bare table",
        readings / statistics.median(b_times),
        "readings/s",
    )
    ms = sorted(x * 1000 for x in lat_all)
    extra = {
        "p50_ms": ms[len(ms) // 2],
        "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))],
        "alarms": alarms,
        "batch": size,
    }
    return row, extra
