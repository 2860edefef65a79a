"""Deterministic synthetic lot/serial genealogy with its ground truth.

    .venv/bin/python bench/trace/generator.py --preset tiny                 # sizes only
    .venv/bin/python bench/trace/generator.py --preset S --sqlite /tmp/s.db --truth /tmp/s.npz
    .venv/bin/python bench/trace/generator.py --preset S --url postgresql+psycopg://...

The world is simulated from the preset's seed (``random.Random``; same seed, same data):
suppliers whose lots are relabelled into internal lots at receipt, plants x lines x days with
``batches_per_day`` batches a line, BOM depth 2-6, lognormal fan-in, silo commingling by FIFO
window, lot splits and merges, co-products, rework re-entering the same lot, cross-plant
transfers (some relabelled), lot-only shipments, serialisation of about half the finished
batches, packing into cases and pallets, distribution centres that break pallets down and pick
units out of cases, multi-drop deliveries to customers' ship-to parties. See ``world.py`` for the
presets, ``simulate.py`` (lots), ``packing.py`` (units and containers), ``writer.py`` (the
database load), ``truth.py`` and ``groundtruth.py`` (exact closures).

Sizes (seeded, as generated): ``tiny`` about 700 edges (tests); ``S`` about 0.8M edges (2 plants
x 3 lines x 60 days); ``M`` about 10M edges (5 x 4 x 250). ``L`` (20 x 5 x 365: about 110,000
batches, 40M units, 80M edges, 5-8 GB in PostgreSQL) is described, not generated: it would be
streamed to Parquet and loaded offline.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the package from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.trace.groundtruth import GroundTruth, ground_truth
from bench.trace.packing import pack
from bench.trace.simulate import Simulation
from bench.trace.world import PRESETS, Preset, World
from bench.trace.writer import LoadStats, load

__all__ = ["PRESETS", "GroundTruth", "LoadStats", "Preset", "World", "generate", "ground_truth",
           "load"]  # fmt: skip


def generate(preset: str | Preset) -> World:
    """Simulate the world of ``preset`` (a name of ``PRESETS`` or a ``Preset``)."""
    p = PRESETS[preset] if isinstance(preset, str) else preset
    w = Simulation(p).run()
    pack(w)
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="tiny", choices=sorted(PRESETS))
    parser.add_argument("--sqlite", type=Path, help="create and load this SQLite file")
    parser.add_argument("--url", help="load into this migrated database URL")
    parser.add_argument("--truth", type=Path, help="write the ground truth (.npz) here")
    args = parser.parse_args()
    started = time.perf_counter()
    w = generate(args.preset)
    print(f"simulated {args.preset} in {time.perf_counter() - started:.1f} s")
    for k, v in {**w.summary(), "edges": w.edge_count()}.items():
        print(f"  {k}: {v:,}")
    url = f"sqlite:///{args.sqlite}" if args.sqlite else args.url
    base = 0
    if url:
        from qualitas import migrate
        from qualitas.db import Database

        db = Database(url)
        migrate.upgrade(db)
        stats = load(w, db, progress=lambda m: print("  " + m, flush=True))
        base = stats.node_base + 1
        print(f"loaded {stats.total_rows:,} rows in {stats.total_seconds:.1f} s "
              f"({stats.rate():,.0f} rows/s)")  # fmt: skip
        db.dispose()
    if args.truth:
        started = time.perf_counter()
        gt = ground_truth(w)
        gt.id_base = base
        gt.save(args.truth)
        print(f"ground truth: {len(gt.samples)} start points in "
              f"{time.perf_counter() - started:.1f} s -> {args.truth}")  # fmt: skip


if __name__ == "__main__":
    main()
