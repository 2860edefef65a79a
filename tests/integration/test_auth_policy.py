"""Password and account policy through the API, for both profiles (asvs-l2 and djbh3).

The djbh3 profile is switched on per test through the settings environment; the demo
admin then works through an API token, since its web session would need MFA first.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest

from qualitas.auth import service
from qualitas.auth.models import User
from qualitas.config import get_settings
from tests.conftest import Api, client_for, login, unique

PASSWORD = "Harbor-Lantern-quiet-42"
# A 130-character passphrase without repeats (repeats would be rejected as easy to guess).
LONG = (
    "amber harbor lantern quiet meadow copper violet tundra glacier orchard basalt "
    "falcon juniper mosaic nectar pylon quartz saffron walnut zenith"
)
PROFILE_ENV = "QUALITAS_SECURITY__POLICY_PROFILE"


@pytest.fixture(scope="module")
def admin(demo_app: Any, as_user: Any) -> Api:
    """A global admin of these tests, through an API token (the djbh3 MFA gate is for sessions)."""
    name = unique("policy-admin").lower()
    r = as_user("admin").post(
        "/api/admin/users",
        json={
            "username": name,
            "full_name": "Policy Admin",
            "password": PASSWORD,
            "must_change_password": False,
        },
    )
    assert r.status_code == 201, r.text
    r = as_user("admin").post(
        f"/api/admin/users/{r.json()['id']}/grants", json={"role": "admin", "reason": "tests"}
    )
    assert r.status_code == 201, r.text
    r = login(demo_app, name, PASSWORD).post("/api/auth/tokens", json={"name": "policy tests"})
    assert r.status_code == 201, r.text
    client = client_for(demo_app)
    client.headers["Authorization"] = f"Bearer {r.json()['token']}"
    return Api(client)


@pytest.fixture
def djbh3(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(PROFILE_ENV, "djbh3")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    get_settings.cache_clear()


def create(admin: Api, password: str = PASSWORD, **extra: Any) -> Any:
    name = extra.pop("username", None) or unique("u").lower()
    body = {
        "username": name,
        "full_name": f"Test {name}",
        "password": password,
        "must_change_password": False,
        **extra,
    }
    return admin.post("/api/admin/users", json=body)


def new_user(admin: Api, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
    r = create(admin, password, **extra)
    assert r.status_code == 201, r.text
    return dict(r.json())


def field_errors(r: Any) -> list[tuple[str, str]]:
    assert r.status_code == 422, r.text
    return [(e["field"], e["code"]) for e in r.json()["errors"]]


def change(api: Api, current: str, new: str) -> Any:
    return api.post("/api/auth/password", json={"current_password": current, "new_password": new})


def problem(r: Any) -> tuple[int, str | None]:
    return r.status_code, r.json().get("code")


# --- asvs-l2 (the default) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("lantern-harbor", [("password", "password_too_short")]),  # 14 characters
        ("lantern-harbor!", []),  # 15, no composition rules
        ("correct horse battery staple", []),  # a plain passphrase
        (LONG[:128], []),  # 128, the longest allowed
        (LONG[:129], [("password", "password_too_long")]),  # 129
        ("1qaz2wsx3edc4rfv", [("password", "password_breached")]),  # in the common list
    ],
)
def test_create_user_checks_the_asvs_password_policy(
    admin: Api, password: str, expected: list[tuple[str, str]]
) -> None:
    r = create(admin, password)
    if expected:
        assert field_errors(r) == expected
    else:
        assert r.status_code == 201, r.text


def test_common_password_padded_to_the_minimum_length_is_refused(admin: Api) -> None:
    assert field_errors(create(admin, "passwordpassword1")) == [("password", "password_weak")]


def test_user_name_and_email_may_not_be_part_of_the_password(admin: Api) -> None:
    name = unique("u").lower()
    r = create(admin, f"My-{name.upper()}-secret", username=name)
    assert field_errors(r) == [("password", "password_context")]
    r = create(admin, "quinn.harbor-lanterns", email="quinn.harbor@acme.example.com")
    assert field_errors(r) == [("password", "password_context")]
    assert admin.get("/api/admin/users", params={"q": name}).json()["total"] == 0  # no write


def test_change_password_needs_the_current_one_and_follows_the_policy(
    demo_app: Any, admin: Api, as_user: Any
) -> None:
    user = new_user(admin)
    api = login(demo_app, user["username"], PASSWORD)
    r = change(api, "Not-My-Password-1", "a-completely-new-passphrase")
    assert field_errors(r) == [("current_password", "invalid_credentials")]
    assert field_errors(change(api, PASSWORD, "short-but-not")) == [
        ("new_password", "password_too_short")
    ]
    assert field_errors(change(api, PASSWORD, "qwertyuiop12345")) == [
        ("new_password", "password_breached")
    ]
    assert field_errors(change(api, PASSWORD, f"{user['username']}-forever")) == [
        ("new_password", "password_context")
    ]

    assert change(api, PASSWORD, "a-completely-new-passphrase").status_code == 204
    old = client_for(demo_app).post(
        "/api/auth/login", json={"username": user["username"], "password": PASSWORD}
    )
    assert problem(old) == (401, "invalid_credentials")
    login(demo_app, user["username"], "a-completely-new-passphrase")
    history = [
        e["action"] for e in as_user("admin").get(f"/api/audit/entity/user/{user['id']}").json()
    ]
    assert "password_change" in history


def test_asvs_never_forces_rotation(demo_app: Any, admin: Api) -> None:
    user = new_user(admin)
    with demo_app.state.db.unit_of_work() as s:
        s.get(User, user["id"]).password_changed_at = dt.datetime.now(dt.UTC) - dt.timedelta(
            days=400
        )
    api = login(demo_app, user["username"], PASSWORD)
    assert api.get("/api/auth/me").json()["password_change_required"] is False
    assert api.get("/api/auth/sessions").status_code == 200


def test_initial_password_must_be_changed_first(demo_app: Any, admin: Api) -> None:
    user = new_user(admin, must_change_password=True)
    api = login(demo_app, user["username"], PASSWORD)
    assert api.get("/api/auth/me").json()["password_change_required"] is True
    assert problem(api.get("/api/auth/sessions")) == (403, "password_change_required")
    assert problem(api.post("/api/auth/tokens", json={"name": "x"})) == (
        403,
        "password_change_required",
    )
    assert change(api, PASSWORD, "my-own-passphrase-now").status_code == 204
    assert api.get("/api/auth/me").json()["password_change_required"] is False
    assert api.get("/api/auth/sessions").status_code == 200


def test_admin_reset_forces_a_change_and_ends_sessions(demo_app: Any, admin: Api) -> None:
    user = new_user(admin)
    api = login(demo_app, user["username"], PASSWORD)
    r = admin.post(
        f"/api/admin/users/{user['id']}/reset-password",
        json={"new_password": "short", "reason": "forgotten"},
    )
    assert field_errors(r) == [("new_password", "password_too_short")]
    r = admin.post(
        f"/api/admin/users/{user['id']}/reset-password",
        json={"new_password": "temporary-harbor-lantern", "reason": "forgotten"},
    )
    assert r.status_code == 200, r.text
    assert problem(api.get("/api/auth/me")) == (401, "session_expired")
    fresh = login(demo_app, user["username"], "temporary-harbor-lantern")
    assert problem(fresh.get("/api/auth/sessions")) == (403, "password_change_required")
    actions = [e["action"] for e in admin.get(f"/api/audit/entity/user/{user['id']}").json()]
    assert "password_reset" in actions


def test_stored_hashes_are_argon2id_with_rfc9106_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Production defaults (the suite itself runs with cheap parameters, see conftest)."""
    monkeypatch.delenv("QUALITAS_SECURITY__ARGON2_TIME_COST", raising=False)
    monkeypatch.delenv("QUALITAS_SECURITY__ARGON2_MEMORY_KIB", raising=False)
    get_settings.cache_clear()
    try:
        stored = service.hash_password("Harbor-Lantern-quiet-42")
    finally:
        get_settings.cache_clear()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert service.verify_password(stored, "Harbor-Lantern-quiet-42")


