"""Genealogy: time-respecting walks over the lineage graph (pure; no database, no I/O).

The graph is given by an :class:`EdgeSource` that returns, for a whole frontier of nodes at once,
the edges leaving (forward) or entering (backward) them, so a trace costs one query per level
whatever the fan-out. Edges are plain tuples ``(src, dst, kind, at_ms, until_ms, event, src_qty,
dst_qty, uom)`` straight from the store.

Semantics
- **Forward** (where did it go): from a node traced for the interval [arrived, left), a
  transformation, relabelling, commissioning or shipment is followed only when it happened inside
  that interval: material cannot leave before it arrived. Containment (packing, association) is an
  interval itself, from ``at`` until ``until`` (unpacked): it is followed when it overlaps the
  node's interval, so a unit goes where its case goes only while it is in the case, including a
  unit topped up into a case already on a pallet.
- **Backward** (where did it come from): a node left (was consumed, shipped) at an instant and is
  traced as it was then; a container's contents are those whose stay overlaps the interval the
  container is traced for, so what was unloaded before a pallet shipped is not in the shipment.
- The bounds of a node are kept as a small Pareto set (usually one pair): two paths are never
  merged into an interval neither of them has. A node is expanded again only under bounds no
  pair it holds covers, so rework loops and repeated lot numbers terminate; every hit keeps the
  edge that first reached it, which gives the event path that justifies it.
- ``window=(t0, t1)`` restricts the walk to edges inside the window (time-bounded trace).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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
        bounds = (lo if at is None else max(lo, at), FOREVER)
    else:
        bounds = (hi, NEVER) if at is None else (min(hi, at), at)
    states: dict[int, list[Bounds]] = {}
    frontier: dict[int, list[Bounds]] = {}
    for root in result.roots:
        result.reached[root] = (bounds[0], bounds[1], 0, None)
        states[root] = [bounds]
        frontier[root] = [bounds]
    step = _forward_step if direction == "forward" else _backward_step
    fetch = source.outgoing if direction == "forward" else source.incoming
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        depth += 1
        edges = fetch(list(frontier))
        level = _Level(result, states, frontier, depth, lo, hi, time_respecting)
        frontier = step(level, edges)
        result.levels = depth
    return result


Bounds = tuple[int, int]


@dataclass
class _Level:
    """What one level of a walk needs: results so far, the bounds of each node, the frontier."""

    result: Walk
    states: dict[int, list[Bounds]]
    frontier: dict[int, list[Bounds]]
    depth: int
    lo: int
    hi: int
    timed: bool
    nxt: dict[int, list[Bounds]] = field(default_factory=dict)

    def add(self, node: int, new: Bounds, better: Callable[[Bounds, Bounds], bool]) -> None:
        """Keep ``new`` for a node already reached unless a bound pair it holds covers it (the
        bounds of a node are a small Pareto set, usually of one)."""
        held = self.states[node]
        if any(better(h, new) for h in held):
            return
        self.states[node] = [h for h in held if not better(new, h)] + [new]
        pending = self.nxt.get(node)
        if pending is held:  # first reached in this very level: one list for both
            self.nxt[node] = self.states[node]
        else:
            self.nxt.setdefault(node, []).append(new)


def _covers_forward(a: Bounds, b: Bounds) -> bool:
    """Arrived no later and stays no shorter: every edge ``b`` admits, ``a`` admits."""
    return a[0] <= b[0] and a[1] >= b[1]


def _covers_backward(a: Bounds, b: Bounds) -> bool:
    """Needed no earlier and traced since no later."""
    return a[0] >= b[0] and a[1] <= b[1]


def _forward_step(lv: _Level, edges: Iterable[EdgeRow]) -> dict[int, list[Bounds]]:
    count = 0
    lo, hi, timed, frontier = lv.lo, lv.hi, lv.timed, lv.frontier
    states, reached, nxt, depth = lv.states, lv.result.reached, lv.nxt, lv.depth
    contain = int(Kind.CONTAIN)
    for e in edges:
        count += 1
        src, dst, kind, at, until = e[0], e[1], e[2], e[3], e[4]
        if at < lo or at > hi:
            continue
        for arr, lim in frontier[src]:
            if not timed:
                new: Bounds = (NEVER, FOREVER)
            elif kind == contain:  # an interval: it overlaps the time the node is traced for
                if at >= lim or (until is not None and until <= arr):
                    continue
                new = (at if at > arr else arr, lim if until is None or until > lim else until)
            elif arr <= at < lim:
                new = (at, FOREVER)
            else:
                continue
            held = states.get(dst)
            if held is None:  # first reach: the common case, kept fast
                states[dst] = nxt[dst] = [new]
                reached[dst] = (new[0], new[1], depth, e)
            elif len(held) == 1 and held[0][0] <= new[0] and held[0][1] >= new[1]:
                continue  # already reached under a bound that covers this one
            else:
                lv.add(dst, new, _covers_forward)
    lv.result.edges_seen += count
    return nxt


def _backward_step(lv: _Level, edges: Iterable[EdgeRow]) -> dict[int, list[Bounds]]:
    count = 0
    lo, hi, timed, frontier = lv.lo, lv.hi, lv.timed, lv.frontier
    states, reached, nxt, depth = lv.states, lv.result.reached, lv.nxt, lv.depth
    contain = int(Kind.CONTAIN)
    for e in edges:
        count += 1
        src, dst, kind, at, until = e[0], e[1], e[2], e[3], e[4]
        if at < lo or at > hi:
            continue
        for dep, since in frontier[dst]:
            if not timed:
                new: Bounds = (FOREVER, NEVER)
            elif at > dep:
                continue
            elif kind == contain:  # contents whose stay overlaps the time traced
                if until is not None and until <= since:
                    continue
                new = (dep if until is None or until > dep else until, since if since > at else at)
            else:  # it left (was consumed, shipped) at ``at``: traced as it was at that instant
                new = (at, at)
            held = states.get(src)
            if held is None:
                states[src] = nxt[src] = [new]
                reached[src] = (new[0], new[1], depth, e)
            elif len(held) == 1 and held[0][0] >= new[0] and held[0][1] <= new[1]:
                continue
            else:
                lv.add(src, new, _covers_backward)
    lv.result.edges_seen += count
    return nxt
