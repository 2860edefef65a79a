"""The timed traceability queries (Q1, Q2, Q3, Q7) on one loaded database: engine, ORM walk.

Every engine figure is the genealogy walk (``qualitas.trace.genealogy.walk`` over
``SqlEdgeSource``) plus, where said, the node rows of every hit (``store.node_rows``: key, kind,
label, product, lot, serial, site), which is what a trace answer shows. *Cold* runs on a new
database connection (SQLite: empty page cache of that connection; PostgreSQL: a new backend
process), the operating system's file cache is not dropped; *warm* repeats on the same
connection.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from qualitas.db import Database
from qualitas.trace.genealogy import Walk, walk
from qualitas.trace.store import SqlEdgeSource, node_rows

from .accuracy import Score, reached, score_engine
from .baselines import OrmWalk, heap_peak, orm_walk
from .groundtruth import NO_TIME, GroundTruth, Sample
from .world import TRANSFORMATION


@dataclass
class Times:
    """Seconds of repeated runs of one query; p50/p95 in milliseconds."""

    seconds: list[float] = field(default_factory=list)
    rows: int = 0

    def add(self, s: float) -> None:
        self.seconds.append(s)

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95(self) -> float:
        return float(np.percentile(self.seconds, 95)) * 1000


@dataclass
class Settings:
    """How much to run: serials for Q1, repeats for Q2/Q3, ORM cap and sample counts."""

    q1_serials: int = 60
    repeats: int = 5
    orm_cap_s: float = 60.0
    orm_serials: int = 10
    accuracy: bool = True


@dataclass
class BackendResult:
    """Everything measured on one backend."""

    name: str
    times: dict[str, Times] = field(default_factory=dict)
    orm: dict[str, list[OrmWalk]] = field(default_factory=dict)
    orm_total: dict[str, int] = field(default_factory=dict)  # nodes a complete walk expands
    orm_score: dict[str, Score] = field(default_factory=dict)
    accuracy: dict[tuple[str, str], Score] = field(default_factory=dict)
    accuracy_seconds: float = 0.0
    memory: dict[str, int] = field(default_factory=dict)  # peak Python heap, bytes
    groups: dict[str, int] = field(default_factory=dict)


def answer(session: Session, s: Sample, base: int, rows: bool = True) -> tuple[Walk, int]:
    """The engine's trace of ``s`` and, with ``rows``, the node rows of its hits."""
    at = None if s.at == NO_TIME else s.at
    w = walk(SqlEdgeSource(session), [s.root + base], s.direction, at=at)  # type: ignore[arg-type]
    if not rows:
        return w, len(w.reached) - 1
    hits = node_rows(session, [n for n in w.reached if n not in w.roots])
    return w, len(hits)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


def _fresh(db: Database) -> Session:
    """A session on a brand-new connection, already connected (so connecting is not timed)."""
    db.engine.dispose()
    s = db.session(write=False)
    s.execute(text("SELECT 1"))
    return s


def samples_of(gt: GroundTruth, name: str, direction: str) -> list[int]:
    return [i for i, s in enumerate(gt.samples) if s.name == name and s.direction == direction]


def run_backend(name: str, db: Database, gt: GroundTruth, cfg: Settings,
                step: Callable[[str], None]) -> BackendResult:  # fmt: skip
    """Q1, Q2, Q3, Q7, the ORM baseline and the engine's accuracy on one database."""
    r = BackendResult(name)
    base = gt.id_base
    serials = samples_of(gt, "unit", "backward")[: cfg.q1_serials]
    step(f"{name}: Q1 backward from {len(serials)} serials, cold and warm")
    cold, warm = r.times.setdefault("q1 cold", Times()), r.times.setdefault("q1 warm", Times())
    for i in serials:
        with _fresh(db) as s:
            (_, n), sec = _timed(lambda s=s, i=i: answer(s, gt.samples[i], base))
            cold.add(sec)
            (_, n), sec = _timed(lambda s=s, i=i: answer(s, gt.samples[i], base))
            warm.add(sec)
            warm.rows = max(warm.rows, n)
    cold.rows = warm.rows
    for tag, key in (("q2 raw lot", "q2"), ("largest raw lot", "q2 largest"),
                     ("q3 supplier lot", "q3")):  # fmt: skip
        if tag in gt.named:
            _repeat(r, key, db, gt.samples[gt.named[tag]], base, cfg, step)
    if "q3 supplier lot" in gt.named:
        with db.session(write=False) as s:
            r.groups = where_used(s, gt.samples[gt.named["q3 supplier lot"]], base)
    q7 = samples_of(gt, "container at t", "backward")
    step(f"{name}: Q7 what was on a container at t, {len(q7)} containers")
    with db.session(write=False) as s:
        t7 = r.times.setdefault("q7", Times())
        for i in q7:
            (_, n), sec = _timed(lambda i=i: answer(s, gt.samples[i], base))
            t7.add(sec)
            t7.rows = max(t7.rows, n)
    _orm(r, db, gt, cfg, step)
    if cfg.accuracy:
        step(f"{name}: accuracy of the engine on {len(gt.samples)} start points")
        with db.session(write=False) as s:
            r.accuracy, r.accuracy_seconds = _timed(lambda: score_engine(s, gt))
    return r


