"""Shewhart control charts (pure, estimator style): x-bar, R, S, individuals, p, np, c, u.

``ShewhartChart(...).fit(...)`` estimates the Phase I centre and sigma and returns frozen
``ShewhartLimits`` (the content of a limit set); ``limits.evaluate(...)`` gives the plotted
statistics and per-point limits of any data, Phase I or Phase II, against those limits.
Conventions follow the reference package qcc 2.7 (see docs/spc.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from qualitas.spc.constants import c4, d3
from qualitas.spc.rmath import r_mean, r_nanmean, r_row_means, r_sum
from qualitas.spc.sigma import (
    SigmaMethod,
    estimate_sigma,
    row_ranges,
    row_sds,
    row_sizes,
    subgroup_sigma,
)

__all__ = ["Chart", "Points", "ShewhartChart", "ShewhartLimits"]

Array = NDArray[np.float64]
VARIABLE = frozenset({"xbar", "R", "S", "xbar.one"})


class Chart(StrEnum):
    XBAR = "xbar"
    R = "R"
    S = "S"
    XBAR_ONE = "xbar.one"
    P = "p"
    NP = "np"
    C = "c"
    U = "u"


DEFAULT_SIGMA = {
    Chart.R: SigmaMethod.UWAVE_R,
    Chart.S: SigmaMethod.UWAVE_SD,
    Chart.XBAR_ONE: SigmaMethod.MR,
}


@dataclass(frozen=True)
class Points:
    """Plotted statistics with their sizes, centre and limits, one entry per point. Values
    that are the same for every point (constant limits, the individuals' sizes) are read-only
    broadcast views: copy before writing into them."""

    statistics: Array
    sizes: NDArray[np.int64]
    center: Array
    lcl: Array
    ucl: Array


def _as_subgroups(data: Array) -> Array:
    arr = np.asarray(data, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError("data: subgroup charts need a matrix (one row per subgroup)")
    return arr


def _statistics(
    chart: Chart,
    data: Array | None,
    counts: Array | None,
    sizes: Array | None,
    ones_view: bool = False,
) -> tuple[Array, NDArray[np.int64]]:
    """Plotted statistic and sizes; ``ones_view``: individuals' sizes as a read-only view."""
    if chart in VARIABLE:
        if data is None:
            raise ValueError("data: required for a variables chart")
        if chart is Chart.XBAR_ONE:
            x = np.asarray(data, dtype=np.float64).reshape(-1)
            if ones_view:
                return x, np.broadcast_to(np.int64(1), x.shape)
            return x, np.ones(x.size, dtype=np.int64)
        return _subgroup_statistic(chart, _as_subgroups(data))
    if counts is None:
        raise ValueError("counts: required for an attributes chart")
    c = np.asarray(counts, dtype=np.float64)
    nf = np.ones(c.size) if sizes is None else np.broadcast_to(np.asarray(sizes, float), c.shape)
    if np.any(nf <= 0):
        raise ValueError("sizes: must be positive")
    if chart is not Chart.U and np.any(nf != np.round(nf)):
        raise ValueError("sizes: must be whole numbers (only u charts take fractional units)")
    stat = c / nf if chart in (Chart.P, Chart.U) else c
    return stat, (nf if chart is Chart.U else nf.astype(np.int64))  # type: ignore[return-value]


def _subgroup_statistic(chart: Chart, data: Array) -> tuple[Array, NDArray[np.int64]]:
    """Only the statistic the chart plots (means, ranges or standard deviations)."""
    n, complete = row_sizes(data)
    if chart is Chart.R:
        return row_ranges(data, complete), n
    means = r_row_means(data) if data.size else np.empty(0)
    return (means if chart is Chart.XBAR else row_sds(data, means, n, complete)), n


@dataclass(frozen=True)
class ShewhartLimits:
    """A fitted Phase I model: what a frozen limit set stores."""

    chart: Chart
    center: float  # p-bar for np charts (the per-point centre is n·p-bar)
    std_dev: float  # within sigma; Bernoulli/Poisson sigma for attribute charts
    nsigmas: float
    confidence_level: float | None

    def evaluate(
        self, data: Array | None = None, counts: Array | None = None, sizes: Array | None = None
    ) -> Points:
        one = self.chart is Chart.XBAR_ONE
        stat, n = _statistics(self.chart, data, counts, sizes, ones_view=one)
        if self.chart is Chart.NP:
            center = np.asarray(self.center * n, dtype=np.float64)
        else:
            center = np.broadcast_to(np.float64(self.center), stat.shape)
        # individuals: limits need only the shape, no float copy of the sizes
        lcl, ucl = self.limits_for(
            np.broadcast_to(1.0, n.shape) if one else np.asarray(n, dtype=np.float64)
        )
        return Points(stat, n, center, lcl, ucl)

    def point_std_dev(self, sizes: Array) -> Array:
        """Reported sigma per point: differs from ``std_dev`` only for np charts."""
        if self.chart is Chart.NP:
            return np.sqrt(sizes * self.center * (1 - self.center))
        return np.full(np.shape(sizes), self.std_dev)

    def limits_for(self, n: Array) -> tuple[Array, Array]:
        """Lower and upper control limits for points of sizes ``n``."""
        sizes = np.asarray(n)
        constant = self.chart in (Chart.XBAR_ONE, Chart.C) and self.confidence_level is None
        if sizes.ndim == 1 and sizes.size > 1 and (constant or sizes.min() == sizes.max()):
            lo, hi = self._limits_each(sizes[:1])  # the same for every point: compute once
            return np.broadcast_to(lo[0], sizes.shape), np.broadcast_to(hi[0], sizes.shape)
        return self._limits_each(n)

    def _limits_each(self, n: Array) -> tuple[Array, Array]:
        if self.confidence_level is not None:
            return _probability_limits(self, n)
        k, s, c = self.nsigmas, self.std_dev, self.center
        with np.errstate(invalid="ignore", divide="ignore"):
            match self.chart:
                case Chart.XBAR:
                    half = k * s / np.sqrt(n)
                    return c - half, c + half
                case Chart.XBAR_ONE:
                    return np.full(n.shape, c - k * s), np.full(n.shape, c + k * s)
                case Chart.R:
                    half = k * d3(n.astype(np.int64)) * s
                    return np.maximum(0.0, c - half), c + half
                case Chart.S:
                    half = k * s * np.sqrt(1 - c4(n) ** 2)
                    return np.maximum(0.0, c - half), c + half
                case Chart.P | Chart.NP:
                    mid, half = n * c, k * np.sqrt(n * c * (1 - c))
                    lo, hi = np.clip(mid - half, 0, n), np.clip(mid + half, 0, n)
                    return (lo / n, hi / n) if self.chart is Chart.P else (lo, hi)
                case Chart.C:
                    return np.full(n.shape, max(0.0, c - k * np.sqrt(c))), np.full(
                        n.shape, c + k * np.sqrt(c)
                    )
                case Chart.U:
                    mid, half = n * c, k * np.sqrt(n * c)
                    return np.maximum(0.0, mid - half) / n, (mid + half) / n
        raise ValueError(f"chart: unknown chart {self.chart}")


def _probability_limits(lim: ShewhartLimits, n: Array) -> tuple[Array, Array]:
    conf = float(lim.confidence_level or 0)
    lo_p, hi_p = (1 - conf) / 2, (1 + conf) / 2
    c, s = lim.center, lim.std_dev
    match lim.chart:
        case Chart.XBAR | Chart.XBAR_ONE:
            z = stats.norm.ppf(hi_p)
            half = z * s / np.sqrt(n) if lim.chart is Chart.XBAR else np.full(n.shape, z * s)
            return c - half, c + half
        case Chart.R:
            sizes, where = np.unique(n, return_inverse=True)  # costly quantile: once per size
            lo = np.array([stats.studentized_range.ppf(lo_p, k, np.inf) for k in sizes])
            hi = np.array([stats.studentized_range.ppf(hi_p, k, np.inf) for k in sizes])
            return lo[where] * s, hi[where] * s
        case Chart.S:
            df = n - 1
            return (
                np.sqrt(stats.chi2.ppf(lo_p, df) / df) * s,
                np.sqrt(stats.chi2.ppf(hi_p, df) / df) * s,
            )
        case Chart.NP | Chart.P:
            lo, hi = stats.binom.ppf(lo_p, n, c), stats.binom.ppf(hi_p, n, c)
            return (lo / n, hi / n) if lim.chart is Chart.P else (lo, hi)
        case Chart.C:
            return (
                np.full(n.shape, stats.poisson.ppf(lo_p, c)),
                np.full(n.shape, stats.poisson.ppf(hi_p, c)),
            )
        case Chart.U:
            return stats.poisson.ppf(lo_p, n * c) / n, stats.poisson.ppf(hi_p, n * c) / n
    raise ValueError(f"chart: unknown chart {lim.chart}")


class ShewhartChart:
    """Configuration of a Shewhart chart; ``fit`` estimates the Phase I centre and sigma.

    ``center`` and ``std_dev`` may be given (known process parameters) instead of estimated.
    """

    def __init__(
        self,
        chart: Chart | str,
        *,
        std_dev_method: SigmaMethod | str | None = None,
        nsigmas: float = 3.0,
        confidence_level: float | None = None,
        center: float | None = None,
        std_dev: float | None = None,
    ) -> None:
        self.chart = Chart(chart)
        self.std_dev_method = SigmaMethod(std_dev_method) if std_dev_method else None
        self.nsigmas = nsigmas
        self.confidence_level = confidence_level
        self.center = center
        self.std_dev = std_dev

    def fit(
        self, data: Array | None = None, counts: Array | None = None, sizes: Array | None = None
    ) -> ShewhartLimits:
        stat, n = _statistics(self.chart, data, counts, sizes, ones_view=True)
        center = self.center if self.center is not None else _center(self.chart, stat, n, counts)
        std_dev = self.std_dev if self.std_dev is not None else self._sigma(data, center, n, stat)
        return ShewhartLimits(
            self.chart, float(center), float(std_dev), self.nsigmas, self.confidence_level
        )

    def _sigma(self, data: Array | None, center: float, n: NDArray[np.int64], stat: Array) -> float:
        match self.chart:
            case Chart.P | Chart.NP:
                return float(np.sqrt(center * (1 - center)))
            case Chart.C | Chart.U:
                return float(np.sqrt(center))
        method = self.std_dev_method or DEFAULT_SIGMA.get(self.chart)
        if method is None:  # x-bar: UWAVE-R, or RMSDF when any subgroup is larger than 25
            method = SigmaMethod.RMSDF if np.any(n > 25) else SigmaMethod.UWAVE_R
        arr = np.asarray(data, dtype=np.float64)
        if self.chart is Chart.XBAR_ONE:
            return estimate_sigma(arr, method)
        arr = _as_subgroups(arr)
        complete = arr.size == 0 or bool(np.all(n == arr.shape[1]))  # as row_sizes says
        return subgroup_sigma(
            arr,
            method,
            n,
            complete,
            ranges=stat if self.chart is Chart.R else None,  # the R chart's own statistic
            sds=stat if self.chart is Chart.S else None,
        )


def _center(chart: Chart, stat: Array, n: NDArray[np.int64], counts: Array | None) -> float:
    """Size-weighted centre lines, summed the way the reference package does."""
    if chart in (Chart.XBAR, Chart.R, Chart.S):
        if stat.size and not np.isnan(stat.max()):  # nothing missing: no masks
            size = int(n[0]) if n.min() == n.max() else None  # equal sizes: one factor
            weighted = stat * float(size) if size is not None else n * stat
            return r_sum(weighted) / float(np.sum(n))  # a sum of integers is exact
        ok = ~np.isnan(stat)
        return r_sum(n[ok] * stat[ok]) / r_sum(n[ok].astype(np.float64))
    if chart is Chart.XBAR_ONE:
        return r_nanmean(stat)
    if chart is Chart.C:
        return r_mean(stat)
    total = r_sum(np.asarray(counts, dtype=np.float64))
    return total / r_sum(np.asarray(n, dtype=np.float64))  # p-bar for p and np, u-bar for u
