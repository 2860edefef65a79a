"""What the synthetic genealogy is made of: presets, the catalogue and the simulated world.

A :class:`World` holds the simulation's own records, not database rows: every identity (node) it
created, every event, the lot-level log (transformations, relabels, lot shipments, in the order
and at the times they happened), the serialised blocks of units, cases, their placements on
pallets, units picked out of cases, and the shipments of containers. The loader turns these into
``trace_node``/``trace_event``/``trace_edge`` rows; the ground truth reads the same records.

Node ids are indexes into the world (the loader adds a fixed offset): every non-unit node first,
in creation order, then the units of each serialised lot as one contiguous block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from . import gs1

HOUR = 3_600_000
DAY = 24 * HOUR
T0 = int(dt.datetime(2025, 1, 6, tzinfo=dt.UTC).timestamp() * 1000)
NONE = -1  # "no until" in integer arrays

LOT, UNIT, CONTAINER, LOCATION, CUSTOMER, TRANSFORMATION = range(6)
KIND_NAMES = ("lot", "unit", "container", "location", "customer", "transformation")

# edge kinds, as stored (qualitas.trace.models.EdgeKind)
TRANSFORM, CONTAIN, SHIP, RELABEL, COMMISSION = 1, 2, 3, 4, 5

# event kinds: (EPCIS type, action, CBV business step)
EVENT_KINDS = (
    ("ObjectEvent", "OBSERVE", "receiving"),
    ("TransformationEvent", None, "commissioning"),
    ("ObjectEvent", "ADD", "commissioning"),
    ("AggregationEvent", "ADD", "packing"),
    ("ObjectEvent", "OBSERVE", "shipping"),
    ("TransformationEvent", None, "repairing"),
    ("TransformationEvent", None, "https://qualitas.dev/voc/BizStep-relabelling"),
    ("TransformationEvent", None, "repackaging"),
)
EV_RECEIVE, EV_PRODUCE, EV_SERIALISE, EV_PACK, EV_SHIP, EV_REWORK, EV_RELABEL, EV_SPLIT = range(8)


@dataclass(frozen=True)
class Preset:
    """Size and behaviour of one synthetic data set (deterministic from ``seed``)."""

    name: str
    plants: int
    lines: int
    days: int
    dcs: int
    customers: int
    raw_materials: int
    intermediates: int
    finished: int
    suppliers: int
    serial_median: float = 2000
    serial_sigma: float = 0.6
    serial_range: tuple[int, int] = (100, 100_000)
    serial_share: float = 0.5  # of the finished batches
    case_range: tuple[int, int] = (12, 48)
    pallet_range: tuple[int, int] = (20, 60)
    fan_in_median: float = 7.5
    fan_in_max: int = 40
    raw_uses: tuple[int, int] = (2, 8)
    intermediate_uses: float = 1.2  # mean extra draws per intermediate lot (Poisson)
    batches_per_day: int = 3
    samples: int = 1000
    p_rework: float = 0.06
    p_split: float = 0.03
    p_merge: float = 0.03
    p_coproduct: float = 0.05
    p_transfer: float = 0.08
    p_relabel: float = 0.10
    p_dc: float = 0.6
    p_breakdown: float = 0.3
    p_pick: float = 0.15
    commingle_window_h: float = 72
    seed: int = 20_251


PRESETS = {
    "tiny": Preset(
        "tiny", plants=2, lines=2, days=5, dcs=1, customers=2, raw_materials=7,
        intermediates=5, finished=4, suppliers=3, serial_median=10, serial_sigma=0.4,
        serial_range=(5, 30), case_range=(3, 5), pallet_range=(2, 3), fan_in_median=3,
        fan_in_max=8, raw_uses=(2, 4), intermediate_uses=1.0, samples=80, p_rework=0.3,
        p_split=0.15, p_merge=0.15, p_coproduct=0.1, p_transfer=0.3, p_relabel=0.5,
        p_dc=0.6, p_breakdown=0.7, p_pick=0.6, commingle_window_h=30, seed=7,
    ),
    "S": Preset(
        "S", plants=2, lines=3, days=60, dcs=3, customers=40, raw_materials=30,
        intermediates=36, finished=24, suppliers=12,
    ),
    "M": Preset(
        "M", plants=5, lines=4, days=250, dcs=8, customers=300, raw_materials=60,
        intermediates=70, finished=46, suppliers=30, serial_share=0.35,
    ),
}  # fmt: skip


@dataclass
class Material:
    """An item of the catalogue: raw (level 0), intermediate or finished, with its recipe."""

    index: int
    level: int
    gtin: str
    recipe: tuple[int, ...] = ()
    finished: bool = False
    mode: str = "lot"  # finished goods: "lot" only, "serial" or "mixed" (half serialised)
    per_case: int = 0
    per_pallet: int = 0
    suppliers: tuple[int, ...] = ()
    supplier_gtins: tuple[str, ...] = ()


@dataclass
class World:
    """The simulated genealogy: identities, events, the lot-level log and packing records."""

    preset: Preset
    materials: list[Material] = field(default_factory=list)
    # non-unit nodes, by id: kind, key, label, product (GTIN), lot code, site, supplier,
    # customer, first_ms
    kind: list[int] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    meta: list[tuple[str, str | None, str | None, int | None, int | None, int | None, int]] = field(
        default_factory=list
    )
    # events: kind (EVENT_KINDS index), time, site
    ev_kind: list[int] = field(default_factory=list)
    ev_time: list[int] = field(default_factory=list)
    ev_site: list[int | None] = field(default_factory=list)
    # lot-level lineage edges (src, dst, kind, at, until, event, src_qty, dst_qty, uom)
    lineage: list[tuple[int, int, int, int, int | None, int, float | None, float | None, str]] = (
        field(default_factory=list)
    )
    # lot-level log: ("T", t, ((lot, qty), ...), ((lot, qty), ...), transformation node),
    # ("R", t, src lot, dst lot), ("S", t, lot, destination node)
    log: list[tuple] = field(default_factory=list)
    # finished lots: (lot, material, site, production time, serialised?)
    finished_lots: list[tuple[int, int, int, int, bool]] = field(default_factory=list)
    lot_material: dict[int, int] = field(default_factory=dict)
    lot_site: dict[int, int] = field(default_factory=dict)
    supplier_lots: set[int] = field(default_factory=set)
    raw_lots: set[int] = field(default_factory=set)
    silo_lots: set[int] = field(default_factory=set)
    relabelled: list[tuple[int, int]] = field(default_factory=list)  # (plant A lot, plant B lot)
    reworked: list[tuple[int, int, int]] = field(default_factory=list)  # (lot, rework node, t)
    plant_nodes: list[int] = field(default_factory=list)
    dc_nodes: list[int] = field(default_factory=list)
    shipto_nodes: list[int] = field(default_factory=list)
    ubiquitous: int = 0
    # packing records (numpy arrays once packed): see packing.py
    blocks: dict[str, np.ndarray] = field(default_factory=dict)
    cases: dict[str, np.ndarray] = field(default_factory=dict)
    placements: dict[str, np.ndarray] = field(default_factory=dict)
    picks: dict[str, np.ndarray] = field(default_factory=dict)
    ships: dict[str, np.ndarray] = field(default_factory=dict)
    unit_base: int = 0
    units: int = 0

    # -- identities -------------------------------------------------------------------------
    def node(
        self,
        kind: int,
        key: str,
        label: str,
        first_ms: int,
        *,
        product: str | None = None,
        lot: str | None = None,
        site: int | None = None,
        supplier: int | None = None,
        customer: int | None = None,
    ) -> int:
        """A new non-unit identity; returns its id."""
        self.kind.append(kind)
        self.key.append(key)
        self.meta.append((label, product, lot, site, supplier, customer, first_ms))
        return len(self.kind) - 1

    def lot(self, material: int, code: str, t: int, site: int | None) -> int:
        m = self.materials[material]
        ident = self.node(
            LOT, gs1.lot_key(m.gtin, code), code, t, product=m.gtin, lot=code, site=site
        )
        self.lot_material[ident] = material
        if site is not None:
            self.lot_site[ident] = site
        return ident

    def event(self, kind: int, t: int, site: int | None) -> int:
        self.ev_kind.append(kind)
        self.ev_time.append(t)
        self.ev_site.append(site)
        return len(self.ev_kind) - 1

    # -- after packing ----------------------------------------------------------------------
    @property
    def nodes(self) -> int:
        return self.unit_base + self.units

    def kinds(self) -> np.ndarray:
        """Kind of every node, by id (uint8)."""
        out = np.full(self.nodes, UNIT, dtype=np.uint8)
        out[: self.unit_base] = np.asarray(self.kind, dtype=np.uint8)
        return out

    def unit_key(self, unit_id: int) -> str:
        b = self.blocks
        i = int(np.searchsorted(b["unit0"], unit_id - self.unit_base, side="right")) - 1
        ordinal = unit_id - self.unit_base
        return gs1.unit_key(self.materials[int(b["material"][i])].gtin, f"{ordinal:010d}")

    def key_of(self, ident: int) -> str:
        """The normalised key of node ``ident`` (units are derived, not stored)."""
        return self.key[ident] if ident < self.unit_base else self.unit_key(ident)

    def summary(self) -> dict[str, int]:
        kinds = np.bincount(self.kinds(), minlength=6)
        return {
            **{f"{KIND_NAMES[k]} nodes": int(kinds[k]) for k in range(6)},
            "events": len(self.ev_kind),
            "lineage edges": len(self.lineage),
            "serialised lots": len(self.blocks.get("lot", ())),
            "units": self.units,
            "cases": len(self.cases.get("case", ())),
            "placements": len(self.placements.get("case", ())),
            "picked units": len(self.picks.get("unit", ())),
            "container shipments": len(self.ships.get("container", ())),
        }

    def edge_count(self) -> int:
        """Rows the loader writes into ``trace_edge``."""
        return (
            len(self.lineage)
            + self.units  # commissioning
            + self.units  # unit -> case
            + len(self.picks.get("unit", ()))  # unit -> mixed case
            + len(self.placements.get("case", ()))
            + len(self.ships.get("container", ()))
        )
