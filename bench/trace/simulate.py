"""The lot-level simulation: suppliers, plants, lines, batches, silos, splits, merges, rework,
cross-plant transfers and lot-only shipments, processed in time order.

Each line of each plant runs ``batches_per_day`` batch slots a day and makes the next material of
its rotation whose intermediate inputs are in stock at the plant. A batch draws a lognormal number
of input lots (median ``fan_in_median``, at most ``fan_in_max``) spread over its recipe, oldest
first (FIFO), so several lots of one material often go into one batch. Raw lots are received on
demand from supplier lots (one supplier lot is delivered up to three times, to any plant: a
RELABEL edge maps it to each internal lot). Silo materials are fed on a schedule and a draw is
attributed to every lot fed within the FIFO window before it (``commingle_window_h``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import deque
from dataclasses import dataclass

from . import gs1
from .world import (
    CUSTOMER,
    DAY,
    EV_PRODUCE,
    EV_RECEIVE,
    EV_RELABEL,
    EV_REWORK,
    EV_SHIP,
    EV_SPLIT,
    HOUR,
    LOCATION,
    LOT,
    RELABEL,
    SHIP,
    T0,
    TRANSFORM,
    TRANSFORMATION,
    Material,
    Preset,
    World,
)

MINUTE = 60_000
KGM = "KGM"
UBIQUITOUS, REWORK_AGENT, BULK = 0, 1, 2  # raw materials with a role
SILOS = (UBIQUITOUS, BULK)  # fed into silos, drawn by FIFO window
FINISHED_SHARE = 0.4  # of the batches, the rest make intermediates
STOCK_TARGET = 2.5  # lots of each intermediate a plant tries to keep


@dataclass
class LotState:
    """A lot in stock: remaining draws and quantity, and its time line."""

    node: int
    material: int
    uses: int
    qty: float
    arrived: int
    last_draw: int | None = None
    rework: bool = False


def catalogue(p: Preset, rng: random.Random) -> list[Material]:
    """Raw materials, intermediates on levels 1-5 and finished goods of BOM depth 2-6."""
    mats: list[Material] = []
    for i in range(p.raw_materials):
        sup = tuple(sorted(rng.sample(range(p.suppliers), k=min(p.suppliers, rng.randint(1, 3)))))
        sg = tuple(gs1.gtin(gs1.SUPPLIER_PREFIX + s, i + 1) for s in sup)
        mats.append(Material(i, 0, gs1.gtin(gs1.OWN_PREFIX, 10_000 + i), (), False, "lot", 0, 0,
                             sup, sg))  # fmt: skip
    weights = (0.3, 0.25, 0.2, 0.15, 0.1)
    counts = [max(1, round(p.intermediates * w)) for w in weights]
    plain_raw = list(range(3, p.raw_materials)) or [BULK]
    by_level: dict[int, list[int]] = {0: [*plain_raw, BULK]}
    for level, count in enumerate(counts, start=1):
        by_level[level] = []
        for _ in range(count):
            mats.append(_made(mats, level, by_level, rng, False))
            by_level[level].append(len(mats) - 1)
    modes = ["serial", "lot", "mixed"]
    for f in range(p.finished):
        depth = 2 + f % 5
        m = _made(mats, depth, by_level, rng, True)
        m.mode = modes[f % 3]
        m.per_case = rng.randint(*p.case_range)
        m.per_pallet = rng.randint(*p.pallet_range)
        mats.append(m)
    _spread_ubiquitous(mats, by_level, rng)
    return mats


def _made(
    mats: list[Material], level: int, by_level: dict[int, list[int]], rng: random.Random,
    finished: bool,
) -> Material:  # fmt: skip
    main = rng.choice(by_level[level - 1])
    pool = [m for lv in range(level) for m in by_level[lv] if m != main]
    extra = rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))
    index = len(mats)
    return Material(index, level, gs1.gtin(gs1.OWN_PREFIX, 10_000 + index),
                    (main, *extra), finished)  # fmt: skip


def _spread_ubiquitous(
    mats: list[Material], by_level: dict[int, list[int]], rng: random.Random
) -> None:
    """Add the ubiquitous material to recipes until it is in 10-30 % of the finished goods."""
    finished = [m for m in mats if m.finished]

    def coverage() -> float:
        memo: dict[int, bool] = {}

        def has(i: int) -> bool:
            if i not in memo:
                memo[i] = i == UBIQUITOUS or any(has(r) for r in mats[i].recipe)
            return memo[i]

        return sum(has(m.index) for m in finished) / len(finished)

    candidates = [m for lv in (1, 2, 3) for m in by_level.get(lv, [])]
    rng.shuffle(candidates)
    for c in candidates + [m.index for m in finished]:
        if coverage() >= 0.15:
            break
        before = mats[c].recipe
        mats[c].recipe = (*before, UBIQUITOUS)
        if coverage() > 0.30:
            mats[c].recipe = before


class Simulation:
    """Runs the plants day by day and writes identities, events, edges and the log."""

    def __init__(self, preset: Preset) -> None:
        self.p = preset
        self.rng = random.Random(preset.seed)
        self.w = World(preset)
        self.w.materials = catalogue(preset, self.rng)
        self.stock: dict[tuple[int, int], deque[LotState]] = {}
        self.silo: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self.next_feed: dict[tuple[int, int], int] = {}
        self.pending: list[list[tuple[int, LotState]]] = [[] for _ in range(preset.plants)]
        self.open_supplier_lot: dict[tuple[int, int], list[int]] = {}
        self.seq = 0
        self.window = int(preset.commingle_window_h * HOUR)
        self._places()

    # -- set-up -----------------------------------------------------------------------------
    def _places(self) -> None:
        w, p = self.w, self.p
        for i in range(p.plants):
            g = gs1.gln(gs1.OWN_PREFIX, 10_001 + i)
            w.plant_nodes.append(w.node(LOCATION, gs1.location_key(g), g, T0, site=i + 1))
        for i in range(p.dcs):
            g = gs1.gln(gs1.OWN_PREFIX, 20_001 + i)
            w.dc_nodes.append(w.node(LOCATION, gs1.location_key(g), g, T0))
        for c in range(p.customers):
            for s in range(self.rng.randint(1, 5)):
                g = gs1.gln(gs1.CUSTOMER_PREFIX + c, s + 1)
                w.shipto_nodes.append(w.node(CUSTOMER, gs1.party_key(g), g, T0, customer=c + 1))
        w.ubiquitous = UBIQUITOUS

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    # -- the run ----------------------------------------------------------------------------
    def run(self) -> World:
        p = self.p
        non_raw = [m.index for m in self.w.materials if m.level > 0]
        lines = [non_raw[i :: p.lines] for i in range(p.lines)]
        slots = sorted(
            (T0 + d * DAY + HOUR + s * (DAY // p.batches_per_day) + line * 7 * MINUTE
             + plant * 2 * MINUTE, plant, line, d, s)
            for d in range(p.days) for s in range(p.batches_per_day)
            for plant in range(p.plants) for line in range(p.lines)
        )  # fmt: skip
        elapsed = [0] * p.plants
        made: dict[tuple[int, int], int] = {}
        n_finished = sum(m.finished for m in self.w.materials)
        for t, plant, line, day, slot in slots:
            self._release(plant, t)
            elapsed[plant] += 1
            target = FINISHED_SHARE * elapsed[plant] / n_finished
            best, score = None, -math.inf
            for m in lines[line]:
                if not self._available(plant, m):
                    continue
                if self.w.materials[m].finished:
                    s = target - made.get((plant, m), 0)
                else:
                    s = STOCK_TARGET - len(self.stock.get((plant, m), ()))
                s += self.rng.random() * 0.01
                if s > score:
                    best, score = m, s
            if best is not None:
                made[(plant, best)] = made.get((plant, best), 0) + 1
                self._batch(plant, line, day, slot, t, best)
        return self.w

    def _release(self, plant: int, t: int) -> None:
        keep = []
        for t_arr, lot in self.pending[plant]:
            if t_arr < t:
                self.stock.setdefault((plant, lot.material), deque()).append(lot)
            else:
                keep.append((t_arr, lot))
        self.pending[plant] = keep

    def _available(self, plant: int, m: int) -> bool:
        return all(
            self.w.materials[r].level == 0 or self.stock.get((plant, r))
            for r in self.w.materials[m].recipe
        )

    # -- one batch --------------------------------------------------------------------------
    def _batch(self, plant: int, line: int, day: int, slot: int, t: int, m: int) -> None:
        w, p, rng = self.w, self.p, self.rng
        mat = w.materials[m]
        date = dt.datetime.fromtimestamp((T0 + day * DAY) / 1000, dt.UTC)
        code = f"P{plant + 1}L{line + 1}-{date:%y%m%d}-{slot + 1}"
        n = round(math.exp(rng.gauss(math.log(p.fan_in_median), 0.7)))
        n = min(max(n, len(mat.recipe)), p.fan_in_max)
        share = [1] * len(mat.recipe)
        bulk = [i for i, r in enumerate(mat.recipe)
                if w.materials[r].level == 0 and r not in SILOS] or [0]  # fmt: skip
        for _ in range(n - len(mat.recipe)):  # extra lots are mostly raw (drums, bags)
            share[rng.choice(bulk) if rng.random() < 0.8 else rng.randrange(len(share))] += 1
        inputs: list[tuple[int, float]] = []
        for r, k in zip(mat.recipe, share, strict=True):
            inputs += self._draw(plant, r, k, t)
        total = sum(q for _, q in inputs)
        outputs = [(w.lot(m, code, t, plant + 1), round(total * 0.95, 1))]
        if rng.random() < p.p_coproduct:
            by = rng.choice(
                [
                    x.index
                    for x in w.materials
                    if not x.finished and 0 < x.level <= max(1, mat.level - 1)
                ]
            )
            outputs.append((w.lot(by, code + "-B", t, plant + 1), round(total * 0.04, 1)))
        self._transform(EV_PRODUCE, code, t, plant, inputs, outputs)
        for lot, qty in outputs:
            self._after_output(plant, lot, qty, t)

    def _transform(
        self, kind: int, code: str, t: int, plant: int,
        inputs: list[tuple[int, float]], outputs: list[tuple[int, float]],
    ) -> int:  # fmt: skip
        w = self.w
        node = w.node(TRANSFORMATION, gs1.transformation_key(code), code, t, site=plant + 1)
        ev = w.event(kind, t, plant + 1)
        for lot, qty in inputs:
            w.lineage.append((lot, node, TRANSFORM, t, None, ev, qty, None, KGM))
        for lot, qty in outputs:
            w.lineage.append((node, lot, TRANSFORM, t, None, ev, None, qty, KGM))
        w.log.append(("T", t, tuple(inputs), tuple(outputs), node))
        return node

    def _after_output(self, plant: int, lot: int, qty: float, t: int) -> None:
        w, p, rng = self.w, self.p, self.rng
        mat = w.materials[w.lot_material[lot]]
        if mat.finished:
            odds = {"lot": 0.0, "mixed": p.serial_share, "serial": 2 * p.serial_share}[mat.mode]
            serial = rng.random() < odds
            w.finished_lots.append((lot, mat.index, plant + 1, t, serial))
            if not serial:
                self._ship_lot(lot, qty, t)
            return
        state = self._state(lot, mat.index, qty, t)
        if p.plants > 1 and rng.random() < p.p_transfer:
            self._transfer(plant, state, t)
        elif rng.random() < p.p_split:
            self._split(plant, state, t + MINUTE)
        elif rng.random() < p.p_merge and self.stock.get((plant, mat.index)):
            self._merge(plant, state, t + MINUTE)
        else:
            self.stock.setdefault((plant, mat.index), deque()).append(state)

    def _state(self, lot: int, material: int, qty: float, t: int) -> LotState:
        uses = 1 + _poisson(self.rng, self.p.intermediate_uses)
        return LotState(lot, material, uses, qty, t, rework=self.rng.random() < self.p.p_rework)

    # -- drawing inputs ---------------------------------------------------------------------
    def _draw(self, plant: int, r: int, k: int, t: int) -> list[tuple[int, float]]:
        if r in SILOS:
            return self._draw_silo(plant, r, t)
        queue = self.stock.setdefault((plant, r), deque())
        while self.w.materials[r].level == 0 and len(queue) < k:
            queue.append(self._receive(plant, r, t - self.rng.randint(2 * HOUR, 40 * HOUR)))
        taken = []
        for lot in list(queue)[:k]:
            if lot.rework and lot.last_draw is not None and t - lot.last_draw >= 2:
                self._rework(plant, lot, lot.last_draw + (t - lot.last_draw) // 2)
            assert t > lot.arrived, "a lot is drawn only after it arrived"
            qty = round(lot.qty / lot.uses, 1)
            lot.uses -= 1
            lot.qty -= qty
            lot.last_draw = t
            if lot.uses == 0:
                queue.remove(lot)
            taken.append((lot.node, qty))
        return taken

    def _draw_silo(self, plant: int, r: int, t: int) -> list[tuple[int, float]]:
        """FIFO window attribution: every lot fed within the window before ``t``."""
        key = (plant, r)
        fed = self.silo.setdefault(key, [])
        nxt = self.next_feed.setdefault(key, T0 - self.window + plant * HOUR)
        while nxt < t:
            fed.append((nxt, self._receive(plant, r, nxt).node))
            self.w.silo_lots.add(fed[-1][1])
            nxt += self.window // 2 + self.rng.randint(-3 * HOUR, 3 * HOUR)
        self.next_feed[key] = nxt
        lots = [lot for t_feed, lot in fed if t - self.window <= t_feed < t] or [fed[-1][1]]
        qty = round(50.0 / len(lots), 1)
        return [(lot, qty) for lot in lots]

    def _receive(self, plant: int, r: int, t: int) -> LotState:
        """A delivery of raw material ``r``: a new internal lot mapped from a supplier lot."""
        w, rng = self.w, self.rng
        mat = w.materials[r]
        s = rng.randrange(len(mat.suppliers))
        entry = self.open_supplier_lot.get((r, s))
        if entry is None or entry[1] == 0:
            code = f"SL{self.next_seq():06d}"
            sup_lot = w.node(LOT, gs1.lot_key(mat.supplier_gtins[s], code), code, t,
                             product=mat.supplier_gtins[s], lot=code,
                             supplier=mat.suppliers[s] + 1)  # fmt: skip
            w.supplier_lots.add(sup_lot)
            entry = self.open_supplier_lot[(r, s)] = [sup_lot, rng.randint(1, 3)]
        entry[1] -= 1
        lot = w.lot(r, f"R{plant + 1}-{self.next_seq():06d}", t, plant + 1)
        w.raw_lots.add(lot)
        qty = float(rng.randint(2_000, 10_000))
        ev = w.event(EV_RECEIVE, t, plant + 1)
        w.lineage.append((entry[0], lot, RELABEL, t, None, ev, qty, qty, KGM))
        w.log.append(("R", t, entry[0], lot))
        return LotState(lot, r, rng.randint(*self.p.raw_uses), qty, t)

    # -- splits, merges, rework, transfers ----------------------------------------------------
    def _split(self, plant: int, lot: LotState, t: int) -> None:
        w = self.w
        k = self.rng.randint(2, 4)
        code = w.meta[lot.node][2] or "lot"
        parts = [(w.lot(lot.material, f"{code}-S{i + 1}", t, plant + 1), round(lot.qty / k, 1))
                 for i in range(k)]  # fmt: skip
        self._transform(EV_SPLIT, f"SP{self.next_seq():06d}", t, plant, [(lot.node, lot.qty)],
                        parts)  # fmt: skip
        queue = self.stock.setdefault((plant, lot.material), deque())
        for node, qty in parts:
            queue.append(self._state(node, lot.material, qty, t))

    def _merge(self, plant: int, lot: LotState, t: int) -> None:
        w = self.w
        queue = self.stock[(plant, lot.material)]
        others = [queue.popleft() for _ in range(min(len(queue), self.rng.randint(1, 2)))]
        parts = [*others, lot]
        code = f"MG{self.next_seq():06d}"
        qty = round(sum(x.qty for x in parts), 1)
        merged = w.lot(lot.material, code, t, plant + 1)
        self._transform(EV_SPLIT, code, t, plant, [(x.node, round(x.qty, 1)) for x in parts],
                        [(merged, qty)])  # fmt: skip
        state = self._state(merged, lot.material, qty, t)
        state.uses = min(sum(x.uses for x in parts), 6)
        queue.append(state)

    def _rework(self, plant: int, lot: LotState, t: int) -> None:
        """Rework re-enters the same lot (same id) with a fresh lot of the rework agent."""
        agent = self._receive(plant, REWORK_AGENT, t - HOUR)
        qty = round(lot.qty, 1)
        inputs = [(lot.node, qty), (agent.node, 20.0)]
        node = self._transform(EV_REWORK, f"RW{self.next_seq():06d}", t, plant, inputs,
                               [(lot.node, qty)])  # fmt: skip
        self.w.reworked.append((lot.node, node, t))
        lot.rework = False
        lot.arrived = t

    def _transfer(self, plant: int, lot: LotState, t: int) -> None:
        """Ship the lot to another plant; 10 % arrive relabelled as a new lot."""
        w, rng = self.w, self.rng
        dest = rng.choice([q for q in range(self.p.plants) if q != plant])
        t_ship, t_arr = t + 2 * HOUR, t + 22 * HOUR
        ev = w.event(EV_SHIP, t_ship, plant + 1)
        w.lineage.append((lot.node, w.plant_nodes[dest], SHIP, t_ship, None, ev, None, lot.qty,
                          KGM))  # fmt: skip
        w.log.append(("S", t_ship, lot.node, w.plant_nodes[dest]))
        if rng.random() < self.p.p_relabel:
            new = w.lot(lot.material, f"X{dest + 1}-{self.next_seq():06d}", t_arr, dest + 1)
            ev = w.event(EV_RELABEL, t_arr, dest + 1)
            w.lineage.append((lot.node, new, RELABEL, t_arr, None, ev, lot.qty, lot.qty, KGM))
            w.log.append(("R", t_arr, lot.node, new))
            w.relabelled.append((lot.node, new))
            lot = LotState(new, lot.material, lot.uses, lot.qty, t_arr, rework=lot.rework)
        else:
            lot.arrived = t_arr
        self.pending[dest].append((t_arr, lot))

    def _ship_lot(self, lot: int, qty: float, t: int) -> None:
        """Lot-only finished goods: shipped in 1-3 parts to distribution centres or customers."""
        w, rng = self.w, self.rng
        k = rng.randint(1, 3)
        for i in range(k):
            t_ship = t + DAY + i * DAY // 2 + rng.randint(0, 8 * HOUR)
            dest = rng.choice(w.dc_nodes) if rng.random() < 0.5 else rng.choice(w.shipto_nodes)
            ev = w.event(EV_SHIP, t_ship, w.lot_site.get(lot))
            w.lineage.append((lot, dest, SHIP, t_ship, None, ev, None, round(qty / k, 1), KGM))
            w.log.append(("S", t_ship, lot, dest))


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, prod = math.exp(-mean), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k
