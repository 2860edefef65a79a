"""Loads a simulated world into a migrated database: nodes, minimal events, edges.

Rows are generated from the world's records chunk by chunk (units and their edges per serialised
lot, from numpy ranges) and written with ``qualitas.measure.storage.insert_rows`` (SQLite
``executemany``, PostgreSQL ``COPY``), one transaction per chunk, so a 10M-edge world never holds
more than one chunk of rows in memory. Node and event ids are written explicitly (generator id +
the table's current largest id) so that edges can name them without a lookup; PostgreSQL's
sequences are moved past them afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import inspect, text

from qualitas.db import Database
from qualitas.measure.storage import insert_rows
from qualitas.trace.store import EDGE_COLUMNS, NODE_COLUMNS

from . import gs1
from .world import (
    COMMISSION,
    CONTAIN,
    EVENT_KINDS,
    HOUR,
    KIND_NAMES,
    SHIP,
    World,
)

NODE_ROW = ("id", *NODE_COLUMNS)
EVENT_ROW = ("id", "hash_id", "event_id", "type", "action", "event_time", "tz_offset",
             "record_time", "biz_step", "origin", "site_id", "body")  # fmt: skip
CHUNK = 100_000


@dataclass
class LoadStats:
    """Rows written per table and the wall time of each part of the load."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    node_base: int = 0
    event_base: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def rate(self, table: str | None = None) -> float:
        if table is None:
            return self.total_rows / self.total_seconds
        return self.rows[table] / self.seconds[table]


