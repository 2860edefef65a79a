"""Float64 means certified equal to the long-double reference of ``rmath`` (pure).

Long-double arithmetic is slow (no SIMD), so ``rmath`` first asks this module. A mean it
returns is *provably* the double the long-double reference returns; where it cannot prove
that, it says so and ``rmath`` runs the reference. The argument:

1. Error-free splitting (Rump, Ogita and Oishi's ExtractVector). For sigma a power of two with
   n·max|x| <= sigma/2, ``q = (x + sigma) - sigma`` and ``p = x - q`` are exact, every q is a
   multiple of 2**-53·sigma and |sum of q| < sigma, so the sum of the q is exact in any order,
   and |p| <= 2**-53·sigma bounds the rounding error of the sum of the p by
   gamma(n - 1)·n·2**-53·sigma (any order). The exact sum S is known to within that bound.
2. The exact mean m = S/n. Arrays: in exact rational arithmetic (``fractions``). Rows: a
   candidate c, the residual S - n·c with n·c split exactly (Veltkamp), and the double
   ``best`` nearest to m with a rigorous bound on |m - best|.
3. The reference (sum in long double, divide, sum the residuals x - s, add the correction)
   differs from m by at most ``ref_error``: a rounding-error bound from the number of
   long-double roundings along its summation tree (``depth``) and the spread of the data. If
   |m - best| + ref_error is below half the gap from ``best`` to its neighbours, the
   reference lies strictly inside the rounding interval of ``best``: both round to ``best``.
4. Rows of one sign whose magnitudes span less than 2**61/width**2 units in the last place
   are computed exactly by the reference up to its division; there exact ties (possible
   when n is even) are resolved as the reference does (``_exact_rows``).

Shortcut for rows (``_anchor_rows``): when a block's readings share a sign and lie within a
factor of two of its midpoint a, x - a is exact (Sterbenz) and the row sums of x - a are
accurate enough to decide most rows without splitting; the others take steps 1-4.

Anything else (NaN in a block of rows, values near the overflow or underflow range, a mean
too close to a rounding midpoint) is reported as uncertified.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

__all__ = ["BLOCK", "Blocks", "abs_diff_blocks", "blocks_of", "mean", "row_means"]

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]
Blocks = Callable[[], Iterator[Array]]  # yields the values block by block, each time anew

BLOCK = 1 << 15  # values per block: temporaries stay in cache
_U = 2.0**-53  # float64 unit roundoff
_UP = _U * (1 + 2.0**-40)  # rounding error bound relative to a computed result
_UL = float(np.finfo(np.longdouble).eps) / 2  # long-double unit roundoff (2**-64 on x87)
_TINY, _HUGE = 2.0**-900, 2.0**960  # every step stays clear of underflow and overflow
_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's splitter, halves of 26 bits


def _gamma(k: float) -> float:
    return k * _U / (1 - k * _U)


def pairwise_depth(n: int) -> int:
    """Roundings along any path of numpy's pairwise sum of n values (blocks of 128 with 8
    accumulators, then halving): at most ceil(log2 n) + 20; 4 more for margin."""
    return math.ceil(math.log2(max(n, 2))) + 24


def _sigma(big: float, n: int) -> float:
    """Power of two with n·big <= sigma/2."""
    return math.ldexp(1.0, math.frexp(big)[1] + math.ceil(math.log2(max(n, 1))) + 1)


def ref_error(
    depth: int, dev: Array | float, big: Array | float, best: Array | float, gap: Array | float
) -> Array | float:
    """Bound on |reference - exact mean| for values whose mean magnitude (sum |x| / n) is at
    most ``big`` and whose mean absolute deviation from the mean is at most ``dev``. The
    first pass s = sum/n is off by at most e_s; the correcting pass sums x - s with
    ``depth`` long-double roundings per term (e_t after dividing by n); then t/n and
    s + t/n round once each (|reference| is at most |best| + 2·gap when the caller's test
    passes)."""
    e_s = (depth + 1) * _UL * big * 1.01
    e_t = (depth + 1) * _UL * 1.01 * (dev + e_s)
    return 1.02 * (e_t + _UL * (e_s + e_t) + _UL * (np.abs(best) + 2 * gap))


# --- one mean over many values ----------------------------------------------------------------


def blocks_of(x: Array) -> Blocks:
    return lambda: (x[start : start + BLOCK] for start in range(0, x.size, BLOCK))


def abs_diff_blocks(x: Array) -> Blocks:
    """|x[i+1] - x[i]| (the moving ranges), computed block by block into one buffer."""

    def gen() -> Iterator[Array]:
        buf = np.empty(min(BLOCK, max(x.size - 1, 0)))
        for start in range(0, x.size - 1, BLOCK):
            stop = min(start + BLOCK, x.size - 1)
            out = buf[: stop - start]
            np.subtract(x[start + 1 : stop + 1], x[start:stop], out=out)
            yield np.abs(out, out=out)

    return gen


def _split_sums(blocks: Blocks) -> tuple[Fraction, float, float, float] | None:
    """Step 1 block by block, each block split with its own sigma: S up to ``err`` (a
    Fraction), ``err``, and the largest and smallest value. None when a value is not finite."""
    exact, err, hi, lo = Fraction(0), 0.0, -math.inf, math.inf
    for blk in blocks():
        b_hi, b_lo = float(blk.max()), float(blk.min())
        if not (math.isfinite(b_hi) and math.isfinite(b_lo)):
            return None
        sigma = _sigma(max(b_hi, -b_lo, _TINY), blk.size)
        q = blk + sigma
        q -= sigma
        exact += Fraction(float(np.einsum("i->", q)))  # exact
        np.subtract(blk, q, out=q)
        exact += Fraction(float(np.einsum("i->", q)))  # off by at most the term below
        err += _gamma(blk.size - 1) * blk.size * _U * sigma
        hi, lo = max(hi, b_hi), min(lo, b_lo)
    return exact, err * (1 + 2.0**-40), hi, lo


def mean(n: int, blocks: Blocks) -> float | None:
    """The reference mean of the n values ``blocks`` yields: NaN if one is not finite (the
    reference is NaN then), None if not certified (huge values, or too close to a midpoint)."""
    split = _split_sums(blocks)
    if split is None:
        return math.nan
    total, err, hi, lo = split
    big = max(hi, -lo)
    if not _TINY < big < _HUGE:
        return None
    exact, slack = total / n, Fraction(err) / n
    best = float(exact)
    if not abs(best) > _TINY:
        return None
    gap, depth = math.ulp(best), pairwise_depth(n)
    dev = (hi - lo) * (1 + 2.0**-50)  # |x_i - mean| <= max - min
    # the first pass errs by at most depth roundings of the mean magnitude (sum |x| / n):
    # that is |mean| when all values share a sign, otherwise at most the largest value
    size = (abs(best) + 2 * gap + float(slack)) * (1 + 2.0**-50) if lo >= 0 or hi <= 0 else big
    for attempt in range(2):
        if attempt:  # tighter: the mean absolute deviation from best, the mean magnitude
            dev, size = _abs_dev(blocks, best, n)
            dev += 2 * gap + float(slack)
        e = Fraction(float(ref_error(depth, dev, min(size, big), best, gap))) + slack
        if float(exact - e) == float(exact + e):  # all of [m - e, m + e] rounds to best
            return float(exact - e) + 0.0
    return None


def _abs_dev(blocks: Blocks, at: float, n: int) -> tuple[float, float]:
    """Upper bounds on mean(|x - at|) and on mean(|x|)."""
    total = size = 0.0
    for blk in blocks():
        d = np.abs(blk)
        size += float(d.sum())
        np.subtract(blk, at, out=d)
        total += float(np.abs(d, out=d).sum())
    return total / n * (1 + 2.0**-30), size / n * (1 + 2.0**-30)


# --- the mean of each row -----------------------------------------------------------------------


def row_means(x: Array) -> tuple[Array, Mask]:
    """Means of the rows of a float64 matrix (NaN ignored) and the rows where each is
    certified to be the reference's (sequential long-double sums over the columns)."""
    out = np.empty(x.shape[0])
    ok = np.zeros(x.shape[0], dtype=bool)
    step = max(1, BLOCK // x.shape[1])
    with np.errstate(all="ignore"):  # rows of NaN divide by zero; they are not certified
        for start in range(0, x.shape[0], step):
            out[start : start + step], ok[start : start + step] = _rows(x[start : start + step])
    return out, ok


def _rows(x: Array) -> tuple[Array, Mask]:
    """One block of rows: the anchored shortcut where it applies, step 1-3 (and step 4 via
    ``_refine`` and ``_exact_rows``) for the rows it leaves uncertified."""
    hi, lo = float(x.max()), float(x.min())
    anchored = _anchor_rows(x, hi, lo) if _TINY < max(hi, -lo) < _HUGE else None
    if anchored is None:
        return _split_rows(x, hi, lo)
    best, ok = anchored
    if not ok.all():
        bad = np.flatnonzero(~ok)
        sub = x[bad]
        best[bad], ok[bad] = _split_rows(sub, float(sub.max()), float(sub.min()))
    return best, ok


def _anchor_rows(x: Array, hi: float, lo: float) -> tuple[Array, Mask] | None:
    """Readings of one sign within a factor of two of the block's midpoint a: y = x - a is
    exact (Sterbenz), so a row sum of y is off by at most gamma(width - 1)·width·g with
    g = max|y|, and mean = a + sum(y)/width. Cheaper than splitting, and enough when the
    spread is small against the mean (``None`` when it is not, or when NaN is present)."""
    width, a = x.shape[1], 0.5 * (hi + lo)
    if not ((a > 0 and lo >= 0.5 * a and hi <= 2 * a) or (a < 0 and hi <= 0.5 * a and lo >= 2 * a)):
        return None  # also NaN
    g, big, low = max(hi - a, a - lo), max(hi, -lo), min(abs(hi), abs(lo))
    err = 1.01 * (_gamma(width - 1) * g + _UP * (3 * g + 2 * _U * big + 2 * math.ulp(big)))
    spread = (hi - lo) * (1 + 2.0**-50)
    slack = err + 2.0**-1000 + float(ref_error(width - 1, spread, big, big, 0.0))
    if slack > math.ulp(low) / 64:  # most rows would fail: split instead
        return None
    delta = _column_sum(x - a)  # exact terms
    delta /= width
    best = delta + a
    w = a - best
    w += delta  # mean - best, up to err
    gap = _half_gap(best)
    ok = (np.abs(w) + slack < gap * (1 - 4 * _UL)) & (np.abs(best) > _TINY)
    return best + 0.0, ok


def _split_rows(x: Array, hi: float, lo: float) -> tuple[Array, Mask]:
    """Steps 1-3 for a block of rows, then ``_refine`` and ``_exact_rows`` (step 4) for the
    rows that are not certified with the block's own spread."""
    width, raw = x.shape[1], x
    n: Array | float = float(width)
    if math.isnan(hi):  # missing readings: zeros add nothing, sizes per row
        valid = ~np.isnan(x)
        n = valid.sum(axis=1).astype(np.float64)
        x = np.where(valid, x, 0.0)
        hi, lo = float(np.fmax.reduce(raw, axis=None)), float(np.fmin.reduce(raw, axis=None))
    big = max(hi, -lo)
    if not _TINY < big < _HUGE:
        return np.zeros(x.shape[0]), np.zeros(x.shape[0], dtype=bool)
    sigma = _sigma(big, width)
    q = x + sigma
    q -= sigma
    p = x - q
    qs, ps = _column_sum(q), _column_sum(p)  # qs exact
    best, w = _nearest(qs, ps, n)
    gap = _half_gap(best)
    slack = float(ref_error(width - 1, (hi - lo) * (1 + 2.0**-50), big, big, 0.0))
    slack += float(_rows_error(width, big, sigma))
    ok = (np.abs(w) + slack < gap * (1 - 4 * _UL)) & (np.abs(best) > _TINY)
    if not ok.all():
        _refine(raw, best, w, gap, ok, sigma)
    if not ok.all() and _reference_exact(width, hi, lo):
        _exact_rows(qs, ps, n, best, ok, slack)
    return best + 0.0, ok


def _column_sum(x: Array) -> Array:
    """Row sums, column by column (no BLAS: its threads only contend on a busy machine)."""
    out = x[:, 0].copy()
    for j in range(1, x.shape[1]):
        out += x[:, j]
    return out


def _nearest(qs: Array, ps: Array, n: Array | float) -> tuple[Array, Array]:
    """Nearest double to the exact mean (qs + P)/n per row (P = ps up to rounding), and
    w = exact mean - best up to ``_rows_error``."""
    c = qs + ps
    c /= n
    v = c * _SPLIT
    ch = v - c
    np.subtract(v, ch, out=ch)  # Veltkamp: ch = v - (v - c)
    cl = c - ch  # n·ch and n·cl are exact (26-bit halves, n < 2**26)
    delta = qs - ch * n
    cl *= n
    delta -= cl
    delta += ps  # S - n·c
    delta /= n
    best = c + delta
    c -= best
    c += delta  # w = (c - best) + delta
    return best, c


def _rows_error(width: int, big: Array | float, sigma: float) -> Array | float:
    """Bound on |(exact mean - best) - w| for rows of readings at most ``big`` in magnitude:
    |c| <= big(1 + 4u), the Veltkamp half |cl| <= 2**-26 |c|, |S - n·c| <= 2.02 u n big +
    err_p and |sum of p| <= width·2**-53·sigma bound the three roundings of the residual and
    those of delta, best - c and w."""
    err_p = _gamma(width - 1) * width * _U * sigma
    err_r = _UP * width * big * 2.0**-25 + 2 * _UP * width * _U * sigma + 4 * err_p
    return err_r + 12 * _UP * _U * big + 2.0**-1000


def _half_gap(best: Array) -> Array:
    """Half the distance from |best| to the next double towards zero (the smaller of its two
    neighbour gaps); NaN for 0."""
    mag = np.abs(best)
    below = (mag.view(np.int64) - 1).view(np.float64)
    np.subtract(mag, below, out=below)
    below *= 0.5
    return below


def _refine(raw: Array, best: Array, w: Array, gap: Array, ok: Mask, sigma: float) -> None:
    """Second chance for uncertified rows: their own spread and magnitude, not the block's."""
    width = raw.shape[1]
    bad = np.flatnonzero(~ok)
    rows = raw[bad]
    r_hi, r_lo = np.fmax.reduce(rows, axis=1), np.fmin.reduce(rows, axis=1)
    r_big = np.maximum(r_hi, -r_lo)
    spread = (r_hi - r_lo) * (1 + 2.0**-50)
    e_ref = ref_error(width - 1, spread, r_big, best[bad], gap[bad])
    bound = np.abs(w[bad]) + _rows_error(width, r_big, sigma) + e_ref
    ok[bad] = (bound < gap[bad]) & (np.abs(best[bad]) > _TINY)


def _reference_exact(width: int, hi: float, lo: float) -> bool:
    """Whether a block is in the exact regime of ``_exact_rows``.

    Readings of one sign are multiples of g = ulp(min |x|) and at most K·g, K = max|x|/g.
    With width**2·K <= 2**61, sums of up to ``width`` readings, of their high and low parts,
    and the residual S - n·best below are integers times g/4 small enough to be exact in
    float64; in long double so are the reference's partial sums."""
    if _UL > 2.0**-64 or not (lo > _TINY or -hi > _TINY):
        return False
    low, big = (lo, hi) if lo > 0 else (-hi, -lo)
    return width * width * (big / math.ulp(low)) <= 2.0**61


def _exact_rows(
    qs: Array, ps: Array, n: Array | float, best: Array, ok: Mask, e_ref: float
) -> None:
    """Uncertified rows of an exact-regime block: S = qs + ps exactly and the residual
    r = S - n·best is computed exactly, so the exact mean's distance to the midpoint t
    between best and its neighbour is known exactly. If it is 0 (a tie; possible when n is
    even), the reference is t itself (t has 54 bits, so s = S/n = t and every residual is
    exact in long double) and rounds half to even; if it exceeds the reference's error
    bound, the reference lies on the same side of t as the exact mean."""
    bad = np.flatnonzero(~ok)
    b, size = best[bad], np.broadcast_to(np.asarray(n, dtype=np.float64), best.shape)[bad]
    v = b * _SPLIT
    ch = v - (v - b)
    r = (qs[bad] - size * ch) - size * (b - ch)
    r += ps[bad]  # S - n·best, exact here
    other = np.nextafter(b, np.where(r > 0, np.inf, -np.inf))
    d = np.abs(r) - size * (0.5 * np.abs(other - b))  # n·(|mean - best| - |t - best|)
    even = (b.view(np.int64) & 1) == 0
    pick = np.where(d == 0, np.where(even, b, other), np.where(d < 0, b, other))
    sure = ((d == 0) | (np.abs(d) > size * e_ref * (1 + 2.0**-40))) & (size > 0)
    best[bad[sure]] = pick[sure]
    ok[bad[sure]] = True
