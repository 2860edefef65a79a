"""Request and response shapes of the SPC API (limit sets, chart data, alarms)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from qualitas.schemas import ReadModel, Reason, Strict

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ChartName = Literal["xbar", "R", "S", "xbar.one"]
RuleSetName = Literal["qcc", "western-electric", "nelson"]
SigmaName = Literal["UWAVE-R", "UWAVE-SD", "MVLUE-R", "MVLUE-SD", "RMSDF", "MR", "SD"]


class LimitSetCreate(Strict):
    characteristic_id: int = Field(ge=1, le=2**31 - 1)
    chart: ChartName = "xbar.one"
    subgroup_size: int = Field(1, ge=1, le=50)
    phase1_from: AwareDatetime | None = Field(None, description="Phase I data from (inclusive).")
    phase1_to: AwareDatetime | None = Field(None, description="Phase I data to (exclusive).")
    center: float | None = Field(None, allow_inf_nan=False, description="Known centre.")
    std_dev: float | None = Field(None, gt=0, allow_inf_nan=False, description="Known sigma.")
    nsigmas: float = Field(3.0, gt=0, le=6)
    sigma_method: (
        Literal["UWAVE-R", "UWAVE-SD", "MVLUE-R", "MVLUE-SD", "RMSDF", "MR", "SD"] | None
    ) = None
    rule_set: RuleSetName = "western-electric"
    run_length: int = Field(7, ge=2, le=50)
    reaction_plan: Text | None = None
    reason: Reason


class LimitSetRead(ReadModel):
    id: int
    characteristic_id: int
    site_id: int
    revision: int
    status: str
    chart: str
    subgroup_size: int
    center: float
    std_dev: float
    nsigmas: float
    sigma_method: str | None
    rule_set: str
    run_length: int
    reaction_plan: str | None
    phase1: dict[str, Any]
    reason: str
    created_by: str
    created_at: dt.datetime
    approved_by: str | None
    approved_at: dt.datetime | None
    version: int


class Approve(Strict):
    reason: Reason


class ChartPoint(ReadModel):
    id: int
    ts: dt.datetime
    statistic: float
    size: int
    subgroup: str | None
    limit_set_id: int
    center: float
    lcl: float
    ucl: float
    violations: list[str]


class StudyPoint(ReadModel):
    """A Phase I point: computed from the study's stored readings, not a stored chart point."""

    ts: dt.datetime
    statistic: float
    size: int
    subgroup: str | None
    center: float
    lcl: float
    ucl: float
    violations: list[str]


class Phase1Study(ReadModel):
    """The Phase I study of a limit set, charted against the limits it produced."""

    limit_set_id: int
    given: bool | None = Field(
        description="Centre and sigma were given (known values) rather than estimated from the "
        "study; null for limit sets that predate the flag."
    )
    points_total: int = Field(description="Points in the study (the last 1,000 are returned).")
    reproduced: bool = Field(
        description="The stored readings still hash to the SHA-256 recorded at creation."
    )
    points: list[StudyPoint]


class ChartData(ReadModel):
    characteristic_id: int
    active: LimitSetRead | None
    limit_sets: list[LimitSetRead]
    phase1: Phase1Study | None = Field(
        description="Phase I of the active limit set (or of the latest one when none is active)."
    )
    points: list[ChartPoint]


class AlarmRow(ReadModel):
    """The stored alarm row: the audit trail's before/after snapshot of an alarm."""

    id: int
    characteristic_id: int
    site_id: int
    limit_set_id: int
    point_id: int
    rule: str
    status: str
    statistic: float
    reaction_plan: str | None
    raised_at: dt.datetime = Field(description="When the alarm was stored.")
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    ack_note: str | None = Field(description="Note given when the alarm was acknowledged.")
    resolved_at: dt.datetime | None
    resolved_by: str | None
    cause: str | None
    action: str | None
    version: int


class AlarmRead(AlarmRow):
    """An alarm with what a person needs to read it: the characteristic and the reading time."""

    characteristic_code: str | None = Field(description="Code of the characteristic.")
    characteristic_name: str | None = Field(description="Name of the characteristic.")
    point_ts: dt.datetime | None = Field(
        description="Time of the reading (chart point) that raised the alarm; "
        "raised_at is when the alarm was stored."
    )


class AlarmAck(Strict):
    note: Text | None = None


class AlarmResolve(Strict):
    cause: Text
    action: Text


class ResponseTimes(ReadModel):
    site_id: int | None
    alarms: int
    open: int
    acknowledged: int
    resolved: int
    median_seconds_to_acknowledge: float | None
    median_seconds_to_resolve: float | None
    p90_seconds_to_acknowledge: float | None
