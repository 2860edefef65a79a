"""Run rules (pure): the reference package's defaults, Western Electric 1-4 and Nelson 1-8.

Every function takes the plotted statistics with per-point centre and limits (Phase I and
Phase II concatenated, so runs cross the boundary) and returns sorted 0-based indices.
Zones are in units of the plotted statistic's sigma, taken per point as
(UCL - centre) / nsigmas. Conventions (docs/spc.md): the point completing a pattern and every
later point while it persists are flagged; zone comparisons are strict except Nelson 7
(|z| <= 1); Nelson 8 needs points on both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "RuleSet",
    "beyond_limits",
    "evaluate",
    "lowest_rule_per_point",
    "names_per_point",
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


_BLOCK = 1 << 16  # points per block: every mask of a block stays in cache


def _idx(mask: NDArray[np.bool_]) -> Index:
    return np.flatnonzero(mask).astype(np.int64, copy=False)


Masks = Callable[[slice], dict[str, NDArray[np.bool_]]]


def _blockwise(masks: Masks, n: int, window: int) -> dict[str, Index]:
    """Indices where each mask holds, computed block by block (all temporaries in cache).

    ``masks(s)`` evaluates the rules on the points in slice s alone; a point's verdict
    depends on at most the ``window`` points ending at it, so each block is evaluated with
    the ``window - 1`` points before it and only its own points are kept. The first block
    starts at 0, as the whole series does: identical to evaluating the series at once."""
    overlap = max(window - 1, 0)
    step = max(_BLOCK, 4 * overlap)
    parts: dict[str, list[Index]] = {}
    for lo in range(0, max(n, 1), step):
        start = max(lo - overlap, 0)
        for name, mask in masks(slice(start, min(lo + step, n))).items():
            parts.setdefault(name, []).append(_idx(mask[lo - start :]) + lo)
    return {name: np.concatenate(found) for name, found in parts.items()}


def _aligned(*arrays: Array) -> list[Array]:
    """The arrays broadcast to the shape of the first (views), so that they can be sliced."""
    first = np.asarray(arrays[0])
    return [first, *(np.broadcast_to(np.asarray(a), first.shape) for a in arrays[1:])]


def beyond_limits(stat: Array, lcl: Array, ucl: Array) -> Index:
    """Points strictly above the UCL or strictly below the LCL."""
    stat, lcl, ucl = _aligned(stat, lcl, ucl)
    if stat.ndim != 1:
        with np.errstate(invalid="ignore"):
            return _idx((stat > ucl) | (stat < lcl))

    def masks(s: slice) -> dict[str, NDArray[np.bool_]]:
        with np.errstate(invalid="ignore"):
            return {"": (stat[s] > ucl[s]) | (stat[s] < lcl[s])}

    return _blockwise(masks, stat.size, 1)[""]


def _window(cond: NDArray[np.bool_], length: int, op: np.ufunc) -> NDArray[np.bool_]:
    """``op`` (and / or) of cond over the ``length`` points ending at each point, by doubling
    (windows of 1, 2, 4, ... then one overlapping step): O(n log length), no integer arrays.
    Points before the start count as False: "and" is False, "or" looks at what there is."""
    out, span = cond, 1
    while span < length:
        step = min(span, length - span)
        nxt = np.zeros_like(cond) if op is np.logical_and else out.copy()
        op(out[step:], out[:-step], out=nxt[step:])
        out, span = nxt, span + step
    return out if out is not cond else cond.copy()


def _runs(cond: NDArray[np.bool_], length: int) -> NDArray[np.bool_]:
    """True from the ``length``-th point of each run of True on (the last ``length`` all True)."""
    return _window(cond, max(length, 1), np.logical_and)


def violating_runs(stat: Array, center: Array, run_length: int = 7) -> Index:
    """Points in runs of at least ``run_length`` on one side of the centre (from the
    ``run_length``-th point on). A point on the centre line, or missing, breaks a run."""
    stat, center = _aligned(stat, center)

    def masks(s: slice) -> dict[str, NDArray[np.bool_]]:
        with np.errstate(invalid="ignore"):
            above, below = stat[s] > center[s], stat[s] < center[s]
        return {"": _runs(above, run_length) | _runs(below, run_length)}

    return _blockwise(masks, stat.size, run_length)[""]


def _window_count(cond: NDArray[np.bool_], window: int) -> NDArray[np.int64] | NDArray[np.uint8]:
    """How many of the ``window`` points ending at each point hold (fewer at the start)."""
    if not 0 <= window <= 255:
        c = np.concatenate(([0], np.cumsum(cond, dtype=np.int64)))
        idx = np.arange(1, cond.size + 1)
        return c[idx] - c[np.maximum(idx - window, 0)]
    ones = cond.astype(np.uint8)
    total, block, size, offset = np.zeros_like(ones), ones, 1, 0
    while window:  # binary decomposition: add the count over each power-of-two block
        if window & 1:
            total[offset:] += block[: max(block.size - offset, 0)]
            offset += size
        window >>= 1
        if window:
            nxt = block.copy()
            nxt[size:] += block[:-size]
            block, size = nxt, size * 2
    return total


def _k_of_window(
    hi: NDArray[np.bool_], lo: NDArray[np.bool_], k: int, window: int
) -> NDArray[np.bool_]:
    return (hi & (_window_count(hi, window) >= k)) | (lo & (_window_count(lo, window) >= k))


def _steps(stat: Array) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Strict rises and falls between consecutive points (equal to diff > 0 and diff < 0)."""
    with np.errstate(invalid="ignore"):
        return stat[1:] > stat[:-1], stat[1:] < stat[:-1]


