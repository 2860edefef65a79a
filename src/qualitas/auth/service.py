"""Authentication use cases: login, logout, passwords, resolving session cookies and API tokens.

A user's own authenticator enrolment, sessions and tokens are managed in ``credentials``; the
clock every auth module reads is ``clock.utcnow``. Session cookies and API tokens are random
256-bit values; only their SHA-256 is stored. Every login, failure, lockout and logout is
written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth import clock
from qualitas.auth import policy as pol
from qualitas.auth.models import ApiToken, AuthSession, PasswordHistory, User
from qualitas.auth.permissions import Grant, Role, Scope
from qualitas.auth.principal import Principal
from qualitas.config import get_settings
from qualitas.errors import FieldError, NotAuthenticated, NotFound, ValidationFailed, invalid
from qualitas.ledger.service import Actor, AuditAction
from qualitas.ledger.service import append as audit


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_kib: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)  # argon2id
    return hasher, hasher.hash("qualitas-timing-equaliser")


def _hasher() -> tuple[PasswordHasher, str]:
    sec = get_settings().security
    return _hasher_for(sec.argon2_time_cost, sec.argon2_memory_kib)


TOKEN_PREFIX = "qlt_"


def current_policy() -> pol.PasswordPolicy:
    return pol.PROFILES[str(get_settings().security.policy_profile)]


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(hashed: str, password: str) -> bool:
    try:
        return _hasher()[0].verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def validate_new_password(
    user: User | None, password: str, username: str, email: str | None, field: str
) -> None:
    """Raise 422 naming ``field`` if ``password`` breaks the active policy or reuses history."""
    policy = current_policy()
    words = tuple(w for w in (username, email or "", (email or "").split("@")[0]) if w)
    errors = [
        FieldError(field, v.code, v.message) for v in pol.check_password(policy, password, words)
    ]
    if user is not None and policy.history_depth:
        recent = [user.password_hash] + [
            h.password_hash for h in user_password_history(user, policy.history_depth)
        ]
        if any(verify_password(h, password) for h in recent):
            errors.append(
                FieldError(
                    field, "password_reused", f"must differ from the last {policy.history_depth}"
                )
            )
    if errors:
        raise ValidationFailed(detail="the password does not meet the policy", errors=errors)


def user_password_history(user: User, depth: int) -> list[PasswordHistory]:
    from sqlalchemy.orm import object_session

    session = object_session(user)
    if session is None:
        return []
    return list(
        session.scalars(
            select(PasswordHistory)
            .where(PasswordHistory.user_id == user.id)
            .order_by(PasswordHistory.id.desc())
            .limit(depth)
        )
    )


def set_password(session: Session, user: User, password: str, *, must_change: bool) -> None:
    if user.password_hash:
        session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
    user.password_hash = hash_password(password)
    user.password_changed_at = clock.utcnow()
    user.must_change_password = must_change


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt. On failure ``code`` says why; the audit is already written."""

    user: User | None
    cookie: str | None = None
    csrf: str | None = None
    code: str | None = None


def _fail(session: Session, user: User | None, username: str, code: str) -> LoginResult:
    settings = get_settings().security
    policy = current_policy()
    site = None
    if user is not None and code == "invalid_credentials":
        user.failed_attempts += 1
        threshold = min(settings.lockout_threshold, policy.lockout_threshold)
        if user.failed_attempts >= threshold:
            minutes = max(settings.lockout_minutes, policy.lockout_minutes)
            user.locked_until = clock.utcnow() + dt.timedelta(minutes=minutes)
            audit(
                session,
                Actor(user.id, username),
                AuditAction.LOCKOUT,
                "user",
                user.id,
                after={"failed_attempts": user.failed_attempts, "locked_until": user.locked_until},
            )
    audit(
        session,
        Actor(user.id if user else None, username),
        AuditAction.LOGIN_FAILED,
        "user",
        user.id if user else None,
        site_id=site,
        after={"reason_code": code},
    )
    return LoginResult(user=None, code=code)


def login(
    session: Session,
    username: str,
    password: str,
    totp_code: str | None,
    *,
    user_agent: str | None = None,
    ip: str | None = None,
) -> LoginResult:
    """Check credentials (and TOTP), then open a session. The caller commits either way."""
    user = session.scalar(select(User).where(User.username == username))
    now = clock.utcnow()
    if user is None:
        verify_password(_hasher()[1], password)  # same cost as a real check
        return _fail(session, None, username, "invalid_credentials")
    if user.locked_until is not None:
        if user.locked_until > now:
            return _fail(session, user, username, "account_locked")
        user.failed_attempts, user.locked_until = 0, None  # the lockout has expired
    if not verify_password(user.password_hash, password):
        return _fail(session, user, username, "invalid_credentials")
    if not user.active:
        return _fail(session, user, username, "account_inactive")
    if user.mfa_enabled:
        if not totp_code:
            return _fail(session, user, username, "mfa_required")
        if not _check_totp(user, totp_code):
            return _fail(session, user, username, "invalid_credentials")
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    policy = current_policy()
    session.add(
        AuthSession(
            token_hash=_sha256(cookie),
            csrf_token=csrf,
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.absolute_timeout,
            user_agent=(user_agent or "")[:300],
            ip=ip,
        )
    )
    audit(
        session,
        Actor(user.id, user.username),
        AuditAction.LOGIN,
        "user",
        user.id,
        after={"ip": ip, "user_agent": (user_agent or "")[:300]},
    )
    return LoginResult(user=user, cookie=cookie, csrf=csrf)


