"""Login (password and TOTP), lockout, unlock, logout and CSRF protection, over HTTP.

Every test that changes a user's state works on a user it creates itself: the demo
database is shared by the whole test session. TOTP time steps come from a clock that
replaces ``qualitas.auth.clock.utcnow``; nothing sleeps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pyotp
import pytest
from sqlalchemy import select

from qualitas.auth.models import AuthSession, User
from qualitas.ledger.models import AuditEntry
from tests.conftest import Api, client_for, login, unique
from tests.integration.auth_helpers import PASSWORD, Clock, new_user, problem


def attempt(app: Any, username: str, password: str) -> Any:
    return client_for(app).post(
        "/api/auth/login", json={"username": username, "password": password}
    )


def actions(as_user: Any, user_id: int) -> list[str]:
    r = as_user("admin").get(f"/api/audit/entity/user/{user_id}")
    assert r.status_code == 200, r.text
    return [e["action"] for e in r.json()]


def set_cookie_headers(response: Any) -> dict[str, str]:
    out = {}
    for header in response.headers.get_list("set-cookie"):
        out[header.split("=", 1)[0]] = header
    return out


def test_login_sets_hardened_cookies_and_audits(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    client = client_for(demo_app)
    r = client.post("/api/auth/login", json={"username": user["username"], "password": PASSWORD})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["username"] == user["username"]
    assert r.json()["user"]["policy_profile"] == "asvs-l2"

    cookies = set_cookie_headers(r)
    session_attrs = [a.strip().lower() for a in cookies["qualitas_session"].split(";")]
    csrf_attrs = [a.strip().lower() for a in cookies["qualitas_csrf"].split(";")]
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= set(session_attrs)
    assert "max-age=43200" in session_attrs  # the asvs-l2 absolute lifetime, 12 h
    assert {"secure", "samesite=strict"} <= set(csrf_attrs)
    assert "httponly" not in csrf_attrs  # the web app must read it

    cookie = client.cookies["qualitas_session"]
    assert len(cookie) >= 43 and client.cookies["qualitas_csrf"]
    with demo_app.state.db.unit_of_work() as s:
        row = s.scalar(select(AuthSession).where(AuthSession.user_id == user["id"]))
        assert row is not None
        assert row.token_hash == hashlib.sha256(cookie.encode()).hexdigest()  # never the raw value
        assert row.csrf_token == client.cookies["qualitas_csrf"]
    assert client.get("/api/auth/me").json()["id"] == user["id"]
    assert "login" in actions(as_user, user["id"])


def test_each_login_issues_a_new_session_token(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    first = login(demo_app, user["username"], PASSWORD).client.cookies["qualitas_session"]
    second = login(demo_app, user["username"], PASSWORD).client.cookies["qualitas_session"]
    assert first != second


def test_wrong_password_is_rejected_and_counted(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    r = attempt(demo_app, user["username"], "Not-The-Password-123")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "invalid_credentials"
    assert "qualitas_session" not in set_cookie_headers(r)
    with demo_app.state.db.unit_of_work() as s:
        assert s.get(User, user["id"]).failed_attempts == 1
    assert "login_failed" in actions(as_user, user["id"])


def test_unknown_user_gets_the_same_answer_and_is_audited(demo_app: Any, as_user: Any) -> None:
    known = new_user(as_user)
    name = unique("ghost").lower()
    r = attempt(demo_app, name, PASSWORD)
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_credentials"
    wrong = attempt(demo_app, known["username"], "Wrong-Password-0000").json()
    assert r.json()["detail"] == wrong["detail"]
    with demo_app.state.db.unit_of_work() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.actor_name == name))
        assert entry is not None
        assert entry.action == "login_failed"
        assert entry.entity_type == "user" and entry.entity_id is None
        assert entry.after == {"reason_code": "invalid_credentials"}


def test_inactive_account_cannot_log_in(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    r = as_user("admin").patch(
        f"/api/admin/users/{user['id']}",
        json={"active": False, "version": user["version"], "reason": "left the company"},
    )
    assert r.status_code == 200, r.text
    r = attempt(demo_app, user["username"], PASSWORD)
    assert (r.status_code, r.json()["code"]) == (401, "account_inactive")
    # A wrong password does not reveal that the account exists but is inactive.
    r = attempt(demo_app, user["username"], "Wrong-Password-0000")
    assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")


def test_five_failures_lock_the_account_until_an_admin_unlocks(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    for _ in range(5):
        r = attempt(demo_app, user["username"], "Wrong-Password-0000")
        assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")
    r = attempt(demo_app, user["username"], PASSWORD)  # right password, still locked
    assert (r.status_code, r.json()["code"]) == (401, "account_locked")

    with demo_app.state.db.unit_of_work() as s:
        row = s.get(User, user["id"])
        assert row.failed_attempts == 5
        left = row.locked_until - dt.datetime.now(dt.UTC)
        assert dt.timedelta(minutes=14) < left <= dt.timedelta(minutes=15)
        lock = s.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "lockout", AuditEntry.entity_id == str(user["id"])
            )
        )
        assert lock is not None and lock.after["failed_attempts"] == 5
    got = as_user("admin").get(f"/api/admin/users/{user['id']}").json()
    assert got["locked_until"] is not None

    r = as_user("admin").post(f"/api/admin/users/{user['id']}/unlock")
    assert r.status_code == 200, r.text
    assert r.json()["locked_until"] is None
    assert attempt(demo_app, user["username"], PASSWORD).status_code == 200
    history = actions(as_user, user["id"])
    assert {"lockout", "user_unlock", "login"} <= set(history)
    assert history.count("login_failed") == 6  # five wrong passwords + one while locked


def test_lockout_expires_by_itself(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    for _ in range(5):
        attempt(demo_app, user["username"], "Wrong-Password-0000")
    assert attempt(demo_app, user["username"], PASSWORD).json()["code"] == "account_locked"
    with demo_app.state.db.unit_of_work() as s:
        s.get(User, user["id"]).locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert attempt(demo_app, user["username"], PASSWORD).status_code == 200
    with demo_app.state.db.unit_of_work() as s:
        row = s.get(User, user["id"])
        assert (row.failed_attempts, row.locked_until) == (0, None)


def test_unlock_needs_a_global_admin(as_user: Any) -> None:
    admin_id = as_user("admin").get("/api/auth/me").json()["id"]
    for who in ("qe.a", "qm", "audit"):
        r = as_user(who).post(f"/api/admin/users/{admin_id}/unlock")
        assert (r.status_code, r.json()["code"]) == (403, "forbidden"), who


def test_logout_ends_the_session(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    api = login(demo_app, user["username"], PASSWORD)
    cookie = api.client.cookies["qualitas_session"]
    r = api.post("/api/auth/logout")
    assert r.status_code == 204
    assert "qualitas_session" in set_cookie_headers(r)  # told to delete the cookie
    replay = client_for(demo_app).get(
        "/api/auth/me", headers={"Cookie": f"qualitas_session={cookie}"}
    )
    assert (replay.status_code, replay.json()["code"]) == (401, "session_expired")
    with demo_app.state.db.unit_of_work() as s:
        row = s.scalar(select(AuthSession).where(AuthSession.user_id == user["id"]))
        assert row.revoked_at is not None
    assert "logout" in actions(as_user, user["id"])


def test_unauthenticated_request_is_401(demo_app: Any) -> None:
    r = client_for(demo_app).get("/api/auth/me")
    assert (r.status_code, r.json()["code"]) == (401, "not_authenticated")
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", [None, "wrong-token"])
def test_cookie_post_without_the_right_csrf_header_is_403(
    demo_app: Any, as_user: Any, header: str | None
) -> None:
    user = new_user(as_user)
    client = login(demo_app, user["username"], PASSWORD).client
    headers = {"X-CSRF-Token": header} if header else {}
    r = client.post("/api/auth/tokens", json={"name": "ci"}, headers=headers)
    assert (r.status_code, r.json()["code"]) == (403, "csrf")
    r = client.post("/api/auth/logout", headers=headers)
    assert (r.status_code, r.json()["code"]) == (403, "csrf")
    assert client.get("/api/auth/me").status_code == 200  # safe methods need no header
    with demo_app.state.db.unit_of_work() as s:
        assert (
            s.scalar(select(AuthSession.revoked_at).where(AuthSession.user_id == user["id"]))
            is None
        )


def test_another_sessions_csrf_token_is_refused(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    mine = login(demo_app, user["username"], PASSWORD).client
    other = login(demo_app, user["username"], PASSWORD).client.cookies["qualitas_csrf"]
    r = mine.post("/api/auth/tokens", json={"name": "x"}, headers={"X-CSRF-Token": other})
    assert (r.status_code, r.json()["code"]) == (403, "csrf")


def test_cookie_post_with_the_csrf_header_works(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    api = login(demo_app, user["username"], PASSWORD)
    r = api.post("/api/auth/tokens", json={"name": "ci"})  # Api sends X-CSRF-Token
    assert r.status_code == 201, r.text


def test_bearer_requests_need_no_csrf_header(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    token = (
        login(demo_app, user["username"], PASSWORD)
        .post("/api/auth/tokens", json={"name": "script"})
        .json()["token"]
    )
    bare = client_for(demo_app)
    r = bare.post(
        "/api/auth/tokens",
        json={"name": "from-script"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    assert "qualitas_session" not in bare.cookies


# --- MFA (TOTP) --------------------------------------------------------------------------


def totp_login(app: Any, username: str, code: str | None) -> Any:
    body = {"username": username, "password": PASSWORD}
    if code is not None:
        body["totp_code"] = code
    return client_for(app).post("/api/auth/login", json=body)


def enrol(api: Api, clock: Clock) -> pyotp.TOTP:
    secret = api.post("/api/auth/mfa/setup").json()["secret"]
    totp = pyotp.TOTP(secret)
    assert api.post("/api/auth/mfa/confirm", json={"code": code_at(totp, clock)}).status_code == 204
    return totp


def code_at(totp: pyotp.TOTP, clock: Clock, steps: int = 0) -> str:
    return str(totp.at(int(clock.now.timestamp()) + 30 * steps))


def test_mfa_enrolment_and_login_with_single_use_codes(
    demo_app: Any, as_user: Any, clock: Clock
) -> None:
    user = new_user(as_user)
    name = user["username"]
    api = login(demo_app, name, PASSWORD)
    r = api.post("/api/auth/mfa/setup")
    assert r.status_code == 200, r.text
    setup = r.json()
    totp = pyotp.TOTP(setup["secret"])
    assert setup["otpauth_uri"] == totp.provisioning_uri(name=name, issuer_name="Qualitas")
    assert setup["otpauth_uri"].startswith("otpauth://totp/Qualitas:")
    assert setup["qr_svg"].startswith("<svg") and setup["qr_svg"].endswith("</svg>")

    valid = {code_at(totp, clock, d) for d in (-1, 0, 1)}
    wrong = next(c for c in (f"{n:06d}" for n in range(0, 10**6, 7919)) if c not in valid)
    r = api.post("/api/auth/mfa/confirm", json={"code": wrong})
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("code", "invalid_totp")]
    assert api.get("/api/auth/me").json()["mfa_enabled"] is False
    assert totp_login(demo_app, name, None).status_code == 200  # not active until confirmed

    first = code_at(totp, clock)
    assert api.post("/api/auth/mfa/confirm", json={"code": first}).status_code == 204
    assert api.get("/api/auth/me").json()["mfa_enabled"] is True

    assert problem(totp_login(demo_app, name, None)) == (401, "mfa_required")
    assert problem(totp_login(demo_app, name, first)) == (401, "invalid_credentials")  # replay
    clock.advance(seconds=30)
    second = code_at(totp, clock)
    assert totp_login(demo_app, name, second).status_code == 200
    assert problem(totp_login(demo_app, name, second)) == (401, "invalid_credentials")  # replay
    history = [
        e["action"] for e in as_user("admin").get(f"/api/audit/entity/user/{user['id']}").json()
    ]
    assert "mfa_enable" in history


def test_totp_accepts_one_step_of_drift_and_no_more(
    demo_app: Any, as_user: Any, clock: Clock
) -> None:
    name = new_user(as_user)["username"]
    totp = enrol(login(demo_app, name, PASSWORD), clock)
    clock.advance(minutes=5)
    assert problem(totp_login(demo_app, name, code_at(totp, clock, -2))) == (
        401,
        "invalid_credentials",
    )
    assert problem(totp_login(demo_app, name, code_at(totp, clock, 2))) == (
        401,
        "invalid_credentials",
    )
    assert totp_login(demo_app, name, code_at(totp, clock, -1)).status_code == 200
    assert totp_login(demo_app, name, code_at(totp, clock, 1)).status_code == 200
    # A code older than the last one used is refused too, even within the window.
    assert problem(totp_login(demo_app, name, code_at(totp, clock, 0))) == (
        401,
        "invalid_credentials",
    )


def test_wrong_totp_codes_count_towards_lockout(demo_app: Any, as_user: Any, clock: Clock) -> None:
    user = new_user(as_user)
    totp = enrol(login(demo_app, user["username"], PASSWORD), clock)
    clock.advance(minutes=5)
    good = {code_at(totp, clock, d) for d in (-1, 0, 1)}
    bad = next(c for c in (f"{n:06d}" for n in range(1, 10**6, 104729)) if c not in good)
    for _ in range(5):
        assert problem(totp_login(demo_app, user["username"], bad))[1] == "invalid_credentials"
    r = totp_login(demo_app, user["username"], code_at(totp, clock))
    assert problem(r) == (401, "account_locked")
    with demo_app.state.db.unit_of_work() as s:
        assert s.get(User, user["id"]).failed_attempts == 5


def test_repeating_mfa_setup_keeps_mfa_on_until_the_new_secret_is_confirmed(
    demo_app: Any, as_user: Any, clock: Clock
) -> None:
    name = new_user(as_user)["username"]
    api = login(demo_app, name, PASSWORD)
    enrol(api, clock)
    r = api.post("/api/auth/mfa/setup")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "current_password"
    r = api.post("/api/auth/mfa/setup", json={"current_password": PASSWORD})
    assert r.status_code == 200
    assert problem(totp_login(demo_app, name, None)) == (401, "mfa_required")
