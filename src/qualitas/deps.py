"""FastAPI dependencies: the request's unit of work and its authenticated principal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from qualitas.auth import service as auth_service
from qualitas.auth.principal import Principal
from qualitas.db import Database
from qualitas.errors import Forbidden, NotAuthenticated

SESSION_COOKIE = "qualitas_session"
CSRF_COOKIE = "qualitas_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Paths a user may call while a password change or MFA enrolment is pending.
GATE_EXEMPT = frozenset(
    {
        "/api/auth/me",
        "/api/auth/logout",
        "/api/auth/password",
        "/api/auth/mfa/setup",
        "/api/auth/mfa/confirm",
    }
)

bearer_scheme = HTTPBearer(auto_error=False, description="API token (qlt_...)")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="Web session")


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def unit_of_work(request: Request) -> Iterator[Session]:
    """The request owns the transaction: commit after the endpoint, roll back on error."""
    session = database(request).session(write=request.method not in SAFE_METHODS)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(unit_of_work, scope="function")]


def current_principal(
    request: Request,
    session: DbSession,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Principal:
    if bearer is not None and bearer.credentials:
        principal = auth_service.principal_from_token(session, bearer.credentials)
    elif cookie:
        principal = auth_service.principal_from_cookie(session, cookie)
        sent = request.headers.get(CSRF_HEADER)
        if request.method not in SAFE_METHODS and sent != principal.csrf_token:
            raise Forbidden(detail=f"missing or wrong {CSRF_HEADER} header", code="csrf")
    else:
        raise NotAuthenticated(detail="log in or send an API token", code="not_authenticated")
    if request.url.path not in GATE_EXEMPT:
        if principal.password_change_required:
            raise Forbidden(detail="change your password first", code="password_change_required")
        if principal.mfa_setup_required:
            raise Forbidden(
                detail="set up multi-factor authentication first", code="mfa_setup_required"
            )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
