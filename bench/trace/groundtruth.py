"""Sampled start points and their exact closures, kept in memory or in a compressed ``.npz``.

Start points are drawn per category (seeded), plus named ones the benchmark needs: the raw lot
whose forward closure is the smallest one above 100,000 units (Q2), the raw lot reaching the most
units, a supplier lot used in several plants and carried on by a relabelled transfer (Q3), the
rework agents (whose forward closure is the one plain reachability gets most wrong) and units
picked out of their cases. Each sample holds its time-respecting closure and its unbounded one
(plain reachability), as generator node ids (database id = generator id + ``id_base``).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .truth import Closure, Truth, bits
from .world import DAY, World

CATEGORIES = (  # (name, direction, share of the samples)
    ("raw lot", "forward", 0.15),
    ("supplier lot", "forward", 0.10),
    ("lot", "forward", 0.15),
    ("unit", "forward", 0.10),
    ("case", "forward", 0.05),
    ("unit", "backward", 0.25),
    ("lot", "backward", 0.10),
    ("container at t", "backward", 0.10),
    ("ship-to", "backward", 0.05),  # diagnostic: what a customer received
)
NO_TIME = -1


@dataclass
class Sample:
    """One start point: its category, root, instant (for containers) and exact closures."""

    category: int
    root: int
    at: int
    exact: np.ndarray
    unbounded: np.ndarray
    units: int = 0
    tag: str = ""

    @property
    def name(self) -> str:
        return CATEGORIES[self.category][0]

    @property
    def direction(self) -> str:
        return CATEGORIES[self.category][1]


@dataclass
class GroundTruth:
    """Samples plus what is needed to read them: node kinds and the database id offset."""

    preset: str
    samples: list[Sample]
    kinds: np.ndarray
    id_base: int = 0
    named: dict[str, int] = field(default_factory=dict)  # tag -> sample index

    def save(self, path: Path) -> None:
        def csr(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            sizes = [len(a) for a in arrays]
            offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
            flat = np.concatenate(arrays) if arrays else np.zeros(0)
            return flat.astype(np.int32), offsets

        ex, ex_off = csr([s.exact for s in self.samples])
        ub, ub_off = csr([s.unbounded for s in self.samples])
        np.savez_compressed(
            path, preset=self.preset, kinds=self.kinds, id_base=self.id_base,
            category=[s.category for s in self.samples], root=[s.root for s in self.samples],
            at=[s.at for s in self.samples], units=[s.units for s in self.samples],
            tag=[s.tag for s in self.samples], exact=ex, exact_off=ex_off, unbounded=ub,
            unbounded_off=ub_off,
        )  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> GroundTruth:
        z = np.load(path)
        ex, eo, ub, uo = z["exact"], z["exact_off"], z["unbounded"], z["unbounded_off"]
        samples = [
            Sample(int(c), int(r), int(a), ex[eo[i] : eo[i + 1]].astype(np.int64),
                   ub[uo[i] : uo[i + 1]].astype(np.int64), int(n), str(t))
            for i, (c, r, a, n, t) in enumerate(
                zip(z["category"], z["root"], z["at"], z["units"], z["tag"], strict=True))
        ]  # fmt: skip
        named = {s.tag: i for i, s in enumerate(samples) if s.tag}
        return cls(str(z["preset"]), samples, z["kinds"], int(z["id_base"]), named)


def unit_reach(t: Truth) -> np.ndarray:
    """Units reached forward from every lot (indexed like ``t.lots``), from the ancestry."""
    reach = np.zeros(len(t.lots), dtype=np.int64)
    bl = t.w.blocks
    for lot, n in zip(bl["lot"], bl["n"], strict=True):
        reach[bits(t.anc[t.li[int(lot)]])] += int(n)
    return reach


class Sampler:
    """Draws the start points of a world and computes their closures."""

    def __init__(self, w: World, truth: Truth | None = None, count: int | None = None) -> None:
        self.w = w
        self.t = truth or Truth(w)
        self.rng = random.Random(w.preset.seed * 31 + 7)
        self.count = count if count is not None else w.preset.samples
        self.reach = unit_reach(self.t)

    def named_roots(self) -> dict[str, int]:
        """The start points the benchmark's queries use (see the module docstring)."""
        w, t = self.w, self.t
        raw = [(int(self.reach[t.li[x]]), x) for x in sorted(w.raw_lots)]
        above = sorted((n, x) for n, x in raw if n >= 100_000)
        named = {"largest raw lot": max(raw)[1]}
        if above:
            named["q2 raw lot"] = above[0][1]
        if (q3 := self._q3()) is not None:
            named["q3 supplier lot"] = q3
        return named

    def _q3(self) -> int | None:
        """A supplier lot delivered to the most plants whose material a relabelled transfer
        carried on; of those, the one with the median reach in units (a typical recall)."""
        w, t = self.w, self.t
        plants: dict[int, set[int]] = defaultdict(set)
        for e in w.log:
            if e[0] == "R" and e[2] in w.supplier_lots:
                plants[e[2]].add(w.lot_site[e[3]])
        found = {int(n) for _, new in w.relabelled for n in t.lots[bits(t.anc[t.li[new]])]
                 if int(n) in w.supplier_lots}  # fmt: skip
        if not found:
            return None
        most = max(len(plants[n]) for n in found)
        best = sorted((int(self.reach[t.li[n]]), n) for n in found if len(plants[n]) == most)
        return best[len(best) // 2][1]

    def roots(self) -> list[tuple[int, int, int, str]]:
        """``(category, root, at, tag)`` for every start point."""
        w, rng = self.w, self.rng
        cat = {(name, d): i for i, (name, d, _) in enumerate(CATEGORIES)}
        out: list[tuple[int, int, int, str]] = []
        for tag, root in self.named_roots().items():
            kind = "supplier lot" if root in w.supplier_lots else "raw lot"
            out.append((cat[(kind, "forward")], root, NO_TIME, tag))
        reworks = {r for _, r, _ in w.reworked}
        agents = sorted({i for e in w.log if e[0] == "T" and e[4] in reworks
                         for i, _ in e[2] if i in w.raw_lots})  # fmt: skip
        for i, (name, d, share) in enumerate(CATEGORIES):
            n = max(2, round(self.count * share))
            preferred, share_of, others = self._pool(name, d, agents)
            chosen = rng.sample(preferred, k=min(len(preferred), int(n * share_of)))
            taken = set(chosen)
            rest = [x for x in rng.sample(others, k=min(len(others), n)) if x not in taken]
            chosen += rest[: n - len(chosen)]
            for root in chosen:
                at = self._instant(root) if name == "container at t" else NO_TIME
                out.append((i, root, at, ""))
        return out

    def _pool(
        self, name: str, direction: str, agents: list[int]
    ) -> tuple[list[int], float, Sequence[int]]:
        """(preferred roots, the share of the samples they may take, the other roots)."""
        w, t = self.w, self.t
        if name == "unit":
            picked = sorted({w.unit_base + int(u) for u in w.picks["unit"]})
            units = range(w.unit_base, w.unit_base + w.units)
            return (picked if direction == "forward" else []), 0.5, units
        if name == "raw lot":
            return agents, 0.25, sorted(w.raw_lots)
        pools: dict[str, Sequence[int]] = {
            "supplier lot": sorted(w.supplier_lots),
            "lot": sorted(set(w.lot_material) - w.raw_lots),
            "case": [int(c) for c in w.cases["case"]],
            "container at t": sorted(t.pl_by_container) + sorted(t.pick_by_container),
            "ship-to": sorted(set(w.shipto_nodes) & {int(d) for d in w.ships["dest"]}),
        }
        return [], 0.0, pools[name]

    def _instant(self, container: int) -> int:
        """A time in the container's life: often exactly when a case came off (a boundary)."""
        t = self.t
        pl, pk = self.w.placements, self.w.picks
        rows = t.pl_by_container.get(container, ())
        times = [int(pl["t_on"][i]) for i in rows] + [
            int(x) for i in rows if (x := pl["t_off"][i]) >= 0
        ]
        times += [int(pk["t_in"][i]) for i in t.pick_by_container.get(container, ())]
        for i in rows:
            times += [int(pk["t_pick"][j]) for j in t.pick_by_case.get(int(pl["case"][i]), ())]
        if self.rng.random() < 0.5:
            return self.rng.choice(times)
        return self.rng.randint(min(times), max(times) + DAY)

    def run(self) -> GroundTruth:
        """All start points with their exact and unbounded closures."""
        t = self.t
        roots = self.roots()
        fwd_lots = [r for c, r, _, _ in roots if CATEGORIES[c][0].endswith("lot")
                    and CATEGORIES[c][1] == "forward"]  # fmt: skip
        lot_closures = dict(zip(fwd_lots, t.forward_lots(fwd_lots), strict=True))
        samples = []
        for c, root, at, tag in roots:
            exact, unbounded = self._closures(c, root, at, lot_closures)
            samples.append(Sample(c, root, at, exact.array(), unbounded.array(),
                                  exact.units(), tag))  # fmt: skip
        named = {s.tag: i for i, s in enumerate(samples) if s.tag}
        return GroundTruth(self.w.preset.name, samples, t.kinds, 0, named)

    def _closures(
        self, c: int, root: int, at: int, lots: dict[int, Closure]
    ) -> tuple[Closure, Closure]:
        t = self.t
        name, direction, _ = CATEGORIES[c]
        if direction == "forward" and name.endswith("lot"):
            return lots[root], t.forward_lot_unbounded(root)
        if direction == "forward":
            f = t.forward_unit if name == "unit" else t.forward_case
            return f(root), f(root, timed=False)
        if name == "unit":
            return t.backward_unit(root), t.backward_unit(root, timed=False)
        if name == "lot":
            return t.backward_lot(root), t.backward_lot(root, timed=False)
        if name == "container at t":
            return t.contents(root, at), t.contents(root, None)
        return t.received(root), t.received(root, timed=False)


def ground_truth(w: World, count: int | None = None) -> GroundTruth:
    """Sample start points of ``w`` and compute their closures (see the module docstring)."""
    return Sampler(w, count=count).run()
