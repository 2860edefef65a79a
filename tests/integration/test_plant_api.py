"""Plant master data through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from sqlalchemy import func, select

from qualitas.events import OutboxEvent
from qualitas.ledger.models import AuditEntry
from tests.conftest import unique


def char_body(site_id: int, **over: Any) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "code": unique("CH"),
        "name": "Bore diameter",
        "kind": "variable",
        "unit": "mm",
        "nominal": 25.0,
        "lsl": 24.98,
        "usl": 25.02,
        "special_class": "CC",
    } | over


def counts(app: Any) -> tuple[int, int]:
    with app.state.db.session(write=False) as s:
        return (
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            s.scalar(select(func.count()).select_from(OutboxEvent)) or 0,
        )


def test_create_read_and_history(as_user: Any, site_ids: dict[str, int], demo_app: Any) -> None:
    api = as_user("qe.a")
    r = api.post("/api/plant/characteristics", json=char_body(site_ids["SUZ"]))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["version"] == 1 and created["status"] == "active"
    assert api.get(f"/api/plant/characteristics/{created['id']}").json() == created
    hist = api.get(f"/api/audit/entity/characteristic/{created['id']}").json()
    assert [h["action"] for h in hist] == ["create"]
    assert hist[0]["actor_name"] == "qe.a"
    assert {"field": "usl", "old": None, "new": 25.02} in hist[0]["changes"]
    with demo_app.state.db.session(write=False) as s:
        topics = s.scalars(select(OutboxEvent.topic).where(OutboxEvent.key == str(created["id"])))
        assert "plant.characteristic.created" in set(topics)


def test_validation_names_the_field_and_writes_nothing(
    as_user: Any, site_ids: dict[str, int], demo_app: Any
) -> None:
    api = as_user("qe.a")
    site = site_ids["SUZ"]
    cases = [
        (char_body(site, lsl=5, usl=3), "usl"),
        (char_body(site, nominal=30.0), "nominal"),
        (char_body(site, code="bad code!"), "code"),
        (char_body(site, kind="continuous"), "kind"),
        (char_body(site, colour="red"), "colour"),
        (char_body(site, usl="NaN"), "usl"),
        (char_body(site, lsl=None, usl=None), "lsl"),
        (char_body(site, item_id=999999), "item_id"),
        ({k: v for k, v in char_body(site).items() if k != "name"}, "name"),
    ]
    before = counts(demo_app)
    for body, field in cases:
        r = api.post("/api/plant/characteristics", json=body)
        assert r.status_code == 422, (field, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert field in {e["field"] for e in problem["errors"]}, (field, problem)
        assert problem["status"] == 422 and problem["type"].endswith("/validation")
    assert counts(demo_app) == before


def test_references_must_belong_to_the_same_site(as_user: Any, site_ids: dict[str, int]) -> None:
    admin = as_user("admin")
    other_item = admin.get(f"/api/plant/items?site_id={site_ids['STR']}&limit=1").json()["items"][0]
    r = admin.post(
        "/api/plant/characteristics", json=char_body(site_ids["SUZ"], item_id=other_item["id"])
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "item_id", "code": "other_site", "message": "belongs to another site"}
    ]
    station = admin.get(f"/api/plant/nodes?level=station&site_id={site_ids['SUZ']}").json()
    r = admin.post(
        "/api/plant/characteristics",
        json=char_body(site_ids["SUZ"], operation_node_id=station["items"][0]["parent_id"] - 1),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "operation_node_id"


def test_duplicate_code_is_422(as_user: Any, site_ids: dict[str, int]) -> None:
    api = as_user("qe.a")
    body = char_body(site_ids["SUZ"])
    assert api.post("/api/plant/characteristics", json=body).status_code == 201
    r = api.post("/api/plant/characteristics", json=body)
    assert r.status_code == 422 and r.json()["errors"][0] == {
        "field": "code",
        "code": "duplicate",
        "message": "is already used at this site",
    }


def test_update_requires_reason_and_version(as_user: Any, site_ids: dict[str, int]) -> None:
    api = as_user("qe.a")
    rec = api.post("/api/plant/characteristics", json=char_body(site_ids["SUZ"])).json()
    url = f"/api/plant/characteristics/{rec['id']}"
    r = api.patch(url, json={"usl": 25.03, "version": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = api.patch(url, json={"usl": 24.0, "version": 1, "reason": "tighten"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "usl"  # below lsl
    r = api.patch(url, json={"usl": 25.03, "version": 1, "reason": "Drawing rev B"})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["usl"] == 25.03
    r = api.patch(url, json={"usl": 25.04, "version": 1, "reason": "stale"})
    assert r.status_code == 409 and r.json()["code"] == "version_conflict"
    assert api.get(url).json()["usl"] == 25.03
    hist = api.get(f"/api/audit/entity/characteristic/{rec['id']}").json()
    assert hist[0]["action"] == "update" and hist[0]["reason"] == "Drawing rev B"
    assert hist[0]["changes"] == [{"field": "usl", "old": 25.02, "new": 25.03}]


def test_retire_not_delete(as_user: Any, site_ids: dict[str, int]) -> None:
    api = as_user("qe.a")
    rec = api.post(
        "/api/plant/suppliers",
        json={
            "site_id": site_ids["SUZ"],
            "code": unique("S"),
            "name": "Old supplier",
            "country": "CN",
        },
    ).json()
    url = f"/api/plant/suppliers/{rec['id']}"
    r = api.post(f"{url}/retire", json={"reason": "Supplier closed"})
    assert r.status_code == 200 and r.json()["status"] == "retired"
    assert api.post(f"{url}/retire", json={"reason": "again"}).status_code == 409
    assert api.get(url).status_code == 200
    listed = api.get(f"/api/plant/suppliers?q={rec['code']}").json()
    assert listed["total"] == 0
    listed = api.get(f"/api/plant/suppliers?q={rec['code']}&include_retired=true").json()
    assert listed["total"] == 1
    hist = api.get(f"/api/audit/entity/supplier/{rec['id']}").json()
    assert hist[0]["action"] == "retire" and hist[0]["reason"] == "Supplier closed"
    assert api.request("DELETE", url).status_code == 405


def test_list_paging_sorting_search_filters(as_user: Any, site_ids: dict[str, int]) -> None:
    api = as_user("qe.a")
    page = api.get("/api/plant/characteristics?limit=7&offset=7&sort=-code").json()
    assert page["limit"] == 7 and page["offset"] == 7 and len(page["items"]) == 7
    everything = api.get("/api/plant/characteristics?limit=500&sort=-code").json()["items"]
    assert [i["code"] for i in page["items"]] == [i["code"] for i in everything[7:14]]
    codes = [i["code"] for i in everything]
    assert codes == sorted(codes, reverse=True)
    hits = api.get("/api/plant/characteristics?q=leak RATE").json()
    assert hits["total"] >= 5 and all("leak" in i["name"].lower() for i in hits["items"])
    cc = api.get("/api/plant/characteristics?special_class=CC&limit=500").json()["items"]
    assert cc and {i["special_class"] for i in cc} == {"CC"}
    for bad in ("sort=colour", "limit=0", "limit=501", "offset=-1", "special_class=XX"):
        r = api.get(f"/api/plant/characteristics?{bad}")
        assert r.status_code == 422, bad
        assert r.json()["errors"][0]["field"] == bad.split("=")[0]


def test_gauge_due_date_is_derived(as_user: Any, site_ids: dict[str, int]) -> None:
    r = as_user("qe.a").post(
        "/api/plant/gauges",
        json={
            "site_id": site_ids["SUZ"],
            "code": unique("G"),
            "name": "Caliper",
            "gauge_type": "Caliper",
            "calibration_interval_days": 180,
            "last_calibrated_on": "2026-03-01",
        },
    )
    assert r.status_code == 201 and r.json()["calibration_due_on"] == "2026-08-28"


def test_hierarchy_rules(as_user: Any, site_ids: dict[str, int]) -> None:
    qm = as_user("qm")
    area = qm.post(
        "/api/plant/nodes",
        json={
            "level": "area",
            "parent_id": site_ids["SUZ"],
            "code": unique("AR"),
            "name": "Paint shop",
        },
    )
    assert area.status_code == 201 and area.json()["site_id"] == site_ids["SUZ"]
    r = qm.post(
        "/api/plant/nodes",
        json={"level": "station", "parent_id": area.json()["id"], "code": "S1", "name": "Booth"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "parent_id"
    line = qm.post(
        "/api/plant/nodes",
        json={"level": "line", "parent_id": area.json()["id"], "code": "L9", "name": "Paint line"},
    ).json()
    r = qm.post(f"/api/plant/nodes/{area.json()['id']}/retire", json={"reason": "closing"})
    assert r.status_code == 409 and r.json()["code"] == "has_active_children"
    assert (
        qm.post(f"/api/plant/nodes/{line['id']}/retire", json={"reason": "moved"}).status_code
        == 200
    )
    r = qm.post(f"/api/plant/nodes/{area.json()['id']}/retire", json={"reason": "closing"})
    assert r.status_code == 200
    tree = qm.get("/api/plant/tree").json()
    suz = next(s for s in tree[0]["children"] if s["id"] == site_ids["SUZ"])
    demo_areas = [a for a in suz["children"] if a["code"] in ("ASSY", "MACH")]
    assert len(demo_areas) == 2 and area.json()["code"] not in {a["code"] for a in suz["children"]}
    assert sum(len(line["children"]) for a in demo_areas for line in a["children"]) == 6


def test_bom_revisions_cycles_and_explosion(as_user: Any, site_ids: dict[str, int]) -> None:
    api = as_user("qe.a")
    items = api.get("/api/plant/items?q=P-PMP-400").json()["items"]
    revs = api.get(f"/api/plant/items/{items[0]['id']}/revisions").json()
    tree = api.get(f"/api/plant/revisions/{revs[0]['id']}/bom-tree").json()
    flat: dict[str, float] = {}

    def walk(node: dict[str, Any]) -> None:
        flat[node["item_code"]] = flat.get(node["item_code"], 0) + node["quantity"]
        for child in node["children"]:
            walk(child)

    walk(tree)
    # housing 1.8 kg + cap 0.4 kg of aluminium bar per pump
    assert abs(flat["M-AL6061"] - 2.2) < 1e-9
    assert flat["M-BOLT8"] == 6 and flat["M-ORING"] == 1
    housing = api.get("/api/plant/items?q=P-HSG-100").json()["items"][0]
    h_rev = api.get(f"/api/plant/items/{housing['id']}/revisions").json()[0]
    r = api.post(
        f"/api/plant/revisions/{h_rev['id']}/bom-lines",
        json={"component_item_id": items[0]["id"], "quantity": 1, "reason": "loop"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "cycle"
    r = api.post(
        f"/api/plant/items/{housing['id']}/revisions", json={"revision": "A", "reason": "dup"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "revision"


def _csv(rows: list[dict[str, Any]]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(str(r.get(h, "")) for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_import_all_or_nothing(as_user: Any, site_ids: dict[str, int], demo_app: Any) -> None:
    api = as_user("qe.a")
    good = [
        {
            "site": "SUZ",
            "code": unique("IM"),
            "name": f"Char {i}",
            "kind": "variable",
            "lsl": 1,
            "usl": 2,
        }
        for i in range(5)
    ]
    bad = [*good[:2], {**good[2], "lsl": 3}, {**good[3], "site": "STR"}, good[4]]
    before = counts(demo_app)
    r = api.post(
        "/api/plant/characteristics/import",
        files={"file": ("c.csv", io.BytesIO(_csv(bad)), "text/csv")},
    )
    assert r.status_code == 200 and r.json()["ok"] is False
    errors = r.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {(4, "usl"), (5, "row")}
    assert counts(demo_app) == before
    assert api.get(f"/api/plant/characteristics?q={good[0]['code']}").json()["total"] == 0
    r = api.post(
        "/api/plant/characteristics/import",
        files={"file": ("c.csv", io.BytesIO(_csv(good)), "text/csv")},
    )
    assert r.json() == {"ok": True, "created": 5, "updated": 0, "errors": []}
    for bad_file, field in ((b"\xff\xfe", "file"), (b"", "file")):
        r = api.post(
            "/api/plant/characteristics/import",
            files={"file": ("c.csv", io.BytesIO(bad_file), "text/csv")},
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    r = api.post(
        "/api/plant/characteristics/import",
        files={"file": ("c.pdf", io.BytesIO(b"x"), "application/pdf")},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "unsupported_type"


def test_export_then_reimport_updates(as_user: Any, site_ids: dict[str, int]) -> None:
    api = as_user("qe.b")
    r = api.get("/api/plant/customers/export.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = list(wb.active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:3] == ["id", "site_id", "code"]
    data = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert data and {d["site_id"] for d in data} == {site_ids["STR"]}
    out = openpyxl.Workbook()
    ws = out.active
    ws.append(["site_id", "code", "name", "country"])
    ws.append([data[0]["site_id"], data[0]["code"], "Renamed customer", "DE"])
    buf = io.BytesIO()
    out.save(buf)
    r = api.post(
        "/api/plant/customers/import",
        data={"reason": "annual review"},
        files={"file": ("c.xlsx", io.BytesIO(buf.getvalue()), "application/x")},
    )
    assert r.json() == {"ok": True, "created": 0, "updated": 1, "errors": []}
    assert api.get(f"/api/plant/customers/{data[0]['id']}").json()["name"] == "Renamed customer"


def test_export_honours_the_list_filters(as_user: Any) -> None:
    api = as_user("qe.a")
    r = api.get("/api/plant/characteristics/export.xlsx?q=leak&special_class=CC")
    assert r.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    listed = api.get("/api/plant/characteristics?q=leak&special_class=CC&limit=500").json()
    assert len(data) == listed["total"] > 0
    names = [dict(zip(header, row, strict=True))["name"] for row in data]
    assert all("leak" in n.lower() for n in names)
    r = api.get("/api/plant/characteristics/export.xlsx?colour=red")
    assert r.status_code == 422
