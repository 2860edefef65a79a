"""User administration: accounts, role grants per site, unlock and password reset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qualitas.auth import service as auth_service
from qualitas.auth.models import RoleGrant, User
from qualitas.auth.permissions import ROLE_PERMISSIONS, Permission, Role
from qualitas.auth.principal import Principal
from qualitas.auth.schemas import GrantRead, Me, SiteRef, UserCreate, UserRead, UserUpdate
from qualitas.db import utcnow
from qualitas.errors import Conflict, NotFound, invalid
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit
from qualitas.plant import hierarchy
from qualitas.plant.models import PlantNode
from qualitas.schemas import ListQuery

USER_SORT = ("username", "full_name", "last_login_at", "created_at")


def _site_codes(session: Session) -> dict[int, str]:
    return {n.id: n.code for n in hierarchy.sites(session, None)}


def user_read(session: Session, user: User) -> UserRead:
    codes = _site_codes(session)
    grants = [
        GrantRead(
            id=g.id,
            role=Role(g.role),
            site_id=g.site_id,
            site_code=codes.get(g.site_id) if g.site_id else None,
        )
        for g in user.grants
    ]
    data = {k: getattr(user, k) for k in UserRead.model_fields if k != "grants"}
    return UserRead(**data, grants=grants)


def _snap(session: Session, user: User) -> dict[str, Any]:
    return user_read(session, user).model_dump(mode="json", exclude={"grants"})


def me(session: Session, principal: Principal) -> Me:
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound(detail="user not found")
    read = user_read(session, user)
    visible = principal.scope.sites_with(Permission.MASTER_READ)
    if visible is None and not principal.scope.can_anywhere(Permission.MASTER_READ):
        visible = frozenset()
    site_ids = visible if visible is not None else None
    sites = [SiteRef(id=s.id, code=s.code, name=s.name) for s in hierarchy.sites(session, site_ids)]
    return Me(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        locale=user.locale,
        grants=read.grants,
        permissions=sorted(str(p) for p in principal.scope.permissions()),
        sites=sites,
        mfa_enabled=user.mfa_enabled,
        password_change_required=principal.password_change_required,
        mfa_setup_required=principal.mfa_setup_required,
        policy_profile=auth_service.current_policy().name,
    )


def update_me(session: Session, principal: Principal, changes: dict[str, Any]) -> Me:
    """A user's own preferences (language, display name); audited like any user change."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound(detail="user not found")
    for key in ("locale", "full_name"):
        if key in changes and changes[key] is None:
            raise invalid(key, "required", "must not be empty")
    before = _snap(session, user)
    for key, value in changes.items():
        setattr(user, key, value)
    user.version += 1
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.UPDATE,
        "user",
        user.id,
        before=before,
        after=_snap(session, user),
    )
    return me(session, principal)


def list_users(session: Session, principal: Principal, params: ListQuery) -> tuple[list[User], int]:
    principal.require_global(Permission.USERS_ADMIN)
    stmt = select(User)
    if params.q:
        pat = f"%{params.q.strip().lower()}%"
        stmt = stmt.where(
            or_(func.lower(User.username).like(pat), func.lower(User.full_name).like(pat))
        )
    if not params.include_retired:
        stmt = stmt.where(User.active.is_(True))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    sort = params.sort or "username"
    if sort.removeprefix("-") not in USER_SORT:
        raise invalid("sort", "unknown_field", f"must be one of: {', '.join(USER_SORT)}")
    col = getattr(User, sort.removeprefix("-"))
    stmt = stmt.order_by(col.desc() if sort.startswith("-") else col, User.id)
    return list(session.scalars(stmt.limit(params.limit).offset(params.offset))), int(total)


def get_user(session: Session, principal: Principal, user_id: int) -> User:
    principal.require_global(Permission.USERS_ADMIN)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(detail=f"user {user_id} not found")
    return user


def create_user(session: Session, principal: Principal, body: UserCreate) -> User:
    principal.require_global(Permission.USERS_ADMIN)
    if session.scalar(select(User.id).where(User.username == body.username)) is not None:
        raise invalid("username", "duplicate", "is already taken")
    auth_service.validate_new_password(None, body.password, body.username, body.email, "password")
    user = User(
        username=body.username,
        full_name=body.full_name,
        email=body.email,
        locale=body.locale,
        password_hash="",
        must_change_password=body.must_change_password,
    )
    session.add(user)
    session.flush()
    auth_service.set_password(session, user, body.password, must_change=body.must_change_password)
    session.flush()
    session.refresh(user)
    audit(session, principal.actor, AuditAction.CREATE, "user", user.id, after=_snap(session, user))
    return user


