"""Process capability (pure): Cp, Cpl, Cpu, Cpk, Cpm with confidence intervals, Pp and Ppk,
expected and observed fractions out of specification, a normality test, and the ISO 22514
percentile method on Box-Cox-transformed data for non-normal processes.

The normal-theory indices follow the reference package qcc 2.7: the chart's centre and within
sigma, Cpm with within sigma, Bissell intervals for Cpl/Cpu (one-sided z) and Cpk (two-sided z).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, stats

__all__ = ["Capability", "CapabilityResult", "Index", "NonNormal"]

Array = NDArray[np.float64]
EXPECTED_FLOOR = 1e-4  # expected fractions below 0.01 % are reported as 0, as the reference does


@dataclass(frozen=True)
class Index:
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class NonNormal:
    """ISO 22514-2 percentile indices from a Box-Cox normal fit (lambda by maximum likelihood)."""

    boxcox_lambda: float
    p_low: float  # X 0.135 %
    median: float
    p_high: float  # X 99.865 %
    cp: float
    cpk: float


@dataclass(frozen=True)
class CapabilityResult:
    nobs: int
    center: float
    std_dev: float
    overall_std_dev: float
    target: float
    lsl: float | None
    usl: float | None
    indices: dict[str, Index]
    pp: float
    ppk: float
    exp_below_lsl: float
    exp_above_usl: float
    obs_below_lsl: float
    obs_above_usl: float
    normality_p_value: float  # Shapiro-Wilk
    non_normal: NonNormal | None


def _default_target(lsl: float | None, usl: float | None) -> float:
    """Mid-specification, or the only limit of a one-sided specification."""
    if lsl is not None and usl is not None:
        return (lsl + usl) / 2
    return float(lsl if usl is None else usl)  # type: ignore[arg-type]


def _bissell(value: float, z: float, n: int) -> Index:
    half = z * math.sqrt(1 / (9 * n * value**2) + 1 / (2 * (n - 1)))
    return Index(float(value), float(value * (1 - half)), float(value * (1 + half)))


class Capability:
    """Configuration: spec limits, target (default: mid-spec), confidence level, nsigmas."""

    def __init__(
        self,
        lsl: float | None,
        usl: float | None,
        *,
        target: float | None = None,
        confidence_level: float = 0.95,
        nsigmas: float = 3.0,
    ) -> None:
        if lsl is None and usl is None:
            raise ValueError("spec_limits: give at least one of LSL and USL")
        if lsl is not None and usl is not None and lsl >= usl:
            raise ValueError("USL: must be greater than LSL")
        if not 0 < confidence_level < 1:
            raise ValueError("confidence_level: must be between 0 and 1")
        self.lsl, self.usl = lsl, usl
        self.target = target
        self.conf = confidence_level
        self.k = nsigmas

    def fit(self, readings: Array, center: float, std_dev: float) -> CapabilityResult:
        x = np.asarray(readings, dtype=np.float64).reshape(-1)
        x = x[~np.isnan(x)]
        n = x.size
        if n < 2:
            raise ValueError("data: capability needs at least 2 readings")
        lsl, usl = self.lsl, self.usl
        target = self.target if self.target is not None else _default_target(lsl, usl)
        indices = self._indices(n, center, std_dev, target)
        overall = float(np.std(x, ddof=1))
        pp, ppk = self._overall(center, overall)
        exp_lo = float(stats.norm.cdf((lsl - center) / std_dev)) if lsl is not None else math.nan
        exp_hi = float(stats.norm.sf((usl - center) / std_dev)) if usl is not None else math.nan
        return CapabilityResult(
            nobs=n,
            center=center,
            std_dev=std_dev,
            overall_std_dev=overall,
            target=target,
            lsl=lsl,
            usl=usl,
            indices=indices,
            pp=pp,
            ppk=ppk,
            exp_below_lsl=0.0 if exp_lo < EXPECTED_FLOOR else exp_lo,
            exp_above_usl=0.0 if exp_hi < EXPECTED_FLOOR else exp_hi,
            obs_below_lsl=float(np.mean(x < lsl)) if lsl is not None else math.nan,
            obs_above_usl=float(np.mean(x > usl)) if usl is not None else math.nan,
            normality_p_value=float(stats.shapiro(x).pvalue) if 3 <= n <= 5000 else math.nan,
            non_normal=self._percentile_method(x),
        )

    def _indices(self, n: int, center: float, sd: float, target: float) -> dict[str, Index]:
        lsl, usl, k, alpha = self.lsl, self.usl, self.k, 1 - self.conf
        nan = Index(math.nan, math.nan, math.nan)
        z_one, z_two = stats.norm.ppf(self.conf), stats.norm.ppf(1 - alpha / 2)
        chi = np.sqrt(stats.chi2.ppf([alpha / 2, 1 - alpha / 2], n - 1) / (n - 1))
        cpl = _bissell((center - lsl) / (k * sd), z_one, n) if lsl is not None else nan
        cpu = _bissell((usl - center) / (k * sd), z_one, n) if usl is not None else nan
        if lsl is None or usl is None:
            return {"Cp": nan, "Cp_l": cpl, "Cp_u": cpu, "Cp_k": nan, "Cpm": nan}
        cp = (usl - lsl) / (2 * k * sd)
        cpk = _bissell(min(cpl.value, cpu.value), z_two, n)
        delta2 = ((center - target) / sd) ** 2
        cpm = cp / math.sqrt(1 + delta2)
        df = n * (1 + delta2) / (1 + 2 * delta2)
        cpm_ci = cpm * np.sqrt(stats.chi2.ppf([alpha / 2, 1 - alpha / 2], df) / df)
        return {
            "Cp": Index(cp, cp * chi[0], cp * chi[1]),
            "Cp_l": cpl,
            "Cp_u": cpu,
            "Cp_k": cpk,
            "Cpm": Index(cpm, float(cpm_ci[0]), float(cpm_ci[1])),
        }

    def _overall(self, center: float, overall: float) -> tuple[float, float]:
        lsl, usl, k = self.lsl, self.usl, self.k
        pl = (center - lsl) / (k * overall) if lsl is not None else math.nan
        pu = (usl - center) / (k * overall) if usl is not None else math.nan
        pp = (usl - lsl) / (2 * k * overall) if lsl is not None and usl is not None else math.nan
        return pp, float(np.nanmin([pl, pu]))

    def _percentile_method(self, x: Array) -> NonNormal | None:
        if x.size < 8 or np.any(x <= 0) or np.ptp(x) == 0:
            return None  # Box-Cox needs positive, non-constant data
        lam = _boxcox_lambda(x)
        y = stats.boxcox(x, lmbda=lam)
        mu, sd = float(np.mean(y)), float(np.std(y, ddof=1))
        q = stats.norm.ppf([0.00135, 0.5, 0.99865], mu, sd)
        lo, med, hi = (float(v) for v in _inv_boxcox(q, float(lam)))
        lsl, usl = self.lsl, self.usl
        cpl = (med - lsl) / (med - lo) if lsl is not None else math.nan
        cpu = (usl - med) / (hi - med) if usl is not None else math.nan
        cp = (usl - lsl) / (hi - lo) if lsl is not None and usl is not None else math.nan
        return NonNormal(float(lam), lo, med, hi, cp, float(np.nanmin([cpl, cpu])))


LAMBDA_BOUNDS = (-5.0, 5.0)  # the usual search range (as in Minitab)


def _boxcox_lambda(x: Array) -> float:
    """Maximum-likelihood Box-Cox lambda within LAMBDA_BOUNDS."""
    scaled = x / np.exp(np.mean(np.log(x)))  # geometric-mean scaling keeps powers finite
    res = optimize.minimize_scalar(
        lambda lam: -stats.boxcox_llf(lam, scaled), bounds=LAMBDA_BOUNDS, method="bounded"
    )
    return float(res.x)


def _inv_boxcox(y: Array, lam: float) -> Array:
    if lam == 0:
        return np.exp(y)
    return np.power(lam * y + 1, 1 / lam)
