"""Routes: login, logout, current user, password, MFA, own sessions and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from qualitas.auth import credentials, service, users
from qualitas.auth.schemas import (
    LoginBody,
    LoginOut,
    Me,
    MeUpdate,
    MfaConfirm,
    MfaSetup,
    MfaSetupBody,
    PasswordChange,
    SessionRead,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from qualitas.config import get_settings
from qualitas.deps import CSRF_COOKIE, SESSION_COOKIE, CurrentPrincipal, DbSession
from qualitas.errors import NotAuthenticated, ValidationFailed
from qualitas.schemas import PathId

router = APIRouter(prefix="/api/auth", tags=["auth"])
NO_CONTENT = status.HTTP_204_NO_CONTENT


@router.post("/login", response_model=LoginOut)
def login(body: LoginBody, request: Request, response: Response, session: DbSession) -> LoginOut:
    client = request.client.host if request.client else None
    result = service.login(
        session,
        body.username,
        body.password,
        body.totp_code,
        user_agent=request.headers.get("user-agent"),
        ip=client,
    )
    if result.user is None or result.cookie is None:
        session.commit()  # keep the audit entry and the failure counter
        messages = {
            "mfa_required": "enter the code from your authenticator app",
            "account_locked": "too many failed attempts; try again later",
            "account_inactive": "the account is deactivated",
        }
        raise NotAuthenticated(
            detail=messages.get(result.code or "", "wrong user name or password"), code=result.code
        )
    secure = get_settings().security.cookie_secure
    policy = service.current_policy()
    max_age = int(policy.absolute_timeout.total_seconds())
    response.set_cookie(
        SESSION_COOKIE,
        result.cookie,
        max_age=max_age,
        httponly=True,
        secure=secure,
        samesite="strict",
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        result.csrf or "",
        max_age=max_age,
        httponly=False,
        secure=secure,
        samesite="strict",
        path="/",
    )
    principal = service.principal_from_cookie(session, result.cookie)
    return LoginOut(user=users.me(session, principal))


@router.post("/logout", status_code=NO_CONTENT)
def logout(principal: CurrentPrincipal, session: DbSession, response: Response) -> None:
    service.logout(session, principal)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.get("/me", response_model=Me)
def me(principal: CurrentPrincipal, session: DbSession) -> Me:
    return users.me(session, principal)


@router.patch("/me", response_model=Me)
def update_me(body: MeUpdate, principal: CurrentPrincipal, session: DbSession) -> Me:
    return users.update_me(session, principal, body.model_dump(exclude_unset=True))


@router.post("/password", status_code=NO_CONTENT)
def change_password(body: PasswordChange, principal: CurrentPrincipal, session: DbSession) -> None:
    try:
        service.change_password(session, principal, body.current_password, body.new_password)
    except ValidationFailed as exc:
        if any(e.field == "current_password" for e in exc.errors):
            session.rollback()
            service.record_reauth_failure(session, principal)
            session.commit()
        raise


@router.post("/mfa/setup", response_model=MfaSetup)
def mfa_setup(
    principal: CurrentPrincipal, session: DbSession, body: MfaSetupBody | None = None
) -> MfaSetup:
    current = body.current_password if body else None
    return MfaSetup(**credentials.mfa_setup(session, principal, current))


@router.post("/mfa/confirm", status_code=NO_CONTENT)
def mfa_confirm(body: MfaConfirm, principal: CurrentPrincipal, session: DbSession) -> None:
    credentials.mfa_confirm(session, principal, body.code)


@router.get("/sessions", response_model=list[SessionRead])
def sessions(principal: CurrentPrincipal, session: DbSession) -> list[SessionRead]:
    rows = credentials.list_sessions(session, principal)
    return [
        SessionRead.model_validate(r).model_copy(update={"current": r.id == principal.session_id})
        for r in rows
    ]


@router.post("/sessions/{session_id}/revoke", status_code=NO_CONTENT)
def revoke_session(session_id: PathId, principal: CurrentPrincipal, session: DbSession) -> None:
    credentials.revoke_session(session, principal, session_id)


@router.get("/tokens", response_model=list[TokenRead])
def tokens(principal: CurrentPrincipal, session: DbSession) -> list[TokenRead]:
    return [TokenRead.model_validate(t) for t in credentials.list_tokens(session, principal)]


@router.post("/tokens", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(
    body: TokenCreate, principal: CurrentPrincipal, session: DbSession
) -> TokenCreated:
    row, secret = credentials.create_token(session, principal, body.name, body.expires_in_days)
    return TokenCreated(id=row.id, name=row.name, token=secret, expires_at=row.expires_at)


@router.post("/tokens/{token_id}/revoke", status_code=NO_CONTENT)
def revoke_token(token_id: PathId, principal: CurrentPrincipal, session: DbSession) -> None:
    credentials.revoke_token(session, principal, token_id)
