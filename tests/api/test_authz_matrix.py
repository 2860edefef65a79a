"""Authorization matrix: every API endpoint x every role x own or other site -> expected status.

Each role is held by a user scoped to the Suzhou site (SUZ); "own" targets SUZ records and
"other" targets Stuttgart (STR) records. A global admin and a global auditor are checked for
the all-sites endpoints. The test fails if an endpoint exists that the matrix does not cover.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import client_for, login, unique

ROLES = [
    "operator",
    "inspector",
    "quality_engineer",
    "quality_manager",
    "supplier",
    "auditor",
    "admin",
]
READ = {"operator", "inspector", "quality_engineer", "quality_manager", "auditor", "admin"}
WRITE = {"quality_engineer", "quality_manager", "admin"}
HIER = {"quality_manager", "admin"}
PASSWORD = "matrix-passphrase-for-tests-2026"


class World:
    """Seeds records through the global admin and hands out per-role bearer clients."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.admin = login(app, "admin")
        me = self.admin.get("/api/auth/me").json()
        self.sites = {s["code"]: s["id"] for s in me["sites"]}
        self.tokens: dict[str, str] = {}
        for role in ROLES:
            self.tokens[role] = self._user(role, self.sites["SUZ"])
        self.tokens["global_admin"] = self._user("admin", None)
        self.tokens["global_auditor"] = self._user("auditor", None)
        self.lines = {code: self._first("line", sid) for code, sid in self.sites.items()}

    def _user(self, role: str, site_id: int | None) -> str:
        name = unique("m").lower()
        r = self.admin.post(
            "/api/admin/users",
            json={
                "username": name,
                "full_name": f"Matrix {role}",
                "password": PASSWORD,
                "must_change_password": False,
            },
        )
        assert r.status_code == 201, r.text
        r = self.admin.post(
            f"/api/admin/users/{r.json()['id']}/grants",
            json={"role": role, "site_id": site_id, "reason": "authz matrix"},
        )
        assert r.status_code == 201, r.text
        api = login(self.app, name, PASSWORD)
        r = api.post("/api/auth/tokens", json={"name": "matrix", "expires_in_days": 1})
        assert r.status_code == 201, r.text
        return str(r.json()["token"])

    def _first(self, level: str, site_id: int) -> int:
        r = self.admin.get(f"/api/plant/nodes?level={level}&site_id={site_id}")
        return int(r.json()["items"][0]["id"])

    def call(self, who: str, method: str, path: str, **kw: Any) -> Any:
        client = client_for(self.app)
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return client.request(method, path, headers=headers, **kw)

    def create(self, resource: str, site: str, **extra: Any) -> dict[str, Any]:
        body = self.body(resource, site) | extra
        r = self.admin.post(f"{BASES.get(resource, '/api/plant')}/{resource}", json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())

    def body(self, resource: str, site: str) -> dict[str, Any]:
        sid, code = self.sites[site], unique("MX")
        if resource == "control-plan-lines":
            item = self.create("items", site)
            char = self.create("characteristics", site, item_id=item["id"])
            return {
                "site_id": sid,
                "code": code,
                "name": "Check",
                "item_id": item["id"],
                "characteristic_id": char["id"],
                "frequency": "each lot",
                "reaction_plan": "hold the lot",
                "sample_size": 3,
            }
        return {
            "equipment": {"site_id": sid, "code": code, "name": "Press", "kind": "Press"},
            "gauges": {
                "site_id": sid,
                "code": code,
                "name": "Caliper",
                "gauge_type": "Caliper",
                "calibration_interval_days": 365,
            },
            "items": {"site_id": sid, "code": code, "name": "Part", "kind": "product"},
            "characteristics": {
                "site_id": sid,
                "code": code,
                "name": "Length",
                "kind": "variable",
                "lsl": 1.0,
                "usl": 2.0,
            },
            "suppliers": {"site_id": sid, "code": code, "name": "Supplier"},
            "customers": {"site_id": sid, "code": code, "name": "Customer"},
        }[resource]

    def lot(self, site: str) -> dict[str, Any]:
        """An open final-inspection lot of a product with one control-plan line."""
        line = self.create("control-plan-lines", site)
        r = self.admin.post(
            "/api/inspection/lots",
            json={
                "kind": "final",
                "item_id": line["item_id"],
                "lot_number": unique("L"),
                "quantity": 50,
            },
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    def monitored(self, site: str) -> dict[str, Any]:
        """A characteristic with an approved limit set and one raised alarm."""
        char = self.create("characteristics", site)
        ls = self.admin.post(
            "/api/spc/limit-sets",
            json={
                "characteristic_id": char["id"],
                "center": 1.5,
                "std_dev": 0.01,
                "reason": "matrix seed",
            },
        ).json()
        self.admin.post(f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "matrix"})
        readings = [self.reading(char["id"], 9.0), self.reading(char["id"], 1.51)]
        self.admin.post("/api/measurements", json={"rows": readings})
        alarm = self.admin.get(f"/api/spc/alarms?characteristic_id={char['id']}").json()[0]
        return {"char": char, "limit_set": ls, "alarm": alarm}

    def reading(self, char_id: int, value: float) -> dict[str, Any]:
        return {
            "characteristic_id": char_id,
            "value": value,
            "source_id": unique("src"),
            "seq": 1,
            "source_ts": "2026-04-01T10:00:00Z",
        }

    def revision(self, site: str) -> int:
        item = self.create("items", site)
        r = self.admin.post(
            f"/api/plant/items/{item['id']}/revisions",
            json={"revision": "A", "reason": "matrix seed"},
        )
        assert r.status_code == 201, r.text
        return int(r.json()["id"])


