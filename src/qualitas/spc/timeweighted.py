"""Time-weighted charts (pure): EWMA and standardised tabular CUSUM, as in qcc 2.7.

Both take subgroup means (or individuals) with their sizes over Phase I followed by Phase II;
the recursion runs across the phase boundary. Centre and sigma come from Phase I.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Cusum", "CusumResult", "Ewma", "EwmaResult"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class EwmaResult:
    ewma: Array
    sigma: Array
    lcl: Array
    ucl: Array
    violations: NDArray[np.int64]


class Ewma:
    """z_0 = centre, z_t = lambda·x_t + (1 - lambda)·z_{t-1}; exact time-varying limits."""

    def __init__(self, lam: float = 0.2, nsigmas: float = 3.0) -> None:
        self.lam = lam
        self.nsigmas = nsigmas

    def fit(self, means: Array, sizes: Array, center: float, std_dev: float) -> EwmaResult:
        lam = self.lam
        if not 0 < lam <= 1:
            raise ValueError("lambda: must be in (0, 1]")
        x = np.asarray(means, dtype=np.float64)
        n = np.asarray(sizes, dtype=np.float64)
        z = np.empty(x.size)
        prev = center
        for t, value in enumerate(x):
            prev = lam * value + (1 - lam) * prev
            z[t] = prev
        steps = np.arange(1, x.size + 1)
        sigma = np.sqrt(std_dev**2 / n * lam / (2 - lam) * (1 - (1 - lam) ** (2 * steps)))
        lcl, ucl = center - self.nsigmas * sigma, center + self.nsigmas * sigma
        violations = np.flatnonzero((z > ucl) | (z < lcl)).astype(np.int64)
        return EwmaResult(z, sigma, lcl, ucl, violations)


@dataclass(frozen=True)
class CusumResult:
    pos: Array
    neg: Array  # reported negative
    violations_upper: NDArray[np.int64]
    violations_lower: NDArray[np.int64]


class Cusum:
    """Standardised tabular CUSUM; k = se_shift / 2, decision interval h (strict signals)."""

    def __init__(
        self, decision_interval: float = 5.0, se_shift: float = 1.0, head_start: float = 0.0
    ) -> None:
        self.h = decision_interval
        self.k = se_shift / 2
        self.head_start = head_start

    def fit(self, means: Array, sizes: Array, center: float, std_dev: float) -> CusumResult:
        if not 0 <= self.head_start < self.h:
            raise ValueError("head_start: must be in [0, decision_interval)")
        x = np.asarray(means, dtype=np.float64)
        z = (x - center) / (std_dev / np.sqrt(np.asarray(sizes, dtype=np.float64)))
        pos, neg = np.empty(x.size), np.empty(x.size)
        hi = lo = self.head_start
        for t, zt in enumerate(z):
            hi = max(0.0, hi + zt - self.k)
            lo = max(0.0, lo - zt - self.k)
            pos[t], neg[t] = hi, -lo
        return CusumResult(
            pos,
            neg,
            np.flatnonzero(pos > self.h).astype(np.int64),
            np.flatnonzero(neg < -self.h).astype(np.int64),
        )
