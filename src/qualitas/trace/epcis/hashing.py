"""The CBV 2.0 EPCIS Event Hash ID: ``ni:///sha-256;{hex}?ver=CBV2.0``.

The pre-hash string concatenates, without separators, ``key=value`` pairs in the canonical
property order: eventType, eventTime, eventTimeZoneOffset, certificationInfo, epcList, parentID,
inputEPCList, childEPCs, quantityList, childQuantityList, inputQuantityList, outputEPCList,
outputQuantityList, action, transformationID, bizStep, disposition, persistentDisposition (set,
unset), readPoint, bizLocation, bizTransactionList, sourceList, destinationList,
sensorElementList, ilmd, then user extensions. Not hashed: ``recordTime``, ``eventID`` and
``errorDeclaration`` (a declaration re-states the erroneous event and keeps its hash), the
JSON-LD ``@context`` and node ``id``, and ``rdfs:comment`` (the JSON-LD counterpart of an XML
comment).

Absent fields, nulls and empty lists add nothing. Values are trimmed; date-times are written in
UTC with ``Z`` and exactly three decimals (the third rounded up when the fourth is 5-9, the carry
running into seconds, days, years); numbers and decimal strings lose trailing zeros; CBV URNs,
``cbv:``/``gs1:``/``epcis:`` CURIEs and bare standard words become Web URIs; EPC URNs and Digital
Link URIs of any host become constrained canonical Digital Link URIs. List items are sorted by
their own strings; ``type`` precedes the identifier in business transactions, sources and
destinations. Extension keys are ``{namespace}local``, the namespace without one trailing ``/``,
``#`` or ``:`` so that an XML namespace and the JSON-LD prefix of the same vocabulary agree;
nested extension values are sorted. Extensions inside readPoint, bizLocation and sensor elements
come after the standard fields, headed by their parent's name, before the event's own ones.

eventTimeZoneOffset is hashed as written: it is item 3 of the canonical property order, so the
same instant reported with another offset is another event. certificationInfo, which that table
does not list but which is data of the event, is hashed right after it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from qualitas.trace.epcis.context import canonical_namespace, event_prefixes, split_key
from qualitas.trace.epcis.digitallink import build, parse_digital_link
from qualitas.trace.epcis.identifiers import normalise_id
from qualitas.trace.epcis.model import (
    JSONLD_KEYS,
    SENSOR_METADATA_FIELDS,
    SENSOR_REPORT_FIELDS,
    SOURCE_DEST,
)
from qualitas.trace.epcis.timeutil import hash_timestamp
from qualitas.trace.epcis.vocab import CBV, GS1_VOC, expand_bare

__all__ = ["event_hash", "pre_hash_string"]

_NUMERIC = re.compile(r"-?\d+\.\d+")
_CURIES = {"cbv:": CBV, "gs1:": GS1_VOC, "epcis:": "https://ref.gs1.org/epcis/"}
_URN_VOCAB = {
    "urn:epcglobal:cbv:bizstep:": f"{CBV}BizStep-",
    "urn:epcglobal:cbv:disp:": f"{CBV}Disp-",
    "urn:epcglobal:cbv:btt:": f"{CBV}BTT-",
    "urn:epcglobal:cbv:sdt:": f"{CBV}SDT-",
    "urn:epcglobal:cbv:er:": f"{CBV}ER-",
}
_RDFS_COMMENT = ("http://www.w3.org/2000/01/rdf-schema", "comment")
_SENSOR_VOCAB = {"type": "sensorMeasurementType", "exception": "sensorAlertType",
                 "component": "component"}  # fmt: skip


def _number(value: Decimal) -> str:
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _identifier(text: str) -> str:
    if text[:8].lower() == "urn:epc:":
        try:
            return normalise_id(text)  # cached: the structural check normalised it already
        except ValueError:
            return text
    if text[:4].lower() == "http":
        pairs = parse_digital_link(text)
        return build(pairs) if pairs is not None else text
    return text


def canon(value: Any, kind: str | None = None) -> str:
    """A value in its pre-hash form (``kind`` names the vocabulary of bare words)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        try:
            return _number(Decimal(repr(value)))
        except InvalidOperation:
            return repr(value)
    return _canon_text("" if value is None else str(value).strip(), kind)


@functools.lru_cache(maxsize=1 << 18)
def _canon_text(text: str, kind: str | None) -> str:
    """``canon`` of a text value (cached: identifiers and words recur across events)."""
    stamp = hash_timestamp(text)
    if stamp is not None:
        return stamp
    if _NUMERIC.fullmatch(text):
        return _number(Decimal(text))
    if kind is not None:
        text = expand_bare(kind, text)
    for stem, web in _URN_VOCAB.items():
        if text.startswith(stem):
            return web + text[len(stem) :]
    for curie, base in _CURIES.items():
        if text.startswith(curie):
            return base + text[len(curie) :]
    return _identifier(text)


def _kv(key: str, value: Any, kind: str | None = None) -> str:
    return f"{key}={canon(value, kind)}"


def _sorted(items: Any, fn: Callable[[Any], str]) -> str:
    return "".join(sorted(fn(i) for i in items if i is not None)) if isinstance(items, list) else ""


