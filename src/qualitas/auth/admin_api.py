"""Routes: user administration and the role catalogue (global users.admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from qualitas.auth import users
from qualitas.auth.permissions import Permission
from qualitas.auth.schemas import (
    GrantCreate,
    GrantRevoke,
    PasswordReset,
    RoleRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from qualitas.deps import CurrentPrincipal, DbSession
from qualitas.schemas import ListQuery, Page, PathId

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/users", response_model=Page[UserRead])
def list_users(
    params: Annotated[ListQuery, Query()], principal: CurrentPrincipal, session: DbSession
) -> Page[UserRead]:
    rows, total = users.list_users(session, principal, params)
    return Page(
        items=[users.user_read(session, u) for u in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, principal: CurrentPrincipal, session: DbSession) -> UserRead:
    return users.user_read(session, users.create_user(session, principal, body))


@router.get("/users/{user_id}", response_model=UserRead)
def get_user(user_id: PathId, principal: CurrentPrincipal, session: DbSession) -> UserRead:
    return users.user_read(session, users.get_user(session, principal, user_id))


@router.patch("/users/{user_id}", response_model=UserRead)
def update_user(
    user_id: PathId, body: UserUpdate, principal: CurrentPrincipal, session: DbSession
) -> UserRead:
    return users.user_read(session, users.update_user(session, principal, user_id, body))


@router.post(
    "/users/{user_id}/grants", response_model=UserRead, status_code=status.HTTP_201_CREATED
)
def grant(
    user_id: PathId, body: GrantCreate, principal: CurrentPrincipal, session: DbSession
) -> UserRead:
    users.grant_role(session, principal, user_id, body.role, body.site_id, body.reason)
    return users.user_read(session, users.get_user(session, principal, user_id))


@router.post("/users/{user_id}/grants/{grant_id}/revoke", response_model=UserRead)
def revoke(
    user_id: PathId,
    grant_id: PathId,
    body: GrantRevoke,
    principal: CurrentPrincipal,
    session: DbSession,
) -> UserRead:
    users.revoke_grant(session, principal, user_id, grant_id, body.reason)
    return users.user_read(session, users.get_user(session, principal, user_id))


@router.post("/users/{user_id}/unlock", response_model=UserRead)
def unlock(user_id: PathId, principal: CurrentPrincipal, session: DbSession) -> UserRead:
    return users.user_read(session, users.unlock(session, principal, user_id))


@router.post("/users/{user_id}/reset-password", response_model=UserRead)
def reset_password(
    user_id: PathId, body: PasswordReset, principal: CurrentPrincipal, session: DbSession
) -> UserRead:
    user = users.reset_password(session, principal, user_id, body.new_password, body.reason)
    return users.user_read(session, user)


@router.get("/roles", response_model=list[RoleRead])
def roles(principal: CurrentPrincipal) -> list[RoleRead]:
    principal.require(Permission.USERS_ADMIN)
    return [RoleRead.model_validate(r) for r in users.roles()]
