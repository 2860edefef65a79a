"""Traceability documents: HTML from Jinja2 templates, PDF through WeasyPrint, GS1 Digital
Link QR codes, and the recall report (PDF and Excel).

Templates live in ``qualitas/trace/templates``; every label they print comes from
``document_labels`` so one document renders in English or Simplified Chinese. PDFs are A4;
Chinese text uses Noto Sans CJK SC.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from qualitas.trace.document_labels import LABELS, Lang, both, labels

if TYPE_CHECKING:
    from qualitas.trace.dhr import DhrRead
    from qualitas.trace.models import Recall

PDF_LIST_CAP = 300  # identities per kind printed in a recall PDF (the workbook has them all)


def fmt_time(t: dt.datetime | dt.date | None, date_only: bool = False) -> str:
    """``2026-03-02 09:00 +01:00`` (the offset the time was recorded with; UTC when stored so)."""
    if t is None:
        return "—"
    if not isinstance(t, dt.datetime):
        return t.isoformat()
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    if date_only:
        return t.date().isoformat()
    offset = t.strftime("%z")
    return f"{t:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def fmt_qty(q: float | None, uom: str | None = None) -> str:
    if q is None:
        return "—"
    text = format(q, ",.6g") if abs(q) < 1e15 else str(q)
    return f"{text} {uom}".strip() if uom else text


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("qualitas.trace", "templates"),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = fmt_time
    env.filters["qty"] = fmt_qty
    return env


def render_html(template: str, lang: Lang, **context: Any) -> str:
    """One template rendered in ``lang`` (``L`` holds the labels)."""
    return environment().get_template(template).render(L=labels(lang), lang=lang, **context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=".").write_pdf()
    return pdf


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (error correction M, 4-module quiet zone)."""
    import segno

    return str(segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4))


# ---- device history record -----------------------------------------------------------------


def dhr_html(record: DhrRead, lang: Lang) -> str:
    link = record.identity.digital_link
    return render_html(
        "dhr.html", lang, d=record, qr=qr_data_uri(link) if link else None,
        now=dt.datetime.now(dt.UTC),
    )  # fmt: skip


def dhr_pdf(record: DhrRead, lang: Lang) -> bytes:
    return html_to_pdf(dhr_html(record, lang))


# ---- recall report -------------------------------------------------------------------------

KINDS = ("lot", "unit", "container", "location", "customer")
BALANCE = ("received", "consumed", "shipped", "transferred", "scrapped", "on_hand", "difference")


