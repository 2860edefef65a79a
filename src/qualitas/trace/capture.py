"""Capture: store EPCIS events (captured documents and native production events) and derive the
lineage graph from them, in the caller's transaction (all of a document or none of it).

Derivation rules (one place, used for both origins):
- TransformationEvent: inputs -> transformation node -> outputs (``TRANSFORM``); the node is keyed
  by ``transformationID`` when given, so events sharing it are one many-to-many step. The
  relabelling business step maps each input to the output directly (``RELABEL``).
- Aggregation/AssociationEvent ADD or OBSERVE: child -> parent (``CONTAIN``) from the event time;
  DELETE closes the open containment (``until``) of the children named, or of all of them.
- ObjectEvent with a destination list: object -> each destination (``SHIP``); an ADD of instances
  whose ILMD names their lot: lot -> unit (``COMMISSION``).
- persistentDisposition set/unset updates the hold state of every object named.
- An error declaration marks the erroneous event and removes the edges derived from it; the
  corrective events named carry the corrected facts. Events are never deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from qualitas.trace import epcis, keys
from qualitas.trace import store as st
from qualitas.trace.keys import RELABELLING, describe, transformation_key
from qualitas.trace.models import Capture, EdgeKind, Node, NodeKind, Origin, TraceEvent
from qualitas.trace.models import Edge as EdgeTable

EVENT_COLUMNS = (
    "id",
    "hash_id",
    "declaration",
    "event_id",
    "type",
    "action",
    "event_time",
    "tz_offset",
    "record_time",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "transformation_id",
    "origin",
    "recorded_by",
    "capture_id",
    "site_id",
    "body",
)
OBJECT_COLUMNS = ("event_pk", "role", "key", "is_class", "quantity", "uom")
ATTR_COLUMNS = ("event_pk", "kind", "type", "value")
CUSTOMER_TYPES = {"owning_party", "possessing_party"}


def epoch_ms(t: dt.datetime) -> int:
    return int(t.timestamp() * 1000) if t.microsecond % 1000 == 0 else round(t.timestamp() * 1000)


@dataclass
class Stored:
    """What a capture stored: new events (hash ids, in document order) and skipped duplicates."""

    capture_id: int | None
    hash_ids: list[str] = field(default_factory=list)
    event_pks: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    edges: int = 0


@dataclass
class _Batch:
    events: list[list[Any]] = field(default_factory=list)
    objects: list[list[Any]] = field(default_factory=list)
    attrs: list[list[Any]] = field(default_factory=list)
    edges: list[tuple[str, str, int, int, int, float | None, float | None, str | None]] = field(
        default_factory=list
    )
    # key -> (is_class, first seen, site, kind when known): described only if new to the store
    nodes: dict[str, tuple[bool, int, int | None, str | None]] = field(default_factory=dict)
    holds: list[tuple[str, str | None]] = field(default_factory=list)


def capture_document(
    session: Session,
    actor_name: str,
    raw: bytes,
    content_type: str | None,
    schema_dir: Any = None,
) -> Stored:
    """Validate and store one EPCIS document (raises ``epcis.EpcisInvalid`` with every error)."""
    doc = epcis.parse_document(raw, content_type, schema_dir=schema_dir)
    cap = Capture(
        received_by=actor_name,
        format=doc.format,
        sha256=hashlib.sha256(raw).hexdigest(),
        event_count=len(doc.events),
        context=doc.context,
        header=doc.header or None,
    )
    session.add(cap)
    session.flush()
    stored = store_events(
        session, doc.events, origin=Origin.CAPTURE, capture_id=cap.id, recorded_by=actor_name
    )
    cap.duplicates = len(stored.duplicates)
    return stored


def store_events(
    session: Session,
    events: list[dict[str, Any]],
    *,
    origin: Origin,
    capture_id: int | None = None,
    site_id: int | None = None,
    recorded_by: str | None = None,
) -> Stored:
    """Store events not seen before (by CBV 2.0 hash) and derive their edges."""
    now = dt.datetime.now(dt.UTC)
    hashed = [(epcis.event_hash(e), "errorDeclaration" in e, e) for e in events]
    known = _known_hashes(session, [h for h, _, _ in hashed])
    stored = Stored(capture_id=capture_id)
    fresh: list[tuple[str, dict[str, Any], epcis.EventFacts]] = []
    for h, declaration, e in hashed:
        if (h, declaration) in known:
            stored.duplicates.append(h)
            continue
        known.add((h, declaration))
        fresh.append((h, e, epcis.facts(e)))
    if not fresh:
        return stored
    if origin == Origin.CAPTURE:
        session.flush()
    else:
        session.execute(select(TraceEvent.id).limit(1))
    pks = st.allocate_ids(session, "trace_event", len(fresh))
    batch = _Batch()
    for pk, (h, e, f) in zip(pks, fresh, strict=True):
        _collect(batch, pk, h, e, f, now, (origin, recorded_by, capture_id, site_id))
        stored.hash_ids.append(h)
        stored.event_pks.append(pk)
    _write(session, batch)
    stored.edges = len(batch.edges)
    _apply_changes(session, [(pk, h, f) for pk, (h, _, f) in zip(pks, fresh, strict=True)])
    return stored


def _known_hashes(session: Session, hashes: list[str]) -> set[tuple[str, bool]]:
    found: set[tuple[str, bool]] = set()
    for i in range(0, len(hashes), st.SQLITE_CHUNK):
        chunk = hashes[i : i + st.SQLITE_CHUNK]
        rows = session.execute(
            select(TraceEvent.hash_id, TraceEvent.declaration).where(TraceEvent.hash_id.in_(chunk))
        )
        found.update((h, bool(d)) for h, d in rows)
    return found


def _collect(
    b: _Batch,
    pk: int,
    h: str,
    e: dict[str, Any],
    f: epcis.EventFacts,
    now: dt.datetime,
    meta: tuple[Origin, str | None, int | None, int | None],
) -> None:
    origin, by, capture_id, site_id = meta
    b.events.append(
        [pk, h, f.error_declaration is not None, f.event_id or h, f.type, f.action, f.event_time,
         f.tz_offset, now, f.biz_step, f.disposition, f.read_point, f.biz_location,
         f.transformation_id, str(origin), by, capture_id, site_id,
         json.dumps(e, separators=(",", ":"), ensure_ascii=False)]
    )  # fmt: skip
    at = epoch_ms(f.event_time)
    for o in f.objects:
        b.objects.append([pk, o.role, o.key, o.is_class, o.quantity, o.uom])
        _node(b, o.key, o.is_class, at, site_id)
    for kind, pairs in (
        ("bizTransaction", f.biz_transactions),
        ("source", f.sources),
        ("destination", f.destinations),
    ):
        for typ, value in pairs:
            b.attrs.append([pk, kind, typ, value])
    for kind, values in (
        ("persistentSet", f.persistent_set),
        ("persistentUnset", f.persistent_unset),
    ):
        for value in values:
            b.attrs.append([pk, kind, None, value])
    if f.error_declaration is not None:
        for ref in f.error_declaration.corrective_event_ids:
            b.attrs.append([pk, "corrective", None, ref])
    _derive_edges(b, pk, f, at, site_id)


def _node(
    b: _Batch, key: str, is_class: bool, at: int, site_id: int | None, kind: str | None = None
) -> None:
    if key not in b.nodes:
        b.nodes[key] = (is_class, at, site_id, kind)


def _spec(key: str, seen: tuple[bool, int, int | None, str | None]) -> st.NodeSpec:
    is_class, at, site_id, forced = seen
    kind, label, product, lot, serial = describe(key, is_class=is_class)
    return st.NodeSpec(
        key, forced or kind, label[:200], product, lot, serial, site_id, first_ms=at
    )


def _derive_edges(b: _Batch, pk: int, f: epcis.EventFacts, at: int, site_id: int | None) -> None:
    if f.error_declaration is not None:
        return  # a declaration re-states the erroneous event; it adds no lineage
    if f.type == "TransformationEvent":
        _transformation_edges(b, pk, f, at, site_id)
    elif f.type in ("AggregationEvent", "AssociationEvent") and f.action in ("ADD", "OBSERVE"):
        parents = [o.key for o in f.objects if o.role == "parent"]
        for parent in parents:
            for o in f.objects:
                if o.role == "child":
                    b.edges.append(
                        (o.key, parent, EdgeKind.CONTAIN, at, pk, o.quantity, None, o.uom)
                    )
    elif f.type == "ObjectEvent":
        _object_edges(b, pk, f, at, site_id)


def _transformation_edges(
    b: _Batch, pk: int, f: epcis.EventFacts, at: int, site_id: int | None
) -> None:
    inputs = [o for o in f.objects if o.role == "input"]
    outputs = [o for o in f.objects if o.role == "output"]
    if f.biz_step == RELABELLING:
        for i in inputs:
            for o in outputs:
                b.edges.append(
                    (i.key, o.key, EdgeKind.RELABEL, at, pk, i.quantity, o.quantity, o.uom)
                )
        return
    tkey = transformation_key(f.transformation_id or f"event:{pk}")
    _node(b, tkey, False, at, site_id)
    for i in inputs:
        b.edges.append((i.key, tkey, EdgeKind.TRANSFORM, at, pk, i.quantity, None, i.uom))
    for o in outputs:
        b.edges.append((tkey, o.key, EdgeKind.TRANSFORM, at, pk, None, o.quantity, o.uom))


def _object_edges(b: _Batch, pk: int, f: epcis.EventFacts, at: int, site_id: int | None) -> None:
    objs = [o for o in f.objects if o.role == "epc"]
    for typ, dest in f.destinations:
        dkind = NodeKind.CUSTOMER if typ in CUSTOMER_TYPES else NodeKind.LOCATION
        _node(b, dest, False, at, site_id, dkind)
        for o in objs:
            b.edges.append((o.key, dest, EdgeKind.SHIP, at, pk, o.quantity, o.quantity, o.uom))
    if f.action == "ADD" and f.lot_of_instance:
        for o in objs:
            if o.is_class:
                continue
            kind, _, product, _, _ = describe(o.key)
            if kind == NodeKind.UNIT and product:
                lot = keys.lot_key(product, f.lot_of_instance, product)
                _node(b, lot, True, at, site_id)
                b.edges.append((lot, o.key, EdgeKind.COMMISSION, at, pk, None, 1.0, None))
    for value in f.persistent_set:
        b.holds.extend((o.key, value) for o in objs)
    for _value in f.persistent_unset:
        b.holds.extend((o.key, None) for o in objs)


def _write(session: Session, b: _Batch) -> None:
    stamps = (EVENT_COLUMNS.index("event_time"), EVENT_COLUMNS.index("record_time"))
    st.insert_rows(session, "trace_event", EVENT_COLUMNS, b.events, timestamps=stamps)
    st.insert_rows(session, "trace_event_object", OBJECT_COLUMNS, b.objects)
    st.insert_rows(session, "trace_event_attr", ATTR_COLUMNS, b.attrs)
    ids = st.node_ids(session, b.nodes)
    new = [k for k in b.nodes if k not in ids]
    fresh_ids = st.allocate_ids(session, "trace_node", len(new))
    st.insert_rows(
        session, "trace_node", ("id", *st.NODE_COLUMNS),
        [[i, *_spec(k, b.nodes[k]).row()] for i, k in zip(fresh_ids, new, strict=True)],
    )  # fmt: skip
    ids.update(zip(new, fresh_ids, strict=True))
    rows = [
        [ids[s], ids[d], int(k), at, None, pk, sq, dq, uom]
        for s, d, k, at, pk, sq, dq, uom in b.edges
    ]
    st.insert_edges(session, rows)
    for key, disposition in b.holds:
        session.execute(update(Node).where(Node.id == ids[key]).values(hold=disposition))


def _apply_changes(
    session: Session, events: Iterable[tuple[int, str, epcis.EventFacts]]
) -> None:
    """Unpacking closes containment; error declarations retract the erroneous event's edges."""
    for _pk, h, f in sorted(events, key=lambda x: x[2].event_time):
        at = epoch_ms(f.event_time)
        if f.error_declaration is not None:
            _retract(session, h, f)
        elif f.type in ("AggregationEvent", "AssociationEvent") and f.action == "DELETE":
            _close_containment(session, f, at)