Request = tuple[str, dict[str, Any]]  # path, request kwargs


@dataclass(frozen=True)
class Case:
    method: str
    template: str
    make: Callable[[World, str], Request]
    expect: Callable[[str, bool], int]


def read_expect(role: str, own: bool) -> int:
    return 200 if own and role in READ else 404


def write_expect(role: str, own: bool) -> int:
    if not own or role not in READ:
        return 404
    return 200 if role in WRITE else 403


def create_expect(role: str, own: bool) -> int:
    return 201 if own and role in WRITE else 403


def list_expect(role: str, _own: bool) -> int:
    return 200 if role in READ else 403


def any_user(_role: str, _own: bool) -> int:
    return 200


def global_only(_role: str, _own: bool) -> int:
    return 403  # site-scoped grants never carry global permissions


BASES = {"control-plan-lines": "/api/inspection"}


def _resource_cases(res: str) -> list[Case]:
    base = f"{BASES.get(res, '/api/plant')}/{res}"

    def record(w: World, site: str) -> int:
        return int(w.create(res, site)["id"])

    def patch(w: World, site: str) -> Request:
        rec = w.create(res, site)
        return f"{base}/{rec['id']}", {
            "json": {"name": "Renamed", "version": rec["version"], "reason": "matrix check"}
        }

    def upload(w: World, site: str) -> Request:
        body = w.body(res, site)
        header = ",".join(body)
        row = ",".join(str(v) for v in body.values())
        data = f"{header}\n{row}\n".encode()
        return f"{base}/import", {"files": {"file": ("rows.csv", io.BytesIO(data), "text/csv")}}

    def import_expect(role: str, _own: bool) -> int:
        return 200 if role in WRITE else 403

    return [
        Case("GET", base, lambda w, s: (base, {}), list_expect),
        Case("POST", base, lambda w, s: (base, {"json": w.body(res, s)}), create_expect),
        Case("GET", f"{base}/export.xlsx", lambda w, s: (f"{base}/export.xlsx", {}), list_expect),
        Case("POST", f"{base}/import", upload, import_expect),
        Case(
            "GET", f"{base}/{{record_id}}", lambda w, s: (f"{base}/{record(w, s)}", {}), read_expect
        ),
        Case("PATCH", f"{base}/{{record_id}}", patch, write_expect),
        Case(
            "POST",
            f"{base}/{{record_id}}/retire",
            lambda w, s: (f"{base}/{record(w, s)}/retire", {"json": {"reason": "matrix"}}),
            write_expect,
        ),
    ]


