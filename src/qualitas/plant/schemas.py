"""Request and response shapes of the plant master-data API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from qualitas.plant.models import (
    CharacteristicKind,
    GaugeStatus,
    ItemKind,
    Level,
    RecordStatus,
    RevisionStatus,
    SpecialClass,
    SupplierStatus,
)
from qualitas.schemas import Code, Email, Name, ReadModel, Reason, Stamped, Strict, Text

Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


def gs1_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def _gtin14(value: str) -> str:
    if gs1_check_digit(value[:-1]) != int(value[-1]):
        raise ValueError("the GS1 check digit is wrong")
    return value.zfill(14)


Gtin = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^(\d{8}|\d{12}|\d{13}|\d{14})$"),
    AfterValidator(_gtin14),
]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Finite = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]
Positive = Annotated[float, Field(allow_inf_nan=False, gt=0, le=1e12)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _ordered(lo: float | None, hi: float | None, lo_name: str, hi_name: str) -> None:
    if lo is not None and hi is not None and lo >= hi:
        raise ValueError(f"{hi_name}: must be greater than {lo_name}")


# --- hierarchy -----------------------------------------------------------------------------


class NodeCreate(Strict):
    level: Level
    parent_id: Id | None = None
    code: Code
    name: Name
    description: Text | None = None


class NodeRead(Stamped):
    id: int
    level: Level
    parent_id: int | None
    site_id: int | None
    code: str
    name: str
    description: str | None
    status: RecordStatus


class TreeNode(ReadModel):
    id: int
    level: Level
    code: str
    name: str
    status: RecordStatus
    children: list[TreeNode] = Field(default_factory=list)


# --- equipment ---------------------------------------------------------------------------


class EquipmentCreate(Strict):
    site_id: Id
    node_id: Id | None = None
    code: Code
    name: Name
    kind: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    manufacturer: Short | None = None
    model: Short | None = None
    serial_no: Short | None = None


class EquipmentRead(Stamped):
    id: int
    site_id: int
    node_id: int | None
    code: str
    name: str
    kind: str
    manufacturer: str | None
    model: str | None
    serial_no: str | None
    status: RecordStatus


# --- gauges ------------------------------------------------------------------------------


class GaugeCreate(Strict):
    site_id: Id
    code: Code
    name: Name
    gauge_type: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
    ]
    unit: Unit | None = None
    range_min: Finite | None = None
    range_max: Finite | None = None
    resolution: Positive | None = None
    calibration_interval_days: int = Field(ge=1, le=3650)
    last_calibrated_on: dt.date | None = None
    calibration_due_on: dt.date | None = None
    status: GaugeStatus = GaugeStatus.IN_SERVICE

    @model_validator(mode="after")
    def _check(self) -> Self:
        _ordered(self.range_min, self.range_max, "range_min", "range_max")
        if (
            self.last_calibrated_on
            and self.calibration_due_on
            and self.calibration_due_on < self.last_calibrated_on
        ):
            raise ValueError("calibration_due_on: must not be before last_calibrated_on")
        return self


class GaugeRead(Stamped):
    id: int
    site_id: int
    code: str
    name: str
    gauge_type: str
    unit: str | None
    range_min: float | None
    range_max: float | None
    resolution: float | None
    calibration_interval_days: int
    last_calibrated_on: dt.date | None
    calibration_due_on: dt.date | None
    status: GaugeStatus


# --- items, revisions, BOM ---------------------------------------------------------------


class ItemCreate(Strict):
    site_id: Id
    kind: ItemKind
    code: Code
    name: Name
    unit: Unit = "pcs"
    gtin: Gtin | None = Field(None, description="GTIN-8/12/13/14; stored as GTIN-14.")
    description: Text | None = None


class ItemRead(Stamped):
    id: int
    site_id: int
    kind: ItemKind
    code: str
    name: str
    unit: str
    gtin: str | None = None
    description: str | None
    status: RecordStatus
    current_revision: str | None


class RevisionCreate(Strict):
    revision: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9.\-]{1,20}$")
    ]
    status: RevisionStatus = RevisionStatus.DRAFT
    effective_from: dt.date | None = None
    change_note: Text | None = None
    reason: Reason | None = None


class RevisionRead(Stamped):
    id: int
    item_id: int
    revision: str
    status: RevisionStatus
    effective_from: dt.date | None
    change_note: str | None


class BomLineCreate(Strict):
    component_item_id: Id
    quantity: Positive
    unit: Unit | None = None
    position: int = Field(10, ge=0, le=99999)
    reason: Reason | None = None


class BomLineRead(Stamped):
    id: int
    parent_revision_id: int
    component_item_id: int
    component_code: str
    quantity: float
    unit: str
    position: int
    status: RecordStatus


class BomTreeNode(ReadModel):
    item_id: int
    item_code: str
    item_name: str
    revision: str | None
    quantity: float
    unit: str
    children: list[BomTreeNode] = Field(default_factory=list)


# --- characteristics ---------------------------------------------------------------------


class CharacteristicCreate(Strict):
    site_id: Id
    item_id: Id | None = None
    operation_node_id: Id | None = None
    operation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    code: Code
    name: Name
    kind: CharacteristicKind
    unit: Unit | None = None
    nominal: Finite | None = None
    lsl: Finite | None = None
    usl: Finite | None = None
    special_class: SpecialClass = SpecialClass.NONE
    gauge_type: Short | None = None
    description: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _ordered(self.lsl, self.usl, "lsl", "usl")
        if self.nominal is not None:
            if self.lsl is not None and self.nominal < self.lsl:
                raise ValueError("nominal: must not be below lsl")
            if self.usl is not None and self.nominal > self.usl:
                raise ValueError("nominal: must not be above usl")
        if self.kind == CharacteristicKind.VARIABLE and self.lsl is None and self.usl is None:
            raise ValueError("lsl: a variable characteristic needs lsl or usl")
        return self


class CharacteristicRead(Stamped):
    id: int
    site_id: int
    item_id: int | None
    operation_node_id: int | None
    operation: str | None
    code: str
    name: str
    kind: CharacteristicKind
    unit: str | None
    nominal: float | None
    lsl: float | None
    usl: float | None
    special_class: SpecialClass
    gauge_type: str | None
    description: str | None
    status: RecordStatus


# --- suppliers and customers -------------------------------------------------------------


class PartnerCreate(Strict):
    site_id: Id
    code: Code
    name: Name
    country: Country | None = None
    contact_email: Email | None = None


class SupplierCreate(PartnerCreate):
    status: SupplierStatus = SupplierStatus.APPROVED


class CustomerCreate(PartnerCreate):
    pass


class SupplierRead(Stamped):
    id: int
    site_id: int
    code: str
    name: str
    country: str | None
    contact_email: str | None
    status: SupplierStatus


class CustomerRead(Stamped):
    id: int
    site_id: int
    code: str
    name: str
    country: str | None
    contact_email: str | None
    status: RecordStatus


class ImportRowError(ReadModel):
    row: int
    field: str
    message: str


class ImportReport(ReadModel):
    ok: bool
    created: int
    updated: int
    errors: list[ImportRowError]
