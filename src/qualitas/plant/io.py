"""Bulk import (Excel or CSV, all rows or none) and Excel export of master data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

from openpyxl import Workbook, load_workbook
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.errors import FieldError, QualitasError, invalid
from qualitas.plant.models import Level, PlantNode
from qualitas.plant.resources import Resource
from qualitas.plant.schemas import ImportReport, ImportRowError
from qualitas.plant.service import create_record, errors_from_pydantic, list_records, update_record
from qualitas.schemas import ListQuery

MAX_ROWS = 100_000
Progress = Callable[[int, int], None]


def read_rows(filename: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of the first sheet (xlsx) or of a CSV file as dicts keyed by the header row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise invalid(
                "file", "unreadable", f"not a readable .xlsx workbook ({exc.__class__.__name__})"
            ) from exc
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise invalid("file", "encoding", "CSV files must be UTF-8") from exc
        rows = [tuple(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise invalid("file", "unsupported_type", "must be a .xlsx or .csv file")
    if not rows:
        raise invalid("file", "empty", "has no header row")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    if len(rows) - 1 > MAX_ROWS:
        raise invalid("file", "too_many_rows", f"has more than {MAX_ROWS} data rows")
    out = []
    for values in rows[1:]:
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        out.append({h: _clean(v) for h, v in zip(header, values, strict=False) if h})
    return out


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def _site_ids(session: Session) -> dict[str, int]:
    q = select(PlantNode.code, PlantNode.id).where(PlantNode.level == Level.SITE)
    return {code: id_ for code, id_ in session.execute(q)}


def _row_to_body(res: Resource, row: dict[str, Any], sites: dict[str, int]) -> dict[str, Any]:
    data = dict(row)
    site = data.pop("site", None)
    if site is not None and data.get("site_id") is None:
        if str(site) not in sites:
            raise invalid("site", "not_found", f"no site with code {site!r}")
        data["site_id"] = sites[str(site)]
    data.pop("id", None)
    allowed = set(res.create.model_fields)
    return {k: v for k, v in data.items() if k in allowed and v is not None}


def _import_row(
    session: Session, principal: Principal, res: Resource, body: dict[str, Any], reason: str | None
) -> bool:
    """Create or update one row; True if created."""
    try:
        create = res.create.model_validate(body)
    except ValidationError as exc:
        raise QualitasError(detail="invalid row", errors=errors_from_pydantic(exc)) from exc
    existing = session.scalar(
        select(res.model).where(
            res.model.site_id == create.site_id,  # type: ignore[attr-defined]
            res.model.code == create.code,  # type: ignore[attr-defined]
        )
    )
    if existing is None:
        create_record(session, principal, res, create)
        return True
    validated = create.model_dump(exclude_unset=True)
    changes = {k: v for k, v in validated.items() if k in res.update.model_fields}
    update = res.update.model_validate({**changes, "version": existing.version, "reason": reason})
    update_record(session, principal, res, existing.id, update)
    return False


def import_rows(
    session: Session,
    principal: Principal,
    res: Resource,
    rows: list[dict[str, Any]],
    reason: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Apply every row or none. Errors are reported per row (rows numbered as in the sheet)."""
    principal.require(Permission.IMPORT_RUN)
    sites = _site_ids(session)
    errors: list[ImportRowError] = []
    created = updated = 0
    savepoint = session.begin_nested()
    for index, row in enumerate(rows, start=2):
        try:
            body = _row_to_body(res, row, sites)
            with session.begin_nested():
                if _import_row(session, principal, res, body, reason):
                    created += 1
                else:
                    updated += 1
        except QualitasError as exc:
            errs = exc.errors or [FieldError("row", exc.code or "invalid", exc.detail)]
            errors += [ImportRowError(row=index, field=e.field, message=e.message) for e in errs]
        if progress:
            progress(index - 1, len(rows))
    if errors:
        savepoint.rollback()
        return ImportReport(ok=False, created=0, updated=0, errors=errors)
    savepoint.commit()
    return ImportReport(ok=True, created=created, updated=updated, errors=[])


def export_rows(
    session: Session, principal: Principal, res: Resource, filters: ListQuery | None = None
) -> Iterator[dict[str, Any]]:
    """Every record matching ``filters`` (its paging is ignored), in pages of 500."""
    base = filters.model_dump() if filters else {"include_retired": True}
    offset = 0
    while True:
        params = type(filters or ListQuery()).model_validate(
            {**base, "limit": 500, "offset": offset}
        )
        rows, total = list_records(session, principal, res, params)
        for obj in rows:
            yield res.read.model_validate(obj).model_dump()
        offset += len(rows)
        if not rows or offset >= total:
            return


def export_xlsx(
    session: Session, principal: Principal, res: Resource, filters: ListQuery | None = None
) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(res.name)
    stamps = ("created_at", "updated_at", "version")
    header = [f for f in res.read.model_fields if f not in stamps] + list(stamps)
    ws.append(header)
    for row in export_rows(session, principal, res, filters):
        ws.append([_cell(row[h]) for h in header])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if hasattr(value, "value"):
        return value.value
    return value
