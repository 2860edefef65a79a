"""EPCIS 2.0 JSON-LD documents (``EPCISDocument``, ``EPCISQueryDocument``): reading, writing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qualitas.trace.epcis.context import attach_context, definitions
from qualitas.trace.epcis.core import EpcisDocument
from qualitas.trace.epcis.errors import EpcisError, EpcisInvalid
from qualitas.trace.epcis.model import EPCIS_CONTEXT
from qualitas.trace.epcis.normalise import json_form
from qualitas.trace.epcis.structure import Problem, check_events
from qualitas.trace.epcis.timeutil import is_datetime, now_utc

__all__ = ["JsonRead", "parse_json", "read_json", "to_json_document"]

DOCUMENT_EVENTS = "/epcisBody/eventList"
QUERY_EVENTS = "/epcisBody/queryResults/resultsBody/eventList"
_HEADER_SKIP = ("@context", "type", "epcisBody")
_VERSION_CHARS = frozenset("0123456789.")


@dataclass
class JsonRead:
    """A JSON document as read: the raw object, the document, and its structural problems."""

    raw: Any
    document: EpcisDocument
    base: str = DOCUMENT_EVENTS
    problems: list[EpcisError] = field(default_factory=list)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _load(raw: bytes) -> Any:
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        msg = f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise EpcisInvalid([EpcisError("/", msg, exc.lineno)]) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise EpcisInvalid([EpcisError("/", f"malformed JSON: {exc}")]) from exc


def _at(obj: Any, path: str) -> Any:
    for part in path.strip("/").split("/"):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _document_problems(obj: dict[str, Any], typ: Any) -> list[EpcisError]:
    problems: list[EpcisError] = []
    if "@context" not in obj:
        problems.append(EpcisError("/@context", "is required (EPCIS 2.0 JSON-LD)"))
    if typ == "EPCISDocument":
        version = obj.get("schemaVersion")
        if version is None:
            problems.append(EpcisError("/schemaVersion", "is required"))
        elif not (isinstance(version, str) and version and set(version) <= _VERSION_CHARS):
            msg = f"must be a string like '2.0', got {version!r}"
            problems.append(EpcisError("/schemaVersion", msg))
        created = obj.get("creationDate")
        if created is None:
            problems.append(EpcisError("/creationDate", "is required"))
        elif not is_datetime(created):
            problems.append(EpcisError("/creationDate", "must be a date-time with offset"))
    return problems


def _events_of(obj: Any) -> tuple[str, list[Any], list[EpcisError]]:
    if not isinstance(obj, dict):
        return DOCUMENT_EVENTS, [], [EpcisError("/", "the document must be a JSON object")]
    typ = obj.get("type")
    if typ not in ("EPCISDocument", "EPCISQueryDocument"):
        msg = f"type must be EPCISDocument or EPCISQueryDocument, got {typ!r}"
        return DOCUMENT_EVENTS, [], [EpcisError("/type", msg)]
    base = DOCUMENT_EVENTS if typ == "EPCISDocument" else QUERY_EVENTS
    problems = _document_problems(obj, typ)
    events = _at(obj, base)
    if not isinstance(events, list):
        problems.append(EpcisError(base, "must be a list of events"))
        return base, [], problems
    return base, events, problems


def _header(obj: Any) -> dict[str, Any]:
    if not isinstance(obj, dict):
        return {}
    header = {k: v for k, v in obj.items() if k not in _HEADER_SKIP}
    results = _at(obj, "/epcisBody/queryResults")
    if isinstance(results, dict):
        header.update({k: results[k] for k in ("queryName", "subscriptionID") if k in results})
    return header


def json_pointer(base: str, p: Problem) -> EpcisError:
    """The problem at its JSON pointer."""
    if p.at is None:
        return EpcisError("/" + p.path.lstrip("/"), p.message)
    suffix = f"/{p.path}" if p.path else ""
    return EpcisError(f"{base}/{p.at}{suffix}", p.message)


def read_json(raw: bytes) -> JsonRead:
    """Read a JSON-LD document and check its structure (malformed JSON raises EpcisInvalid)."""
    obj = _load(raw)
    base, events, problems = _events_of(obj)
    context = obj.get("@context") if isinstance(obj, dict) else None
    problems += [json_pointer(base, p) for p in check_events(events)]
    attached = [attach_context(e, context) if isinstance(e, dict) else e for e in events]
    doc = EpcisDocument(attached, context, "json", _header(obj))
    return JsonRead(obj, doc, base, problems)


def parse_json(raw: bytes) -> EpcisDocument:
    """The events of an EPCIS 2.0 JSON-LD document; raises EpcisInvalid with every problem."""
    read = read_json(raw)
    if read.problems:
        raise EpcisInvalid(read.problems)
    return read.document


def _hoist(events: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Move event contexts that agree with each other up to the document."""
    merged: dict[str, Any] = {}
    for e in events:
        own = e.get("@context")
        if own is None:
            continue
        if not isinstance(own, dict):
            return {}, events
        for k, v in own.items():
            if merged.setdefault(k, v) != v:
                return {}, events
    if not merged:
        return {}, events
    return merged, [{k: v for k, v in e.items() if k != "@context"} for e in events]


def to_json_document(
    events: list[dict[str, Any]],
    *,
    query_name: str | None = None,
    subscription_id: str | None = None,
    context: list[Any] | dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An EPCIS 2.0 JSON-LD document of the events (a query document when ``query_name`` is set).

    ``context`` adds prefix definitions to the document context; event contexts that agree with
    each other are moved up into it. Standard vocabulary is written as bare words.
    """
    extra, body_events = _hoist([json_form(e) for e in events])
    defs = {**definitions(context), **extra}
    doc_context: list[Any] = [EPCIS_CONTEXT, defs] if defs else [EPCIS_CONTEXT]
    doc: dict[str, Any] = {"@context": doc_context}
    if query_name is None:
        doc |= {"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": now_utc()}
        doc["epcisBody"] = {"eventList": body_events}
        return doc
    results: dict[str, Any] = {"queryName": query_name}
    if subscription_id is not None:
        results["subscriptionID"] = subscription_id
    results["resultsBody"] = {"eventList": body_events}
    doc |= {"type": "EPCISQueryDocument", "schemaVersion": "2.0", "creationDate": now_utc()}
    doc["epcisBody"] = {"queryResults": results}
    return doc
