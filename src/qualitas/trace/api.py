"""Routes of traceability: EPCIS 2.0 capture and query, native production events, traces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel

from qualitas.auth.permissions import Permission
from qualitas.config import get_settings
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.errors import FieldError, ValidationFailed
from qualitas.trace import capture, epcis, graph, production, query, service
from qualitas.trace.schemas import (
    CaptureResult,
    GraphRead,
    IdentityRead,
    IssueIn,
    OutputIn,
    PackIn,
    ReceiveIn,
    Recorded,
    ReworkIn,
    ShipIn,
    SplitIn,
    TraceItem,
    TraceRead,
    TransferReceiveIn,
)

router = APIRouter(tags=["traceability"])
EPCIS_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
MAX_DOCUMENT = 50 * 1024 * 1024
CAPTURE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/ld+json": {"schema": {"type": "object"}},
            "application/json": {"schema": {"type": "object"}},
            "application/xml": {"schema": {"type": "string"}},
        },
    }
}


def invalid_document(exc: epcis.EpcisInvalid) -> ValidationFailed:
    """An EPCIS document rejected by the schema or the structural rules, every error named."""
    errors = [FieldError(e.pointer, "epcis_invalid", e.message) for e in exc.errors]
    return ValidationFailed(
        f"The EPCIS document is not valid ({len(errors)} error(s)); nothing was stored.",
        errors,
        code="epcis_invalid",
    )


@router.post(
    "/epcis/capture",
    status_code=status.HTTP_201_CREATED,
    response_model=CaptureResult,
    openapi_extra=CAPTURE_BODY,
)
async def capture_document(
    request: Request, response: Response, session: DbSession, principal: CurrentPrincipal
) -> CaptureResult:
    """Capture one EPCIS 2.0 document (JSON-LD or XML): all of its events, or none."""
    principal.require(Permission.TRACE_CAPTURE)
    raw = await request.body()
    if len(raw) > MAX_DOCUMENT:
        raise ValidationFailed(
            "The document is too large.",
            [FieldError("body", "too_large", f"at most {MAX_DOCUMENT} bytes per document")],
        )
    try:
        stored = capture.capture_document(
            session,
            principal.username,
            raw,
            request.headers.get("content-type"),
            schema_dir=get_settings().trace.epcis_schema_dir,
        )
    except epcis.EpcisInvalid as exc:
        raise invalid_document(exc) from exc
    service.audit_capture(session, principal.actor, stored)
    response.headers.update(EPCIS_HEADERS)
    return CaptureResult(
        capture_id=stored.capture_id,
        events=len(stored.hash_ids) + len(stored.duplicates),
        stored=stored.hash_ids,
        duplicates=stored.duplicates,
    )


def _params(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        out.setdefault(k, []).append(v)
    return out


def _query_response(
    request: Request, session: DbSession, principal: CurrentPrincipal, params: dict[str, Any]
) -> Response:
    principal.require(Permission.TRACE_READ)
    page = query.run(session, params, max_page=get_settings().trace.max_page)
    events = [query.event_body(r) for r in page.events]
    context = query.contexts(session, page.events)
    headers = dict(EPCIS_HEADERS)
    if page.next_token:
        nxt = request.url.include_query_params(nextPageToken=page.next_token)
        headers["Link"] = f'<{nxt}>; rel="next"'
        headers["GS1-Next-Page-Token"] = page.next_token
    accept = request.headers.get("accept", "")
    if "xml" in accept and "json" not in accept:
        body = epcis.to_xml_document(events, query_name="SimpleEventQuery", context=context)
        return Response(body, media_type="application/xml", headers=headers)
    doc = epcis.to_json_document(events, query_name="SimpleEventQuery", context=context)
    return Response(service.dumps(doc), media_type="application/ld+json", headers=headers)


EVENTS_DOC = {
    "parameters": [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
        for n in (
            "eventType", "EQ_bizStep", "EQ_disposition", "EQ_readPoint", "EQ_bizLocation",
            "EQ_transformationID", "EQ_action", "EQ_eventID", "MATCH_epc", "MATCH_anyEPC",
            "MATCH_parentID", "MATCH_inputEPC", "MATCH_outputEPC", "MATCH_epcClass",
            "MATCH_inputEPCClass", "MATCH_outputEPCClass", "MATCH_anyEPCClass",
            "GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime",
            "EQ_persistentDisposition_set", "EXISTS_errorDeclaration", "orderBy",
            "orderDirection", "eventCountLimit", "perPage", "nextPageToken",
        )
    ],
    "responses": {
        "200": {
            "description": "EPCIS 2.0 query document (JSON-LD; XML on Accept: application/xml)",
            "content": {"application/ld+json": {}, "application/xml": {}},
        }
    },
}  # fmt: skip


@router.get("/epcis/events", openapi_extra=EVENTS_DOC, response_class=Response)
def events(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    """EPCIS 2.0 events matching the standard query parameters (``EQ_bizTransaction_po`` …)."""
    return _query_response(request, session, principal, _params(request))


@router.get("/epcis/epcs/{epc:path}/events", openapi_extra=EVENTS_DOC, response_class=Response)
def epc_events(
    epc: str, request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Every event naming one identifier, in any role (MATCH_anyEPC / MATCH_anyEPCClass)."""
    params = _params(request)
    key = service.normalise_or_400(epc, "epc")
    node = service.node_by_key(session, key)
    name = "MATCH_anyEPCClass" if node is not None and node.kind == "lot" else "MATCH_anyEPC"
    params[name] = [key]
    return _query_response(request, session, principal, params)


