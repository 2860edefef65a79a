"""Inspection lots: plan from the control plan and ISO 2859-1, record results, decide.

Variable results also become measurements (one subgroup per lot), so SPC sees inspection data.
A rejected lot raises the domain event ``inspection.lot.rejected``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qualitas import events
from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.db import utcnow
from qualitas.errors import Conflict, NotFound, invalid
from qualitas.inspection import sampling
from qualitas.inspection.models import (
    ControlPlanLine,
    InspectionLot,
    LotDecision,
    LotKind,
    LotStatus,
    SwitchingRecord,
)
from qualitas.inspection.schemas import LotCreate, LotRead, LotRow, LotSort
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.plant.models import Characteristic, Item, RecordStatus, Supplier

ENTITY = "inspection_lot"


def snap(lot: InspectionLot) -> dict[str, Any]:
    """The lot row as the audit trail and the lot events record it."""
    return LotRow.model_validate(lot).model_dump(mode="json")


def _read(lot: InspectionLot, code: str | None, name: str | None) -> LotRead:
    return LotRead(**LotRow.model_validate(lot).model_dump(), item_code=code, item_name=name)


def read(session: Session, lot: InspectionLot) -> LotRead:
    """The lot as the API shows it, with its item's code and name."""
    item = session.get(Item, lot.item_id)
    return _read(lot, item.code if item else None, item.name if item else None)


def get_lot(session: Session, principal: Principal, lot_id: int) -> InspectionLot:
    lot = session.get(InspectionLot, lot_id)
    if lot is None or not principal.scope.can(Permission.MASTER_READ, lot.site_id):
        raise NotFound(detail=f"inspection lot {lot_id} not found")
    return lot


SORTS = {
    "created_at": InspectionLot.created_at,
    "lot_number": InspectionLot.lot_number,
    "status": InspectionLot.status,
    "quantity": InspectionLot.quantity,
}


