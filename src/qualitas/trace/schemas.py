"""API shapes of traceability: native production events, traces, search, captures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from qualitas.schemas import Code, Strict

LotNo = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Ident = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Uom = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9]{1,12}$")]
Qty = Annotated[float, Field(gt=0, le=1e12)]


class ObjRef(Strict):
    """One thing an event names: a lot of an item, a serial of an item, a container, or any id."""

    item: Code | None = None
    lot: LotNo | None = None
    serial: LotNo | None = None
    container: LotNo | None = None
    id: Ident | None = Field(None, description="Any EPC URN, GS1 Digital Link URI or key.")
    quantity: Qty | None = None
    uom: Uom | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Self:
        shapes = [
            self.id is not None,
            self.container is not None,
            self.item is not None and (self.lot is not None) != (self.serial is not None),
        ]
        if sum(shapes) != 1:
            raise ValueError("give exactly one of: id; container; item with lot; item with serial")
        return self


class LotQty(Strict):
    item: Code
    lot: LotNo
    quantity: Qty
    uom: Uom | None = None


class _Base(Strict):
    site: Code = Field(description="Site code where it happened.")
    station: Code | None = Field(None, description="Line, cell or station code (read point).")
    time: dt.datetime | None = Field(None, description="When it happened (default: now).")
    reason: str | None = Field(None, max_length=2000)


class ReceiveIn(_Base):
    """Receipt of a supplier lot under an internal lot number (the supplier lot stays traceable)."""

    supplier: Code
    item: Code
    supplier_lot: LotNo
    lot: LotNo
    quantity: Qty
    uom: Uom | None = None
    po: LotNo | None = None


class IssueIn(_Base):
    """Material lots issued to (consumed by) a work order."""

    work_order: LotNo
    inputs: list[LotQty] = Field(min_length=1, max_length=500)


class OutputIn(_Base):
    """Production output of a work order: a lot, optionally serialised."""

    work_order: LotNo
    item: Code
    lot: LotNo
    quantity: Qty
    uom: Uom | None = None
    serials: list[LotNo] = Field(default_factory=list, max_length=200_000)


class SplitIn(_Base):
    """One lot divided into several (a merge is the reverse: several lots into one)."""

    inputs: list[LotQty] = Field(min_length=1, max_length=500)
    outputs: list[LotQty] = Field(min_length=1, max_length=500)


class ReworkIn(_Base):
    """A lot reworked under a work order (it comes back as the same lot)."""

    work_order: LotNo
    item: Code
    lot: LotNo
    quantity: Qty
    uom: Uom | None = None


class PackIn(_Base):
    """Pack children (units or containers) into a parent container, or unpack them."""

    container: LotNo = Field(description="Parent container code or SSCC (18 digits).")
    children: list[ObjRef] = Field(default_factory=list, max_length=100_000)
    unpack: bool = False


class ShipIn(_Base):
    """Ship objects to a customer or to another site."""

    objects: list[ObjRef] = Field(min_length=1, max_length=10_000)
    customer: Code | None = None
    to_site: Code | None = None
    despatch_advice: LotNo | None = None

    @model_validator(mode="after")
    def _destination(self) -> Self:
        if (self.customer is None) == (self.to_site is None):
            raise ValueError("give exactly one destination: customer or to_site")
        return self


class TransferReceiveIn(_Base):
    """Receipt at this site of objects shipped by another site; optionally relabelled."""

    from_site: Code
    objects: list[ObjRef] = Field(min_length=1, max_length=10_000)
    relabel_to: list[LotQty] = Field(default_factory=list, max_length=10_000)

    @model_validator(mode="after")
    def _pairs(self) -> Self:
        if self.relabel_to and len(self.relabel_to) != len(self.objects):
            raise ValueError("relabel_to must give one new lot per object received")
        return self


class Recorded(BaseModel):
    """The EPCIS events a native action produced."""

    event_ids: list[str]
    duplicates: int = 0


class CaptureResult(BaseModel):
    capture_id: int | None
    events: int
    stored: list[str]
    duplicates: list[str]


class IdentityRead(BaseModel):
    id: str
    kind: str
    label: str
    product: str | None = None
    lot: str | None = None
    serial: str | None = None
    site_id: int | None = None
    hold: str | None = None
    name: str | None = Field(None, description="Item, customer or site name, where known.")


class TraceItem(BaseModel):
    id: str
    kind: str
    label: str
    product: str | None
    lot: str | None
    serial: str | None
    site_id: int | None
    hold: str | None
    quantity: float | None
    uom: str | None
    depth: int
    path: list[str]
    parent: str | None
    name: str | None = None


class TraceRead(BaseModel):
    root: IdentityRead
    direction: Literal["forward", "backward"]
    items: list[TraceItem]
    total: int
    truncated: bool
    counts: dict[str, int]
    levels: int
    elapsed_ms: float


Disposition = Literal["recalled", "non_conformant", "expired", "damaged"]


SuspectKind = Literal["lots", "supplier_lot", "station_window", "equipment", "gauge"]
REQUIRED: dict[str, tuple[str, ...]] = {
    "lots": ("ids",),
    "supplier_lot": ("supplier", "supplier_lot"),
    "station_window": ("site", "station", "since", "until"),
    "equipment": ("site", "equipment", "since", "until"),
    "gauge": ("site", "gauge"),
}


class SuspectIn(Strict):
    """What is suspect; the fields needed depend on ``kind``."""

    kind: SuspectKind
    ids: list[Ident] = Field(default_factory=list, max_length=1000)
    site: Code | None = None
    supplier: Code | None = None
    supplier_lot: LotNo | None = None
    item: Code | None = None
    station: Code | None = None
    equipment: Code | None = None
    gauge: Code | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        missing = [f for f in REQUIRED[self.kind] if getattr(self, f) in (None, [])]
        if missing:
            raise ValueError(f"a {self.kind} suspect set needs: {', '.join(missing)}")
        if self.since and self.until and self.until <= self.since:
            raise ValueError("until must be after since")
        return self


class RecallCreate(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
    suspect: SuspectIn
    drill: bool = Field(False, description="A mock recall: scoped and reported, no real holds.")


class HoldsIn(Strict):
    disposition: Disposition = "recalled"
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class HoldIn(HoldsIn):
    id: Ident


class ReasonIn(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class RecallRead(BaseModel):
    id: int
    code: str
    title: str
    status: str
    drill: bool
    suspect: dict[str, Any]
    counts: dict[str, int] | None
    items: dict[str, list[dict[str, Any]]] | None
    quantities: list[dict[str, Any]] | None
    mass_balance: list[dict[str, Any]] | None
    answer_ms: int | None
    holds: int
    created_by: str
    created_at: dt.datetime
    scoped_at: dt.datetime | None
    closed_at: dt.datetime | None


class HoldRead(BaseModel):
    id: int
    node: str
    label: str
    kind: str
    recall_id: int | None
    disposition: str
    reason: str
    placed_by: str
    placed_at: dt.datetime
    released_by: str | None
    released_at: dt.datetime | None
    release_reason: str | None


class GraphNode(BaseModel):
    id: str
    kind: str
    label: str
    name: str | None = None
    product: str | None = None
    lot: str | None = None
    serial: str | None = None
    site_id: int | None = None
    hold: str | None = None
    quantity: float | None = None
    uom: str | None = None
    depth: int
    count: int = 1
    descendants: int = 0
    group: bool = False
    root: bool = False


class GraphEdge(BaseModel):
    source: str
    target: str
    event: str | None = None
    quantity: float | None = None
    uom: str | None = None


class GraphRead(BaseModel):
    root: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    hidden: int
    totals: dict[str, int]
    elapsed_ms: float
