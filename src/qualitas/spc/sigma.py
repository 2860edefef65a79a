"""Within-subgroup sigma estimators (pure), as defined by the reference package qcc.

Subgroups are the rows of a 2-D float array; NaN marks a missing reading, so unequal subgroup
sizes are rows with trailing NaN. Individuals are a 1-D array.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from qualitas.spc.constants import c4, d2, d3
from qualitas.spc.rmath import r_mean, r_row_means

__all__ = ["SigmaMethod", "estimate_sigma", "subgroup_stats"]

Array = NDArray[np.float64]


class SigmaMethod(StrEnum):
    UWAVE_R = "UWAVE-R"  # mean of R_i / d2(n_i)
    UWAVE_SD = "UWAVE-SD"  # mean of S_i / c4(n_i)
    MVLUE_R = "MVLUE-R"  # R_i / d2 weighted by (d2/d3)^2
    MVLUE_SD = "MVLUE-SD"  # S_i / c4 weighted by c4^2 / (1 - c4^2)
    RMSDF = "RMSDF"  # root mean square of S_i, pooled degrees of freedom
    MR = "MR"  # individuals: mean moving range / d2(2)
    SD = "SD"  # individuals: sd(x) / c4(n)


def subgroup_stats(data: Array) -> tuple[NDArray[np.int64], Array, Array, Array]:
    """Sizes, means, ranges and standard deviations of each row (NaN ignored)."""
    ok = ~np.isnan(data)
    sizes = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = r_row_means(data) if data.size else np.empty(0)
        filled_hi = np.where(ok, data, -np.inf).max(axis=1)
        filled_lo = np.where(ok, data, np.inf).min(axis=1)
        ranges = np.where(sizes > 0, filled_hi - filled_lo, np.nan)
        dev = np.where(ok, data - means[:, None], 0.0)
        variances = (dev**2).sum(axis=1) / (sizes - 1)
    sds = np.where(sizes > 1, np.sqrt(variances), np.nan)
    return sizes, means, ranges, sds


def _individuals(x: Array, method: SigmaMethod) -> float:
    x = x[~np.isnan(x)] if method is SigmaMethod.SD else x
    if method is SigmaMethod.MR:
        moving = np.abs(np.diff(x))
        return float(r_mean(moving) / d2(2))
    if method is SigmaMethod.SD:
        return float(np.std(x, ddof=1) / c4(x.size))
    raise ValueError(f"std_dev_method: {method} does not apply to individuals (use MR or SD)")


def estimate_sigma(data: Array, method: SigmaMethod) -> float:
    """Estimate sigma from subgroups (2-D) or individuals (1-D) with ``method``."""
    if data.ndim == 1:
        return _individuals(data, method)
    sizes, _, ranges, sds = subgroup_stats(data)
    if np.any(sizes < 2):
        raise ValueError("data: every subgroup needs 2 or more readings for a within sigma")
    match method:
        case SigmaMethod.UWAVE_R:
            return float(r_mean(ranges / d2(sizes)))
        case SigmaMethod.UWAVE_SD:
            return float(r_mean(sds / c4(sizes)))
        case SigmaMethod.MVLUE_R:
            w = (d2(sizes) / d3(sizes)) ** 2
            return float(np.sum(w * ranges / d2(sizes)) / np.sum(w))
        case SigmaMethod.MVLUE_SD:
            cc = c4(sizes)
            w = cc**2 / (1.0 - cc**2)
            return float(np.sum(w * sds / cc) / np.sum(w))
        case SigmaMethod.RMSDF:
            df = sizes - 1
            pooled = np.sqrt(np.sum(df * sds**2) / np.sum(df))
            return float(pooled / c4(int(np.sum(df)) + 1))
    raise ValueError(f"std_dev_method: {method} does not apply to subgroups")
