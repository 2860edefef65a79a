"""Demo genealogy: four weeks of receipts, production, packing, shipping and one cross-site
transfer, recorded through the native production events (so they are EPCIS events too).

Deterministic (seeded). Finished products carry GTINs, so their units have GS1 Digital Link
keys and public pages; materials and components use plant-internal keys.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.demo import data
from qualitas.ledger.service import Actor
from qualitas.measure import storage
from qualitas.plant.models import Characteristic, Item
from qualitas.trace import production as prod
from qualitas.trace.schemas import (
    IssueIn,
    LotQty,
    ObjRef,
    OutputIn,
    PackIn,
    ReceiveIn,
    ReworkIn,
    ShipIn,
    TransferReceiveIn,
)

DAYS = 28
SEEDS = {"SUZ": 11, "STR": 23}
UNITS_PER_CASE = 12
CASES_PER_PALLET = 8


@dataclass
class Stock:
    """Lots on hand per item: (lot number, quantity left), oldest first (FIFO)."""

    lots: dict[str, list[list[Any]]] = field(default_factory=dict)

    def add(self, item: str, lot: str, qty: float) -> None:
        self.lots.setdefault(item, []).append([lot, qty])

    def take(self, item: str, qty: float) -> list[tuple[str, float]]:
        """FIFO consumption, possibly across several lots of the material."""
        taken: list[tuple[str, float]] = []
        need = qty
        for entry in self.lots.get(item, []):
            if need <= 1e-9:
                break
            use = min(entry[1], need)
            if use > 0:
                taken.append((entry[0], round(use, 3)))
                entry[1] -= use
                need -= use
        return taken


@dataclass
class Plant:
    session: Session
    actor: Actor
    site: str
    rng: random.Random
    stock: Stock = field(default_factory=Stock)
    serial_no: int = 0
    case_no: int = 0
    units: dict[str, list[str]] = field(default_factory=dict)
    made: dict[str, tuple[str, str, dt.datetime]] = field(
        default_factory=dict
    )  # serial: item, lot, t

    def wo(self, day: int, n: int) -> str:
        return f"WO-{self.site}-{day:02d}{n:02d}"


def _days(today: dt.date) -> Iterator[tuple[int, dt.datetime]]:
    start = dt.datetime.combine(today - dt.timedelta(days=DAYS), dt.time(6), dt.UTC)
    for day in range(DAYS):
        yield day, start + dt.timedelta(days=day)


def _receive(p: Plant, day: int, t: dt.datetime) -> None:
    suppliers = [s[0] for s in data.SUPPLIERS[p.site] if s[3] != "disqualified"]
    for i, (code, _name, unit) in enumerate(data.MATERIALS[p.site]):
        if day and (day + i) % 7:
            continue
        qty = 1500.0 if unit == "kg" else 5000.0
        lot = f"{code[2:]}-{t:%y%m%d}"
        prod.receive(p.session, p.actor, ReceiveIn(
            site=p.site, supplier=suppliers[i % len(suppliers)], item=code,
            supplier_lot=f"SL{p.rng.randint(10000, 99999)}", lot=lot, quantity=qty,
            po=f"PO-{t:%y%m%d}-{i}", time=t,
        ))  # fmt: skip
        p.stock.add(code, lot, qty)


def _make(p: Plant, day: int, t: dt.datetime, n: int, code: str, bom: list[tuple[str, float]],
          qty: int, serialise: bool) -> str | None:  # fmt: skip
    inputs: list[LotQty] = []
    for comp, per in bom:
        for lot, used in p.stock.take(comp, per * qty):
            inputs.append(LotQty(item=comp, lot=lot, quantity=used))
    if not inputs:
        return None
    wo = p.wo(day, n)
    station = _station(p.site, n)
    prod.issue(p.session, p.actor, IssueIn(
        site=p.site, station=station, work_order=wo, inputs=inputs, time=t))  # fmt: skip
    lot = f"{code[2:5]}{t:%y%m%d}{n}"
    serials: list[str] = []
    if serialise:
        serials = [f"{code[2:5]}{p.serial_no + k:07d}" for k in range(qty)]
        p.serial_no += qty
        p.units.setdefault(code, []).extend(serials)
        p.made.update((s, (code, lot, t + dt.timedelta(minutes=45))) for s in serials)
    prod.output(p.session, p.actor, OutputIn(
        site=p.site, station=station, work_order=wo, item=code, lot=lot, quantity=qty,
        serials=serials, time=t + dt.timedelta(minutes=45),
    ))  # fmt: skip
    p.stock.add(code, lot, qty)
    return lot


def _station(site: str, n: int) -> str:
    lines = [line for s in data.SITES if s[0] == site for line in s[2]]
    return lines[n % len(lines)][2]


def _pack_and_ship(p: Plant, code: str, t: dt.datetime, customers: list[str]) -> None:
    units = p.units.get(code, [])
    if len(units) < UNITS_PER_CASE * CASES_PER_PALLET:
        return
    batch, p.units[code] = units[: UNITS_PER_CASE * CASES_PER_PALLET], units[
        UNITS_PER_CASE * CASES_PER_PALLET :]  # fmt: skip
    cases = []
    for c in range(CASES_PER_PALLET):
        p.case_no += 1
        case = f"CS-{p.site}-{p.case_no:06d}"
        kids = [
            ObjRef(item=code, serial=s)
            for s in batch[c * UNITS_PER_CASE : (c + 1) * UNITS_PER_CASE]
        ]
        prod.pack(p.session, p.actor, PackIn(site=p.site, container=case, children=kids, time=t))
        cases.append(ObjRef(container=case))
    pallet = f"PL-{p.site}-{p.case_no:06d}"
    packed = t + dt.timedelta(minutes=30)
    prod.pack(
        p.session, p.actor, PackIn(site=p.site, container=pallet, children=cases, time=packed)
    )
    prod.ship(p.session, p.actor, ShipIn(
        site=p.site, objects=[ObjRef(container=pallet)], customer=p.rng.choice(customers),
        despatch_advice=f"DA-{pallet}", time=t + dt.timedelta(hours=4),
    ))  # fmt: skip


def _site_run(p: Plant, today: dt.date) -> None:
    products = data.PRODUCTS[p.site]
    customers = [c[0] for c in data.CUSTOMERS[p.site]]
    finished = {code for code, _, _ in products[3:]}
    for day, t in _days(today):
        _receive(p, day, t)
        if day < 2:
            continue
        for n, (code, _name, bom) in enumerate(products):
            if day > 3 and (day + n) % 3 and code not in finished:
                continue
            qty = 12 * p.rng.randint(2, 4) if code in finished else 240
            lot = _make(p, day, t + dt.timedelta(hours=n), n, code, bom, qty, code in finished)
            if lot and day % 9 == 5 and n == 0:
                prod.rework(p.session, p.actor, ReworkIn(
                    site=p.site, work_order=p.wo(day, n), item=code, lot=lot, quantity=12,
                    time=t + dt.timedelta(hours=n + 8),
                ))  # fmt: skip
        for code in finished:
            _pack_and_ship(p, code, t + dt.timedelta(hours=14), customers)


def _transfer(suz: Plant, today: dt.date) -> None:
    """One pallet of SUZ pump housings to Stuttgart, relabelled there under an STR lot."""
    lots = [entry for entry in suz.stock.lots.get("P-HSG-100", []) if entry[1] >= 24]
    if not lots:
        return
    lot, _ = lots[-1]
    t = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9), dt.UTC)
    prod.ship(suz.session, suz.actor, ShipIn(
        site="SUZ", objects=[ObjRef(item="P-HSG-100", lot=lot, quantity=24)], to_site="STR",
        despatch_advice="DA-SUZ-STR-001", time=t,
    ))  # fmt: skip
    prod.receive_transfer(suz.session, suz.actor, TransferReceiveIn(
        site="STR", from_site="SUZ", objects=[ObjRef(id=_lot_id(suz.session, "P-HSG-100", lot))],
        relabel_to=[LotQty(item="T-HSG-100", lot=f"STR-{lot}", quantity=24)],
        time=t + dt.timedelta(days=1),
    ))  # fmt: skip


def _lot_id(session: Session, item_code: str, lot: str) -> str:
    from qualitas.trace import keys

    item = session.scalars(select(Item).where(Item.code == item_code)).first()
    assert item is not None
    return keys.lot_key(item.code, lot, item.gtin)


def _readings(session: Session, plants: list[Plant]) -> None:
    """Process readings of finished units (every tenth unit), for device history records."""
    rows: list[dict[str, Any]] = []
    rng = random.Random(7)
    for p in plants:
        serials = sorted(p.made.items())[::10][:120]
        for serial, (code, lot, t) in serials:
            for ch in _variables(session, code):
                centre = ch.nominal if ch.nominal is not None else (ch.usl or 1) * 0.5
                spread = ((ch.usl or centre * 1.1) - (ch.lsl or centre * 0.9)) / 8
                rows.append({
                    "characteristic_id": ch.id, "site_id": ch.site_id,
                    "value": round(rng.gauss(centre, abs(spread) or 0.01), 5),
                    "source_ts": t, "ingest_ts": t, "source_id": "demo-trace", "seq": len(rows),
                    "lot": lot, "unit": serial, "station_id": None, "subgroup": None,
                    "gauge_id": None,
                })  # fmt: skip
    if rows:
        storage.insert(session, rows)


def _variables(session: Session, code: str) -> list[Characteristic]:
    return list(
        session.scalars(
            select(Characteristic)
            .join(Item, Item.id == Characteristic.item_id)
            .where(Item.code == code, Characteristic.kind == "variable")
        )
    )


def load_trace(session: Session, actor: Actor, today: dt.date) -> None:
    plants = [Plant(session, actor, code, random.Random(seed)) for code, seed in SEEDS.items()]
    for p in plants:
        _site_run(p, today)
    _transfer(plants[0], today)
    _readings(session, plants)
