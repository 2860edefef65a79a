"""Serialisation, packing and distribution of the serialised finished lots.

Each serialised lot gets a lognormal number of units (median ``serial_median``, clipped to
``serial_range``), commissioned by one event; units go into cases (``per_case`` of the product,
one packing event per case), cases onto pallets (``per_pallet``). A pallet goes to a distribution
centre or straight to customers; deliveries are multi-drop (1-5 ship-to parties, some cases
unloaded at each stop, so they do not travel on to the next). At a distribution centre some
pallets are broken down (cases removed, repacked onto mixed pallets of that day), and some units
are picked out of their cases into mixed cases shipped on their own: containment intervals that
only a time-aware trace respects.

Records (numpy arrays in ``World``): ``blocks`` (serialised lot, unit range, commissioning),
``cases`` (case, block, unit range, packing), ``placements`` (case on a container from ``t_on``
to ``t_off`` or -1), ``picks`` (unit taken out of its case at ``t_pick`` into a mixed case at
``t_in``), ``ships`` (container delivered to a place at ``t``).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

import numpy as np

from . import gs1
from .world import CONTAINER, DAY, EV_PACK, EV_SERIALISE, EV_SHIP, HOUR, NONE, World

MINUTE = 60_000


class Packer:
    """Builds the packing records of a world whose lot-level simulation has run."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.p = w.preset
        self.rng = random.Random(w.preset.seed * 7 + 1)
        self.sscc = 0
        self.blocks: dict[str, list[int]] = defaultdict(list)
        self.cases: dict[str, list[int]] = defaultdict(list)
        self.place: dict[str, list[int]] = defaultdict(list)
        self.picks: dict[str, list[int]] = defaultdict(list)
        self.ships: dict[str, list[int]] = defaultdict(list)
        self.arrivals: list[tuple[int, int, int, list[int]]] = []  # t, pallet, dc, placements
        self.repack: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        self.mixed: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
        self.units = 0
        self._case_pos: dict[int, int] = {}

    def run(self) -> None:
        for lot, material, site, t, serial in self.w.finished_lots:
            if serial:
                self._serialise(lot, material, site, t)
        self._distribution_centres()
        w = self.w
        w.unit_base = len(w.kind)
        w.units = self.units
        as_np = {k: np.asarray(v, dtype=np.int64) for k, v in self.blocks.items()}
        w.blocks = as_np
        w.cases = {k: np.asarray(v, dtype=np.int64) for k, v in self.cases.items()}
        w.placements = {k: np.asarray(v, dtype=np.int64) for k, v in self.place.items()}
        w.picks = {k: np.asarray(v, dtype=np.int64) for k, v in self.picks.items()}
        w.ships = {k: np.asarray(v, dtype=np.int64) for k, v in self.ships.items()}
        for table in (w.picks, w.placements):
            if not table:
                table.update({c: np.zeros(0, dtype=np.int64) for c in ("case", "unit")})

    def _container(self, t: int, site: int | None) -> int:
        self.sscc += 1
        code = gs1.sscc(self.sscc)
        return self.w.node(CONTAINER, gs1.container_key(code), code, t, site=site)

    # -- at the plant -----------------------------------------------------------------------
    def _serialise(self, lot: int, material: int, site: int, t: int) -> None:
        w, p, rng = self.w, self.p, self.rng
        mat = w.materials[material]
        lo, hi = p.serial_range
        n = round(math.exp(rng.gauss(math.log(p.serial_median), p.serial_sigma)))
        n = min(max(n, lo), hi)
        t_c = t + 2 * HOUR
        b = len(self.blocks["lot"])
        for k, v in (
            ("lot", lot),
            ("material", material),
            ("unit0", self.units),
            ("n", n),
            ("t", t_c),
            ("event", w.event(EV_SERIALISE, t_c, site)),
            ("site", site),
        ):
            self.blocks[k].append(v)  # fmt: skip
        cases = []
        for j, first in enumerate(range(0, n, mat.per_case)):
            t_pack = t_c + HOUR + j * 1000
            case = self._container(t_pack, site)
            for k, v in (
                ("case", case),
                ("block", b),
                ("unit0", self.units + first),
                ("n", min(mat.per_case, n - first)),
                ("t", t_pack),
                ("event", w.event(EV_PACK, t_pack, site)),
            ):
                self.cases[k].append(v)  # fmt: skip
            cases.append(case)
        self.units += n
        t_pal = t_c + HOUR + len(cases) * 1000 + 30 * MINUTE
        for i in range(0, len(cases), mat.per_pallet):
            pallet = self._container(t_pal, site)
            rows = self._put(cases[i : i + mat.per_pallet], pallet, t_pal, site)
            t_ship = t_pal + rng.randint(4 * HOUR, 48 * HOUR)
            if rng.random() < p.p_dc:
                dc = rng.choice(w.dc_nodes)
                self._ship(pallet, dc, t_ship, site)
                self.arrivals.append((t_ship, pallet, dc, rows))
            else:
                self._deliver(pallet, rows, t_ship + 4 * HOUR, site)

    def _put(self, cases: list[int], container: int, t: int, site: int | None) -> list[int]:
        ev = self.w.event(EV_PACK, t, site)
        rows = []
        for case in cases:
            rows.append(len(self.place["case"]))
            for k, v in (
                ("case", case),
                ("container", container),
                ("t_on", t),
                ("t_off", NONE),
                ("event", ev),
            ):
                self.place[k].append(v)  # fmt: skip
        return rows

    def _ship(self, container: int, dest: int, t: int, site: int | None) -> None:
        ev = self.w.event(EV_SHIP, t, site)
        for k, v in (("container", container), ("dest", dest), ("t", t), ("event", ev)):
            self.ships[k].append(v)

    def _deliver(self, pallet: int, rows: list[int], t: int, site: int | None) -> None:
        """Multi-drop delivery: at each stop but the last, some cases are unloaded."""
        rng = self.rng
        stops = rng.sample(self.w.shipto_nodes, k=min(len(self.w.shipto_nodes), rng.randint(1, 5)))
        left = list(rows)
        for i, stop in enumerate(stops):
            t_i = t + i * 2 * HOUR
            self._ship(pallet, stop, t_i, site)
            later = len(stops) - 1 - i
            if later and len(left) > later:
                for r in rng.sample(left, k=rng.randint(1, len(left) - later)):
                    self.place["t_off"][r] = t_i + 10 * MINUTE
                    left.remove(r)

    # -- at the distribution centres --------------------------------------------------------
    def _distribution_centres(self) -> None:
        rng, p = self.rng, self.p
        self._case_pos = {c: i for i, c in enumerate(self.cases["case"])}
        for t_arr, pallet, dc, rows in sorted(self.arrivals):
            if rng.random() < p.p_breakdown:
                t_u = t_arr + 20 * HOUR
                removed = rng.sample(rows, k=max(1, round(len(rows) * rng.uniform(0.3, 1.0))))
                for r in removed:
                    self.place["t_off"][r] = t_u
                    self._maybe_pick(r, dc, t_u + 30 * MINUTE)
                    self.repack[(dc, t_u // DAY)].append((self.place["case"][r], t_u))
                left = [r for r in rows if r not in removed]
                if left:
                    self._deliver(pallet, left, t_u + DAY, None)
            else:
                for r in rng.sample(rows, k=min(len(rows), 2)):
                    self._maybe_pick(r, dc, t_arr + 2 * HOUR)
                self._deliver(pallet, rows, t_arr + DAY + rng.randint(0, 2 * DAY), None)
        for (_dc, _), cases in sorted(self.repack.items()):
            t_r = max(t for _, t in cases) + HOUR
            for i in range(0, len(cases), 40):
                pallet = self._container(t_r, None)
                rows = self._put([c for c, _ in cases[i : i + 40]], pallet, t_r, None)
                self._deliver(pallet, rows, t_r + DAY, None)
        for (_dc, _), picked in sorted(self.mixed.items()):
            t_in = max(t for _, _, t in picked) + 30 * MINUTE
            box = self._container(t_in, None)
            ev = self.w.event(EV_PACK, t_in, None)
            for unit, case, t_pick in picked:
                for k, v in (
                    ("unit", unit),
                    ("case", case),
                    ("t_pick", t_pick),
                    ("container", box),
                    ("t_in", t_in),
                    ("event", ev),
                ):
                    self.picks[k].append(v)  # fmt: skip
            self._ship(box, rng.choice(self.w.shipto_nodes), t_in + DAY, None)

    def _maybe_pick(self, row: int, dc: int, t: int) -> None:
        """With probability ``p_pick``, take 1-5 units (never all) out of the case on ``row``."""
        if self.rng.random() >= self.p.p_pick:
            return
        case = self.place["case"][row]
        c = self._case_pos[case]
        n, first = self.cases["n"][c], self.cases["unit0"][c]
        if n < 2:
            return
        for unit in self.rng.sample(range(first, first + n), k=self.rng.randint(1, min(5, n - 1))):
            self.mixed[(dc, t // DAY)].append((unit, case, t))


def pack(w: World) -> None:
    """Serialise, pack and distribute the serialised lots of ``w`` (in place)."""
    Packer(w).run()
