"""The JSON contract of ``qualitas spc compute``: a case in, one result object out.

The input has the shape of the SPC reference cases (``kind``, ``chart``, ``params``,
``input``); the output keys follow the cases' ``output``, with every index set sorted and
0-based. Invalid input raises ``ValueError`` whose message starts with the field at fault.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qualitas.spc import rules
from qualitas.spc.capability import Capability
from qualitas.spc.charts import Chart, ShewhartChart, ShewhartLimits
from qualitas.spc.sigma import SigmaMethod
from qualitas.spc.timeweighted import Cusum, Ewma

__all__ = ["compute"]

Number = float | None
Matrix = list[list[Number]] | list[Number]


class Params(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    std_dev_method: SigmaMethod | None = None
    nsigmas: float = Field(3.0, gt=0)
    confidence_level: float | None = Field(None, gt=0, lt=1)
    center: float | None = None
    std_dev: float | None = Field(None, gt=0)
    run_length: int = Field(7, ge=2)
    rule_set: rules.RuleSet | None = None
    lam: float = Field(0.2, gt=0, le=1, alias="lambda")
    decision_interval: float = Field(5.0, gt=0)
    se_shift: float = Field(1.0, gt=0)
    head_start: float = Field(0.0, ge=0)
    LSL: float | None = None
    USL: float | None = None
    target: float | str | None = None  # a text such as "default (midpoint)" means the default


class Inputs(BaseModel):
    model_config = ConfigDict(extra="ignore")

    data: Matrix | None = None
    newdata: Matrix | None = None
    counts: list[Number] | None = None
    sizes: list[float] | float | None = None
    newcounts: list[Number] | None = None
    newsizes: list[float] | float | None = None


class Case(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: Literal["shewhart", "ewma", "cusum", "capability", "rules"]
    chart: Chart | Literal["ewma", "cusum"] = Chart.XBAR
    params: Params = Field(default_factory=Params)
    input: Inputs


def _arr(values: Any) -> NDArray[np.float64] | None:
    if values is None:
        return None
    if isinstance(values, list) and values and isinstance(values[0], list):
        width = max(len(r) for r in values)
        rows = [
            [math.nan if v is None else v for v in r] + [math.nan] * (width - len(r))
            for r in values
        ]
        return np.asarray(rows, dtype=np.float64)
    if isinstance(values, list):
        return np.asarray([math.nan if v is None else v for v in values], dtype=np.float64)
    return np.asarray(values, dtype=np.float64)


def _sizes(sizes: Any, like: NDArray[np.float64] | None) -> NDArray[np.float64] | None:
    if sizes is None or like is None:
        return None
    return np.broadcast_to(np.asarray(sizes, dtype=np.float64), (like.shape[0],)).copy()


def _sorted0(idx: Any) -> list[int]:
    return sorted({int(i) for i in idx})


def _floats(a: Any) -> list[float | None]:
    return [
        None if (isinstance(v, float) and math.isnan(v)) else float(v)
        for v in np.asarray(a, dtype=np.float64).tolist()
    ]


def _shewhart(case: Case) -> dict[str, Any]:
    p, i = case.params, case.input
    chart = ShewhartChart(
        Chart(case.chart),
        std_dev_method=p.std_dev_method,
        nsigmas=p.nsigmas,
        confidence_level=p.confidence_level,
        center=p.center,
        std_dev=p.std_dev,
    )
    data, counts = _arr(i.data), _arr(i.counts)
    sizes = _sizes(i.sizes, counts)
    lim = chart.fit(data, counts, sizes)
    phases = [lim.evaluate(data, counts, sizes)]
    if i.newdata is not None or i.newcounts is not None:
        newcounts = _arr(i.newcounts)
        phases.append(lim.evaluate(_arr(i.newdata), newcounts, _sizes(i.newsizes, newcounts)))
    stat = np.concatenate([ph.statistics for ph in phases])
    center = np.concatenate([ph.center for ph in phases])
    lcl = np.concatenate([ph.lcl for ph in phases])
    ucl = np.concatenate([ph.ucl for ph in phases])
    out = _shewhart_head(lim, phases)
    out |= {"LCL": _floats(lcl), "UCL": _floats(ucl)}
    qcc = rules.evaluate(rules.RuleSet.QCC, stat, center, lcl, ucl, p.nsigmas, p.run_length)
    out |= {k: _sorted0(v) for k, v in qcc.items()}
    if p.rule_set is not None and p.rule_set is not rules.RuleSet.QCC:
        per_rule = rules.evaluate(p.rule_set, stat, center, lcl, ucl, p.nsigmas)
        out["per_rule"] = {k: _sorted0(v) for k, v in per_rule.items()}
        out["violations"] = _sorted0(np.concatenate([v for v in per_rule.values()]))
        out["combined"] = rules.lowest_rule_per_point(per_rule, stat.size)
    return out


def _shewhart_head(lim: ShewhartLimits, phases: list[Any]) -> dict[str, Any]:
    first = phases[0]
    n1 = first.sizes.astype(np.float64)
    if lim.chart is Chart.NP:
        centers, sds = first.center, lim.point_std_dev(n1)
        same = bool(np.all(n1 == n1[0]))
        center: Any = float(centers[0]) if same else _floats(centers)
        std_dev: Any = float(sds[0]) if same else _floats(sds)
    else:
        center, std_dev = lim.center, lim.std_dev
    out: dict[str, Any] = {
        "center": center,
        "std_dev": std_dev,
        "nsigmas": lim.nsigmas,
        "statistics": _floats(first.statistics),
        "sizes": [int(v) for v in first.sizes],
    }
    if len(phases) > 1:
        out["newstats"] = _floats(phases[1].statistics)
        out["newsizes"] = _sizes_out(phases[1].sizes)
    return out


def _means(case: Case) -> tuple[NDArray[np.float64], NDArray[np.float64], float, float, int]:
    """Subgroup means and sizes over both phases, with the Phase I centre and sigma."""
    p, i = case.params, case.input
    data = _arr(i.data)
    if data is None:
        raise ValueError("input.data: required")
    newdata = _arr(i.newdata)
    if data.ndim == 1:  # individuals, or subgroup means with their sizes
        means = data if newdata is None else np.concatenate([data, newdata])
        sizes = np.ones(means.size) if i.sizes is None else _sizes(i.sizes, means)
        if i.sizes is not None:
            if p.center is None or p.std_dev is None:
                raise ValueError("params.std_dev: center and std_dev are needed with means")
            return means, np.asarray(sizes), p.center, p.std_dev, data.size
        lim = ShewhartChart(
            Chart.XBAR_ONE, std_dev_method=p.std_dev_method, center=p.center, std_dev=p.std_dev
        ).fit(data)
        return means, np.asarray(sizes), lim.center, lim.std_dev, data.size
    lim = ShewhartChart(
        Chart.XBAR, std_dev_method=p.std_dev_method, center=p.center, std_dev=p.std_dev
    ).fit(data)
    ph = [lim.evaluate(data)] + ([lim.evaluate(newdata)] if newdata is not None else [])
    means = np.concatenate([x.statistics for x in ph])
    return (
        means,
        np.concatenate([x.sizes for x in ph]).astype(float),
        lim.center,
        lim.std_dev,
        data.shape[0],
    )


def _ewma(case: Case) -> dict[str, Any]:
    means, sizes, center, sd, n1 = _means(case)
    res = Ewma(case.params.lam, case.params.nsigmas).fit(means, sizes, center, sd)
    return {
        "center": center,
        "std_dev": sd,
        "lambda": case.params.lam,
        "nsigmas": case.params.nsigmas,
        "statistics": _floats(means[:n1]),
        "newstats": _floats(means[n1:]),
        "sizes": [int(v) for v in sizes],
        "ewma": _floats(res.ewma),
        "sigma": _floats(res.sigma),
        "LCL": _floats(res.lcl),
        "UCL": _floats(res.ucl),
        "violations": _sorted0(res.violations),
    }


def _cusum(case: Case) -> dict[str, Any]:
    p = case.params
    means, sizes, center, sd, n1 = _means(case)
    res = Cusum(p.decision_interval, p.se_shift, p.head_start).fit(means, sizes, center, sd)
    return {
        "center": center,
        "std_dev": sd,
        "decision_interval": p.decision_interval,
        "se_shift": p.se_shift,
        "head_start": p.head_start,
        "statistics": _floats(means[:n1]),
        "newstats": _floats(means[n1:]),
        "sizes": [int(v) for v in sizes],
        "pos": _floats(res.pos),
        "neg": _floats(res.neg),
        "violations_upper": _sorted0(res.violations_upper),
        "violations_lower": _sorted0(res.violations_lower),
    }


def _capability(case: Case) -> dict[str, Any]:
    p = case.params
    data = _arr(case.input.data)
    if data is None:
        raise ValueError("input.data: required")
    chart = Chart.XBAR if data.ndim == 2 else Chart.XBAR_ONE
    lim = ShewhartChart(
        chart, std_dev_method=p.std_dev_method, center=p.center, std_dev=p.std_dev
    ).fit(data)
    target = p.target if isinstance(p.target, int | float) else None
    res = Capability(
        p.LSL,
        p.USL,
        target=target,
        confidence_level=p.confidence_level or 0.95,
        nsigmas=p.nsigmas,
    ).fit(data, lim.center, lim.std_dev)
    nn = res.non_normal
    return {
        "nobs": res.nobs,
        "center": res.center,
        "std_dev": res.std_dev,
        "target": res.target,
        "LSL": res.lsl,
        "USL": res.usl,
        "ci_columns": ["lower", "upper"],
        "indices": {
            k: {"value": _nan(v.value), "lower": _nan(v.lower), "upper": _nan(v.upper)}
            for k, v in res.indices.items()
        },
        "Pp": _nan(res.pp),
        "Ppk": _nan(res.ppk),
        "overall_std_dev": res.overall_std_dev,
        "exp_below_LSL": _nan(res.exp_below_lsl),
        "exp_above_USL": _nan(res.exp_above_usl),
        "obs_below_LSL": _nan(res.obs_below_lsl),
        "obs_above_USL": _nan(res.obs_above_usl),
        "normality": {"test": "shapiro-wilk", "p_value": _nan(res.normality_p_value)},
        "non_normal": None if nn is None else {k: _nan(v) for k, v in nn.__dict__.items()},
    }


def _rules(case: Case) -> dict[str, Any]:
    case.params.rule_set = case.params.rule_set or rules.RuleSet.NELSON
    out = _shewhart(case)
    per_rule = dict(out.get("per_rule", {}))
    if case.params.rule_set is rules.RuleSet.NELSON:  # report both families, as the cases do
        stat = np.asarray(out["statistics"] + out.get("newstats", []), dtype=np.float64)
        center = np.full(stat.size, out["center"], dtype=np.float64)
        we = rules.evaluate(
            rules.RuleSet.WESTERN_ELECTRIC,
            stat,
            center,
            np.asarray(out["LCL"]),
            np.asarray(out["UCL"]),
            case.params.nsigmas,
        )
        per_rule |= {k: _sorted0(v) for k, v in we.items()}
    out["per_rule"] = per_rule
    return out


def _sizes_out(sizes: Any) -> list[int | float]:
    return [int(v) if float(v).is_integer() else float(v) for v in np.asarray(sizes).tolist()]


def _nan(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def compute(document: Any) -> dict[str, Any]:
    """Compute one case; raises ValueError('field: reason') on invalid input."""
    try:
        case = Case.model_validate(document)
    except ValidationError as exc:
        err = exc.errors()[0]
        parts = [str(x) for x in err["loc"] if "[" not in str(x) and "-" not in str(x)]
        field = ".".join(parts) or "case"
        raise ValueError(f"{field}: {err['msg']}") from exc
    handler = {
        "shewhart": _shewhart,
        "ewma": _ewma,
        "cusum": _cusum,
        "capability": _capability,
        "rules": _rules,
    }[case.kind]
    try:
        return handler(case)
    except ValueError as exc:
        msg = str(exc)
        if ": " not in msg:
            msg = f"input: {msg}"
        elif not msg.startswith(("input.", "params.", "chart", "kind")):
            msg = f"input.{msg}" if msg.split(":")[0] in Inputs.model_fields else f"params.{msg}"
        raise ValueError(msg) from exc