# --- djbh3 (GB/T 22239-2019 level 3) -------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("lanternharbor42quiet", [("password", "password_too_simple")]),  # fine under asvs-l2
        ("LANTERN-HARBOR", [("password", "password_too_simple")]),  # upper + symbol only
        ("Harbor-quie1", []),  # 12 characters, 4 classes
        ("harbor-quie1", []),  # 3 classes are enough
        ("Harbor-qui1", [("password", "password_too_short")]),  # 11
    ],
)
@pytest.mark.usefixtures("djbh3")
def test_djbh3_requires_three_character_classes(
    admin: Api, password: str, expected: list[tuple[str, str]]
) -> None:
    r = create(admin, password)
    if expected:
        assert field_errors(r) == expected
    else:
        assert r.status_code == 201, r.text


@pytest.mark.usefixtures("djbh3")
def test_djbh3_rotation_after_90_days(demo_app: Any, admin: Api) -> None:
    user = new_user(admin)
    api = login(demo_app, user["username"], PASSWORD)
    assert api.get("/api/auth/me").json()["password_change_required"] is False
    with demo_app.state.db.unit_of_work() as s:
        s.get(User, user["id"]).password_changed_at = dt.datetime.now(dt.UTC) - dt.timedelta(
            days=91
        )
    me = api.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["password_change_required"] is True
    assert me.json()["policy_profile"] == "djbh3"
    assert problem(api.get("/api/auth/sessions")) == (403, "password_change_required")
    assert problem(api.get("/api/plant/tree")) == (403, "password_change_required")

    assert change(api, PASSWORD, "Harbor-Lantern-2nd!").status_code == 204
    assert api.get("/api/auth/me").json()["password_change_required"] is False
    assert problem(api.get("/api/auth/sessions")) == (403, "mfa_setup_required")


