"""EPCIS 2.0 query: the standard REST query parameters over the event store.

Parameters follow the EPCIS 2.0 REST binding (pipe-delimited lists): ``eventType``,
``EQ_/``GE_``/``LT_`` comparisons, ``MATCH_*`` identifier matches (``urn:epc:idpat`` patterns
included), ``EQ_bizTransaction_{type}``, ``EQ_source_{type}``, ``EQ_destination_{type}``,
``EXISTS_errorDeclaration``, ``orderBy``/``orderDirection``, ``eventCountLimit`` and keyset paging
with ``perPage`` and an opaque ``nextPageToken``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from qualitas.errors import FieldError, ValidationFailed
from qualitas.trace import epcis
from qualitas.trace.models import EventAttr, EventObject, TraceEvent

EVENT_TYPES = {
    "ObjectEvent",
    "AggregationEvent",
    "TransformationEvent",
    "AssociationEvent",
    "TransactionEvent",
}
# MATCH_ parameter -> (roles, class-level?)
MATCH_ROLES: dict[str, tuple[tuple[str, ...], bool]] = {
    "MATCH_epc": (("epc", "child"), False),
    "MATCH_parentID": (("parent",), False),
    "MATCH_inputEPC": (("input",), False),
    "MATCH_outputEPC": (("output",), False),
    "MATCH_anyEPC": (("epc", "child", "parent", "input", "output"), False),
    "MATCH_epcClass": (("epc", "child"), True),
    "MATCH_inputEPCClass": (("input",), True),
    "MATCH_outputEPCClass": (("output",), True),
    "MATCH_anyEPCClass": (("epc", "child", "input", "output"), True),
}
VOCAB_COLUMNS = {
    "EQ_bizStep": ("bizStep", TraceEvent.biz_step),
    "EQ_disposition": ("disposition", TraceEvent.disposition),
}
ID_COLUMNS = {
    "EQ_readPoint": TraceEvent.read_point,
    "EQ_bizLocation": TraceEvent.biz_location,
    "EQ_transformationID": TraceEvent.transformation_id,
}
TIME_COLUMNS = {
    "GE_eventTime": (TraceEvent.event_time, True),
    "LT_eventTime": (TraceEvent.event_time, False),
    "GE_recordTime": (TraceEvent.record_time, True),
    "LT_recordTime": (TraceEvent.record_time, False),
}
ATTR_PREFIXES = {
    "EQ_bizTransaction_": "bizTransaction",
    "EQ_source_": "source",
    "EQ_destination_": "destination",
}
PAGING = {"perPage", "nextPageToken", "orderBy", "orderDirection", "eventCountLimit"}


@dataclass(frozen=True)
class Page:
    """One page of a query: the stored event rows and the token of the next page, if any."""

    events: list[TraceEvent]
    next_token: str | None


def _values(raw: str | Sequence[str]) -> list[str]:
    items = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for item in items for v in item.split("|") if v.strip()]


def _bad(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "The query is not valid.", [FieldError(name, "epcis_query", message)], code="epcis_query"
    )


def _time(name: str, value: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _bad(name, f"not an ISO 8601 date-time: {value!r}") from exc
    if t.tzinfo is None:
        raise _bad(name, "a time-zone offset is required (e.g. 2025-01-31T12:00:00Z)")
    return t.astimezone(dt.UTC)


def _id_match(name: str, roles: tuple[str, ...], is_class: bool, values: list[str]) -> Any:
    conds: list[ColumnElement[bool]] = []
    for v in values:
        try:
            prefix = epcis.pattern_prefix(v)
            key = None if prefix else epcis.normalise_id(v)
        except ValueError as exc:
            raise _bad(name, str(exc)) from exc
        conds.append(EventObject.key.startswith(prefix) if prefix else EventObject.key == key)
    role_cond = EventObject.role.in_(roles)
    if name in ("MATCH_epc", "MATCH_inputEPC", "MATCH_outputEPC", "MATCH_anyEPC", "MATCH_parentID"):
        level = EventObject.is_class.is_(False)
    else:
        level = EventObject.is_class.is_(is_class)
    return exists().where(EventObject.event_pk == TraceEvent.id, role_cond, level, or_(*conds))


def _attr_match(kind: str, typ: str, values: list[str]) -> Any:
    keys = [_norm(v) for v in values]
    bare = epcis.normalise_vocab(
        "bizTransactionType" if kind == "bizTransaction" else "sourceDestType", typ
    )
    return exists().where(
        EventAttr.event_pk == TraceEvent.id,
        EventAttr.kind == kind,
        EventAttr.type == bare,
        EventAttr.value.in_(keys),
    )


def _norm(value: str) -> str:
    try:
        return epcis.normalise_id(value)
    except ValueError:
        return value


def filters(params: Mapping[str, str | Sequence[str]]) -> list[Any]:
    """SQL conditions of the query parameters (unknown parameters are an error, as in EPCIS)."""
    conds: list[Any] = []
    for name, raw in params.items():
        values = _values(raw)
        if name in PAGING:
            continue
        if not values:
            raise _bad(name, "a value is required")
        conds.append(_condition(name, values))
    return conds


ENUMS = {
    "eventType": (TraceEvent.type, EVENT_TYPES),
    "EQ_action": (TraceEvent.action, {"ADD", "OBSERVE", "DELETE"}),
}


def _condition(name: str, values: list[str]) -> Any:
    if name in ENUMS:
        ecol, allowed = ENUMS[name]
        unknown = set(values) - allowed
        if unknown:
            wrong = ", ".join(sorted(unknown))
            raise _bad(name, f"not one of {', '.join(sorted(allowed))}: {wrong}")
        return ecol.in_(values)
    if name in VOCAB_COLUMNS:
        kind, col = VOCAB_COLUMNS[name]
        return col.in_([epcis.normalise_vocab(kind, v) for v in values])
    if name == "EQ_eventID":  # the eventID given, or the event hash ID (what trace paths carry)
        return or_(TraceEvent.event_id.in_(values), TraceEvent.hash_id.in_(values))
    if name in ID_COLUMNS:
        return ID_COLUMNS[name].in_([_norm(v) for v in values])
    if name in TIME_COLUMNS:
        tcol, ge = TIME_COLUMNS[name]
        t = _time(name, values[0])
        return tcol >= t if ge else tcol < t
    if name in MATCH_ROLES:
        roles, is_class = MATCH_ROLES[name]
        return _id_match(name, roles, is_class, values)
    if name in ("EQ_persistentDisposition_set", "EQ_persistentDisposition_unset"):
        kind = "persistentSet" if name.endswith("_set") else "persistentUnset"
        bare = [epcis.normalise_vocab("disposition", v) for v in values]
        return exists().where(
            EventAttr.event_pk == TraceEvent.id, EventAttr.kind == kind, EventAttr.value.in_(bare)
        )
    if name == "EXISTS_errorDeclaration":
        return TraceEvent.declaration.is_(True)
    for prefix, kind in ATTR_PREFIXES.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            return _attr_match(kind, name[len(prefix) :], values)
    raise _bad(name, "not a supported EPCIS query parameter")


def _fingerprint(params: Mapping[str, str | Sequence[str]]) -> str:
    keep = {k: _values(v) for k, v in sorted(params.items()) if k != "nextPageToken"}
    return hashlib.sha256(json.dumps(keep, sort_keys=True).encode()).hexdigest()[:16]


def _token(fingerprint: str, served: int) -> str:
    raw = json.dumps({"f": fingerprint, "n": served}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_token(token: str, fingerprint: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        served = int(data["n"])
        same = data["f"] == fingerprint
    except (ValueError, KeyError, TypeError) as exc:
        raise _bad("nextPageToken", "not a token issued by this repository") from exc
    if not same:
        raise _bad("nextPageToken", "the token belongs to a query with other parameters")
    return served


def _order(stmt: Select[Any], params: Mapping[str, Any]) -> Select[Any]:
    order_by = _values(params.get("orderBy", "")) or [""]
    direction = (_values(params.get("orderDirection", "")) or ["DESC"])[0].upper()
    if direction not in ("ASC", "DESC"):
        raise _bad("orderDirection", "must be ASC or DESC")
    columns = {"eventTime": TraceEvent.event_time, "recordTime": TraceEvent.record_time}
    if order_by[0] == "":
        return stmt.order_by(TraceEvent.id)
    if order_by[0] not in columns:
        raise _bad("orderBy", "must be eventTime or recordTime")
    col = columns[order_by[0]]
    if direction == "ASC":
        return stmt.order_by(col.asc(), TraceEvent.id.asc())
    return stmt.order_by(col.desc(), TraceEvent.id.desc())


def _int(params: Mapping[str, Any], name: str, default: int, top: int) -> int:
    values = _values(params.get(name, ""))
    if not values:
        return default
    try:
        n = int(values[0])
    except ValueError as exc:
        raise _bad(name, "must be a whole number") from exc
    if n < 1 or n > top:
        raise _bad(name, f"must be between 1 and {top}")
    return n


def run(
    session: Session,
    params: Mapping[str, str | Sequence[str]],
    *,
    max_page: int,
    site_ids: set[int] | None = None,
) -> Page:
    """One page of events matching ``params`` (raises ``ValidationFailed`` naming the parameter)."""
    conds = filters(params)
    if site_ids is not None:
        conds.append(or_(TraceEvent.site_id.is_(None), TraceEvent.site_id.in_(site_ids)))
    per_page = _int(params, "perPage", min(30, max_page), max_page)
    limit = _int(params, "eventCountLimit", 10**9, 10**9)
    fp = _fingerprint(params)
    served = (
        _read_token(_values(params["nextPageToken"])[0], fp) if "nextPageToken" in params else 0
    )
    take = min(per_page, max(limit - served, 0))
    stmt = _order(select(TraceEvent).where(and_(*conds)), params)
    rows: list[TraceEvent] = (
        list(session.scalars(stmt.offset(served).limit(take + 1))) if take else []
    )
    more = len(rows) > take and served + take < limit
    return Page(rows[:take], _token(fp, served + take) if more else None)


def contexts(session: Session, rows: list[TraceEvent]) -> list[dict[str, Any]]:
    """The prefix definitions of the documents the events were captured in (for export)."""
    from qualitas.trace.models import Capture

    ids = {r.capture_id for r in rows if r.capture_id is not None}
    if not ids:
        return []
    out: list[dict[str, Any]] = []
    for ctx in session.scalars(select(Capture.context).where(Capture.id.in_(ids))):
        for item in ctx if isinstance(ctx, list) else [ctx]:
            if isinstance(item, dict) and item not in out:
                out.append(item)
    return out


def event_body(row: TraceEvent) -> dict[str, Any]:
    """The event as EPCIS 2.0 JSON-LD: the stored body with the repository's record time/id."""
    body = dict(row.body)
    body["recordTime"] = row.record_time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    body.setdefault("eventID", row.event_id)
    return body
