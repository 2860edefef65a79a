"""Request and response shapes of the measurement API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, Field, StringConstraints

from qualitas.schemas import ReadModel, Strict

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class MeasurementIn(Strict):
    characteristic_id: int = Field(ge=1, le=2**31 - 1)
    value: float = Field(allow_inf_nan=False, ge=-1e15, le=1e15)
    source_ts: AwareDatetime = Field(description="When the reading was taken (with time zone).")
    source_id: Key = Field(description="Instrument, gauge or client that produced the reading.")
    seq: int = Field(ge=0, le=2**63 - 1, description="Sequence number within the source.")
    lot: Label | None = None
    unit: Label | None = None
    station_id: int | None = Field(None, ge=1, le=2**31 - 1)
    subgroup: Label | None = Field(None, description="Readings with one key form a subgroup.")
    gauge_id: int | None = Field(None, ge=1, le=2**31 - 1)


class MeasurementBatch(Strict):
    rows: list[dict[str, object]] = Field(max_length=100_000)


class RowReject(ReadModel):
    row: int
    field: str
    message: str


class IngestReport(ReadModel):
    received: int
    accepted: int
    duplicates: int
    rejected: list[RowReject]
    alarms_raised: int = 0


class MeasurementRead(ReadModel):
    id: int
    characteristic_id: int
    site_id: int
    value: float
    source_ts: dt.datetime
    ingest_ts: dt.datetime
    source_id: str
    seq: int
    lot: str | None
    unit: str | None
    station_id: int | None
    subgroup: str | None
    gauge_id: int | None
