"""Capability study of one characteristic from its stored readings (for the capability page)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth.principal import Principal
from qualitas.errors import invalid
from qualitas.measure.models import Measurement
from qualitas.spc.capability import Capability
from qualitas.spc.charts import Chart, ShewhartChart
from qualitas.spc.limits import _characteristic
from qualitas.spc.models import LimitSet, LimitSetStatus

BINS = 20


def _clean(v: float | None) -> float | None:
    return None if v is None or math.isnan(v) else float(v)


def capability(
    session: Session, principal: Principal, char_id: int, readings: int, confidence_level: float
) -> dict[str, Any]:
    char = _characteristic(session, principal, char_id)
    if char.lsl is None and char.usl is None:
        raise invalid("characteristic_id", "no_spec", "the characteristic has no LSL or USL")
    values = np.asarray(
        session.scalars(
            select(Measurement.value)
            .where(Measurement.characteristic_id == char_id)
            .order_by(Measurement.id.desc())
            .limit(readings)
        ).all()[::-1],
        dtype=np.float64,
    )
    if values.size < 2:
        raise invalid("characteristic_id", "too_few", "needs at least 2 readings")
    ls = session.scalar(
        select(LimitSet).where(
            LimitSet.characteristic_id == char_id, LimitSet.status == LimitSetStatus.ACTIVE
        )
    )
    if ls is not None:
        center, sigma, source = ls.center, ls.std_dev, "limit_set"
    else:
        fit = ShewhartChart(Chart.XBAR_ONE).fit(values)
        center, sigma, source = fit.center, fit.std_dev, "moving_range"
    if not sigma > 0:
        raise invalid("characteristic_id", "no_variation", "the readings do not vary")
    res = Capability(
        char.lsl, char.usl, target=char.nominal, confidence_level=confidence_level
    ).fit(values, center, sigma)
    counts, edges = np.histogram(values, bins=BINS)
    grid = np.linspace(
        min(edges[0], char.lsl or edges[0]), max(edges[-1], char.usl or edges[-1]), 101
    )
    width = float(edges[1] - edges[0]) if edges.size > 1 else 1.0
    return {
        "characteristic_id": char_id,
        "code": char.code,
        "name": char.name,
        "unit": char.unit,
        "lsl": char.lsl,
        "usl": char.usl,
        "target": res.target,
        "nobs": res.nobs,
        "center": center,
        "within_sigma": sigma,
        "sigma_source": source,
        "limit_set_revision": ls.revision if ls is not None else None,
        "overall_sigma": res.overall_std_dev,
        "indices": {
            k: {"value": _clean(v.value), "lower": _clean(v.lower), "upper": _clean(v.upper)}
            for k, v in res.indices.items()
        },
        "pp": _clean(res.pp),
        "ppk": _clean(res.ppk),
        "expected_out_of_spec": {
            "below": _clean(res.exp_below_lsl),
            "above": _clean(res.exp_above_usl),
        },
        "observed_out_of_spec": {
            "below": _clean(res.obs_below_lsl),
            "above": _clean(res.obs_above_usl),
        },
        "normality_p_value": _clean(res.normality_p_value),
        "non_normal": None
        if res.non_normal is None
        else {k: _clean(v) for k, v in res.non_normal.__dict__.items()},
        "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
        "fitted": {
            "x": grid.tolist(),
            "y": (stats.norm.pdf(grid, center, sigma) * values.size * width).tolist(),
        },
        "confidence_level": confidence_level,
    }