def _node_cases() -> list[Case]:
    def new_area(w: World, site: str) -> Request:
        return "/api/plant/nodes", {
            "json": {
                "level": "area",
                "parent_id": w.sites[site],
                "code": unique("AR"),
                "name": "Area",
            }
        }

    def line_patch(w: World, site: str) -> Request:
        r = w.admin.post(
            "/api/plant/nodes",
            json={
                "level": "area",
                "parent_id": w.sites[site],
                "code": unique("AR"),
                "name": "Area",
            },
        )
        node = r.json()
        return f"/api/plant/nodes/{node['id']}", {"json": {"name": "X", "version": node["version"]}}

    def retire(w: World, site: str) -> Request:
        r = w.admin.post(
            "/api/plant/nodes",
            json={
                "level": "area",
                "parent_id": w.sites[site],
                "code": unique("AR"),
                "name": "Area",
            },
        )
        return f"/api/plant/nodes/{r.json()['id']}/retire", {"json": {"reason": "matrix"}}

    def hier_create(role: str, own: bool) -> int:
        return 201 if own and role in HIER else 403

    def hier_write(role: str, own: bool) -> int:
        if not own or role not in READ:
            return 404
        return 200 if role in HIER else 403

    return [
        Case("GET", "/api/plant/tree", lambda w, s: ("/api/plant/tree", {}), list_expect),
        Case("GET", "/api/plant/nodes", lambda w, s: ("/api/plant/nodes", {}), list_expect),
        Case("POST", "/api/plant/nodes", new_area, hier_create),
        Case(
            "GET",
            "/api/plant/nodes/{node_id}",
            lambda w, s: (f"/api/plant/nodes/{w.lines[s]}", {}),
            read_expect,
        ),
        Case("PATCH", "/api/plant/nodes/{node_id}", line_patch, hier_write),
        Case("POST", "/api/plant/nodes/{node_id}/retire", retire, hier_write),
    ]


def _product_cases() -> list[Case]:
    def revisions(w: World, site: str) -> Request:
        item = w.create("items", site)
        return f"/api/plant/items/{item['id']}/revisions", {}

    def new_revision(w: World, site: str) -> Request:
        item = w.create("items", site)
        return f"/api/plant/items/{item['id']}/revisions", {
            "json": {"revision": "B", "reason": "matrix"}
        }

    def new_line(w: World, site: str) -> Request:
        rev, comp = w.revision(site), w.create("items", site, kind="material")
        return f"/api/plant/revisions/{rev}/bom-lines", {
            "json": {"component_item_id": comp["id"], "quantity": 2, "reason": "matrix"}
        }

    def bom_create(role: str, own: bool) -> int:
        if not own or role not in READ:
            return 404
        return 201 if role in WRITE else 403

    return [
        Case("GET", "/api/plant/items/{item_id}/revisions", revisions, read_expect),
        Case("POST", "/api/plant/items/{item_id}/revisions", new_revision, bom_create),
        Case(
            "GET",
            "/api/plant/revisions/{revision_id}/bom-lines",
            lambda w, s: (f"/api/plant/revisions/{w.revision(s)}/bom-lines", {}),
            read_expect,
        ),
        Case("POST", "/api/plant/revisions/{revision_id}/bom-lines", new_line, bom_create),
        Case(
            "GET",
            "/api/plant/revisions/{revision_id}/bom-tree",
            lambda w, s: (f"/api/plant/revisions/{w.revision(s)}/bom-tree", {}),
            read_expect,
        ),
    ]


