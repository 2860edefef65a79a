"""The float64 fast paths of the SPC engine return exactly what the long-double reference does.

``qualitas.spc.rmath`` keeps the long-double reference (``_ld_mean``, ``_ld_row_means``); the
public functions take ``qualitas.spc.exactmean``'s certified float64 results where it can prove
them equal. These tests compare the two bit for bit on random, tied, gapped and extreme data,
and check that the block-by-block run rules flag exactly what one pass over the series does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from qualitas.spc import exactmean, rmath, rules
from qualitas.spc.rules import NelsonParams


def same(a: object, b: object) -> bool:
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return bool(np.array_equal(x, y, equal_nan=True))


def reference_mean(x: np.ndarray) -> float:
    """R's two-pass long-double mean over the whole array (numpy's pairwise sums)."""
    with np.errstate(all="ignore"):
        xs = np.array(x, dtype=np.longdouble).reshape(-1)
        if xs.size == 0:
            return math.nan
        s = np.sum(xs) / xs.size
        xs -= s
        return float(s + np.sum(xs) / xs.size)


@pytest.mark.parametrize("leaf", [128, 1000, 1 << 14])
@pytest.mark.parametrize("n", [1, 9, 128, 129, 1000, 16_385, 70_001])
def test_long_double_leaves_equal_the_whole_array(
    leaf: int, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback sums cache-sized leaves of numpy's pairwise tree: bit for bit the sum
    over the whole converted array, for data whose last bits depend on the order."""
    monkeypatch.setattr(rmath, "_LEAF", leaf)
    rng = np.random.default_rng(n + leaf)
    x = rng.standard_cauchy(n) * 1e6
    assert same(rmath._ld_mean(x), reference_mean(x))
    whole = np.sum(np.array(x, dtype=np.longdouble))
    assert rmath._ld_pairwise(x, None) == whole


def generated(rng: np.random.Generator, shape: tuple[int, ...], kind: int) -> np.ndarray:
    """Readings as they come: measured (74 ± 0.01), rounded to the gauge, dyadic (exact
    ties), centred on zero, counts, or of wildly different magnitudes."""
    x = rng.normal(74.0, 0.01, shape)
    if kind == 1:
        x = np.round(x, 3)
    elif kind == 2:
        x = np.round(rng.normal(10.0, 1.0, shape) * 256) / 256
    elif kind == 3:
        x = rng.normal(0.0, 1.0, shape)
    elif kind == 4:
        x = rng.integers(0, 20, shape).astype(np.float64)
    elif kind == 5:
        x = rng.normal(0.0, 1.0, shape) * 10.0 ** rng.integers(-6, 6, shape)
    return x


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 6, 8, 10, 25, 31])
@pytest.mark.parametrize("kind", range(6))
def test_row_means_equal_the_long_double_reference(width: int, kind: int) -> None:
    rng = np.random.default_rng(1000 * width + kind)
    x = generated(rng, (3000, width), kind)
    assert same(rmath.r_row_means(x), rmath._ld_row_means(x))
    if kind < 3:  # typical measurements: the fast path certifies (nearly) every row
        assert exactmean.row_means(x)[1].mean() > 0.99


def test_row_means_with_missing_and_special_values() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(74.0, 0.01, (4000, 5))
    x[rng.random(x.shape) < 0.15] = np.nan  # unequal sizes, some rows empty
    x[7] = np.nan
    x[11, 2], x[12, 0], x[13, 1] = np.inf, -np.inf, 1e300
    x[14] = [-0.0, 0.0, -0.0, 0.0, -0.0]
    x[15] = 5e-324
    with np.errstate(all="ignore"):
        assert same(rmath.r_row_means(x), rmath._ld_row_means(x))