@router.get("/api/trace/search", response_model=list[IdentityRead])
def search(
    session: DbSession,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(min_length=1, max_length=300)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[IdentityRead]:
    """Lots, serials, containers, GTINs and supplier lots matching what was typed."""
    principal.require(Permission.TRACE_READ)
    return service.node_reads(session, service.search(session, q, limit))


@router.get("/api/trace/graph", response_model=GraphRead)
def trace_graph(
    session: DbSession,
    principal: CurrentPrincipal,
    id: Annotated[str, Query(min_length=1, max_length=300)],
    side: Literal["forward", "backward", "both"] = "both",
    depth: Annotated[int, Query(ge=1, le=50)] = 8,
    group_over: Annotated[int, Query(ge=2, le=1000)] = 40,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> GraphRead:
    """The genealogy graph around ``id``: both sides, large levels folded into count nodes."""
    principal.require(Permission.TRACE_READ)
    data = graph.graph(
        session, id, side, depth=depth, group_over=group_over, since=since, until=until
    )
    return GraphRead.model_validate(data)


@router.get("/api/trace/genealogy/{direction}", response_model=TraceRead)
def trace(
    direction: Literal["forward", "backward"],
    session: DbSession,
    principal: CurrentPrincipal,
    id: Annotated[str, Query(min_length=1, max_length=300, description="Any lot/serial form")],
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    kind: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200_000)] = 5000,
) -> TraceRead:
    """Everything ``id`` came from (backward) or went to (forward), every level, with paths."""
    principal.require(Permission.TRACE_READ)
    result = service.trace(session, id, direction, since=since, until=until, kinds=kind)
    read: TraceRead = service.trace_read(session, result, limit)
    return read


def _recorded(stored: capture.Stored) -> Recorded:
    return Recorded(event_ids=stored.hash_ids, duplicates=len(stored.duplicates))


PRODUCTION: dict[str, tuple[type[BaseModel], Callable[..., capture.Stored]]] = {
    "receive": (ReceiveIn, production.receive),
    "issue": (IssueIn, production.issue),
    "output": (OutputIn, production.output),
    "split": (SplitIn, production.split),
    "rework": (ReworkIn, production.rework),
    "pack": (PackIn, production.pack),
    "ship": (ShipIn, production.ship),
    "receive-transfer": (TransferReceiveIn, production.receive_transfer),
}


def _production_endpoint(model: type, action: Any) -> Any:
    def endpoint(body: Any, session: DbSession, principal: CurrentPrincipal) -> Recorded:
        site = service.site_id(session, body.site)
        principal.require(Permission.TRACE_CAPTURE, site)
        return _recorded(action(session, principal.actor, body))

    endpoint.__annotations__["body"] = model
    endpoint.__doc__ = (model.__doc__ or "Record a production event.").strip().splitlines()[0]
    return endpoint


def _mount_production() -> None:
    for name, (model, action) in PRODUCTION.items():
        router.add_api_route(
            f"/api/trace/events/{name}",
            _production_endpoint(model, action),
            methods=["POST"],
            status_code=status.HTTP_201_CREATED,
            response_model=Recorded,
            name=f"trace_{name.replace('-', '_')}",
            summary=f"Record: {name.replace('-', ' ')}",
        )


_mount_production()
__all__ = ["TraceItem", "router"]
