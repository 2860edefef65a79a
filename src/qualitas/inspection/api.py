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
    ResultRead,
    ResultsIn,
    ResultsOut,
)
from qualitas.resource_api import mount_resource
from qualitas.schemas import Page, PathId

router = APIRouter(prefix="/api/inspection", tags=["inspection"])
mount_resource(router, CONTROL_PLAN)


@router.get("/sampling-plan")
def sampling_plan(
    principal: CurrentPrincipal,
    lot_size: Annotated[int, Query(ge=1, le=10_000_000)],
    aql: Annotated[float, Query(gt=0, le=1000)],
    level: str = "II",
    severity: str = "normal",
) -> dict[str, Any]:
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
    return {
        "code_letter": plan.code_letter,
        "plan_letter": plan.plan_letter,
        "sample_size": plan.sample_size,
        "accept": plan.accept,
        "reject": plan.reject,
        "hundred_percent": plan.hundred_percent,
        "aql": plan.aql,
        "level": str(plan.level),
        "severity": str(plan.severity),
    }


@router.post("/lots", response_model=LotRead, status_code=status.HTTP_201_CREATED)
def create_lot(body: LotCreate, principal: CurrentPrincipal, session: DbSession) -> Any:
    return service.create_lot(session, principal, body)


@router.get("/lots", response_model=Page[LotRead])
def list_lots(
    principal: CurrentPrincipal,
    session: DbSession,
    lot_status: Annotated[LotStatus | None, Query(alias="status")] = None,
    kind: LotKind | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    rows, total = service.list_lots(session, principal, lot_status, kind, limit, offset)
    return {"items": rows, "total": total, "limit": limit, "offset": offset}


def _out(session: Any, lot: Any, warnings: list[str]) -> ResultsOut:
    return ResultsOut(
        lot=LotRead.model_validate(lot),
        results=[ResultRead.model_validate(r) for r in result_service.results_of(session, lot)],
        summary=result_service.summary(session, lot),
        warnings=warnings,
    )


@router.get("/lots/{lot_id}", response_model=ResultsOut)
def get_lot(lot_id: PathId, principal: CurrentPrincipal, session: DbSession) -> Any:
    return _out(session, service.get_lot(session, principal, lot_id), [])


@router.put("/lots/{lot_id}/results", response_model=ResultsOut)
def record_results(
    lot_id: PathId, body: ResultsIn, principal: CurrentPrincipal, session: DbSession
) -> Any:
    """Record or correct results (one per characteristic and sample); corrections are audited."""
    lot, warnings = result_service.record(session, principal, lot_id, body.results)
    return _out(session, lot, warnings)


@router.post("/lots/{lot_id}/decision", response_model=LotRead)
def decide(
    lot_id: PathId, body: DecisionIn, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return service.decide(session, principal, lot_id, body.decision, body.reason, body.version)
