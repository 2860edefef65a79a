"""Use cases of the site-scoped master-data resources: list, read, create, update, retire.

Every write checks the caller's site permission, validates references, writes the audit entry
and emits a domain event in the caller's transaction. Nothing is ever deleted.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from qualitas import events
from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.errors import Conflict, FieldError, NotFound, ValidationFailed, invalid
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.plant.resources import Resource, check_site, unique_code
from qualitas.schemas import ListQuery

RETIRED = "retired"


def snapshot(res: Resource, obj: Any) -> dict[str, Any]:
    return res.read.model_validate(obj).model_dump(mode="json")


def errors_from_pydantic(exc: ValidationError, prefix: tuple[str, ...] = ()) -> list[FieldError]:
    """Name the field of each pydantic error (model-level messages start with 'field: ')."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if p not in prefix]
        msg = str(err["msg"]).removeprefix("Value error, ")
        if not loc and ": " in msg:
            name, msg = msg.split(": ", 1)
            loc = [name]
        out.append(FieldError(".".join(loc) or "body", str(err["type"]), msg))
    return out


def apply_query(stmt: Select[Any], res: Resource, model: Any, params: ListQuery) -> Select[Any]:
    data = params.model_dump(exclude_none=True)
    for key in res.filters:
        if key in data:
            stmt = stmt.where(getattr(model, key) == data[key])
    if not params.include_retired and "status" not in data and hasattr(model, "status"):
        stmt = stmt.where(model.status != RETIRED)
    if params.q:
        pattern = f"%{params.q.strip().lower()}%"
        stmt = stmt.where(or_(*(func.lower(getattr(model, c)).like(pattern) for c in res.search)))
    return stmt


def order_by(stmt: Select[Any], res: Resource, model: Any, sort: str | None) -> Select[Any]:
    if not sort:
        return stmt.order_by(model.id)
    name = sort.removeprefix("-")
    if name not in res.sort:
        raise invalid("sort", "unknown_field", f"must be one of: {', '.join(res.sort)}")
    col = getattr(model, name)
    return stmt.order_by(col.desc() if sort.startswith("-") else col.asc(), model.id)


def list_records(
    session: Session, principal: Principal, res: Resource, params: ListQuery
) -> tuple[list[Any], int]:
    principal.require(Permission.MASTER_READ)
    model = res.model
    stmt = apply_query(select(model), res, model, params)
    sites = principal.scope.sites_with(Permission.MASTER_READ)
    if sites is not None:
        stmt = stmt.where(model.site_id.in_(sites))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        order_by(stmt, res, model, params.sort).limit(params.limit).offset(params.offset)
    )
    return list(rows), int(total)


def get_record(session: Session, principal: Principal, res: Resource, record_id: int) -> Any:
    obj = session.get(res.model, record_id)
    if obj is None:
        raise NotFound(detail=f"{res.entity_type} {record_id} not found")
    principal.require_visible(Permission.MASTER_READ, obj.site_id, res.entity_type)
    return obj


def _validate_full(res: Resource, data: dict[str, Any]) -> dict[str, Any]:
    try:
        model: BaseModel = res.create.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(
            detail=f"invalid {res.entity_type}", errors=errors_from_pydantic(exc)
        ) from exc
    out = model.model_dump()
    out.pop("reason", None)
    return res.derive(out) if res.derive else out


def _check(session: Session, res: Resource, data: dict[str, Any], own_id: int | None) -> None:
    errors = unique_code(session, res, data, own_id)
    if res.check_refs:
        errors += res.check_refs(session, data, own_id)
    if errors:
        raise ValidationFailed(detail=f"invalid {res.entity_type}", errors=errors)


def create_record(session: Session, principal: Principal, res: Resource, body: BaseModel) -> Any:
    data = body.model_dump()
    principal.require(res.write_perm, data["site_id"])
    check_site(session, data["site_id"])
    data = _validate_full(res, data)
    _check(session, res, data, None)
    obj = res.model(**data)
    session.add(obj)
    session.flush()
    after = snapshot(res, obj)
    audit(
        session,
        principal.actor,
        AuditAction.CREATE,
        res.entity_type,
        obj.id,
        site_id=obj.site_id,
        after=after,
    )
    events.emit(session, f"plant.{res.entity_type}.created", after, key=str(obj.id))
    return obj


def update_record(
    session: Session, principal: Principal, res: Resource, record_id: int, body: BaseModel
) -> Any:
    obj = get_record(session, principal, res, record_id)
    principal.require(res.write_perm, obj.site_id)
    changes = body.model_dump(exclude_unset=True)
    version, reason = changes.pop("version"), changes.pop("reason", None)
    if obj.version != version:
        raise Conflict(
            detail=f"{res.entity_type} was changed by someone else (now version "
            f"{obj.version}); reload and retry",
            code="version_conflict",
        )
    if res.regulated and not reason:
        raise invalid("reason", "required", "a reason is required to change this record")
    before = snapshot(res, obj)
    current = {k: getattr(obj, k) for k in res.create.model_fields if hasattr(obj, k)}
    data = _validate_full(res, {**current, **changes})
    _check(session, res, data, obj.id)
    for key, value in data.items():
        if key not in res.immutable:
            setattr(obj, key, value)
    return _record_change(session, principal, res, obj, AuditAction.UPDATE, before, reason)


def retire_record(
    session: Session, principal: Principal, res: Resource, record_id: int, reason: str
) -> Any:
    obj = get_record(session, principal, res, record_id)
    principal.require(res.write_perm, obj.site_id)
    if obj.status == RETIRED:
        raise Conflict(detail=f"{res.entity_type} is already retired", code="already_retired")
    before = snapshot(res, obj)
    obj.status = RETIRED
    return _record_change(session, principal, res, obj, AuditAction.RETIRE, before, reason)


def _record_change(
    session: Session,
    principal: Principal,
    res: Resource,
    obj: Any,
    action: AuditAction,
    before: dict[str, Any],
    reason: str | None,
) -> Any:
    """Bump the version, then audit and announce the change in the same transaction."""
    obj.version += 1
    session.flush()
    after = snapshot(res, obj)
    audit(
        session,
        principal.actor,
        action,
        res.entity_type,
        obj.id,
        site_id=obj.site_id,
        before=before,
        after=after,
        reason=reason,
    )
    topic = {AuditAction.UPDATE: "updated", AuditAction.RETIRE: "retired"}[action]
    events.emit(session, f"plant.{res.entity_type}.{topic}", after, key=str(obj.id))
    return obj
