"""Reads shared by the traceability documents (device history record, FSMA 204 export).

Names of master records behind the codes that keys and events carry (items by code or GTIN,
sites, suppliers, customers, stations, gauges), cached for one document; the lot a serial was
made in; what a container held at a time; events, objects and attributes in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qualitas.plant.models import Customer, Equipment, Gauge, Item, Level, PlantNode, Supplier
from qualitas.trace import keys
from qualitas.trace.models import Edge, EdgeKind, EventAttr, EventObject, Node, NodeKind, TraceEvent

CHUNK = 500
CONTAINER_DEPTH = 6  # pallet > case > inner pack ...
OBJECTS_SHOWN = 6


def chunks(values: Iterable[object], size: int = CHUNK) -> Iterable[list[object]]:
    items = list(values)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def ms_time(ms: int | None) -> dt.datetime | None:
    return None if ms is None else dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def local_time(t: dt.datetime, offset: str | None) -> dt.datetime:
    """``t`` shown at the offset it was recorded with (``+01:00``)."""
    try:
        sign = -1 if (offset or "+00:00")[0] == "-" else 1
        hours, minutes = (int(x) for x in (offset or "+00:00")[1:].split(":"))
        return t.astimezone(dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)))
    except (ValueError, IndexError):
        return t.astimezone(dt.UTC)


def supplier_of_key(key: str) -> str | None:
    """The supplier code of a supplier-lot key, else None."""
    prefix = keys.INTERNAL + "supplier-lot:"
    return unquote(key[len(prefix) :].split(":", 1)[0]) if key.startswith(prefix) else None


def station_of(read_point: str | None) -> tuple[str, str] | None:
    """``(site code, station code)`` of a station read point key."""
    prefix = keys.INTERNAL + "station:"
    if not read_point or not read_point.startswith(prefix):
        return None
    site, _, code = read_point[len(prefix) :].partition(":")
    return unquote(site), unquote(code)


def site_of(location: str | None) -> str | None:
    """The site code of a site location key."""
    prefix = keys.INTERNAL + "site:"
    return unquote(location[len(prefix) :]) if location and location.startswith(prefix) else None


def party_of(key: str | None) -> tuple[str, str] | None:
    """``(role, code)`` of a party key (``urn:qualitas:party:customer:C-01``)."""
    prefix = keys.INTERNAL + "party:"
    if not key or not key.startswith(prefix):
        return None
    role, _, code = key[len(prefix) :].partition(":")
    return role, unquote(code)


class Context:
    """Master-data lookups for one document, each record read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._items: dict[tuple[str | None, int | None], Item | None] = {}
        self._rows: dict[tuple[object, object], object] = {}

    def _get(self, model: type, ident: object) -> object:
        if (model, ident) not in self._rows:
            self._rows[(model, ident)] = self.session.get(model, ident) if ident else None
        return self._rows[(model, ident)]

    def item(self, product: str | None, site_id: int | None = None) -> Item | None:
        """The item a node's ``product`` names: an item code, or a GTIN-14."""
        if not product:
            return None
        if (product, site_id) not in self._items:
            found = list(self.session.scalars(
                select(Item).where(or_(Item.code == product, Item.gtin == product)).limit(20)
            ))  # fmt: skip
            found.sort(key=lambda i: (i.site_id != site_id, i.gtin != product, i.id))
            self._items[(product, site_id)] = found[0] if found else None
        return self._items[(product, site_id)]

    def item_by_id(self, item_id: int | None) -> Item | None:
        found = self._get(Item, item_id)
        return found if isinstance(found, Item) else None

    def site(self, site_id: int | None) -> PlantNode | None:
        found = self._get(PlantNode, site_id)
        return found if isinstance(found, PlantNode) else None

    def site_by_code(self, code: str) -> PlantNode | None:
        if ("site", code) not in self._rows:
            self._rows[("site", code)] = self.session.scalar(
                select(PlantNode).where(PlantNode.level == Level.SITE, PlantNode.code == code)
            )
        found = self._rows[("site", code)]
        return found if isinstance(found, PlantNode) else None

    def node_name(self, node_id: int | None) -> str | None:
        found = self.site(node_id)
        return found.code if found else None

    def station(self, site_code: str, code: str) -> PlantNode | None:
        site = self.site_by_code(site_code)
        if site is None:
            return None
        if (site.id, code) not in self._rows:
            self._rows[(site.id, code)] = self.session.scalars(
                select(PlantNode).where(PlantNode.site_id == site.id, PlantNode.code == code)
            ).first()
        found = self._rows[(site.id, code)]
        return found if isinstance(found, PlantNode) else None

    def _named(
        self, model: type[Supplier] | type[Customer], code: str, site_id: int | None
    ) -> str | None:
        rows = list(self.session.execute(
            select(model.name, model.site_id).where(model.code == code).limit(20)
        ).all())  # fmt: skip
        rows.sort(key=lambda r: r[1] != site_id)
        return rows[0][0] if rows else None

    def supplier_name(self, code: str, site_id: int | None = None) -> str | None:
        if ("supplier", code) not in self._rows:
            self._rows[("supplier", code)] = self._named(Supplier, code, site_id)
        found = self._rows[("supplier", code)]
        return found if isinstance(found, str) else None

    def customer_name(self, code: str, site_id: int | None = None) -> str | None:
        if ("customer", code) not in self._rows:
            self._rows[("customer", code)] = self._named(Customer, code, site_id)
        found = self._rows[("customer", code)]
        return found if isinstance(found, str) else None

    def gauge_code(self, gauge_id: int | None) -> str | None:
        found = self._get(Gauge, gauge_id)
        return found.code if isinstance(found, Gauge) else None

    def gauge(self, code: str) -> Gauge | None:
        return self.session.scalars(select(Gauge).where(Gauge.code == code)).first()

    def place(self, key: str | None) -> str | None:
        """A readable name for a site, party or other location key."""
        if not key:
            return None
        party = party_of(key)
        if party is not None:
            role, code = party
            name = (self.customer_name if role == "customer" else self.supplier_name)(code)
            return f"{name} ({code})" if name else code
        if key.startswith(keys.INTERNAL + "site:"):
            site = self.site_by_code(unquote(key.rsplit(":", 1)[-1]))
            return f"{site.name} ({site.code})" if site else keys.describe(key)[1]
        return keys.describe(key)[1]


