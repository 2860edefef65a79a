"""Alarm handling: list, acknowledge, resolve with cause and action, response-time figures.

Responses (``AlarmRead``) carry the characteristic's code and name and the time of the reading
that raised the alarm, loaded with one joined query; the audit trail keeps the alarm row itself
(``AlarmRow``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVarTuple

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from qualitas import events
from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.db import utcnow
from qualitas.errors import Conflict, NotFound
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.plant.models import Characteristic
from qualitas.spc.models import ALARM_TRANSITIONS, Alarm, AlarmStatus, SpcPoint
from qualitas.spc.schemas import AlarmRead, AlarmRow, ResponseTimes

Ts = TypeVarTuple("Ts")


def _filtered(
    stmt: Select[*Ts],
    principal: Principal,
    status: AlarmStatus | None,
    site_id: int | None,
    characteristic_id: int | None,
) -> Select[*Ts]:
    principal.require(Permission.MASTER_READ)
    sites = principal.scope.sites_with(Permission.MASTER_READ)
    if sites is not None:
        stmt = stmt.where(Alarm.site_id.in_(sites))
    if status is not None:
        stmt = stmt.where(Alarm.status == status)
    if site_id is not None:
        stmt = stmt.where(Alarm.site_id == site_id)
    if characteristic_id is not None:
        stmt = stmt.where(Alarm.characteristic_id == characteristic_id)
    return stmt.order_by(Alarm.id.desc())


def list_alarms(
    session: Session,
    principal: Principal,
    status: AlarmStatus | None,
    site_id: int | None,
    characteristic_id: int | None,
    limit: int,
) -> list[Alarm]:
    """The alarm rows, newest first (for figures computed from them)."""
    stmt = _filtered(select(Alarm), principal, status, site_id, characteristic_id)
    return list(session.scalars(stmt.limit(limit)))


def _joined() -> Select[Alarm, str, str, dt.datetime]:
    return (
        select(Alarm, Characteristic.code, Characteristic.name, SpcPoint.ts)
        .outerjoin(Characteristic, Characteristic.id == Alarm.characteristic_id)
        .outerjoin(SpcPoint, SpcPoint.id == Alarm.point_id)
    )


def _read(alarm: Alarm, code: str | None, name: str | None, ts: dt.datetime | None) -> AlarmRead:
    return AlarmRead(
        **AlarmRow.model_validate(alarm).model_dump(),
        characteristic_code=code,
        characteristic_name=name,
        point_ts=ts,
    )


def read_alarms(
    session: Session,
    principal: Principal,
    status: AlarmStatus | None,
    site_id: int | None,
    characteristic_id: int | None,
    limit: int,
) -> list[AlarmRead]:
    """Alarms as shown to people, newest first: one query joining characteristic and point."""
    stmt = _filtered(_joined(), principal, status, site_id, characteristic_id)
    return [_read(*row) for row in session.execute(stmt.limit(limit))]


def read_one(session: Session, alarm: Alarm) -> AlarmRead:
    row = session.execute(_joined().where(Alarm.id == alarm.id)).one()
    return _read(*row)


def point_times(session: Session, point_ids: list[int]) -> dict[int, dt.datetime]:
    """Reading time of each chart point (for alarms listed elsewhere, e.g. the board)."""
    if not point_ids:
        return {}
    stmt = select(SpcPoint.id, SpcPoint.ts).where(SpcPoint.id.in_(set(point_ids)))
    return {pid: ts for pid, ts in session.execute(stmt)}


def _alarm(session: Session, principal: Principal, alarm_id: int) -> Alarm:
    alarm = session.get(Alarm, alarm_id)
    if alarm is None or not principal.scope.can(Permission.MASTER_READ, alarm.site_id):
        raise NotFound(detail=f"alarm {alarm_id} not found")
    principal.require(Permission.ALARM_HANDLE, alarm.site_id)
    return alarm


def _move(
    session: Session,
    principal: Principal,
    alarm: Alarm,
    to: AlarmStatus,
    reason: str | None,
    changes: dict[str, Any],
) -> AlarmRead:
    now = AlarmStatus(alarm.status)
    if to not in ALARM_TRANSITIONS[now]:
        raise Conflict(detail=f"alarm is {now}; it cannot become {to}", code="invalid_transition")
    before = AlarmRow.model_validate(alarm).model_dump(mode="json")
    for key, value in changes.items():
        setattr(alarm, key, value)
    alarm.status, alarm.version = to, alarm.version + 1
    session.flush()
    after = AlarmRow.model_validate(alarm).model_dump(mode="json")
    audit(
        session,
        principal.actor,
        AuditAction.UPDATE,
        "alarm",
        alarm.id,
        site_id=alarm.site_id,
        before=before,
        after=after,
        reason=reason,
    )
    read = read_one(session, alarm)
    events.emit(session, f"spc.alarm.{to}", read.model_dump(mode="json"), key=str(alarm.id))
    return read


def acknowledge(
    session: Session, principal: Principal, alarm_id: int, note: str | None
) -> AlarmRead:
    """Acknowledge a raised alarm; the note is stored on the alarm and is the audit reason."""
    alarm = _alarm(session, principal, alarm_id)
    return _move(
        session,
        principal,
        alarm,
        AlarmStatus.ACKNOWLEDGED,
        note,
        {"acknowledged_at": utcnow(), "acknowledged_by": principal.username, "ack_note": note},
    )


def resolve(
    session: Session, principal: Principal, alarm_id: int, cause: str, action: str
) -> AlarmRead:
    alarm = _alarm(session, principal, alarm_id)
    now = utcnow()
    changes: dict[str, Any] = {
        "resolved_at": now,
        "resolved_by": principal.username,
        "cause": cause,
        "action": action,
    }
    if alarm.acknowledged_at is None:  # resolving implies acknowledging
        changes |= {"acknowledged_at": now, "acknowledged_by": principal.username}
    return _move(session, principal, alarm, AlarmStatus.RESOLVED, f"{cause} / {action}", changes)


def _median(values: list[float]) -> float | None:
    return float(np.median(values)) if values else None


def response_times(session: Session, principal: Principal, site_id: int | None) -> ResponseTimes:
    alarms = list_alarms(session, principal, None, site_id, None, limit=100_000)
    ack = [(a.acknowledged_at - a.raised_at).total_seconds() for a in alarms if a.acknowledged_at]
    res = [(a.resolved_at - a.raised_at).total_seconds() for a in alarms if a.resolved_at]
    counts = {s: sum(1 for a in alarms if a.status == s) for s in AlarmStatus}
    return ResponseTimes(
        site_id=site_id,
        alarms=len(alarms),
        open=counts[AlarmStatus.RAISED],
        acknowledged=counts[AlarmStatus.ACKNOWLEDGED],
        resolved=counts[AlarmStatus.RESOLVED],
        median_seconds_to_acknowledge=_median(ack),
        median_seconds_to_resolve=_median(res),
        p90_seconds_to_acknowledge=float(np.percentile(ack, 90)) if ack else None,
    )