def update_user(session: Session, principal: Principal, user_id: int, body: UserUpdate) -> User:
    user = get_user(session, principal, user_id)
    if user.version != body.version:
        raise Conflict(
            detail="user was changed by someone else; reload and retry", code="version_conflict"
        )
    changes = body.model_dump(exclude_unset=True, exclude={"version", "reason"})
    for key in ("full_name", "locale", "active"):
        if key in changes and changes[key] is None:
            raise invalid(key, "required", "must not be empty")
    if changes.get("active") is False and user.id == principal.user_id:
        raise invalid("active", "self", "you cannot deactivate your own account")
    before = _snap(session, user)
    for key, value in changes.items():
        setattr(user, key, value)
    user.version += 1
    if changes.get("active") is False:
        _revoke_sessions(session, user.id)
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.UPDATE,
        "user",
        user.id,
        before=before,
        after=_snap(session, user),
        reason=body.reason,
    )
    return user


def _revoke_sessions(session: Session, user_id: int) -> int:
    """Deactivation and admin password reset end every session and API token of the user."""
    return auth_service.revoke_credentials(session, user_id)


def grant_role(
    session: Session,
    principal: Principal,
    user_id: int,
    role: Role,
    site_id: int | None,
    reason: str,
) -> RoleGrant:
    user = get_user(session, principal, user_id)
    if site_id is not None:
        node = session.get(PlantNode, site_id)
        if node is None or node.level != "site":
            raise invalid("site_id", "not_found", "no site with this id")
    for g in user.grants:
        if g.role == role and g.site_id == site_id:
            raise invalid("role", "duplicate", "the user already holds this role here")
    grant = RoleGrant(user_id=user.id, role=role, site_id=site_id, granted_by=principal.user_id)
    session.add(grant)
    session.flush()
    session.expire(user, ["grants"])
    audit(
        session,
        principal.actor,
        AuditAction.ROLE_GRANT,
        "user",
        user.id,
        site_id=site_id,
        after={
            "grant_id": grant.id,
            "role": str(role),
            "site_id": site_id,
            "permissions": sorted(str(p) for p in ROLE_PERMISSIONS[role]),
        },
        reason=reason,
    )
    return grant


def revoke_grant(
    session: Session, principal: Principal, user_id: int, grant_id: int, reason: str
) -> None:
    user = get_user(session, principal, user_id)
    grant = session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id or grant.revoked_at is not None:
        raise NotFound(detail=f"active grant {grant_id} not found for this user")
    if user.id == principal.user_id and grant.role == Role.ADMIN:
        raise invalid("grant_id", "self", "you cannot revoke your own admin role")
    grant.revoked_at, grant.revoked_by = utcnow(), principal.user_id
    session.flush()
    session.expire(user, ["grants"])
    audit(
        session,
        principal.actor,
        AuditAction.ROLE_REVOKE,
        "user",
        user.id,
        site_id=grant.site_id,
        before={"grant_id": grant.id, "role": grant.role, "site_id": grant.site_id},
        reason=reason,
    )


def unlock(session: Session, principal: Principal, user_id: int) -> User:
    user = get_user(session, principal, user_id)
    before = {"failed_attempts": user.failed_attempts, "locked_until": user.locked_until}
    user.failed_attempts, user.locked_until = 0, None
    audit(
        session,
        principal.actor,
        AuditAction.USER_UNLOCK,
        "user",
        user.id,
        before=before,
        after={"failed_attempts": 0, "locked_until": None},
    )
    return user


def reset_password(
    session: Session, principal: Principal, user_id: int, new_password: str, reason: str | None
) -> User:
    user = get_user(session, principal, user_id)
    auth_service.validate_new_password(
        user, new_password, user.username, user.email, "new_password"
    )
    auth_service.set_password(session, user, new_password, must_change=True)
    _revoke_sessions(session, user.id)
    audit(session, principal.actor, AuditAction.PASSWORD_RESET, "user", user.id, reason=reason)
    return user


def roles() -> list[dict[str, Any]]:
    return [
        {"role": r, "permissions": sorted(str(p) for p in perms)}
        for r, perms in ROLE_PERMISSIONS.items()
    ]
