"""Routes of inspection: control plan, sampling calculator, lots, results, decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from qualitas.auth.permissions import Permission
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.errors import invalid
from qualitas.inspection import results as result_service
from qualitas.inspection import sampling, service
from qualitas.inspection.models import LotKind, LotStatus
from qualitas.inspection.resources import CONTROL_PLAN
from qualitas.inspection.schemas import (
    DecisionIn,
    LotCreate,
    LotRead,
    LotSort,
    ResultsIn,
    ResultsOut,
    SamplingPlanRead,
)
from qualitas.resource_api import mount_resource
from qualitas.schemas import Page, PathId

router = APIRouter(prefix="/api/inspection", tags=["inspection"])
mount_resource(router, CONTROL_PLAN)


@router.get("/sampling-plan", response_model=SamplingPlanRead)
def sampling_plan(
    principal: CurrentPrincipal,
    lot_size: Annotated[int, Query(ge=1, le=10_000_000)],
    aql: Annotated[float, Query(gt=0, le=1000)],
    level: str = "II",
    severity: str = "normal",
) -> SamplingPlanRead:
    """ISO 2859-1 single sampling plan for a lot (code letter, n, Ac, Re)."""
    principal.require(Permission.MASTER_READ)
    try:
        plan = sampling.plan_for(lot_size, aql, level, severity)
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        raise invalid(
            field if field in ("aql", "level", "severity") else "aql",
            "invalid",
            message or str(exc),
        ) from exc
    return SamplingPlanRead(
        code_letter=plan.code_letter,
        plan_letter=plan.plan_letter,
        sample_size=plan.sample_size,
        accept=plan.accept,
        reject=plan.reject,
        hundred_percent=plan.hundred_percent,
        aql=plan.aql,
        level=str(plan.level),
        severity=str(plan.severity),
    )


@router.post("/lots", response_model=LotRead, status_code=status.HTTP_201_CREATED)
def create_lot(body: LotCreate, principal: CurrentPrincipal, session: DbSession) -> Any:
    return service.read(session, service.create_lot(session, principal, body))


@router.get("/lots", response_model=Page[LotRead])
def list_lots(
    principal: CurrentPrincipal,
    session: DbSession,
    lot_status: Annotated[LotStatus | None, Query(alias="status")] = None,
    kind: LotKind | None = None,
    site_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Case-insensitive text in lot number, supplier lot, work order or "
            "item code.",
        ),
    ] = None,
    sort: Annotated[LotSort, Query(description="Field; prefix - for descending.")] = "-created_at",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    filters = {"status": lot_status, "kind": kind, "site_id": site_id, "q": q}
    rows, total = service.list_lots(session, principal, filters, sort, limit, offset)
    return {"items": rows, "total": total, "limit": limit, "offset": offset}


@router.get("/lots/{lot_id}", response_model=ResultsOut)
def get_lot(lot_id: PathId, principal: CurrentPrincipal, session: DbSession) -> Any:
    return result_service.results_out(session, service.get_lot(session, principal, lot_id), [])


@router.put("/lots/{lot_id}/results", response_model=ResultsOut)
def record_results(
    lot_id: PathId, body: ResultsIn, principal: CurrentPrincipal, session: DbSession
) -> Any:
    """Record, correct or clear results (one per characteristic and sample); corrections and
    clears are audited. Clearing does not withdraw a reading already sent to SPC."""
    lot, warnings = result_service.record(session, principal, lot_id, body.results)
    return result_service.results_out(session, lot, warnings)


@router.post("/lots/{lot_id}/decision", response_model=LotRead)
def decide(
    lot_id: PathId, body: DecisionIn, principal: CurrentPrincipal, session: DbSession
) -> Any:
    lot = service.decide(session, principal, lot_id, body.decision, body.reason, body.version)
    return service.read(session, lot)
