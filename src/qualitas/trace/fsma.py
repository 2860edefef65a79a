"""FDA FSMA 204 (21 CFR 1 Subpart S) electronic sortable spreadsheet, from the stored events.

Critical tracking events and their key data elements:
- **receiving** (§1.1345): a receiving ObjectEvent; one row per lot received (units and
  containers are counted per lot). The supplier's own lot code, when the receipt mapped it to an
  internal lot, is named in ``input_tlc``.
- **shipping** (§1.1340): a shipping ObjectEvent; one row per lot shipped (containers opened as
  they were packed at the time of shipping).
- **transformation** (§1.1350): a TransformationEvent that makes new lots; one row per output lot
  and input lot, sharing ``event_id``. Inputs are those of the event and of the earlier events of
  the same ``transformationID`` (the work order). Rework of a lot into itself makes no new lot.
- **initial_packing**: a lot commissioned with no input on record.

The traceability lot code (TLC) is the lot identifier: ``(01){GTIN}(10){lot}`` for items with a
GTIN, else the lot number; its source is the site where the lot was assigned. Dates are UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.errors import FieldError, NotFound, ValidationFailed
from qualitas.trace import document_lookup as lookup
from qualitas.trace import keys
from qualitas.trace.models import EventObject, Node, NodeKind, TraceEvent

COLUMNS = (
    "event_id", "cte_type", "event_date", "tlc", "product_description", "qty", "uom",
    "tlc_source", "tlc_source_reference", "from_location", "to_location", "input_tlc",
    "input_qty", "input_uom", "ref_doc_type", "ref_doc_number",
)  # fmt: skip
LEGEND: dict[str, tuple[str, str]] = {
    "event_id": ("Event identifier (rows of one transformation share it)",
                 "事件编号（同一转化的各行相同）"),
    "cte_type": ("Critical tracking event: receiving, shipping, transformation, initial_packing",
                 "关键追踪事件：收货、发货、转化、初始包装"),
    "event_date": ("Date and time of the event (UTC)", "事件日期与时间（UTC）"),
    "tlc": ("Traceability lot code", "可追溯批次代码"),
    "product_description": ("Product description", "产品描述"),
    "qty": ("Quantity", "数量"),
    "uom": ("Unit of measure", "计量单位"),
    "tlc_source": ("Location where the lot code was assigned", "批次代码分配地点"),
    "tlc_source_reference": ("Reference to the lot code source", "批次代码来源参考"),
    "from_location": ("Shipped from / previous source", "发货地 / 上一来源"),
    "to_location": ("Shipped to / receiving or transformation location", "收货地 / 转化地点"),
    "input_tlc": ("Input lot code (transformation) or supplier lot code (receiving)",
                  "投入批次代码（转化）或供应商批次代码（收货）"),
    "input_qty": ("Input quantity used", "投入数量"),
    "input_uom": ("Input unit of measure", "投入计量单位"),
    "ref_doc_type": ("Reference document type", "参考文件类型"),
    "ref_doc_number": ("Reference document number", "参考文件编号"),
}  # fmt: skip
DOC_TYPES = {
    "po": "purchase order", "desadv": "despatch advice", "bol": "bill of lading",
    "inv": "invoice", "recadv": "receiving advice", "prodorder": "production order",
}  # fmt: skip
RECEIVING_DOCS = ("desadv", "bol", "po", "inv", "recadv")
SHIPPING_DOCS = ("desadv", "bol", "inv", "po")
LotQty = tuple[str, float | None, str | None]


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(field, "invalid", message)], code="invalid")


def _utc(t: dt.datetime | None, field: str) -> dt.datetime:
    if t is None:
        raise ValidationFailed(
            f"{field} is required", [FieldError(field, "missing", f"give {field}")]
        )
    try:
        return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)
    except OverflowError as exc:
        raise _bad(field, "out of range") from exc


def rows(
    session: Session,
    lots: Sequence[str] | None,
    products: Sequence[str] | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> list[dict[str, Any]]:
    """The sortable spreadsheet rows of the events in ``[since, until)``, for the named lots
    (any identifier form) and products (item code or GTIN) when given, sorted by event date."""
    start, end = _utc(since, "since"), _utc(until, "until")
    if end <= start:
        raise _bad("until", "until must be after since")
    wanted_lots = _lot_keys(session, lots) if lots else None
    wanted_products = _products(session, products) if products else None
    built = _Builder(session, _events(session, start, end)).rows()
    out = [
        r for r in built
        if (wanted_lots is None or r["_tlc"] in wanted_lots or r["_input"] in wanted_lots)
        and (wanted_products is None or r["_product"] & wanted_products)
    ]  # fmt: skip
    out.sort(key=lambda r: (r["_time"], r["event_id"], r["tlc"], r["input_tlc"] or ""))
    return [{c: r[c] for c in COLUMNS} for r in out]


def _lot_keys(session: Session, idents: Sequence[str]) -> set[str]:
    from qualitas.trace import service as trace_service

    found: set[str] = set()
    for i, ident in enumerate(idents):
        try:
            node = trace_service.resolve(session, ident)
        except NotFound as exc:
            raise _bad(f"lot.{i}" if len(idents) > 1 else "lot", exc.detail) from exc
        found.update(n.key for n in lookup.lots_of(session, node) or [node])
    return found


def _products(session: Session, codes: Sequence[str]) -> set[str]:
    from qualitas.plant.models import Item

    out: set[str] = set()
    for i, code in enumerate(codes):
        gtin = code.strip().zfill(14) if code.strip().isdigit() else None
        match = (Item.code == code) | (Item.gtin == gtin) if gtin else Item.code == code
        items = session.scalars(select(Item).where(match))
        names = {v for item in items for v in (item.code, item.gtin) if v}
        if not names:
            raise _bad(f"product.{i}" if len(codes) > 1 else "product", f"no item {code!r}")
        out |= names
    return out


def _events(session: Session, start: dt.datetime, end: dt.datetime) -> list[TraceEvent]:
    steps = ("receiving", "shipping", "commissioning")
    return list(session.scalars(
        select(TraceEvent).where(
            TraceEvent.event_time >= start, TraceEvent.event_time < end,
            TraceEvent.declared_erroneous_at.is_(None),
            (TraceEvent.type == "TransformationEvent") | TraceEvent.biz_step.in_(steps),
        ).order_by(TraceEvent.event_time, TraceEvent.id)
    ))  # fmt: skip


class _Builder:
    """Turns events into rows, reading what it needs in bulk once."""

    def __init__(self, session: Session, events: list[TraceEvent]) -> None:
        self.session = session
        self.events = events
        self.ctx = lookup.Context(session)
        self.objects = lookup.objects_of(session, [e.id for e in events])
        self.attrs = lookup.attrs_of(session, [e.id for e in events])
        self.nodes: dict[str, Node] = {}
        self.unit_lot: dict[str, list[Node]] = {}

    def rows(self) -> list[dict[str, Any]]:
        units = [o.key for objs in self.objects.values() for o in objs if not o.is_class]
        self.unit_lot = lookup.unit_lots(self.session, units)
        self._load_nodes({o.key for objs in self.objects.values() for o in objs})
        out: list[dict[str, Any]] = []
        for e in self.events:
            if e.type == "TransformationEvent" and e.biz_step != keys.RELABELLING:
                out.extend(self._transformation(e))
            elif e.type == "ObjectEvent" and e.biz_step in ("receiving", "shipping"):
                out.extend(self._movement(e))
            elif e.type == "ObjectEvent" and e.action == "ADD":
                out.extend(self._row(e, "initial_packing", q) for q in self._lots(e, ("epc",)))
        return out

    def _load_nodes(self, wanted: set[str]) -> None:
        missing = [k for k in wanted if k not in self.nodes]
        for chunk in lookup.chunks(missing):
            self.nodes.update((n.key, n) for n in self.session.scalars(
                select(Node).where(Node.key.in_(chunk))))  # fmt: skip

    def _lots(self, e: TraceEvent, roles: Sequence[str]) -> list[LotQty]:
        """Quantities per lot among the objects of ``roles``: lots as given, units counted per
        lot, containers opened as packed at the event time."""
        named = [o for o in self.objects.get(e.id, []) if o.role in roles]
        out: list[LotQty] = [(o.key, o.quantity, o.uom) for o in named if o.is_class]
        counted: Counter[str] = Counter()
        instances = [o.key for o in named if not o.is_class]
        containers = [k for k in instances if self._kind(k) == NodeKind.CONTAINER]
        at = int(e.event_time.timestamp() * 1000)
        for node, qty in lookup.contents_at(self.session, containers, at) if containers else []:
            if node.kind == NodeKind.LOT:
                out.append((node.key, qty, None))
            else:
                instances.append(node.key)
        extra = [k for k in instances if k not in self.unit_lot and self._kind(k) == NodeKind.UNIT]
        self.unit_lot.update(lookup.unit_lots(self.session, extra))
        for k in instances:
            if self._kind(k) == NodeKind.UNIT:
                lots = self.unit_lot.get(k)
                counted[lots[0].key if lots else k] += 1
        given = {k for k, _, _ in out}  # a lot named with its quantity is not counted again
        return out + [(k, float(n), None) for k, n in counted.items() if k not in given]

    def _kind(self, key: str) -> str:
        node = self.nodes.get(key)
        return node.kind if node is not None else keys.describe(key)[0]

    def _movement(self, e: TraceEvent) -> list[dict[str, Any]]:
        attrs = self.attrs.get(e.id, [])
        sources = [a.value for a in attrs if a.kind == "source"]
        dests = [a.value for a in attrs if a.kind == "destination"]
        receiving = e.biz_step == "receiving"
        doc = lookup.reference(attrs, RECEIVING_DOCS if receiving else SHIPPING_DOCS)
        here = self.ctx.place(e.biz_location)
        origin = self.ctx.place(sources[0]) if sources else None
        there = self.ctx.place(dests[0]) if dests else None
        where = (origin, here) if receiving else (origin or here, there)
        supplier_lots = self._supplier_lots(e) if receiving else {}
        out = []
        for lot in self._lots(e, ("epc",)):
            row = self._row(e, "receiving" if receiving else "shipping", lot, doc)
            row["from_location"], row["to_location"] = where
            if lot[0] in supplier_lots:
                self._input(row, supplier_lots[lot[0]])
            out.append(row)
        return out

    def _supplier_lots(self, e: TraceEvent) -> dict[str, LotQty]:
        """Lot key -> the supplier lot the receipt mapped to it (same time, relabelling step)."""
        pks = self.session.scalars(select(TraceEvent.id).where(
            TraceEvent.event_time == e.event_time, TraceEvent.biz_step == keys.RELABELLING,
            TraceEvent.read_point == e.read_point))  # fmt: skip
        objs = lookup.objects_of(self.session, list(pks))
        out: dict[str, LotQty] = {}
        for group in objs.values():
            ins = [o for o in group if o.role == "input"]
            for o in (o for o in group if o.role == "output" and ins):
                out[o.key] = (ins[0].key, ins[0].quantity, ins[0].uom)
        return out

    def _transformation(self, e: TraceEvent) -> list[dict[str, Any]]:
        outputs = self._lots(e, ("output",))
        inputs = self._inputs(e)
        if not outputs or {k for k, _, _ in outputs} <= {k for k, _, _ in inputs}:
            return []  # consumption only, or rework of a lot into itself: no new lot
        doc = lookup.reference(self.attrs.get(e.id, []), ("prodorder",))
        out = []
        for lot in outputs:
            sources: list[LotQty | None] = list(inputs) or [None]
            for source in sources:
                row = self._row(e, "transformation" if inputs else "initial_packing", lot, doc)
                row["to_location"] = self.ctx.place(e.biz_location)
                if source is not None:
                    self._input(row, source)
                out.append(row)
        return out

    def _inputs(self, e: TraceEvent) -> list[LotQty]:
        own = [(o.key, o.quantity, o.uom) for o in self.objects.get(e.id, [])
               if o.role == "input"]  # fmt: skip
        if not e.transformation_id:
            return own
        rows = self.session.execute(
            select(EventObject.key, EventObject.quantity, EventObject.uom)
            .join(TraceEvent, TraceEvent.id == EventObject.event_pk)
            .where(TraceEvent.transformation_id == e.transformation_id, TraceEvent.id != e.id,
                   TraceEvent.event_time <= e.event_time, EventObject.role == "input",
                   TraceEvent.declared_erroneous_at.is_(None))
            .order_by(TraceEvent.event_time, EventObject.id)
        ).all()  # fmt: skip
        return list(rows) + own

    def _row(
        self, e: TraceEvent, cte: str, lot: LotQty, doc: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        key, qty, uom = lot
        self._load_nodes({key})
        node = self.nodes.get(key)
        item = self.ctx.item(node.product if node else keys.describe(key)[2])
        site = self.ctx.site(node.site_id if node else None)
        return {
            "event_id": e.event_id, "cte_type": cte,
            "event_date": e.event_time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tlc": tlc(key), "product_description": f"{item.name} ({item.code})" if item else None,
            "qty": qty, "uom": uom or (item.unit if item else None),
            "tlc_source": f"{site.name} ({site.code})" if site else None,
            "tlc_source_reference": keys.site_key(site.code) if site else None,
            "from_location": None, "to_location": None, "input_tlc": None, "input_qty": None,
            "input_uom": None, "ref_doc_type": DOC_TYPES.get(doc[0], doc[0]) if doc else None,
            "ref_doc_number": doc[1] if doc else None, "_time": e.event_time, "_tlc": key,
            "_input": None, "_product": {v for v in (item.code, item.gtin) if v} if item else set(),
        }  # fmt: skip

    def _input(self, row: dict[str, Any], source: LotQty) -> None:
        key, qty, uom = source
        self._load_nodes({key})
        node = self.nodes.get(key)
        item = self.ctx.item(node.product if node else keys.describe(key)[2])
        row.update(input_tlc=tlc(key), input_qty=qty, _input=key,
                   input_uom=uom or (item.unit if item else None))  # fmt: skip


def tlc(key: str) -> str:
    """The traceability lot code of a lot key: ``(01){GTIN}(10){lot}`` for a GTIN, else the
    lot number (a unit without a lot on record stands for itself)."""
    _, label, product, lot, serial = keys.describe(key)
    if key.startswith(keys.DL) and product and (lot or serial):
        tail = (f"(10){lot}" if lot else "") + (f"(21){serial}" if serial else "")
        return f"(01){product}{tail}"
    return lot or serial or label


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return value


def to_csv(table: list[dict[str, Any]]) -> bytes:
    """RFC 4180 CSV (UTF-8), the column names on the first row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for r in table:
        writer.writerow(["" if r[c] is None else _cell(r[c]) for c in COLUMNS])
    return buf.getvalue().encode()


def to_xlsx(table: list[dict[str, Any]]) -> bytes:
    """The spreadsheet as a workbook: a filterable, sortable sheet and a bilingual legend."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "FSMA 204"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in table:
        when = dt.datetime.strptime(r["event_date"], "%Y-%m-%dT%H:%M:%SZ")
        ws.append([when if c == "event_date" else _cell(r[c]) for c in COLUMNS])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(table) + 1}"
    for i, c in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 24 if c != "event_id" else 40
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "yyyy-mm-dd hh:mm:ss"
    legend = wb.create_sheet("Legend 说明")
    legend.append(["column", "English", "中文"])
    for cell in legend[1]:
        cell.font = Font(bold=True)
    for c in COLUMNS:
        legend.append([c, *LEGEND[c]])
    for col, width in (("A", 24), ("B", 70), ("C", 50)):
        legend.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