def equipment_under(session: Session, node_ids: set[int]) -> dict[int, list[Equipment]]:
    """Equipment placed at each plant node or below it (a line's stations), by node asked."""
    owner = {n: n for n in node_ids}
    frontier = set(node_ids)
    for _ in range(4):
        children = session.execute(
            select(PlantNode.id, PlantNode.parent_id).where(PlantNode.parent_id.in_(frontier))
        ).all()
        frontier = set()
        for child, parent in children:
            if child not in owner and parent is not None:
                owner[child] = owner[parent]
                frontier.add(child)
        if not frontier:
            break
    out: dict[int, list[Equipment]] = {}
    for eq in session.scalars(select(Equipment).where(Equipment.node_id.in_(list(owner)))):
        assert eq.node_id is not None
        out.setdefault(owner[eq.node_id], []).append(eq)
    return out


def lots_of(session: Session, node: Node) -> list[Node]:
    """The lot(s) a serial was made in (outputs of the same event, or commissioned from);
    a lot is its own lot."""
    if node.kind != NodeKind.UNIT:
        return [node] if node.kind == NodeKind.LOT else []
    return [n for n in unit_lots(session, [node.key]).get(node.key, [])]


def unit_lots(session: Session, unit_keys: Sequence[str]) -> dict[str, list[Node]]:
    """For each unit key, the lot nodes it belongs to."""
    pairs: set[tuple[str, str]] = set()
    for chunk in chunks(unit_keys):
        made = (
            select(EventObject.event_pk, EventObject.key)
            .where(EventObject.key.in_(chunk), EventObject.role == "output")
            .subquery()
        )
        pairs.update(session.execute(
            select(made.c.key, EventObject.key)
            .join(EventObject, EventObject.event_pk == made.c.event_pk)
            .where(EventObject.role == "output", EventObject.is_class.is_(True))
        ).all())  # fmt: skip
        unit = Node.__table__.alias("unit")
        lot = Node.__table__.alias("lot")
        pairs.update(session.execute(
            select(unit.c.key, lot.c.key)
            .join(Edge, Edge.dst == unit.c.id).join(lot, lot.c.id == Edge.src)
            .where(unit.c.key.in_(chunk), Edge.kind == EdgeKind.COMMISSION)
        ).all())  # fmt: skip
    lot_nodes = {n.key: n for c in chunks({b for _, b in pairs})
                 for n in session.scalars(select(Node).where(Node.key.in_(c)))}  # fmt: skip
    out: dict[str, list[Node]] = {}
    for unit_key, lot_key in sorted(pairs):
        if lot_key in lot_nodes and lot_nodes[lot_key].kind == NodeKind.LOT:
            out.setdefault(unit_key, []).append(lot_nodes[lot_key])
    return out


