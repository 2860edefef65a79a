"""Traceability benchmark: the genealogy engine vs an ORM per-node walk and networkx, on SQLite
and PostgreSQL, on one generated genealogy, scored against its ground truth.

    .venv/bin/python bench/trace/run.py --preset S            # ~10 minutes on 2 cores
    .venv/bin/python bench/trace/run.py --preset M            # ~10M edges; about an hour
    .venv/bin/python bench/trace/run.py --preset S --no-postgres --out -

Writes the trace section of bench/RESULTS.md (between the trace markers; the rest of the file is
kept). ``bench/run.py --trace-preset S`` runs this too. Steps: generate the world and its ground
truth; per backend, load it (bulk insert, rows/s), time Q1 (backward from serials, cold and
warm), Q2 (forward from the raw lot whose closure is the smallest above 100,000 units, and from
the largest), Q3 (where-used of a supplier lot across plants), Q7 (what was on a container at
time t), run the capped ORM walk on the same start points, and score the engine on every sampled
start point; on the SQLite database also load the graph into networkx and time its BFS.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import platform
import resource
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: import the package from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.common import PG_URL, Row, postgres_available, postgres_database, sqlite_database
from bench.trace import defects, report
from bench.trace.baselines import load_graph, status
from bench.trace.generator import generate
from bench.trace.groundtruth import GroundTruth, ground_truth
from bench.trace.queries import Settings, nx_accuracy, nx_times, run_backend
from bench.trace.report import NxResult, Run
from bench.trace.writer import load
from sqlalchemy import create_engine, text

from qualitas.db import Database

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
GOALS_MS = {"q1": 100.0, "q2": 1000.0}


def step(label: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] trace: {label}", file=sys.stderr, flush=True)


def machine(postgres: bool) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pg = "not measured"
    if postgres:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            pg = str(conn.execute(text("SHOW server_version")).scalar())
        engine.dispose()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{len(os.sched_getaffinity(0))} CPU cores ({cpu}), Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}; "
            f"load average at start {load}")  # fmt: skip


def run(preset: str, postgres: bool, cfg: Settings, networkx: bool, command: str) -> Run:
    """Generate, load and measure (see the module docstring)."""
    started = time.perf_counter()
    step(f"generating preset {preset}")
    w = generate(preset)
    generate_s = time.perf_counter() - started
    step(f"generated {w.nodes:,} nodes, {w.edge_count():,} edges in {generate_s:.0f} s; "
         "ground truth")  # fmt: skip
    t = time.perf_counter()
    gt = ground_truth(w)
    truth_s = time.perf_counter() - t
    gc.collect()
    gc.freeze()  # the benchmark's own data (world, truth) stays out of every timed collection
    backends: list[tuple[str, Callable]] = [("SQLite", sqlite_database)]
    if postgres:
        backends.append(("PostgreSQL", postgres_database))
    loads, results, nx = {}, [], None
    for name, database in backends:
        with database() as db:
            step(f"loading into {name}")
            loads[name] = load(w, db, progress=lambda m, n=name: step(f"{n}: {m}"))
            gt.id_base = loads[name].node_base + 1
            results.append(run_backend(name, db, gt, cfg, step))
            if networkx and nx is None:
                nx = _networkx(db, gt, cfg)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return Run(w, gt, loads, results, nx, command, machine(postgres),
               time.perf_counter() - started, generate_s, truth_s, peak)  # fmt: skip


def _networkx(db: Database, gt: GroundTruth, cfg: Settings) -> NxResult:
    """networkx in a child process, so that its peak resident set is the graph's own."""
    step("networkx: loading the edge table into a DiGraph (child process)")
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    url = db.url.render_as_string(hide_password=False)
    child = ctx.Process(target=_nx_child, args=(url, gt, cfg, send))
    child.start()
    out: NxResult = receive.recv()
    child.join()
    return out


def _nx_child(url: str, gt: GroundTruth, cfg: Settings, send: Any) -> None:
    out = NxResult()
    db = Database(url)
    gc.collect()
    before = status("VmRSS")
    with db.session(write=False) as s:
        t = time.perf_counter()
        g = load_graph(s)
        out.load_s = time.perf_counter() - t
    out.memory = status("VmHWM") - before
    db.dispose()
    gc.freeze()  # like the engine's process: the graph is not rescanned by every collection
    out.nodes, out.edges = g.number_of_nodes(), g.number_of_edges()
    step(f"networkx: {out.nodes:,} nodes loaded in {out.load_s:.1f} s; BFS")
    out.times = nx_times(g, gt, cfg.repeats, cfg.q1_serials)
    if cfg.accuracy:
        out.accuracy = nx_accuracy(g, gt)
    send.send(out)