def _repeat(r: BackendResult, key: str, db: Database, s: Sample, base: int, cfg: Settings,
            step: Callable[[str], None]) -> None:  # fmt: skip
    step(f"{r.name}: {key}: forward from {s.tag} ({s.units:,} units), {cfg.repeats} repeats")
    closure, full = r.times.setdefault(key, Times()), r.times.setdefault(key + " rows", Times())
    cold = r.times.setdefault(key + " cold", Times())
    with _fresh(db) as session:
        (_, n), sec = _timed(lambda: answer(session, s, base))
        cold.add(sec)
        for _ in range(cfg.repeats):
            (w, _), sec = _timed(lambda: answer(session, s, base, rows=False))
            closure.add(sec)
            hits = [x for x in w.reached if x not in w.roots]
            _, sec2 = _timed(lambda hits=hits: node_rows(session, hits))
            full.add(sec + sec2)
        closure.rows = full.rows = cold.rows = n
        if key == "q2":
            _, r.memory["engine q2"] = heap_peak(lambda: answer(session, s, base))


def where_used(session: Session, s: Sample, base: int) -> dict[str, int]:
    """Q3's answer shape: the hits grouped by plant, by product and by customer."""
    w, _ = answer(session, s, base, rows=False)
    rows = node_rows(session, [n for n in w.reached if n not in w.roots])
    plants = Counter(r[6] for r in rows.values() if r[6] is not None and r[1] == "lot")
    products = Counter(r[3] for r in rows.values() if r[3] is not None)
    customers = Counter(r[2][:7] for r in rows.values() if r[1] == "customer")
    units = sum(1 for r in rows.values() if r[1] == "unit")
    return {"plants": len(plants), "products": len(products), "customers": len(customers),
            "ship-tos": sum(customers.values()), "units": units, "hits": len(rows)}  # fmt: skip


def _orm(r: BackendResult, db: Database, gt: GroundTruth, cfg: Settings,
         step: Callable[[str], None]) -> None:  # fmt: skip
    """The ORM per-node walk on Q1 (a few serials), Q2, Q3 and Q7 (a few containers)."""
    base = gt.id_base
    picks = {
        "q1": samples_of(gt, "unit", "backward")[: cfg.orm_serials],
        "q7": samples_of(gt, "container at t", "backward")[: cfg.orm_serials],
        "q2": [gt.named["q2 raw lot"]] if "q2 raw lot" in gt.named else [],
        "q3": [gt.named["q3 supplier lot"]] if "q3 supplier lot" in gt.named else [],
    }
    for key, idx in picks.items():
        step(f"{r.name}: ORM per-node walk, {key} ({len(idx)} start points, "
             f"cap {cfg.orm_cap_s:.0f} s)")  # fmt: skip
        score = r.orm_score.setdefault(key, Score())
        for i in idx:
            s = gt.samples[i]
            with db.session(write=False) as session:
                o = orm_walk(session, s.root + base, s.direction, cfg.orm_cap_s)
                full = walk(SqlEdgeSource(session), [s.root + base], s.direction,  # type: ignore[arg-type]
                            time_respecting=False)  # fmt: skip
            r.orm.setdefault(key, []).append(o)
            r.orm_total[key] = max(r.orm_total.get(key, 0), len(full.reached))
            if o.complete:
                got = np.asarray(sorted(o.reached), dtype=np.int64) - base
                got = got[(gt.kinds[got] != TRANSFORMATION) & (got != s.root)]
                score.add(i, s.exact, got)
        if key == "q2" and idx:
            s = gt.samples[idx[0]]
            with db.session(write=False) as session:  # memory, untimed, until a shorter cap
                o, peak = heap_peak(lambda s=s, session=session: orm_walk(
                    session, s.root + base, s.direction, min(cfg.orm_cap_s, 20.0)))  # fmt: skip
            r.memory["orm q2"] = peak
            r.memory["orm q2 nodes"] = len(o.reached)


def nx_times(g: Any, gt: GroundTruth, reps: int, serials: int) -> dict[str, Times]:
    """networkx BFS times on the same start points as the engine's queries."""
    from .baselines import nx_reach

    base = gt.id_base
    out: dict[str, Times] = {}
    jobs = {
        "q1 warm": samples_of(gt, "unit", "backward")[:serials],
        "q7": samples_of(gt, "container at t", "backward"),
        "q2": [gt.named["q2 raw lot"]] * reps if "q2 raw lot" in gt.named else [],
        "q2 largest": [gt.named["largest raw lot"]] * reps,
        "q3": [gt.named["q3 supplier lot"]] * reps if "q3 supplier lot" in gt.named else [],
    }
    for key, idx in jobs.items():
        t = out.setdefault(key, Times())
        for i in idx:
            s = gt.samples[i]
            got, sec = _timed(lambda s=s: nx_reach(g, s.root + base, s.direction))
            t.add(sec)
            t.rows = max(t.rows, len(got))
    return out


def nx_accuracy(g: Any, gt: GroundTruth) -> dict[tuple[str, str], Score]:
    """Plain reachability (networkx) vs the time-respecting ground truth, per category."""
    from .baselines import nx_reach

    base = gt.id_base
    out: dict[tuple[str, str], Score] = {}
    for i, s in enumerate(gt.samples):
        got = np.fromiter(nx_reach(g, s.root + base, s.direction), dtype=np.int64) - base
        got = np.unique(got[gt.kinds[got] != TRANSFORMATION])
        out.setdefault((s.name, s.direction), Score()).add(i, s.exact, got)
    return out


__all__ = ["BackendResult", "Settings", "Times", "nx_accuracy", "nx_times", "reached",
           "run_backend"]  # fmt: skip
