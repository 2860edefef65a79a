"""Baselines the genealogy engine is timed against, on the same database.

- **ORM per-level walk**, the way Odoo (``stock.traceability.report``) and ERPNext's batch
  traceability walk: per node, one ``select(Edge).where(Edge.src == node)`` through the SQLAlchemy
  ORM (ORM objects, identity map), level by level, no time rules. It has a wall-clock cap; a
  capped walk reports how far it got and an extrapolated time (marked as such).
- **networkx**: the whole edge table loaded into a ``DiGraph`` (load time and memory reported
  apart), then ``nx.descendants`` / ``nx.ancestors``: plain reachability, which over-includes.

Memory: the engine and the ORM walk are measured by the peak of the Python heap during one call
(``tracemalloc``, in a separate untimed run); networkx by the growth of the peak resident set of a
child process that loads the graph (Linux ``VmHWM``), since a graph of millions of nodes is what a
process would have to hold.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.trace.models import Edge
from qualitas.trace.store import driver

T = TypeVar("T")


def status(field: str) -> int:
    """A ``/proc/self/status`` size (``VmRSS``, ``VmHWM``) in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def heap_peak(fn: Callable[[], T]) -> tuple[T, int]:
    """``fn()`` and the peak of the Python heap above its level at the start (bytes)."""
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        out = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak - start


@dataclass
class OrmWalk:
    """How far an ORM per-node walk got: nodes found, queries issued, and whether it finished."""

    reached: set[int]
    queries: int
    levels: int
    seconds: float
    complete: bool

    def extrapolated(self, total_nodes: int) -> float:
        """Seconds for the whole walk at the rate seen (one query per reached node)."""
        if self.complete or not self.queries:
            return self.seconds
        return self.seconds * total_nodes / self.queries


def orm_walk(session: Session, root: int, direction: str, cap_s: float = 60.0) -> OrmWalk:
    """Per level, one ORM query per node (no time rules), until done or ``cap_s`` seconds."""
    forward = direction == "forward"
    column = Edge.src if forward else Edge.dst
    seen, frontier = {root}, [root]
    queries = levels = 0
    started = time.perf_counter()
    while frontier:
        nxt = []
        for node in frontier:
            if time.perf_counter() - started > cap_s:
                return OrmWalk(seen, queries, levels, time.perf_counter() - started, False)
            for edge in session.scalars(select(Edge).where(column == node)):
                other = edge.dst if forward else edge.src
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
            queries += 1
        frontier = nxt
        levels += 1
    return OrmWalk(seen, queries, levels, time.perf_counter() - started, True)


def load_graph(session: Session, batch: int = 200_000) -> nx.DiGraph:
    """The whole ``trace_edge`` table as a networkx ``DiGraph`` (streamed through the driver)."""
    g: nx.DiGraph = nx.DiGraph()
    cur: Any = driver(session).cursor()
    try:
        cur.execute("SELECT src, dst FROM trace_edge")
        while rows := cur.fetchmany(batch):
            g.add_edges_from(rows)
    finally:
        cur.close()
    return g


def nx_reach(g: nx.DiGraph, root: int, direction: str) -> set[int]:
    """Plain reachability from ``root`` (``nx.descendants`` forward, ``nx.ancestors`` back)."""
    if root not in g:
        return set()
    return nx.descendants(g, root) if direction == "forward" else nx.ancestors(g, root)
