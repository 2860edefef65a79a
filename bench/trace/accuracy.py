"""Runs a start point through the genealogy engine and scores it against the ground truth.

A closure, for scoring, is the set of nodes reached other than the roots and the internal
transformation nodes (those are how a batch is modelled, not identities a trace reports).
Recall = found true / all true; precision = found true / all found; over-inclusion = found but
not true.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from qualitas.trace.genealogy import EdgeSource, Walk, walk
from qualitas.trace.store import SqlEdgeSource

from .groundtruth import NO_TIME, GroundTruth, Sample
from .world import TRANSFORMATION


def trace(source: EdgeSource, s: Sample, base: int, *, timed: bool = True) -> Walk:
    """The engine's walk from sample ``s`` (database ids = generator ids + ``base``)."""
    at = None if s.at == NO_TIME else s.at
    return walk(source, [s.root + base], s.direction, at=at, time_respecting=timed)  # type: ignore[arg-type]


def reached(w: Walk, kinds: np.ndarray, base: int) -> np.ndarray:
    """Generator ids reached by ``w`` (roots and transformation nodes left out), sorted."""
    ids = np.fromiter(w.reached.keys(), dtype=np.int64, count=len(w.reached)) - base
    ids = ids[(ids >= 0) & (ids < len(kinds))]
    keep = kinds[ids] != TRANSFORMATION
    roots = np.asarray(w.roots, dtype=np.int64) - base
    return np.setdiff1d(ids[keep], roots)


@dataclass
class Score:
    """True positives, false positives (over-included) and false negatives (missed)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    perfect: int = 0
    samples: int = 0
    worst: list[tuple[int, int, int]] = field(default_factory=list)  # (sample, fp, fn)

    def add(self, index: int, expected: np.ndarray, got: np.ndarray) -> None:
        tp = int(np.intersect1d(expected, got, assume_unique=True).size)
        fp, fn = int(got.size) - tp, int(expected.size) - tp
        self.tp, self.fp, self.fn, self.samples = (
            self.tp + tp,
            self.fp + fp,
            self.fn + fn,
            (self.samples + 1),
        )
        if fp == 0 and fn == 0:
            self.perfect += 1
        else:
            self.worst = sorted([*self.worst, (index, fp, fn)], key=lambda x: -(x[1] + x[2]))[:5]

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


def score_engine(
    session: Session, gt: GroundTruth, indexes: Iterable[int] | None = None,
    *, timed: bool = True,
) -> dict[tuple[str, str], Score]:  # fmt: skip
    """Engine closures vs the ground truth, per category, over the samples ``indexes``."""
    source = SqlEdgeSource(session)
    out: dict[tuple[str, str], Score] = {}
    for i in range(len(gt.samples)) if indexes is None else indexes:
        s = gt.samples[i]
        got = reached(trace(source, s, gt.id_base, timed=timed), gt.kinds, gt.id_base)
        expected = s.exact if timed else s.unbounded
        out.setdefault((s.name, s.direction), Score()).add(i, expected, got)
    return out
