"""Request and response shapes of the authentication and user-administration API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from qualitas.auth.permissions import Role
from qualitas.schemas import Email, Name, ReadModel, Reason, Strict

Username = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9._\-]{1,63}$")
]
Password = Annotated[str, StringConstraints(min_length=1, max_length=256)]
Locale = Literal["en", "zh-CN"]


class LoginBody(Strict):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Password
    totp_code: Annotated[str, StringConstraints(pattern=r"^\s*\d{6}\s*$")] | None = None


class GrantRead(ReadModel):
    id: int
    role: Role
    site_id: int | None
    site_code: str | None = None


class SiteRef(ReadModel):
    id: int
    code: str
    name: str


class Me(ReadModel):
    id: int
    username: str
    full_name: str
    email: str | None
    locale: str
    grants: list[GrantRead]
    permissions: list[str]
    sites: list[SiteRef]
    mfa_enabled: bool
    password_change_required: bool
    mfa_setup_required: bool
    policy_profile: str


class LoginOut(ReadModel):
    user: Me


class MeUpdate(Strict):
    locale: Locale | None = None
    full_name: Name | None = None


class PasswordChange(Strict):
    current_password: Password
    new_password: Password


class MfaSetup(ReadModel):
    secret: str
    otpauth_uri: str
    qr_svg: str


class MfaSetupBody(Strict):
    current_password: Password | None = None


class MfaConfirm(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^\s*\d{6}\s*$")]


class SessionRead(ReadModel):
    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    user_agent: str | None
    ip: str | None
    current: bool = False


class TokenCreate(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    expires_in_days: int = Field(90, ge=1, le=3650)


class TokenRead(ReadModel):
    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(ReadModel):
    id: int
    name: str
    token: str
    expires_at: dt.datetime


class UserCreate(Strict):
    username: Username
    full_name: Name
    email: Email | None = None
    locale: Locale = "en"
    password: Password
    must_change_password: bool = True


class UserUpdate(Strict):
    full_name: Name | None = None
    email: Email | None = None
    locale: Locale | None = None
    active: bool | None = None
    version: int = Field(ge=1, le=2**31 - 1)
    reason: Reason | None = None


class UserRead(ReadModel):
    id: int
    username: str
    full_name: str
    email: str | None
    locale: str
    active: bool
    locked_until: dt.datetime | None
    mfa_enabled: bool
    last_login_at: dt.datetime | None
    grants: list[GrantRead]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class GrantCreate(Strict):
    role: Role
    site_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    reason: Reason


class GrantRevoke(Strict):
    reason: Reason


class PasswordReset(Strict):
    new_password: Password
    reason: Reason | None = None


class RoleRead(ReadModel):
    role: Role
    permissions: list[str]
