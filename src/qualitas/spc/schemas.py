"""Request and response shapes of the SPC API (limit sets, chart data, alarms, the quality
board and the capability study)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from qualitas.plant.models import SpecialClass
from qualitas.schemas import ReadModel, Reason, Strict
from qualitas.spc.models import AlarmStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ChartName = Literal["xbar", "R", "S", "xbar.one"]
RuleSetName = Literal["qcc", "western-electric", "nelson"]
SigmaName = Literal["UWAVE-R", "UWAVE-SD", "MVLUE-R", "MVLUE-SD", "RMSDF", "MR", "SD"]
Light = Literal["green", "amber", "red"]
SigmaSource = Literal["limit_set", "moving_range"]


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


class BoardStation(ReadModel):
    id: int
    code: str
    name: str


class BoardLine(ReadModel):
    """A line tile: its light and the stations under it."""

    id: int
    code: str
    name: str
    status: Light = Field(description="red: a raised alarm; amber: only acknowledged ones.")
    open_alarms: int = Field(description="Raised or acknowledged alarms of the line.")
    stations: list[BoardStation]


class BoardSite(ReadModel):
    id: int
    code: str
    name: str
    status: Light = Field(description="From the site's open alarms, else its worst line.")
    lines: list[BoardLine]
    response_times: ResponseTimes = Field(description="Alarm counts and reaction times.")


class BoardAlarm(ReadModel):
    """An open (raised or acknowledged) alarm on the board."""

    id: int
    status: AlarmStatus
    rule: str
    site_id: int
    characteristic_id: int
    characteristic: str | None = Field(description="Code of the characteristic.")
    name: str | None = Field(description="Name of the characteristic.")
    raised_at: dt.datetime = Field(description="When the alarm was stored.")
    point_ts: dt.datetime | None = Field(description="Time of the reading that raised it.")
    age_seconds: float = Field(description="Seconds since raised_at, at generated_at.")
    reaction_plan: str | None


class ParetoEntry(ReadModel):
    """Alarms of the last 30 days of one characteristic (the ten most frequent)."""

    characteristic_id: int
    code: str = Field(description="Code of the characteristic (its id when not visible).")
    site_id: int = Field(description="Site of the characteristic.")
    site_code: str = Field(description="Code of that site.")
    count: int
    cumulative_share: float = Field(description="Share of all such alarms up to this entry.")


class KeyCharacteristic(ReadModel):
    """A CC/SC characteristic with an active limit set."""

    characteristic_id: int
    code: str
    name: str
    special_class: SpecialClass
    site_id: int
    cpk: float | None = Field(
        description="Cpk of the last 125 readings (the one-sided index for a one-sided "
        "specification); null without readings or specification."
    )


class Board(ReadModel):
    """The live quality board (also the payload of the ``board`` event of the stream)."""

    generated_at: dt.datetime
    sites: list[BoardSite]
    open_alarms: list[BoardAlarm]
    pareto: list[ParetoEntry] = Field(description="Most frequent first.")
    key_characteristics: list[KeyCharacteristic] = Field(description="Lowest Cpk first.")


class IndexEstimate(ReadModel):
    value: float | None = Field(description="Estimate; null where the specification lacks it.")
    lower: float | None = Field(description="Lower bound of the confidence interval.")
    upper: float | None = Field(description="Upper bound of the confidence interval.")


class CapabilityIndices(ReadModel):
    """Normal-theory indices from the within sigma (as qcc computes them)."""

    Cp: IndexEstimate
    Cp_l: IndexEstimate = Field(description="Cpl (one-sided, lower).")
    Cp_u: IndexEstimate = Field(description="Cpu (one-sided, upper).")
    Cp_k: IndexEstimate = Field(description="Cpk.")
    Cpm: IndexEstimate = Field(description="Taguchi index around the target.")


class OutOfSpec(ReadModel):
    below: float | None = Field(description="Fraction below LSL; null without an LSL.")
    above: float | None = Field(description="Fraction above USL; null without a USL.")


class NonNormalIndices(ReadModel):
    """ISO 22514-2 percentile method on a Box-Cox normal fit."""

    boxcox_lambda: float | None
    p_low: float | None = Field(description="0.135 % percentile.")
    median: float | None
    p_high: float | None = Field(description="99.865 % percentile.")
    cp: float | None
    cpk: float | None


class Histogram(ReadModel):
    edges: list[float] = Field(description="Bin edges (one more than counts).")
    counts: list[int]


class FittedCurve(ReadModel):
    x: list[float]
    y: list[float] = Field(description="Normal density scaled to the histogram's counts.")


class CapabilityStudy(ReadModel):
    """Capability of a characteristic from its latest readings."""

    characteristic_id: int
    code: str
    name: str
    unit: str | None
    lsl: float | None
    usl: float | None
    target: float = Field(description="Nominal, else mid-specification or the one limit.")
    nobs: int = Field(description="Readings used.")
    center: float
    within_sigma: float
    sigma_source: SigmaSource = Field(
        description="limit_set: centre and sigma of the active limit set; moving_range: "
        "estimated from these readings."
    )
    limit_set_revision: int | None = Field(description="Revision when from the limit set.")
    overall_sigma: float = Field(description="Sample standard deviation of the readings.")
    indices: CapabilityIndices
    pp: float | None
    ppk: float | None
    expected_out_of_spec: OutOfSpec = Field(description="From the normal model.")
    observed_out_of_spec: OutOfSpec = Field(description="Counted among the readings.")
    normality_p_value: float | None = Field(
        description="Shapiro-Wilk p-value; null outside 3 to 5,000 readings."
    )
    non_normal: NonNormalIndices | None = Field(
        description="Null for fewer than 8 readings or non-positive or constant data."
    )
    histogram: Histogram
    fitted: FittedCurve
    confidence_level: float
