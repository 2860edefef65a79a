"""Request and response shapes of the inspection API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

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


class SamplingPlanRead(ReadModel):
    """An ISO 2859-1 single sampling plan (the calculator's answer)."""

    code_letter: str = Field(description="Sample size code letter (Table 1).")
    plan_letter: str = Field(
        description="Row of the master table used; differs from code_letter after an arrow."
    )
    sample_size: int = Field(description="Units to sample (n); the lot size under 100 %.")
    accept: int = Field(description="Acceptance number Ac.")
    reject: int = Field(description="Rejection number Re.")
    hundred_percent: bool = Field(description="Every unit of the lot is inspected.")
    aql: float = Field(description="Acceptance quality limit, percent nonconforming.")
    level: str = Field(description="Inspection level (I, II, III, S-1 ... S-4).")
    severity: str = Field(description="normal, tightened or reduced inspection.")


class LotSampling(ReadModel):
    """The sampling plan a lot was created with. Without an AQL (variables only) only the
    level and severity are known and the plan fields are null."""

    aql: float | None = Field(description="Acceptance quality limit; null without attributes.")
    level: str = Field(description="Inspection level (I, II, III, S-1 ... S-4).")
    severity: str = Field(description="normal, tightened or reduced inspection.")
    sample_size: int | None = Field(description="Units to sample (n) for the attribute plan.")
    code_letter: str | None = Field(None, description="Sample size code letter (Table 1).")
    plan_letter: str | None = Field(None, description="Row of the master table used.")
    accept: int | None = Field(None, description="Acceptance number Ac.")
    reject: int | None = Field(None, description="Rejection number Re.")
    hundred_percent: bool | None = Field(None, description="Every unit is inspected.")
    nonconforming: int | None = Field(
        None, description="Nonconforming units found so far (set once results are recorded)."
    )


class PlanLine(ReadModel):
    """One characteristic of a lot's inspection plan, copied from the control plan."""

    line_id: int = Field(description="Control-plan line.")
    characteristic_id: int
    code: str = Field(description="Characteristic code.")
    name: str = Field(description="Characteristic name.")
    kind: Literal["variable", "attribute"]
    unit: str | None
    lsl: float | None = Field(description="Lower specification limit.")
    usl: float | None = Field(description="Upper specification limit.")
    nominal: float | None
    special_class: str | None = Field(description="Special characteristic class (CC, SC).")
    sample_size: int = Field(description="Units to check for this characteristic.")
    gauge_id: int | None
    gauge_type: str | None
    method: str | None
    frequency: str | None
    reaction_plan: str | None


class LotRow(Stamped):
    """The stored lot: the audit trail's snapshot and the payload of lot events."""

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
    sampling: LotSampling
    plan: list[PlanLine]
    status: str
    decision: str | None
    recommendation: str | None
    decision_reason: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    created_by: str


class LotRead(LotRow):
    item_code: str | None = Field(description="Code of the inspected item.")
    item_name: str | None = Field(description="Name of the inspected item.")


LotSort = Literal[
    "created_at", "-created_at", "lot_number", "-lot_number", "status", "-status",
    "quantity", "-quantity",
]  # fmt: skip


class ResultIn(Strict):
    characteristic_id: Id
    sample_index: int = Field(ge=1, le=100_000)
    value: float | None = Field(None, allow_inf_nan=False, ge=-1e12, le=1e12)
    passed: bool | None = Field(None, description="Attribute result; computed for variables.")
    defects: int = Field(0, ge=0, le=100_000)
    quantity: int = Field(1, ge=1, le=1_000_000, description="Units this result stands for.")
    unit: Label | None = None
    gauge_id: Id | None = None
    clear: bool = Field(
        False,
        description="Clear what was saved for this characteristic and sample (audited); "
        "value and passed must then be absent. A reading already sent to SPC stays.",
    )


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
    cleared: bool = Field(
        description="The result was cleared (only in the audit trail; lots list saved results)."
    )


class CharacteristicSummary(ReadModel):
    checked: int = Field(description="Units checked.")
    failed: int = Field(description="Units that failed.")
    defects: int = Field(description="Defects counted.")


class LotSummary(ReadModel):
    """Progress and outcome of a lot's results."""

    characteristics: dict[int, CharacteristicSummary] = Field(
        description="Per characteristic id (a string key in JSON)."
    )
    nonconforming_units: int = Field(description="Sample units with at least one failure.")
    results: int = Field(description="Results saved.")
    expected_results: int = Field(description="Results the plan asks for.")
    complete: bool = Field(description="Every planned unit has been checked.")
    recommendation: Literal["accept", "reject"] | None = Field(
        description="Suggested decision from the sampling plan (null until it is clear)."
    )


class ResultWarning(ReadModel):
    """Something about a saved result that the inspector should know (the result is saved)."""

    row: int = Field(description="0-based index of the result in the request.")
    field: str = Field(description="Path of the field concerned, e.g. results.3.gauge_id.")
    code: str = Field(description="calibration_overdue, gauge_not_in_service, ...")
    message: str
    characteristic_id: int
    sample_index: int
    gauge_id: int | None


class ResultsOut(ReadModel):
    lot: LotRead
    results: list[ResultRead]
    summary: LotSummary
    warnings: list[ResultWarning]


class DecisionIn(Strict):
    decision: LotDecision
    reason: Reason | None = None
    version: int = Field(ge=1, le=2**31 - 1)
