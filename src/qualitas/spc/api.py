"""Routes of SPC: limit sets, chart data, capability, alarms."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.schemas import PathId
from qualitas.spc import alarms, analysis, board, limits
from qualitas.spc.models import AlarmStatus
from qualitas.spc.schemas import (
    AlarmAck,
    AlarmRead,
    AlarmResolve,
    Approve,
    Board,
    CapabilityStudy,
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
    return alarms.read_alarms(session, principal, status, site_id, characteristic_id, limit)


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


@router.get("/characteristics/{characteristic_id}/capability", response_model=CapabilityStudy)
def capability(
    characteristic_id: PathId,
    principal: CurrentPrincipal,
    session: DbSession,
    readings: Annotated[int, Query(ge=2, le=100_000)] = 500,
    confidence_level: Annotated[float, Query(gt=0.5, lt=1)] = 0.95,
) -> Any:
    return analysis.capability(session, principal, characteristic_id, readings, confidence_level)


@router.get("/board", response_model=Board)
def quality_board(principal: CurrentPrincipal, session: DbSession) -> Any:
    """Sites, lines and stations with status, open alarms, response times, Pareto, key Cpk."""
    return board.snapshot(session, principal)


def _board_json(request: Request, principal: Principal) -> tuple[str, str]:
    with request.app.state.db.session(write=False) as session:
        snap = board.snapshot(session, principal)
    return board.fingerprint(snap), Board.model_validate(snap).model_dump_json()


@router.get(
    "/board/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def board_stream(
    request: Request,
    principal: CurrentPrincipal,
    once: bool = False,
    interval: Annotated[float, Query(ge=0.2, le=60)] = 1.0,
) -> StreamingResponse:
    """Server-sent events: a ``board`` event whenever the board changes (checked every
    ``interval`` seconds), and a comment line as heartbeat."""
    principal.require(Permission.MASTER_READ)  # refuse before the stream starts

    async def events() -> AsyncIterator[str]:
        last = None
        while True:
            mark, body = await run_in_threadpool(_board_json, request, principal)
            if mark != last:
                last = mark
                yield f"event: board\ndata: {body}\n\n"
            else:
                yield ": heartbeat\n\n"
            if once or await request.is_disconnected():
                return
            await asyncio.sleep(interval)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
