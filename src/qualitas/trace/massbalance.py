"""Mass balance of lots: received = consumed + shipped + transferred + scrapped + on hand.

Received is what flowed into the lot (production output, relabelled receipts, or receiving
events); consumed is what transformations took from it; shipped and transferred (relabelled to
another identity) are what left it; scrapped is what destroying events or a destroyed disposition
named. On hand is the last stock count (``cycle_counting``/``stock_taking``) when there is one,
otherwise the remainder; a counted stock makes the difference a real finding.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualitas.trace.models import Edge, EdgeKind, EventObject, Node, NodeKind, TraceEvent

COUNT_STEPS = ("cycle_counting", "stock_taking")
SUPPLIER_LOT = "urn:qualitas:supplier-lot:"
SCRAP_STEPS = ("destroying",)


def _edge_sums(session: Session, node_ids: list[int]) -> dict[tuple[int, str, int], float]:
    sums: dict[tuple[int, str, int], float] = {}
    for column, qty, direction in ((Edge.dst, Edge.dst_qty, "in"), (Edge.src, Edge.src_qty, "out")):
        rows = session.execute(
            select(column, Edge.kind, func.coalesce(func.sum(qty), 0.0))
            .where(column.in_(node_ids))
            .group_by(column, Edge.kind)
        )
        for node, kind, total in rows:
            sums[(node, direction, kind)] = float(total or 0.0)
    return sums


def _event_quantities(session: Session, keys: list[str], steps: tuple[str, ...]) -> dict[str, Any]:
    rows = session.execute(
        select(EventObject.key, EventObject.quantity, TraceEvent.event_time, TraceEvent.biz_step,
               TraceEvent.disposition, TraceEvent.action)
        .join(TraceEvent, TraceEvent.id == EventObject.event_pk)
        .where(EventObject.key.in_(keys), TraceEvent.declared_erroneous_at.is_(None))
        .where((TraceEvent.biz_step.in_(steps)) | (TraceEvent.disposition == "destroyed")
               | (TraceEvent.biz_step == "receiving"))
        .order_by(TraceEvent.event_time)
    ).all()  # fmt: skip
    out: dict[str, Any] = {}
    for key, qty, _, step, disposition, action in rows:
        entry = out.setdefault(key, {"count": None, "scrapped": 0.0, "received": 0.0})
        q = float(qty or 0)
        if step in COUNT_STEPS:
            entry["count"] = q  # the last count wins (ordered by time)
        elif step in SCRAP_STEPS or disposition == "destroyed":
            entry["scrapped"] += q
        elif step == "receiving" and action == "ADD":
            entry["received"] += q
    return out


def for_nodes(session: Session, node_ids: list[int]) -> list[dict[str, Any]]:
    """The balance of each lot among ``node_ids`` (other kinds are skipped)."""
    lots = list(
        session.scalars(select(Node).where(Node.id.in_(node_ids), Node.kind == NodeKind.LOT))
    )
    if not lots:
        return []
    sums = _edge_sums(session, [n.id for n in lots])
    events = _event_quantities(session, [n.key for n in lots], COUNT_STEPS + SCRAP_STEPS)
    out = []
    for n in lots:
        ev = events.get(n.key, {"count": None, "scrapped": 0.0, "received": 0.0})

        def s(direction: str, kind: EdgeKind, node: int = n.id) -> float:
            return sums.get((node, direction, int(kind)), 0.0)

        received = s("in", EdgeKind.TRANSFORM) + s("in", EdgeKind.RELABEL) or ev["received"]
        if not received and n.key.startswith(SUPPLIER_LOT):
            received = s("out", EdgeKind.RELABEL)  # received under the supplier's lot number
        consumed = s("out", EdgeKind.TRANSFORM)
        shipped = s("out", EdgeKind.SHIP)
        transferred = s("out", EdgeKind.RELABEL)
        scrapped = ev["scrapped"]
        remainder = received - consumed - shipped - transferred - scrapped
        on_hand = ev["count"] if ev["count"] is not None else remainder
        out.append({
            "id": n.key, "label": n.label, "product": n.product,
            "received": received, "consumed": consumed, "shipped": shipped,
            "transferred": transferred, "scrapped": scrapped, "on_hand": on_hand,
            "on_hand_source": "counted" if ev["count"] is not None else "computed",
            "difference": round(remainder - on_hand, 9),
        })  # fmt: skip
    return out
