"""Genealogy: time-respecting walks over the lineage graph (pure; no database, no I/O).

The graph is given by an :class:`EdgeSource` that returns, for a whole frontier of nodes at once,
the edges leaving (forward) or entering (backward) them, so a trace costs one query per level
whatever the fan-out. Edges are plain tuples ``(src, dst, kind, at_ms, until_ms, event, src_qty,
dst_qty, uom)`` straight from the store.

Semantics
- **Forward** (where did it go): from a node reached at time ``arr``, an edge is followed only when
  it happened at or after ``arr``: material cannot leave before it arrived. Containment edges
  (packing, association) are valid from ``at`` until ``until`` (unpacked): a unit in a case goes
  where the case goes only while it is in the case, so the walk carries that bound.
- **Backward** (where did it come from): from a node needed at time ``dep``, an edge is followed
  only when it happened at or before ``dep``; a container's contents are those whose containment
  interval overlaps the interval the container is traced for.
- A node is expanded again only when reached under a strictly better time bound, so rework loops
  and repeated lot numbers terminate; every hit keeps the edge that reached it first under its best
  bound, which gives the event path that justifies it.
- ``window=(t0, t1)`` restricts the walk to edges inside the window (time-bounded trace).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final, Literal, Protocol

EdgeRow = tuple[int, int, int, int, int | None, int, float | None, float | None, str | None]
Direction = Literal["forward", "backward"]

NEVER = -(2**62)
FOREVER = 2**62

SRC: Final = 0
DST: Final = 1
KIND: Final = 2
AT: Final = 3
UNTIL: Final = 4
EVENT: Final = 5
SRC_QTY: Final = 6
DST_QTY: Final = 7
UOM: Final = 8


class Kind(IntEnum):
    """Edge kinds, as stored (mirrors ``models.EdgeKind``)."""

    TRANSFORM = 1
    CONTAIN = 2
    SHIP = 3
    RELABEL = 4
    COMMISSION = 5


class EdgeSource(Protocol):
    """Where a walk gets its edges: one call per level, for the whole frontier."""

    def outgoing(self, nodes: Sequence[int]) -> Iterable[EdgeRow]: ...

    def incoming(self, nodes: Sequence[int]) -> Iterable[EdgeRow]: ...


# A reached node: (time bound, containment bound, depth, edge that reached it or None for a root).
# Forward: (arrival, leave-before); backward: (needed-by, contained-since).
State = tuple[int, int, int, EdgeRow | None]


@dataclass
class Walk:
    """The result of a walk: every reached node with its bounds, depth and reaching edge."""

    direction: Direction
    roots: tuple[int, ...]
    reached: dict[int, State] = field(default_factory=dict)
    levels: int = 0
    edges_seen: int = 0

    def depth(self, node: int) -> int:
        return self.reached[node][2]

    def via(self, node: int) -> EdgeRow | None:
        return self.reached[node][3]

    def path(self, node: int) -> list[EdgeRow]:
        """The edges walked from a root to ``node``, root first (in either direction)."""
        steps: list[EdgeRow] = []
        pred = DST if self.direction == "backward" else SRC
        seen: set[int] = set()
        edge = self.reached[node][3]
        while edge is not None and node not in seen:
            seen.add(node)
            steps.append(edge)
            node = edge[1] if pred == DST else edge[0]
            edge = self.reached[node][3]
        steps.reverse()
        return steps

    def quantity(self, node: int) -> tuple[float | None, str | None]:
        """Quantity on the edge that reached ``node``: made or received (forward), used (back)."""
        edge = self.reached[node][3]
        if edge is None:
            return None, None
        made, used = edge[7], edge[6]
        first, second = (made, used) if self.direction == "forward" else (used, made)
        return (first if first is not None else second), edge[8]

    def nodes(self) -> Iterator[int]:
        """Reached nodes other than the roots."""
        roots = set(self.roots)
        return (n for n in self.reached if n not in roots)


def walk(
    source: EdgeSource,
    roots: Sequence[int],
    direction: Direction,
    *,
    window: tuple[int | None, int | None] = (None, None),
    time_respecting: bool = True,
    max_depth: int | None = None,
    at: int | None = None,
) -> Walk:
    """Walk the lineage graph from ``roots``; see the module docstring for the rules.

    ``at`` starts from the roots as they were at one instant: forward, what happened to them
    after it; backward, what they were made of and contained at that instant (what was on a
    pallet at time t).
    """
    lo = NEVER if window[0] is None else window[0]
    hi = FOREVER if window[1] is None else window[1]
    result = Walk(direction=direction, roots=tuple(dict.fromkeys(roots)))
    if direction == "forward":
        start: State = (lo if at is None else max(lo, at), FOREVER, 0, None)
    else:
        start = (hi, NEVER, 0, None) if at is None else (min(hi, at), at, 0, None)
    for root in result.roots:
        result.reached[root] = start
    step = _forward_step if direction == "forward" else _backward_step
    fetch = source.outgoing if direction == "forward" else source.incoming
    frontier = list(result.roots)
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        depth += 1
        edges = fetch(frontier)
        frontier = step(result.reached, edges, depth, lo, hi, time_respecting, result)
        result.levels = depth
    return result


def _forward_step(
    reached: dict[int, State],
    edges: Iterable[EdgeRow],
    depth: int,
    lo: int,
    hi: int,
    timed: bool,
    result: Walk,
) -> list[int]:
    nxt: dict[int, None] = {}
    count = 0
    for e in edges:
        count += 1
        src, dst, kind, at, until = e[0], e[1], e[2], e[3], e[4]
        if at < lo or at > hi:
            continue
        arr, lim, _, _ = reached[src]
        if timed and (at < arr or at >= lim):
            continue
        if kind == Kind.CONTAIN:
            new_lim = lim if until is None or until > lim else until
        else:
            new_lim = FOREVER
        new_arr = at if timed else NEVER
        old = reached.get(dst)
        if old is not None and old[0] <= new_arr and old[1] >= new_lim:
            continue
        if old is not None:  # merge bounds: the earliest arrival, the latest leave-before
            new_arr, new_lim = min(old[0], new_arr), max(old[1], new_lim)
            reached[dst] = (new_arr, new_lim, old[2], old[3])
        else:
            reached[dst] = (new_arr, new_lim, depth, e)
        nxt[dst] = None
    result.edges_seen += count
    return list(nxt)


def _backward_step(
    reached: dict[int, State],
    edges: Iterable[EdgeRow],
    depth: int,
    lo: int,
    hi: int,
    timed: bool,
    result: Walk,
) -> list[int]:
    nxt: dict[int, None] = {}
    count = 0
    for e in edges:
        count += 1
        src, dst, kind, at, until = e[0], e[1], e[2], e[3], e[4]
        if at < lo or at > hi:
            continue
        dep, since, _, _ = reached[dst]
        if timed and at > dep:
            continue
        if kind == Kind.CONTAIN:
            if timed and until is not None and until <= since:
                continue  # unpacked before the container was traced: not part of it
            new_dep = dep if until is None or until > dep else until
            new_since = max(since, at)
        else:
            new_dep, new_since = at, NEVER
        if not timed:
            new_dep, new_since = FOREVER, NEVER
        old = reached.get(src)
        if old is not None and old[0] >= new_dep and old[1] <= new_since:
            continue
        if old is not None:
            new_dep, new_since = max(old[0], new_dep), min(old[1], new_since)
            reached[src] = (new_dep, new_since, old[2], old[3])
        else:
            reached[src] = (new_dep, new_since, depth, e)
        nxt[src] = None
    result.edges_seen += count
    return list(nxt)
