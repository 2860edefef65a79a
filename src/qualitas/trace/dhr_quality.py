"""Device history record sections read from the quality records: process parameters
(measurements of the lot or serial), inspection lots and results, the gauges and equipment used
with their calibration state at the time of use, and nonconformances (rejected inspection lots,
SPC alarms in the production window, holds)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from qualitas.inspection.models import InspectionLot, InspectionResult
from qualitas.measure.models import Measurement
from qualitas.plant.models import Characteristic, Gauge
from qualitas.spc.models import Alarm, SpcPoint
from qualitas.trace import document_lookup as facts
from qualitas.trace.models import Hold, Node

MEASUREMENT_CAP = 5000
Use = tuple[str | None, str | None, dt.datetime]  # (site code, station code, time)
Calibration = Literal["in_calibration", "overdue", "unknown", "not_applicable"]
CALIBRATION_ORDER: tuple[Calibration, ...] = ("overdue", "unknown", "in_calibration")


def calibration_at(
    used: dt.datetime, calibrated_on: dt.date | None, due_on: dt.date | None
) -> Calibration:
    """Calibration state of a gauge when it was used: only the current calibration is on file,
    so a use before it (or a gauge never calibrated) is ``unknown``."""
    day = used.astimezone(dt.UTC).date()
    if calibrated_on is None or day < calibrated_on:
        return "unknown"
    if due_on is not None and day > due_on:
        return "overdue"
    return "in_calibration"


def in_spec(value: float, lsl: float | None, usl: float | None) -> bool | None:
    if lsl is None and usl is None:
        return None
    return (lsl is None or value >= lsl) and (usl is None or value <= usl)


class DhrParameter(BaseModel):
    characteristic: str
    name: str
    value: float
    unit: str | None
    lsl: float | None
    usl: float | None
    in_spec: bool | None
    time: dt.datetime
    lot: str | None
    serial: str | None
    station: str | None
    station_id: int | None
    gauge: str | None


class DhrResult(BaseModel):
    characteristic: str
    sample_index: int
    value: float | None
    passed: bool
    recorded_by: str
    recorded_at: dt.datetime
    gauge: str | None


class DhrInspection(BaseModel):
    id: int
    kind: str
    item_code: str | None
    lot_number: str
    supplier_lot: str | None
    status: str
    decision: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str | None
    passed: int
    failed: int
    results: list[DhrResult]


class DhrInstrument(BaseModel):
    kind: Literal["gauge", "equipment"]
    code: str
    name: str
    first_used: dt.datetime
    last_used: dt.datetime
    uses: int
    calibrated_on: dt.date | None
    due_on: dt.date | None
    calibration: Calibration
    status: str


class DhrNonconformance(BaseModel):
    kind: Literal["inspection_rejected", "spc_alarm", "hold"]
    ref: str
    subject: str
    at: dt.datetime | None
    status: str | None
    detail: str | None


def equipment(
    ctx: facts.Context, places: list[Use], params: list[DhrParameter]
) -> list[DhrInstrument]:
    """Equipment at the stations where it was made or measured (no calibration kept for it)."""
    uses: dict[int, list[dt.datetime]] = {}
    for site, station, t in places:
        place = ctx.station(site, station) if site and station else None
        if place is not None:
            uses.setdefault(place.id, []).append(t)
    for p in params:
        if p.station_id is not None:
            uses.setdefault(p.station_id, []).append(p.time)
    found = facts.equipment_under(ctx.session, set(uses))
    out: dict[str, DhrInstrument] = {}
    for node_id, eqs in found.items():
        times = uses[node_id]
        for eq in eqs:
            prev = out.get(eq.code)
            all_times = times + ([prev.first_used, prev.last_used] if prev else [])
            out[eq.code] = DhrInstrument(
                kind="equipment", code=eq.code, name=eq.name, first_used=min(all_times),
                last_used=max(all_times), uses=len(times) + (prev.uses if prev else 0),
                calibrated_on=None, due_on=None, calibration="not_applicable", status=eq.status,
            )  # fmt: skip
    return sorted(out.values(), key=lambda i: i.code)


def parameters(ctx: facts.Context, node: Node, lots: list[Node]) -> list[DhrParameter]:
    lot_labels = {n.lot for n in [node, *lots] if n.lot}
    conds: list[ColumnElement[bool]] = []
    if lot_labels:
        conds.append(Measurement.lot.in_(lot_labels))
    if node.serial:
        conds.append(Measurement.unit == node.serial)
    if not conds:
        return []
    item = ctx.item(node.product, node.site_id)
    rows = ctx.session.execute(
        select(Measurement, Characteristic)
        .join(Characteristic, Characteristic.id == Measurement.characteristic_id)
        .where(or_(*conds))
        .order_by(Measurement.source_ts, Measurement.id)
        .limit(MEASUREMENT_CAP)
    ).all()
    out = []
    for m, c in rows:
        by_lot = m.unit != node.serial or node.serial is None
        if by_lot and item is not None and c.item_id not in (None, item.id):
            continue  # a lot number shared by another item's lot
        out.append(DhrParameter(
            characteristic=c.code, name=c.name, value=m.value, unit=c.unit, lsl=c.lsl,
            usl=c.usl, in_spec=in_spec(m.value, c.lsl, c.usl), time=m.source_ts, lot=m.lot,
            serial=m.unit, station=ctx.node_name(m.station_id), station_id=m.station_id,
            gauge=ctx.gauge_code(m.gauge_id),
        ))  # fmt: skip
    return out


def inspections(
    ctx: facts.Context, own: list[Node], components: list[tuple[str | None, str]]
) -> list[DhrInspection]:
    """Inspection lots of its own lots and of its components' lots (item code, lot)."""
    wanted: set[tuple[int, str]] = set()
    for code, lot, site in [(n.product, n.lot, n.site_id) for n in own] + [
        (c, label, None) for c, label in components
    ]:
        item = ctx.item(code, site)
        if item is not None and lot:
            wanted.add((item.id, lot))
    labels = sorted({lot for _, lot in wanted})
    found: list[InspectionLot] = []
    for i in range(0, len(labels), 500):
        chunk = labels[i : i + 500]
        match = or_(InspectionLot.lot_number.in_(chunk), InspectionLot.supplier_lot.in_(chunk))
        found.extend(ctx.session.scalars(select(InspectionLot).where(match)))
    lots = [x for x in found if (x.item_id, x.lot_number) in wanted
            or (x.item_id, x.supplier_lot) in wanted]  # fmt: skip
    results = _results(ctx, [x.id for x in lots])
    return [
        DhrInspection(
            id=x.id, kind=x.kind, item_code=_code(ctx.item_by_id(x.item_id)),
            lot_number=x.lot_number, supplier_lot=x.supplier_lot, status=x.status,
            decision=x.decision, decided_by=x.decided_by, decided_at=x.decided_at,
            reason=x.decision_reason,
            passed=sum(1 for r in results.get(x.id, []) if r.passed),
            failed=sum(1 for r in results.get(x.id, []) if not r.passed),
            results=results.get(x.id, []),
        )
        for x in sorted({x.id: x for x in lots}.values(), key=lambda x: x.id)
    ]  # fmt: skip