def _other_cases() -> list[Case]:
    def history(w: World, site: str) -> Request:
        rec = w.create("characteristics", site)
        return f"/api/audit/entity/characteristic/{rec['id']}", {}

    def admin_user(w: World, _site: str) -> int:
        return int(w.admin.get("/api/auth/me").json()["id"])

    return [
        Case("GET", "/api/health", lambda w, s: ("/api/health", {}), any_user),
        Case("GET", "/api/auth/me", lambda w, s: ("/api/auth/me", {}), any_user),
        Case("GET", "/api/auth/sessions", lambda w, s: ("/api/auth/sessions", {}), any_user),
        Case("GET", "/api/auth/tokens", lambda w, s: ("/api/auth/tokens", {}), any_user),
        Case("GET", "/api/audit/entity/{entity_type}/{entity_id}", history, read_expect),
        Case("GET", "/api/audit/verify", lambda w, s: ("/api/audit/verify", {}), global_only),
        Case("GET", "/api/admin/users", lambda w, s: ("/api/admin/users", {}), global_only),
        Case(
            "POST",
            "/api/admin/users",
            lambda w, s: (
                "/api/admin/users",
                {"json": {"username": unique("u").lower(), "full_name": "X", "password": PASSWORD}},
            ),
            global_only,
        ),
        Case(
            "GET",
            "/api/admin/users/{user_id}",
            lambda w, s: (f"/api/admin/users/{admin_user(w, s)}", {}),
            global_only,
        ),
        Case(
            "PATCH",
            "/api/admin/users/{user_id}",
            lambda w, s: (
                f"/api/admin/users/{admin_user(w, s)}",
                {"json": {"full_name": "X", "version": 1}},
            ),
            global_only,
        ),
        Case(
            "POST",
            "/api/admin/users/{user_id}/grants",
            lambda w, s: (
                f"/api/admin/users/{admin_user(w, s)}/grants",
                {"json": {"role": "auditor", "reason": "matrix"}},
            ),
            global_only,
        ),
        Case(
            "POST",
            "/api/admin/users/{user_id}/grants/{grant_id}/revoke",
            lambda w, s: (
                f"/api/admin/users/{admin_user(w, s)}/grants/1/revoke",
                {"json": {"reason": "matrix"}},
            ),
            global_only,
        ),
        Case(
            "POST",
            "/api/admin/users/{user_id}/unlock",
            lambda w, s: (f"/api/admin/users/{admin_user(w, s)}/unlock", {}),
            global_only,
        ),
        Case(
            "POST",
            "/api/admin/users/{user_id}/reset-password",
            lambda w, s: (
                f"/api/admin/users/{admin_user(w, s)}/reset-password",
                {"json": {"new_password": PASSWORD + "x"}},
            ),
            global_only,
        ),
        Case("GET", "/api/admin/roles", lambda w, s: ("/api/admin/roles", {}), global_only),
    ]


