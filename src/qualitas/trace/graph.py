"""The genealogy graph for drawing: identities as nodes, one edge per reaching step, large
levels folded into count nodes so that a trace reaching 100,000 units stays drawable.

Backward levels get negative depths, forward levels positive ones, the root depth 0 (a layered
layout reads left to right: origins, the item, destinations). A parent with more than
``group_over`` children of one kind shows one group node (count and total quantity) instead; its
children's own descendants are counted into the group, not drawn.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Literal

from sqlalchemy.orm import Session

from qualitas.trace import service
from qualitas.trace.models import Node

Side = Literal["forward", "backward", "both"]


def _node(h: service.Hit, depth: int) -> dict[str, Any]:
    return {
        "id": h.key, "kind": h.kind, "label": h.label, "product": h.product, "lot": h.lot,
        "serial": h.serial, "site_id": h.site_id, "hold": h.hold, "quantity": h.quantity,
        "uom": h.uom, "depth": depth, "count": 1, "name": h.name,
    }  # fmt: skip


def _side(
    result: service.TraceResult, sign: int, depth: int, group_over: int, root: Node
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    by_node = {h.node: h for h in result.items}
    children: dict[int, list[service.Hit]] = defaultdict(list)
    for h in result.items:
        if h.depth <= depth:
            children[h.parent if h.parent is not None else root.id].append(h)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    hidden = 0
    frontier = [root.id]
    while frontier:
        nxt: list[int] = []
        for parent in frontier:
            pkey = root.key if parent == root.id else by_node[parent].key
            groups: dict[str, list[service.Hit]] = defaultdict(list)
            for h in children.get(parent, []):
                groups[h.kind].append(h)
            for kind, hits in groups.items():
                if len(hits) > group_over:
                    hidden += _group(nodes, edges, pkey, kind, hits, sign, children)
                    continue
                for h in hits:
                    nodes.append(_node(h, sign * h.depth))
                    edges.append(_edge(pkey, h, sign))
                    nxt.append(h.node)
        frontier = nxt
    return nodes, edges, hidden + sum(1 for h in result.items if h.depth > depth)


def _edge(parent_key: str, h: service.Hit, sign: int) -> dict[str, Any]:
    source, target = (parent_key, h.key) if sign > 0 else (h.key, parent_key)
    return {
        "source": source, "target": target, "event": h.path[-1] if h.path else None,
        "quantity": h.quantity, "uom": h.uom,
    }  # fmt: skip


def _group(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    parent_key: str,
    kind: str,
    hits: list[service.Hit],
    sign: int,
    children: dict[int, list[service.Hit]],
) -> int:
    gid = f"group:{parent_key}:{kind}:{sign}"
    qty = sum(h.quantity or 0 for h in hits)
    under = 0
    stack = [h.node for h in hits]
    while stack:
        kids = children.get(stack.pop(), [])
        under += len(kids)
        stack.extend(k.node for k in kids)
    nodes.append({
        "id": gid, "kind": kind, "label": f"{len(hits)} × {kind}", "product": hits[0].product,
        "lot": None, "serial": None, "site_id": None, "hold": None, "quantity": qty or None,
        "uom": hits[0].uom, "depth": sign * hits[0].depth, "count": len(hits),
        "descendants": under, "group": True,
    })  # fmt: skip
    source, target = (parent_key, gid) if sign > 0 else (gid, parent_key)
    edges.append({"source": source, "target": target, "event": None, "quantity": qty or None,
                  "uom": hits[0].uom})  # fmt: skip
    return len(hits) - 1 + under


def graph(
    session: Session,
    identifier: str,
    side: Side = "both",
    *,
    depth: int = 8,
    group_over: int = 40,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[str, Any]:
    """Nodes and edges around ``identifier`` for the graph view (see the module docstring)."""
    root = service.resolve(session, identifier)
    nodes: list[dict[str, Any]] = [{
        "id": root.key, "kind": root.kind, "label": root.label, "product": root.product,
        "lot": root.lot, "serial": root.serial, "site_id": root.site_id, "hold": root.hold,
        "quantity": None, "uom": None, "depth": 0, "count": 1, "root": True,
    }]  # fmt: skip
    edges: list[dict[str, Any]] = []
    totals: dict[str, int] = {}
    hidden = 0
    elapsed = 0.0
    for direction, sign in (("backward", -1), ("forward", 1)):
        if side not in (direction, "both"):
            continue
        result = service.trace(session, root.key, direction, since=since, until=until)  # type: ignore[arg-type]
        elapsed += result.elapsed_ms
        n, e, h = _side(result, sign, depth, group_over, root)
        nodes += n
        edges += e
        hidden += h
        totals[direction] = len(result.items)
    unique = list({n["id"]: n for n in reversed(nodes)}.values())[::-1]
    links = list({(e["source"], e["target"]): e for e in edges}.values())
    return {
        "root": root.key, "nodes": unique, "edges": links, "hidden": hidden, "totals": totals,
        "elapsed_ms": round(elapsed, 1),
    }  # fmt: skip