@pytest.mark.usefixtures("djbh3")
def test_djbh3_refuses_the_recent_passwords(demo_app: Any, admin: Api) -> None:
    chain = [f"Harbor-Lantern-{i}-quiet" for i in range(7)]
    user = new_user(admin, chain[0])
    api = login(demo_app, user["username"], chain[0])
    assert change(api, chain[0], chain[1]).status_code == 204
    assert field_errors(change(api, chain[1], chain[1])) == [("new_password", "password_reused")]
    assert field_errors(change(api, chain[1], chain[0])) == [("new_password", "password_reused")]
    for old, new in itertools.pairwise(chain[1:]):
        assert change(api, old, new).status_code == 204
    # Current chain[6]; the five before it are chain[1..5], all refused.
    for old in chain[1:6]:
        r = change(api, chain[6], old)
        assert field_errors(r) == [("new_password", "password_reused")], old
    assert change(api, chain[6], chain[0]).status_code == 204  # old enough to come back


@pytest.mark.usefixtures("djbh3")
def test_djbh3_requires_mfa_enrolment_before_anything_else(demo_app: Any, admin: Api) -> None:
    user = new_user(admin)
    client = client_for(demo_app)
    r = client.post("/api/auth/login", json={"username": user["username"], "password": PASSWORD})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["mfa_setup_required"] is True
    api = Api(client)
    assert problem(api.get("/api/auth/sessions")) == (403, "mfa_setup_required")
    assert problem(api.get("/api/plant/tree")) == (403, "mfa_setup_required")
    assert api.get("/api/auth/me").json()["mfa_setup_required"] is True

    setup = api.post("/api/auth/mfa/setup")
    assert setup.status_code == 200, setup.text
    code = pyotp.TOTP(setup.json()["secret"]).now()
    assert api.post("/api/auth/mfa/confirm", json={"code": code}).status_code == 204
    assert api.get("/api/auth/me").json()["mfa_setup_required"] is False
    assert api.get("/api/auth/sessions").status_code == 200
    again = client_for(demo_app).post(
        "/api/auth/login", json={"username": user["username"], "password": PASSWORD}
    )
    assert problem(again) == (401, "mfa_required")


@pytest.mark.usefixtures("djbh3")
def test_djbh3_locks_out_for_30_minutes(demo_app: Any, admin: Api) -> None:
    user = new_user(admin)
    for _ in range(5):
        client_for(demo_app).post(
            "/api/auth/login", json={"username": user["username"], "password": "Wrong-Pass-1"}
        )
    with demo_app.state.db.unit_of_work() as s:
        left = s.get(User, user["id"]).locked_until - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
