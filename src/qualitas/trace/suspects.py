"""Suspect sets of a recall or containment, resolved to lineage nodes.

A suspect set is one of: named lots/serials; a supplier lot; what a station made in a time window;
what a piece of equipment worked on in a window; or what was measured with a gauge found out of
tolerance since its last good calibration.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from qualitas.errors import FieldError, ValidationFailed
from qualitas.inspection.models import InspectionLot, InspectionResult
from qualitas.measure.models import Measurement
from qualitas.plant.models import Equipment, Gauge, Item, Level, PlantNode
from qualitas.trace import keys
from qualitas.trace.models import EventObject, Node, TraceEvent
from qualitas.trace.schemas import SuspectIn


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(field, "invalid", message)], code="invalid")


def resolve(session: Session, s: SuspectIn) -> tuple[list[Node], dt.datetime | None]:
    """The suspect nodes and the time from which they are suspect (None: from the start)."""
    from qualitas.trace import service

    if s.kind == "lots":
        return [service.resolve(session, i) for i in s.ids], s.since
    if s.kind == "supplier_lot":
        return _supplier_lot(session, s), s.since
    site = _site(session, s.site or "")
    if s.kind == "station_window":
        return _made_at(session, [keys.station_key(site.code, s.station or "")], s), s.since
    if s.kind == "equipment":
        eq = session.scalar(
            select(Equipment).where(Equipment.site_id == site.id, Equipment.code == s.equipment)
        )
        if eq is None:
            raise _bad("equipment", f"no equipment {s.equipment!r} at {site.code}")
        station = session.get(PlantNode, eq.node_id) if eq.node_id else None
        if station is None:
            raise _bad("equipment", f"{eq.code} is not placed at a line, cell or station")
        return _made_at(session, [keys.station_key(site.code, station.code)], s), s.since
    return _gauge(session, site, s)


def _site(session: Session, code: str) -> PlantNode:
    site = session.scalar(
        select(PlantNode).where(PlantNode.level == Level.SITE, PlantNode.code == code)
    )
    if site is None:
        raise _bad("site", f"no site {code!r}")
    return site


def _supplier_lot(session: Session, s: SuspectIn) -> list[Node]:
    prefix = keys.supplier_lot_key(s.supplier or "", s.item or "", "")
    if s.item is None:
        prefix = prefix.rsplit(":", 2)[0] + ":"
    found = list(
        session.scalars(select(Node).where(Node.key.startswith(prefix), Node.lot == s.supplier_lot))
    )
    if not found:
        raise _bad("supplier_lot", f"no lot {s.supplier_lot!r} of supplier {s.supplier} received")
    return found


def _made_at(session: Session, read_points: list[str], s: SuspectIn) -> list[Node]:
    """Objects made, packed or observed at the read points in the window."""
    rows = session.scalars(
        select(EventObject.key)
        .join(TraceEvent, TraceEvent.id == EventObject.event_pk)
        .where(
            TraceEvent.read_point.in_(read_points),
            TraceEvent.event_time >= s.since,
            TraceEvent.event_time < s.until,
            TraceEvent.declared_erroneous_at.is_(None),
            EventObject.role.in_(("output", "epc", "parent")),
        )
        .distinct()
    ).all()
    if not rows:
        raise _bad("since", "nothing was recorded at that station in this window")
    return list(session.scalars(select(Node).where(Node.key.in_(rows))))


def _gauge(
    session: Session, site: PlantNode, s: SuspectIn
) -> tuple[list[Node], dt.datetime | None]:
    gauge = session.scalar(select(Gauge).where(Gauge.site_id == site.id, Gauge.code == s.gauge))
    if gauge is None:
        raise _bad("gauge", f"no gauge {s.gauge!r} at {site.code}")
    since = s.since
    if since is None and gauge.last_calibrated_on is not None:
        since = dt.datetime.combine(gauge.last_calibrated_on, dt.time(), dt.UTC)
    lot_pairs = _gauge_lots(session, gauge.id, since)
    measured = session.execute(
        select(Measurement.lot, Measurement.unit)
        .where(
            Measurement.gauge_id == gauge.id,
            Measurement.source_ts >= (since or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),
            or_(Measurement.lot.is_not(None), Measurement.unit.is_not(None)),
        )
        .distinct()
    ).all()
    labels = {lot for lot, _ in measured if lot} | {u for _, u in measured if u}
    conds = [and_(Node.product == p, Node.lot == lot) for p, lot in lot_pairs]
    if labels:
        conds.append(or_(Node.lot.in_(labels), Node.serial.in_(labels)))
    found = list(session.scalars(select(Node).where(or_(*conds)))) if conds else []
    if not found:
        raise _bad("gauge", f"nothing traceable was checked with {gauge.code} since {since}")
    return found, since


def _gauge_lots(session: Session, gauge_id: int, since: dt.datetime | None) -> set[tuple[str, str]]:
    stmt = (
        select(Item.code, Item.gtin, InspectionLot.lot_number)
        .join(InspectionLot, InspectionLot.id == InspectionResult.lot_id)
        .join(Item, Item.id == InspectionLot.item_id)
        .where(InspectionResult.gauge_id == gauge_id)
    )
    if since is not None:
        stmt = stmt.where(InspectionResult.recorded_at >= since)
    out: set[tuple[str, str]] = set()
    for code, gtin, lot in session.execute(stmt.distinct()):
        out.add((gtin or code, lot))
    return out
