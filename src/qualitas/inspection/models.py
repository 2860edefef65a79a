"""Tables of inspection: control-plan lines, inspection lots, results, switching state."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from qualitas.db import Base, TimestampMixin, UTCDateTime, utcnow
from qualitas.plant.models import SiteScoped


class LotKind(StrEnum):
    INCOMING = "incoming"
    IN_PROCESS = "in_process"
    FINAL = "final"


class LotStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DECIDED = "decided"


class LotDecision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    CONDITIONAL = "conditional"  # use as is / sort, with a reason


LOT_TRANSITIONS: dict[LotStatus, frozenset[LotStatus]] = {
    LotStatus.OPEN: frozenset({LotStatus.IN_PROGRESS, LotStatus.DECIDED}),
    LotStatus.IN_PROGRESS: frozenset({LotStatus.DECIDED}),
    LotStatus.DECIDED: frozenset(),
}


class ControlPlanLine(SiteScoped, Base):
    """What to check on a product at an operation: sample, frequency, method, gauge, reaction."""

    __tablename__ = "inspection_control_plan_line"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("plant_item.id"), index=True)
    characteristic_id: Mapped[int] = mapped_column(ForeignKey("plant_characteristic.id"))
    operation_node_id: Mapped[int | None] = mapped_column(ForeignKey("plant_node.id"))
    operation: Mapped[str | None] = mapped_column(String(40))
    sample_size: Mapped[int] = mapped_column(Integer, default=5)
    frequency: Mapped[str] = mapped_column(String(120))
    method: Mapped[str | None] = mapped_column(String(200))
    gauge_type: Mapped[str | None] = mapped_column(String(60))
    gauge_id: Mapped[int | None] = mapped_column(ForeignKey("plant_gauge.id"))
    aql: Mapped[float | None] = mapped_column(Float)
    inspection_level: Mapped[str] = mapped_column(String(4), default="II")
    reaction_plan: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")


class InspectionLot(TimestampMixin, Base):
    __tablename__ = "inspection_lot"
    __table_args__ = (Index("ix_inspection_lot_site_status", "site_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(ForeignKey("plant_item.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(80), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("plant_supplier.id"))
    supplier_lot: Mapped[str | None] = mapped_column(String(80))
    work_order: Mapped[str | None] = mapped_column(String(80))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("plant_node.id"))
    aql: Mapped[float | None] = mapped_column(Float)
    inspection_level: Mapped[str] = mapped_column(String(4), default="II")
    severity: Mapped[str] = mapped_column(String(12), default="normal")
    sampling: Mapped[dict[str, Any]] = mapped_column(JSON)  # plan: letter, n, Ac, Re, 100 %
    plan: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # characteristics to check
    status: Mapped[str] = mapped_column(String(16), default=LotStatus.OPEN)
    decision: Mapped[str | None] = mapped_column(String(16))
    recommendation: Mapped[str | None] = mapped_column(String(16))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class InspectionResult(Base):
    """One checked sample (unit) of one characteristic; ``quantity`` units share the result."""

    __tablename__ = "inspection_result"
    __table_args__ = (UniqueConstraint("lot_id", "characteristic_id", "sample_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("inspection_lot.id"), index=True)
    characteristic_id: Mapped[int] = mapped_column(Integer)
    sample_index: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(80))
    value: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    defects: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    gauge_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Cleared by the user: kept for the trail, no longer part of the lot's results.
    cleared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SwitchingRecord(Base):
    """ISO 2859-1 switching state per (supplier, item) stream of incoming lots."""

    __tablename__ = "inspection_switching"
    __table_args__ = (UniqueConstraint("supplier_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
