"""Within-subgroup sigma estimators (pure), as defined by the reference package qcc.

Subgroups are the rows of a 2-D float array; NaN marks a missing reading, so unequal subgroup
sizes are rows with trailing NaN. Individuals are a 1-D array.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from qualitas.spc.constants import c4, d2, d3
from qualitas.spc.rmath import r_mean, r_mean_abs_diff, r_row_means

__all__ = ["SigmaMethod", "estimate_sigma", "subgroup_stats"]

_BLOCK = 1 << 15  # elements per block of the row ranges (the block stays in cache)

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
    sizes, complete = row_sizes(data)
    means = r_row_means(data) if data.size else np.empty(0)
    return sizes, means, row_ranges(data, complete), row_sds(data, means, sizes, complete)


def row_sizes(data: Array) -> tuple[NDArray[np.int64], bool]:
    """Readings per row, and whether every row is complete (no NaN)."""
    if data.size and not np.isnan(data.max()):  # max propagates NaN: one pass, no mask
        return np.full(data.shape[0], data.shape[1], dtype=np.int64), True
    return (~np.isnan(data)).sum(axis=1), not data.size


def row_ranges(data: Array, complete: bool) -> Array:
    """Range of each row; column by column in cache-sized blocks when no reading is missing."""
    if not complete or data.shape[1] == 0:
        ok = ~np.isnan(data)
        with np.errstate(invalid="ignore"):
            filled_hi = np.where(ok, data, -np.inf).max(axis=1)
            filled_lo = np.where(ok, data, np.inf).min(axis=1)
            return np.where(ok.sum(axis=1) > 0, filled_hi - filled_lo, np.nan)
    out = np.empty(data.shape[0])
    step = max(1, _BLOCK // data.shape[1])
    for start in range(0, data.shape[0], step):  # each block transposed: contiguous columns
        cols = np.ascontiguousarray(data[start : start + step].T)
        np.subtract(cols.max(axis=0), cols.min(axis=0), out=out[start : start + step])
    return out


def row_sds(data: Array, means: Array, sizes: NDArray[np.int64], complete: bool) -> Array:
    """Sample standard deviation of each row (NaN ignored)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = data - means[:, None]
        if not complete:
            dev = np.where(~np.isnan(data), dev, 0.0)
        variances = (dev**2).sum(axis=1) / (sizes - 1)
    return np.where(sizes > 1, np.sqrt(variances), np.nan)


def _individuals(x: Array, method: SigmaMethod) -> float:
    x = x[~np.isnan(x)] if method is SigmaMethod.SD else x
    if method is SigmaMethod.MR:
        return float(r_mean_abs_diff(x) / d2(2))  # mean of |diff(x)|
    if method is SigmaMethod.SD:
        return float(np.std(x, ddof=1) / c4(x.size))
    raise ValueError(f"std_dev_method: {method} does not apply to individuals (use MR or SD)")


def estimate_sigma(data: Array, method: SigmaMethod) -> float:
    """Estimate sigma from subgroups (2-D) or individuals (1-D) with ``method``."""
    if data.ndim == 1:
        return _individuals(data, method)
    sizes, complete = row_sizes(data)
    return subgroup_sigma(data, method, sizes, complete)


def subgroup_sigma(
    data: Array,
    method: SigmaMethod,
    sizes: NDArray[np.int64],
    complete: bool,
    ranges: Array | None = None,
    sds: Array | None = None,
) -> float:
    """``estimate_sigma`` for subgroups whose sizes (and, if at hand, ranges or standard
    deviations) are known: a chart's own statistic is not computed twice."""
    if np.any(sizes < 2):
        raise ValueError("data: every subgroup needs 2 or more readings for a within sigma")
    match method:
        case SigmaMethod.UWAVE_R | SigmaMethod.MVLUE_R:
            r = row_ranges(data, complete) if ranges is None else ranges
            if method is SigmaMethod.MVLUE_R:
                w = (d2(sizes) / d3(sizes)) ** 2
                return float(np.sum(w * r / d2(sizes)) / np.sum(w))
            scale = d2(data.shape[1]) if complete else d2(sizes)  # equal sizes: one constant
            return float(r_mean(r / scale))
    if sds is None:
        sds = row_sds(data, r_row_means(data), sizes, complete)
    match method:
        case SigmaMethod.UWAVE_SD:
            return float(r_mean(sds / c4(sizes)))
        case SigmaMethod.MVLUE_SD:
            cc = c4(sizes)
            w = cc**2 / (1.0 - cc**2)
            return float(np.sum(w * sds / cc) / np.sum(w))
        case SigmaMethod.RMSDF:
            df = sizes - 1
            pooled = np.sqrt(np.sum(df * sds**2) / np.sum(df))
            return float(pooled / c4(int(np.sum(df)) + 1))
    raise ValueError(f"std_dev_method: {method} does not apply to subgroups")
