"""Summation exactly as the reference environment (R) does it (pure).

R's ``sum`` accumulates doubles in long double, and ``mean`` adds a second, correcting pass
over the residuals. Matching both matters: subgroup means enter the CUSUM and EWMA standardised
by sigma/sqrt(n), which turns a one-ulp difference in a mean into ~1e-12 in the path.

The long-double code below is the reference. Long double has no SIMD, so ``r_mean`` and
``r_row_means`` first try ``qualitas.spc.exactmean``, whose float64 results are proved equal
to the reference's, and run the reference only where that proof does not go through.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from qualitas.spc import exactmean

__all__ = ["r_mean", "r_mean_abs_diff", "r_nanmean", "r_row_means", "r_sum"]

Array = NDArray[np.float64]
LD = np.longdouble


def r_sum(x: Array) -> float:
    """Long-double sum, rounded once to double (numpy's pairwise order; the extra precision
    makes the order immaterial at double precision)."""
    return float(np.sum(np.asarray(x, dtype=np.float64), dtype=LD))


def r_mean(x: Array) -> float:
    """R's mean.default: long-double mean, then one correcting pass over the residuals."""
    arr = np.asarray(x)
    if arr.dtype == np.float64 and arr.size:
        flat = np.ascontiguousarray(arr).reshape(-1)
        fast = exactmean.mean(flat.size, exactmean.blocks_of(flat))
        if fast is not None:
            return fast
    return _ld_mean(arr)


def r_nanmean(x: Array) -> float:
    """``r_mean(x[~isnan(x)])`` (R's ``mean(x, na.rm = TRUE)``), copying only when needed."""
    arr = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    fast = exactmean.mean(arr.size, exactmean.blocks_of(arr)) if arr.size else None
    if fast is not None and not math.isnan(fast):
        return fast
    missing = np.isnan(arr)
    return r_mean(arr[~missing]) if missing.any() else _ld_mean(arr)


def r_mean_abs_diff(x: Array) -> float:
    """``r_mean(abs(diff(x)))``, the mean moving range, without building the moving ranges
    unless the long-double reference has to run."""
    arr = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    if arr.size >= 2:
        fast = exactmean.mean(arr.size - 1, exactmean.abs_diff_blocks(arr))
        if fast is not None:
            return fast
    moving = np.subtract(arr[1:], arr[:-1])
    return _ld_mean(np.abs(moving, out=moving))


def _ld_mean(x: Array) -> float:
    xs = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    n = xs.size
    if n == 0:
        return float("nan")
    s = _ld_pairwise(xs, None) / n
    t = _ld_pairwise(xs, s)
    return float(s + t / n)


_LEAF = 1 << 14  # values converted at a time (>= 128, where numpy stops halving): in cache


def _ld_pairwise(x: Array, shift: np.longdouble | None) -> np.longdouble:
    """numpy's pairwise sum of ``x - shift`` in long double (``x`` itself when ``shift`` is
    None), bit for bit as ``np.sum`` over the whole converted array, without converting it
    whole: the top of numpy's recursion (halve, rounding the first half down to a multiple of
    8) is followed here and the leaves are summed by numpy itself."""
    if x.size <= _LEAF:
        leaf = x.astype(LD)
        if shift is not None:
            leaf -= shift
        return np.sum(leaf)
    half = x.size // 2
    half -= half % 8
    return _ld_pairwise(x[:half], shift) + _ld_pairwise(x[half:], shift)


def r_row_means(data: Array) -> Array:
    """``apply(data, 1, mean, na.rm = TRUE)`` over the rows of a subgroup matrix, vectorised.

    Each row is summed left to right in long double (columns in order), then corrected once.
    """
    x = np.asarray(data)
    if x.dtype != np.float64 or x.ndim != 2 or not 0 < x.shape[1] < 1 << 26:
        return _ld_row_means(x)
    out, ok = exactmean.row_means(x)
    bad = np.flatnonzero(~ok)
    if bad.size:
        out[bad] = _ld_row_means(x[bad])
    return out


def _ld_row_means(data: Array) -> Array:
    x = np.asarray(data, dtype=LD)
    ok = ~np.isnan(x)
    n = ok.sum(axis=1)
    zero = np.where(ok, x, LD(0))
    s = np.zeros(x.shape[0], dtype=LD)
    for j in range(x.shape[1]):  # left to right, like R's loop
        s += zero[:, j]
    with np.errstate(invalid="ignore", divide="ignore"):
        s /= n
        t = np.zeros(x.shape[0], dtype=LD)
        resid = np.where(ok, x - s[:, None], LD(0))
        for j in range(x.shape[1]):
            t += resid[:, j]
        out = (s + t / n).astype(np.float64)
    return np.where(n > 0, out, np.nan)
