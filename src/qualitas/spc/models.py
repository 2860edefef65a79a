"""Tables of live SPC: versioned limit sets, plotted points and alarms with their lifecycle."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qualitas.db import Base, BigId, TimestampMixin, UTCDateTime, utcnow


class LimitSetStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    SUPERSEDED = "superseded"


class AlarmStatus(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


# Allowed alarm transitions (data, not code paths).
ALARM_TRANSITIONS: dict[AlarmStatus, frozenset[AlarmStatus]] = {
    AlarmStatus.RAISED: frozenset({AlarmStatus.ACKNOWLEDGED, AlarmStatus.RESOLVED}),
    AlarmStatus.ACKNOWLEDGED: frozenset({AlarmStatus.RESOLVED}),
    AlarmStatus.RESOLVED: frozenset(),
}


class LimitSet(TimestampMixin, Base):
    """Frozen Phase I limits of one characteristic: who, when, why, from which data."""

    __tablename__ = "spc_limit_set"
    __table_args__ = (UniqueConstraint("characteristic_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    characteristic_id: Mapped[int] = mapped_column(
        ForeignKey("plant_characteristic.id"), index=True
    )
    site_id: Mapped[int] = mapped_column(Integer, index=True)
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=LimitSetStatus.DRAFT)
    chart: Mapped[str] = mapped_column(String(12))
    subgroup_size: Mapped[int] = mapped_column(Integer)
    center: Mapped[float] = mapped_column(Float)
    std_dev: Mapped[float] = mapped_column(Float)
    nsigmas: Mapped[float] = mapped_column(Float, default=3.0)
    sigma_method: Mapped[str | None] = mapped_column(String(12))
    rule_set: Mapped[str] = mapped_column(String(20), default="western-electric")
    run_length: Mapped[int] = mapped_column(Integer, default=7)
    reaction_plan: Mapped[str | None] = mapped_column(Text)
    phase1: Mapped[dict[str, Any]] = mapped_column(JSON)  # data window, point count, hash
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SpcPoint(Base):
    """One plotted point (an individual reading or a complete subgroup) and the rules it broke."""

    __tablename__ = "spc_point"
    __table_args__ = (Index("ix_spc_point_char", "characteristic_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    characteristic_id: Mapped[int] = mapped_column(Integer)
    limit_set_id: Mapped[int] = mapped_column(Integer)
    ts: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    statistic: Mapped[float] = mapped_column(Float)
    size: Mapped[int] = mapped_column(Integer)
    subgroup: Mapped[str | None] = mapped_column(String(80))
    violations: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alarm(TimestampMixin, Base):
    __tablename__ = "spc_alarm"
    __table_args__ = (Index("ix_spc_alarm_status", "site_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    characteristic_id: Mapped[int] = mapped_column(Integer, index=True)
    site_id: Mapped[int] = mapped_column(Integer)
    limit_set_id: Mapped[int] = mapped_column(Integer)
    point_id: Mapped[int] = mapped_column(BigId)
    rule: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=AlarmStatus.RAISED)
    statistic: Mapped[float] = mapped_column(Float)
    reaction_plan: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    ack_note: Mapped[str | None] = mapped_column(Text)  # given when acknowledging
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    cause: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