def list_lots(
    session: Session,
    principal: Principal,
    filters: dict[str, Any],
    sort: LotSort,
    limit: int,
    offset: int,
) -> tuple[list[LotRead], int]:
    """A page of lots with their item: filters ``status``, ``kind``, ``site_id`` and ``q`` (lot
    number, supplier lot, work order or item code, case-insensitive); lots of sites the caller
    cannot see are never listed. One query for the page, one for the total."""
    principal.require(Permission.MASTER_READ)
    stmt = select(InspectionLot, Item.code, Item.name).join(Item, Item.id == InspectionLot.item_id)
    sites = principal.scope.sites_with(Permission.MASTER_READ)
    if sites is not None:
        stmt = stmt.where(InspectionLot.site_id.in_(sites))
    for key in ("status", "kind", "site_id"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(InspectionLot, key) == filters[key])
    if filters.get("q"):
        pattern = f"%{str(filters['q']).strip().lower()}%"
        columns = (
            InspectionLot.lot_number,
            InspectionLot.supplier_lot,
            InspectionLot.work_order,
            Item.code,
        )
        stmt = stmt.where(or_(*(func.lower(c).like(pattern) for c in columns)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    col = SORTS[sort.removeprefix("-")]
    desc = sort.startswith("-")
    order = (col.desc(), InspectionLot.id.desc()) if desc else (col.asc(), InspectionLot.id.asc())
    rows = session.execute(stmt.order_by(*order).limit(limit).offset(offset))
    return [_read(lot, code, name) for lot, code, name in rows], int(total)


def _switching(session: Session, supplier_id: int, item_id: int) -> SwitchingRecord:
    rec = session.scalar(
        select(SwitchingRecord).where(
            SwitchingRecord.supplier_id == supplier_id, SwitchingRecord.item_id == item_id
        )
    )
    if rec is None:
        rec = SwitchingRecord(
            supplier_id=supplier_id, item_id=item_id, state=_state_json(sampling.SwitchingState())
        )
        session.add(rec)
        session.flush()
    return rec


def _state_json(state: sampling.SwitchingState) -> dict[str, Any]:
    data = dataclasses.asdict(dataclasses.replace(state, decision=None))
    data.pop("decision")
    data["state"] = str(state.state)
    data["recent"] = list(state.recent)
    return data


def _state_of(rec: SwitchingRecord) -> sampling.SwitchingState:
    data = dict(rec.state)
    return sampling.SwitchingState(
        state=sampling.InspectionState(data.pop("state")), recent=tuple(data.pop("recent")), **data
    )


def _plan_lines(session: Session, item: Item, node_id: int | None) -> list[ControlPlanLine]:
    stmt = select(ControlPlanLine).where(
        ControlPlanLine.item_id == item.id, ControlPlanLine.status == RecordStatus.ACTIVE
    )
    lines = list(session.scalars(stmt.order_by(ControlPlanLine.code)))
    if node_id is not None:
        lines = [ln for ln in lines if ln.operation_node_id in (None, node_id)]
    return lines


def _sampling(body: LotCreate, lines: list[ControlPlanLine], severity: str) -> dict[str, Any]:
    aql = body.aql if body.aql is not None else next((ln.aql for ln in lines if ln.aql), None)
    level = str(body.inspection_level or (lines[0].inspection_level if lines else "II"))
    if aql is None:
        return {"aql": None, "level": level, "severity": severity, "sample_size": None}
    plan = sampling.plan_for(body.quantity, aql, level, severity)
    return {
        "aql": plan.aql,
        "level": str(plan.level),
        "severity": str(plan.severity),
        "code_letter": plan.code_letter,
        "plan_letter": plan.plan_letter,
        "sample_size": plan.sample_size,
        "accept": plan.accept,
        "reject": plan.reject,
        "hundred_percent": plan.hundred_percent,
    }


def _plan_json(
    session: Session, lines: list[ControlPlanLine], aql_n: int | None, quantity: int
) -> list[dict[str, Any]]:
    out = []
    for ln in lines:
        char = session.get(Characteristic, ln.characteristic_id)
        if char is None:
            continue
        n = min(aql_n or ln.sample_size, quantity)
        out.append(
            {
                "line_id": ln.id,
                "characteristic_id": char.id,
                "code": char.code,
                "name": char.name,
                "kind": char.kind,
                "unit": char.unit,
                "lsl": char.lsl,
                "usl": char.usl,
                "nominal": char.nominal,
                "special_class": char.special_class,
                "sample_size": n,
                "gauge_id": ln.gauge_id,
                "gauge_type": ln.gauge_type,
                "method": ln.method,
                "frequency": ln.frequency,
                "reaction_plan": ln.reaction_plan,
            }
        )
    return out


def create_lot(session: Session, principal: Principal, body: LotCreate) -> InspectionLot:
    item = session.get(Item, body.item_id)
    if item is None or not principal.scope.can(Permission.MASTER_READ, item.site_id):
        raise invalid("item_id", "not_found", "no item with this id")
    principal.require(Permission.MEASURE_WRITE, item.site_id)
    severity = "normal"
    if body.kind == LotKind.INCOMING:
        supplier = session.get(Supplier, body.supplier_id)
        if supplier is None or supplier.site_id != item.site_id:
            raise invalid("supplier_id", "not_found", "no supplier of this site with this id")
        state = _state_of(_switching(session, supplier.id, item.id))
        if state.severity is None:
            raise Conflict(
                detail="inspection of this supplier's item is discontinued "
                "(ISO 2859-1, 9.4) until corrective action is accepted",
                code="inspection_discontinued",
            )
        severity = str(state.severity)
    lines = _plan_lines(session, item, body.node_id)
    if not lines:
        raise invalid("item_id", "no_control_plan", "the item has no active control-plan lines")
    plan = _sampling(body, lines, severity)
    lot = InspectionLot(
        site_id=item.site_id,
        kind=body.kind,
        item_id=item.id,
        lot_number=body.lot_number,
        quantity=body.quantity,
        supplier_id=body.supplier_id,
        supplier_lot=body.supplier_lot,
        work_order=body.work_order,
        node_id=body.node_id,
        aql=plan["aql"],
        inspection_level=plan["level"],
        severity=severity,
        sampling=plan,
        plan=_plan_json(session, lines, plan["sample_size"], body.quantity),
        created_by=principal.username,
    )
    session.add(lot)
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.CREATE,
        ENTITY,
        lot.id,
        site_id=lot.site_id,
        after=snap(lot),
    )
    events.emit(session, "inspection.lot.created", snap(lot), key=str(lot.id))
    return lot


def decide(
    session: Session,
    principal: Principal,
    lot_id: int,
    decision: LotDecision,
    reason: str | None,
    version: int,
) -> InspectionLot:
    lot = get_lot(session, principal, lot_id)
    principal.require(Permission.INSPECTION_DECIDE, lot.site_id)
    if lot.version != version:
        raise Conflict(
            detail="the lot was changed by someone else; reload", code="version_conflict"
        )
    if lot.status == LotStatus.DECIDED:
        raise Conflict(detail=f"the lot is already decided ({lot.decision})", code="decided")
    if not reason and (decision != LotDecision.ACCEPT or lot.recommendation == "reject"):
        raise invalid("reason", "required", "give a reason for this decision")
    before = snap(lot)
    lot.status, lot.decision, lot.decision_reason = LotStatus.DECIDED, decision, reason
    lot.decided_by, lot.decided_at, lot.version = principal.username, utcnow(), lot.version + 1
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.UPDATE,
        ENTITY,
        lot.id,
        site_id=lot.site_id,
        before=before,
        after=snap(lot),
        reason=reason,
    )
    if (
        lot.kind == LotKind.INCOMING
        and lot.supplier_id is not None
        and lot.sampling.get("accept") is not None
    ):
        _advance_switching(session, lot, decision)
    payload = snap(lot)
    events.emit(session, "inspection.lot.decided", payload, key=str(lot.id))
    if decision == LotDecision.REJECT:
        events.emit(session, "inspection.lot.rejected", payload, key=str(lot.id))
    return lot


def _advance_switching(session: Session, lot: InspectionLot, decision: LotDecision) -> None:
    rec = _switching(session, int(lot.supplier_id or 0), lot.item_id)
    plan = sampling.plan_for(lot.quantity, lot.sampling["aql"], lot.inspection_level, lot.severity)
    nonconforming = int(lot.sampling.get("nonconforming", 0))
    result = sampling.lot_result(plan, nonconforming)
    result = dataclasses.replace(result, accepted=decision != LotDecision.REJECT)
    state = sampling.next_state(_state_of(rec), result)
    rec.state = _state_json(state)
    if state.decision is not None and state.decision.trigger is not None:
        rec.note = (
            f"{dt.date.today()}: {state.decision.before} -> {state.decision.after} "
            f"({state.decision.trigger})"
        )
