"""Routes: bulk measurement ingest (JSON and CSV) and reading lists."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile

from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.errors import invalid
from qualitas.measure import service
from qualitas.measure.schemas import IngestReport, MeasurementBatch, MeasurementRead
from qualitas.schemas import PathId

router = APIRouter(prefix="/api/measurements", tags=["measurements"])
MAX_UPLOAD = 50 * 1024 * 1024


@router.post("", response_model=IngestReport)
def ingest(body: MeasurementBatch, principal: CurrentPrincipal, session: DbSession) -> Any:
    """Store valid rows (duplicates ignored); invalid rows are reported by row and field."""
    return service.ingest(session, principal, body.rows)


@router.post("/csv", response_model=IngestReport)
async def ingest_csv(
    principal: CurrentPrincipal,
    session: DbSession,
    file: Annotated[UploadFile, File(description="UTF-8 CSV")],
) -> Any:
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise invalid("file", "too_large", "must be at most 50 MB")
    return service.ingest(session, principal, service.parse_csv(content))


@router.get("/characteristics/{characteristic_id}", response_model=list[MeasurementRead])
def readings(
    characteristic_id: PathId,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
    before_id: Annotated[int | None, Query(ge=1)] = None,
) -> Any:
    return service.list_measurements(session, principal, characteristic_id, limit, before_id)
