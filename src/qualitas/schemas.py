"""API building blocks shared by every domain: pages, list queries, reasons, codes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, TypeVar

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,39}$"),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Text = Annotated[str, StringConstraints(max_length=4000)]


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ListQuery(Strict):
    """Paging, sorting and search common to every list endpoint."""

    limit: int = Field(50, ge=1, le=500, description="Page size.")
    offset: int = Field(0, ge=0, le=10_000_000, description="Rows to skip.")
    sort: str | None = Field(
        None, max_length=64, description="Field name; prefix - for descending."
    )
    q: str | None = Field(None, max_length=200, description="Case-insensitive text search.")
    include_retired: bool = Field(False, description="Also list retired records.")


class RetireBody(Strict):
    reason: Reason


class Stamped(ReadModel):
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


PathId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Record id.")]
