"""Human names of traced identities: the item a lot or unit is of, the customer, the site.

Keys and products are identifiers (a GTIN, an item code, a party code); people read names. One
query per kind of master record for a whole answer, never one per hit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qualitas.plant.models import Customer, Item, Level, PlantNode
from qualitas.trace.keys import INTERNAL
from qualitas.trace.models import NodeKind

CHUNK = 2000


def product_names(session: Session, products: Iterable[str | None]) -> dict[str, str]:
    """Item name by GTIN or item code."""
    wanted = sorted({p for p in products if p})
    out: dict[str, str] = {}
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        rows = session.execute(
            select(Item.code, Item.gtin, Item.name).where(
                or_(Item.code.in_(chunk), Item.gtin.in_(chunk))
            )
        )
        for code, gtin, name in rows:
            out.setdefault(code, name)
            if gtin:
                out.setdefault(gtin, name)
    return out


def place_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """Customer or site name by node key (``urn:qualitas:party:customer:…``, ``…:site:…``)."""
    customers: dict[str, str] = {}
    sites: dict[str, str] = {}
    for key in keys:
        if key.startswith(INTERNAL + "party:customer:"):
            customers[key.rsplit(":", 1)[1]] = key
        elif key.startswith(INTERNAL + "site:"):
            sites[key.rsplit(":", 1)[1]] = key
    out: dict[str, str] = {}
    if customers:
        for code, name in session.execute(
            select(Customer.code, Customer.name).where(Customer.code.in_(list(customers)))
        ):
            out[customers[code]] = name
    if sites:
        stmt = select(PlantNode.code, PlantNode.name).where(
            PlantNode.level == Level.SITE, PlantNode.code.in_(list(sites))
        )
        for code, name in session.execute(stmt):
            out[sites[code]] = name
    return out


def names(
    session: Session, identities: Iterable[tuple[str, str, str | None]]
) -> dict[str, str]:
    """``key -> name`` for ``(key, kind, product)`` triples (absent where nothing is known)."""
    items = list(identities)
    products = product_names(session, (p for _, k, p in items if k != NodeKind.CUSTOMER))
    places = place_names(
        session, (key for key, k, _ in items if k in (NodeKind.CUSTOMER, NodeKind.LOCATION))
    )
    out: dict[str, str] = {}
    for key, kind, product in items:
        name = places.get(key) if kind in (NodeKind.CUSTOMER, NodeKind.LOCATION) else None
        if name is None and product:
            name = products.get(product)
        if name is not None:
            out[key] = name
    return out
