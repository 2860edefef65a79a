"""Plant master-data tables. Records are retired with a reason, never deleted."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qualitas.db import Base, TimestampMixin


class Level(StrEnum):
    ENTERPRISE = "enterprise"
    SITE = "site"
    AREA = "area"
    LINE = "line"
    STATION = "station"


# ISA-95 parent level of each level (transitions as data).
PARENT_LEVEL: dict[Level, Level | None] = {
    Level.ENTERPRISE: None,
    Level.SITE: Level.ENTERPRISE,
    Level.AREA: Level.SITE,
    Level.LINE: Level.AREA,
    Level.STATION: Level.LINE,
}


class RecordStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class GaugeStatus(StrEnum):
    IN_SERVICE = "in_service"
    OUT_OF_CALIBRATION = "out_of_calibration"
    QUARANTINED = "quarantined"
    RETIRED = "retired"


class SupplierStatus(StrEnum):
    APPROVED = "approved"
    CONDITIONAL = "conditional"
    DISQUALIFIED = "disqualified"
    RETIRED = "retired"


class ItemKind(StrEnum):
    MATERIAL = "material"
    PRODUCT = "product"


class RevisionStatus(StrEnum):
    DRAFT = "draft"
    RELEASED = "released"
    OBSOLETE = "obsolete"


class CharacteristicKind(StrEnum):
    VARIABLE = "variable"
    ATTRIBUTE = "attribute"


class SpecialClass(StrEnum):
    NONE = "none"
    CC = "CC"  # critical characteristic (safety / regulation)
    SC = "SC"  # significant characteristic (fit / function)


class PlantNode(TimestampMixin, Base):
    """One ISA-95 element. ``site_id`` is the owning site (the node itself for a site)."""

    __tablename__ = "plant_node"
    __table_args__ = (UniqueConstraint("parent_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plant_node.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.ACTIVE)


class SiteScoped(TimestampMixin):
    """Columns shared by site-owned master records."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("plant_node.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class Equipment(SiteScoped, Base):
    __tablename__ = "plant_equipment"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    node_id: Mapped[int | None] = mapped_column(ForeignKey("plant_node.id"))
    kind: Mapped[str] = mapped_column(String(60))
    manufacturer: Mapped[str | None] = mapped_column(String(120))
    model: Mapped[str | None] = mapped_column(String(120))
    serial_no: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.ACTIVE)


class Gauge(SiteScoped, Base):
    __tablename__ = "plant_gauge"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    gauge_type: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str | None] = mapped_column(String(20))
    range_min: Mapped[float | None] = mapped_column(Float)
    range_max: Mapped[float | None] = mapped_column(Float)
    resolution: Mapped[float | None] = mapped_column(Float)
    calibration_interval_days: Mapped[int] = mapped_column(Integer)
    last_calibrated_on: Mapped[dt.date | None] = mapped_column(Date)
    calibration_due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default=GaugeStatus.IN_SERVICE)


class Item(SiteScoped, Base):
    """A material or a product (part number), with revisions."""

    __tablename__ = "plant_item"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    kind: Mapped[str] = mapped_column(String(16))
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)
    unit: Mapped[str] = mapped_column(String(20), default="pcs")
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.ACTIVE)
    current_revision: Mapped[str | None] = mapped_column(String(20))


class ItemRevision(TimestampMixin, Base):
    __tablename__ = "plant_item_revision"
    __table_args__ = (UniqueConstraint("item_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plant_item.id"), index=True)
    revision: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=RevisionStatus.DRAFT)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    change_note: Mapped[str | None] = mapped_column(Text)


class BomLine(TimestampMixin, Base):
    """One component of a parent revision: quantity per one unit of the parent."""

    __tablename__ = "plant_bom_line"
    __table_args__ = (UniqueConstraint("parent_revision_id", "component_item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_revision_id: Mapped[int] = mapped_column(
        ForeignKey("plant_item_revision.id"), index=True
    )
    component_item_id: Mapped[int] = mapped_column(ForeignKey("plant_item.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=10)
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.ACTIVE)


class Characteristic(SiteScoped, Base):
    """A product/process characteristic to be inspected, tied to a product and an operation."""

    __tablename__ = "plant_characteristic"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    item_id: Mapped[int | None] = mapped_column(ForeignKey("plant_item.id"), index=True)
    operation_node_id: Mapped[int | None] = mapped_column(ForeignKey("plant_node.id"))
    operation: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(String(20))
    nominal: Mapped[float | None] = mapped_column(Float)
    lsl: Mapped[float | None] = mapped_column(Float)
    usl: Mapped[float | None] = mapped_column(Float)
    special_class: Mapped[str] = mapped_column(String(8), default=SpecialClass.NONE)
    gauge_type: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.ACTIVE)


class Supplier(SiteScoped, Base):
    __tablename__ = "plant_supplier"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    country: Mapped[str | None] = mapped_column(String(2))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(16), default=SupplierStatus.APPROVED)


class Customer(SiteScoped, Base):
    __tablename__ = "plant_customer"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    country: Mapped[str | None] = mapped_column(String(2))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(16), default=RecordStatus.ACTIVE)
