"""Multi-level bill-of-materials explosion and cycle checks (pure; no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["BomEdge", "ExplodedNode", "creates_cycle", "explode"]


@dataclass(frozen=True)
class BomEdge:
    """``quantity`` of ``component`` per one unit of the parent."""

    component: int
    quantity: float
    unit: str


@dataclass
class ExplodedNode:
    item: int
    quantity: float  # cumulative quantity per one unit of the root
    unit: str
    children: list[ExplodedNode] = field(default_factory=list)


def explode(
    root: int,
    edges: Mapping[int, Sequence[BomEdge]],
    root_unit: str = "pcs",
    max_depth: int = 50,
) -> ExplodedNode:
    """Expand ``root`` through ``edges`` (item -> components), multiplying quantities.

    Raises ValueError on a cycle or when ``max_depth`` is exceeded.
    """

    def walk(item: int, qty: float, unit: str, path: tuple[int, ...]) -> ExplodedNode:
        if item in path:
            chain = " -> ".join(str(i) for i in (*path, item))
            raise ValueError(f"BOM cycle: {chain}")
        if len(path) >= max_depth:
            raise ValueError(f"BOM deeper than {max_depth} levels")
        node = ExplodedNode(item, qty, unit)
        for edge in edges.get(item, ()):
            node.children.append(
                walk(edge.component, qty * edge.quantity, edge.unit, (*path, item))
            )
        return node

    return walk(root, 1.0, root_unit, ())


def creates_cycle(parent: int, component: int, edges: Mapping[int, Sequence[BomEdge]]) -> bool:
    """True if adding ``parent -> component`` would make ``parent`` reachable from itself."""
    if parent == component:
        return True
    seen: set[int] = set()
    stack = [component]
    while stack:
        item = stack.pop()
        if item == parent:
            return True
        if item in seen:
            continue
        seen.add(item)
        stack.extend(e.component for e in edges.get(item, ()))
    return False