class Loader:
    """Writes one world into one database (see the module docstring)."""

    def __init__(self, w: World, db: Database, chunk: int = CHUNK,
                 progress: Callable[[str], None] | None = None) -> None:  # fmt: skip
        self.w, self.db, self.chunk = w, db, chunk
        self.progress = progress or (lambda _msg: None)
        self.stats = LoadStats()
        with db.unit_of_work() as s:
            self.nb = int(s.execute(text("SELECT COALESCE(MAX(id), 0) FROM trace_node")).scalar())
            self.eb = int(s.execute(text("SELECT COALESCE(MAX(id), 0) FROM trace_event")).scalar())
        self.stats.node_base, self.stats.event_base = self.nb, self.eb
        columns = {c["name"] for c in inspect(db.engine).get_columns("trace_event")}
        self.declaration = "declaration" in columns  # the error-declaration flag, if any

    def run(self) -> LoadStats:
        self._write("trace_node", NODE_ROW, self._nodes())
        events = EVENT_ROW + (("declaration",) if self.declaration else ())
        self._write("trace_event", events, self._events(), timestamps=(5, 7))
        self._write("trace_edge", EDGE_COLUMNS, self._edges())
        started = time.perf_counter()
        self._finish()
        self.stats.seconds["analyze"] = time.perf_counter() - started
        self.stats.rows["analyze"] = 0
        return self.stats

    def _write(self, table: str, columns: tuple[str, ...], rows: Iterator[Any],
               timestamps: tuple[int, ...] = ()) -> None:  # fmt: skip
        started, count, batch = time.perf_counter(), 0, []
        for r in rows:
            batch.append(r)
            if len(batch) >= self.chunk:
                count += self._flush(table, columns, batch, timestamps)
                batch = []
        count += self._flush(table, columns, batch, timestamps)
        self.stats.rows[table] = count
        self.stats.seconds[table] = time.perf_counter() - started
        self.progress(f"{table}: {count:,} rows in {self.stats.seconds[table]:.1f} s")

    def _flush(self, table: str, columns: tuple[str, ...], rows: list[Any],
               timestamps: tuple[int, ...]) -> int:  # fmt: skip
        if rows:
            with self.db.unit_of_work() as s:
                insert_rows(s, table, columns, rows, timestamps)
        return len(rows)

    def _finish(self) -> None:
        with self.db.unit_of_work() as s:
            if self.db.is_sqlite:
                s.execute(text("PRAGMA analysis_limit=1000"))
                s.execute(text("ANALYZE"))
                return
            for table in ("trace_node", "trace_event"):
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT MAX(id) FROM {table}))"))  # fmt: skip
        with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE trace_node, trace_event, trace_edge"))

    # -- rows -------------------------------------------------------------------------------
    def _nodes(self) -> Iterator[list[Any]]:
        w, nb = self.w, self.nb
        for i, (kind, key, meta) in enumerate(zip(w.kind, w.key, w.meta, strict=True)):
            label, product, lot, site, supplier, customer, first = meta
            yield [nb + i + 1, key, KIND_NAMES[kind], label, product, lot, None, site, None,
                   supplier, customer, first]  # fmt: skip
        bl = w.blocks
        for b in range(len(bl["lot"])):
            gtin = w.materials[int(bl["material"][b])].gtin
            site, t_c = int(bl["site"][b]), int(bl["t"][b])
            first = int(bl["unit0"][b])
            ids = nb + w.unit_base + first + 1
            for k in range(int(bl["n"][b])):
                serial = f"{first + k:010d}"
                yield [ids + k, gs1.unit_key(gtin, serial), "unit", serial, gtin, None, serial,
                       site, None, None, None, t_c]  # fmt: skip

    def _events(self) -> Iterator[list[Any]]:
        w, eb, seed = self.w, self.eb, f"{self.w.preset.name}/{self.w.preset.seed}"
        for i, (kind, t, site) in enumerate(zip(w.ev_kind, w.ev_time, w.ev_site, strict=True)):
            etype, action, step = EVENT_KINDS[kind]
            digest = hashlib.sha256(f"qualitas-bench/{seed}/{i}".encode()).digest()
            when = dt.datetime.fromtimestamp(t / 1000, dt.UTC)
            late = 2 * 24 * HOUR if digest[0] < 3 else 5 * 60_000  # ~1 % recorded days late
            body = {"type": etype, "eventTime": when.isoformat().replace("+00:00", "Z"),
                    "bizStep": step, "generator": {"seed": seed, "event": i}}  # fmt: skip
            if kind == 5:  # rework re-enters under a hold
                body["persistentDisposition"] = {"set": ["non_conformant"]}
            row = [eb + i + 1, f"ni:///sha-256;{digest.hex()}?ver=CBV2.0",
                   f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}", etype, action, when,
                   "+00:00", when + dt.timedelta(milliseconds=late), step, "native", site,
                   json.dumps(body, separators=(",", ":"))]  # fmt: skip
            yield [*row, False] if self.declaration else row

    def _edges(self) -> Iterator[tuple[Any, ...]]:
        w = self.w
        n, e = self.nb + 1, self.eb + 1  # generator id 0 is database id base + 1
        for src, dst, kind, at, until, ev, sq, dq, uom in w.lineage:
            yield (src + n, dst + n, kind, at, until, ev + e, sq, dq, uom)
        yield from self._unit_edges(n, e)
        pl = w.placements
        for case, box, t_on, t_off, ev in zip(pl["case"].tolist(), pl["container"].tolist(),
                                              pl["t_on"].tolist(), pl["t_off"].tolist(),
                                              pl["event"].tolist(), strict=True):  # fmt: skip
            yield (case + n, box + n, CONTAIN, t_on, None if t_off < 0 else t_off, ev + e,
                   None, None, None)  # fmt: skip
        sh = w.ships
        cols = (sh["container"], sh["dest"], sh["t"], sh["event"])
        for box, dest, t, ev in zip(*(c.tolist() for c in cols), strict=True):
            yield (box + n, dest + n, SHIP, t, None, ev + e, None, None, None)

    def _unit_edges(self, n: int, e: int) -> Iterator[tuple[Any, ...]]:
        """Commissioning (lot -> unit) and packing (unit -> case, unit -> mixed case)."""
        w = self.w
        bl, cs, pk = w.blocks, w.cases, w.picks
        base = n + w.unit_base
        until = dict(zip(pk["unit"].tolist(), pk["t_pick"].tolist(), strict=True))
        for lot, first, count, t_c, ev in zip(bl["lot"].tolist(), bl["unit0"].tolist(),
                                              bl["n"].tolist(), bl["t"].tolist(),
                                              bl["event"].tolist(), strict=True):  # fmt: skip
            src = lot + n
            for u in range(base + first, base + first + count):
                yield (src, u, COMMISSION, t_c, None, ev + e, None, 1.0, "EA")
        for case, first, count, t_pack, ev in zip(cs["case"].tolist(), cs["unit0"].tolist(),
                                                  cs["n"].tolist(), cs["t"].tolist(),
                                                  cs["event"].tolist(), strict=True):  # fmt: skip
            for u in range(first, first + count):
                yield (u + base, case + n, CONTAIN, t_pack, until.get(u), ev + e, None, None,
                       None)  # fmt: skip
        cols = (pk["unit"], pk["container"], pk["t_in"], pk["event"])
        for u, box, t_in, ev in zip(*(c.tolist() for c in cols), strict=True):
            yield (u + base, box + n, CONTAIN, t_in, None, ev + e, None, None, None)


def load(w: World, db: Database, *, chunk: int = CHUNK,
         progress: Callable[[str], None] | None = None) -> LoadStats:  # fmt: skip
    """Write ``w`` into ``db`` (migrated); returns rows and seconds per table."""
    return Loader(w, db, chunk, progress).run()


def db_ids(w: World, stats: LoadStats) -> Callable[[np.ndarray], np.ndarray]:
    """Maps generator node ids to database ids for a world loaded with ``stats``."""
    offset = stats.node_base + 1
    return lambda ids: np.asarray(ids, dtype=np.int64) + offset
