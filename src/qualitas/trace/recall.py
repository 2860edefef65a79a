"""Recall and containment: suspect set -> blast radius -> holds in one action -> drill report.

The blast radius is one forward, time-respecting walk from every suspect node at once. Holds are
persistent dispositions: each hold is a row (who, when, why) and an EPCIS ``holding`` event that
sets the disposition, so holds travel with the data to partners. Nothing is deleted: a release is
a new event that unsets the disposition, with its reason.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qualitas.errors import Conflict, FieldError, NotFound, ValidationFailed
from qualitas.events import emit
from qualitas.ledger import service as ledger
from qualitas.trace import genealogy, massbalance, names, suspects
from qualitas.trace import store as st
from qualitas.trace.capture import store_events
from qualitas.trace.models import (
    RECALL_TRANSITIONS,
    Hold,
    Node,
    NodeKind,
    Origin,
    Recall,
    RecallStatus,
)
from qualitas.trace.schemas import SuspectIn
from qualitas.trace.service import to_ms

HOLDABLE = (NodeKind.LOT, NodeKind.UNIT, NodeKind.CONTAINER)
LIST_CAP = 2000  # identities kept per kind in the stored scope (counts are always complete)
EPCS_PER_EVENT = 5000


def _transition(recall: Recall, to: RecallStatus) -> None:
    if to not in RECALL_TRANSITIONS[RecallStatus(recall.status)]:
        raise Conflict(detail=f"a {recall.status} recall cannot become {to}", code="recall_state")
    recall.status = to


def create(
    session: Session, actor: ledger.Actor, title: str, suspect: SuspectIn, drill: bool
) -> Recall:
    count = session.scalar(select(func.count()).select_from(Recall)) or 0
    prefix = "DRILL" if drill else "RCL"
    recall = Recall(
        code=f"{prefix}-{dt.datetime.now(dt.UTC):%Y%m%d}-{count + 1:04d}",
        title=title,
        drill=drill,
        suspect=suspect.model_dump(mode="json"),
        created_by=actor.name,
    )
    session.add(recall)
    session.flush()
    ledger.append(
        session, actor, ledger.AuditAction.CREATE, "trace_recall", recall.id,
        after={"code": recall.code, "title": title, "suspect": recall.suspect, "drill": drill},
    )  # fmt: skip
    return recall


def get(session: Session, recall_id: int) -> Recall:
    recall = session.get(Recall, recall_id)
    if recall is None:
        raise NotFound(detail=f"recall {recall_id} not found")
    return recall


def scope(session: Session, actor: ledger.Actor, recall: Recall) -> Recall:
    """Compute the blast radius of the suspect set (and the time it took to answer)."""
    started = time.perf_counter()
    spec = SuspectIn.model_validate(recall.suspect)
    roots, since = suspects.resolve(session, spec)
    w = genealogy.walk(
        st.SqlEdgeSource(session), [n.id for n in roots], "forward", window=(to_ms(since), None)
    )
    rows = st.node_rows(session, list(w.reached))
    result = _summarise(w, rows, {n.id for n in roots})
    _name(session, result)
    # the suspect lots, and the lots they continued as (a supplier lot received under ours)
    ids = {n.id for n in roots}
    ids |= {
        node for node, s in w.reached.items()
        if s[3] is not None and s[3][2] == genealogy.Kind.RELABEL and s[3][0] in ids
    }  # fmt: skip
    result["mass_balance"] = massbalance.for_nodes(session, sorted(ids))
    recall.answer_ms = round((time.perf_counter() - started) * 1000)
    recall.scope = result
    recall.scoped_at = dt.datetime.now(dt.UTC)
    _transition(recall, RecallStatus.SCOPED)
    ledger.append(
        session, actor, ledger.AuditAction.UPDATE, "trace_recall", recall.id,
        after={"status": recall.status, "counts": result["counts"], "answer_ms": recall.answer_ms},
    )  # fmt: skip
    return recall


def _name(session: Session, result: dict[str, Any]) -> None:
    """Item, customer and site names on the listed identities and the quantities per product."""
    listed = [i for rows in result["items"].values() for i in rows]
    keys = [(i["id"], k, i["product"]) for k, rows in result["items"].items() for i in rows]
    named = names.names(session, keys)
    for i in listed:
        i["name"] = named.get(i["id"])
    products = names.product_names(session, (q["product"] for q in result["quantities"]))
    customers = {i["label"]: i["name"] for i in result["items"].get(NodeKind.CUSTOMER, [])}
    for q in result["quantities"]:
        by_kind = products if q["kind"] == NodeKind.LOT else customers
        q["name"] = by_kind.get(q["product"])


def _summarise(
    w: genealogy.Walk, rows: dict[int, tuple[Any, ...]], roots: set[int]
) -> dict[str, Any]:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    quantity: dict[tuple[str, str, str], float] = defaultdict(float)
    holdable: list[int] = []
    for node, state in w.reached.items():
        key, kind, label, product, lot, serial, site_id, hold = rows[node]
        if kind == NodeKind.TRANSFORMATION:
            continue
        counts[kind] += 1
        qty, uom = w.quantity(node)
        if kind in HOLDABLE:
            holdable.append(node)
        if qty is not None and kind in (NodeKind.LOT, NodeKind.CUSTOMER):
            quantity[(kind, product or label, uom or "")] += qty
        if len(by_kind[kind]) < LIST_CAP:
            by_kind[kind].append({
                "id": key, "label": label, "product": product, "lot": lot, "serial": serial,
                "site_id": site_id, "hold": hold, "quantity": qty, "uom": uom,
                "depth": state[2], "suspect": node in roots,
            })  # fmt: skip
    return {
        "counts": dict(counts),
        "items": dict(by_kind),
        "quantities": [
            {"kind": k, "product": p, "uom": u or None, "quantity": q}
            for (k, p, u), q in sorted(quantity.items())
        ],
        "holdable": holdable,
        "suspects": sorted(roots),
    }


def place_holds(
    session: Session, actor: ledger.Actor, recall: Recall, disposition: str, reason: str
) -> int:
    """Hold every lot, unit and container in the blast radius, in one action."""
    if recall.scope is None:
        raise Conflict(detail="scope the recall before placing holds", code="recall_state")
    if recall.drill:
        raise Conflict(detail="a drill is a mock recall: it places no holds", code="recall_drill")
    _transition(recall, RecallStatus.HELD)
    ids = [i for i in recall.scope["holdable"]]
    placed = hold_nodes(session, actor, ids, disposition, reason, recall.id)
    emit(
        session, "trace.hold.placed",
        {"recall": recall.code, "holds": placed, "disposition": disposition, "drill": recall.drill},
        key=recall.code,
    )  # fmt: skip
    return placed


def hold_nodes(
    session: Session,
    actor: ledger.Actor,
    node_ids: list[int],
    disposition: str,
    reason: str,
    recall_id: int | None = None,
) -> int:
    """Place holds on nodes not already held: rows, EPCIS events and one audit entry."""
    rows = st.node_rows(session, node_ids)
    todo = [i for i in node_ids if rows[i][7] is None and rows[i][1] in HOLDABLE]
    if not todo:
        return 0
    now = dt.datetime.now(dt.UTC)
    event_pks = _hold_events(session, [rows[i] for i in todo], disposition, now, actor.name)
    st.insert_rows(
        session,
        "trace_hold",
        ("node_id", "recall_id", "disposition", "reason", "placed_by", "placed_at", "event_pk"),
        [[i, recall_id, disposition, reason, actor.name, now, event_pks[0]] for i in todo],
        timestamps=(5,),
    )
    for i in range(0, len(todo), st.SQLITE_CHUNK):
        chunk = todo[i : i + st.SQLITE_CHUNK]
        session.execute(update(Node).where(Node.id.in_(chunk)).values(hold=disposition))
    ledger.append(
        session, actor, ledger.AuditAction.HOLD, "trace_recall" if recall_id else "trace_node",
        recall_id or todo[0], reason=reason,
        after={"disposition": disposition, "holds": len(todo), "events": len(event_pks)},
    )  # fmt: skip
    return len(todo)


def _hold_events(
    session: Session, rows: list[tuple[Any, ...]], disposition: str, now: dt.datetime, by: str
) -> list[int]:
    events: list[dict[str, Any]] = []
    for i in range(0, len(rows), EPCS_PER_EVENT):
        chunk = rows[i : i + EPCS_PER_EVENT]
        ev: dict[str, Any] = {
            "type": "ObjectEvent",
            "eventTime": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "eventTimeZoneOffset": "+00:00",
            "action": "OBSERVE",
            "bizStep": "holding",
            "persistentDisposition": {"set": [disposition]},
        }
        epcs = [r[0] for r in chunk if r[1] != NodeKind.LOT]
        classes = [{"epcClass": r[0]} for r in chunk if r[1] == NodeKind.LOT]
        if epcs:
            ev["epcList"] = epcs
        if classes:
            ev["quantityList"] = classes
        events.append(ev)
    stored = store_events(session, events, origin=Origin.NATIVE, recorded_by=by)
    return stored.event_pks or [0]


def release(session: Session, actor: ledger.Actor, hold_id: int, reason: str) -> Hold:
    hold = session.get(Hold, hold_id)
    if hold is None:
        raise NotFound(detail=f"hold {hold_id} not found")
    if hold.released_at is not None:
        raise Conflict(detail="the hold is already released", code="hold_released")
    node = session.get(Node, hold.node_id)
    assert node is not None
    now = dt.datetime.now(dt.UTC)
    ev: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "bizStep": "holding",
        "persistentDisposition": {"unset": [hold.disposition]},
    }
    if node.kind == NodeKind.LOT:
        ev["quantityList"] = [{"epcClass": node.key}]
    else:
        ev["epcList"] = [node.key]
    store_events(session, [ev], origin=Origin.NATIVE, recorded_by=actor.name)
    hold.released_at, hold.released_by, hold.release_reason = now, actor.name, reason
    node.hold = None
    ledger.append(
        session, actor, ledger.AuditAction.RELEASE, "trace_hold", hold.id, reason=reason,
        before={"disposition": hold.disposition}, after={"released": True, "node": node.key},
    )  # fmt: skip
    emit(session, "trace.hold.released", {"node": node.key, "hold": hold.id}, key=node.key)
    return hold


def close(session: Session, actor: ledger.Actor, recall: Recall, reason: str) -> Recall:
    _transition(recall, RecallStatus.CLOSED)
    recall.closed_at = dt.datetime.now(dt.UTC)
    ledger.append(
        session, actor, ledger.AuditAction.UPDATE, "trace_recall", recall.id, reason=reason,
        after={"status": recall.status},
    )  # fmt: skip
    return recall


def require_reason(reason: str | None) -> str:
    if not reason or len(reason.strip()) < 3:
        raise ValidationFailed(
            "A reason is required.", [FieldError("reason", "required", "give a reason")]
        )
    return reason.strip()
