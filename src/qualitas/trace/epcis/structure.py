"""The built-in structural check of EPCIS 2.0 events, run on every document.

It needs no schema files and covers what the store and the event hash rely on: known event types,
date-times with offsets, actions, non-negative numeric quantities, lists of identifiers, valid EPC
URNs, standard fields used only where they belong. Problems are reported as ``Problem(at,
path, message)``; ``at`` is the event's position (None for the document) and ``path`` a
JSON-pointer-like path inside it, which the JSON and XML readers turn into their own pointers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from qualitas.trace.epcis.identifiers import normalise_id
from qualitas.trace.epcis.model import (
    COMMON_FIELDS,
    EPC_LISTS,
    EVENT_FIELDS,
    EVENT_TYPES,
    JSONLD_KEYS,
    QUANTITY_LISTS,
    SENSOR_NUMBERS,
    SOURCE_DEST,
    is_extension_key,
)
from qualitas.trace.epcis.timeutil import OFFSET, is_datetime

__all__ = ["Problem", "check_events"]

ACTIONS = ("ADD", "OBSERVE", "DELETE")
_ALL_STANDARD = frozenset(COMMON_FIELDS) | {f for v in EVENT_FIELDS.values() for f in v}
_REQUIRED = {"AssociationEvent": ("parentID",), "TransactionEvent": ("bizTransactionList",)}


class Problem(NamedTuple):
    """A structural problem: event position (None: the document), path inside it, message."""

    at: int | None
    path: str
    message: str


Found = Iterator[tuple[str, str]]  # (path, message) pairs inside one event


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _identifier(path: str, value: Any) -> Found:
    if not isinstance(value, str) or not value.strip():
        yield path, "must be a non-empty identifier string"
        return
    if value.strip()[:8].lower() == "urn:epc:":
        try:
            normalise_id(value)
        except ValueError as exc:
            yield path, f"not a valid EPC URN: {exc}"


def _time(path: str, value: Any, *, required: bool = False) -> Found:
    if value is None:
        if required:
            yield path, "is required"
    elif not is_datetime(value):
        yield path, f"must be an ISO 8601 date-time with offset, got {value!r}"


def _epc_list(name: str, value: Any) -> Found:
    if not isinstance(value, list):
        yield name, "must be a list of identifiers"
        return
    for i, epc in enumerate(value):
        yield from _identifier(f"{name}/{i}", epc)


def _quantity_list(name: str, value: Any) -> Found:
    if not isinstance(value, list):
        yield name, "must be a list of quantity elements"
        return
    for i, q in enumerate(value):
        path = f"{name}/{i}"
        if not isinstance(q, dict):
            yield path, "must be an object with epcClass, quantity and uom"
            continue
        yield from _identifier(f"{path}/epcClass", q.get("epcClass"))
        amount = q.get("quantity")
        if amount is not None and (not _is_number(amount) or amount < 0):
            yield f"{path}/quantity", f"must be a number >= 0, got {amount!r}"
        if "uom" in q and not isinstance(q["uom"], str):
            yield f"{path}/uom", "must be a string"


def _typed_list(name: str, value: Any, item: str, *, type_required: bool) -> Found:
    if not isinstance(value, list):
        yield name, f"must be a list of {item} objects"
        return
    for i, entry in enumerate(value):
        path = f"{name}/{i}"
        if not isinstance(entry, dict):
            yield path, f"must be an object with {item} and type"
            continue
        yield from _identifier(f"{path}/{item}", entry.get(item))
        typ = entry.get("type")
        if (typ is None and type_required) or (typ is not None and not isinstance(typ, str)):
            yield f"{path}/type", "must be a vocabulary string"


def _location(name: str, value: Any) -> Found:
    if not isinstance(value, dict):
        yield name, "must be an object with an id"
        return
    yield from _identifier(f"{name}/id", value.get("id"))


def _string_list(name: str, value: Any) -> Found:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        yield name, "must be a list of strings"


def _persistent(value: Any) -> Found:
    if not isinstance(value, dict) or not ({"set", "unset"} & value.keys()):
        yield "persistentDisposition", "must be an object with a set and/or an unset list"
        return
    for key in ("set", "unset"):
        if key in value:
            yield from _string_list(f"persistentDisposition/{key}", value[key])


def _error_declaration(value: Any) -> Found:
    if not isinstance(value, dict):
        yield "errorDeclaration", "must be an object"
        return
    yield from _time("errorDeclaration/declarationTime", value.get("declarationTime"),
                     required=True)  # fmt: skip
    if "reason" in value and not isinstance(value["reason"], str):
        yield "errorDeclaration/reason", "must be a vocabulary string"
    if "correctiveEventIDs" in value:
        yield from _string_list("errorDeclaration/correctiveEventIDs", value["correctiveEventIDs"])


def _sensor_report(path: str, report: Any) -> Found:
    if not isinstance(report, dict):
        yield path, "must be an object"
        return
    for key, v in report.items():
        if key in SENSOR_NUMBERS and not _is_number(v):
            yield f"{path}/{key}", f"must be a number, got {v!r}"
        elif key == "booleanValue" and not isinstance(v, bool):
            yield f"{path}/{key}", f"must be true or false, got {v!r}"
        elif key == "time":
            yield from _time(f"{path}/time", v)


def _sensors(value: Any) -> Found:
    if not isinstance(value, list):
        yield "sensorElementList", "must be a list of sensor elements"
        return
    for i, element in enumerate(value):
        path = f"sensorElementList/{i}"
        if not isinstance(element, dict):
            yield path, "must be an object"
            continue
        meta = element.get("sensorMetadata", {})
        if not isinstance(meta, dict):
            yield f"{path}/sensorMetadata", "must be an object"
        else:
            for key in ("time", "startTime", "endTime"):
                yield from _time(f"{path}/sensorMetadata/{key}", meta.get(key))
        reports = element.get("sensorReport", [])
        if not isinstance(reports, list):
            yield f"{path}/sensorReport", "must be a list of sensor reports"
            continue
        for j, report in enumerate(reports):
            yield from _sensor_report(f"{path}/sensorReport/{j}", report)


def _field(name: str, value: Any) -> Found:
    if name in EPC_LISTS:
        return _epc_list(name, value)
    if name in QUANTITY_LISTS:
        return _quantity_list(name, value)
    if name in SOURCE_DEST:
        return _typed_list(name, value, SOURCE_DEST[name], type_required=True)
    if name == "bizTransactionList":
        return _typed_list(name, value, "bizTransaction", type_required=False)
    if name in ("readPoint", "bizLocation"):
        return _location(name, value)
    if name in ("parentID", "transformationID"):
        return _identifier(name, value)
    if name == "persistentDisposition":
        return _persistent(value)
    if name == "errorDeclaration":
        return _error_declaration(value)
    if name == "sensorElementList":
        return _sensors(value)
    if name == "ilmd":
        return iter([(name, "must be an object")] if not isinstance(value, dict) else [])
    if name in ("bizStep", "disposition", "eventID"):
        return iter([(name, "must be a string")] if not isinstance(value, str) else [])
    return iter(())


def _header(event: dict[str, Any], typ: str) -> Found:
    yield from _time("eventTime", event.get("eventTime"), required=True)
    yield from _time("recordTime", event.get("recordTime"))
    offset = event.get("eventTimeZoneOffset")
    m = OFFSET.fullmatch(offset) if isinstance(offset, str) else None
    if m is None or int(m[1]) > 14 or int(m[2]) > 59:
        yield "eventTimeZoneOffset", f"must look like +hh:mm or -hh:mm, got {offset!r}"
    action = event.get("action")
    if typ == "TransformationEvent":
        if action is not None:
            yield "action", "a TransformationEvent has no action"
    elif action not in ACTIONS:
        yield "action", f"must be ADD, OBSERVE or DELETE, got {action!r}"
    for name in _REQUIRED.get(typ, ()):
        if name not in event:
            yield name, f"is required in a {typ}"
    if typ == "ObjectEvent" and "ilmd" in event and action == "OBSERVE":
        yield "ilmd", "instance/lot master data is only allowed when action is ADD or DELETE"
    info = event.get("certificationInfo")
    if info is not None and not isinstance(info, str):
        yield from _string_list("certificationInfo", info)


def _event(event: Any) -> Found:
    if not isinstance(event, dict):
        yield "", "an event must be an object"
        return
    typ = event.get("type")
    if typ not in EVENT_TYPES:
        yield "type", f"unknown event type {typ!r} (expected one of {', '.join(EVENT_TYPES)})"
        return
    yield from _header(event, typ)
    allowed = set(COMMON_FIELDS) | set(EVENT_FIELDS[typ])
    for name, value in event.items():
        if name in ("type", "action") or name in JSONLD_KEYS or is_extension_key(name):
            continue
        if name in _ALL_STANDARD and name not in allowed:
            yield name, f"{name} is not a field of {typ}"
        elif name not in allowed:
            yield name, "not an EPCIS field; extension fields need a prefix (prefix:name)"
        else:
            yield from _field(name, value)


def check_events(events: list[Any]) -> list[Problem]:
    """Every structural problem of the events, in document order."""
    return [Problem(i, path, msg) for i, e in enumerate(events) for path, msg in _event(e)]
