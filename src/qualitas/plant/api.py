# mypy: disable-error-code="valid-type, attr-defined"
"""Routes of the plant master data. One router per resource is generated from its spec.

(No ``from __future__ import annotations`` here: the generated endpoints use the spec's
schemas as real annotations, which FastAPI reads at definition time.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import Response
from pydantic import Field

from qualitas.auth.permissions import Permission
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.errors import invalid
from qualitas.plant import hierarchy, io, products, service
from qualitas.plant.models import Level
from qualitas.plant.resources import RESOURCES, Resource
from qualitas.plant.schemas import (
    BomLineCreate,
    BomLineRead,
    BomTreeNode,
    ImportReport,
    NodeCreate,
    NodeRead,
    RevisionCreate,
    RevisionRead,
    TreeNode,
)
from qualitas.schemas import ListQuery, Page, PathId, Reason, RetireBody, Strict, Text

router = APIRouter(prefix="/api/plant", tags=["plant"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024


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


def _mount(res: Resource) -> None:
    path = f"/{res.name}"
    create_schema, update_schema, read_schema, query_schema = (
        res.create,
        res.update,
        res.read,
        res.query,
    )

    @router.get(path, response_model=Page[read_schema], name=f"list_{res.name}")
    def list_(
        params: Annotated[query_schema, Query()],
        principal: CurrentPrincipal,
        session: DbSession,
    ) -> Any:
        rows, total = service.list_records(session, principal, res, params)
        return {"items": rows, "total": total, "limit": params.limit, "offset": params.offset}

    @router.post(
        path,
        response_model=read_schema,
        status_code=status.HTTP_201_CREATED,
        name=f"create_{res.entity_type}",
    )
    def create(body: create_schema, principal: CurrentPrincipal, session: DbSession) -> Any:
        return service.create_record(session, principal, res, body)

    @router.get(
        f"{path}/export.xlsx",
        name=f"export_{res.name}",
        responses={200: {"content": {XLSX: {}}}},
        response_class=Response,
    )
    def export(
        params: Annotated[query_schema, Query()],
        principal: CurrentPrincipal,
        session: DbSession,
    ) -> Response:
        """Every record matching the list filters (paging parameters are ignored)."""
        principal.require(Permission.MASTER_READ)
        data = io.export_xlsx(session, principal, res, params)
        headers = {"Content-Disposition": f'attachment; filename="{res.name}.xlsx"'}
        return Response(data, media_type=XLSX, headers=headers)

    @router.post(f"{path}/import", response_model=ImportReport, name=f"import_{res.name}")
    async def import_(
        principal: CurrentPrincipal,
        session: DbSession,
        file: Annotated[UploadFile, File(description=".xlsx or .csv")],
        reason: Annotated[str | None, Form(max_length=2000)] = None,
    ) -> Any:
        principal.require(Permission.IMPORT_RUN)
        content = await file.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            raise invalid("file", "too_large", "must be at most 20 MB")
        rows = io.read_rows(file.filename or "", content)
        return io.import_rows(session, principal, res, rows, reason=reason)

    @router.get(f"{path}/{{record_id}}", response_model=read_schema, name=f"get_{res.entity_type}")
    def get(record_id: PathId, principal: CurrentPrincipal, session: DbSession) -> Any:
        return service.get_record(session, principal, res, record_id)

    @router.patch(
        f"{path}/{{record_id}}", response_model=read_schema, name=f"update_{res.entity_type}"
    )
    def update(
        record_id: PathId,
        body: update_schema,
        principal: CurrentPrincipal,
        session: DbSession,
    ) -> Any:
        return service.update_record(session, principal, res, record_id, body)

    @router.post(
        f"{path}/{{record_id}}/retire", response_model=read_schema, name=f"retire_{res.entity_type}"
    )
    def retire(
        record_id: PathId, body: RetireBody, principal: CurrentPrincipal, session: DbSession
    ) -> Any:
        return service.retire_record(session, principal, res, record_id, body.reason)


for _res in RESOURCES.values():
    _mount(_res)
