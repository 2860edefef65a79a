"""Phase I studies: the readings a limit set was computed from, read back and charted.

``readings`` selects what ``limits.create`` froze: the characteristic's readings in the limit
set's Phase I window (all of them when no window was given) that were stored before the limit
set was created, in source-time order; subgroup charts keep the complete subgroups. ``chart``
re-evaluates them against the limit set (statistics, limits and rules, exactly as the engine
plots Phase II) and checks that they hash to the SHA-256 recorded at creation, so the chart
shows whether the study can still be reproduced from the stored data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.measure.models import Measurement
from qualitas.spc import rules
from qualitas.spc.models import LimitSet
from qualitas.spc.monitor import limits_of
from qualitas.spc.schemas import Phase1Study, StudyPoint

MAX_POINTS = 1000  # a Phase I study is tens to hundreds of points; the chart shows the last


def readings(
    session: Session,
    characteristic_id: int,
    chart: str,
    subgroup_size: int,
    start: dt.datetime | None,
    end: dt.datetime | None,
    stored_before: dt.datetime | None = None,
) -> tuple[np.ndarray, list[dt.datetime], list[str | None]]:
    """The study's data (values, or one row per complete subgroup), each point's time (the
    last reading of a subgroup) and subgroup key, in source-time order."""
    stmt = select(Measurement.value, Measurement.subgroup, Measurement.source_ts).where(
        Measurement.characteristic_id == characteristic_id
    )
    if start:
        stmt = stmt.where(Measurement.source_ts >= start)
    if end:
        stmt = stmt.where(Measurement.source_ts < end)
    if stored_before:
        stmt = stmt.where(Measurement.ingest_ts <= stored_before)
    rows = session.execute(stmt.order_by(Measurement.source_ts, Measurement.id)).all()
    if chart == "xbar.one":
        return (
            np.array([v for v, _, _ in rows], dtype=np.float64),
            [ts for _, _, ts in rows],
            [key for _, key, _ in rows],
        )
    groups: dict[str, list[tuple[float, dt.datetime]]] = {}
    for value, key, ts in rows:
        if key:
            groups.setdefault(key, []).append((value, ts))
    complete = [(k, g) for k, g in groups.items() if len(g) == subgroup_size]
    data = np.array([[v for v, _ in g] for _, g in complete], dtype=np.float64)
    return (
        data.reshape(-1, subgroup_size),
        [max(ts for _, ts in g) for _, g in complete],
        [k for k, _ in complete],
    )


def digest(data: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(data).tobytes()).hexdigest()


def _when(meta: dict[str, Any], key: str) -> dt.datetime | None:
    value = meta.get(key)
    return dt.datetime.fromisoformat(value) if value else None


def chart(session: Session, ls: LimitSet) -> Phase1Study:
    """The limit set's Phase I points with its limits and the rules it monitors with."""
    meta = ls.phase1 or {}
    data, times, keys = readings(
        session,
        ls.characteristic_id,
        ls.chart,
        ls.subgroup_size,
        _when(meta, "from"),
        _when(meta, "to"),
        ls.created_at,
    )
    reproduced = digest(data) == meta.get("sha256")
    points: list[StudyPoint] = []
    if data.shape[0]:
        pts = limits_of(ls).evaluate(data)
        flagged = rules.evaluate(
            ls.rule_set, pts.statistics, pts.center, pts.lcl, pts.ucl, ls.nsigmas, ls.run_length
        )
        names = rules.names_per_point(flagged, data.shape[0])
        first = max(0, data.shape[0] - MAX_POINTS)
        points = [
            StudyPoint(
                ts=times[i],
                statistic=float(pts.statistics[i]),
                size=int(pts.sizes[i]),
                subgroup=keys[i],
                center=float(pts.center[i]),
                lcl=float(pts.lcl[i]),
                ucl=float(pts.ucl[i]),
                violations=names[i],
            )
            for i in range(first, data.shape[0])
        ]
    return Phase1Study(
        limit_set_id=ls.id,
        given=meta.get("given"),
        points_total=int(data.shape[0]),
        reproduced=reproduced,
        points=points,
    )