def _monotone(stat: Array, k: int) -> NDArray[np.bool_]:
    up, down = _steps(stat)
    run = _runs(up, k - 1) | _runs(down, k - 1)
    return np.concatenate(([False], run))


def _alternating(stat: Array, k: int) -> NDArray[np.bool_]:
    if stat.size < 2:
        return np.zeros(stat.size, bool)
    up, down = _steps(stat)
    alt = (up[1:] & down[:-1]) | (down[1:] & up[:-1])  # a flat or missing step breaks it
    return np.concatenate(([False, False], _runs(alt, k - 2)))


def _nelson8(out_hi: NDArray[np.bool_], out_lo: NDArray[np.bool_], k: int) -> NDArray[np.bool_]:
    run = _runs(out_hi | out_lo, k)
    if k < 1:
        both = (_window_count(out_hi, k) >= 1) & (_window_count(out_lo, k) >= 1)
    else:
        both = _window(out_hi, k, np.logical_or) & _window(out_lo, k, np.logical_or)
    return run & both


def zscores(stat: Array, center: Array, ucl: Array, nsigmas: float) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = np.subtract(ucl, center)
        unit /= nsigmas
        z = np.subtract(stat, center)
        z /= unit
        return z


def _zones(z: Array) -> dict[str, NDArray[np.bool_]]:
    """Points strictly beyond +k and -k sigma for k = 0, 1, 2 (keys "+0", "-0", "+1", ...)."""
    with np.errstate(invalid="ignore"):
        return {f"{s}{k}": (z > k if s == "+" else z < -k) for k in (0, 1, 2) for s in "+-"}


def _we_masks(z: Array) -> dict[str, NDArray[np.bool_]]:
    b = _zones(z)
    with np.errstate(invalid="ignore"):
        return {
            "WE1": (z > 3) | (z < -3),
            "WE2": _k_of_window(b["+2"], b["-2"], 2, 3),
            "WE3": _k_of_window(b["+1"], b["-1"], 4, 5),
            "WE4": _runs(b["+0"], 8) | _runs(b["-0"], 8),
        }


