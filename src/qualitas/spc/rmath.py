"""Summation exactly as the reference environment (R) does it (pure).

R's ``sum`` accumulates doubles in long double, and ``mean`` adds a second, correcting pass
over the residuals. Matching both matters: subgroup means enter the CUSUM and EWMA standardised
by sigma/sqrt(n), which turns a one-ulp difference in a mean into ~1e-12 in the path.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["r_mean", "r_row_means", "r_sum"]

Array = NDArray[np.float64]
LD = np.longdouble


def r_sum(x: Array) -> float:
    """Long-double sum, rounded once to double (numpy's pairwise order; the extra precision
    makes the order immaterial at double precision)."""
    return float(np.sum(np.asarray(x, dtype=np.float64), dtype=LD))


def r_mean(x: Array) -> float:
    """R's mean.default: long-double mean, then one correcting pass over the residuals."""
    xs = np.asarray(x, dtype=LD).reshape(-1)
    n = xs.size
    if n == 0:
        return float("nan")
    s = np.sum(xs) / n
    t = np.sum(xs - s)
    return float(s + t / n)


def r_row_means(data: Array) -> Array:
    """``apply(data, 1, mean, na.rm = TRUE)`` over the rows of a subgroup matrix, vectorised.

    Each row is summed left to right in long double (columns in order), then corrected once.
    """
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