def _code(item: Any) -> str | None:
    return item.code if item is not None else None


def _results(ctx: facts.Context, lot_ids: list[int]) -> dict[int, list[DhrResult]]:
    if not lot_ids:
        return {}
    rows = ctx.session.execute(
        select(InspectionResult, Characteristic.code)
        .join(Characteristic, Characteristic.id == InspectionResult.characteristic_id)
        .where(InspectionResult.lot_id.in_(lot_ids), InspectionResult.cleared.is_(False))
        .order_by(InspectionResult.characteristic_id, InspectionResult.sample_index)
    ).all()
    out: dict[int, list[DhrResult]] = {}
    for r, code in rows:
        out.setdefault(r.lot_id, []).append(DhrResult(
            characteristic=code, sample_index=r.sample_index, value=r.value, passed=r.passed,
            recorded_by=r.recorded_by, recorded_at=r.recorded_at, gauge=ctx.gauge_code(r.gauge_id),
        ))  # fmt: skip
    return out


def gauges(
    ctx: facts.Context, params: list[DhrParameter], inspections: list[DhrInspection]
) -> list[DhrInstrument]:
    uses: dict[str, list[dt.datetime]] = {}
    for code, t in [(p.gauge, p.time) for p in params] + [
        (r.gauge, r.recorded_at) for x in inspections for r in x.results
    ]:
        if code:
            uses.setdefault(code, []).append(t)
    out = []
    for code, times in sorted(uses.items()):
        g: Gauge | None = ctx.gauge(code)
        if g is None:
            continue
        states = {calibration_at(t, g.last_calibrated_on, g.calibration_due_on)
                  for t in times}  # fmt: skip
        worst = next(s for s in CALIBRATION_ORDER if s in states)
        out.append(DhrInstrument(
            kind="gauge", code=g.code, name=g.name, first_used=min(times), last_used=max(times),
            uses=len(times), calibrated_on=g.last_calibrated_on, due_on=g.calibration_due_on,
            calibration=worst, status=g.status,
        ))  # fmt: skip
    return out


def rejections(inspections: list[DhrInspection]) -> list[DhrNonconformance]:
    return [
        DhrNonconformance(
            kind="inspection_rejected", ref=f"#{x.id}", subject=f"{x.item_code} {x.lot_number}",
            at=x.decided_at, status=x.decision, detail=x.reason,
        )
        for x in inspections
        if x.decision == "reject"
    ]  # fmt: skip


def alarms(
    session: Session, params: list[DhrParameter], window: list[dt.datetime]
) -> list[DhrNonconformance]:
    codes = {p.characteristic for p in params}
    if not codes or not window:
        return []
    rows = session.execute(
        select(Alarm, SpcPoint.ts, Characteristic.code)
        .join(SpcPoint, SpcPoint.id == Alarm.point_id)
        .join(Characteristic, Characteristic.id == Alarm.characteristic_id)
        .where(Characteristic.code.in_(codes))
        .where(SpcPoint.ts >= min(window), SpcPoint.ts <= max(window))
        .order_by(SpcPoint.ts)
    ).all()
    return [
        DhrNonconformance(
            kind="spc_alarm", ref=f"#{a.id}", subject=code, at=ts, status=a.status,
            detail=f"{a.rule}: {a.statistic:g}" + (f" ({a.cause})" if a.cause else ""),
        )
        for a, ts, code in rows
    ]  # fmt: skip


def holds(session: Session, nodes: list[Node]) -> list[DhrNonconformance]:
    by_id = {n.id: n for n in nodes}
    rows = session.scalars(
        select(Hold).where(Hold.node_id.in_(list(by_id))).order_by(Hold.placed_at)
    )
    return [
        DhrNonconformance(
            kind="hold", ref=f"#{h.id}", subject=by_id[h.node_id].label, at=h.placed_at,
            status=h.disposition if h.released_at is None else "released",
            detail=h.reason,
        )
        for h in rows
    ]  # fmt: skip
