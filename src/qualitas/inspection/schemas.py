"""Request and response shapes of the inspection API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from qualitas.inspection.models import LotDecision, LotKind
from qualitas.inspection.sampling_tables import AQL_VALUES, InspectionLevel
from qualitas.schemas import Code, Name, ReadModel, Reason, Stamped, Strict

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Plan = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=4000)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _check_aql(value: float | None) -> float | None:
    if value is not None and not any(abs(value - a) < 1e-9 for a in AQL_VALUES):
        raise ValueError("must be an ISO 2859-1 AQL value (0.010 ... 1000)")
    return value


class ControlPlanLineCreate(Strict):
    site_id: Id
    code: Code
    name: Name
    item_id: Id
    characteristic_id: Id
    operation_node_id: Id | None = None
    operation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    sample_size: int = Field(5, ge=1, le=1000)
    frequency: Line
    method: Line | None = None
    gauge_type: Annotated[str, StringConstraints(max_length=60)] | None = None
    gauge_id: Id | None = None
    aql: float | None = Field(None, description="Attribute sampling AQL (ISO 2859-1).")
    inspection_level: InspectionLevel = InspectionLevel.II
    reaction_plan: Plan

    _aql = field_validator("aql")(_check_aql)


class ControlPlanLineRead(Stamped):
    id: int
    site_id: int
    code: str
    name: str
    item_id: int
    characteristic_id: int
    operation_node_id: int | None
    operation: str | None
    sample_size: int
    frequency: str
    method: str | None
    gauge_type: str | None
    gauge_id: int | None
    aql: float | None
    inspection_level: str
    reaction_plan: str
    status: str


class LotCreate(Strict):
    kind: LotKind
    item_id: Id
    lot_number: Label
    quantity: int = Field(ge=1, le=10_000_000)
    supplier_id: Id | None = None
    supplier_lot: Label | None = None
    work_order: Label | None = None
    node_id: Id | None = None
    aql: float | None = Field(None, description="Overrides the control plan's AQL.")
    inspection_level: InspectionLevel | None = None

    _aql = field_validator("aql")(_check_aql)

    @model_validator(mode="after")
    def _incoming_needs_supplier(self) -> Self:
        if self.kind == LotKind.INCOMING and self.supplier_id is None:
            raise PydanticCustomError("missing", "supplier_id: an incoming lot needs its supplier")
        return self


class LotRead(Stamped):
    id: int
    site_id: int
    kind: str
    item_id: int
    lot_number: str
    quantity: int
    supplier_id: int | None
    supplier_lot: str | None
    work_order: str | None
    node_id: int | None
    aql: float | None
    inspection_level: str
    severity: str
    sampling: dict[str, Any]
    plan: list[dict[str, Any]]
    status: str
    decision: str | None
    recommendation: str | None
    decision_reason: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    created_by: str


class ResultIn(Strict):
    characteristic_id: Id
    sample_index: int = Field(ge=1, le=100_000)
    value: float | None = Field(None, allow_inf_nan=False, ge=-1e12, le=1e12)
    passed: bool | None = Field(None, description="Attribute result; computed for variables.")
    defects: int = Field(0, ge=0, le=100_000)
    quantity: int = Field(1, ge=1, le=1_000_000, description="Units this result stands for.")
    unit: Label | None = None
    gauge_id: Id | None = None


class ResultsIn(Strict):
    results: list[ResultIn] = Field(min_length=1, max_length=10_000)


class ResultRead(ReadModel):
    id: int
    characteristic_id: int
    sample_index: int
    unit: str | None
    value: float | None
    passed: bool
    defects: int
    quantity: int
    gauge_id: int | None
    recorded_by: str
    recorded_at: dt.datetime
    version: int


class ResultsOut(ReadModel):
    lot: LotRead
    results: list[ResultRead]
    summary: dict[str, Any]
    warnings: list[str]


class DecisionIn(Strict):
    decision: LotDecision
    reason: Reason | None = None
    version: int = Field(ge=1, le=2**31 - 1)
