"""Syntax-independent events, and the facts of an event the store indexes.

``normalise_event`` gives the same dict for the same event written as JSON-LD or XML: bare
standard vocabulary words, date-times in UTC, namespace-canonical contexts, one-item extension
lists unwrapped (XML cannot tell them from a single value). Identifiers are left as written.
``facts`` reads the fields the store indexes, with identifiers as canonical keys.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from qualitas.trace.epcis.context import canonical_namespace, event_prefixes, prefixes_of, split_key
from qualitas.trace.epcis.identifiers import normalise_id, normalise_vocab
from qualitas.trace.epcis.model import (
    COMMON_FIELDS,
    EPC_LISTS,
    EVENT_FIELDS,
    QUANTITY_LISTS,
    STANDARD_PREFIXES,
)
from qualitas.trace.epcis.timeutil import canonical_utc, parse_datetime

__all__ = [
    "ErrorDeclaration",
    "EventFacts",
    "ObjectRef",
    "facts",
    "json_form",
    "normalise_event",
]

CBVMDA = "urn:epcglobal:cbv:mda"
_ROLES = {
    "epcList": "epc", "childEPCs": "child", "inputEPCList": "input", "outputEPCList": "output",
    "quantityList": "epc", "childQuantityList": "child", "inputQuantityList": "input",
    "outputQuantityList": "output",
}  # fmt: skip
_EVENT_FIELDS = frozenset(
    {"type", *COMMON_FIELDS, *(f for fields in EVENT_FIELDS.values() for f in fields)}
)
_SENSOR_VOCAB = {
    "type": "sensorMeasurementType",
    "exception": "sensorAlertType",
    "component": "component",
}


@dataclass(frozen=True)
class ObjectRef:
    """An object an event names: its role, canonical key, the identifier as written, amount."""

    role: str  # epc | parent | child | input | output
    key: str
    raw: str
    quantity: float | None = None
    uom: str | None = None
    is_class: bool = False


@dataclass(frozen=True)
class ErrorDeclaration:
    """The error declaration of an event: when, why (bare CBV word) and the corrective events."""

    declaration_time: dt.datetime
    reason: str | None
    corrective_event_ids: tuple[str, ...]


@dataclass(frozen=True)
class EventFacts:
    """The normalised, indexed fields of one event (times aware, in UTC)."""

    type: str
    action: str | None
    event_time: dt.datetime
    tz_offset: str
    record_time: dt.datetime | None
    event_id: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    transformation_id: str | None
    persistent_set: tuple[str, ...]
    persistent_unset: tuple[str, ...]
    biz_transactions: tuple[tuple[str | None, str], ...]
    sources: tuple[tuple[str, str], ...]
    destinations: tuple[tuple[str, str], ...]
    objects: tuple[ObjectRef, ...]
    ilmd: dict[str, Any] | None
    lot_of_instance: str | None
    error_declaration: ErrorDeclaration | None
    has_sensor_data: bool
    certification: tuple[str, ...]


# -- normalise_event --------------------------------------------------------------------------


def _unwrap(value: Any) -> Any:
    if isinstance(value, list):
        return _unwrap(value[0]) if len(value) == 1 else [_unwrap(v) for v in value]
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


def _extensions(container: dict[str, Any], standard: Collection[str]) -> None:
    """Unwrap one-item lists in the values of every key that is not a standard one."""
    for key, value in container.items():
        if key not in standard and key != "@context":
            container[key] = _unwrap(value)


def _time(container: dict[str, Any], key: str) -> None:
    value = container.get(key)
    if isinstance(value, str):
        container[key] = canonical_utc(value) or value


def _vocab(container: dict[str, Any], key: str, kind: str) -> None:
    value = container.get(key)
    if isinstance(value, str):
        container[key] = normalise_vocab(kind, value)


def _each(items: Any, fn: Callable[[dict[str, Any]], None]) -> None:
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict):
            fn(item)


def _sensor_element(element: dict[str, Any]) -> None:
    _extensions(element, ("sensorMetadata", "sensorReport"))
    meta = element.get("sensorMetadata")
    if isinstance(meta, dict):
        for key in ("time", "startTime", "endTime"):
            _time(meta, key)

    def report(r: dict[str, Any]) -> None:
        _time(r, "time")

    _each(element.get("sensorReport"), report)


def _context(event: dict[str, Any]) -> None:
    ctx = {
        p: canonical_namespace(ns)
        for p, ns in prefixes_of(event.get("@context")).items()
        if canonical_namespace(ns) != canonical_namespace(STANDARD_PREFIXES.get(p, " "))
    }
    if ctx:
        event["@context"] = ctx
    else:
        event.pop("@context", None)


def _sensor_vocab(element: dict[str, Any]) -> None:
    def report(r: dict[str, Any]) -> None:
        for key, kind in _SENSOR_VOCAB.items():
            _vocab(r, key, kind)

    _each(element.get("sensorReport"), report)


def _bare_words(e: dict[str, Any]) -> None:
    _vocab(e, "bizStep", "bizStep")
    _vocab(e, "disposition", "disposition")
    pd = e.get("persistentDisposition")
    if isinstance(pd, dict):
        for key in ("set", "unset"):
            if isinstance(pd.get(key), list):
                pd[key] = [normalise_vocab("disposition", v) if isinstance(v, str) else v
                           for v in pd[key]]  # fmt: skip
    _each(e.get("bizTransactionList"), lambda t: _vocab(t, "type", "bizTransactionType"))
    for name in ("sourceList", "destinationList"):
        _each(e.get(name), lambda t: _vocab(t, "type", "sourceDestType"))
    if isinstance(e.get("errorDeclaration"), dict):
        _vocab(e["errorDeclaration"], "reason", "errorReason")
    _each(e.get("sensorElementList"), _sensor_vocab)


def json_form(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of the event with standard vocabulary as bare words (the JSON-LD form)."""
    e = copy.deepcopy(event)
    _bare_words(e)
    return e


