"""A signed-in user's own credentials: authenticator (TOTP) enrolment, sessions and API
tokens. Sign-in itself, passwords and the resolution of cookies and tokens are in ``service``."""

from __future__ import annotations

import datetime as dt
import secrets

import pyotp
import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth import clock
from qualitas.auth.models import ApiToken, AuthSession
from qualitas.auth.principal import Principal
from qualitas.auth.service import (
    TOKEN_PREFIX,
    _matching_step,
    _sha256,
    _user,
    current_policy,
    verify_password,
)
from qualitas.config import get_settings
from qualitas.errors import NotFound, invalid
from qualitas.ledger.service import AuditAction
from qualitas.ledger.service import append as audit


def mfa_setup(
    session: Session, principal: Principal, current_password: str | None
) -> dict[str, str]:
    """Issue a pending TOTP secret; it replaces the active one only once confirmed with a code.

    Replacing an active authenticator needs the current password (re-authentication).
    """
    user = _user(session, principal)
    if user.mfa_enabled and not (
        current_password and verify_password(user.password_hash, current_password)
    ):
        raise invalid(
            "current_password",
            "reauthentication_required",
            "enter your password to replace your authenticator",
        )
    user.mfa_pending_secret = pyotp.random_base32()
    uri = pyotp.TOTP(user.mfa_pending_secret).provisioning_uri(
        name=user.username, issuer_name="Qualitas"
    )
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return {"secret": user.mfa_pending_secret, "otpauth_uri": uri, "qr_svg": svg}


def mfa_confirm(session: Session, principal: Principal, code: str) -> None:
    user = _user(session, principal)
    pending = user.mfa_pending_secret
    step = _matching_step(pending, code) if pending else None
    if pending is None or step is None:
        raise invalid("code", "invalid_totp", "is not the current code of your authenticator")
    replaced = user.mfa_enabled
    user.mfa_secret, user.mfa_pending_secret = pending, None
    user.mfa_enabled = True
    user.mfa_last_step = step  # the confirming code is spent
    audit(
        session,
        principal.actor,
        AuditAction.MFA_ENABLE,
        "user",
        user.id,
        after={"replaced_previous": replaced},
    )


def list_sessions(session: Session, principal: Principal) -> list[AuthSession]:
    now = clock.utcnow()
    return list(
        session.scalars(
            select(AuthSession)
            .where(
                AuthSession.user_id == principal.user_id,
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > now,
                AuthSession.last_seen_at > now - current_policy().idle_timeout,
            )
            .order_by(AuthSession.id.desc())
        )
    )


def revoke_session(session: Session, principal: Principal, session_id: int) -> None:
    row = session.get(AuthSession, session_id)
    if row is None or row.user_id != principal.user_id:
        raise NotFound(detail="session not found")
    row.revoked_at = row.revoked_at or clock.utcnow()
    audit(
        session,
        principal.actor,
        AuditAction.SESSION_REVOKE,
        "user",
        principal.user_id,
        after={"session_id": session_id},
    )


def create_token(
    session: Session, principal: Principal, name: str, expires_in_days: int
) -> tuple[ApiToken, str]:
    limit = get_settings().security.api_token_max_days
    if expires_in_days > limit:
        raise invalid("expires_in_days", "too_long", f"must be at most {limit} days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=principal.user_id,
        name=name,
        token_hash=_sha256(secret),
        expires_at=clock.utcnow() + dt.timedelta(days=expires_in_days),
    )
    session.add(row)
    session.flush()
    audit(
        session,
        principal.actor,
        AuditAction.TOKEN_CREATE,
        "api_token",
        row.id,
        after={"name": name, "expires_at": row.expires_at},
    )
    return row, secret


def list_tokens(session: Session, principal: Principal) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == principal.user_id)
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, principal: Principal, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != principal.user_id:
        raise NotFound(detail="API token not found")
    if row.revoked_at is None:
        row.revoked_at = clock.utcnow()
        audit(session, principal.actor, AuditAction.TOKEN_REVOKE, "api_token", row.id)
