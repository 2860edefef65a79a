"""Demo content for inspection and live SPC: control-plan lines, Phase I history with approved
limit sets, and the simulator's process models."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth.principal import Principal
from qualitas.db import utcnow
from qualitas.demo import data
from qualitas.demo.simulator import Process
from qualitas.inspection.resources import CONTROL_PLAN
from qualitas.measure import service as measure_service
from qualitas.plant import service as plant_service
from qualitas.plant.models import Characteristic, Gauge
from qualitas.spc import limits
from qualitas.spc.schemas import LimitSetCreate

PHASE1_POINTS = 30


def _spread(char: Characteristic) -> tuple[float, float]:
    """A capable process (Cpk about 1.6) centred on the nominal or mid-specification."""
    if char.lsl is not None and char.usl is not None:
        centre = char.nominal if char.nominal is not None else (char.lsl + char.usl) / 2
        return centre, (char.usl - char.lsl) / 10
    limit = char.usl if char.usl is not None else char.lsl or 1.0
    return limit * 0.5, abs(limit) * 0.08


def _control_plan(session: Session, who: Principal) -> None:
    chars = session.scalars(select(Characteristic).where(Characteristic.item_id.is_not(None)))
    for char in chars:
        body = {
            "site_id": char.site_id,
            "code": f"CP-{char.code}",
            "name": f"{char.operation or 'OP'} {char.name}",
            "item_id": char.item_id,
            "characteristic_id": char.id,
            "operation_node_id": char.operation_node_id,
            "operation": char.operation,
            "sample_size": 5,
            "frequency": "every 2 hours",
            "method": f"Measure with {char.gauge_type or 'visual check'}",
            "gauge_type": char.gauge_type,
            "reaction_plan": data.REACTION_PLAN,
            "aql": 1.0 if char.kind == "attribute" else None,
        }
        plant_service.create_record(
            session, who, CONTROL_PLAN, CONTROL_PLAN.create.model_validate(body)
        )


def _by_code(session: Session, code: str) -> Characteristic:
    char = session.scalar(select(Characteristic).where(Characteristic.code == code))
    if char is None:
        raise LookupError(f"demo characteristic {code} missing")
    return char


def _history(session: Session, who: Principal, char: Characteristic, size: int, seed: int) -> None:
    centre, sigma = _spread(char)
    rng = np.random.default_rng(seed)
    start = utcnow() - dt.timedelta(hours=2)
    rows: list[dict[str, Any]] = []
    for point in range(PHASE1_POINTS):
        for i, value in enumerate(rng.normal(centre, sigma, size)):
            row = {
                "characteristic_id": char.id,
                "value": round(float(value), 6),
                "source_ts": start + dt.timedelta(minutes=4 * point, seconds=i),
                "source_id": f"history-{char.id}",
                "seq": point * 100 + i,
                "lot": "PH1",
            }
            if size > 1:
                row["subgroup"] = f"ph1-{char.id}-{point}"
            rows.append(row)
    measure_service.ingest(session, who, rows)


def load_spc(session: Session, who: Principal) -> None:
    """Control-plan lines for every characteristic; approved limit sets for the scenarios."""
    _control_plan(session, who)
    for seed, (code, chart, size, _dist, _gauge) in enumerate(data.SPC_SCENARIOS):
        char = _by_code(session, code)
        _history(session, who, char, size, seed)
        ls = limits.create(
            session,
            who,
            LimitSetCreate(
                characteristic_id=char.id,
                chart=chart,
                subgroup_size=size,
                rule_set="western-electric",
                reaction_plan=data.REACTION_PLAN,
                reason="Phase I capability study of the demo process",
            ),
        )
        limits.approve(session, who, ls.id, "Phase I reviewed: process stable and capable")


def processes(session: Session) -> list[Process]:
    """The simulator's process models, one per scenario."""
    out = []
    for seed, (code, _chart, size, disturbance, gauge_code) in enumerate(data.SPC_SCENARIOS):
        char = _by_code(session, code)
        centre, sigma = _spread(char)
        gauge = (
            session.scalar(select(Gauge).where(Gauge.code == gauge_code)) if gauge_code else None
        )
        kwargs: dict[str, Any] = {
            k: (int(v) if k.endswith(("_at", "_from")) else v) for k, v in disturbance.items()
        }
        out.append(
            Process(
                characteristic_id=char.id,
                mean=centre,
                sigma=sigma,
                subgroup_size=size,
                source=gauge.code if gauge else "sim",
                rng=np.random.default_rng(1000 + seed),
                **kwargs,
            )
        )
    return out
