"""Tables of traceability: the EPCIS event store, its query index and the derived lineage graph.

Events are append-only (corrections are new events with an error declaration). From each event
the store derives *nodes* (one per normalised identifier) and *edges* (how material moved:
consumed into a transformation, packed into a container, shipped to a place), so that a trace is a
walk over integer-keyed edges, never a re-parse of event bodies.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from qualitas.db import Base, BigId, UTCDateTime, utcnow

KEY = 300  # longest normalised identifier kept


class NodeKind(StrEnum):
    LOT = "lot"
    UNIT = "unit"
    CONTAINER = "container"
    LOCATION = "location"
    CUSTOMER = "customer"
    TRANSFORMATION = "transformation"


class EdgeKind(IntEnum):
    """How material moved along an edge (stored as a small integer)."""

    TRANSFORM = 1  # input -> transformation, transformation -> output
    CONTAIN = 2  # child -> parent while packed or associated (until = unpacked)
    SHIP = 3  # object -> location or customer it was shipped to
    RELABEL = 4  # one identity continues under another (supplier lot -> lot, transfer)
    COMMISSION = 5  # lot -> unit serialised from it


class Origin(StrEnum):
    CAPTURE = "capture"
    NATIVE = "native"


class RecallStatus(StrEnum):
    DRAFT = "draft"
    SCOPED = "scoped"
    HELD = "held"
    CLOSED = "closed"


RECALL_TRANSITIONS: dict[RecallStatus, frozenset[RecallStatus]] = {
    RecallStatus.DRAFT: frozenset({RecallStatus.SCOPED, RecallStatus.CLOSED}),
    RecallStatus.SCOPED: frozenset({RecallStatus.SCOPED, RecallStatus.HELD, RecallStatus.CLOSED}),
    RecallStatus.HELD: frozenset({RecallStatus.CLOSED}),
    RecallStatus.CLOSED: frozenset(),
}


class Capture(Base):
    """One accepted EPCIS document (atomic: all of its events or none)."""

    __tablename__ = "trace_capture"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_by: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    event_count: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    context: Mapped[Any] = mapped_column(JSON, nullable=True)
    header: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class TraceEvent(Base):
    """One EPCIS 2.0 event as received (``body``) with its indexed, normalised facts."""

    __tablename__ = "trace_event"
    __table_args__ = (
        Index("ix_trace_event_time", "event_time"),
        Index("ix_trace_event_record_time", "record_time"),
        # An error declaration hashes like the event it declares erroneous (CBV 2.0 leaves the
        # declaration out of the hash): the pair is unique, each half once.
        UniqueConstraint("hash_id", "declaration"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hash_id: Mapped[str] = mapped_column(String(120))
    declaration: Mapped[bool] = mapped_column(Boolean, default=False)
    event_id: Mapped[str] = mapped_column(String(KEY), index=True)
    type: Mapped[str] = mapped_column(String(24))
    action: Mapped[str | None] = mapped_column(String(8))
    event_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    tz_offset: Mapped[str] = mapped_column(String(6))
    record_time: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    biz_step: Mapped[str | None] = mapped_column(String(KEY), index=True)
    disposition: Mapped[str | None] = mapped_column(String(KEY), index=True)
    read_point: Mapped[str | None] = mapped_column(String(KEY), index=True)
    biz_location: Mapped[str | None] = mapped_column(String(KEY), index=True)
    transformation_id: Mapped[str | None] = mapped_column(String(KEY), index=True)
    declared_erroneous_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    origin: Mapped[str] = mapped_column(String(8), default=Origin.CAPTURE)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("trace_capture.id"))
    site_id: Mapped[int | None] = mapped_column(Integer, index=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class EventObject(Base):
    """An identifier named by an event, by role (epc, parent, child, input, output)."""

    __tablename__ = "trace_event_object"
    __table_args__ = (Index("ix_trace_event_object_key", "key", "role"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_pk: Mapped[int] = mapped_column(BigInteger, index=True)
    role: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(KEY))
    is_class: Mapped[bool] = mapped_column(Boolean, default=False)
    quantity: Mapped[float | None] = mapped_column(Float)
    uom: Mapped[str | None] = mapped_column(String(12))


class EventAttr(Base):
    """Typed values of an event: business transactions, sources, destinations, dispositions."""

    __tablename__ = "trace_event_attr"
    __table_args__ = (Index("ix_trace_event_attr_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_pk: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    type: Mapped[str | None] = mapped_column(String(KEY))
    value: Mapped[str] = mapped_column(String(KEY))


class Node(Base):
    """One traceable identity (lot, unit, container, place, customer) under its normalised key."""

    __tablename__ = "trace_node"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200), index=True)
    product: Mapped[str | None] = mapped_column(String(120), index=True)
    lot: Mapped[str | None] = mapped_column(String(120), index=True)
    serial: Mapped[str | None] = mapped_column(String(120), index=True)
    site_id: Mapped[int | None] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(Integer)
    supplier_id: Mapped[int | None] = mapped_column(Integer)
    customer_id: Mapped[int | None] = mapped_column(Integer)
    hold: Mapped[str | None] = mapped_column(String(40))
    first_ms: Mapped[int | None] = mapped_column(BigInteger)


class Edge(Base):
    """A lineage edge: material of ``src`` went into ``dst`` at ``at_ms`` (epoch milliseconds)."""

    __tablename__ = "trace_edge"
    __table_args__ = (
        Index("ix_trace_edge_src", "src", "at_ms"),
        Index("ix_trace_edge_dst", "dst", "at_ms"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    src: Mapped[int] = mapped_column(BigInteger)
    dst: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[int] = mapped_column(SmallInteger)
    at_ms: Mapped[int] = mapped_column(BigInteger)
    until_ms: Mapped[int | None] = mapped_column(BigInteger)
    event_pk: Mapped[int] = mapped_column(BigInteger)
    src_qty: Mapped[float | None] = mapped_column(Float)
    dst_qty: Mapped[float | None] = mapped_column(Float)
    uom: Mapped[str | None] = mapped_column(String(12))


class Hold(Base):
    """A hold placed on a node (persistent disposition), released only with a reason."""

    __tablename__ = "trace_hold"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("trace_node.id"), index=True)
    recall_id: Mapped[int | None] = mapped_column(ForeignKey("trace_recall.id"), index=True)
    disposition: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(64))
    placed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    event_pk: Mapped[int | None] = mapped_column(BigInteger)
    released_by: Mapped[str | None] = mapped_column(String(64))
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)


class Recall(Base):
    """A recall or containment: suspect set, scoped blast radius, holds and the drill report."""

    __tablename__ = "trace_recall"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default=RecallStatus.DRAFT)
    drill: Mapped[bool] = mapped_column(Boolean, default=False)
    suspect: Mapped[dict[str, Any]] = mapped_column(JSON)
    scope: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    answer_ms: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    scoped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    site_id: Mapped[int | None] = mapped_column(Integer)
