"""The error tree of Qualitas, rendered as RFC 9457 problem details.

Services raise these; ``app.py`` turns them into ``application/problem+json``.
Each error names the field(s) at fault and a stable ``code`` the web app translates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

PROBLEM_BASE = "https://qualitas.dev/problems/"


@dataclass(frozen=True)
class FieldError:
    """One invalid field: dotted path, stable code, human message."""

    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class QualitasError(Exception):
    """Base of every expected failure. Subclasses fix the HTTP status and problem type."""

    detail: str
    errors: list[FieldError] = field(default_factory=list)
    code: str | None = None
    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __str__(self) -> str:
        if self.errors:
            return "; ".join(f"{e.field}: {e.message}" for e in self.errors)
        return self.detail

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.code:
            body["code"] = self.code
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        return body


class ValidationFailed(QualitasError):
    status = 422
    slug = "validation"
    title = "Validation failed"


class NotAuthenticated(QualitasError):
    status = 401
    slug = "not-authenticated"
    title = "Not authenticated"


class Forbidden(QualitasError):
    status = 403
    slug = "forbidden"
    title = "Forbidden"


class NotFound(QualitasError):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(QualitasError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class TooManyRequests(QualitasError):
    status = 429
    slug = "too-many-requests"
    title = "Too many requests"


def invalid(field_name: str, code: str, message: str) -> ValidationFailed:
    """Shorthand for a single-field validation failure."""
    return ValidationFailed(
        detail=f"{field_name}: {message}", errors=[FieldError(field_name, code, message)]
    )
