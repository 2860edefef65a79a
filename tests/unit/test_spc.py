"""SPC engine beyond the reference cases: hand-computed values, tabulated quantiles, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitas.spc import Capability, Cusum, Ewma, RuleSet, ShewhartChart, SigmaMethod, rules
from qualitas.spc import estimate_sigma as sigma
from qualitas.spc.constants import c4, d2, d3
from qualitas.spc.contract import compute

GROUPS = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [5.0, 5.0, 8.0]])


def test_sigma_estimators_by_hand() -> None:
    r = np.array([2.0, 4.0, 3.0])
    s = np.array([1.0, 2.0, math.sqrt(3.0)])
    assert sigma(GROUPS, SigmaMethod.UWAVE_R) == pytest.approx(np.mean(r / 1.693), rel=1e-15)
    assert sigma(GROUPS, SigmaMethod.UWAVE_SD) == pytest.approx(np.mean(s) / c4(3), rel=1e-15)
    assert sigma(GROUPS, SigmaMethod.MVLUE_R) == pytest.approx(np.mean(r / 1.693), rel=1e-15)
    pooled = math.sqrt(np.sum(2 * s**2) / 6)
    assert sigma(GROUPS, SigmaMethod.RMSDF) == pytest.approx(pooled / c4(7), rel=1e-15)
    x = np.array([10.0, 12.0, 11.0, 15.0])
    assert sigma(x, SigmaMethod.MR) == pytest.approx((2 + 1 + 4) / 3 / 1.128, rel=1e-15)
    assert sigma(x, SigmaMethod.SD) == pytest.approx(np.std(x, ddof=1) / c4(4), rel=1e-15)


def test_constants_tables() -> None:
    assert float(d2(2)) == 1.128 and float(d2(5)) == 2.326 and math.isnan(float(d2(26)))
    assert float(d3(5)) == 0.8640855 and math.isnan(float(d3(51)))
    # D4 at n = 5 as the reference builds it: 1 + 3 d3/d2 = 2.11447 (not the textbook 2.115)
    assert 1 + 3 * float(d3(5)) / float(d2(5)) == pytest.approx(2.114469, abs=1e-6)


def test_xbar_switches_to_rmsdf_above_25() -> None:
    rng = np.random.default_rng(3)
    big = rng.normal(0, 1, (10, 30))
    assert ShewhartChart("xbar").fit(big).std_dev == pytest.approx(
        sigma(big, SigmaMethod.RMSDF), rel=1e-15
    )


@pytest.mark.parametrize(
    ("chart", "conf", "half_width_units"),
    [
        ("xbar.one", 0.9973002039367398, 3.0),  # qnorm(0.99865) = 3
        ("xbar.one", 0.95, 1.959963984540054),
    ],
)
def test_probability_limits_normal(chart: str, conf: float, half_width_units: float) -> None:
    lim = ShewhartChart(chart, confidence_level=conf, center=10, std_dev=2).fit(np.arange(5.0))
    pts = lim.evaluate(np.arange(5.0))
    assert pts.ucl[0] - 10 == pytest.approx(2 * half_width_units, rel=1e-12)


def test_probability_limits_r_chart_studentized_range() -> None:
    # tabulated upper 5 % points of the range of k normals (df = infinity): 2.772 (k=2), 3.858 (5)
    lim = ShewhartChart("R", confidence_level=0.90, std_dev=1.0, center=1.0)
    pts = lim.fit(np.tile(np.arange(5.0), (2, 1))).evaluate(np.array([[0, 1], [0, 1]]))
    assert pts.ucl[0] == pytest.approx(2.772, abs=1e-3)
    pts5 = lim.fit(np.zeros((2, 5))).evaluate(np.arange(10.0).reshape(2, 5))
    assert pts5.ucl[0] == pytest.approx(3.858, abs=1e-3)


def test_probability_limits_attribute_quantiles_are_counts() -> None:
    c = ShewhartChart("c", confidence_level=0.99).fit(counts=np.array([4.0, 6.0]))
    pts = c.evaluate(counts=np.array([5.0]))
    assert (pts.lcl[0], pts.ucl[0]) == (0.0, 12.0)  # Poisson(5): P(X<=11)=.9945, P(X<=12)=.9980
    np_ = ShewhartChart("np", confidence_level=0.95).fit(
        counts=np.array([10.0]), sizes=np.array([100.0])
    )
    pts = np_.evaluate(counts=np.array([10.0]), sizes=np.array([100.0]))
    assert (pts.lcl[0], pts.ucl[0]) == (5.0, 16.0)  # Bin(100,.1): P(X<=4)=.0237, P(X<=16)=.9794


def test_phase_two_uses_phase_one_parameters() -> None:
    rng = np.random.default_rng(7)
    phase1, phase2 = rng.normal(50, 2, (25, 4)), rng.normal(53, 2, (10, 4))
    lim = ShewhartChart("xbar").fit(phase1)
    assert lim.evaluate(phase2).center[0] == lim.center
    assert lim.evaluate(phase2).ucl[0] == lim.evaluate(phase1).ucl[0]


@settings(max_examples=60, deadline=None)
@given(shift=st.floats(-1e3, 1e3), scale=st.floats(0.01, 100))
def test_xbar_limits_are_affine_equivariant(shift: float, scale: float) -> None:
    base = np.random.default_rng(11).normal(0, 1, (20, 5))
    a = ShewhartChart("xbar").fit(base)
    b = ShewhartChart("xbar").fit(base * scale + shift)
    assert b.center == pytest.approx(a.center * scale + shift, rel=1e-9, abs=1e-9)
    assert b.std_dev == pytest.approx(a.std_dev * scale, rel=1e-9)


def test_ewma_with_lambda_one_is_the_shewhart_chart() -> None:
    x = np.array([1.0, -2.0, 0.5, 3.5])
    res = Ewma(lam=1.0).fit(x, np.ones(4), center=0.0, std_dev=1.0)
    assert np.allclose(res.ewma, x) and np.allclose(res.ucl, 3.0)
    assert list(res.violations) == [3]


def test_cusum_detects_a_sustained_shift_and_validates() -> None:
    x = np.r_[np.zeros(10), np.full(10, 1.5)]
    res = Cusum(decision_interval=4).fit(x, np.ones(20), center=0.0, std_dev=1.0)
    assert res.violations_upper[0] == 14  # +1.0 per step: 4.0 at index 13 is not > h = 4
    assert len(res.violations_lower) == 0
    with pytest.raises(ValueError, match="head_start"):
        Cusum(decision_interval=4, head_start=5).fit(x, np.ones(20), 0.0, 1.0)


def test_qcc_runs_break_on_the_centre_line() -> None:
    stat = np.array([1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1], dtype=float)
    assert list(rules.violating_runs(stat, np.zeros(14), 7)) == [13]


def test_nelson_parameters_are_configurable() -> None:
    z = np.array([0.5] * 7, dtype=float)
    center, lcl, ucl = np.zeros(7), np.full(7, -3.0), np.full(7, 3.0)
    default = rules.evaluate(RuleSet.NELSON, z, center, lcl, ucl)
    assert list(default["NELSON2"]) == []
    custom = rules.evaluate(
        RuleSet.NELSON, z, center, lcl, ucl, nelson_params=rules.NelsonParams(k2=7)
    )
    assert list(custom["NELSON2"]) == [6]


def test_capability_one_sided_and_non_normal() -> None:
    rng = np.random.default_rng(5)
    x = rng.lognormal(1.0, 0.4, 2000)
    res = Capability(None, 12.0).fit(x, float(np.mean(x)), float(np.std(x, ddof=1)))
    assert math.isnan(res.indices["Cp"].value) and res.indices["Cp_u"].value > 0
    assert res.target == 12.0
    assert res.normality_p_value < 1e-6  # clearly not normal
    assert res.non_normal is not None and abs(res.non_normal.boxcox_lambda) < 0.15
    # percentile method: the 99.865 % point of a lognormal(1, 0.4) is exp(1 + 3*0.4) = 9.03
    assert res.non_normal.p_high == pytest.approx(math.exp(1 + 3 * 0.4), rel=0.05)
    with pytest.raises(ValueError, match="USL"):
        Capability(5.0, 1.0)


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        (
            {
                "kind": "shewhart",
                "chart": "xbar",
                "input": {"data": [[1, 2], [3, None]]},
                "params": {"std_dev_method": "UWAVE-R"},
            },
            "input.data",
        ),
        (
            {"kind": "shewhart", "chart": "p", "input": {"counts": [1, 2], "sizes": [0, 5]}},
            "input.sizes",
        ),
        ({"kind": "ewma", "input": {"data": [1, 2, 3]}, "params": {"lambda": 2}}, "params.lambda"),
        ({"kind": "cusum", "input": {"data": [1, 2], "sizes": 4}}, "params.std_dev"),
        ({"kind": "bogus", "input": {}}, "kind"),
    ],
)
def test_contract_errors_name_the_field(doc: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}"):
        compute(doc)