def _nelson_masks(z: Array, stat: Array, p: NelsonParams) -> dict[str, NDArray[np.bool_]]:
    b = _zones(z)
    with np.errstate(invalid="ignore"):
        return {
            "NELSON1": (z > p.k1) | (z < -p.k1),
            "NELSON2": _runs(b["+0"], p.k2) | _runs(b["-0"], p.k2),
            "NELSON3": _monotone(stat, p.k3),
            "NELSON4": _alternating(stat, p.k4),
            "NELSON5": _k_of_window(b["+2"], b["-2"], p.k5, p.k5 + 1),
            "NELSON6": _k_of_window(b["+1"], b["-1"], p.k6, p.k6 + 1),
            "NELSON7": _runs((z <= 1) & (z >= -1), p.k7),
            "NELSON8": _nelson8(b["+1"], b["-1"], p.k8),
        }


_WE_WINDOW = 8


def _nelson_window(p: NelsonParams) -> int:
    return max(p.k2, p.k3, p.k4, p.k5 + 1, p.k6 + 1, p.k7, p.k8, 1)


def western_electric(z: Array) -> dict[str, Index]:
    z = np.asarray(z)
    if z.ndim != 1:
        return {name: _idx(mask) for name, mask in _we_masks(z).items()}
    return _blockwise(lambda s: _we_masks(z[s]), z.size, _WE_WINDOW)


def nelson(z: Array, stat: Array, p: NelsonParams | None = None) -> dict[str, Index]:
    p = p or NelsonParams()
    z, stat = _aligned(z, stat)
    if z.ndim != 1:
        return {name: _idx(mask) for name, mask in _nelson_masks(z, stat, p).items()}
    return _blockwise(lambda s: _nelson_masks(z[s], stat[s], p), z.size, _nelson_window(p))


def names_per_point(per_rule: dict[str, Index], n: int) -> list[list[str]]:
    """For each of n points, the names of the rules that flag it (in ``per_rule`` order)."""
    out: list[list[str]] = [[] for _ in range(n)]
    for name, idx in per_rule.items():
        for i in idx.tolist():
            out[i].append(name)
    return out


def lowest_rule_per_point(per_rule: dict[str, Index], n: int) -> list[int | None]:
    """For each point, the lowest-numbered rule it violates (None if none)."""
    number = {name: int("".join(ch for ch in name if ch.isdigit())) for name in per_rule}
    out = np.full(n, None, dtype=object)
    for name in sorted(per_rule, key=number.__getitem__, reverse=True):  # lowest written last
        out[np.asarray(per_rule[name], dtype=np.int64)] = number[name]
    return list(out.tolist())


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
        case RuleSet.WESTERN_ELECTRIC | RuleSet.NELSON as chosen:
            return _zone_rules(chosen, stat, center, ucl, nsigmas, nelson_params)
    raise ValueError(f"rule_set: unknown {rule_set}")


def _zone_rules(
    rule_set: RuleSet,
    stat: Array,
    center: Array,
    ucl: Array,
    nsigmas: float,
    p: NelsonParams | None,
) -> dict[str, Index]:
    """Western Electric or Nelson rules with the z-scores computed block by block."""
    stat, center, ucl = _aligned(stat, center, ucl)
    if stat.ndim != 1:
        z = zscores(stat, center, ucl, nsigmas)
        return western_electric(z) if rule_set is RuleSet.WESTERN_ELECTRIC else nelson(z, stat, p)
    if rule_set is RuleSet.WESTERN_ELECTRIC:
        return _blockwise(
            lambda s: _we_masks(zscores(stat[s], center[s], ucl[s], nsigmas)), stat.size, 8
        )
    q = p or NelsonParams()
    return _blockwise(
        lambda s: _nelson_masks(zscores(stat[s], center[s], ucl[s], nsigmas), stat[s], q),
        stat.size,
        _nelson_window(q),
    )