def _close_containment(session: Session, f: epcis.EventFacts, at: int) -> None:
    keys = [o.key for o in f.objects if o.role in ("parent", "child")]
    ids = st.node_ids(session, keys)
    children = [ids[o.key] for o in f.objects if o.role == "child" and o.key in ids]
    for parent in (ids[o.key] for o in f.objects if o.role == "parent" and o.key in ids):
        stmt = (
            update(EdgeTable)
            .where(EdgeTable.dst == parent, EdgeTable.kind == EdgeKind.CONTAIN)
            .where(EdgeTable.until_ms.is_(None), EdgeTable.at_ms <= at)
        )
        if children:
            stmt = stmt.where(EdgeTable.src.in_(children))
        session.execute(stmt.values(until_ms=at))


def _retract(session: Session, hash_id: str, f: epcis.EventFacts) -> None:
    """Mark the event the declaration restates (same hash, or same eventID) erroneous and drop
    its edges; it stays stored and queryable."""
    assert f.error_declaration is not None
    same = TraceEvent.hash_id == hash_id
    if f.event_id:
        same = or_(same, TraceEvent.event_id == f.event_id)
    targets = session.scalars(
        select(TraceEvent).where(
            same, TraceEvent.declaration.is_(False), TraceEvent.declared_erroneous_at.is_(None)
        )
    ).all()
    when = f.error_declaration.declaration_time
    for t in targets:
        t.declared_erroneous_at = when
        session.execute(delete(EdgeTable).where(EdgeTable.event_pk == t.id))