def test_exact_ties_are_resolved_like_the_reference() -> None:
    # four readings of one binade: a quarter of the means lie exactly halfway between doubles
    x = np.random.default_rng(6).normal(74.0, 0.01, (5000, 4))
    best, ok = exactmean.row_means(x)
    assert ok.all()
    assert same(best, rmath._ld_row_means(x))
    six = np.random.default_rng(7).normal(74.0, 0.01, (5000, 6))
    assert exactmean.row_means(six)[1].all()
    assert same(rmath.r_row_means(six), rmath._ld_row_means(six))


@settings(max_examples=150, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
        elements=st.one_of(st.floats(-1e6, 1e6), st.just(math.nan)),
    )
)
def test_row_means_property(x: np.ndarray) -> None:
    with np.errstate(all="ignore"):
        assert same(rmath.r_row_means(x), rmath._ld_row_means(x))


@pytest.mark.parametrize("kind", range(6))
@pytest.mark.parametrize("n", [1, 2, 7, 8, 1000, 70_000])
def test_means_of_series_equal_the_reference(kind: int, n: int) -> None:
    x = generated(np.random.default_rng(n + kind), (n,), kind)
    assert same(rmath.r_mean(x), reference_mean(x))
    assert same(rmath.r_mean_abs_diff(x), reference_mean(np.abs(np.diff(x))))
    gaps = x.copy()
    gaps[:: max(n // 5, 1)] = np.nan
    assert same(rmath.r_nanmean(gaps), reference_mean(gaps[~np.isnan(gaps)]))


@settings(max_examples=150, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 300),
        elements=st.one_of(st.floats(-1e9, 1e9), st.sampled_from([math.nan, math.inf, -math.inf])),
    )
)
def test_series_means_property(x: np.ndarray) -> None:
    with np.errstate(all="ignore"):  # inf - inf warns here as in np.diff
        assert same(rmath.r_mean(x), reference_mean(x))
        assert same(rmath.r_mean_abs_diff(x), reference_mean(np.abs(np.diff(x))))
        assert same(rmath.r_nanmean(x), reference_mean(x[~np.isnan(x)]))


def test_certified_mean_declines_when_it_cannot_prove() -> None:
    centred = np.random.default_rng(8).normal(0.0, 1.0, 100_000)  # mean ~ 0: long double
    assert exactmean.mean(centred.size, exactmean.blocks_of(centred)) is None
    assert rmath.r_mean(centred) == reference_mean(centred)
    infinite = np.array([1.0, np.inf])
    assert math.isnan(exactmean.mean(2, exactmean.blocks_of(infinite)) or 0.0)


def test_small_blocks_give_the_same_means(monkeypatch: pytest.MonkeyPatch) -> None:
    x = np.random.default_rng(9).normal(10.0, 1.0, (500, 5))
    y = x.reshape(-1)
    expected = (rmath.r_row_means(x), rmath.r_mean(y), rmath.r_mean_abs_diff(y))
    monkeypatch.setattr(exactmean, "BLOCK", 7)
    assert all(
        map(same, (rmath.r_row_means(x), rmath.r_mean(y), rmath.r_mean_abs_diff(y)), expected)
    )


# --- run rules, block by block ------------------------------------------------------------


def naive_window(cond: np.ndarray, length: int, op: str) -> np.ndarray:
    out = np.zeros(cond.size, dtype=bool)
    for t in range(cond.size):
        w = cond[max(t - length + 1, 0) : t + 1]
        out[t] = (t >= length - 1 and bool(w.all())) if op == "and" else bool(w.any())
    return out


@settings(max_examples=100, deadline=None)
@given(st.lists(st.booleans(), max_size=80), st.integers(1, 20))
def test_window_helpers_match_their_definition(bits: list[bool], length: int) -> None:
    cond = np.array(bits, dtype=bool)
    assert np.array_equal(rules._runs(cond, length), naive_window(cond, length, "and"))
    assert np.array_equal(
        rules._window(cond, length, np.logical_or), naive_window(cond, length, "or")
    )
    counts = [int(cond[max(t - length + 1, 0) : t + 1].sum()) for t in range(cond.size)]
    assert rules._window_count(cond, length).tolist() == counts


