"""Device history record ("birth certificate") of one serial or lot, and its public view.

The public view (the page a GS1 Digital Link QR code opens) shows only the fields named in
``trace.public_fields``; never genealogy, suppliers, customers or operators.

Everything is read from records the plant already keeps: the lineage graph (backward trace for
components and supplier lots, forward trace for customers), the events that name the object or
its lot, measurements and inspection results, gauges with their calibration dates, SPC alarms
and holds. The calibration state of a gauge is judged at the time it was used, not today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.config import get_settings
from qualitas.errors import FieldError, ValidationFailed
from qualitas.trace import dhr_quality as quality
from qualitas.trace import document_lookup as facts
from qualitas.trace import service as trace_service
from qualitas.trace.dhr_quality import (
    DhrInspection,
    DhrInstrument,
    DhrNonconformance,
    DhrParameter,
    DhrResult,
)
from qualitas.trace.models import Node, NodeKind

STEP_CAP = 1000
__all__ = ["DhrInspection", "DhrInstrument", "DhrNonconformance", "DhrParameter", "DhrRead",
           "DhrResult", "build", "public_url"]  # fmt: skip


class DhrIdentity(BaseModel):
    key: str
    kind: str
    label: str
    item_code: str | None
    item_name: str | None
    gtin: str | None
    lot: str | None
    serial: str | None
    site: str | None
    site_name: str | None
    made_at: dt.datetime | None
    hold: str | None
    lots: list[str]
    digital_link: str | None


class DhrComponent(BaseModel):
    key: str
    kind: str
    label: str
    item_code: str | None
    item_name: str | None
    lot: str | None
    supplier: str | None
    supplier_name: str | None
    supplier_lot: str | None
    quantity: float | None
    uom: str | None
    depth: int
    path: list[str]


class DhrStep(BaseModel):
    time: dt.datetime
    site: str | None
    event_id: str
    type: str
    biz_step: str | None
    station: str | None
    station_name: str | None
    operator: str | None
    work_order: str | None
    inputs: list[str]
    outputs: list[str]


class DhrCustomer(BaseModel):
    key: str
    code: str
    name: str | None
    quantity: float | None
    uom: str | None
    shipped_at: dt.datetime | None
    path: list[str]


class DhrRead(BaseModel):
    """The device history record of one serial or lot."""

    identity: DhrIdentity
    genealogy: list[DhrComponent]
    steps: list[DhrStep]
    parameters: list[DhrParameter]
    inspections: list[DhrInspection]
    instruments: list[DhrInstrument]
    nonconformances: list[DhrNonconformance]
    customers: list[DhrCustomer]
    generated_at: dt.datetime


def build(session: Session, identifier: str) -> DhrRead:
    """The device history record of the serial or lot ``identifier`` (any identifier form)."""
    node = trace_service.resolve(session, identifier)
    if node.kind not in (NodeKind.LOT, NodeKind.UNIT):
        raise ValidationFailed(
            "A device history record is kept for a lot or a serial.",
            [FieldError("id", "invalid", f"{identifier!r} is a {node.kind}, not a lot or serial")],
        )
    ctx = facts.Context(session)
    lots = facts.lots_of(session, node)
    back = trace_service.trace(session, node.key, "backward")
    fwd = trace_service.trace(session, node.key, "forward", kinds=[NodeKind.CUSTOMER])
    genealogy = [_component(ctx, h, back.items) for h in back.items if h.kind == NodeKind.LOT]
    steps = _steps(ctx, [node, *lots], back.items + fwd.items)
    params = quality.parameters(ctx, node, lots)
    parts = [(c.item_code, c.label) for c in genealogy]
    inspections = quality.inspections(ctx, [node, *lots], parts)
    identity = _identity(ctx, node, lots)
    made = identity.made_at  # shown at the offset of the event that made it
    identity.made_at = next((s.time for s in steps if made and s.time == made), made)
    window = [p.time for p in params] + ([made] if made else [])
    return DhrRead(
        identity=identity,
        genealogy=genealogy,
        steps=steps,
        parameters=params,
        inspections=inspections,
        instruments=quality.gauges(ctx, params, inspections)
        + quality.equipment(ctx, [(s.site, s.station, s.time) for s in steps], params),
        nonconformances=quality.rejections(inspections)
        + quality.alarms(session, params, window)
        + quality.holds(session, [node, *lots]),
        customers=_customers(ctx, node, fwd),
        generated_at=dt.datetime.now(dt.UTC),
    )


def _identity(ctx: facts.Context, node: Node, lots: list[Node]) -> DhrIdentity:
    item = ctx.item(node.product, node.site_id)
    site = ctx.site(node.site_id)
    link = None
    if item is not None and item.gtin and node.kind == NodeKind.UNIT and node.serial:
        link = public_url(item.gtin, "21", node.serial)
    return DhrIdentity(
        key=node.key, kind=node.kind, label=node.label,
        item_code=item.code if item else node.product, item_name=item.name if item else None,
        gtin=item.gtin if item else None,
        lot=node.lot or next((n.lot for n in lots if n.lot), None),
        serial=node.serial, site=site.code if site else None,
        site_name=site.name if site else None, made_at=facts.ms_time(node.first_ms),
        hold=node.hold, lots=[n.key for n in lots], digital_link=link,
    )  # fmt: skip


def public_url(gtin: str, ai: Literal["10", "21"], value: str) -> str:
    """``{resolver_base}/01/{gtin14}/{ai}/{value}``: the GS1 Digital Link on the Qualitas host."""
    from urllib.parse import quote

    base = get_settings().trace.resolver_base.rstrip("/")
    return f"{base}/01/{gtin.zfill(14)}/{ai}/{quote(value, safe='')}"


def _component(ctx: facts.Context, h: trace_service.Hit, hits: list[Any]) -> DhrComponent:
    item = ctx.item(h.product, h.site_id)
    supplier = facts.supplier_of_key(h.key)
    slot = None
    if supplier is None:  # an internal lot: its supplier lot is the identity reached from it
        for other in hits:
            if other.parent == h.node and facts.supplier_of_key(other.key):
                supplier, slot = facts.supplier_of_key(other.key), other.label
                break
    else:
        slot = h.label
    name = ctx.supplier_name(supplier, h.site_id) if supplier else None
    return DhrComponent(
        key=h.key, kind=h.kind, label=h.label, item_code=item.code if item else h.product,
        item_name=item.name if item else None, lot=h.lot, supplier=supplier, supplier_name=name,
        supplier_lot=slot, quantity=h.quantity, uom=h.uom, depth=h.depth, path=h.path,
    )  # fmt: skip


def _steps(ctx: facts.Context, own: list[Node], hits: list[Any]) -> list[DhrStep]:
    """Events naming it or its lots, and the events on the paths to its components and to
    the customers it reached."""
    hashes = {p for h in hits for p in h.path}
    events = facts.events_naming(ctx.session, [n.key for n in own], hashes, STEP_CAP)
    objects = facts.objects_of(ctx.session, [e.id for e in events])
    attrs = facts.attrs_of(ctx.session, [e.id for e in events])
    out = []
    for e in events:
        station = facts.station_of(e.read_point)
        place = ctx.station(*station) if station else None
        named, extra = objects.get(e.id, []), attrs.get(e.id, [])
        wo = facts.reference(extra, ("prodorder",))
        dests = [ctx.place(a.value) or a.value for a in extra if a.kind == "destination"]
        out.append(DhrStep(
            time=facts.local_time(e.event_time, e.tz_offset), event_id=e.hash_id, type=e.type,
            biz_step=facts.step_code(e.biz_step),
            site=station[0] if station else facts.site_of(e.biz_location),
            station=station[1] if station else None,
            station_name=place.name if place else None, operator=e.recorded_by,
            work_order=wo[1] if wo else None, inputs=facts.shown(named, facts.FROM_ROLES),
            outputs=facts.shown(named, facts.TO_ROLES) + dests,
        ))  # fmt: skip
    return out


def _customers(ctx: facts.Context, node: Node, fwd: trace_service.TraceResult) -> list[DhrCustomer]:
    times = facts.event_times(ctx.session, {h.path[-1] for h in fwd.items if h.path})
    out = []
    for h in fwd.items:
        out.append(DhrCustomer(
            key=h.key, code=h.label, name=ctx.customer_name(h.label, node.site_id),
            quantity=h.quantity, uom=h.uom,
            shipped_at=times.get(h.path[-1]) if h.path else None, path=h.path,
        ))  # fmt: skip
    return out


# ---- the public page (no authentication): only the configured fields ------------------------

PUBLIC_FIELDS = ("product", "gtin", "lot", "serial", "made_at", "site", "status")


def public_view(
    session: Session, gtin: str, ai: Literal["10", "21"], value: str, lot: str | None = None
) -> dict[str, Any] | None:
    """The public fields of ``/01/{gtin}/{ai}/{value}``, or None when unknown (or no GTIN, or
    a serial whose lot is not ``lot`` when one is given)."""
    from qualitas.trace import epcis
    from qualitas.trace.document_labels import LABELS

    try:
        key = epcis.normalise_id(f"https://id.gs1.org/01/{gtin}/{ai}/{value}")
    except ValueError:
        return None
    node = session.scalar(select(Node).where(Node.key == key))
    if node is None or node.kind not in (NodeKind.LOT, NodeKind.UNIT):
        return None
    ctx = facts.Context(session)
    item = ctx.item(node.product, node.site_id)
    lots = facts.lots_of(session, node) if node.kind == NodeKind.UNIT else [node]
    site = ctx.site(node.site_id)
    own_lot = node.lot or (lots[0].lot if lots else None)
    if lot is not None and lot != own_lot:
        return None
    status = "hold." + (node.hold or "none")
    every: dict[str, Any] = {
        "product": item.name if item else node.product,
        "gtin": node.product,
        "lot": own_lot,
        "serial": node.serial,
        "made_at": facts.ms_time(node.first_ms),
        "site": site.name if site else None,
        "status": status if status in LABELS else "hold.other",
    }
    shown = [f for f in get_settings().trace.public_fields if f in PUBLIC_FIELDS]
    return {f: every[f] for f in shown if every[f] is not None}
