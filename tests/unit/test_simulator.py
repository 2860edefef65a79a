"""The demo plant simulator's process models (pure)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from qualitas.demo.simulator import Process, Simulator


def test_disturbances_add_up_in_sigmas() -> None:
    p = Process(
        1,
        mean=10.0,
        sigma=0.5,
        shift_at=5,
        shift_size=2.0,
        drift_from=10,
        drift_rate=0.1,
        gauge_bias_from=20,
        gauge_bias_rate=0.05,
    )
    assert p.offset(4) == 0.0
    assert p.offset(5) == pytest.approx(1.0)  # 2 sigma shift
    assert p.offset(15) == pytest.approx(1.0 + 5 * 0.1 * 0.5)
    assert p.offset(30) == pytest.approx(1.0 + 20 * 0.05 + 10 * 0.05 * 0.5)


def test_readings_follow_the_process() -> None:
    p = Process(1, mean=5.0, sigma=0.2, subgroup_size=5, rng=np.random.default_rng(3))
    values = np.array([p.readings(t) for t in range(400)])
    assert values.shape == (400, 5)
    assert values.mean() == pytest.approx(5.0, abs=0.01)
    assert values.std() == pytest.approx(0.2, rel=0.05)


def test_rows_are_unique_and_grouped() -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    sim = Simulator([Process(7, 1.0, 0.1, subgroup_size=3), Process(8, 2.0, 0.1)], start)
    rows = sim.next_batch() + sim.next_batch()
    keys = {(r["source_id"], r["characteristic_id"], r["seq"], r["source_ts"]) for r in rows}
    assert len(keys) == len(rows) == 8
    groups = {r["subgroup"] for r in rows if r["characteristic_id"] == 7}
    assert len(groups) == 2 and all(
        "subgroup" not in r for r in rows if r["characteristic_id"] == 8
    )
    assert rows[-1]["source_ts"] == start + dt.timedelta(seconds=1)
