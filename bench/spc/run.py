"""SPC benchmarks: Qualitas vs a plain-numpy baseline and pccpy, same data, same run.

    .venv/bin/python bench/spc/run.py                  # ~1.5 minutes on 2 cores; RESULTS.md
    .venv/bin/python bench/spc/run.py --no-peer        # without pccpy
    .venv/bin/python bench/spc/run.py --quick --out -  # small sizes, print only

pccpy is a benchmark-only peer: `pip install -e '.[bench]'`. Writes the SPC section of
bench/RESULTS.md (between the spc markers; the rest of the file is kept). ``bench/run.py``
runs this too and includes the section in the file it writes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: make the `spc` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qualitas.spc import exactmean
from spc import report
from spc import workloads as w
from spc.report import Timing, Work, existing_block, peer_available, splice

__all__ = ["DEFAULT", "existing_block", "peer_available", "section", "splice"]

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
ALL_RULES = ("western-electric", "nelson")
MORE_SETS = 5  # further individuals data sets (seeds 3-7), timed one after another


@dataclass(frozen=True)
class Sizes:
    subgroups: int  # x-bar: subgroups of 5
    points: int  # individuals
    peer_points_all: int  # individuals with pccpy's tests 1-8 (pure-Python loops)
    check_subgroups: int  # x-bar flags cross-checked against pccpy


DEFAULT = Sizes(1_000_000, 10_000_000, 1_000_000, 100_000)
QUICK = Sizes(20_000, 200_000, 50_000, 5_000)


def step(label: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] spc: {label}", file=sys.stderr, flush=True)


def medians(jobs: list[Callable[[], object]], repeats: int) -> list[float]:
    """Median wall time of each job; the jobs run in turn (a, b, c, a, b, c, ...)."""
    times: list[list[float]] = [[] for _ in jobs]
    for _ in range(repeats):
        for i, job in enumerate(jobs):
            start = time.perf_counter()
            job()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def bench_numpy(x: np.ndarray, ind: np.ndarray, repeats: int) -> list[Timing]:
    sub = Work(f"{x.shape[0]:,} subgroups of 5", "subgroups", x.shape[0])
    step(f"x-bar, {sub.label}: Qualitas vs numpy")
    jobs = [lambda: w.ours_xbar(x, None), lambda: w.ours_xbar(x, "qcc"), lambda: w.numpy_xbar(x)]
    chart, qcc, base = medians(jobs, repeats)
    pts = Work(f"{ind.size:,} points", "points", ind.size)
    step(f"individuals, {pts.label}: Qualitas vs numpy")
    jobs = [
        lambda: w.ours_individuals(ind),
        lambda: w.ours_individuals(ind, ALL_RULES),
        lambda: w.numpy_individuals(ind),
        lambda: w.numpy_individuals_rules(ind),
    ]
    i_chart, i_all, i_base, i_base_all = medians(jobs, repeats)
    more = range(3, 3 + MORE_SETS)
    step(f"individuals on {len(more)} more data sets of {ind.size:,} points: Qualitas vs numpy")
    ours_more = base_more = 0.0
    for seed in more:
        data = w.individuals_data(ind.size, seed)
        q, b = medians(
            [lambda d=data: w.ours_individuals(d), lambda d=data: w.numpy_individuals(d)], repeats
        )
        ours_more, base_more = ours_more + q, base_more + b
    sets = Work(f"{len(more)} data sets of {ind.size:,} points", "points", ind.size * len(more))
    return [
        Timing("x-bar chart", sub, ("fit + evaluate", chart), ("numpy", base), True),
        Timing(
            "x-bar chart + qcc rules",
            sub,
            ("fit + evaluate + beyond limits, 7-run", qcc),
            ("numpy (no run rule)", base),
            True,
        ),
        Timing("individuals chart", pts, ("fit + evaluate", i_chart), ("numpy", i_base), True),
        Timing(
            "individuals chart, more data",
            sets,
            ("fit + evaluate", ours_more),
            ("numpy", base_more),
            True,
        ),
        Timing(
            "individuals + all rules",
            pts,
            ("fit + evaluate + WE 1-4 + Nelson 1-8", i_all),
            ("numpy, same rules", i_base_all),
            True,
        ),
    ]


def bench_peer(x: np.ndarray, ind: np.ndarray, part: np.ndarray, repeats: int) -> list[Timing]:
    rows = []
    sub = Work(f"{x.shape[0]:,} subgroups of 5", "subgroups", x.shape[0])
    for tests, rule_set, label in ((1, "test1", "test 1"), ("all", "nelson", "tests 1-8")):
        step(f"x-bar/R {label}: Qualitas vs pccpy")
        jobs = [lambda r=rule_set: w.ours_xbar_r(x, r), lambda t=tests: w.pccpy_xbar_r(x, t)]
        ours, peer = medians(jobs, repeats)
        what = "x-bar + R, " + ("beyond limits" if tests == 1 else "Nelson 1-8 on both")
        peer_label = f"pccpy xbar_r_chart(tests={tests!r})"
        rows.append(Timing(f"x-bar/R, {label}", sub, (what, ours), (peer_label, peer), False))
    for data, tests, rules in ((ind, 1, ("test1",)), (part, "all", ALL_RULES)):
        label = "test 1" if tests == 1 else "tests 1-8"
        step(f"I chart {label} on {data.size:,} points: Qualitas vs pccpy")
        jobs = [
            lambda d=data, r=rules: w.ours_individuals(d, r),
            lambda d=data, t=tests: w.pccpy_imr(d, t),
        ]
        ours, peer = medians(jobs, repeats)
        what = "individuals, " + ("beyond limits" if tests == 1 else "WE 1-4 + Nelson 1-8")
        pts = Work(f"{data.size:,} points", "points", data.size)
        peer_label = f"pccpy imr_chart(tests={tests!r})"
        rows.append(Timing(f"I chart, {label}", pts, (what, ours), (peer_label, peer), False))
    return rows


def cross_checks(x: np.ndarray, ind: np.ndarray, s: Sizes, peer: bool) -> list[str]:
    """Centre and sigma against the baseline, the path each mean took, and the flagged points
    against pccpy given our centre and sigma (so both draw the same limits and zones)."""
    step("cross-checks")
    lines = []
    for name, ours, base in (
        ("x-bar", w.ours_xbar(x, None), w.numpy_xbar(x)),
        ("individuals", w.ours_individuals(ind), w.numpy_individuals(ind)),
    ):
        for key in ("center", "sigma"):
            d = abs(ours[key] - base[key]) / abs(base[key])
            verdict = "ok" if d <= 1e-12 else "FAIL"
            lines.append(
                f"| {name} {key} vs numpy | {ours[key]!r} | {base[key]!r} | "
                f"rel. diff {d:.1e} ({verdict}: <= 1e-12) |"
            )
    ours_i, base_i = w.ours_individuals(ind, ALL_RULES), w.numpy_individuals_rules(ind)
    same = [k for k in base_i["rules"] if np.array_equal(ours_i["rules"][k], base_i["rules"][k])]
    lines.append(
        f"| individuals, {ind.size:,} points: WE 1-4 + Nelson 1-8 flags vs numpy | "
        f"{sum(v.size for v in ours_i['rules'].values()):,} flags | "
        f"{sum(v.size for v in base_i['rules'].values()):,} flags | "
        f"{len(same)} of {len(base_i['rules'])} rules identical |"
    )
    lines += _fast_path_lines(x, ind)
    if peer:
        sub, part = x[: s.check_subgroups], ind[: s.peer_points_all]
        ours_x, ours_i = w.ours_xbar_r(sub, "nelson")["xbar"], w.ours_individuals(part, ("nelson",))
        lines += _flag_lines(
            f"x-bar, {sub.shape[0]:,} subgroups",
            ours_x,
            w.pccpy_xbar_r(sub, "all", mu=ours_x["center"], sigma=ours_x["sigma"]),
        )
        lines += _flag_lines(
            f"I, {part.size:,} points",
            ours_i,
            w.pccpy_imr(part, "all", mu=ours_i["center"], sigma=ours_i["sigma"]),
        )
    return lines


def _fast_path_lines(x: np.ndarray, ind: np.ndarray) -> list[str]:
    """How much of the work took the certified float64 path instead of long double."""
    rows = float(exactmean.row_means(x)[1].mean())
    yes = {True: "float64 (certified)", False: "long double (not certifiable)"}
    centre = exactmean.mean(ind.size, exactmean.blocks_of(ind)) is not None
    moving = exactmean.mean(ind.size - 1, exactmean.abs_diff_blocks(ind)) is not None
    seeds, misses = range(100, 140), 0
    for seed in seeds:  # how often a mean is too close to a rounding midpoint to certify
        y = w.individuals_data(100_000, seed)
        misses += exactmean.mean(y.size, exactmean.blocks_of(y)) is None
        misses += exactmean.mean(y.size - 1, exactmean.abs_diff_blocks(y)) is None
    return [
        f"| x-bar subgroup means computed in float64 | {rows:.4%} of subgroups | | |",
        f"| individuals: mean; mean moving range | {yes[centre]}; {yes[moving]} | | |",
        f"| same on {len(seeds)} more data sets of 10^5 points | {misses} of {2 * len(seeds)} "
        "means needed long double | | |",
    ]


def _flag_lines(what: str, ours: dict[str, Any], chart: Any) -> list[str]:
    lines = []
    for test in range(1, 9):
        a = set(ours["rules"][f"NELSON{test}"].tolist())
        b = set(np.asarray(chart.panels[0].violations.get(test, []), dtype=np.int64).tolist())
        if test == 8:  # conventions differ: both sides required here, either side in pccpy
            verdict = "ours within pccpy's" if a <= b else "UNEXPECTED"
            verdict += f" ({len(b - a):,} one-sided runs flagged by pccpy only)"
        else:
            verdict = "identical" if a == b else f"DIFFER ({len(a ^ b):,} points)"
        lines.append(
            f"| {what}: Nelson {test} vs pccpy | {len(a):,} flagged | {len(b):,} flagged | "
            f"{verdict} |"
        )
    return lines


def section(sizes: Sizes, repeats: int, peer: bool, command: str) -> str:
    """Run everything and return the markdown section (between the spc markers)."""
    machine = report.machine_note()
    start = time.perf_counter()
    x, ind = w.xbar_data(sizes.subgroups, 1), w.individuals_data(sizes.points, 2)
    w.ours_xbar(x[:1000]), w.ours_individuals(ind[:1000], ALL_RULES)  # warm-up
    rows = bench_numpy(x, ind, repeats)
    peer_rows = bench_peer(x, ind, ind[: sizes.peer_points_all], repeats) if peer else []
    checks = cross_checks(x, ind, sizes, peer)
    footer = [
        f"Command: `{command}` (total {time.perf_counter() - start:.0f} s, {repeats} repeats).",
        "",
        f"Machine: {machine}.",
        "",
    ]
    return report.section(rows, peer_rows, checks, footer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--no-peer", action="store_true", help="skip pccpy")
    parser.add_argument("--out", default=str(RESULTS), help="file to update, or - to print")
    args = parser.parse_args()
    peer = not args.no_peer and peer_available()
    command = " ".join([".venv/bin/python bench/spc/run.py", *sys.argv[1:]])
    block = section(QUICK if args.quick else DEFAULT, args.repeats, peer, command)
    if args.out != "-":
        path = Path(args.out)
        path.write_text(splice(path.read_text() if path.exists() else "", block))
    print(block)


if __name__ == "__main__":
    main()
