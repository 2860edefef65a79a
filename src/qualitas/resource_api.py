# mypy: disable-error-code="valid-type, attr-defined"
"""Routes generated from a Resource spec (list, create, export, import, read, update, retire).

(No ``from __future__ import annotations`` here: the generated endpoints use the spec's
schemas as real annotations, which FastAPI reads at definition time.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import Response

from qualitas.auth.permissions import Permission
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.errors import invalid
from qualitas.plant import io, service
from qualitas.plant.resources import Resource
from qualitas.plant.schemas import ImportReport
from qualitas.schemas import Page, PathId, RetireBody

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024


def mount_resource(router: APIRouter, res: Resource) -> None:
    """Add list, create, export, import, read, update and retire routes for ``res``."""
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