def recall_context(recall: Recall) -> dict[str, Any]:
    """What both recall documents show, read from the stored recall (and its holds)."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import object_session

    from qualitas.trace.models import Hold

    scope = recall.scope or {}
    session = object_session(recall)
    holds = 0
    if session is not None:
        holds = session.scalar(
            select(func.count()).select_from(Hold).where(Hold.recall_id == recall.id)
        ) or 0  # fmt: skip
    items = scope.get("items") or {}
    return {
        "names": _names(session, items, scope.get("quantities") or []) if session else {},
        "r": recall,
        "scoped": recall.scope is not None,
        "suspect": {k: v for k, v in (recall.suspect or {}).items() if v not in (None, [], "")},
        "counts": scope.get("counts") or {},
        "items": {k: items.get(k, []) for k in KINDS},
        "quantities": scope.get("quantities") or [],
        "balance": scope.get("mass_balance") or [],
        "holds": holds,
        "kinds": KINDS,
        "cap": PDF_LIST_CAP,
    }


def _names(
    session: Any, items: dict[str, list[dict[str, Any]]], quantities: list[dict[str, Any]]
) -> dict[str, str]:
    """``Name (code)`` of the products and customers a stored scope names by code or GTIN."""
    from qualitas.trace import document_lookup as lookup

    ctx = lookup.Context(session)
    out: dict[str, str] = {}
    products = {i.get("product") for rows in items.values() for i in rows}
    for product in products | {q.get("product") for q in quantities}:
        item = ctx.item(product) if product else None
        if item is not None and product:
            out[product] = f"{item.name} ({item.code})"
    for c in items.get("customer", []):
        name = ctx.customer_name(c["label"])
        if name:
            out[c["label"]] = f"{name} ({c['label']})"
    return out


def recall_html(recall: Recall, lang: Lang) -> str:
    return render_html("recall.html", lang, now=dt.datetime.now(dt.UTC), **recall_context(recall))


def recall_pdf(recall: Recall, lang: Lang = "en") -> bytes:
    """The recall (or drill) report as an A4 PDF in ``lang``."""
    return html_to_pdf(recall_html(recall, lang))


def recall_xlsx(recall: Recall) -> bytes:
    """The recall (or drill) report as a workbook: summary, mass balance, quantities, and one
    sheet per kind of affected identity (every identity the scope kept), headers in both
    languages."""
    from openpyxl import Workbook

    ctx = recall_context(recall)
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    _summary_sheet(summary, ctx)
    _balance_sheet(wb.create_sheet("Mass balance"), ctx["balance"])
    names = ctx["names"]
    quantities = [[q.get("kind"), names.get(q.get("product"), q.get("product")), q.get("quantity"),
                   q.get("uom")] for q in ctx["quantities"]]  # fmt: skip
    _table(wb.create_sheet("Quantities"), ["kind", "product", "quantity", "uom"], quantities)
    for kind in KINDS:
        rows = [[names.get(i.get("label"), i.get("label")), i.get("id"),
                 names.get(i.get("product"), i.get("product")), i.get("lot"), i.get("serial"),
                 i.get("quantity"), i.get("uom"), i.get("depth"), i.get("hold"),
                 bool(i.get("suspect"))] for i in ctx["items"][kind]]  # fmt: skip
        heads = ["kind." + kind, "key", "product", "lot", "serial", "quantity", "uom", "depth",
                 "status", "suspect"]  # fmt: skip
        _table(wb.create_sheet(LABELS["kind." + kind][0] + "s"), heads, rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _summary_sheet(ws: Any, ctx: dict[str, Any]) -> None:
    from openpyxl.styles import Font

    r: Recall = ctx["r"]
    ws.append([both("drill_report" if r.drill else "recall_report")])
    ws["A1"].font = Font(bold=True, size=14)
    facts: list[tuple[str, Any]] = [
        ("code", r.code), ("title", r.title), ("type", both("drill" if r.drill else "real")),
        ("status", both("recall." + r.status)), ("created_by", r.created_by),
        ("created_at", _naive(r.created_at)), ("scoped_at", _naive(r.scoped_at)),
        ("closed_at", _naive(r.closed_at)), ("answer_ms", r.answer_ms),
        ("holds_placed", ctx["holds"]),
    ]  # fmt: skip
    for key, value in facts:
        ws.append([both(key), value])
    ws.append([])
    ws.append([both("suspects")])
    for key, value in ctx["suspect"].items():
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        ws.append([both("sf." + key) if "sf." + key in LABELS else key,
                   both("sk." + text) if "sk." + text in LABELS else text])  # fmt: skip
    ws.append([])
    ws.append([both("counts"), both("count")])
    for kind in KINDS:
        ws.append([both("kind." + kind), ctx["counts"].get(kind, 0)])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 48
    for row in ws.iter_rows(min_col=2, max_col=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"


def _balance_sheet(ws: Any, balance: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Font, PatternFill

    rows = [[b.get("label"), b.get("product"), *(b.get(k) for k in BALANCE),
             both("src." + str(b.get("on_hand_source", "computed")))] for b in balance]  # fmt: skip
    _table(ws, ["lot", "product", *BALANCE, "on_hand_source"], rows)
    ws.append([])
    ws.append([both("balance_rule")])
    red = PatternFill("solid", fgColor="F8D7DA")
    col = 3 + BALANCE.index("difference")
    for row in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=col, max_col=col):
        for cell in row:
            if cell.value not in (None, 0, 0.0):
                cell.fill, cell.font = red, Font(bold=True, color="9C0006")


def _table(ws: Any, heads: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append([both(h) if h in LABELS else h for h in heads])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{len(rows) + 1}"
    for i, _ in enumerate(heads, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 18


def _naive(t: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: UTC times are written without one."""
    return None if t is None else t.astimezone(dt.UTC).replace(tzinfo=None)
