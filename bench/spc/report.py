"""The SPC section of bench/RESULTS.md: rows, machine note, notes, and splicing it in."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import platform
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BEGIN, END = "<!-- spc:begin -->", "<!-- spc:end -->"
HEAD = (
    "| job | work | Qualitas | rate | time | {0} | rate | time | {1} |\n"
    "|---|---|---|---:|---:|---|---:|---:|---:|"
)


@dataclass(frozen=True)
class Work:
    label: str  # "1,000,000 subgroups of 5"
    unit: str  # "subgroups"
    count: int


@dataclass(frozen=True)
class Timing:
    """One row: Qualitas and the other side on the same work. ``against_numpy`` rows report
    Qualitas time / numpy time; peer rows report pccpy time / Qualitas time."""

    job: str
    work: Work
    ours: tuple[str, float]  # (what Qualitas did, median seconds)
    other: tuple[str, float]
    against_numpy: bool

    def row(self) -> str:
        (ours_label, ours), (other_label, other) = self.ours, self.other
        ratio = ours / other if self.against_numpy else other / ours
        w = self.work
        return (
            f"| {self.job} | {w.label} | {ours_label} | {_rate(w.count, ours)} {w.unit}/s | "
            f"{ours:.3f} s | {other_label} | {_rate(w.count, other)} {w.unit}/s | "
            f"{other:.3f} s | {ratio:.2f} |"
        )


def _rate(count: int, seconds: float) -> str:
    r = count / seconds
    return f"{r / 1e6:,.1f} M" if r >= 1e6 else f"{r / 1e3:,.0f} k"


def peer_available() -> bool:
    return importlib.util.find_spec("pccpy") is not None


def machine_note() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    versions = [f"numpy {np.__version__}"]
    if peer_available():
        import pccpy

        versions.append(f"pccpy {pccpy.__version__}")
    return (
        f"{len(os.sched_getaffinity(0))} CPU cores ({cpu}), Python "
        f"{platform.python_version()}, {', '.join(versions)}, {platform.system()} "
        f"{platform.release()}; load average at start {load}"
    )


NOTES = """\
**What is timed.** Input generation is not timed (seeded normal data: subgroups of 5 with mean
74 and sigma 0.01, like piston-ring diameters; individuals with mean 10 and sigma 1). Each
figure is the median of the repeats; the jobs of one row run in turn in one process.
*Qualitas*: `ShewhartChart(...).fit` (centre and sigma exactly as R qcc 2.7, means equal to
the long-double reference), `.evaluate` (statistics and per-point centre and limits) and
`qualitas.spc.rules`; the R chart is fitted on its own. *numpy*: the plain idiom
(`mean(axis=1)`, `max(axis=1) - min(axis=1)`, R-bar/2.326, or mean |diff|/1.128; limits;
beyond-limits mask) with float64 sums, scalar limits and no run rule; for the row with all
rules, the same Western Electric and Nelson rules written with sliding windows and cumulative
counts (its flags are checked identical to Qualitas' below). *pccpy* computes both
panels (x-bar and R, or I and MR) and applies the tests each panel admits (tests 1-4 on R,
test 1 on MR); its run and window tests loop over the points in Python, so its tests 1-8 on
individuals run on 10^6 points, and Qualitas is timed on the same 10^6 points for that row
(with WE 1-4 on top: more work than pccpy does).

**Ratios.** numpy rows: Qualitas time / numpy time (1.00 = as fast as the baseline; the goal
is at most 1.5 for the chart rows). pccpy rows: pccpy time / Qualitas time (how many times
faster Qualitas is; the goal is at least 10).

**Long double.** A mean is computed in float64 when the engine can prove the result equal to
the long-double reference (`qualitas.spc.exactmean`); otherwise, when the exact mean lies too
close to a rounding midpoint for the proof, the long-double reference runs (in cache-sized
leaves of numpy's own pairwise tree, bit for bit as over the whole array: about 0.1 s more
per 10^7 values). The fast-path rows below say which path each data set took: the main
individuals data set (seed 2) is such a case (its mean moving range lies 0.003 units in the last
place from a midpoint), so the row "individuals chart, more data" times five further data sets
(seeds 3-7, whose means all certify) to show the usual case.

**Cross-checks.** Centre and sigma agree with the baseline to 1e-12. For the flags pccpy is
given Qualitas' centre and sigma, so both draw the same limits and zones (pccpy's own sigma
uses exact d2, 3e-5 relative away from the reference's table): Nelson 1-7 must agree point
for point; Nelson 8 differs by convention (Qualitas needs points on both sides, pccpy does not).
"""


def section(
    rows: list[Timing], peer_rows: list[Timing], checks: list[str], footer: list[str]
) -> str:
    out = [BEGIN, "## SPC engine: Qualitas vs numpy and pccpy", ""]
    out += [HEAD.format("baseline", "Qualitas ÷ numpy (time)"), *[r.row() for r in rows], ""]
    if peer_rows:
        out += [HEAD.format("peer", "pccpy ÷ Qualitas (time)")]
        out += [*[r.row() for r in peer_rows], ""]
    else:
        out += [
            "pccpy rows skipped (not installed: `pip install -e '.[bench]'`, or --no-peer).",
            "",
        ]
    out += ["| check | Qualitas | other | agreement |", "|---|---|---|---|", *checks, ""]
    out += [*footer, f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.", "", NOTES, END]
    return "\n".join(out)


def existing_block(text: str) -> str:
    """The SPC section of a RESULTS.md text, or "" when it has none."""
    if BEGIN in text and END in text:
        return BEGIN + text.split(BEGIN, 1)[1].split(END, 1)[0] + END
    return ""


def splice(text: str, block: str) -> str:
    """Replace the SPC section of a RESULTS.md text, or append it."""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        return head + block + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n" + block + "\n"
