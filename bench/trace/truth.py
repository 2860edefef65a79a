"""Ground truth from the simulation's own records, never from the edge table.

Lot level: the log is replayed in time order and provenance is propagated as material moves: a
lot's *ancestry* (every lot whose material is in it, as a bitset) grows when a transformation,
relabel or rework puts material into it, so a consumer drawn before a rework does not inherit
what the rework added. Forward closures replay the same log with *taint* bits of the start lots.
This is exactly the time-respecting semantics (material cannot leave before it arrived) without
ever walking edges.

Unit level: a unit is in a case from packing until it is picked out; a case is on a container
from ``t_on`` to ``t_off``; a container's deliveries carry what is on it at that moment. The
containment records give, per unit, case, container and serialised lot, where it went and what
was on a container at time ``t``.

Unbounded closures (plain reachability, no time rules) are computed too, to report how much a
time-respecting trace removes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from .world import LOT, TRANSFORMATION, World

FOREVER = 2**62


def bits(x: int) -> np.ndarray:
    """Positions of the set bits of ``x`` (ascending)."""
    if not x:
        return np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(x.to_bytes((x.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(raw, bitorder="little"))


@dataclass
class Closure:
    """A set of node ids: explicit ids, runs of consecutive unit ids ``(first, count)`` and
    id arrays shared between closures (what a serialised lot's units reached)."""

    ids: set[int] = field(default_factory=set)
    runs: list[tuple[int, int]] = field(default_factory=list)
    parts: list[np.ndarray] = field(default_factory=list)

    def array(self) -> np.ndarray:
        """The sorted, distinct ids."""
        chunks = [np.fromiter(self.ids, dtype=np.int64, count=len(self.ids)), *self.parts]
        chunks += [np.arange(a, a + n, dtype=np.int64) for a, n in self.runs]
        return np.unique(np.concatenate(chunks))

    def units(self) -> int:
        return sum(n for _, n in self.runs)


class Truth:
    """Exact closures of a packed world (see the module docstring)."""

    def __init__(self, w: World) -> None:
        self.w = w
        lots = sorted({*w.lot_material, *w.supplier_lots})
        self.lots = np.asarray(lots, dtype=np.int64)
        self.li = {n: i for i, n in enumerate(lots)}
        self.log = sorted(w.log, key=lambda e: e[1])
        self.kinds = w.kinds()
        self._ancestry()
        self._index()
        self._static()

    # -- lot level --------------------------------------------------------------------------
    def _ancestry(self) -> None:
        li = self.li
        anc = [0] * len(li)
        self.lot_ships: list[tuple[int, int, int, int]] = []  # t, lot, dest, ancestry then
        for e in self.log:
            if e[0] == "T":
                acc = 0
                for lot, _ in e[2]:
                    i = li[lot]
                    acc |= anc[i] | (1 << i)
                for lot, _ in e[3]:
                    anc[li[lot]] |= acc
            elif e[0] == "R":
                s = li[e[2]]
                anc[li[e[3]]] |= anc[s] | (1 << s)
            else:
                i = li[e[2]]
                self.lot_ships.append((e[1], e[2], e[3], anc[i] | (1 << i)))
        self.anc = anc

    def ancestors(self, lot: int) -> set[int]:
        """Lots (internal and supplier) whose material is in ``lot`` (time-respecting)."""
        return {int(n) for n in self.lots[bits(self.anc[self.li[lot]])] if n != lot}

    def forward_lots(self, roots: list[int]) -> list[Closure]:
        """Forward closures of lot roots: lots, places, and for serialised lots their units
        and everything those units reached."""
        li = self.li
        taint: dict[int, int] = {}
        for j, r in enumerate(roots):
            taint[li[r]] = taint.get(li[r], 0) | (1 << j)
        out = [Closure() for _ in roots]
        for e in self.log:
            if e[0] == "S":
                for j in bits(taint.get(li[e[2]], 0)):
                    out[j].ids.add(e[3])
                continue
            sources = [lot for lot, _ in e[2]] if e[0] == "T" else [e[2]]
            acc = 0
            for lot in sources:
                acc |= taint.get(li[lot], 0)
            if acc:
                for lot in [lot for lot, _ in e[3]] if e[0] == "T" else [e[3]]:
                    taint[li[lot]] = taint.get(li[lot], 0) | acc
        block_of = {int(lot): b for b, lot in enumerate(self.w.blocks["lot"])}
        for i, t in taint.items():
            lot = int(self.lots[i])
            for j in bits(t):
                out[j].ids.add(lot)
                if lot in block_of:
                    self._add_block(out[j], block_of[lot], timed=True)
        for c, r in zip(out, roots, strict=True):
            c.ids.discard(r)
        return out

    # -- containment ------------------------------------------------------------------------
    def _index(self) -> None:
        w = self.w
        pl, sh, pk, cs = w.placements, w.ships, w.picks, w.cases
        self.pl_by_case = _group(pl["case"])
        self.pl_by_container = _group(pl["container"])
        self.ship_by_container = _group(sh["container"])
        self.pick_by_unit = {int(u): i for i, u in enumerate(pk.get("unit", ()))}
        self.pick_by_case = _group(pk["case"]) if len(pk.get("case", ())) else {}
        self.pick_by_container = _group(pk["container"]) if "container" in pk else {}
        self.case_row = {int(c): i for i, c in enumerate(cs.get("case", ()))}
        self.block_case0 = np.searchsorted(cs["block"], np.arange(len(w.blocks["lot"]) + 1))

    def _ships(self, container: int, lo: int, hi: int) -> list[int]:
        sh = self.w.ships
        return [int(sh["dest"][i]) for i in self.ship_by_container.get(container, ())
                if lo <= sh["t"][i] < hi]  # fmt: skip

    def _case_on(self, case: int, lim: int, out: set[int], timed: bool) -> None:
        """Containers a case was put on before ``lim``, and where they went while it was on."""
        pl = self.w.placements
        for i in self.pl_by_case.get(case, ()):
            t_on, t_off = int(pl["t_on"][i]), int(pl["t_off"][i])
            if timed and t_on >= lim:
                continue
            k = int(pl["container"][i])
            out.add(k)
            hi = min(lim, FOREVER if t_off < 0 else t_off) if timed else FOREVER
            out.update(self._ships(k, t_on if timed else -FOREVER, hi))

    def _picked_into(self, row: int, out: set[int], timed: bool) -> None:
        pk = self.w.picks
        box, t_in = int(pk["container"][row]), int(pk["t_in"][row])
        out.add(box)
        out.update(self._ships(box, t_in if timed else -FOREVER, FOREVER))

    @functools.cache  # noqa: B019 - one Truth per world
    def _block_reach(self, b: int, timed: bool) -> np.ndarray:
        cs = self.w.cases
        out: set[int] = set()
        for c in range(self.block_case0[b], self.block_case0[b + 1]):
            case = int(cs["case"][c])
            out.add(case)
            self._case_on(case, FOREVER, out, timed)
            for row in self.pick_by_case.get(case, ()):
                self._picked_into(row, out, timed)
        return np.fromiter(out, dtype=np.int64, count=len(out))

    def _add_block(self, c: Closure, b: int, timed: bool) -> None:
        bl = self.w.blocks
        c.runs.append((self.w.unit_base + int(bl["unit0"][b]), int(bl["n"][b])))
        c.parts.append(self._block_reach(b, timed))

    def forward_unit(self, unit: int, timed: bool = True) -> Closure:
        ordinal = unit - self.w.unit_base
        cs = self.w.cases
        row = int(np.searchsorted(cs["unit0"], ordinal, side="right")) - 1
        case = int(cs["case"][row])
        out = {case}
        pick = self.pick_by_unit.get(ordinal)
        lim = FOREVER if pick is None else int(self.w.picks["t_pick"][pick])
        self._case_on(case, lim, out, timed)
        if pick is not None:
            self._picked_into(pick, out, timed)
        return Closure(out)

    def forward_case(self, case: int, timed: bool = True) -> Closure:
        out: set[int] = set()
        self._case_on(case, FOREVER, out, timed)
        return Closure(out)

    def block_of_unit(self, unit: int) -> int:
        return int(np.searchsorted(self.w.blocks["unit0"], unit - self.w.unit_base, "right")) - 1

    def backward_unit(self, unit: int, timed: bool = True) -> Closure:
        lot = int(self.w.blocks["lot"][self.block_of_unit(unit)])
        return Closure({lot} | (self.ancestors(lot) if timed else self.static_back(lot)))

    def backward_lot(self, lot: int, timed: bool = True) -> Closure:
        return Closure(self.ancestors(lot) if timed else self.static_back(lot) - {lot})

    def contents(self, container: int, t: int | None) -> Closure:
        """What was in ``container`` at ``t`` (None: ever), down to units, and what those
        units were made from (the backward trace from the container at ``t``)."""
        w, cs, pl, pk = self.w, self.w.cases, self.w.placements, self.w.picks
        units: list[int] = []
        out: set[int] = set()
        for i in self.pl_by_container.get(container, ()):
            t_off = int(pl["t_off"][i])
            if t is not None and not (pl["t_on"][i] <= t and (t_off < 0 or t_off > t)):
                continue
            case = int(pl["case"][i])
            out.add(case)
            units += self._units_in(case, t)
        if container in self.case_row:
            units += self._units_in(container, t)
        for i in self.pick_by_container.get(container, ()):
            if t is None or pk["t_in"][i] <= t:
                units.append(int(pk["unit"][i]))
        for u in units:
            out.add(w.unit_base + u)
        blocks = {int(b) for b in np.searchsorted(w.blocks["unit0"], units, "right") - 1}
        for b in blocks:
            lot = int(w.blocks["lot"][b])
            out |= {lot} | (self.ancestors(lot) if t is not None else self.static_back(lot))
        del cs
        return Closure(out)

    def _units_in(self, case: int, t: int | None) -> list[int]:
        cs, pk = self.w.cases, self.w.picks
        row = self.case_row[case]
        first, n = int(cs["unit0"][row]), int(cs["n"][row])
        if t is not None and cs["t"][row] > t:
            return []
        gone = {int(pk["unit"][i]) for i in self.pick_by_case.get(case, ())
                if t is not None and pk["t_pick"][i] <= t}  # fmt: skip
        return [u for u in range(first, first + n) if u not in gone]

    def received(self, dest: int, timed: bool = True) -> Closure:
        """Backward from a place: every container delivered there with what was on it then,
        and every lot shipped there with its ancestry at that moment."""
        sh = self.w.ships
        out: set[int] = set()
        for i in np.flatnonzero(sh["dest"] == dest):
            k, t = int(sh["container"][i]), int(sh["t"][i])
            out.add(k)
            out |= self.contents(k, t if timed else None).ids
        for _t, lot, d, anc in self.lot_ships:
            if d == dest:
                out.add(lot)
                if timed:
                    out |= {int(n) for n in self.lots[bits(anc)] if n != lot}
                else:
                    out |= self.static_back(lot)
        return Closure(out)

    # -- unbounded (plain reachability) -----------------------------------------------------
    def _static(self) -> None:
        src, dst = [], []
        for e in self.log:
            if e[0] == "T":
                for lot, _ in e[2]:
                    src.append(lot)
                    dst.append(e[4])
                for lot, _ in e[3]:
                    src.append(e[4])
                    dst.append(lot)
            else:
                src.append(e[2])
                dst.append(e[3])
        n = self.w.unit_base
        ones = np.ones(len(src), dtype=np.int8)
        self.fwd = csr_matrix((ones, (src, dst)), shape=(n, n))
        self.bwd = self.fwd.T.tocsr()

    def _reach(self, graph: csr_matrix, root: int) -> set[int]:
        order = breadth_first_order(graph, root, directed=True, return_predecessors=False)
        kinds = self.kinds
        return {int(x) for x in order if kinds[x] != TRANSFORMATION and x != root}

    def static_back(self, lot: int) -> set[int]:
        return self._reach(self.bwd, lot)

    def forward_lot_unbounded(self, root: int) -> Closure:
        c = Closure(self._reach(self.fwd, root))
        block_of = {int(lot): b for b, lot in enumerate(self.w.blocks["lot"])}
        for n in [root, *c.ids]:
            if self.kinds[n] == LOT and n in block_of:
                self._add_block(c, block_of[n], timed=False)
        return c


def _group(keys: np.ndarray) -> dict[int, np.ndarray]:
    """Row indexes of each distinct key (rows in ascending order)."""
    order = np.argsort(keys, kind="stable")
    uniq, start = np.unique(keys[order], return_index=True)
    ends = [*start[1:], len(order)]
    return {int(k): order[a:b] for k, a, b in zip(uniq, start, ends, strict=True)}
