"""Limit-set use cases: compute Phase I limits from stored readings, approve, list, chart data."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.db import utcnow
from qualitas.errors import Conflict, NotFound, invalid
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.plant.models import Characteristic, CharacteristicKind
from qualitas.spc import study
from qualitas.spc.charts import Chart, ShewhartChart
from qualitas.spc.models import LimitSet, LimitSetStatus, SpcPoint
from qualitas.spc.monitor import limits_of
from qualitas.spc.schemas import ChartData, ChartPoint, LimitSetCreate, LimitSetRead

MIN_POINTS = 2


def _characteristic(session: Session, principal: Principal, char_id: int) -> Characteristic:
    char = session.get(Characteristic, char_id)
    if char is None or not principal.scope.can(Permission.MASTER_READ, char.site_id):
        raise NotFound(detail=f"characteristic {char_id} not found")
    return char


def _phase1(session: Session, body: LimitSetCreate) -> tuple[np.ndarray, dict[str, Any]]:
    data, _, _ = study.readings(
        session,
        body.characteristic_id,
        body.chart,
        body.subgroup_size,
        body.phase1_from,
        body.phase1_to,
    )
    meta = {
        "from": body.phase1_from.isoformat() if body.phase1_from else None,
        "to": body.phase1_to.isoformat() if body.phase1_to else None,
        "points": int(data.shape[0]),
        "readings": int(data.size),
        "sha256": study.digest(data),
        "given": body.center is not None and body.std_dev is not None,
    }
    return data, meta


def create(session: Session, principal: Principal, body: LimitSetCreate) -> LimitSet:
    char = _characteristic(session, principal, body.characteristic_id)
    principal.require(Permission.SPC_WRITE, char.site_id)
    if char.kind != CharacteristicKind.VARIABLE:
        raise invalid("characteristic_id", "attribute", "limit sets here are for variables")
    if (body.chart == "xbar.one") != (body.subgroup_size == 1):
        raise invalid("subgroup_size", "chart", "individuals charts need 1, subgroup charts 2+")
    data, meta = _phase1(session, body)
    known = body.center is not None and body.std_dev is not None
    if not known and meta["points"] < MIN_POINTS:
        raise invalid("phase1_from", "too_few", f"Phase I holds {meta['points']} points")
    try:
        lim = ShewhartChart(
            Chart(body.chart),
            std_dev_method=body.sigma_method,
            nsigmas=body.nsigmas,
            center=body.center,
            std_dev=body.std_dev,
        ).fit(data if data.size else np.zeros((1, 2)))
    except ValueError as exc:
        field, _, msg = str(exc).partition(": ")
        raise invalid(
            "sigma_method" if field == "std_dev_method" else "phase1_from",
            "invalid",
            msg or str(exc),
        ) from exc
    revision = (
        session.scalar(
            select(func.max(LimitSet.revision)).where(LimitSet.characteristic_id == char.id)
        )
        or 0
    ) + 1
    ls = LimitSet(
        characteristic_id=char.id,
        site_id=char.site_id,
        revision=revision,
        chart=body.chart,
        subgroup_size=body.subgroup_size,
        center=lim.center,
        std_dev=lim.std_dev,
        nsigmas=body.nsigmas,
        sigma_method=body.sigma_method,
        rule_set=body.rule_set,
        run_length=body.run_length,
        reaction_plan=body.reaction_plan,
        phase1=meta,
        reason=body.reason,
        created_by=principal.username,
    )
    session.add(ls)
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.CREATE,
        "limit_set",
        ls.id,
        site_id=ls.site_id,
        after=_snap(ls),
        reason=body.reason,
    )
    return ls


def _snap(ls: LimitSet) -> dict[str, Any]:
    return LimitSetRead.model_validate(ls).model_dump(mode="json")


def approve(session: Session, principal: Principal, ls_id: int, reason: str) -> LimitSet:
    ls = session.get(LimitSet, ls_id)
    if ls is None or not principal.scope.can(Permission.MASTER_READ, ls.site_id):
        raise NotFound(detail=f"limit set {ls_id} not found")
    principal.require(Permission.SPC_WRITE, ls.site_id)
    if ls.status != LimitSetStatus.DRAFT:
        raise Conflict(detail=f"limit set is {ls.status}, not a draft", code="not_draft")
    for old in session.scalars(
        select(LimitSet).where(
            LimitSet.characteristic_id == ls.characteristic_id,
            LimitSet.status == LimitSetStatus.ACTIVE,
        )
    ):
        before = _snap(old)
        old.status, old.version = LimitSetStatus.SUPERSEDED, old.version + 1
        session.flush()
        audit(
            session,
            principal.actor,
            AuditAction.UPDATE,
            "limit_set",
            old.id,
            site_id=old.site_id,
            before=before,
            after=_snap(old),
            reason=reason,
        )
    before = _snap(ls)
    ls.status, ls.approved_by, ls.approved_at = LimitSetStatus.ACTIVE, principal.username, utcnow()
    ls.version += 1
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.UPDATE,
        "limit_set",
        ls.id,
        site_id=ls.site_id,
        before=before,
        after=_snap(ls),
        reason=reason,
    )
    return ls


def chart_data(session: Session, principal: Principal, char_id: int, limit: int) -> ChartData:
    _characteristic(session, principal, char_id)
    sets = list(
        session.scalars(
            select(LimitSet)
            .where(LimitSet.characteristic_id == char_id)
            .order_by(LimitSet.revision)
        )
    )
    by_id = {ls.id: ls for ls in sets}
    rows = list(
        reversed(
            list(
                session.scalars(
                    select(SpcPoint)
                    .where(SpcPoint.characteristic_id == char_id)
                    .order_by(SpcPoint.id.desc())
                    .limit(limit)
                )
            )
        )
    )
    points = []
    for p in rows:
        ls = by_id[p.limit_set_id]
        lcl, ucl = limits_of(ls).limits_for(np.array([float(p.size)]))
        points.append(
            ChartPoint(
                id=p.id,
                ts=p.ts,
                statistic=p.statistic,
                size=p.size,
                subgroup=p.subgroup,
                limit_set_id=p.limit_set_id,
                center=ls.center,
                lcl=float(lcl[0]),
                ucl=float(ucl[0]),
                violations=list(p.violations or []),
            )
        )
    active = next((ls for ls in sets if ls.status == LimitSetStatus.ACTIVE), None)
    shown = active or (sets[-1] if sets else None)
    return ChartData(
        characteristic_id=char_id,
        active=LimitSetRead.model_validate(active) if active else None,
        limit_sets=[LimitSetRead.model_validate(s) for s in sets],
        phase1=study.chart(session, shown) if shown else None,
        points=points,
    )
