"""Own sessions (list, revoke, idle and absolute timeouts) and API tokens.

Time is never waited for: stored timestamps are moved, or ``qualitas.auth.clock.utcnow``
is replaced by a clock the test advances.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from qualitas.auth.models import ApiToken, AuthSession
from qualitas.config import get_settings
from qualitas.ledger.models import AuditEntry
from tests.conftest import Api, client_for, login
from tests.integration.auth_helpers import PASSWORD, Clock, new_user, problem

PROFILE_ENV = "QUALITAS_SECURITY__POLICY_PROFILE"


@pytest.fixture
def use_profile(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def use(name: str) -> None:
        monkeypatch.setenv(PROFILE_ENV, name)
        get_settings.cache_clear()

    yield use
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    get_settings.cache_clear()


def bearer(app: Any, token: str) -> Api:
    client = client_for(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return Api(client)


def session_row(app: Any, api: Api) -> int:
    digest = hashlib.sha256(api.client.cookies["qualitas_session"].encode()).hexdigest()
    with app.state.db.unit_of_work() as s:
        return int(s.scalar(select(AuthSession.id).where(AuthSession.token_hash == digest)))


def idle_for(app: Any, session_id: int, minutes: float) -> None:
    with app.state.db.unit_of_work() as s:
        row = s.get(AuthSession, session_id)
        row.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)


# --- API tokens ------------------------------------------------------------------------


def test_api_token_is_shown_once_used_as_bearer_and_revoked(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    api = login(demo_app, user["username"], PASSWORD)
    r = api.post("/api/auth/tokens", json={"name": "line-3 scanner", "expires_in_days": 30})
    assert r.status_code == 201, r.text
    created = r.json()
    token = created["token"]
    assert token.startswith("qlt_") and len(token) > 40
    left = dt.datetime.fromisoformat(created["expires_at"]) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29) < left <= dt.timedelta(days=30)

    listed = api.get("/api/auth/tokens").json()
    assert [t["name"] for t in listed] == ["line-3 scanner"]
    assert "token" not in listed[0] and token not in str(listed)
    with demo_app.state.db.unit_of_work() as s:
        row = s.get(ApiToken, created["id"])
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()

    script = bearer(demo_app, token)
    assert script.get("/api/auth/me").json()["id"] == user["id"]
    assert api.get("/api/auth/tokens").json()[0]["last_used_at"] is not None

    assert api.post(f"/api/auth/tokens/{created['id']}/revoke").status_code == 204
    assert problem(script.get("/api/auth/me")) == (401, "invalid_token")
    assert api.get("/api/auth/tokens").json()[0]["revoked_at"] is not None
    with demo_app.state.db.unit_of_work() as s:
        done = s.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_type == "api_token", AuditEntry.entity_id == str(created["id"])
            )
        ).all()
        assert sorted(done) == ["token_create", "token_revoke"]


def test_unknown_and_expired_tokens_are_refused(demo_app: Any, as_user: Any) -> None:
    assert problem(bearer(demo_app, "qlt_" + "x" * 43).get("/api/auth/me")) == (
        401,
        "invalid_token",
    )
    user = new_user(as_user)
    created = (
        login(demo_app, user["username"], PASSWORD)
        .post("/api/auth/tokens", json={"name": "short"})
        .json()
    )
    script = bearer(demo_app, created["token"])
    assert script.get("/api/auth/me").status_code == 200
    with demo_app.state.db.unit_of_work() as s:
        s.get(ApiToken, created["id"]).expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(
            seconds=1
        )
    r = script.get("/api/auth/me")
    assert problem(r) == (401, "invalid_token")
    assert r.headers["www-authenticate"] == "Bearer"


def test_token_of_another_user_cannot_be_revoked(demo_app: Any, as_user: Any) -> None:
    owner, intruder = new_user(as_user), new_user(as_user)
    created = (
        login(demo_app, owner["username"], PASSWORD)
        .post("/api/auth/tokens", json={"name": "mine"})
        .json()
    )
    other = login(demo_app, intruder["username"], PASSWORD)
    r = other.post(f"/api/auth/tokens/{created['id']}/revoke")
    assert r.status_code == 404
    assert other.get("/api/auth/tokens").json() == []
    assert bearer(demo_app, created["token"]).get("/api/auth/me").status_code == 200


@pytest.mark.parametrize(
    ("days", "status", "code"),
    [
        (365, 201, None),
        (366, 422, "too_long"),
        (0, 422, "greater_than_equal"),
    ],
)
def test_token_lifetime_is_capped(
    demo_app: Any, as_user: Any, days: int, status: int, code: str | None
) -> None:
    api = login(demo_app, new_user(as_user)["username"], PASSWORD)
    r = api.post("/api/auth/tokens", json={"name": "long", "expires_in_days": days})
    assert r.status_code == status, r.text
    if code:
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("expires_in_days", code)]
        assert api.get("/api/auth/tokens").json() == []


def test_token_lifetime_cap_comes_from_the_settings(
    demo_app: Any, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = login(demo_app, new_user(as_user)["username"], PASSWORD)
    monkeypatch.setenv("QUALITAS_SECURITY__API_TOKEN_MAX_DAYS", "30")
    get_settings.cache_clear()
    try:
        r = api.post("/api/auth/tokens", json={"name": "long", "expires_in_days": 31})
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
            ("expires_in_days", "too_long")
        ]
        assert (
            api.post("/api/auth/tokens", json={"name": "ok", "expires_in_days": 30}).status_code
            == 201
        )
    finally:
        monkeypatch.delenv("QUALITAS_SECURITY__API_TOKEN_MAX_DAYS")
        get_settings.cache_clear()


def test_token_of_a_deactivated_user_stops_working(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    token = (
        login(demo_app, user["username"], PASSWORD)
        .post("/api/auth/tokens", json={"name": "t"})
        .json()["token"]
    )
    r = as_user("admin").patch(
        f"/api/admin/users/{user['id']}", json={"active": False, "version": user["version"]}
    )
    assert r.status_code == 200, r.text
    # deactivation revokes the API tokens too
    assert problem(bearer(demo_app, token).get("/api/auth/me")) == (401, "invalid_token")


# --- sessions ----------------------------------------------------------------------------


def test_list_and_revoke_own_sessions(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    laptop = login(demo_app, user["username"], PASSWORD)
    tablet = login(demo_app, user["username"], PASSWORD)
    laptop_id, tablet_id = session_row(demo_app, laptop), session_row(demo_app, tablet)

    listed = laptop.get("/api/auth/sessions").json()
    assert {s["id"]: s["current"] for s in listed} == {laptop_id: True, tablet_id: False}
    assert listed[0]["user_agent"] == "testclient"
    assert {s["id"] for s in tablet.get("/api/auth/sessions").json() if s["current"]} == {tablet_id}

    assert laptop.post(f"/api/auth/sessions/{tablet_id}/revoke").status_code == 204
    assert problem(tablet.get("/api/auth/me")) == (401, "session_expired")
    assert [s["id"] for s in laptop.get("/api/auth/sessions").json()] == [laptop_id]
    with demo_app.state.db.unit_of_work() as s:
        entry = s.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "session_revoke", AuditEntry.entity_id == str(user["id"])
            )
        )
        assert entry is not None and entry.after == {"session_id": tablet_id}


def test_session_of_another_user_cannot_be_revoked(demo_app: Any, as_user: Any) -> None:
    victim = login(demo_app, new_user(as_user)["username"], PASSWORD)
    other = login(demo_app, new_user(as_user)["username"], PASSWORD)
    r = other.post(f"/api/auth/sessions/{session_row(demo_app, victim)}/revoke")
    assert r.status_code == 404
    assert victim.get("/api/auth/me").status_code == 200


@pytest.mark.parametrize(
    ("profile", "alive", "dead"),
    [
        ("asvs-l2", 59, 61),
        ("djbh3", 29, 31),
    ],
)
def test_idle_timeout_per_profile(
    demo_app: Any,
    as_user: Any,
    use_profile: Callable[[str], None],
    profile: str,
    alive: int,
    dead: int,
) -> None:
    user = new_user(as_user)
    use_profile(profile)
    api = login(demo_app, user["username"], PASSWORD)
    sid = session_row(demo_app, api)
    idle_for(demo_app, sid, alive)
    me = api.get("/api/auth/me")  # exempt from the djbh3 MFA gate
    assert me.status_code == 200 and me.json()["policy_profile"] == profile
    with demo_app.state.db.unit_of_work() as s:  # the request counted as activity
        seen = s.get(AuthSession, sid).last_seen_at
        assert dt.datetime.now(dt.UTC) - seen < dt.timedelta(minutes=1)
    idle_for(demo_app, sid, dead)
    assert problem(api.get("/api/auth/me")) == (401, "session_idle")
    assert problem(api.get("/api/auth/me")) == (401, "session_idle")


def test_idle_session_is_revoked_for_good(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    stale, fresh = (login(demo_app, user["username"], PASSWORD) for _ in range(2))
    sid = session_row(demo_app, stale)
    idle_for(demo_app, sid, 61)
    assert problem(stale.get("/api/auth/me")) == (401, "session_idle")
    assert sid not in [s["id"] for s in fresh.get("/api/auth/sessions").json()]


def test_absolute_timeout_ends_even_an_active_session(
    demo_app: Any, as_user: Any, clock: Clock
) -> None:
    user = new_user(as_user)
    api = login(demo_app, user["username"], PASSWORD)
    for _ in range(14):  # busy all day: a request every 50 minutes, never idle
        clock.advance(minutes=50)
        assert api.get("/api/auth/me").status_code == 200
    clock.advance(minutes=12 * 60 - 14 * 50 - 1)
    assert api.get("/api/auth/me").status_code == 200  # 11 h 59 min after login
    clock.advance(minutes=2)
    assert problem(api.get("/api/auth/me")) == (401, "session_expired")


def test_djbh3_sessions_last_at_most_eight_hours(
    demo_app: Any, as_user: Any, use_profile: Callable[[str], None]
) -> None:
    user = new_user(as_user)
    use_profile("djbh3")
    client = client_for(demo_app)
    r = client.post("/api/auth/login", json={"username": user["username"], "password": PASSWORD})
    assert r.status_code == 200, r.text
    assert "max-age=28800" in r.headers["set-cookie"].lower()
    with demo_app.state.db.unit_of_work() as s:
        row = s.get(AuthSession, session_row(demo_app, Api(client)))
        assert row.expires_at - row.created_at == dt.timedelta(hours=8)
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert problem(client.get("/api/auth/me")) == (401, "session_expired")


def test_deactivating_a_user_kills_their_sessions(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    sessions = [login(demo_app, user["username"], PASSWORD) for _ in range(2)]
    stale = as_user("admin").patch(
        f"/api/admin/users/{user['id']}", json={"active": False, "version": user["version"] + 5}
    )
    assert problem(stale) == (409, "version_conflict")
    assert sessions[0].get("/api/auth/me").status_code == 200  # nothing half-done

    r = as_user("admin").patch(
        f"/api/admin/users/{user['id']}", json={"active": False, "version": user["version"]}
    )
    assert r.status_code == 200, r.text
    for api in sessions:
        assert problem(api.get("/api/auth/me")) == (401, "session_expired")
    with demo_app.state.db.unit_of_work() as s:
        revoked = s.scalars(
            select(AuthSession.revoked_at).where(AuthSession.user_id == user["id"])
        ).all()
        assert len(revoked) == 2 and all(revoked)
    r = as_user("admin").patch(
        f"/api/admin/users/{user['id']}", json={"active": True, "version": r.json()["version"]}
    )
    assert r.status_code == 200
    assert problem(sessions[0].get("/api/auth/me")) == (401, "session_expired")


def test_password_change_ends_other_sessions_but_keeps_tokens(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    here, elsewhere = (login(demo_app, user["username"], PASSWORD) for _ in range(2))
    token = here.post("/api/auth/tokens", json={"name": "script"}).json()["token"]
    new = "Saffron-walnut-zenith-77"
    r = here.post("/api/auth/password", json={"current_password": PASSWORD, "new_password": new})
    assert r.status_code == 204
    assert here.get("/api/auth/me").status_code == 200
    assert problem(elsewhere.get("/api/auth/me"))[0] == 401
    bearer = client_for(demo_app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 200


def test_admin_password_reset_ends_sessions_and_tokens(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    api = login(demo_app, user["username"], PASSWORD)
    token = api.post("/api/auth/tokens", json={"name": "script"}).json()["token"]
    r = as_user("admin").post(
        f"/api/admin/users/{user['id']}/reset-password",
        json={"new_password": "Saffron-walnut-zenith-77", "reason": "suspected compromise"},
    )
    assert r.status_code == 200
    assert problem(api.get("/api/auth/me"))[0] == 401
    bearer = client_for(demo_app).get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert problem(bearer) == (401, "invalid_token")
