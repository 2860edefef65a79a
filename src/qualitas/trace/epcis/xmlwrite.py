"""Writing events (JSON-LD-shaped dicts) as an EPCIS 2.0 XML document valid against the XSD.

Standard fields are written in schema order with vocabulary values as the URNs EPCIS XML uses
(bare ``shipping`` -> ``urn:epcglobal:cbv:bizstep:shipping``); sensor measurement types and alert
types as ``gs1:`` CURIEs, components as CBV Web URIs. Extension values follow the reader's
convention in reverse; JSON numbers and booleans get an ``xsi:type`` so that they read back typed.
Unprefixed extra keys of readPoint, bizLocation, ILMD, sensor elements and error declarations go
into their ``extension`` element (the schema's local extension point). JSON-LD node identifiers
(``id``) have no XML form and are not written.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from lxml import etree

from qualitas.trace.epcis.context import prefixes_of, split_key
from qualitas.trace.epcis.model import (
    COMMON_FIELDS,
    EPC_LISTS,
    EPCIS_NS,
    EPCIS_QUERY_NS,
    EVENT_FIELDS,
    JSONLD_KEYS,
    QUANTITY_LISTS,
    SENSOR_METADATA_FIELDS,
    SENSOR_REPORT_FIELDS,
    SOURCE_DEST,
    STANDARD_PREFIXES,
)
from qualitas.trace.epcis.timeutil import now_utc
from qualitas.trace.epcis.vocab import cbv_uri, normalise_vocab
from qualitas.trace.epcis.xmlevent import XSD, XSI

__all__ = ["to_xml_document"]

# XML namespaces of the standard JSON-LD prefixes where XML convention differs
_XML_NAMESPACES = {"cbvmda": "urn:epcglobal:cbv:mda"}
_VOCAB_FIELDS = {"bizStep": "bizStep", "disposition": "disposition"}
_RESERVED = frozenset({"xsd", "xsi"})  # bound at the root for xsi:type values


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "@context":
                yield k[1:] if k.startswith("@") else k
                yield from _keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return "" if value is None else str(value)


def _sensor_value(key: str, value: Any) -> str:
    if key in ("type", "exception") and isinstance(value, str):
        kind = "sensorMeasurementType" if key == "type" else "sensorAlertType"
        word = normalise_vocab(kind, value)
        return f"gs1:{word}" if word != value.strip() or ":" not in value else value
    if key == "component" and isinstance(value, str):
        return cbv_uri("component", value)
    return _text(value)


class _Writer:
    """Writes one document; resolves prefixes per event."""

    def __init__(self, context: Any) -> None:
        self.doc_prefixes = {**prefixes_of(context)}

    def namespaces(self, event: dict[str, Any]) -> dict[str, str]:
        """``prefix -> namespace`` of every prefix the event's keys use (``xsd``/``xsi`` kept)."""
        known = {**self.doc_prefixes, **prefixes_of(event.get("@context"))}
        used: dict[str, str] = {}
        for key in _keys(event):
            parts = split_key(key)
            if parts is None or parts[0] in used or parts[0] in _RESERVED:
                continue
            prefix = parts[0]
            used[prefix] = (
                known.get(prefix)
                or _XML_NAMESPACES.get(prefix)
                or STANDARD_PREFIXES.get(prefix)
                or prefix + ":"
            )
        return used

    def qname(self, key: str, nsmap: dict[str, str]) -> str:
        parts = split_key(key)
        if parts is None:
            return key
        prefix, local = parts
        ns = nsmap.get(prefix) or _XML_NAMESPACES.get(prefix) or STANDARD_PREFIXES.get(prefix)
        return f"{{{ns or prefix + ':'}}}{local}"

    # -- extension values ------------------------------------------------------------------

    def value(self, parent: Any, key: str, value: Any, nsmap: dict[str, str]) -> None:
        if isinstance(value, list):
            for item in value:
                self.value(parent, key, item, nsmap)
            return
        el = etree.SubElement(parent, self.qname(key, nsmap))
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "#text":
                    el.text = _text(v)
                elif k.startswith("@"):
                    el.set(self.qname(k[1:], nsmap), _text(v))
                else:
                    self.value(el, k, v, nsmap)
            return
        if value is None:
            el.set(f"{{{XSI}}}nil", "true")
            return
        if isinstance(value, bool | int | float):
            typ = "boolean" if isinstance(value, bool) else "integer"
            el.set(f"{{{XSI}}}type", f"xsd:{'double' if isinstance(value, float) else typ}")
        el.text = _text(value)

    def extensions(self, el: Any, container: dict[str, Any], standard: Any, ns: Any) -> None:
        """Extra keys of a standard container: unprefixed ones in its ``<extension>`` wrapper
        (the schema's ``##local`` extension point), prefixed ones after it (``##other``)."""
        extra = [(k, v) for k, v in container.items() if k not in standard and k[:1] != "@"]
        local = [(k, v) for k, v in extra if split_key(k) is None]
        if local:
            wrapper = etree.SubElement(el, "extension")
            for key, v in local:
                self.value(wrapper, key, v, ns)
        for key, v in extra:
            if split_key(key) is not None:
                self.value(el, key, v, ns)

    # -- standard fields -------------------------------------------------------------------

    def simple(self, parent: Any, name: str, value: Any) -> Any:
        el = etree.SubElement(parent, name)
        el.text = _text(value)
        return el

    def quantities(self, parent: Any, name: str, items: list[dict[str, Any]]) -> None:
        lst = etree.SubElement(parent, name)
        for q in items:
            el = etree.SubElement(lst, "quantityElement")
            self.simple(el, "epcClass", q.get("epcClass"))
            if q.get("quantity") is not None:
                self.simple(el, "quantity", q["quantity"])
            elif q.get("uom") is not None:
                etree.SubElement(el, "quantity").set(f"{{{XSI}}}nil", "true")
            if q.get("uom") is not None:
                self.simple(el, "uom", q["uom"])

    def typed(self, parent: Any, name: str, items: list[dict[str, Any]]) -> None:
        item = SOURCE_DEST.get(name, "bizTransaction")
        kind = "sourceDestType" if name in SOURCE_DEST else "bizTransactionType"
        lst = etree.SubElement(parent, name)
        for t in items:
            el = self.simple(lst, item, t.get(item))
            if t.get("type") is not None:
                el.set("type", cbv_uri(kind, t["type"]))

    def sensor_element(self, parent: Any, element: dict[str, Any], ns: Any) -> None:
        el = etree.SubElement(parent, "sensorElement")
        parts: list[tuple[str, Any, tuple[str, ...]]] = [
            ("sensorMetadata", element.get("sensorMetadata"), SENSOR_METADATA_FIELDS)
        ]
        reports = element.get("sensorReport", [])
        parts += [("sensorReport", r, SENSOR_REPORT_FIELDS) for r in reports]
        for tag, attrs, fields in parts:
            if attrs is None:
                continue
            sub = etree.SubElement(el, tag)
            for k, v in attrs.items():
                name = k if k in fields else self.qname(k.lstrip("@"), ns)
                sub.set(name, _sensor_value(k, v))
        self.extensions(el, element, ("sensorMetadata", "sensorReport"), ns)

    def container(self, parent: Any, name: str, value: dict[str, Any], ns: Any) -> None:
        el = etree.SubElement(parent, name)
        if name in ("readPoint", "bizLocation"):
            self.simple(el, "id", value.get("id"))
        self.extensions(el, value, ("id",) if name != "ilmd" else (), ns)

    def error_declaration(self, parent: Any, err: dict[str, Any], ns: Any) -> None:
        el = etree.SubElement(parent, "errorDeclaration")
        if "declarationTime" in err:
            self.simple(el, "declarationTime", err["declarationTime"])
        if err.get("reason") is not None:
            self.simple(el, "reason", cbv_uri("errorReason", err["reason"]))
        if err.get("correctiveEventIDs"):
            ids = etree.SubElement(el, "correctiveEventIDs")
            for ident in err["correctiveEventIDs"]:
                self.simple(ids, "correctiveEventID", ident)
        standard = ("declarationTime", "reason", "correctiveEventIDs")
        self.extensions(el, err, standard, ns)

    def epc_list(self, parent: Any, name: str, value: list[str], ns: Any) -> None:
        lst = etree.SubElement(parent, name)
        for epc in value:
            self.simple(lst, "epc", epc)

    def persistent(self, parent: Any, name: str, value: dict[str, Any], ns: Any) -> None:
        el = etree.SubElement(parent, name)
        for key in ("unset", "set"):  # schema order
            for v in value.get(key) or ():
                self.simple(el, key, cbv_uri("disposition", v))

    def sensors(self, parent: Any, name: str, value: list[dict[str, Any]], ns: Any) -> None:
        lst = etree.SubElement(parent, name)
        for element in value:
            self.sensor_element(lst, element, ns)

    def field(self, parent: Any, name: str, value: Any, ns: Any) -> None:
        if name in EPC_LISTS:
            self.epc_list(parent, name, value, ns)
        elif name in QUANTITY_LISTS:
            self.quantities(parent, name, value)
        elif name in SOURCE_DEST or name == "bizTransactionList":
            self.typed(parent, name, value)
        elif name in ("readPoint", "bizLocation", "ilmd"):
            self.container(parent, name, value, ns)
        elif name == "persistentDisposition":
            self.persistent(parent, name, value, ns)
        elif name == "sensorElementList":
            self.sensors(parent, name, value, ns)
        elif name == "errorDeclaration":
            self.error_declaration(parent, value, ns)
        else:
            values = value if isinstance(value, list) else [value]  # certificationInfo list
            kind = _VOCAB_FIELDS.get(name)
            for v in values:
                self.simple(parent, name, cbv_uri(kind, v) if kind else v)

    def event(self, parent: Any, event: dict[str, Any]) -> None:
        ns = self.namespaces(event)
        typ = event["type"]
        el = etree.SubElement(parent, typ, nsmap={p: n for p, n in ns.items() if p})
        order = (*COMMON_FIELDS, *EVENT_FIELDS[typ])
        for name in order:
            if event.get(name) is not None:
                self.field(el, name, event[name], ns)
        for key, value in event.items():
            if key not in order and key != "type" and key not in JSONLD_KEYS:
                self.value(el, key, value, ns)


