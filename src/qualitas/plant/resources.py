"""The master-data resources as data: one spec per table drives service, API, import and export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional, cast

from pydantic import BaseModel, Field, create_model
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth.permissions import Permission
from qualitas.errors import FieldError, ValidationFailed
from qualitas.plant import models as m
from qualitas.plant import schemas as s
from qualitas.schemas import Reason, Strict

RefCheck = Callable[[Session, dict[str, Any], int | None], list[FieldError]]


@dataclass(frozen=True)
class Resource:
    """How one master-data table is listed, validated, audited, imported and exported."""

    name: str
    entity_type: str
    model: type[Any]
    create: type[BaseModel]
    read: type[BaseModel]
    regulated: bool
    search: tuple[str, ...]
    sort: tuple[str, ...]
    filters: dict[str, Any] = field(default_factory=dict)
    write_perm: Permission = Permission.MASTER_WRITE
    check_refs: RefCheck | None = None
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    immutable: tuple[str, ...] = ("site_id",)
    update: type[BaseModel] = field(init=False)
    query: type[BaseModel] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "update", _update_model(self))
        object.__setattr__(self, "query", _query_model(self))


def _update_model(res: Resource) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, info in res.create.model_fields.items():
        if name in res.immutable or name == "reason":
            continue
        inner = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        fields[name] = (
            Optional[inner],  # noqa: UP045
            Field(None, description=info.description),
        )
    fields["version"] = (int, Field(ge=1, le=2**31 - 1, description="Version last read."))
    reason_doc = "Why the change is made (required)." if res.regulated else "Why (optional)."
    fields["reason"] = (Reason | None, Field(None, description=reason_doc))
    name = res.create.__name__.replace("Create", "Update")
    return create_model(name, __base__=Strict, **fields)


def _query_model(res: Resource) -> type[BaseModel]:
    from qualitas.schemas import ListQuery

    fields = {k: (v | None, None) for k, v in res.filters.items()}
    name = res.read.__name__.replace("Read", "Query")
    return cast(type[BaseModel], create_model(name, __base__=ListQuery, **fields))  # type: ignore[call-overload]


# --- reference checks --------------------------------------------------------------------


def _node_in_site(
    session: Session,
    node_id: int | None,
    site_id: int | None,
    field_name: str,
    levels: tuple[m.Level, ...],
) -> list[FieldError]:
    if node_id is None:
        return []
    node = session.get(m.PlantNode, node_id)
    if node is None or node.status != m.RecordStatus.ACTIVE:
        return [FieldError(field_name, "not_found", "no active plant node with this id")]
    if node.site_id != site_id:
        return [FieldError(field_name, "other_site", "belongs to another site")]
    if node.level not in levels:
        allowed = ", ".join(str(lv) for lv in levels)
        return [FieldError(field_name, "wrong_level", f"must be a {allowed}")]
    return []


def _equipment_refs(session: Session, data: dict[str, Any], _id: int | None) -> list[FieldError]:
    return _node_in_site(
        session,
        data.get("node_id"),
        data["site_id"],
        "node_id",
        (m.Level.AREA, m.Level.LINE, m.Level.STATION),
    )


def _characteristic_refs(
    session: Session, data: dict[str, Any], _id: int | None
) -> list[FieldError]:
    errors = _node_in_site(
        session,
        data.get("operation_node_id"),
        data["site_id"],
        "operation_node_id",
        (m.Level.LINE, m.Level.STATION),
    )
    item_id = data.get("item_id")
    if item_id is not None:
        item = session.get(m.Item, item_id)
        if item is None or item.status != m.RecordStatus.ACTIVE:
            errors.append(FieldError("item_id", "not_found", "no active item with this id"))
        elif item.site_id != data["site_id"]:
            errors.append(FieldError("item_id", "other_site", "belongs to another site"))
    return errors


def _gauge_derive(data: dict[str, Any]) -> dict[str, Any]:
    last: dt.date | None = data.get("last_calibrated_on")
    if last is not None and data.get("calibration_due_on") is None:
        data["calibration_due_on"] = last + dt.timedelta(
            days=int(data["calibration_interval_days"])
        )
    return data


def site_exists(session: Session, site_id: int) -> bool:
    node = session.get(m.PlantNode, site_id)
    return node is not None and node.level == m.Level.SITE and node.status == m.RecordStatus.ACTIVE


def check_site(session: Session, site_id: int) -> None:
    if not site_exists(session, site_id):
        raise ValidationFailed(
            detail="site_id: no active site with this id",
            errors=[FieldError("site_id", "not_found", "no active site with this id")],
        )


def unique_code(
    session: Session, res: Resource, data: dict[str, Any], own_id: int | None
) -> list[FieldError]:
    model = res.model
    stmt = select(model.id).where(model.code == data["code"], model.site_id == data["site_id"])
    found = session.scalar(stmt)
    if found is not None and found != own_id:
        return [FieldError("code", "duplicate", "is already used at this site")]
    return []


RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource(
            "equipment",
            "equipment",
            m.Equipment,
            s.EquipmentCreate,
            s.EquipmentRead,
            regulated=False,
            search=("code", "name", "kind", "serial_no"),
            sort=("code", "name", "kind", "status", "updated_at"),
            filters={"site_id": int, "status": m.RecordStatus, "node_id": int},
            check_refs=_equipment_refs,
        ),
        Resource(
            "gauges",
            "gauge",
            m.Gauge,
            s.GaugeCreate,
            s.GaugeRead,
            regulated=True,
            search=("code", "name", "gauge_type"),
            sort=("code", "name", "gauge_type", "status", "calibration_due_on", "updated_at"),
            filters={"site_id": int, "status": m.GaugeStatus},
            derive=_gauge_derive,
        ),
        Resource(
            "items",
            "item",
            m.Item,
            s.ItemCreate,
            s.ItemRead,
            regulated=True,
            search=("code", "name", "description", "gtin"),
            sort=("code", "name", "kind", "status", "updated_at"),
            filters={"site_id": int, "status": m.RecordStatus, "kind": m.ItemKind},
            immutable=("site_id", "kind"),
        ),
        Resource(
            "characteristics",
            "characteristic",
            m.Characteristic,
            s.CharacteristicCreate,
            s.CharacteristicRead,
            regulated=True,
            search=("code", "name", "operation", "description"),
            sort=("code", "name", "kind", "special_class", "operation", "status", "updated_at"),
            filters={
                "site_id": int,
                "status": m.RecordStatus,
                "kind": m.CharacteristicKind,
                "item_id": int,
                "special_class": m.SpecialClass,
            },
            check_refs=_characteristic_refs,
        ),
        Resource(
            "suppliers",
            "supplier",
            m.Supplier,
            s.SupplierCreate,
            s.SupplierRead,
            regulated=False,
            search=("code", "name", "country"),
            sort=("code", "name", "country", "status", "updated_at"),
            filters={"site_id": int, "status": m.SupplierStatus},
        ),
        Resource(
            "customers",
            "customer",
            m.Customer,
            s.CustomerCreate,
            s.CustomerRead,
            regulated=False,
            search=("code", "name", "country"),
            sort=("code", "name", "country", "status", "updated_at"),
            filters={"site_id": int, "status": m.RecordStatus},
        ),
    )
}