def contents_at(
    session: Session, container_keys: Sequence[str], at_ms: int
) -> list[tuple[Node, float | None]]:
    """Units and lots inside the containers at ``at_ms`` (nested containers opened), with the
    quantity packed (None for a unit)."""
    ids = list(session.scalars(select(Node.id).where(Node.key.in_(container_keys))))
    found: dict[int, float | None] = {}
    seen = set(ids)
    for _ in range(CONTAINER_DEPTH):
        if not ids:
            break
        kids = session.execute(
            select(Edge.src, Edge.src_qty).where(
                Edge.dst.in_(ids), Edge.kind == EdgeKind.CONTAIN, Edge.at_ms <= at_ms,
                or_(Edge.until_ms.is_(None), Edge.until_ms > at_ms),
            )
        ).all()  # fmt: skip
        ids = [k for k, _ in kids if k not in seen]
        seen.update(ids)
        found.update((k, q) for k, q in kids)
    nodes = [n for c in chunks(found) for n in session.scalars(select(Node).where(Node.id.in_(c)))]
    return [(n, found[n.id]) for n in nodes if n.kind in (NodeKind.UNIT, NodeKind.LOT)]


def events_naming(
    session: Session, object_keys: Sequence[str], hashes: set[str], cap: int
) -> list[TraceEvent]:
    """Valid events naming any of the keys, plus the events with these hash IDs, by time."""
    pks: set[int] = set()
    for chunk in chunks(object_keys):
        pks.update(session.scalars(select(EventObject.event_pk).where(EventObject.key.in_(chunk))))
    for chunk in chunks(hashes):
        pks.update(session.scalars(select(TraceEvent.id).where(TraceEvent.hash_id.in_(chunk))))
    events: list[TraceEvent] = []
    for chunk in chunks(pks):
        events.extend(session.scalars(select(TraceEvent).where(
            TraceEvent.id.in_(chunk), TraceEvent.declared_erroneous_at.is_(None))))  # fmt: skip
    events.sort(key=lambda e: (e.event_time, e.id))
    return events[:cap]


def objects_of(session: Session, pks: Iterable[int]) -> dict[int, list[EventObject]]:
    out: dict[int, list[EventObject]] = {}
    for chunk in chunks(pks):
        for o in session.scalars(
            select(EventObject).where(EventObject.event_pk.in_(chunk)).order_by(EventObject.id)
        ):
            out.setdefault(o.event_pk, []).append(o)
    return out


def attrs_of(session: Session, pks: Iterable[int]) -> dict[int, list[EventAttr]]:
    out: dict[int, list[EventAttr]] = {}
    for chunk in chunks(pks):
        for a in session.scalars(select(EventAttr).where(EventAttr.event_pk.in_(chunk))):
            out.setdefault(a.event_pk, []).append(a)
    return out


def event_times(session: Session, hashes: set[str]) -> dict[str, dt.datetime]:
    out: dict[str, dt.datetime] = {}
    for chunk in chunks(hashes):
        out.update(session.execute(
            select(TraceEvent.hash_id, TraceEvent.event_time).where(TraceEvent.hash_id.in_(chunk))
        ).all())  # fmt: skip
    return out


def reference(attrs: list[EventAttr], kinds: Sequence[str]) -> tuple[str, str] | None:
    """``(type, number)`` of the first business transaction of a preferred type."""
    for kind in kinds:
        for a in attrs:
            if a.kind == "bizTransaction" and (a.type or "").endswith(kind):
                return kind, transaction_number(a.value)
    return None


def transaction_number(value: str) -> str:
    """``WO-1`` from ``urn:qualitas:wo:SUZ:WO-1``; other identifiers as given."""
    if value.startswith(keys.INTERNAL):
        return unquote(value.rsplit(":", 1)[-1])
    return value


def step_code(step: str | None) -> str | None:
    if step == keys.RELABELLING:
        return "relabelling"
    return step.rsplit("BizStep-", 1)[-1] if step else None


FROM_ROLES = ("input", "child", "epc")
TO_ROLES = ("output", "parent")


def shown(objects: list[Any], roles: Sequence[str]) -> list[str]:
    """``["AL-1 20 kg", "OR-7 80", "+12"]``: the first objects of these roles, then a count."""
    named = [o for o in objects if o.role in roles]
    out = [
        keys.describe(o.key)[1] + (f" {o.quantity:g}" if o.quantity is not None else "")
        + (f" {o.uom}" if o.uom else "")
        for o in named[:OBJECTS_SHOWN]
    ]  # fmt: skip
    if len(named) > OBJECTS_SHOWN:
        out.append(f"+{len(named) - OBJECTS_SHOWN}")
    return out
