"""The timed jobs: Qualitas, a plain-numpy baseline and pccpy on the same arrays.

Each function does one complete job and returns what is needed for the cross-checks. Inputs are
generated beforehand (not timed) by ``xbar_data`` and ``individuals_data``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from qualitas.spc import ShewhartChart, rules

Array = NDArray[np.float64]
D2_5, D2_2 = 2.326, 1.128  # the reference's three-decimal d2 table, as Qualitas uses it


def xbar_data(subgroups: int, seed: int) -> Array:
    """Subgroups of 5 readings like the piston-ring diameters: mean 74 mm, sigma 0.01 mm."""
    return np.random.default_rng(seed).normal(74.0, 0.01, (subgroups, 5))


def individuals_data(points: int, seed: int) -> Array:
    return np.random.default_rng(seed).normal(10.0, 1.0, points)


# --- Qualitas -------------------------------------------------------------------------------


def ours_xbar(data: Array, rule_set: str | None = "qcc") -> dict[str, Any]:
    """x-bar chart: Phase I fit (centre, UWAVE-R sigma), per-point limits, rules."""
    lim = ShewhartChart("xbar").fit(data)
    pts = lim.evaluate(data)
    out: dict[str, Any] = {"center": lim.center, "sigma": lim.std_dev, "points": pts}
    if rule_set is not None:
        out["rules"] = rules.evaluate(rule_set, pts.statistics, pts.center, pts.lcl, pts.ucl)
    return out


def ours_xbar_r(data: Array, rule_set: str) -> dict[str, Any]:
    """x-bar and R charts, as pccpy's xbar_r_chart computes both panels; ``rule_set`` "test1"
    is beyond-limits only (= Nelson 1 with 3-sigma limits)."""
    out = {}
    for chart in ("xbar", "R"):
        lim = ShewhartChart(chart).fit(data)
        pts = lim.evaluate(data)
        if rule_set == "test1":
            found = {"NELSON1": rules.beyond_limits(pts.statistics, pts.lcl, pts.ucl)}
        else:
            found = rules.evaluate(rule_set, pts.statistics, pts.center, pts.lcl, pts.ucl)
        out[chart] = {"center": lim.center, "sigma": lim.std_dev, "rules": found}
    return out


def ours_individuals(x: Array, rule_sets: tuple[str, ...] = ()) -> dict[str, Any]:
    """Individuals chart: Phase I fit (mean, MR sigma), per-point limits, rules."""
    lim = ShewhartChart("xbar.one").fit(x)
    pts = lim.evaluate(x)
    found: dict[str, Any] = {}
    for rule_set in rule_sets:
        if rule_set == "test1":
            found["NELSON1"] = rules.beyond_limits(pts.statistics, pts.lcl, pts.ucl)
        else:
            found |= rules.evaluate(rule_set, pts.statistics, pts.center, pts.lcl, pts.ucl)
    return {"center": lim.center, "sigma": lim.std_dev, "rules": found}


# --- plain numpy baseline -------------------------------------------------------------------


def numpy_xbar(data: Array) -> dict[str, Any]:
    """Row means and ranges, R-bar/d2, limits, beyond-limits mask: the idiomatic numpy."""
    means = data.mean(axis=1)
    ranges = data.max(axis=1) - data.min(axis=1)
    center = means.mean()
    sigma = ranges.mean() / D2_5
    half = 3 * sigma / np.sqrt(data.shape[1])
    beyond = (means > center + half) | (means < center - half)
    return {"center": float(center), "sigma": float(sigma), "beyond": beyond}


def numpy_individuals(x: Array) -> dict[str, Any]:
    """Mean, mean moving range / d2(2), limits, beyond-limits mask."""
    center = x.mean()
    sigma = np.abs(np.diff(x)).mean() / D2_2
    beyond = (x > center + 3 * sigma) | (x < center - 3 * sigma)
    return {"center": float(center), "sigma": float(sigma), "beyond": beyond}


def _last_all(cond: NDArray[np.bool_], k: int) -> NDArray[np.bool_]:
    """The k points ending at each point all hold."""
    out = np.zeros(cond.size, bool)
    if cond.size >= k:
        out[k - 1 :] = sliding_window_view(cond, k).all(axis=1)
    return out


def _count(cond: NDArray[np.bool_], k: int) -> NDArray[np.int64]:
    """How many of the k points ending at each point hold."""
    c = np.concatenate(([0], np.cumsum(cond)))
    i = np.arange(1, cond.size + 1)
    return c[i] - c[np.maximum(i - k, 0)]


def numpy_individuals_rules(x: Array) -> dict[str, Any]:
    """The same chart and the same Western Electric 1-4 and Nelson 1-8 rules as Qualitas
    (Minitab's parameters, the same conventions), written as idiomatic numpy: z-scores,
    zone masks, sliding windows and cumulative counts over the whole series."""
    base = numpy_individuals(x)
    z = (x - base["center"]) / base["sigma"]
    zone = {k: (z > k, z < -k) for k in (0, 1, 2)}
    up, down = x[1:] > x[:-1], x[1:] < x[:-1]
    alt = (up[1:] & down[:-1]) | (down[1:] & up[:-1])

    def side_k(k: int, need: int, window: int) -> NDArray[np.bool_]:
        hi, lo = zone[k]
        return (hi & (_count(hi, window) >= need)) | (lo & (_count(lo, window) >= need))

    def runs(k: int, length: int) -> NDArray[np.bool_]:
        return _last_all(zone[k][0], length) | _last_all(zone[k][1], length)

    out1 = zone[1][0] | zone[1][1]
    masks = {
        "WE1": (z > 3) | (z < -3),
        "WE2": side_k(2, 2, 3),
        "WE3": side_k(1, 4, 5),
        "WE4": runs(0, 8),
        "NELSON1": (z > 3) | (z < -3),
        "NELSON2": runs(0, 9),
        "NELSON3": np.concatenate(([False], _last_all(up, 5) | _last_all(down, 5))),
        "NELSON4": np.concatenate(([False, False], _last_all(alt, 12))),
        "NELSON5": side_k(2, 2, 3),
        "NELSON6": side_k(1, 4, 5),
        "NELSON7": _last_all((z <= 1) & (z >= -1), 15),
        "NELSON8": _last_all(out1, 8) & (_count(zone[1][0], 8) > 0) & (_count(zone[1][1], 8) > 0),
    }
    return base | {"rules": {k: np.flatnonzero(v) for k, v in masks.items()}}


# --- pccpy ----------------------------------------------------------------------------------


def pccpy_xbar_r(data: Array, tests: Any, **known: float) -> Any:
    import pccpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pccpy.xbar_r_chart(data, tests=tests, **known)


def pccpy_imr(x: Array, tests: Any, **known: float) -> Any:
    import pccpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pccpy.imr_chart(x, tests=tests, **known)