def _spc_cases() -> list[Case]:
    measure = {"operator", "inspector", "quality_engineer", "quality_manager", "admin"}
    spc_write = WRITE

    def needs(perm_roles: set[str], ok: int) -> Callable[[str, bool], int]:
        def expect(role: str, own: bool) -> int:
            if not own or role not in READ:
                return 404
            return ok if role in perm_roles else 403

        return expect

    def ingest_expect(role: str, _own: bool) -> int:
        return 200 if role in measure else 403  # other-site rows come back as rejects

    def post_reading(w: World, site: str) -> Request:
        char = w.create("characteristics", site)
        return "/api/measurements", {"json": {"rows": [w.reading(char["id"], 1.5)]}}

    def post_csv(w: World, site: str) -> Request:
        char = w.create("characteristics", site)
        head = "characteristic_id,value,source_ts,source_id,seq\n"
        body = head + f"{char['id']},1.5,2026-04-01T10:00:00Z,s,1\n"
        return "/api/measurements/csv", {"files": {"file": ("m.csv", io.BytesIO(body.encode()))}}

    def new_limit_set(w: World, site: str) -> Request:
        char = w.create("characteristics", site)
        return "/api/spc/limit-sets", {
            "json": {
                "characteristic_id": char["id"],
                "center": 1.5,
                "std_dev": 0.1,
                "reason": "matrix",
            }
        }

    def approve(w: World, site: str) -> Request:
        char = w.create("characteristics", site)
        ls = w.admin.post(
            "/api/spc/limit-sets",
            json={
                "characteristic_id": char["id"],
                "center": 1.5,
                "std_dev": 0.1,
                "reason": "matrix",
            },
        ).json()
        return f"/api/spc/limit-sets/{ls['id']}/approve", {"json": {"reason": "matrix"}}

    def alarm_action(action: str, body: dict[str, Any]) -> Callable[[World, str], Request]:
        def make(w: World, site: str) -> Request:
            alarm = w.monitored(site)["alarm"]
            return f"/api/spc/alarms/{alarm['id']}/{action}", {"json": body}

        return make

    return [
        Case("POST", "/api/measurements", post_reading, ingest_expect),
        Case("POST", "/api/measurements/csv", post_csv, ingest_expect),
        Case(
            "GET",
            "/api/measurements/characteristics/{characteristic_id}",
            lambda w, s: (
                f"/api/measurements/characteristics/{w.create('characteristics', s)['id']}",
                {},
            ),
            read_expect,
        ),
        Case("POST", "/api/spc/limit-sets", new_limit_set, needs(spc_write, 201)),
        Case("POST", "/api/spc/limit-sets/{limit_set_id}/approve", approve, needs(spc_write, 200)),
        Case(
            "GET",
            "/api/spc/characteristics/{characteristic_id}/chart",
            lambda w, s: (f"/api/spc/characteristics/{w.monitored(s)['char']['id']}/chart", {}),
            read_expect,
        ),
        Case("GET", "/api/spc/alarms", lambda w, s: ("/api/spc/alarms", {}), list_expect),
        Case(
            "POST",
            "/api/spc/alarms/{alarm_id}/acknowledge",
            alarm_action("acknowledge", {}),
            needs(measure, 200),
        ),
        Case(
            "POST",
            "/api/spc/alarms/{alarm_id}/resolve",
            alarm_action("resolve", {"cause": "matrix", "action": "matrix"}),
            needs(measure, 200),
        ),
        Case(
            "GET",
            "/api/spc/characteristics/{characteristic_id}/capability",
            lambda w, s: (
                f"/api/spc/characteristics/{w.monitored(s)['char']['id']}/capability",
                {},
            ),
            read_expect,
        ),
        Case("GET", "/api/spc/board", lambda w, s: ("/api/spc/board", {}), list_expect),
        Case(
            "GET",
            "/api/spc/board/stream",
            lambda w, s: ("/api/spc/board/stream?once=true", {}),
            list_expect,
        ),
        Case(
            "GET",
            "/api/spc/response-times",
            lambda w, s: ("/api/spc/response-times", {}),
            list_expect,
        ),
    ]


def _inspection_cases() -> list[Case]:
    measure = {"operator", "inspector", "quality_engineer", "quality_manager", "admin"}
    decide = {"inspector", "quality_engineer", "quality_manager", "admin"}

    def new_lot(w: World, site: str) -> Request:
        line = w.create("control-plan-lines", site)
        return "/api/inspection/lots", {
            "json": {
                "kind": "final",
                "item_id": line["item_id"],
                "lot_number": unique("L"),
                "quantity": 20,
            }
        }

    def lot_create_expect(role: str, own: bool) -> int:
        if own and role in READ:
            return 201 if role in measure else 403
        return 422  # the item is not visible: an invalid reference, named at item_id

    def gated(roles: set[str], ok: int) -> Callable[[str, bool], int]:
        def expect(role: str, own: bool) -> int:
            if not own or role not in READ:
                return 404
            return ok if role in roles else 403

        return expect

    def results(w: World, site: str) -> Request:
        lot = w.lot(site)
        char = lot["plan"][0]["characteristic_id"]
        return f"/api/inspection/lots/{lot['id']}/results", {
            "json": {"results": [{"characteristic_id": char, "sample_index": 1, "value": 1.5}]}
        }

    def decision(w: World, site: str) -> Request:
        lot = w.lot(site)
        return f"/api/inspection/lots/{lot['id']}/decision", {
            "json": {"decision": "conditional", "reason": "matrix", "version": lot["version"]}
        }

    return [
        Case(
            "GET",
            "/api/inspection/sampling-plan",
            lambda w, s: ("/api/inspection/sampling-plan?lot_size=500&aql=1.0", {}),
            list_expect,
        ),
        Case("POST", "/api/inspection/lots", new_lot, lot_create_expect),
        Case("GET", "/api/inspection/lots", lambda w, s: ("/api/inspection/lots", {}), list_expect),
        Case(
            "GET",
            "/api/inspection/lots/{lot_id}",
            lambda w, s: (f"/api/inspection/lots/{w.lot(s)['id']}", {}),
            read_expect,
        ),
        Case("PUT", "/api/inspection/lots/{lot_id}/results", results, gated(measure, 200)),
        Case("POST", "/api/inspection/lots/{lot_id}/decision", decision, gated(decide, 200)),
    ]