class _Hasher:
    """Builds the pre-hash string of one event."""

    def __init__(self, event: dict[str, Any]) -> None:
        self.e = event
        self.prefixes = event_prefixes(event)

    # -- extension fields ------------------------------------------------------------------

    def name(self, key: str) -> str | None:
        parts = split_key(key)
        if parts is None:
            return key
        ns = canonical_namespace(self.prefixes.get(parts[0], parts[0]))
        if (ns, parts[1]) == _RDFS_COMMENT:
            return None
        return f"{{{ns}}}{parts[1]}"

    def ext(self, key: str, value: Any) -> list[str]:
        name = self.name(key.lstrip("@"))
        if name is None:
            return []
        if isinstance(value, list):
            return [s for v in value for s in self.ext(key, v)]
        if isinstance(value, dict):
            text = canon(value.get("#text")) if "#text" in value else ""
            children = sorted(s for k, v in value.items() if k != "#text" for s in self.ext(k, v))
            return [name + (f"={text}" if text else "") + "".join(children)]
        text = canon(value)
        return [name + (f"={text}" if text else "")]

    def exts(self, container: Any, standard: tuple[str, ...] | frozenset[str]) -> str:
        if not isinstance(container, dict):
            return ""
        found = [s for k, v in container.items() if k not in standard for s in self.ext(k, v)]
        return "".join(sorted(found))

    # -- standard fields -------------------------------------------------------------------

    def quantities(self, name: str) -> str:
        def element(q: dict[str, Any]) -> str:
            parts = ["quantityElement", _kv("epcClass", q.get("epcClass"))]
            parts += [_kv(k, q[k]) for k in ("quantity", "uom") if q.get(k) is not None]
            return "".join(parts)

        return name + _sorted(self.e[name], element)

    def typed(self, name: str, item: str, kind: str) -> str:
        def entry(t: dict[str, Any]) -> str:
            typ = _kv("type", t["type"], kind) if t.get("type") else ""
            return typ + _kv(item, t.get(item))

        return name + _sorted(self.e[name], entry)

    def sensor_element(self, element: dict[str, Any]) -> str:
        meta = element.get("sensorMetadata") or {}
        out = "sensorElement"
        if any(k in meta for k in SENSOR_METADATA_FIELDS):
            out += "sensorMetadata" + "".join(
                _kv(k, meta[k]) for k in SENSOR_METADATA_FIELDS if k in meta
            )

        def report(r: dict[str, Any]) -> str:
            return "sensorReport" + "".join(
                _kv(k, r[k], _SENSOR_VOCAB.get(k)) for k in SENSOR_REPORT_FIELDS if k in r
            )

        return out + _sorted(element.get("sensorReport"), report)

    def sensor_extensions(self, element: dict[str, Any]) -> str:
        meta = self.exts(element.get("sensorMetadata"), SENSOR_METADATA_FIELDS)

        def report(r: dict[str, Any]) -> str:
            found = self.exts(r, SENSOR_REPORT_FIELDS)
            return f"sensorReport{found}" if found else ""

        reports = _sorted(element.get("sensorReport"), report)
        own = self.exts(element, ("sensorMetadata", "sensorReport"))
        if not (meta or reports or own):
            return ""
        return "sensorElement" + (f"sensorMetadata{meta}" if meta else "") + reports + own

    def persistent(self) -> str:
        pd = self.e["persistentDisposition"]
        out = "persistentDisposition"
        for key in ("set", "unset"):
            out += "".join(sorted(_kv(key, v, "disposition") for v in pd.get(key) or ()))
        return out

    def location(self, name: str) -> str:
        return name + _kv("id", self.e[name].get("id"))

    def field(self, name: str) -> str:
        value = self.e[name]
        if name.endswith("EPCList") or name in ("epcList", "childEPCs"):
            return name + _sorted(value, lambda v: _kv("epc", v))
        if name.endswith("uantityList"):
            return self.quantities(name)
        if name in ("readPoint", "bizLocation"):
            return self.location(name)
        if name == "persistentDisposition":
            return self.persistent()
        if name == "bizTransactionList":
            return self.typed(name, "bizTransaction", "bizTransactionType")
        if name in SOURCE_DEST:
            return self.typed(name, SOURCE_DEST[name], "sourceDestType")
        if name == "sensorElementList":
            return name + _sorted(value, self.sensor_element)
        if name == "ilmd":
            return name + self.exts(value, ())
        if name == "certificationInfo" and isinstance(value, list):
            return _sorted(value, lambda v: _kv(name, v))
        return _kv(name, value, _FIELD_VOCAB.get(name))

    def pre_hash(self) -> str:
        parts = [f"eventType={self.e.get('type')}"]
        parts += [self.field(n) for n in _ORDER if self.e.get(n) not in (None, [], {})]
        for name in ("readPoint", "bizLocation"):
            more = self.exts(self.e.get(name), ("id",))
            parts.append(f"{name}{more}" if more else "")
        sensors = self.e.get("sensorElementList")
        parts.append(_sorted(sensors, self.sensor_extensions))
        parts.append(self.exts(self.e, _STANDARD))
        return "".join(parts)


_ORDER = (
    "eventTime", "eventTimeZoneOffset", "certificationInfo", "epcList", "parentID",
    "inputEPCList", "childEPCs", "quantityList", "childQuantityList", "inputQuantityList",
    "outputEPCList", "outputQuantityList", "action", "transformationID", "bizStep", "disposition",
    "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList",
    "destinationList", "sensorElementList", "ilmd",
)  # fmt: skip
_FIELD_VOCAB = {"bizStep": "bizStep", "disposition": "disposition"}
_EXCLUDED = ("type", "recordTime", "eventID", "errorDeclaration", *JSONLD_KEYS)
_STANDARD = frozenset(_ORDER) | frozenset(_EXCLUDED)


def pre_hash_string(event: dict[str, Any]) -> str:
    """The CBV 2.0 pre-hash string of an event dict (JSON-LD shaped)."""
    return _Hasher(event).pre_hash()


def event_hash(event: dict[str, Any]) -> str:
    """The CBV 2.0 EPCIS Event Hash ID of an event: ``ni:///sha-256;{hex}?ver=CBV2.0``."""
    digest = hashlib.sha256(pre_hash_string(event).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"
