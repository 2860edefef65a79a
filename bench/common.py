"""Shared helpers: timing, throw-away databases and result rows.

Every benchmark measures Qualitas and a baseline side by side, in the same run and on the same
data, and reports the ratio. Times come from ``time.perf_counter``; each figure is the median
of several repeats, Qualitas and baseline alternating.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qualitas import migrate
from qualitas.db import Database

PG_URL = os.environ.get("QUALITAS_BENCH_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Row:
    """One line of the results table: Qualitas vs its baseline on the same work."""

    bench: str
    work: str
    qualitas_label: str
    qualitas_rate: float
    baseline_label: str
    baseline_rate: float
    unit: str

    @property
    def ratio(self) -> float:
        """How many times slower Qualitas is than the baseline (baseline rate / Qualitas rate)."""
        return self.baseline_rate / self.qualitas_rate


def timed(fn: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    """Wall time of one call of ``fn``; ``setup`` runs untimed before it."""
    if setup is not None:
        setup()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(
    qualitas: Callable[[], object],
    baseline: Callable[[], object],
    repeats: int,
    setup_q: Callable[[], object] | None = None,
    setup_b: Callable[[], object] | None = None,
) -> tuple[float, float]:
    """Median times of ``qualitas`` and ``baseline``, run alternately so both see the same load."""
    t_q, t_b = [], []
    for _ in range(repeats):
        t_q.append(timed(qualitas, setup_q))
        t_b.append(timed(baseline, setup_b))
    return statistics.median(t_q), statistics.median(t_b)


@contextmanager
def sqlite_database() -> Iterator[Database]:
    """A migrated SQLite file database (WAL) in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="qualitas-bench-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate.upgrade(db)
        try:
            yield db
        finally:
            db.dispose()


def postgres_available() -> str | None:
    """None if the PostgreSQL server answers, else the reason it does not."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"


@contextmanager
def postgres_database() -> Iterator[Database]:
    """A migrated, freshly created PostgreSQL database, dropped afterwards."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"qualitas_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    try:
        migrate.upgrade(db)
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