def _trace_cases() -> list[Case]:
    """Genealogy spans sites: reading needs trace.read anywhere; recording needs trace.capture
    at the site named in the body; recalls and holds need trace.hold."""
    capture = {"operator", "inspector", "quality_engineer", "quality_manager", "admin"}

    def record_expect(role: str, own: bool) -> int:
        return 201 if own and role in capture else 403

    def hold_expect(ok: int) -> Callable[[str, bool], int]:
        return lambda role, _own: ok if role in WRITE else 403

    def receive(w: World, site: str) -> Request:
        item, supplier = ("M-AL6061", "S-1001") if site == "SUZ" else ("M-PA66", "S-2001")
        return "/api/trace/events/receive", {"json": {
            "site": site, "supplier": supplier, "item": item, "supplier_lot": unique("SL"),
            "lot": unique("L"), "quantity": 10}}  # fmt: skip

    def lot_key(w: World, site: str) -> str:
        path, kw = receive(w, site)
        r = w.admin.post(path, **kw)
        assert r.status_code == 201, r.text
        q = kw["json"]["lot"]
        return str(w.admin.get("/api/trace/search", params={"q": q}).json()[0]["id"])

    def body(
        action: str, extra: Callable[[World, str], dict[str, Any]]
    ) -> Callable[[World, str], Request]:
        def make(w: World, site: str) -> Request:
            return f"/api/trace/events/{action}", {"json": {"site": site, **extra(w, site)}}

        return make

    def item(site: str) -> str:
        return "P-CAP-300" if site == "SUZ" else "P-CVR-600"

    def recall(w: World, site: str) -> dict[str, Any]:
        r = w.admin.post("/api/trace/recalls", json={
            "title": "matrix recall", "drill": False,
            "suspect": {"kind": "lots", "ids": [lot_key(w, site)]}})  # fmt: skip
        assert r.status_code == 201, r.text
        return dict(r.json())

    def hold(w: World, site: str) -> dict[str, Any]:
        r = w.admin.post("/api/trace/holds", json={"id": lot_key(w, site), "reason": "matrix"})
        assert r.status_code == 201, r.text
        return dict(r.json()[0])

    def with_lot(path: str) -> Callable[[World, str], Request]:
        return lambda w, s: (path, {"params": {"id": lot_key(w, s)}})

    reason = {"json": {"reason": "matrix"}}
    return [
        Case("POST", "/api/trace/events/receive", receive, record_expect),
        Case("POST", "/api/trace/events/issue", body("issue", lambda w, s: {
            "work_order": unique("WO"), "inputs": [{"item": item(s), "lot": "L1", "quantity": 1}]}),
            record_expect),
        Case("POST", "/api/trace/events/output", body("output", lambda w, s: {
            "work_order": unique("WO"), "item": item(s), "lot": unique("L"), "quantity": 1}),
            record_expect),
        Case("POST", "/api/trace/events/split", body("split", lambda w, s: {
            "inputs": [{"item": item(s), "lot": "L1", "quantity": 2}],
            "outputs": [{"item": item(s), "lot": unique("L"), "quantity": 2}]}), record_expect),
        Case("POST", "/api/trace/events/rework", body("rework", lambda w, s: {
            "work_order": unique("WO"), "item": item(s), "lot": "L1", "quantity": 1}),
            record_expect),
        Case("POST", "/api/trace/events/pack", body("pack", lambda w, s: {
            "container": unique("C"), "children": [{"container": unique("C")}]}), record_expect),
        Case("POST", "/api/trace/events/ship", body("ship", lambda w, s: {
            "objects": [{"container": unique("C")}], "to_site": "STR" if s == "SUZ" else "SUZ"}),
            record_expect),
        Case("POST", "/api/trace/events/receive-transfer", body("receive-transfer", lambda w, s: {
            "objects": [{"container": unique("C")}], "from_site": "STR" if s == "SUZ" else "SUZ"}),
            record_expect),
        Case("GET", "/api/trace/search", lambda w, s: ("/api/trace/search", {"params": {"q": s}}),
             list_expect),
        Case("GET", "/api/trace/graph", with_lot("/api/trace/graph"), list_expect),
        Case("GET", "/api/trace/genealogy/{direction}", with_lot("/api/trace/genealogy/forward"),
             list_expect),
        Case("GET", "/api/trace/recalls", lambda w, s: ("/api/trace/recalls", {}), list_expect),
        Case("POST", "/api/trace/recalls", lambda w, s: ("/api/trace/recalls", {"json": {
            "title": "matrix", "drill": True,
            "suspect": {"kind": "lots", "ids": [lot_key(w, s)]}}}), hold_expect(201)),
        Case("GET", "/api/trace/recalls/{recall_id}",
             lambda w, s: (f"/api/trace/recalls/{recall(w, s)['id']}", {}), list_expect),
        Case("POST", "/api/trace/recalls/{recall_id}/scope",
             lambda w, s: (f"/api/trace/recalls/{recall(w, s)['id']}/scope", {}), hold_expect(200)),
        Case("POST", "/api/trace/recalls/{recall_id}/holds",
             lambda w, s: (f"/api/trace/recalls/{recall(w, s)['id']}/holds", reason),
             hold_expect(200)),
        Case("POST", "/api/trace/recalls/{recall_id}/close",
             lambda w, s: (f"/api/trace/recalls/{recall(w, s)['id']}/close", reason),
             hold_expect(200)),
        Case("GET", "/api/trace/holds", lambda w, s: ("/api/trace/holds", {}), list_expect),
        Case("POST", "/api/trace/holds", lambda w, s: ("/api/trace/holds", {"json": {
            "id": lot_key(w, s), "reason": "matrix"}}), hold_expect(201)),
        Case("POST", "/api/trace/holds/{hold_id}/release",
             lambda w, s: (f"/api/trace/holds/{hold(w, s)['id']}/release", reason),
             hold_expect(200)),
        Case("GET", "/api/trace/dhr", with_lot("/api/trace/dhr"), list_expect),
        Case("GET", "/api/trace/dhr.pdf", with_lot("/api/trace/dhr.pdf"), list_expect),
        Case("GET", "/api/trace/fsma.csv", lambda w, s: ("/api/trace/fsma.csv", {"params": {
            "since": "2026-03-01T00:00:00Z", "until": "2026-03-02T00:00:00Z"}}), list_expect),
        Case("GET", "/api/trace/fsma.xlsx", lambda w, s: ("/api/trace/fsma.xlsx", {"params": {
            "since": "2026-03-01T00:00:00Z", "until": "2026-03-02T00:00:00Z"}}), list_expect),
        Case("GET", "/api/trace/recalls/{recall_id}/report.pdf",
             lambda w, s: (f"/api/trace/recalls/{recall(w, s)['id']}/report.pdf", {}),
             list_expect),
        Case("GET", "/api/trace/recalls/{recall_id}/report.xlsx",
             lambda w, s: (f"/api/trace/recalls/{recall(w, s)['id']}/report.xlsx", {}),
             list_expect),
    ]  # fmt: skip


