"""User administration: who may do it, role grants per site, audit, optimistic concurrency."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from qualitas.auth.models import User
from qualitas.ledger.models import AuditEntry
from qualitas.plant.models import PlantNode
from tests.conftest import Api, login, unique

PASSWORD = "Harbor-Lantern-quiet-42"
NOT_ADMINS = ("qe.a", "qm", "audit", "insp.a", "vendor")


def user_body(**extra: Any) -> dict[str, Any]:
    name = unique("u").lower()
    return {
        "username": name,
        "full_name": f"Test {name}",
        "password": PASSWORD,
        "must_change_password": False,
        **extra,
    }


def new_user(as_user: Any, **extra: Any) -> dict[str, Any]:
    r = as_user("admin").post("/api/admin/users", json=user_body(**extra))
    assert r.status_code == 201, r.text
    return dict(r.json())


def grant(as_user: Any, user_id: int, role: str, site_id: int | None) -> Any:
    return as_user("admin").post(
        f"/api/admin/users/{user_id}/grants",
        json={"role": role, "site_id": site_id, "reason": "new job"},
    )


def audit_entries(app: Any, user_id: int, action: str) -> list[AuditEntry]:
    with app.state.db.unit_of_work() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.entity_type == "user",
                    AuditEntry.entity_id == str(user_id),
                    AuditEntry.action == action,
                )
                .order_by(AuditEntry.seq)
            )
        )


def problem(r: Any) -> tuple[int, str | None]:
    return r.status_code, r.json().get("code")


def test_only_a_global_admin_may_administer_users(demo_app: Any, as_user: Any) -> None:
    target = new_user(as_user)
    for who in NOT_ADMINS:
        api = as_user(who)
        assert problem(api.get("/api/admin/users")) == (403, "forbidden"), who
        assert problem(api.get(f"/api/admin/users/{target['id']}")) == (403, "forbidden"), who
        assert problem(api.get("/api/admin/roles")) == (403, "forbidden"), who
        body = user_body()
        assert problem(api.post("/api/admin/users", json=body)) == (403, "forbidden"), who
        r = api.post(
            f"/api/admin/users/{target['id']}/grants", json={"role": "admin", "reason": "let me in"}
        )
        assert problem(r) == (403, "forbidden"), who
        r = api.patch(
            f"/api/admin/users/{target['id']}",
            json={"full_name": "Hacked", "version": target["version"]},
        )
        assert problem(r) == (403, "forbidden"), who
        with demo_app.state.db.unit_of_work() as s:
            assert s.scalar(select(User.id).where(User.username == body["username"])) is None
    assert as_user("admin").get(f"/api/admin/users/{target['id']}").json() == target


def test_admin_role_at_one_site_does_not_grant_user_administration(
    demo_app: Any, as_user: Any, site_ids: dict[str, int]
) -> None:
    user = new_user(as_user)
    assert grant(as_user, user["id"], "admin", site_ids["SUZ"]).status_code == 201
    api = login(demo_app, user["username"], PASSWORD)
    me = api.get("/api/auth/me").json()
    assert "users.admin" not in me["permissions"] and "master.write" in me["permissions"]
    assert problem(api.get("/api/admin/users")) == (403, "forbidden")
    assert problem(api.post("/api/admin/users", json=user_body())) == (403, "forbidden")


def test_admin_lists_searches_and_sorts_users(as_user: Any) -> None:
    admin = as_user("admin")
    page = admin.get("/api/admin/users", params={"limit": 500}).json()
    names = [u["username"] for u in page["items"]]
    assert {"admin", "qe.a", "audit", "vendor"} <= set(names)
    demo = ["admin", "audit", "qe.a", "qe.b", "vendor"]
    assert [n for n in names if n in demo] == demo and page["total"] >= 8
    backwards = admin.get("/api/admin/users", params={"limit": 500, "sort": "-username"}).json()
    assert [u["username"] for u in backwards["items"] if u["username"] in demo] == demo[::-1]
    assert all("password_hash" not in u and "mfa_secret" not in u for u in page["items"])
    found = admin.get("/api/admin/users", params={"q": "AUDITOR"}).json()
    assert "audit" in [u["username"] for u in found["items"]]
    assert all("auditor" in (u["username"] + u["full_name"]).lower() for u in found["items"])
    qe = next(u for u in page["items"] if u["username"] == "qe.a")
    assert [(g["role"], g["site_code"]) for g in qe["grants"]] == [("quality_engineer", "SUZ")]
    r = admin.get("/api/admin/users", params={"sort": "password_hash"})
    assert [e["field"] for e in r.json()["errors"]] == ["sort"]

    gone = new_user(as_user)
    admin.patch(f"/api/admin/users/{gone['id']}", json={"active": False, "version": 1})
    assert admin.get("/api/admin/users", params={"q": gone["username"]}).json()["total"] == 0
    listed = admin.get(
        "/api/admin/users", params={"q": gone["username"], "include_retired": True}
    ).json()
    assert [u["active"] for u in listed["items"]] == [False]


def test_create_user_is_audited_without_secrets(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user, email="new.hire@acme.example.com", locale="zh-CN")
    assert (user["active"], user["version"], user["grants"], user["locale"]) == (
        True,
        1,
        [],
        "zh-CN",
    )
    [entry] = audit_entries(demo_app, user["id"], "create")
    assert entry.actor_name == "admin"
    assert entry.after["username"] == user["username"]
    assert PASSWORD not in str(entry.after) and "password_hash" not in entry.after

    dup = as_user("admin").post("/api/admin/users", json=user_body(username=user["username"]))
    assert [(e["field"], e["code"]) for e in dup.json()["errors"]] == [("username", "duplicate")]
    bad = as_user("admin").post("/api/admin/users", json=user_body(username="Has Spaces"))
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["username"]


def test_grant_shows_the_site_at_once_and_revoke_removes_it(
    demo_app: Any, as_user: Any, site_ids: dict[str, int]
) -> None:
    user = new_user(as_user)
    api = login(demo_app, user["username"], PASSWORD)
    me = api.get("/api/auth/me").json()
    assert (me["sites"], me["permissions"], me["grants"]) == ([], [], [])

    r = grant(as_user, user["id"], "inspector", site_ids["SUZ"])
    assert r.status_code == 201, r.text
    [granted] = r.json()["grants"]
    assert (granted["role"], granted["site_code"]) == ("inspector", "SUZ")
    me = api.get("/api/auth/me").json()  # same session, no new login
    assert [s["code"] for s in me["sites"]] == ["SUZ"]
    inspector = [
        "alarm.handle",
        "inspection.decide",
        "master.read",
        "measure.write",
        "trace.capture",
        "trace.read",
    ]
    assert me["permissions"] == inspector

    [entry] = audit_entries(demo_app, user["id"], "role_grant")
    assert entry.site_id == site_ids["SUZ"] and entry.reason == "new job"
    assert entry.after == {
        "grant_id": granted["id"],
        "role": "inspector",
        "site_id": site_ids["SUZ"],
        "permissions": inspector,
    }
    history = as_user("admin").get(f"/api/audit/entity/user/{user['id']}").json()
    shown = next(e for e in history if e["action"] == "role_grant")
    assert {"field": "permissions", "old": None, "new": inspector} in shown["changes"]

    dup = grant(as_user, user["id"], "inspector", site_ids["SUZ"])
    assert [(e["field"], e["code"]) for e in dup.json()["errors"]] == [("role", "duplicate")]
    assert grant(as_user, user["id"], "inspector", site_ids["STR"]).status_code == 201
    assert sorted(s["code"] for s in api.get("/api/auth/me").json()["sites"]) == ["STR", "SUZ"]

    r = as_user("admin").post(
        f"/api/admin/users/{user['id']}/grants/{granted['id']}/revoke",
        json={"reason": "moved to Stuttgart"},
    )
    assert r.status_code == 200, r.text
    assert [g["site_code"] for g in r.json()["grants"]] == ["STR"]
    assert [s["code"] for s in api.get("/api/auth/me").json()["sites"]] == ["STR"]
    [revoked] = audit_entries(demo_app, user["id"], "role_revoke")
    assert revoked.before["grant_id"] == granted["id"] and revoked.reason == "moved to Stuttgart"
    again = as_user("admin").post(
        f"/api/admin/users/{user['id']}/grants/{granted['id']}/revoke", json={"reason": "again"}
    )
    assert again.status_code == 404
    # The same role may be granted again after a revoke.
    assert grant(as_user, user["id"], "inspector", site_ids["SUZ"]).status_code == 201


def test_global_grant_shows_every_site(as_user: Any, demo_app: Any) -> None:
    user = new_user(as_user)
    api = login(demo_app, user["username"], PASSWORD)
    assert grant(as_user, user["id"], "auditor", None).status_code == 201
    all_sites = {s["code"] for s in as_user("admin").get("/api/auth/me").json()["sites"]}
    assert {s["code"] for s in api.get("/api/auth/me").json()["sites"]} == all_sites
    assert {"SUZ", "STR"} <= all_sites


def test_grant_needs_an_existing_site(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    with demo_app.state.db.unit_of_work() as s:
        line = s.scalar(select(PlantNode.id).where(PlantNode.level == "line").limit(1))
    for site_id in (line, 2**31 - 1):
        r = grant(as_user, user["id"], "operator", site_id)
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("site_id", "not_found")]
    r = as_user("admin").post(
        f"/api/admin/users/{user['id']}/grants", json={"role": "superuser", "reason": "why not"}
    )
    assert [e["field"] for e in r.json()["errors"]] == ["role"]
    assert audit_entries(demo_app, user["id"], "role_grant") == []


def test_patch_uses_optimistic_concurrency_and_is_audited(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    admin = as_user("admin")
    r = admin.patch(
        f"/api/admin/users/{user['id']}",
        json={"full_name": "Renamed Once", "version": 1, "reason": "typo"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["full_name"], r.json()["version"]) == ("Renamed Once", 2)
    stale = admin.patch(
        f"/api/admin/users/{user['id']}", json={"full_name": "Lost Update", "version": 1}
    )
    assert problem(stale) == (409, "version_conflict")
    assert admin.get(f"/api/admin/users/{user['id']}").json()["full_name"] == "Renamed Once"
    empty = admin.patch(f"/api/admin/users/{user['id']}", json={"full_name": None, "version": 2})
    assert [e["field"] for e in empty.json()["errors"]] == ["full_name"]

    [entry] = audit_entries(demo_app, user["id"], "update")
    assert entry.before["full_name"] == user["full_name"]
    assert entry.after["full_name"] == "Renamed Once" and entry.reason == "typo"


def test_an_admin_cannot_lock_themselves_out(demo_app: Any, as_user: Any) -> None:
    boss = new_user(as_user)
    own = grant(as_user, boss["id"], "admin", None).json()["grants"][0]
    api: Api = login(demo_app, boss["username"], PASSWORD)
    me = api.get(f"/api/admin/users/{boss['id']}").json()
    r = api.patch(
        f"/api/admin/users/{boss['id']}", json={"active": False, "version": me["version"]}
    )
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("active", "self")]
    r = api.post(
        f"/api/admin/users/{boss['id']}/grants/{own['id']}/revoke", json={"reason": "oops"}
    )
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("grant_id", "self")]
    assert api.get("/api/admin/users").status_code == 200


def test_user_history_is_for_admins_and_the_user_themselves(demo_app: Any, as_user: Any) -> None:
    user = new_user(as_user)
    own = login(demo_app, user["username"], PASSWORD)
    assert own.get(f"/api/audit/entity/user/{user['id']}").status_code == 200
    for who in ("qe.a", "audit"):
        r = as_user(who).get(f"/api/audit/entity/user/{user['id']}")
        assert problem(r) == (403, "forbidden"), who
    admin_id = as_user("admin").get("/api/auth/me").json()["id"]
    assert problem(own.get(f"/api/audit/entity/user/{admin_id}")) == (403, "forbidden")


def test_users_set_their_own_language(demo_app: Any, as_user: Any) -> None:
    user = as_user("admin").post("/api/admin/users", json=user_body()).json()
    api = login(demo_app, user["username"], PASSWORD)
    r = api.patch("/api/auth/me", json={"locale": "zh-CN"})
    assert r.status_code == 200 and r.json()["locale"] == "zh-CN"
    assert api.get("/api/auth/me").json()["locale"] == "zh-CN"
    r = api.patch("/api/auth/me", json={"locale": "fr"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "locale"
    r = api.patch("/api/auth/me", json={"username": "root"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "username"
    hist = as_user("admin").get(f"/api/audit/entity/user/{user['id']}").json()
    assert {"field": "locale", "old": "en", "new": "zh-CN"} in hist[0]["changes"]
