"""Measurement use cases: validate and ingest batches (JSON or CSV), list readings.

A batch is checked row by row: valid rows are stored (a duplicate of source, characteristic,
sequence number and source time is ignored; out-of-order readings are accepted), invalid rows
are reported with the field and reason. New readings go straight to SPC monitoring in the same
transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.db import utcnow
from qualitas.errors import invalid
from qualitas.measure import storage
from qualitas.measure.models import Measurement
from qualitas.measure.schemas import IngestReport, MeasurementIn, RowReject
from qualitas.plant.models import Characteristic, RecordStatus
from qualitas.plant.service import errors_from_pydantic
from qualitas.spc import monitor

MAX_ROWS = 100_000


_ALL_ROWS = TypeAdapter(list[MeasurementIn])


def _validate(
    rows: list[dict[str, Any]],
) -> tuple[list[tuple[int, MeasurementIn]], list[RowReject]]:
    try:  # the usual case, every row valid: one call into the validator
        return list(enumerate(_ALL_ROWS.validate_python(rows), start=1)), []
    except ValidationError:
        pass
    good: list[tuple[int, MeasurementIn]] = []
    rejects: list[RowReject] = []
    for index, raw in enumerate(rows, start=1):
        try:
            good.append((index, MeasurementIn.model_validate(raw)))
        except ValidationError as exc:
            rejects += [
                RowReject(row=index, field=e.field, message=e.message)
                for e in errors_from_pydantic(exc)
            ]
    return good, rejects


def _authorise(
    session: Session,
    principal: Principal,
    rows: list[tuple[int, MeasurementIn]],
    rejects: list[RowReject],
) -> list[dict[str, Any]]:
    ids = {m.characteristic_id for _, m in rows}
    chars = {
        c.id: c for c in session.scalars(select(Characteristic).where(Characteristic.id.in_(ids)))
    }
    now, out = utcnow(), []
    verdict: dict[int, str | None] = {}  # per characteristic: None (allowed) or the reason
    for char_id, char in chars.items():
        if char.status != RecordStatus.ACTIVE or not principal.scope.can(
            Permission.MASTER_READ, char.site_id
        ):
            verdict[char_id] = "no active characteristic with this id"
        elif not principal.scope.can(Permission.MEASURE_WRITE, char.site_id):
            verdict[char_id] = "you may not record measurements for this site"
        else:
            verdict[char_id] = None
    for index, m in rows:
        reason = verdict.get(m.characteristic_id, "no active characteristic with this id")
        if reason is not None:
            rejects.append(RowReject(row=index, field="characteristic_id", message=reason))
            continue
        row = m.__dict__.copy()  # the validated fields (model_dump without its overhead)
        row["source_ts"] = row["source_ts"].astimezone(dt.UTC)  # fast comparisons later
        row["site_id"], row["ingest_ts"] = chars[m.characteristic_id].site_id, now
        out.append(row)
    return out


def ingest(session: Session, principal: Principal, rows: list[dict[str, Any]]) -> IngestReport:
    principal.require(Permission.MEASURE_WRITE)
    if len(rows) > MAX_ROWS:
        raise invalid("rows", "too_many", f"at most {MAX_ROWS} rows per batch")
    good, rejects = _validate(rows)
    values = _authorise(session, principal, good, rejects)
    inserted = storage.insert(session, values)
    alarms = monitor.process(session, inserted) if inserted else 0
    rejects.sort(key=lambda r: r.row)
    return IngestReport(
        received=len(rows),
        accepted=len(inserted),
        duplicates=len(values) - len(inserted),
        rejected=rejects,
        alarms_raised=alarms,
    )


CSV_FIELDS = tuple(MeasurementIn.model_fields)


def parse_csv(content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV file with a header naming MeasurementIn fields (empty cells = absent)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid("file", "encoding", "CSV files must be UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    unknown = [h for h in reader.fieldnames or [] if h not in CSV_FIELDS]
    if not reader.fieldnames:
        raise invalid("file", "empty", "has no header row")
    if unknown:
        raise invalid("file", "unknown_column", f"unknown columns: {', '.join(unknown)}")
    return [{k: v for k, v in row.items() if v not in (None, "")} for row in reader]


def list_measurements(
    session: Session,
    principal: Principal,
    characteristic_id: int,
    limit: int,
    before_id: int | None,
) -> list[Measurement]:
    char = session.get(Characteristic, characteristic_id)
    if char is None:
        raise invalid("characteristic_id", "not_found", "no characteristic with this id")
    principal.require_visible(Permission.MASTER_READ, char.site_id, "characteristic")
    stmt = select(Measurement).where(Measurement.characteristic_id == characteristic_id)
    if before_id is not None:
        stmt = stmt.where(Measurement.id < before_id)
    return list(session.scalars(stmt.order_by(Measurement.id.desc()).limit(limit)))
