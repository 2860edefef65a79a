"""Recording inspection results: checks against the plan, spec and gauge calibration.

A result can be cleared (``clear: true``): the row is kept for the trail, marked ``cleared``
and audited like a correction, and leaves the lot's results and summary. A reading it already
sent to SPC stays: measurements are append-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.config import get_settings
from qualitas.db import utcnow
from qualitas.errors import Conflict, FieldError, ValidationFailed
from qualitas.inspection import sampling
from qualitas.inspection.models import InspectionLot, InspectionResult, LotStatus
from qualitas.inspection.schemas import (
    CharacteristicSummary,
    LotSummary,
    ResultIn,
    ResultRead,
    ResultsOut,
    ResultWarning,
)
from qualitas.inspection.service import ENTITY, get_lot, read, snap
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.measure import storage
from qualitas.plant.models import Gauge, GaugeStatus
from qualitas.spc import monitor


def _gauge_problem(gauge: Gauge | None, site_id: int, today: dt.date) -> tuple[str, str] | None:
    """(code, message) of what makes the gauge unfit for use, or None."""
    if gauge is None or gauge.site_id != site_id:
        return "not_found", "no gauge of this site with this id"
    if gauge.status != GaugeStatus.IN_SERVICE:
        return "gauge_not_in_service", f"gauge {gauge.code} is {gauge.status}"
    if gauge.calibration_due_on is not None and gauge.calibration_due_on < today:
        due = gauge.calibration_due_on
        return "calibration_overdue", f"gauge {gauge.code} was due for calibration on {due}"
    return None


def _value_errors(line: dict[str, Any], r: ResultIn, where: str) -> list[FieldError]:
    if r.clear:
        if r.value is None and r.passed is None and not r.defects:
            return []
        message = "a cleared result takes no value, pass/fail or defects"
        return [FieldError(f"{where}.clear", "conflicting", message)]
    errors = []
    if r.sample_index > line["sample_size"]:
        message = f"the plan samples {line['sample_size']} units"
        errors.append(FieldError(f"{where}.sample_index", "beyond_sample", message))
    if line["kind"] == "variable" and r.value is None:
        errors.append(FieldError(f"{where}.value", "required", "a variable needs a value"))
    if line["kind"] == "attribute" and r.passed is None and r.defects == 0:
        errors.append(FieldError(f"{where}.passed", "required", "pass or fail is needed"))
    return errors


def _check(session: Session, lot: InspectionLot, results: list[ResultIn]) -> list[ResultWarning]:
    plan = {p["characteristic_id"]: p for p in lot.plan}
    errors: list[FieldError] = []
    warnings: list[ResultWarning] = []
    block = get_settings().inspection.gauge_policy == "block"
    today = utcnow().date()
    for i, r in enumerate(results):
        line = plan.get(r.characteristic_id)
        where = f"results.{i}"
        if line is None:
            errors.append(
                FieldError(
                    f"{where}.characteristic_id",
                    "not_in_plan",
                    "is not in this lot's inspection plan",
                )
            )
            continue
        errors += _value_errors(line, r, where)
        if r.clear:
            continue
        gauge_id = r.gauge_id or line.get("gauge_id")
        if gauge_id is not None:
            gauge = session.get(Gauge, gauge_id)
            if gauge is None or gauge.site_id != lot.site_id:
                errors.append(
                    FieldError(
                        f"{where}.gauge_id", "not_found", "no gauge of this site with this id"
                    )
                )
                continue
            problem = _gauge_problem(gauge, lot.site_id, today)
            if problem and block:
                errors.append(FieldError(f"{where}.gauge_id", "gauge_not_usable", problem[1]))
            elif problem:
                warnings.append(
                    ResultWarning(
                        row=i,
                        field=f"{where}.gauge_id",
                        code=problem[0],
                        message=problem[1],
                        characteristic_id=r.characteristic_id,
                        sample_index=r.sample_index,
                        gauge_id=gauge.id,
                    )
                )
    if errors:
        raise ValidationFailed(detail="invalid results", errors=errors)
    return warnings


def _passed(line: dict[str, Any], r: ResultIn) -> bool:
    if line["kind"] == "variable" and r.value is not None:
        lo, hi = line.get("lsl"), line.get("usl")
        return (lo is None or r.value >= lo) and (hi is None or r.value <= hi)
    return bool(r.passed) if r.passed is not None else r.defects == 0


def record(
    session: Session, principal: Principal, lot_id: int, results: list[ResultIn]
) -> tuple[InspectionLot, list[ResultWarning]]:
    lot = get_lot(session, principal, lot_id)
    principal.require(Permission.MEASURE_WRITE, lot.site_id)
    if lot.status == LotStatus.DECIDED:
        raise Conflict(detail="the lot is decided; results are closed", code="decided")
    warnings = _check(session, lot, results)
    plan = {p["characteristic_id"]: p for p in lot.plan}
    new_readings = []
    for r in results:
        if r.clear:
            _clear(session, principal, lot, r)
            continue
        row, created = _upsert(session, principal, lot, plan[r.characteristic_id], r)
        if created and row.value is not None:
            new_readings.append(row)
    _to_measurements(session, lot, new_readings)
    if lot.status == LotStatus.OPEN:
        lot.status = LotStatus.IN_PROGRESS
    _refresh_recommendation(session, lot)
    return lot, warnings


def _find(session: Session, lot: InspectionLot, r: ResultIn) -> InspectionResult | None:
    return session.scalar(
        select(InspectionResult).where(
            InspectionResult.lot_id == lot.id,
            InspectionResult.characteristic_id == r.characteristic_id,
            InspectionResult.sample_index == r.sample_index,
        )
    )


def _audit_change(
    session: Session,
    principal: Principal,
    lot: InspectionLot,
    row: InspectionResult,
    before: dict[str, Any],
    reason: str,
) -> None:
    row.version, row.recorded_by, row.recorded_at = row.version + 1, principal.username, utcnow()
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.UPDATE,
        "inspection_result",
        row.id,
        site_id=lot.site_id,
        before=before,
        after=ResultRead.model_validate(row).model_dump(mode="json"),
        reason=reason,
    )


def _clear(session: Session, principal: Principal, lot: InspectionLot, r: ResultIn) -> None:
    """Clear a saved result (nothing saved, or already cleared: nothing to do)."""
    row = _find(session, lot, r)
    if row is None or row.cleared:
        return
    before = ResultRead.model_validate(row).model_dump(mode="json")
    row.cleared = True
    _audit_change(session, principal, lot, row, before, "cleared")


def _upsert(
    session: Session, principal: Principal, lot: InspectionLot, line: dict[str, Any], r: ResultIn
) -> tuple[InspectionResult, bool]:
    row = _find(session, lot, r)
    values = {
        "value": r.value,
        "passed": _passed(line, r),
        "defects": r.defects,
        "quantity": r.quantity,
        "unit": r.unit,
        "gauge_id": r.gauge_id or line.get("gauge_id"),
    }
    if row is None:
        row = InspectionResult(
            lot_id=lot.id,
            characteristic_id=r.characteristic_id,
            sample_index=r.sample_index,
            recorded_by=principal.username,
            **values,
        )
        session.add(row)
        session.flush()
        audit(
            session,
            principal.actor,
            AuditAction.CREATE,
            "inspection_result",
            row.id,
            site_id=lot.site_id,
            after=ResultRead.model_validate(row).model_dump(mode="json"),
        )
        return row, True
    before = ResultRead.model_validate(row).model_dump(mode="json")
    if not row.cleared and all(getattr(row, k) == v for k, v in values.items()):
        return row, False
    for k, v in values.items():
        setattr(row, k, v)
    row.cleared = False  # entering a value again after a clear is a correction
    _audit_change(session, principal, lot, row, before, "corrected")
    return row, False


def _to_measurements(session: Session, lot: InspectionLot, rows: list[InspectionResult]) -> None:
    readings = [
        {
            "characteristic_id": r.characteristic_id,
            "site_id": lot.site_id,
            "value": r.value,
            "source_ts": r.recorded_at,
            "ingest_ts": r.recorded_at,
            "source_id": f"inspection-lot-{lot.id}",
            "seq": r.sample_index,
            "lot": lot.lot_number,
            "unit": r.unit,
            "station_id": lot.node_id,
            "subgroup": f"lot-{lot.id}",
            "gauge_id": r.gauge_id,
        }
        for r in rows
    ]
    inserted = storage.insert(session, readings)
    if inserted:
        monitor.process(session, inserted)


def results_of(session: Session, lot: InspectionLot) -> list[InspectionResult]:
    return list(
        session.scalars(
            select(InspectionResult)
            .where(InspectionResult.lot_id == lot.id, InspectionResult.cleared.is_(False))
            .order_by(InspectionResult.characteristic_id, InspectionResult.sample_index)
        )
    )


def summary(session: Session, lot: InspectionLot) -> LotSummary:
    rows = results_of(session, lot)
    failed_units: dict[int, int] = {}
    per_char: dict[int, CharacteristicSummary] = {}
    for r in rows:
        c = per_char.setdefault(
            r.characteristic_id, CharacteristicSummary(checked=0, failed=0, defects=0)
        )
        c.checked += r.quantity
        c.failed += 0 if r.passed else r.quantity
        c.defects += r.defects
        if not r.passed:
            failed_units[r.sample_index] = max(failed_units.get(r.sample_index, 0), r.quantity)
    expected = sum(p["sample_size"] for p in lot.plan)
    return LotSummary(
        characteristics=per_char,
        nonconforming_units=sum(failed_units.values()),
        results=len(rows),
        expected_results=expected,
        complete=sum(c.checked for c in per_char.values()) >= expected,
        recommendation=lot.recommendation,
    )


def results_out(session: Session, lot: InspectionLot, warnings: list[ResultWarning]) -> ResultsOut:
    """The lot with its saved results, summary and the warnings of this save."""
    return ResultsOut(
        lot=read(session, lot),
        results=[ResultRead.model_validate(r) for r in results_of(session, lot)],
        summary=summary(session, lot),
        warnings=warnings,
    )


def _refresh_recommendation(session: Session, lot: InspectionLot) -> None:
    before = snap(lot)
    s = summary(session, lot)
    plan = lot.sampling
    nonconforming = s.nonconforming_units
    rec: str | None
    if plan.get("accept") is not None:
        p = sampling.plan_for(lot.quantity, plan["aql"], lot.inspection_level, lot.severity)
        rec = "accept" if sampling.judge(p, nonconforming).accepted else "reject"
        if rec == "accept" and not s.complete:
            rec = None
    else:
        rec = ("reject" if nonconforming else "accept") if s.complete else None
    if rec == lot.recommendation and plan.get("nonconforming") == nonconforming:
        return  # nothing the lot shows has changed: no new version, no audit entry
    lot.sampling = {**plan, "nonconforming": nonconforming}
    lot.recommendation = rec
    lot.version += 1
    session.flush()
    audit(
        session,
        Principal.system("inspection").actor,
        AuditAction.UPDATE,
        ENTITY,
        lot.id,
        site_id=lot.site_id,
        before=before,
        after=snap(lot),
    )
