"""Keys of traceable identities: building them for native records, reading them back.

A key is the normalised identifier of an identity (``trace.epcis.normalise_id``): a GS1 Digital
Link URI on ``https://id.gs1.org/`` when the item has a GTIN or the identifier is a GS1 key, and a
``urn:qualitas:...`` URN for plant-internal identities without one.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from qualitas.trace.models import NodeKind

DL = "https://id.gs1.org/"
INTERNAL = "urn:qualitas:"
TRANSFORMATION = INTERNAL + "transformation:"
RELABELLING = "https://qualitas.dev/voc/BizStep-relabelling"

_DL_PATH = re.compile(
    r"^https://id\.gs1\.org/(?P<ai>\d{2,4})/(?P<value>[^/]+)(?P<rest>(/[^/]+/[^/]+)*)$"
)


def _enc(value: str) -> str:
    return quote(value, safe="")


def lot_key(item_code: str, lot: str, gtin: str | None = None) -> str:
    if gtin:
        return f"{DL}01/{gtin.zfill(14)}/10/{_enc(lot)}"
    return f"{INTERNAL}lot:{_enc(item_code)}:{_enc(lot)}"


def unit_key(item_code: str, serial: str, gtin: str | None = None) -> str:
    if gtin:
        return f"{DL}01/{gtin.zfill(14)}/21/{_enc(serial)}"
    return f"{INTERNAL}unit:{_enc(item_code)}:{_enc(serial)}"


def supplier_lot_key(supplier_code: str, item_code: str, lot: str) -> str:
    return f"{INTERNAL}supplier-lot:{_enc(supplier_code)}:{_enc(item_code)}:{_enc(lot)}"


def container_key(code: str) -> str:
    if code.isdigit() and len(code) == 18:
        return f"{DL}00/{code}"
    return f"{INTERNAL}container:{_enc(code)}"


def site_key(code: str) -> str:
    return f"{INTERNAL}site:{_enc(code)}"


def station_key(site_code: str, code: str) -> str:
    return f"{INTERNAL}station:{_enc(site_code)}:{_enc(code)}"


def party_key(role: str, code: str) -> str:
    return f"{INTERNAL}party:{role}:{_enc(code)}"


def transformation_key(ident: str) -> str:
    return TRANSFORMATION + ident


def work_order_id(site_code: str, work_order: str) -> str:
    return f"{INTERNAL}wo:{_enc(site_code)}:{_enc(work_order)}"


def describe(
    key: str, *, is_class: bool = False
) -> tuple[str, str, str | None, str | None, str | None]:
    """``(kind, label, product, lot, serial)`` read from a key."""
    if key.startswith(TRANSFORMATION):
        return NodeKind.TRANSFORMATION, key[len(TRANSFORMATION) :], None, None, None
    if key.startswith(DL):
        return _describe_dl(key, is_class)
    if key.startswith(INTERNAL):
        return _describe_internal(key, is_class)
    label = key.rsplit(":", 1)[-1].rsplit("/", 1)[-1] or key
    return (NodeKind.LOT if is_class else NodeKind.UNIT), unquote(label), None, None, None


def _describe_dl(key: str, is_class: bool) -> tuple[str, str, str | None, str | None, str | None]:
    m = _DL_PATH.match(key)
    if not m:
        return (NodeKind.LOT if is_class else NodeKind.UNIT), key, None, None, None
    ai, value = m["ai"], unquote(m["value"])
    qualifiers = m["rest"].strip("/").split("/") if m["rest"] else []
    pairs = dict(zip(qualifiers[::2], (unquote(q) for q in qualifiers[1::2]), strict=False))
    if ai == "01":
        if "21" in pairs:
            return NodeKind.UNIT, pairs["21"], value, pairs.get("10"), pairs["21"]
        if "10" in pairs:
            return NodeKind.LOT, pairs["10"], value, pairs["10"], None
        return NodeKind.LOT, value, value, None, None
    if ai in ("00", "8003"):
        return NodeKind.CONTAINER, value, None, None, None
    if ai == "414":
        return (
            NodeKind.LOCATION,
            value + (f"/{pairs['254']}" if "254" in pairs else ""),
            None,
            None,
            None,
        )
    if ai == "417":
        return NodeKind.CUSTOMER, value, None, None, None
    return NodeKind.UNIT, value, None, None, value


def _describe_internal(
    key: str, is_class: bool
) -> tuple[str, str, str | None, str | None, str | None]:
    parts = [unquote(p) for p in key[len(INTERNAL) :].split(":")]
    head = parts[0]
    if head == "lot" and len(parts) == 3:
        return NodeKind.LOT, parts[2], parts[1], parts[2], None
    if head == "unit" and len(parts) == 3:
        return NodeKind.UNIT, parts[2], parts[1], None, parts[2]
    if head == "supplier-lot" and len(parts) == 4:
        return NodeKind.LOT, parts[3], parts[2], parts[3], None
    if head == "container":
        return NodeKind.CONTAINER, parts[-1], None, None, None
    if head == "site":
        return NodeKind.LOCATION, parts[-1], None, None, None
    if head == "party":
        kind = NodeKind.CUSTOMER if parts[1] == "customer" else NodeKind.LOCATION
        return kind, parts[-1], None, None, None
    return (NodeKind.LOT if is_class else NodeKind.UNIT), parts[-1], None, None, None
