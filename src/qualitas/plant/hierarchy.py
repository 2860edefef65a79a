"""ISA-95 hierarchy use cases: enterprise > site > area > line > station."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualitas import events
from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.errors import Conflict, FieldError, NotFound, ValidationFailed, invalid
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.plant.models import PARENT_LEVEL, Level, PlantNode, RecordStatus
from qualitas.plant.schemas import NodeCreate, NodeRead, TreeNode
from qualitas.schemas import ListQuery

ENTITY = "node"


def _snap(node: PlantNode) -> dict[str, Any]:
    return NodeRead.model_validate(node).model_dump(mode="json")


def _visible(principal: Principal, node: PlantNode) -> bool:
    if node.level == Level.ENTERPRISE:
        return principal.scope.can_anywhere(Permission.MASTER_READ)
    return principal.scope.can(Permission.MASTER_READ, node.site_id)


def get_node(session: Session, principal: Principal, node_id: int) -> PlantNode:
    node = session.get(PlantNode, node_id)
    if node is None or not _visible(principal, node):
        raise NotFound(detail=f"plant node {node_id} not found")
    return node


def list_nodes(
    session: Session,
    principal: Principal,
    params: ListQuery,
    level: Level | None,
    parent_id: int | None,
    site_id: int | None,
) -> tuple[list[PlantNode], int]:
    principal.require(Permission.MASTER_READ)
    stmt = select(PlantNode)
    if level is not None:
        stmt = stmt.where(PlantNode.level == level)
    if parent_id is not None:
        stmt = stmt.where(PlantNode.parent_id == parent_id)
    if site_id is not None:
        stmt = stmt.where(PlantNode.site_id == site_id)
    if not params.include_retired:
        stmt = stmt.where(PlantNode.status == RecordStatus.ACTIVE)
    if params.q:
        pat = f"%{params.q.strip().lower()}%"
        stmt = stmt.where(
            func.lower(PlantNode.code).like(pat) | func.lower(PlantNode.name).like(pat)
        )
    sites = principal.scope.sites_with(Permission.MASTER_READ)
    if sites is not None:
        stmt = stmt.where(PlantNode.site_id.in_(sites) | (PlantNode.level == Level.ENTERPRISE))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    sortable = {"code", "name", "level", "updated_at"}
    if params.sort and params.sort.removeprefix("-") not in sortable:
        raise invalid("sort", "unknown_field", f"must be one of: {', '.join(sorted(sortable))}")
    key = getattr(PlantNode, (params.sort or "id").removeprefix("-"))
    key = key.desc() if (params.sort or "").startswith("-") else key.asc()
    rows = session.scalars(
        stmt.order_by(key, PlantNode.id).limit(params.limit).offset(params.offset)
    )
    return list(rows), int(total)


def tree(session: Session, principal: Principal) -> list[TreeNode]:
    principal.require(Permission.MASTER_READ)
    nodes = [
        n
        for n in session.scalars(select(PlantNode).order_by(PlantNode.code))
        if n.status == RecordStatus.ACTIVE and _visible(principal, n)
    ]
    by_id = {
        n.id: TreeNode(
            id=n.id, level=Level(n.level), code=n.code, name=n.name, status=RecordStatus(n.status)
        )
        for n in nodes
    }
    roots: list[TreeNode] = []
    for n in nodes:
        parent = by_id.get(n.parent_id) if n.parent_id is not None else None
        (parent.children if parent else roots).append(by_id[n.id])
    return roots


def _check_parent(session: Session, principal: Principal, body: NodeCreate) -> PlantNode | None:
    want = PARENT_LEVEL[body.level]
    if want is None:
        if body.parent_id is not None:
            raise invalid("parent_id", "not_allowed", "an enterprise has no parent")
        principal.require_global(Permission.HIERARCHY_WRITE)
        return None
    if body.parent_id is None:
        raise invalid("parent_id", "required", f"a {body.level} needs a parent {want}")
    parent = session.get(PlantNode, body.parent_id)
    if parent is None or parent.status != RecordStatus.ACTIVE:
        raise invalid("parent_id", "not_found", "no active plant node with this id")
    if parent.level != want:
        raise invalid("parent_id", "wrong_level", f"the parent of a {body.level} must be a {want}")
    if body.level == Level.SITE:
        principal.require_global(Permission.HIERARCHY_WRITE)
    else:
        principal.require(Permission.HIERARCHY_WRITE, parent.site_id)
    return parent


def create_node(session: Session, principal: Principal, body: NodeCreate) -> PlantNode:
    parent = _check_parent(session, principal, body)
    dup = session.scalar(
        select(PlantNode.id).where(
            PlantNode.code == body.code,
            PlantNode.parent_id == body.parent_id
            if body.parent_id
            else PlantNode.parent_id.is_(None),
        )
    )
    if dup is not None:
        raise ValidationFailed(
            detail="duplicate code",
            errors=[FieldError("code", "duplicate", "is already used here")],
        )
    node = PlantNode(
        level=body.level,
        parent_id=body.parent_id,
        code=body.code,
        name=body.name,
        description=body.description,
        site_id=parent.site_id if parent else None,
    )
    session.add(node)
    session.flush()
    if node.level == Level.SITE:
        node.site_id = node.id
        session.flush()
    after = _snap(node)
    audit(
        session,
        principal.actor,
        AuditAction.CREATE,
        ENTITY,
        node.id,
        site_id=node.site_id,
        after=after,
    )
    events.emit(session, "plant.node.created", after, key=str(node.id))
    return node


def update_node(
    session: Session, principal: Principal, node_id: int, changes: dict[str, Any]
) -> PlantNode:
    node = get_node(session, principal, node_id)
    _require_write(principal, node)
    version, reason = changes.pop("version"), changes.pop("reason", None)
    if node.version != version:
        raise Conflict(
            detail="plant node was changed by someone else; reload and retry",
            code="version_conflict",
        )
    for key in ("code", "name"):
        if key in changes and changes[key] is None:
            raise invalid(key, "required", "must not be empty")
    if "code" in changes and changes["code"] != node.code:
        dup = session.scalar(
            select(PlantNode.id).where(
                PlantNode.code == changes["code"], PlantNode.parent_id == node.parent_id
            )
        )
        if dup is not None:
            raise invalid("code", "duplicate", "is already used here")
    before = _snap(node)
    for key, value in changes.items():
        setattr(node, key, value)
    node.version += 1
    session.flush()
    after = _snap(node)
    audit(
        session,
        principal.actor,
        AuditAction.UPDATE,
        ENTITY,
        node.id,
        site_id=node.site_id,
        before=before,
        after=after,
        reason=reason,
    )
    events.emit(session, "plant.node.updated", after, key=str(node.id))
    return node


def _require_write(principal: Principal, node: PlantNode) -> None:
    if node.level in (Level.ENTERPRISE, Level.SITE):
        principal.require_global(Permission.HIERARCHY_WRITE)
    else:
        principal.require(Permission.HIERARCHY_WRITE, node.site_id)


def retire_node(session: Session, principal: Principal, node_id: int, reason: str) -> PlantNode:
    node = get_node(session, principal, node_id)
    _require_write(principal, node)
    if node.status == RecordStatus.RETIRED:
        raise Conflict(detail="plant node is already retired", code="already_retired")
    active_child = session.scalar(
        select(PlantNode.id)
        .where(PlantNode.parent_id == node.id, PlantNode.status == RecordStatus.ACTIVE)
        .limit(1)
    )
    if active_child is not None:
        raise Conflict(detail="retire the node's children first", code="has_active_children")
    before = _snap(node)
    node.status = RecordStatus.RETIRED
    node.version += 1
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.RETIRE,
        ENTITY,
        node.id,
        site_id=node.site_id,
        before=before,
        after=_snap(node),
        reason=reason,
    )
    events.emit(session, "plant.node.retired", _snap(node), key=str(node.id))
    return node


def sites(session: Session, ids: frozenset[int] | None) -> list[PlantNode]:
    stmt = (
        select(PlantNode)
        .where(PlantNode.level == Level.SITE, PlantNode.status == RecordStatus.ACTIVE)
        .order_by(PlantNode.code)
    )
    if ids is not None:
        stmt = stmt.where(PlantNode.id.in_(ids))
    return list(session.scalars(stmt))