def to_xml_document(
    events: list[dict[str, Any]],
    context: list[Any] | dict[str, Any] | None = None,
    *,
    query_name: str | None = None,
    subscription_id: str | None = None,
    creation_date: str | None = None,
) -> bytes:
    """An EPCIS 2.0 XML document (UTF-8) of the events; a query document with ``query_name``.

    ``context`` supplies prefixes for extension keys of events that carry no ``@context``.
    """
    writer = _Writer(context)
    nsmap = {"epcis": EPCIS_NS, "xsi": XSI, "xsd": XSD}
    if query_name is None:
        root = etree.Element(f"{{{EPCIS_NS}}}EPCISDocument", nsmap=nsmap)
        body = etree.SubElement(root, "EPCISBody")
    else:
        root = etree.Element(f"{{{EPCIS_QUERY_NS}}}EPCISQueryDocument",
                             nsmap={**nsmap, "epcisq": EPCIS_QUERY_NS})  # fmt: skip
        results = etree.SubElement(etree.SubElement(root, "EPCISBody"),
                                   f"{{{EPCIS_QUERY_NS}}}QueryResults")  # fmt: skip
        writer.simple(results, "queryName", query_name)
        if subscription_id is not None:
            writer.simple(results, "subscriptionID", subscription_id)
        body = etree.SubElement(results, "resultsBody")
    root.set("schemaVersion", "2.0")
    root.set("creationDate", creation_date or now_utc())
    event_list = etree.SubElement(body, "EventList")
    for event in events:
        writer.event(event_list, event)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
