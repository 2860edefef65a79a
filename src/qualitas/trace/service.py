"""Use cases of traceability: resolve what the user typed, trace it, search identities.

``trace`` returns every identity reached (lots, units, containers, locations, customers) with the
quantity on the edge that reached it, its depth in identity hops, and the event hash IDs of the
path that justifies it. Transformation nodes are internal: they appear in paths, never as hits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qualitas.errors import FieldError, NotFound, ValidationFailed
from qualitas.trace import epcis, genealogy, names
from qualitas.trace import store as st
from qualitas.trace.models import Node, NodeKind, TraceEvent

Direction = Literal["forward", "backward"]
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Hit:
    """One identity reached by a trace."""

    node: int
    key: str
    kind: str
    label: str
    product: str | None
    lot: str | None
    serial: str | None
    site_id: int | None
    hold: str | None
    quantity: float | None
    uom: str | None
    depth: int
    path: list[str]
    parent: int | None  # the identity this one was reached from (None: the root)
    name: str | None = None  # the item, customer or site name, where known


@dataclass
class TraceResult:
    root: str
    root_node: int
    direction: Direction
    items: list[Hit] = field(default_factory=list)
    levels: int = 0
    edges_seen: int = 0
    elapsed_ms: float = 0.0


def _invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(name, "invalid", message)], code="invalid")


def resolve(session: Session, identifier: str) -> Node:
    """The node a user means by ``identifier``: any EPC/Digital Link form, or a lot/serial label."""
    text = identifier.strip()
    if not text:
        raise _invalid("id", "an identifier is required")
    try:
        key = epcis.normalise_id(text)
    except ValueError:
        key = text
    node = session.scalar(select(Node).where(Node.key == key))
    if node is not None:
        return node
    found = session.scalars(
        select(Node)
        .where(Node.kind != NodeKind.TRANSFORMATION)
        .where(or_(Node.label == text, Node.lot == text, Node.serial == text))
        .limit(2)
    ).all()
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationFailed(
            f"{text!r} names several identities; search and pick one",
            [FieldError("id", "ambiguous", "several lots or serials carry this label")],
            code="ambiguous",
        )
    raise NotFound(detail=f"no lot, serial or container {text!r} is known", code="not_found")


def search(session: Session, q: str, limit: int = SEARCH_LIMIT) -> list[Node]:
    """Identities whose key, label, lot, serial or product matches ``q`` (exact first)."""
    text = q.strip()
    if not text:
        return []
    try:
        key = epcis.normalise_id(text)
    except ValueError:
        key = text
    exact = session.scalars(
        select(Node).where(
            Node.kind != NodeKind.TRANSFORMATION,
            or_(Node.key == key, Node.label == text, Node.lot == text, Node.serial == text,
                Node.product == text),
        ).order_by(Node.kind, Node.label).limit(limit)
    ).all()  # fmt: skip
    if len(exact) >= limit:
        return list(exact)
    like = f"%{text}%"
    more = session.scalars(
        select(Node)
        .where(
            Node.kind != NodeKind.TRANSFORMATION, or_(Node.label.like(like), Node.key.like(like))
        )
        .order_by(Node.label)
        .limit(limit)
    ).all()
    seen = {n.id for n in exact}
    return list(exact) + [n for n in more if n.id not in seen][: limit - len(exact)]


def to_ms(t: dt.datetime | None) -> int | None:
    return None if t is None else int(t.astimezone(dt.UTC).timestamp() * 1000)


def trace(
    session: Session,
    identifier: str,
    direction: Direction,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    kinds: Sequence[str] | None = None,
) -> TraceResult:
    """All identities reached from ``identifier`` in ``direction`` (time-respecting)."""
    import time

    started = time.perf_counter()
    root = resolve(session, identifier)
    source = st.SqlEdgeSource(session)
    w = genealogy.walk(source, [root.id], direction, window=(to_ms(since), to_ms(until)))
    result = TraceResult(root=root.key, root_node=root.id, direction=direction)
    result.levels, result.edges_seen = w.levels, w.edges_seen
    result.items = _hits(session, w, set(kinds) if kinds else None)
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result


def _hits(session: Session, w: genealogy.Walk, kinds: set[str] | None) -> list[Hit]:
    ids = list(w.reached)
    rows = st.node_rows(session, ids)
    named = names.names(session, ((r[0], r[1], r[3]) for r in rows.values()))
    transformations = {i for i, r in rows.items() if r[1] == NodeKind.TRANSFORMATION}
    events = _event_hashes(session, {s[3][genealogy.EVENT] for s in w.reached.values() if s[3]})
    far = genealogy.DST if w.direction == "forward" else genealogy.SRC
    near = genealogy.SRC if w.direction == "forward" else genealogy.DST
    hits: list[Hit] = []
    for node in w.nodes():
        row = rows[node]
        if node in transformations or (kinds is not None and row[1] not in kinds):
            continue
        path = w.path(node)
        hashes: list[str] = []
        for e in path:
            h = events.get(e[genealogy.EVENT])
            if h is not None and (not hashes or hashes[-1] != h):
                hashes.append(h)
        depth = sum(1 for e in path if e[far] not in transformations)
        parent = _identity_parent(w, node, transformations, near)
        qty, uom = w.quantity(node)
        key, kind, label, product, lot, serial, site_id, hold = row
        hits.append(
            Hit(node, key, kind, label, product, lot, serial, site_id, hold, qty, uom, depth,
                hashes, parent, named.get(key))
        )  # fmt: skip
    hits.sort(key=lambda h: (h.depth, h.kind, h.label))
    return hits


def _identity_parent(
    w: genealogy.Walk, node: int, transformations: set[int], near: int
) -> int | None:
    via = w.via(node)
    while via is not None:
        prev = via[1] if near == genealogy.DST else via[0]
        if prev not in transformations:
            return prev
        via = w.via(prev)
    return None


def _event_hashes(session: Session, pks: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    items = list(pks)
    for i in range(0, len(items), st.SQLITE_CHUNK):
        chunk = items[i : i + st.SQLITE_CHUNK]
        out.update(session.execute(select(TraceEvent.id, TraceEvent.hash_id).where(
            TraceEvent.id.in_(chunk))).all())  # fmt: skip
    return out


def events_of(session: Session, node: Node, limit: int = 200) -> list[TraceEvent]:
    """The events that name a node (newest first)."""
    from qualitas.trace.models import EventObject

    return list(
        session.scalars(
            select(TraceEvent)
            .join(EventObject, EventObject.event_pk == TraceEvent.id)
            .where(EventObject.key == node.key)
            .order_by(TraceEvent.event_time.desc(), TraceEvent.id.desc())
            .limit(limit)
        ).unique()
    )


def as_contract(result: TraceResult) -> dict[str, Any]:
    """The CLI/JSON contract: ``{"root", "items": [{id, kind, product, quantity, uom, depth,
    path}]}``."""
    return {
        "root": result.root,
        "items": [
            {
                "id": h.key,
                "kind": h.kind,
                "product": h.product,
                "quantity": h.quantity,
                "uom": h.uom,
                "depth": h.depth,
                "path": h.path,
            }
            for h in result.items
        ],
    }


def dumps(doc: Any) -> bytes:
    """Compact UTF-8 JSON of a document."""
    import json

    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def normalise_or_400(value: str, field_name: str) -> str:
    try:
        return epcis.normalise_id(value)
    except ValueError as exc:
        raise _invalid(field_name, str(exc)) from exc


def node_by_key(session: Session, key: str) -> Node | None:
    return session.scalar(select(Node).where(Node.key == key))


def site_id(session: Session, code: str) -> int:
    """Id of the site with this code (422 naming ``site`` when unknown)."""
    from qualitas.plant.models import Level, PlantNode

    found = session.scalar(
        select(PlantNode.id).where(PlantNode.level == Level.SITE, PlantNode.code == code)
    )
    if found is None:
        raise _invalid("site", f"no site {code!r}")
    return int(found)


def audit_capture(session: Session, actor: Any, stored: Any) -> None:
    """One audit entry per captured document (the events themselves are append-only)."""
    from qualitas.ledger import service as ledger

    ledger.append(
        session, actor, ledger.AuditAction.CAPTURE, "trace_capture", stored.capture_id,
        after={"stored": len(stored.hash_ids), "duplicates": len(stored.duplicates),
               "edges": stored.edges},
    )  # fmt: skip


def node_read(n: Node, name: str | None = None) -> Any:
    from qualitas.trace.schemas import IdentityRead

    return IdentityRead(
        id=n.key, kind=n.kind, label=n.label, product=n.product, lot=n.lot, serial=n.serial,
        site_id=n.site_id, hold=n.hold, name=name,
    )  # fmt: skip


def node_reads(session: Session, nodes: Sequence[Node]) -> list[Any]:
    """Identities with their names (one query per kind of master record)."""
    named = names.names(session, ((n.key, n.kind, n.product) for n in nodes))
    return [node_read(n, named.get(n.key)) for n in nodes]


def trace_read(session: Session, result: TraceResult, limit: int) -> Any:
    """The API shape of a trace: the first ``limit`` hits (nearest first) and counts per kind."""
    from qualitas.trace.schemas import TraceItem, TraceRead

    root = session.get(Node, result.root_node)
    assert root is not None
    keys_by_node = {h.node: h.key for h in result.items}
    keys_by_node[root.id] = root.key
    counts: dict[str, int] = {}
    for h in result.items:
        counts[h.kind] = counts.get(h.kind, 0) + 1
    items = [
        TraceItem(
            id=h.key, kind=h.kind, label=h.label, product=h.product, lot=h.lot, serial=h.serial,
            site_id=h.site_id, hold=h.hold, quantity=h.quantity, uom=h.uom, depth=h.depth,
            path=h.path, parent=keys_by_node.get(h.parent) if h.parent is not None else None,
            name=h.name,
        )
        for h in result.items[:limit]
    ]  # fmt: skip
    return TraceRead(
        root=node_reads(session, [root])[0], direction=result.direction, items=items,
        total=len(result.items),
        truncated=len(result.items) > limit, counts=counts, levels=result.levels,
        elapsed_ms=round(result.elapsed_ms, 1),
    )  # fmt: skip