def rows(r: Run) -> list[Row]:
    """Row-style summary: traces per second, Qualitas vs networkx BFS and the ORM walk."""
    out = []
    for b in r.backends:
        for key, work in (("q1 warm", "Q1 backward from a serial"),
                          ("q2 rows", "Q2 forward to 100k+ units (full answer)"),
                          ("q3 rows", "Q3 where-used of a supplier lot"),
                          ("q7", "Q7 container contents at t")):  # fmt: skip
            mine = b.times.get(key)
            if mine is None or not mine.seconds:
                continue
            q = 1000 / mine.p50
            if r.nx and (nx := r.nx.times.get(key.replace(" rows", ""))) and nx.seconds:
                out.append(Row("trace", work, f"Qualitas {b.name}", q,
                               "networkx BFS (in memory)", 1000 / nx.p50, "traces/s"))  # fmt: skip
            orm = b.orm.get(key.split()[0])
            if orm:
                est = sorted(o.extrapolated(b.orm_total[key.split()[0]]) for o in orm)
                out.append(Row("trace", work, f"Qualitas {b.name}", q, "ORM per-node walk",
                               1 / est[len(est) // 2], "traces/s"))  # fmt: skip
    return out


def findings(r: Run) -> list[str]:
    lines = []
    for b in r.backends:
        q1, q2 = b.times.get("q1 warm"), b.times.get("q2 rows")
        for key, t, label in (("q1", q1, "Q1 p95"), ("q2", q2, "Q2 (full answer) p50")):
            if t is None or not t.seconds:
                continue
            value = t.p95 if key == "q1" else t.p50
            verdict = "met" if value < GOALS_MS[key] else "**not met**"
            lines.append(f"- {b.name}: {label} {value:,.0f} ms against the hypothesis "
                         f"< {GOALS_MS[key]:,.0f} ms: {verdict}.")  # fmt: skip
        bad = {k: s for k, s in b.accuracy.items() if k[0] != "ship-to" and (s.fn or s.fp)}
        if b.accuracy:
            lines.append(
                f"- {b.name}: on every required category the engine's closures "
                + ("equal the ground truth (recall 1.0, no over-inclusion)." if not bad else
                   f"differ from the ground truth in {sorted(bad)}.")
                + f" Scoring all {len(r.truth.samples):,} start points took "
                f"{b.accuracy_seconds:,.0f} s."
            )  # fmt: skip
        if (ship := b.accuracy.get(("ship-to", "backward"))) and ship.fp:
            lines.append(
                f"- {b.name}: backward from a ship-to party (what a customer received) "
                f"over-includes: precision {ship.precision:.3f}, {ship.fp:,} nodes that had "
                "left their container before it was delivered (first finding below)."
            )
    lines += ["", "Engine defects, each shown on a minimal genealogy run through the pure "
              "engine in this run (the generator never produces the last two patterns, so they "
              "do not affect the scores above):", "", *defects.findings()]  # fmt: skip
    return lines


def section(r: Run) -> str:
    q3 = ""
    if r.backends and r.backends[0].groups:
        g = r.backends[0].groups
        q3 = (
            f"{g['hits']:,} hits over {g['plants']} plants, {g['products']} products, "
            f"{g['customers']} customers ({g['ship-tos']} ship-tos), {g['units']:,} units"
        )
    return report.section(r, findings(r), {"q3": q3})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="S", choices=["tiny", "S", "M"])
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--no-accuracy", action="store_true", help="skip scoring every sample")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of Q2 and Q3")
    parser.add_argument("--serials", type=int, default=60, help="serials timed for Q1")
    parser.add_argument("--orm-cap", type=float, default=60.0, help="seconds per ORM walk")
    parser.add_argument("--out", default=str(RESULTS), help="RESULTS.md to update, or -")
    args = parser.parse_args()
    postgres = not args.no_postgres
    if postgres and (problem := postgres_available()):
        step(f"PostgreSQL skipped: {problem}")
        postgres = False
    cfg = Settings(args.serials, args.repeats, args.orm_cap, accuracy=not args.no_accuracy)
    command = " ".join([".venv/bin/python bench/trace/run.py", *sys.argv[1:]])
    result = run(args.preset, postgres, cfg, not args.no_networkx, command)
    block = section(result)
    for row in rows(result):
        print(f"{row.work}: {row.qualitas_label} {row.qualitas_rate:,.1f} vs "
              f"{row.baseline_label} {row.baseline_rate:,.2f} {row.unit} "
              f"(ratio {row.ratio:.3f})", file=sys.stderr)  # fmt: skip
    if args.out == "-":
        print(block)
        return
    out = Path(args.out)
    out.write_text(report.splice(out.read_text() if out.exists() else "", block))
    print(block)


if __name__ == "__main__":
    main()
