"""Native production events: what the plant does, recorded as EPCIS 2.0 events.

Receiving, issuing to work orders, output, split and merge, rework, packing and unpacking,
shipping and receiving transfers each become one or two standard events (CBV 2.0 business steps),
stored through the same path as captured documents, so one model serves both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.errors import FieldError, ValidationFailed
from qualitas.ledger import service as ledger
from qualitas.plant.models import Customer, Item, Level, PlantNode, Supplier
from qualitas.trace import keys
from qualitas.trace.capture import Stored, store_events
from qualitas.trace.models import Origin
from qualitas.trace.schemas import (
    IssueIn,
    LotQty,
    ObjRef,
    OutputIn,
    PackIn,
    ReceiveIn,
    ReworkIn,
    ShipIn,
    SplitIn,
    TransferReceiveIn,
)

COUNT_UNITS = {"pcs", "ea", "pc", "each", "unit", "units"}


class Context:
    """Resolves codes of one site (site, items, suppliers, customers) for one action."""

    def __init__(self, session: Session, site_code: str, station: str | None = None) -> None:
        self.session = session
        self.site = self._site(site_code, "site")
        self._items: dict[str, Item] = {}
        self.read_point = keys.site_key(self.site.code)
        if station is not None:
            node = session.scalars(
                select(PlantNode).where(
                    PlantNode.site_id == self.site.id, PlantNode.code == station
                )
            ).first()
            if node is None:
                raise _bad("station", f"no line, cell or station {station!r} at {self.site.code}")
            self.read_point = keys.station_key(self.site.code, station)

    def _site(self, code: str, field: str) -> PlantNode:
        node = self.session.scalar(
            select(PlantNode).where(PlantNode.level == Level.SITE, PlantNode.code == code)
        )
        if node is None:
            raise _bad(field, f"no site {code!r}")
        return node

    def other_site(self, code: str, field: str) -> PlantNode:
        return self._site(code, field)

    def item(self, code: str, field: str = "item") -> Item:
        if code not in self._items:
            item = self.session.scalar(
                select(Item).where(Item.site_id == self.site.id, Item.code == code)
            )
            if item is None:
                raise _bad(field, f"no item {code!r} at site {self.site.code}")
            self._items[code] = item
        return self._items[code]

    def lot_key(self, item_code: str, lot: str, field: str = "item") -> str:
        item = self.item(item_code, field)
        return keys.lot_key(item.code, lot, item.gtin)

    def obj_key(self, ref: ObjRef, field: str) -> str:
        from qualitas.trace import epcis

        if ref.id is not None:
            try:
                return epcis.normalise_id(ref.id)
            except ValueError as exc:
                raise _bad(f"{field}.id", str(exc)) from exc
        if ref.container is not None:
            return keys.container_key(ref.container)
        assert ref.item is not None
        item = self.item(ref.item, f"{field}.item")
        if ref.serial is not None:
            return keys.unit_key(item.code, ref.serial, item.gtin)
        assert ref.lot is not None
        return keys.lot_key(item.code, ref.lot, item.gtin)

    def uom(self, item_code: str | None, given: str | None) -> str | None:
        if given:
            return given
        if item_code is None:
            return None
        unit = self.item(item_code).unit
        return None if unit.lower() in COUNT_UNITS else unit


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(field, "invalid", message)], code="invalid")


def _when(t: dt.datetime | None) -> dt.datetime:
    if t is None:
        return dt.datetime.now(dt.UTC)
    if t.tzinfo is None:
        raise _bad("time", "a time-zone offset is required")
    return t


def _event(kind: str, t: dt.datetime, ctx: Context, step: str, **fields: Any) -> dict[str, Any]:
    offset = t.strftime("%z")
    ev: dict[str, Any] = {
        "type": kind,
        "eventTime": t.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "eventTimeZoneOffset": f"{offset[:3]}:{offset[3:]}" if offset else "+00:00",
        "bizStep": step,
        "readPoint": {"id": ctx.read_point},
        "bizLocation": {"id": keys.site_key(ctx.site.code)},
    }
    ev.update({k: v for k, v in fields.items() if v not in (None, [], {})})
    return ev


def _qty(key: str, quantity: float, uom: str | None) -> dict[str, Any]:
    q: dict[str, Any] = {"epcClass": key, "quantity": quantity}
    if uom:
        q["uom"] = uom
    return q


def _lots(ctx: Context, lots: Sequence[LotQty], field: str) -> list[dict[str, Any]]:
    return [
        _qty(ctx.lot_key(x.item, x.lot, f"{field}.{i}.item"), x.quantity, ctx.uom(x.item, x.uom))
        for i, x in enumerate(lots)
    ]


def _record(
    session: Session, actor: ledger.Actor, ctx: Context, action: str, events: list[dict[str, Any]]
) -> Stored:
    stored = store_events(
        session, events, origin=Origin.NATIVE, site_id=ctx.site.id, recorded_by=actor.name
    )
    ledger.append(
        session, actor, ledger.AuditAction.CAPTURE, "trace_event", action,
        site_id=ctx.site.id, after={"action": action, "events": stored.hash_ids},
    )  # fmt: skip
    return stored


def receive(session: Session, actor: ledger.Actor, body: ReceiveIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    supplier = session.scalar(
        select(Supplier).where(Supplier.site_id == ctx.site.id, Supplier.code == body.supplier)
    )
    if supplier is None:
        raise _bad("supplier", f"no supplier {body.supplier!r} at site {ctx.site.code}")
    t, uom = _when(body.time), ctx.uom(body.item, body.uom)
    lot = ctx.lot_key(body.item, body.lot)
    slot = keys.supplier_lot_key(supplier.code, body.item, body.supplier_lot)
    party = keys.party_key("supplier", supplier.code)
    po = [{"type": "po", "bizTransaction": f"urn:qualitas:po:{body.po}"}] if body.po else []
    receipt = _event(
        "ObjectEvent", t, ctx, "receiving", action="ADD", disposition="in_progress",
        quantityList=[_qty(lot, body.quantity, uom)], bizTransactionList=po,
        sourceList=[{"type": "owning_party", "source": party}],
    )  # fmt: skip
    mapping = _event(
        "TransformationEvent", t, ctx, keys.RELABELLING,
        inputQuantityList=[_qty(slot, body.quantity, uom)],
        outputQuantityList=[_qty(lot, body.quantity, uom)],
    )  # fmt: skip
    return _record(session, actor, ctx, "receive", [receipt, mapping])


def issue(session: Session, actor: ledger.Actor, body: IssueIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    ev = _event(
        "TransformationEvent", _when(body.time), ctx, "assembling",
        transformationID=keys.work_order_id(ctx.site.code, body.work_order),
        inputQuantityList=_lots(ctx, body.inputs, "inputs"),
        bizTransactionList=[_prodorder(ctx, body.work_order)],
    )  # fmt: skip
    return _record(session, actor, ctx, "issue", [ev])


def _prodorder(ctx: Context, work_order: str) -> dict[str, str]:
    return {"type": "prodorder", "bizTransaction": keys.work_order_id(ctx.site.code, work_order)}


def output(session: Session, actor: ledger.Actor, body: OutputIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    item = ctx.item(body.item)
    if len(set(body.serials)) != len(body.serials):
        raise _bad("serials", "a serial number is listed twice")
    lot = ctx.lot_key(body.item, body.lot)
    ev = _event(
        "TransformationEvent", _when(body.time), ctx, "commissioning",
        transformationID=keys.work_order_id(ctx.site.code, body.work_order),
        outputQuantityList=[_qty(lot, body.quantity, ctx.uom(body.item, body.uom))],
        outputEPCList=[keys.unit_key(item.code, s, item.gtin) for s in body.serials],
        bizTransactionList=[_prodorder(ctx, body.work_order)],
        ilmd={"cbvmda:lotNumber": body.lot} if body.serials else None,
    )  # fmt: skip
    return _record(session, actor, ctx, "output", [ev])


def split(session: Session, actor: ledger.Actor, body: SplitIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    step = "repackaging"
    ev = _event(
        "TransformationEvent", _when(body.time), ctx, step,
        inputQuantityList=_lots(ctx, body.inputs, "inputs"),
        outputQuantityList=_lots(ctx, body.outputs, "outputs"),
    )  # fmt: skip
    return _record(session, actor, ctx, "split" if len(body.outputs) > 1 else "merge", [ev])


def rework(session: Session, actor: ledger.Actor, body: ReworkIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    lot = ctx.lot_key(body.item, body.lot)
    q = [_qty(lot, body.quantity, ctx.uom(body.item, body.uom))]
    ev = _event(
        "TransformationEvent", _when(body.time), ctx, "repairing",
        transformationID=keys.work_order_id(ctx.site.code, body.work_order) + ":rework",
        inputQuantityList=q, outputQuantityList=q,
        bizTransactionList=[_prodorder(ctx, body.work_order)],
    )  # fmt: skip
    return _record(session, actor, ctx, "rework", [ev])


def _split_refs(ctx: Context, refs: Sequence[ObjRef], field: str) -> tuple[list[str], list[Any]]:
    epcs: list[str] = []
    classes: list[dict[str, Any]] = []
    for i, ref in enumerate(refs):
        key = ctx.obj_key(ref, f"{field}.{i}")
        if ref.lot is not None:
            classes.append(_qty(key, ref.quantity or 1, ctx.uom(ref.item, ref.uom)))
        else:
            epcs.append(key)
    return epcs, classes


def pack(session: Session, actor: ledger.Actor, body: PackIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    if not body.unpack and not body.children:
        raise _bad("children", "name at least one unit or container to pack")
    epcs, classes = _split_refs(ctx, body.children, "children")
    ev = _event(
        "AggregationEvent", _when(body.time), ctx, "unpacking" if body.unpack else "packing",
        action="DELETE" if body.unpack else "ADD", parentID=keys.container_key(body.container),
        childEPCs=epcs, childQuantityList=classes,
    )  # fmt: skip
    return _record(session, actor, ctx, "unpack" if body.unpack else "pack", [ev])


def ship(session: Session, actor: ledger.Actor, body: ShipIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    if body.customer is not None:
        cust = session.scalar(
            select(Customer).where(Customer.site_id == ctx.site.id, Customer.code == body.customer)
        )
        if cust is None:
            raise _bad("customer", f"no customer {body.customer!r} at site {ctx.site.code}")
        dest = [{"type": "owning_party", "destination": keys.party_key("customer", cust.code)}]
    else:
        assert body.to_site is not None
        other = ctx.other_site(body.to_site, "to_site")
        dest = [{"type": "location", "destination": keys.site_key(other.code)}]
    epcs, classes = _split_refs(ctx, body.objects, "objects")
    desadv = (
        [{"type": "desadv", "bizTransaction": f"urn:qualitas:desadv:{body.despatch_advice}"}]
        if body.despatch_advice
        else []
    )
    ev = _event(
        "ObjectEvent", _when(body.time), ctx, "shipping", action="OBSERVE",
        disposition="in_transit", epcList=epcs, quantityList=classes,
        destinationList=dest, bizTransactionList=desadv,
        sourceList=[{"type": "location", "source": keys.site_key(ctx.site.code)}],
    )  # fmt: skip
    return _record(session, actor, ctx, "ship", [ev])


def receive_transfer(session: Session, actor: ledger.Actor, body: TransferReceiveIn) -> Stored:
    ctx = Context(session, body.site, body.station)
    origin = ctx.other_site(body.from_site, "from_site")
    t = _when(body.time)
    epcs, classes = _split_refs(ctx, body.objects, "objects")
    events = [
        _event(
            "ObjectEvent",
            t,
            ctx,
            "receiving",
            action="OBSERVE",
            disposition="in_progress",
            epcList=epcs,
            quantityList=classes,
            sourceList=[{"type": "location", "source": keys.site_key(origin.code)}],
        )
    ]
    for i, (ref, new) in enumerate(zip(body.objects, body.relabel_to, strict=False)):
        old = ctx.obj_key(ref, f"objects.{i}")
        events.append(
            _event(
                "TransformationEvent",
                t,
                ctx,
                keys.RELABELLING,
                inputQuantityList=[_qty(old, new.quantity, ctx.uom(new.item, new.uom))],
                outputQuantityList=_lots(ctx, [new], f"relabel_to.{i}"),
            )
        )
    return _record(session, actor, ctx, "receive-transfer", events)