def _matching_step(secret: str, code: str) -> int | None:
    """The 30 s step (now, or one step either side for clock drift) whose code is ``code``."""
    totp = pyotp.TOTP(secret)
    now = clock.utcnow()
    for drift in (0, -1, 1):
        at = now + dt.timedelta(seconds=30 * drift)
        if totp.verify(code.strip(), for_time=at, valid_window=0):
            return int(at.timestamp()) // 30
    return None


def _check_totp(user: User, code: str) -> bool:
    """RFC 6238 TOTP, 30 s steps, ±1 step drift, each step usable once."""
    if not user.mfa_secret:
        return False
    step = _matching_step(user.mfa_secret, code)
    if step is None or (user.mfa_last_step is not None and step <= user.mfa_last_step):
        return False
    user.mfa_last_step = step
    return True


def logout(session: Session, principal: Principal) -> None:
    if principal.session_id is not None:
        row = session.get(AuthSession, principal.session_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = clock.utcnow()
    audit(session, principal.actor, AuditAction.LOGOUT, "user", principal.user_id)


def scope_for(user: User) -> Scope:
    return Scope.of(Grant(Role(g.role), g.site_id) for g in user.grants)


def _principal(user: User, via: str, sess: AuthSession | None = None) -> Principal:
    policy = current_policy()
    expired = pol.password_expired(policy, user.password_changed_at, clock.utcnow())
    return Principal(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        scope=scope_for(user),
        via=via,
        session_id=sess.id if sess else None,
        csrf_token=sess.csrf_token if sess else None,
        password_change_required=user.must_change_password or expired,
        mfa_setup_required=policy.mfa_required and not user.mfa_enabled and via == "session",
    )


def principal_from_cookie(session: Session, cookie: str) -> Principal:
    """Resolve a session cookie, enforcing idle and absolute timeouts."""
    row = session.scalar(select(AuthSession).where(AuthSession.token_hash == _sha256(cookie)))
    now = clock.utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise NotAuthenticated(detail="session expired or unknown", code="session_expired")
    if now - row.last_seen_at > current_policy().idle_timeout:
        raise NotAuthenticated(detail="session idle for too long", code="session_idle")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated(detail="account inactive", code="account_inactive")
    if now - row.last_seen_at > dt.timedelta(seconds=30):
        row.last_seen_at = now
    return _principal(user, "session", row)


def principal_from_token(session: Session, token: str) -> Principal:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha256(token)))
    now = clock.utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise NotAuthenticated(detail="API token expired, revoked or unknown", code="invalid_token")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated(detail="account inactive", code="account_inactive")
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        row.last_used_at = now
    return _principal(user, "token")


def _user(session: Session, principal: Principal) -> User:
    user = session.get(User, principal.user_id) if principal.user_id else None
    if user is None:
        raise NotFound(detail="user not found")
    return user


def change_password(session: Session, principal: Principal, current: str, new: str) -> None:
    user = _user(session, principal)
    if not verify_password(user.password_hash, current):
        raise invalid("current_password", "invalid_credentials", "is not your current password")
    validate_new_password(user, new, user.username, user.email, "new_password")
    set_password(session, user, new, must_change=False)
    ended = revoke_credentials(session, user.id, keep_session=principal.session_id, tokens=False)
    audit(
        session,
        principal.actor,
        AuditAction.PASSWORD_CHANGE,
        "user",
        user.id,
        after={"other_sessions_ended": ended},
    )


def revoke_credentials(
    session: Session, user_id: int, *, keep_session: int | None = None, tokens: bool = True
) -> int:
    """End the user's sessions (but ``keep_session``) and, if asked, API tokens; returns count."""
    now, ended = clock.utcnow(), 0
    rows = session.scalars(
        select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    )
    for row in rows:
        if row.id != keep_session:
            row.revoked_at, ended = now, ended + 1
    if tokens:
        for token in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        ):
            token.revoked_at, ended = now, ended + 1
    return ended


def record_reauth_failure(session: Session, principal: Principal) -> None:
    """A wrong current password counts towards lockout and is audited like a failed login."""
    user = _user(session, principal)
    _fail(session, user, user.username, "invalid_credentials")
