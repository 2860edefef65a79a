"""Routes: the audit history of a record, and chain verification for auditors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.errors import NotFound
from qualitas.ledger import service
from qualitas.schemas import PathId, ReadModel

router = APIRouter(prefix="/api/audit", tags=["audit"])

EntityType = Literal[
    "node",
    "equipment",
    "gauge",
    "item",
    "item_revision",
    "bom_line",
    "characteristic",
    "supplier",
    "customer",
    "user",
    "limit_set",
    "alarm",
    "control_plan_line",
    "inspection_lot",
    "inspection_result",
]


class Change(ReadModel):
    field: str
    old: Any
    new: Any


class HistoryEntry(ReadModel):
    id: int
    ts: dt.datetime
    actor_name: str
    action: str
    entity_type: str
    entity_id: str | None
    changes: list[Change]
    reason: str | None
    hash: str


class VerifyReport(ReadModel):
    ok: bool
    checked: int
    head: str
    first_broken_seq: int | None
    problem: str | None


def _authorise_history(
    session: Session, principal: Principal, entity_type: str, entity_id: int
) -> None:
    """Anyone who may see a record may see its history; a user's history needs users.admin."""
    if entity_type == "user":
        if principal.user_id != entity_id:
            principal.require_global(Permission.USERS_ADMIN)
        return
    entries = service.history(session, entity_type, entity_id)
    if not entries:
        raise NotFound(detail=f"no history for {entity_type} {entity_id}")
    principal.require_visible(Permission.MASTER_READ, entries[-1].site_id, entity_type)


@router.get("/entity/{entity_type}/{entity_id}", response_model=list[HistoryEntry])
def history(
    entity_type: Annotated[EntityType, Path()],
    entity_id: PathId,
    principal: CurrentPrincipal,
    session: DbSession,
) -> list[HistoryEntry]:
    _authorise_history(session, principal, entity_type, entity_id)
    return [
        HistoryEntry(
            id=e.seq,
            ts=e.ts,
            actor_name=e.actor_name,
            action=e.action,
            entity_type=e.entity_type,
            entity_id=e.entity_id,
            changes=[Change(**c) for c in service.diff(e.before, e.after)],
            reason=e.reason,
            hash=e.hash,
        )
        for e in service.history(session, entity_type, entity_id)
    ]


@router.get("/verify", response_model=VerifyReport)
def verify(principal: CurrentPrincipal, session: DbSession) -> VerifyReport:
    principal.require_global(Permission.AUDIT_READ)
    report = service.verify(session)
    brk = report.first_break
    return VerifyReport(
        ok=report.ok,
        checked=report.checked,
        head=report.head,
        first_broken_seq=brk.seq if brk else None,
        problem=brk.reason if brk else None,
    )
