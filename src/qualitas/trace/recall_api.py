"""Routes of recall and containment: recalls, blast radius, holds, drill reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from sqlalchemy import func, select

from qualitas.auth.permissions import Permission
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.schemas import PathId
from qualitas.trace import recall as service
from qualitas.trace import service as trace_service
from qualitas.trace.models import Hold, Node, Recall
from qualitas.trace.schemas import (
    HoldIn,
    HoldRead,
    HoldsIn,
    ReasonIn,
    RecallCreate,
    RecallRead,
)

router = APIRouter(prefix="/api/trace", tags=["traceability"])


def _current_holds(session: DbSession, items: dict[str, list[dict[str, Any]]]) -> None:
    """The hold state of listed identities as it is now, not as it was when scoped."""
    keys = [i["id"] for rows in items.values() for i in rows]
    now: dict[str, str | None] = {}
    for i in range(0, len(keys), 4000):
        chunk = keys[i : i + 4000]
        now.update(session.execute(select(Node.key, Node.hold).where(Node.key.in_(chunk))).all())
    for rows in items.values():
        for row in rows:
            row["hold"] = now.get(row["id"], row.get("hold"))


def recall_read(session: DbSession, r: Recall) -> RecallRead:
    scope = dict(r.scope or {})
    if scope.get("items"):
        scope["items"] = {k: [dict(i) for i in v] for k, v in scope["items"].items()}
        _current_holds(session, scope["items"])
    holds = session.scalar(select(func.count()).select_from(Hold).where(Hold.recall_id == r.id))
    return RecallRead(
        id=r.id, code=r.code, title=r.title, status=r.status, drill=r.drill, suspect=r.suspect,
        counts=scope.get("counts"), items=scope.get("items"), quantities=scope.get("quantities"),
        mass_balance=scope.get("mass_balance"), answer_ms=r.answer_ms, holds=holds or 0,
        created_by=r.created_by, created_at=r.created_at, scoped_at=r.scoped_at,
        closed_at=r.closed_at,
    )  # fmt: skip


def hold_read(h: Hold, n: Node) -> HoldRead:
    return HoldRead(
        id=h.id, node=n.key, label=n.label, kind=n.kind, recall_id=h.recall_id,
        disposition=h.disposition, reason=h.reason, placed_by=h.placed_by, placed_at=h.placed_at,
        released_by=h.released_by, released_at=h.released_at, release_reason=h.release_reason,
    )  # fmt: skip


@router.get("/recalls", response_model=list[RecallRead])
def list_recalls(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[RecallRead]:
    """Recalls and mock-recall drills, newest first."""
    principal.require(Permission.TRACE_READ)
    rows = session.scalars(select(Recall).order_by(Recall.id.desc()).limit(limit))
    return [recall_read(session, r) for r in rows]


@router.post("/recalls", response_model=RecallRead, status_code=status.HTTP_201_CREATED)
def create_recall(
    body: RecallCreate, session: DbSession, principal: CurrentPrincipal
) -> RecallRead:
    """Define a suspect set and compute its blast radius at once."""
    principal.require(Permission.TRACE_HOLD)
    r = service.create(session, principal.actor, body.title, body.suspect, body.drill)
    service.scope(session, principal.actor, r)
    return recall_read(session, r)


@router.get("/recalls/{recall_id}", response_model=RecallRead)
def get_recall(recall_id: PathId, session: DbSession, principal: CurrentPrincipal) -> RecallRead:
    principal.require(Permission.TRACE_READ)
    return recall_read(session, service.get(session, recall_id))


@router.post("/recalls/{recall_id}/scope", response_model=RecallRead)
def rescope(recall_id: PathId, session: DbSession, principal: CurrentPrincipal) -> RecallRead:
    """Recompute the blast radius (new events may have arrived)."""
    principal.require(Permission.TRACE_HOLD)
    r = service.scope(session, principal.actor, service.get(session, recall_id))
    return recall_read(session, r)


@router.post("/recalls/{recall_id}/holds", response_model=RecallRead)
def hold_recall(
    recall_id: PathId, body: HoldsIn, session: DbSession, principal: CurrentPrincipal
) -> RecallRead:
    """Hold every lot, unit and container in the blast radius, in one action."""
    principal.require(Permission.TRACE_HOLD)
    r = service.get(session, recall_id)
    service.place_holds(session, principal.actor, r, body.disposition, body.reason)
    return recall_read(session, r)


@router.post("/recalls/{recall_id}/close", response_model=RecallRead)
def close_recall(
    recall_id: PathId, body: ReasonIn, session: DbSession, principal: CurrentPrincipal
) -> RecallRead:
    principal.require(Permission.TRACE_HOLD)
    r = service.close(session, principal.actor, service.get(session, recall_id), body.reason)
    return recall_read(session, r)


@router.get("/holds", response_model=list[HoldRead])
def list_holds(
    session: DbSession,
    principal: CurrentPrincipal,
    active: bool = True,
    recall_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[HoldRead]:
    """Holds, newest first (active only by default)."""
    principal.require(Permission.TRACE_READ)
    stmt = select(Hold, Node).join(Node, Node.id == Hold.node_id).order_by(Hold.id.desc())
    if active:
        stmt = stmt.where(Hold.released_at.is_(None))
    if recall_id is not None:
        stmt = stmt.where(Hold.recall_id == recall_id)
    return [hold_read(h, n) for h, n in session.execute(stmt.limit(limit)).all()]


@router.post("/holds", response_model=list[HoldRead], status_code=status.HTTP_201_CREATED)
def place_hold(body: HoldIn, session: DbSession, principal: CurrentPrincipal) -> list[HoldRead]:
    """Hold one lot, serial or container (and nothing else)."""
    principal.require(Permission.TRACE_HOLD)
    node = trace_service.resolve(session, body.id)
    service.hold_nodes(session, principal.actor, [node.id], body.disposition, body.reason)
    rows = session.execute(
        select(Hold, Node).join(Node, Node.id == Hold.node_id)
        .where(Hold.node_id == node.id, Hold.released_at.is_(None))
    ).all()  # fmt: skip
    return [hold_read(h, n) for h, n in rows]


@router.post("/holds/{hold_id}/release", response_model=HoldRead)
def release_hold(
    hold_id: PathId, body: ReasonIn, session: DbSession, principal: CurrentPrincipal
) -> HoldRead:
    """Release a hold, with the reason (a new event unsets the disposition)."""
    principal.require(Permission.TRACE_HOLD)
    h = service.release(session, principal.actor, hold_id, body.reason)
    node = session.get(Node, h.node_id)
    assert node is not None
    return hold_read(h, node)