def all_rules(stat: np.ndarray, p: NelsonParams, run_length: int) -> dict[str, np.ndarray]:
    center, ucl = np.zeros(stat.size), np.full(stat.size, 3.0)
    out = rules.evaluate("qcc", stat, center, -ucl, ucl, 3.0, run_length)
    out |= rules.evaluate("western-electric", stat, center, -ucl, ucl)
    out |= rules.evaluate("nelson", stat, center, -ucl, ucl, nelson_params=p)
    z = rules.zscores(stat, center, ucl, 3.0)
    out |= {f"direct {k}": v for k, v in rules.nelson(z, stat, p).items()}
    out |= {f"direct {k}": v for k, v in rules.western_electric(z).items()}
    return out


@pytest.mark.parametrize("block", [1, 5, 64])
def test_rules_block_by_block_equal_one_pass(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(block)
    for trial in range(40):
        stat = np.round(rng.normal(0.0, 1.3, int(rng.integers(0, 400))), int(trial % 3))
        stat[rng.random(stat.size) < 0.03] = np.nan
        k = tuple(int(v) for v in rng.integers(1, 20, 7))
        p = NelsonParams(3.0, *k)
        run_length = int(rng.integers(1, 12))
        whole = all_rules(stat, p, run_length)
        with monkeypatch.context() as m:
            m.setattr(rules, "_BLOCK", block)
            blocked = all_rules(stat, p, run_length)
        assert whole.keys() == blocked.keys()
        for name in whole:
            assert np.array_equal(whole[name], blocked[name]), (trial, name)
            assert blocked[name].dtype == np.int64


def test_lowest_rule_per_point() -> None:
    per_rule = {"NELSON2": np.array([1, 3]), "NELSON1": np.array([3]), "WE4": np.array([0])}
    assert rules.lowest_rule_per_point(per_rule, 5) == [4, 2, None, 1, None]


# --- live monitoring: many charts judged in one pass ----------------------------------------


def judged_alone(ls: Any, history: list[Any], new: list[Any]) -> list[list[str]]:
    from qualitas.spc import monitor

    pts = history + new
    stat = np.array([p.statistic for p in pts])
    lcl, ucl = monitor.limits_of(ls).limits_for(np.array([float(p.size) for p in pts]))
    center = np.full(stat.size, ls.center)
    flagged = rules.evaluate(ls.rule_set, stat, center, lcl, ucl, ls.nsigmas, ls.run_length)
    out: list[list[str]] = [[] for _ in new]
    for name, idx in flagged.items():
        for i in idx[idx >= len(history)]:
            out[int(i) - len(history)].append(name)
    return out


def test_charts_judged_together_equal_each_judged_alone() -> None:
    """``monitor.evaluate_many`` lays the charts end to end with gaps of missing points: the
    flags must be exactly those of judging each chart's window on its own."""
    from qualitas.spc import monitor
    from qualitas.spc.models import LimitSet

    rng = np.random.default_rng(5)
    sets, hist, new, expected = {}, {}, {}, {}
    for key in range(12):
        chart = "xbar" if key % 3 == 0 else "xbar.one"
        size = 5 if chart == "xbar" else 1
        sets[key] = LimitSet(
            characteristic_id=key,
            chart=chart,
            center=10.0,
            std_dev=1.0,
            nsigmas=3.0 if key % 4 else 2.5,
            rule_set=["western-electric", "nelson", "qcc"][key % 3],
            run_length=7,
        )
        walk = 10 + np.cumsum(rng.normal(0, 0.8, 40)) * (key % 2)  # drifting and stable
        pts = [monitor.Pt(float(v), size) for v in walk + rng.normal(0, 1, 40)]
        cut = int(rng.integers(0, 21))
        hist[key], new[key] = pts[:cut], pts[cut:]
        expected[key] = judged_alone(sets[key], hist[key], new[key])
    together = monitor.evaluate_many(sets, hist, new)
    assert together == expected
    assert sum(len(names) > 0 for flags in together.values() for names in flags) > 20
