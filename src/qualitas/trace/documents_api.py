"""Routes of traceability documents: device history record (JSON, PDF), FSMA 204 spreadsheet
(CSV, Excel), recall reports (PDF, Excel) and the public product page reached by QR code.

The public page (``/01/{gtin}/21/{serial}``, the GS1 Digital Link path on the Qualitas host)
needs no login: it takes no principal, so neither authentication nor the CSRF check applies, and
it shows only the fields configured in ``trace.public_fields``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import HTMLResponse

from qualitas.auth.permissions import Permission
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.schemas import PathId
from qualitas.trace import dhr, fsma, reports
from qualitas.trace import recall as recall_service
from qualitas.trace.document_labels import Lang, pick_lang

router = APIRouter(tags=["traceability"])

Ident = Annotated[
    str, Query(min_length=1, max_length=300, description="Serial or lot, in any identifier form.")
]
LangQuery = Annotated[Lang, Query(description="Language of the document.")]
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _download(body: bytes, media_type: str, name: str) -> Response:
    filename = _SAFE.sub("_", name)[:120] or "document"
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/api/trace/dhr", response_model=dhr.DhrRead)
def device_history(session: DbSession, principal: CurrentPrincipal, id: Ident) -> dhr.DhrRead:
    """The device history record ("birth certificate") of a serial or lot."""
    principal.require(Permission.TRACE_READ)
    return dhr.build(session, id)


@router.get("/api/trace/dhr.pdf", response_class=Response,
            responses={200: {"content": {PDF: {}}, "description": "A4 PDF"}})  # fmt: skip
def device_history_pdf(
    session: DbSession, principal: CurrentPrincipal, id: Ident, lang: LangQuery = "en"
) -> Response:
    """The device history record as an A4 PDF with its GS1 Digital Link QR code."""
    principal.require(Permission.TRACE_READ)
    record = dhr.build(session, id)
    return _download(reports.dhr_pdf(record, lang), PDF, f"dhr-{record.identity.label}.pdf")


Since = Annotated[dt.datetime | None, Query(description="Events at or after (required).")]
Until = Annotated[dt.datetime | None, Query(description="Events before (required).")]
Lots = Annotated[list[str] | None, Query(alias="lot", max_length=1000, description="Lot(s).")]
Products = Annotated[
    list[str] | None, Query(alias="product", max_length=1000, description="Item codes or GTINs.")
]


@router.get("/api/trace/fsma.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})  # fmt: skip
def fsma_csv(
    session: DbSession, principal: CurrentPrincipal, since: Since = None, until: Until = None,
    lot: Lots = None, product: Products = None,
) -> Response:  # fmt: skip
    """FSMA 204 electronic sortable spreadsheet of the critical tracking events (CSV)."""
    principal.require(Permission.TRACE_READ)
    table = fsma.rows(session, lot, product, since, until)
    return _download(fsma.to_csv(table), CSV, "fsma204.csv")


@router.get("/api/trace/fsma.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "Excel workbook"}})  # fmt: skip
def fsma_xlsx(
    session: DbSession, principal: CurrentPrincipal, since: Since = None, until: Until = None,
    lot: Lots = None, product: Products = None,
) -> Response:  # fmt: skip
    """FSMA 204 electronic sortable spreadsheet of the critical tracking events (Excel)."""
    principal.require(Permission.TRACE_READ)
    table = fsma.rows(session, lot, product, since, until)
    return _download(fsma.to_xlsx(table), XLSX, "fsma204.xlsx")


@router.get("/api/trace/recalls/{recall_id}/report.pdf", response_class=Response,
            responses={200: {"content": {PDF: {}}, "description": "A4 PDF"}})  # fmt: skip
def recall_report_pdf(
    recall_id: PathId, session: DbSession, principal: CurrentPrincipal, lang: LangQuery = "en"
) -> Response:
    """The recall (or drill) report: blast radius, quantities, holds, mass balance."""
    principal.require(Permission.TRACE_READ)
    r = recall_service.get(session, recall_id)
    return _download(reports.recall_pdf(r, lang), PDF, f"{r.code}.pdf")


@router.get("/api/trace/recalls/{recall_id}/report.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "Excel workbook"}})  # fmt: skip
def recall_report_xlsx(
    recall_id: PathId, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """The recall (or drill) report as a workbook, every identity of the stored scope."""
    principal.require(Permission.TRACE_READ)
    r = recall_service.get(session, recall_id)
    return _download(reports.recall_xlsx(r), XLSX, f"{r.code}.xlsx")


# ---- public product page (no authentication) ------------------------------------------------

PUBLIC_ROUTE: dict[str, Any] = {
    "methods": ["GET", "HEAD"], "response_class": HTMLResponse, "include_in_schema": False,
}  # fmt: skip  # web pages, not part of the JSON API contract
AcceptLanguage = Annotated[str | None, Header(include_in_schema=False)]
PublicLang = Annotated[str | None, Query(max_length=10, description="en or zh-CN")]


def _public(
    session: DbSession, gtin: str, ai: Literal["10", "21"], value: str, lang: Lang,
    lot: str | None = None,
) -> HTMLResponse:  # fmt: skip
    view = dhr.public_view(session, gtin, ai, value, lot)
    nonce = secrets.token_urlsafe(16)
    html = reports.render_html("public.html", lang, view=view, nonce=nonce)
    csp = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )
    headers = {
        "Cache-Control": "no-store",
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Content-Language": lang,
    }
    return HTMLResponse(html, status_code=200 if view else 404, headers=headers)


@router.api_route("/01/{gtin}/21/{serial}", **PUBLIC_ROUTE)
def public_unit(
    gtin: str, serial: str, session: DbSession, lang: PublicLang = None,
    accept_language: AcceptLanguage = None,
) -> HTMLResponse:  # fmt: skip
    """Public page of a serialised product (GS1 Digital Link; no login; configured fields only)."""
    return _public(session, gtin, "21", serial, pick_lang(lang, accept_language))


@router.api_route("/01/{gtin}/10/{lot}", **PUBLIC_ROUTE)
def public_lot(
    gtin: str, lot: str, session: DbSession, lang: PublicLang = None,
    accept_language: AcceptLanguage = None,
) -> HTMLResponse:  # fmt: skip
    """Public page of a product lot (GS1 Digital Link; no login; configured fields only)."""
    return _public(session, gtin, "10", lot, pick_lang(lang, accept_language))


@router.api_route("/01/{gtin}/10/{lot}/21/{serial}", **PUBLIC_ROUTE)
def public_lot_unit(
    gtin: str, lot: str, serial: str, session: DbSession, lang: PublicLang = None,
    accept_language: AcceptLanguage = None,
) -> HTMLResponse:  # fmt: skip
    """Public page of a serialised product whose Digital Link also names its lot."""
    return _public(session, gtin, "21", serial, pick_lang(lang, accept_language), lot)
