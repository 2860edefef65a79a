"""Routes of SPC: limit sets, chart data, capability, alarms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.schemas import PathId
from qualitas.spc import alarms, limits
from qualitas.spc.models import AlarmStatus
from qualitas.spc.schemas import (
    AlarmAck,
    AlarmRead,
    AlarmResolve,
    Approve,
    ChartData,
    LimitSetCreate,
    LimitSetRead,
    ResponseTimes,
)

router = APIRouter(prefix="/api/spc", tags=["spc"])
SiteFilter = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.post("/limit-sets", response_model=LimitSetRead, status_code=status.HTTP_201_CREATED)
def create_limit_set(body: LimitSetCreate, principal: CurrentPrincipal, session: DbSession) -> Any:
    return limits.create(session, principal, body)


@router.post("/limit-sets/{limit_set_id}/approve", response_model=LimitSetRead)
def approve_limit_set(
    limit_set_id: PathId, body: Approve, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return limits.approve(session, principal, limit_set_id, body.reason)


@router.get("/characteristics/{characteristic_id}/chart", response_model=ChartData)
def chart(
    characteristic_id: PathId,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Any:
    return limits.chart_data(session, principal, characteristic_id, limit)


@router.get("/alarms", response_model=list[AlarmRead])
def list_alarms(
    principal: CurrentPrincipal,
    session: DbSession,
    status: AlarmStatus | None = None,
    site_id: SiteFilter = None,
    characteristic_id: SiteFilter = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Any:
    return alarms.list_alarms(session, principal, status, site_id, characteristic_id, limit)


@router.post("/alarms/{alarm_id}/acknowledge", response_model=AlarmRead)
def acknowledge(
    alarm_id: PathId, body: AlarmAck, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return alarms.acknowledge(session, principal, alarm_id, body.note)


@router.post("/alarms/{alarm_id}/resolve", response_model=AlarmRead)
def resolve(
    alarm_id: PathId, body: AlarmResolve, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return alarms.resolve(session, principal, alarm_id, body.cause, body.action)


@router.get("/response-times", response_model=ResponseTimes)
def response_times(
    principal: CurrentPrincipal, session: DbSession, site_id: SiteFilter = None
) -> Any:
    return alarms.response_times(session, principal, site_id)
