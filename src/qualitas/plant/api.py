# mypy: disable-error-code="valid-type, attr-defined"
"""Routes of the plant master data. One router per resource is generated from its spec.

(No ``from __future__ import annotations`` here: the generated endpoints use the spec's
schemas as real annotations, which FastAPI reads at definition time.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import Field

from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.plant import hierarchy, products
from qualitas.plant.models import Level
from qualitas.plant.resources import RESOURCES
from qualitas.plant.schemas import (
    BomLineCreate,
    BomLineRead,
    BomTreeNode,
    NodeCreate,
    NodeRead,
    RevisionCreate,
    RevisionRead,
    TreeNode,
)
from qualitas.resource_api import mount_resource
from qualitas.schemas import ListQuery, Page, PathId, Reason, RetireBody, Strict, Text

router = APIRouter(prefix="/api/plant", tags=["plant"])


# --- hierarchy -----------------------------------------------------------------------------


class NodeUpdate(Strict):
    code: Annotated[str, NodeCreate.model_fields["code"].metadata[0]] | None = None
    name: Annotated[str, NodeCreate.model_fields["name"].metadata[0]] | None = None
    description: Text | None = None
    version: int = Field(ge=1, le=2**31 - 1)
    reason: Reason | None = None


class NodeQuery(ListQuery):
    level: Level | None = None
    parent_id: int | None = None
    site_id: int | None = None


@router.get("/tree", response_model=list[TreeNode])
def tree(principal: CurrentPrincipal, session: DbSession) -> list[TreeNode]:
    return hierarchy.tree(session, principal)


@router.get("/nodes", response_model=Page[NodeRead])
def list_nodes(
    params: Annotated[NodeQuery, Query()], principal: CurrentPrincipal, session: DbSession
) -> Page[NodeRead]:
    rows, total = hierarchy.list_nodes(
        session, principal, params, params.level, params.parent_id, params.site_id
    )
    return Page(
        items=[NodeRead.model_validate(r) for r in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


@router.post("/nodes", response_model=NodeRead, status_code=status.HTTP_201_CREATED)
def create_node(body: NodeCreate, principal: CurrentPrincipal, session: DbSession) -> Any:
    return hierarchy.create_node(session, principal, body)


@router.get("/nodes/{node_id}", response_model=NodeRead)
def get_node(node_id: PathId, principal: CurrentPrincipal, session: DbSession) -> Any:
    return hierarchy.get_node(session, principal, node_id)


@router.patch("/nodes/{node_id}", response_model=NodeRead)
def update_node(
    node_id: PathId, body: NodeUpdate, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return hierarchy.update_node(session, principal, node_id, body.model_dump(exclude_unset=True))


@router.post("/nodes/{node_id}/retire", response_model=NodeRead)
def retire_node(
    node_id: PathId, body: RetireBody, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return hierarchy.retire_node(session, principal, node_id, body.reason)


# --- revisions and BOM ---------------------------------------------------------------------


@router.get("/items/{item_id}/revisions", response_model=list[RevisionRead])
def list_revisions(item_id: PathId, principal: CurrentPrincipal, session: DbSession) -> Any:
    return products.list_revisions(session, principal, item_id)


@router.post(
    "/items/{item_id}/revisions", response_model=RevisionRead, status_code=status.HTTP_201_CREATED
)
def create_revision(
    item_id: PathId, body: RevisionCreate, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return products.create_revision(session, principal, item_id, body)


@router.get("/revisions/{revision_id}/bom-lines", response_model=list[BomLineRead])
def list_bom_lines(revision_id: PathId, principal: CurrentPrincipal, session: DbSession) -> Any:
    return products.list_bom_lines(session, principal, revision_id)


@router.post(
    "/revisions/{revision_id}/bom-lines",
    response_model=BomLineRead,
    status_code=status.HTTP_201_CREATED,
)
def add_bom_line(
    revision_id: PathId, body: BomLineCreate, principal: CurrentPrincipal, session: DbSession
) -> Any:
    return products.add_bom_line(session, principal, revision_id, body)


@router.get("/revisions/{revision_id}/bom-tree", response_model=BomTreeNode)
def bom_tree(revision_id: PathId, principal: CurrentPrincipal, session: DbSession) -> Any:
    return products.bom_tree(session, principal, revision_id)


# --- generic resources ---------------------------------------------------------------------

for _res in RESOURCES.values():
    mount_resource(router, _res)
