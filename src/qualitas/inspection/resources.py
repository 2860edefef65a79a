"""The control plan as a master-data resource (generic list/create/update/retire/import/export)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qualitas.errors import FieldError
from qualitas.inspection.models import ControlPlanLine
from qualitas.inspection.schemas import ControlPlanLineCreate, ControlPlanLineRead
from qualitas.plant import models as m
from qualitas.plant.resources import Resource


def _same_site(
    session: Session, model: Any, record_id: int | None, site_id: int, field: str
) -> tuple[Any, list[FieldError]]:
    if record_id is None:
        return None, []
    obj = session.get(model, record_id)
    if obj is None or getattr(obj, "status", "active") == "retired":
        return None, [FieldError(field, "not_found", "no active record with this id")]
    if obj.site_id != site_id:
        return None, [FieldError(field, "other_site", "belongs to another site")]
    return obj, []


def _refs(session: Session, data: dict[str, Any], _id: int | None) -> list[FieldError]:
    site = data["site_id"]
    _, errors = _same_site(session, m.Item, data.get("item_id"), site, "item_id")
    char, more = _same_site(
        session, m.Characteristic, data.get("characteristic_id"), site, "characteristic_id"
    )
    errors += more
    if char is not None and char.item_id not in (None, data.get("item_id")):
        errors.append(
            FieldError("characteristic_id", "other_item", "belongs to another product or material")
        )
    for model, field in ((m.Gauge, "gauge_id"), (m.PlantNode, "operation_node_id")):
        errors += _same_site(session, model, data.get(field), site, field)[1]
    return errors


CONTROL_PLAN = Resource(
    "control-plan-lines",
    "control_plan_line",
    ControlPlanLine,
    ControlPlanLineCreate,
    ControlPlanLineRead,
    regulated=True,
    search=("code", "name", "operation", "frequency"),
    sort=(
        "code",
        "name",
        "item_id",
        "characteristic_id",
        "operation",
        "sample_size",
        "frequency",
        "method",
        "gauge_type",
        "aql",
        "inspection_level",
        "status",
        "updated_at",
    ),
    filters={"site_id": int, "item_id": int, "characteristic_id": int, "status": str},
    check_refs=_refs,
)