RESOURCES = [
    "equipment",
    "gauges",
    "items",
    "characteristics",
    "suppliers",
    "customers",
    "control-plan-lines",
]
CASES = [c for r in RESOURCES for c in _resource_cases(r)]
CASES += _node_cases() + _product_cases() + _other_cases() + _spc_cases()
CASES += _inspection_cases() + _trace_cases()
# Self-service endpoints whose effect is on the caller only; covered by the auth tests.
SELF_SERVICE = {
    ("POST", "/api/auth/login"),
    ("PATCH", "/api/auth/me"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/password"),
    ("POST", "/api/auth/mfa/setup"),
    ("POST", "/api/auth/mfa/confirm"),
    ("POST", "/api/auth/tokens"),
    ("POST", "/api/auth/tokens/{token_id}/revoke"),
    ("POST", "/api/auth/sessions/{session_id}/revoke"),
}


@pytest.fixture(scope="module")
def world(demo_app: Any) -> World:
    return World(demo_app)


def test_matrix_covers_every_endpoint(demo_app: Any) -> None:
    paths = demo_app.openapi()["paths"]
    routes = {(m.upper(), p) for p, ops in paths.items() for m in ops if p.startswith("/api")}
    covered = {(c.method, c.template) for c in CASES} | SELF_SERVICE
    assert routes - covered == set(), "endpoints missing from the authorization matrix"
    assert covered - routes == set(), "matrix names endpoints that do not exist"


def _id(case: Case) -> str:
    return f"{case.method} {case.template}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_matrix(world: World, case: Case) -> None:
    failures = []
    for role in ROLES:
        for own in (True, False):
            site = "SUZ" if own else "STR"
            path, kwargs = case.make(world, site)
            r = world.call(role, case.method, path, **kwargs)
            want = case.expect(role, own)
            if r.status_code != want:
                failures.append(f"{role}/{site}: {r.status_code} != {want} {r.text[:120]}")
            elif case.template.endswith("/import") and r.status_code == 200:
                assert r.json()["ok"] is own, f"{role}/{site}: {r.json()}"
    assert not failures, "\n".join(failures)


def test_unauthenticated_gets_401_everywhere(demo_app: Any) -> None:
    client = client_for(demo_app)
    for case in CASES:
        if case.template == "/api/health":
            continue
        path = case.template.replace("{entity_type}", "characteristic")
        path = re.sub(r"\{[a-z_]+\}", "1", path)
        r = client.request(case.method, path)
        assert r.status_code == 401, f"{case.method} {path}: {r.status_code}"
        assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("who", ["global_admin", "global_auditor"])
def test_global_roles(world: World, who: str) -> None:
    assert world.call(who, "GET", "/api/audit/verify").status_code == 200
    want = 200 if who == "global_admin" else 403
    assert world.call(who, "GET", "/api/admin/users").status_code == want
    assert world.call(who, "GET", "/api/admin/roles").status_code == want
    for site in ("SUZ", "STR"):
        rec = world.create("characteristics", site)
        assert world.call(who, "GET", f"/api/plant/characteristics/{rec['id']}").status_code == 200


def test_lists_never_leak_other_site(world: World) -> None:
    for res in RESOURCES:
        world.create(res, "STR")
        base = f"{BASES.get(res, '/api/plant')}/{res}"
        for role in READ:
            r = world.call(role, "GET", f"{base}?site_id={world.sites['STR']}")
            assert r.status_code == 200 and r.json()["total"] == 0, (role, res, r.text[:200])
            r = world.call(role, "GET", f"{base}?limit=500")
            assert {i["site_id"] for i in r.json()["items"]} <= {world.sites["SUZ"]}
    for path in ("/api/inspection/lots", "/api/spc/alarms"):
        world.lot("STR") if "lots" in path else world.monitored("STR")
        for role in READ:
            body = world.call(role, "GET", path).json()
            rows = body["items"] if isinstance(body, dict) else body
            assert {i["site_id"] for i in rows} <= {world.sites["SUZ"]}, (role, path)
    tree = world.call("quality_engineer", "GET", "/api/plant/tree").json()
    assert [s["code"] for s in tree[0]["children"]] == ["SUZ"]
