"""Item revisions and multi-level bills of materials."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas import events
from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.errors import FieldError, NotFound, ValidationFailed, invalid
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.plant import bom
from qualitas.plant.models import BomLine, Item, ItemRevision, RecordStatus, RevisionStatus
from qualitas.plant.resources import RESOURCES
from qualitas.plant.schemas import (
    BomLineCreate,
    BomLineRead,
    BomTreeNode,
    RevisionCreate,
    RevisionRead,
)
from qualitas.plant.service import get_record

ITEMS = RESOURCES["items"]


def _item(session: Session, principal: Principal, item_id: int) -> Item:
    item: Item = get_record(session, principal, ITEMS, item_id)
    return item


def list_revisions(session: Session, principal: Principal, item_id: int) -> list[ItemRevision]:
    _item(session, principal, item_id)
    return list(
        session.scalars(
            select(ItemRevision).where(ItemRevision.item_id == item_id).order_by(ItemRevision.id)
        )
    )


def create_revision(
    session: Session, principal: Principal, item_id: int, body: RevisionCreate
) -> ItemRevision:
    item = _item(session, principal, item_id)
    principal.require(Permission.MASTER_WRITE, item.site_id)
    if not body.reason:
        raise invalid("reason", "required", "a reason is required to add a revision")
    dup = session.scalar(
        select(ItemRevision.id).where(
            ItemRevision.item_id == item_id, ItemRevision.revision == body.revision
        )
    )
    if dup is not None:
        raise invalid("revision", "duplicate", "already exists for this item")
    rev = ItemRevision(
        item_id=item_id,
        revision=body.revision,
        status=body.status,
        effective_from=body.effective_from,
        change_note=body.change_note,
    )
    session.add(rev)
    session.flush()
    after = RevisionRead.model_validate(rev).model_dump(mode="json")
    audit(
        session,
        principal.actor,
        AuditAction.CREATE,
        "item_revision",
        rev.id,
        site_id=item.site_id,
        after=after,
        reason=body.reason,
    )
    if body.status == RevisionStatus.RELEASED:
        before = {"current_revision": item.current_revision}
        item.current_revision = rev.revision
        item.version += 1
        audit(
            session,
            principal.actor,
            AuditAction.UPDATE,
            "item",
            item.id,
            site_id=item.site_id,
            before=before,
            after={"current_revision": rev.revision},
            reason=body.reason,
        )
    events.emit(session, "plant.item_revision.created", after, key=str(rev.id))
    return rev


def _revision(
    session: Session, principal: Principal, revision_id: int
) -> tuple[ItemRevision, Item]:
    rev = session.get(ItemRevision, revision_id)
    if rev is None:
        raise NotFound(detail=f"item revision {revision_id} not found")
    return rev, _item(session, principal, rev.item_id)


def _line_read(line: BomLine, code: str) -> BomLineRead:
    data = {c: getattr(line, c) for c in BomLineRead.model_fields if c != "component_code"}
    return BomLineRead(**data, component_code=code)


def list_bom_lines(session: Session, principal: Principal, revision_id: int) -> list[BomLineRead]:
    _revision(session, principal, revision_id)
    rows = session.execute(
        select(BomLine, Item.code)
        .join(Item, Item.id == BomLine.component_item_id)
        .where(BomLine.parent_revision_id == revision_id, BomLine.status == RecordStatus.ACTIVE)
        .order_by(BomLine.position, BomLine.id)
    )
    return [_line_read(line, code) for line, code in rows]


def edges(session: Session, site_id: int) -> dict[int, list[bom.BomEdge]]:
    """Item -> components through each item's current revision."""
    rows = session.execute(
        select(Item.id, BomLine.component_item_id, BomLine.quantity, BomLine.unit)
        .join(
            ItemRevision,
            (ItemRevision.item_id == Item.id) & (ItemRevision.revision == Item.current_revision),
        )
        .join(BomLine, BomLine.parent_revision_id == ItemRevision.id)
        .where(Item.site_id == site_id, BomLine.status == RecordStatus.ACTIVE)
        .order_by(BomLine.position, BomLine.id)
    )
    out: dict[int, list[bom.BomEdge]] = {}
    for parent, comp, qty, unit in rows:
        out.setdefault(parent, []).append(bom.BomEdge(comp, qty, unit))
    return out


def add_bom_line(
    session: Session, principal: Principal, revision_id: int, body: BomLineCreate
) -> BomLineRead:
    rev, parent = _revision(session, principal, revision_id)
    principal.require(Permission.MASTER_WRITE, parent.site_id)
    if not body.reason:
        raise invalid("reason", "required", "a reason is required to change a BOM")
    comp = session.get(Item, body.component_item_id)
    errors: list[FieldError] = []
    if comp is None or comp.status != RecordStatus.ACTIVE or comp.site_id != parent.site_id:
        errors.append(FieldError("component_item_id", "not_found", "no active item of this site"))
    elif bom.creates_cycle(parent.id, comp.id, edges(session, parent.site_id)):
        errors.append(FieldError("component_item_id", "cycle", "would make the BOM circular"))
    elif session.scalar(
        select(BomLine.id).where(
            BomLine.parent_revision_id == rev.id, BomLine.component_item_id == comp.id
        )
    ):
        errors.append(FieldError("component_item_id", "duplicate", "is already in this BOM"))
    if errors or comp is None:
        raise ValidationFailed(detail="invalid BOM line", errors=errors)
    line = BomLine(
        parent_revision_id=rev.id,
        component_item_id=comp.id,
        quantity=body.quantity,
        unit=body.unit or comp.unit,
        position=body.position,
    )
    session.add(line)
    session.flush()
    out = _line_read(line, comp.code)
    after = out.model_dump(mode="json")
    audit(
        session,
        principal.actor,
        AuditAction.CREATE,
        "bom_line",
        line.id,
        site_id=parent.site_id,
        after=after,
        reason=body.reason,
    )
    events.emit(session, "plant.bom_line.created", after, key=str(line.id))
    return out


def bom_tree(session: Session, principal: Principal, revision_id: int) -> BomTreeNode:
    rev, root = _revision(session, principal, revision_id)
    graph = edges(session, root.site_id)
    direct = [
        bom.BomEdge(line.component_item_id, line.quantity, line.unit)
        for line in session.scalars(
            select(BomLine)
            .where(BomLine.parent_revision_id == rev.id, BomLine.status == RecordStatus.ACTIVE)
            .order_by(BomLine.position, BomLine.id)
        )
    ]
    graph[root.id] = direct
    try:
        exploded = bom.explode(root.id, graph, root.unit)
    except ValueError as exc:
        raise ValidationFailed(detail=str(exc), code="bom_cycle") from exc
    items = {i.id: i for i in session.scalars(select(Item).where(Item.site_id == root.site_id))}

    def convert(node: bom.ExplodedNode, revision: str | None) -> BomTreeNode:
        item = items[node.item]
        return BomTreeNode(
            item_id=item.id,
            item_code=item.code,
            item_name=item.name,
            revision=revision,
            quantity=node.quantity,
            unit=node.unit,
            children=[convert(c, items[c.item].current_revision) for c in node.children],
        )

    return convert(exploded, rev.revision)


def revision_snapshot(rev: ItemRevision) -> dict[str, Any]:
    return RevisionRead.model_validate(rev).model_dump(mode="json")
