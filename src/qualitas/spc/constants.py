"""Control-chart constants (pure).

``d2`` (n = 2..25, three decimals) and ``d3`` (n = 2..50, seven decimals) are the published
tables used by the reference package qcc, so sigma and limits match it exactly; ``c4`` is exact.
No A2/D3/D4/B3/B4 tables: every limit is built from d2, d3 and c4.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["D2", "D3", "c4", "d2", "d3"]

# D2[n] for n = 2..25 (index 0 and 1 unused).
D2: tuple[float, ...] = (
    math.nan,
    math.nan,
    1.128,
    1.693,
    2.059,
    2.326,
    2.534,
    2.704,
    2.847,
    2.97,
    3.078,
    3.173,
    3.258,
    3.336,
    3.407,
    3.472,
    3.532,
    3.588,
    3.64,
    3.689,
    3.735,
    3.778,
    3.819,
    3.858,
    3.895,
    3.931,
)

# D3[n] for n = 2..50.
D3: tuple[float, ...] = (
    math.nan,
    math.nan,
    0.8525033,
    0.8883697,
    0.8798108,
    0.8640855,
    0.8480442,
    0.8332108,
    0.8198378,
    0.8078413,
    0.7970584,
    0.787323,
    0.7784873,
    0.7704257,
    0.763033,
    0.7562217,
    0.7499188,
    0.7440627,
    0.7386021,
    0.7334929,
    0.728698,
    0.7241851,
    0.7199267,
    0.7158987,
    0.7120802,
    0.7084528,
    0.7050004,
    0.7017086,
    0.6985648,
    0.6955576,
    0.692677,
    0.6899137,
    0.6872596,
    0.6847074,
    0.6822502,
    0.6798821,
    0.6775973,
    0.675391,
    0.6732584,
    0.6711952,
    0.6691976,
    0.6672619,
    0.6653848,
    0.6635632,
    0.6617943,
    0.6600754,
    0.6584041,
    0.656778,
    0.655195,
    0.6536532,
    0.6521506,
)


def _lookup(table: tuple[float, ...], n: NDArray[np.int64]) -> NDArray[np.float64]:
    n = np.asarray(n, dtype=np.int64)
    if n.size > 1 and (first := int(n.flat[0])) == n.min() == n.max():  # one size: no gather
        return np.full(n.shape, table[first] if 2 <= first < len(table) else np.nan)
    out = np.full(n.shape, np.nan)
    ok = (n >= 2) & (n < len(table))
    out[ok] = np.asarray(table)[n[ok]]
    return out


def d2(n: NDArray[np.int64] | int) -> NDArray[np.float64]:
    """Expected range of n standard normals (NaN outside 2..25, as in the reference)."""
    return _lookup(D2, np.asarray(n))


def d3(n: NDArray[np.int64] | int) -> NDArray[np.float64]:
    """Standard deviation of the range of n standard normals (NaN outside 2..50)."""
    return _lookup(D3, np.asarray(n))


def c4(n: NDArray[np.int64] | NDArray[np.float64] | int) -> NDArray[np.float64]:
    """Exact bias factor of the sample standard deviation: E[S] = c4(n)·sigma."""
    from scipy.special import gammaln

    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.sqrt(2.0 / (n - 1.0)) * np.exp(gammaln(n / 2.0) - gammaln((n - 1.0) / 2.0))
    return np.where(n >= 2, out, np.nan)