def normalise_event(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of the event in a syntax-independent form (identifiers unchanged).

    Besides ``json_form``: date-times in UTC, empty EPC and quantity lists dropped (an empty
    ``<epcList/>`` says nothing more than a missing one), extension prefixes' namespaces
    canonical, one-item extension lists unwrapped.
    """
    e = json_form(event)
    for name in (*EPC_LISTS, *QUANTITY_LISTS):
        if e.get(name) == []:
            del e[name]
    _extensions(e, _EVENT_FIELDS)
    _context(e)
    for key in ("eventTime", "recordTime"):
        _time(e, key)
    for name in ("readPoint", "bizLocation"):
        if isinstance(e.get(name), dict):
            _extensions(e[name], ("id",))
    if isinstance(e.get("ilmd"), dict):
        e["ilmd"] = _unwrap(e["ilmd"])
    err = e.get("errorDeclaration")
    if isinstance(err, dict):
        _extensions(err, ("declarationTime", "reason", "correctiveEventIDs"))
        _time(err, "declarationTime")
    _each(e.get("sensorElementList"), _sensor_element)
    return e


# -- facts ------------------------------------------------------------------------------------


def _opt_id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return normalise_id(value) if isinstance(value, str) and value.strip() else None


def _bare(kind: str, value: Any) -> str | None:
    return normalise_vocab(kind, value) if isinstance(value, str) else None


def _objects(e: dict[str, Any]) -> tuple[ObjectRef, ...]:
    refs: list[ObjectRef] = []
    if isinstance(e.get("parentID"), str):
        refs.append(ObjectRef("parent", normalise_id(e["parentID"]), e["parentID"]))
    for name in EPC_LISTS:
        refs += [ObjectRef(_ROLES[name], normalise_id(v), v) for v in e.get(name) or ()]
    for name in QUANTITY_LISTS:
        for q in e.get(name) or ():
            amount = q.get("quantity")
            refs.append(ObjectRef(
                _ROLES[name], normalise_id(q["epcClass"]), q["epcClass"],
                float(amount) if amount is not None else None, q.get("uom"), is_class=True,
            ))  # fmt: skip
    return tuple(refs)


def _lot(e: dict[str, Any]) -> str | None:
    ilmd = e.get("ilmd")
    if not isinstance(ilmd, dict):
        return None
    prefixes = event_prefixes(e)
    for key, value in ilmd.items():
        parts = split_key(key)
        is_mda = parts is not None and (
            canonical_namespace(prefixes.get(parts[0], "")) == CBVMDA or parts[0] == "cbvmda"
        )
        if (key == "lotNumber" or (is_mda and parts and parts[1] == "lotNumber")) and value:
            return str(value[0] if isinstance(value, list) else value).strip()
    return None


def _error(e: dict[str, Any]) -> ErrorDeclaration | None:
    err = e.get("errorDeclaration")
    if not isinstance(err, dict):
        return None
    return ErrorDeclaration(
        parse_datetime(err["declarationTime"]),
        _bare("errorReason", err.get("reason")),
        tuple(err.get("correctiveEventIDs") or ()),
    )


def _pairs(items: Any, item: str, kind: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (normalise_vocab(kind, t.get("type", "")), normalise_id(t[item])) for t in items or ()
    )


def facts(event: dict[str, Any]) -> EventFacts:
    """The indexed fields of a structurally valid event (``parse_document`` output)."""
    e = event
    pd = e.get("persistentDisposition") or {}
    cert = e.get("certificationInfo")
    return EventFacts(
        type=e["type"],
        action=e.get("action"),
        event_time=parse_datetime(e["eventTime"]),
        tz_offset=e["eventTimeZoneOffset"],
        record_time=parse_datetime(e["recordTime"]) if e.get("recordTime") else None,
        event_id=e.get("eventID"),
        biz_step=_bare("bizStep", e.get("bizStep")),
        disposition=_bare("disposition", e.get("disposition")),
        read_point=_opt_id(e.get("readPoint")),
        biz_location=_opt_id(e.get("bizLocation")),
        transformation_id=_opt_id(e.get("transformationID")),
        persistent_set=tuple(normalise_vocab("disposition", v) for v in pd.get("set") or ()),
        persistent_unset=tuple(normalise_vocab("disposition", v) for v in pd.get("unset") or ()),
        biz_transactions=tuple(
            (_bare("bizTransactionType", t.get("type")), normalise_id(t["bizTransaction"]))
            for t in e.get("bizTransactionList") or ()
        ),
        sources=_pairs(e.get("sourceList"), "source", "sourceDestType"),
        destinations=_pairs(e.get("destinationList"), "destination", "sourceDestType"),
        objects=_objects(e),
        ilmd=e.get("ilmd"),
        lot_of_instance=_lot(e),
        error_declaration=_error(e),
        has_sensor_data=bool(e.get("sensorElementList")),
        certification=(cert,) if isinstance(cert, str) else tuple(cert or ()),
    )
