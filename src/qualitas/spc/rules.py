"""Run rules (pure): the reference package's defaults, Western Electric 1-4 and Nelson 1-8.

Every function takes the plotted statistics with per-point centre and limits (Phase I and
Phase II concatenated, so runs cross the boundary) and returns sorted 0-based indices.
Zones are in units of the plotted statistic's sigma, taken per point as
(UCL - centre) / nsigmas. Conventions (docs/spc.md): the point completing a pattern and every
later point while it persists are flagged; zone comparisons are strict except Nelson 7
(|z| <= 1); Nelson 8 needs points on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "RuleSet",
    "beyond_limits",
    "evaluate",
    "lowest_rule_per_point",
    "violating_runs",
]

Array = NDArray[np.float64]
Index = NDArray[np.int64]


class RuleSet(StrEnum):
    QCC = "qcc"  # beyond limits + runs of run_length (default 7) on one side
    WESTERN_ELECTRIC = "western-electric"
    NELSON = "nelson"


@dataclass(frozen=True)
class NelsonParams:
    """Minitab's K for each test (defaults as Minitab ships them)."""

    k1: float = 3.0
    k2: int = 9
    k3: int = 6
    k4: int = 14
    k5: int = 2
    k6: int = 4
    k7: int = 15
    k8: int = 8


def _idx(mask: NDArray[np.bool_]) -> Index:
    return np.flatnonzero(mask).astype(np.int64)


def beyond_limits(stat: Array, lcl: Array, ucl: Array) -> Index:
    """Points strictly above the UCL or strictly below the LCL."""
    with np.errstate(invalid="ignore"):
        return _idx((stat > ucl) | (stat < lcl))


def _runs(cond: NDArray[np.bool_], length: int) -> NDArray[np.bool_]:
    if cond.size == 0:
        return cond
    if length <= 1:
        return cond.copy()
    # vectorised run lengths: position minus index of the last False before it
    idx = np.arange(cond.size)
    last_false = np.maximum.accumulate(np.where(~cond, idx, -1))
    return (idx - last_false) >= length


def violating_runs(stat: Array, center: Array, run_length: int = 7) -> Index:
    """Points in runs of at least ``run_length`` on one side of the centre (from the
    ``run_length``-th point on). A point on the centre line, or missing, breaks a run."""
    with np.errstate(invalid="ignore"):
        above, below = stat > center, stat < center
    return _idx(_runs(above, run_length) | _runs(below, run_length))


def _window_count(cond: NDArray[np.bool_], window: int) -> NDArray[np.int64]:
    c = np.concatenate(([0], np.cumsum(cond, dtype=np.int64)))
    idx = np.arange(1, cond.size + 1)
    return c[idx] - c[np.maximum(idx - window, 0)]


def _k_of_window(z: Array, zone: float, k: int, window: int) -> NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        hi, lo = z > zone, z < -zone
    return (hi & (_window_count(hi, window) >= k)) | (lo & (_window_count(lo, window) >= k))


def _monotone(stat: Array, k: int) -> NDArray[np.bool_]:
    d = np.diff(stat)
    with np.errstate(invalid="ignore"):
        up, down = d > 0, d < 0
    run = _runs(up, k - 1) | _runs(down, k - 1)
    return np.concatenate(([False], run))


def _alternating(stat: Array, k: int) -> NDArray[np.bool_]:
    d = np.sign(np.diff(stat))
    alt = (d[1:] * d[:-1]) < 0  # a zero or missing difference breaks the pattern
    run = _runs(alt, k - 2)
    return np.concatenate(([False, False], run)) if stat.size >= 2 else np.zeros(stat.size, bool)


def _nelson8(z: Array, k: int) -> NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        out_hi, out_lo = z > 1, z < -1
    run = _runs(out_hi | out_lo, k)
    both = (_window_count(out_hi, k) >= 1) & (_window_count(out_lo, k) >= 1)
    return run & both


def zscores(stat: Array, center: Array, ucl: Array, nsigmas: float) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return (stat - center) / ((ucl - center) / nsigmas)


def western_electric(z: Array) -> dict[str, Index]:
    with np.errstate(invalid="ignore"):
        side = (z > 0), (z < 0)
        return {
            "WE1": _idx(np.abs(z) > 3),
            "WE2": _idx(_k_of_window(z, 2, 2, 3)),
            "WE3": _idx(_k_of_window(z, 1, 4, 5)),
            "WE4": _idx(_runs(side[0], 8) | _runs(side[1], 8)),
        }


def nelson(z: Array, stat: Array, p: NelsonParams | None = None) -> dict[str, Index]:
    p = p or NelsonParams()
    with np.errstate(invalid="ignore"):
        return {
            "NELSON1": _idx(np.abs(z) > p.k1),
            "NELSON2": _idx(_runs(z > 0, p.k2) | _runs(z < 0, p.k2)),
            "NELSON3": _idx(_monotone(stat, p.k3)),
            "NELSON4": _idx(_alternating(stat, p.k4)),
            "NELSON5": _idx(_k_of_window(z, 2, p.k5, p.k5 + 1)),
            "NELSON6": _idx(_k_of_window(z, 1, p.k6, p.k6 + 1)),
            "NELSON7": _idx(_runs(np.abs(z) <= 1, p.k7)),
            "NELSON8": _idx(_nelson8(z, p.k8)),
        }


def lowest_rule_per_point(per_rule: dict[str, Index], n: int) -> list[int | None]:
    """For each point, the lowest-numbered rule it violates (None if none)."""
    out: list[int | None] = [None] * n
    for name in sorted(per_rule, key=lambda r: int("".join(ch for ch in r if ch.isdigit()))):
        number = int("".join(ch for ch in name if ch.isdigit()))
        for i in per_rule[name]:
            if out[int(i)] is None:
                out[int(i)] = number
    return out


def evaluate(
    rule_set: RuleSet | str,
    stat: Array,
    center: Array,
    lcl: Array,
    ucl: Array,
    nsigmas: float = 3.0,
    run_length: int = 7,
    nelson_params: NelsonParams | None = None,
) -> dict[str, Index]:
    """Indices flagged by each rule of ``rule_set``."""
    match RuleSet(rule_set):
        case RuleSet.QCC:
            return {
                "beyond_limits": beyond_limits(stat, lcl, ucl),
                "violating_runs": violating_runs(stat, center, run_length),
            }
        case RuleSet.WESTERN_ELECTRIC:
            return western_electric(zscores(stat, center, ucl, nsigmas))
        case RuleSet.NELSON:
            return nelson(zscores(stat, center, ucl, nsigmas), stat, nelson_params)
    raise ValueError(f"rule_set: unknown {rule_set}")
