"""Control plan, ISO 2859-1 lots, result entry, gauge checks and lot decisions (both backends)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from qualitas.config import get_settings
from qualitas.events import OutboxEvent
from qualitas.measure.models import Measurement
from tests.conftest import unique


@pytest.fixture
def product(as_user: Any, site_ids: dict[str, int]) -> dict[str, Any]:
    """A product with two characteristics (variable, attribute) and control-plan lines."""
    qe, site = as_user("qe.a"), site_ids["SUZ"]
    item = qe.post(
        "/api/plant/items",
        json={"site_id": site, "kind": "product", "code": unique("P"), "name": "Valve body"},
    ).json()
    bore = qe.post(
        "/api/plant/characteristics",
        json={
            "site_id": site,
            "item_id": item["id"],
            "code": unique("B"),
            "name": "Bore",
            "kind": "variable",
            "unit": "mm",
            "nominal": 20.0,
            "lsl": 19.98,
            "usl": 20.02,
        },
    ).json()
    burr = qe.post(
        "/api/plant/characteristics",
        json={
            "site_id": site,
            "item_id": item["id"],
            "code": unique("V"),
            "name": "Burrs",
            "kind": "attribute",
        },
    ).json()
    gauges = qe.get(f"/api/plant/gauges?site_id={site}&limit=50").json()["items"]
    good = next(
        g for g in gauges if g["status"] == "in_service" and g["calibration_due_on"] > "2026-12-31"
    )
    lines = []
    for char, extra in ((bore, {"gauge_id": good["id"]}), (burr, {"aql": 1.0})):
        r = qe.post(
            "/api/inspection/control-plan-lines",
            json={
                "site_id": site,
                "code": unique("CP"),
                "name": f"Check {char['name']}",
                "item_id": item["id"],
                "characteristic_id": char["id"],
                "sample_size": 5,
                "frequency": "every lot",
                "reaction_plan": "Hold the lot and call the QE",
                **extra,
            },
        )
        assert r.status_code == 201, r.text
        lines.append(r.json())
    return {
        "item": item,
        "bore": bore,
        "burr": burr,
        "lines": lines,
        "gauges": gauges,
        "supplier": qe.get(f"/api/plant/suppliers?site_id={site}").json()["items"][0],
    }


def test_sampling_plan_calculator(as_user: Any) -> None:
    api = as_user("insp.a")
    plan = api.get("/api/inspection/sampling-plan?lot_size=1000&aql=1.0").json()
    assert (plan["code_letter"], plan["sample_size"], plan["accept"], plan["reject"]) == (
        "J",
        80,
        2,
        3,
    )
    r = api.get("/api/inspection/sampling-plan?lot_size=1000&aql=0.7")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "aql"


def test_control_plan_rules(
    as_user: Any, product: dict[str, Any], site_ids: dict[str, int]
) -> None:
    qe = as_user("qe.a")
    body = {
        "site_id": site_ids["SUZ"],
        "code": unique("CP"),
        "name": "x",
        "item_id": product["item"]["id"],
        "characteristic_id": product["bore"]["id"],
        "frequency": "hourly",
        "reaction_plan": "stop",
    }
    r = qe.post("/api/inspection/control-plan-lines", json=body | {"aql": 0.7})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "aql"
    other = qe.get("/api/plant/items?q=P-PMP-400").json()["items"][0]
    r = qe.post("/api/inspection/control-plan-lines", json=body | {"item_id": other["id"]})
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "other_item"
    listed = qe.get(f"/api/inspection/control-plan-lines?item_id={product['item']['id']}").json()
    assert listed["total"] == 2


def _lot(api: Any, product: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {
        "kind": "final",
        "item_id": product["item"]["id"],
        "lot_number": unique("LOT"),
        "quantity": 1000,
    } | extra
    r = api.post("/api/inspection/lots", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_lot_plan_entry_and_decision(as_user: Any, product: dict[str, Any], demo_app: Any) -> None:
    insp = as_user("insp.a")
    lot = _lot(insp, product)
    assert lot["sampling"]["sample_size"] == 80 and lot["sampling"]["accept"] == 2
    assert {p["characteristic_id"] for p in lot["plan"]} == {
        product["bore"]["id"],
        product["burr"]["id"],
    }
    bore, burr = product["bore"]["id"], product["burr"]["id"]
    values = [20.0, 20.01, 19.99, 20.03, 20.0]  # the 4th is out of spec
    rows = [
        {"characteristic_id": bore, "sample_index": i + 1, "value": v} for i, v in enumerate(values)
    ]
    rows += [{"characteristic_id": burr, "sample_index": i + 1, "passed": i != 2} for i in range(5)]
    r = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": rows})
    assert r.status_code == 200, r.text
    out = r.json()
    failed = [
        (x["characteristic_id"], x["sample_index"]) for x in out["results"] if not x["passed"]
    ]
    assert sorted(failed) == sorted([(bore, 4), (burr, 3)])
    assert out["summary"]["nonconforming_units"] == 2 and out["lot"]["status"] == "in_progress"
    bad = [
        {"characteristic_id": bore, "sample_index": 81, "value": 20.0},
        {"characteristic_id": 999999, "sample_index": 1, "value": 1.0},
        {"characteristic_id": bore, "sample_index": 2},
    ]
    r = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": bad})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [
        "results.0.sample_index",
        "results.1.characteristic_id",
        "results.2.value",
    ]
    fix = [{"characteristic_id": bore, "sample_index": 4, "value": 20.015}]
    out = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": fix}).json()
    assert out["summary"]["nonconforming_units"] == 1
    corrected = next(
        x for x in out["results"] if x["characteristic_id"] == bore and x["sample_index"] == 4
    )
    assert corrected["version"] == 2 and corrected["passed"] is True
    with demo_app.state.db.session(write=False) as s:
        n = s.scalar(
            select(func.count())
            .select_from(Measurement)
            .where(Measurement.subgroup == f"lot-{lot['id']}")
        )
    assert n == 5
    version = out["lot"]["version"]
    r = insp.post(
        f"/api/inspection/lots/{lot['id']}/decision",
        json={"decision": "reject", "version": version},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = insp.post(
        f"/api/inspection/lots/{lot['id']}/decision",
        json={"decision": "reject", "version": version, "reason": "burrs on port"},
    )
    assert r.status_code == 200 and r.json()["decision"] == "reject"
    with demo_app.state.db.session(write=False) as s:
        topics = set(s.scalars(select(OutboxEvent.topic).where(OutboxEvent.key == str(lot["id"]))))
    assert {"inspection.lot.rejected", "inspection.lot.decided"} <= topics
    r = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": fix})
    assert r.status_code == 409
    assert (
        as_user("op.a")
        .post(
            f"/api/inspection/lots/{lot['id']}/decision", json={"decision": "accept", "version": 1}
        )
        .status_code
        == 403
    )


def test_gauge_out_of_calibration_warns_or_blocks(
    as_user: Any, product: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    insp = as_user("insp.a")
    lot = _lot(insp, product)
    stale = next(g for g in product["gauges"] if g["status"] == "out_of_calibration")
    row = {
        "characteristic_id": product["bore"]["id"],
        "sample_index": 1,
        "value": 20.0,
        "gauge_id": stale["id"],
    }
    fine = {"characteristic_id": product["bore"]["id"], "sample_index": 3, "value": 20.0}
    body = {"results": [fine, row]}
    r = insp.put(f"/api/inspection/lots/{lot['id']}/results", json=body)
    assert r.status_code == 200, r.text
    (warning,) = r.json()["warnings"]  # the saved result with the stale gauge, and only it
    assert warning["row"] == 1 and warning["field"] == "results.1.gauge_id"
    assert warning["gauge_id"] == stale["id"] and stale["code"] in warning["message"]
    assert (warning["characteristic_id"], warning["sample_index"]) == (product["bore"]["id"], 1)
    assert warning["code"] == "gauge_not_in_service"  # its status is out_of_calibration
    monkeypatch.setenv("QUALITAS_INSPECTION__GAUGE_POLICY", "block")
    get_settings.cache_clear()
    try:
        r = insp.put(
            f"/api/inspection/lots/{lot['id']}/results",
            json={"results": [row | {"sample_index": 2}]},
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "results.0.gauge_id"
    finally:
        monkeypatch.delenv("QUALITAS_INSPECTION__GAUGE_POLICY")
        get_settings.cache_clear()


def test_incoming_lots_switch_to_tightened(as_user: Any, product: dict[str, Any]) -> None:
    insp = as_user("insp.a")
    supplier = product["supplier"]["id"]
    r = insp.post(
        "/api/inspection/lots",
        json={
            "kind": "incoming",
            "item_id": product["item"]["id"],
            "lot_number": "X",
            "quantity": 10,
        },
    )
    error = r.json()["errors"][0]
    assert r.status_code == 422 and (error["field"], error["code"]) == ("supplier_id", "missing")
    for _ in range(2):
        lot = _lot(insp, product, kind="incoming", supplier_id=supplier, supplier_lot="S-1")
        assert lot["severity"] == "normal"
        rows = [
            {"characteristic_id": product["burr"]["id"], "sample_index": i + 1, "passed": i > 3}
            for i in range(5)
        ]
        out = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": rows}).json()
        assert out["lot"]["recommendation"] == "reject"
        insp.post(
            f"/api/inspection/lots/{lot['id']}/decision",
            json={"decision": "reject", "reason": "burrs", "version": out["lot"]["version"]},
        )
    tightened = _lot(insp, product, kind="incoming", supplier_id=supplier)
    assert tightened["severity"] == "tightened"
    assert tightened["sampling"]["severity"] == "tightened"


def test_unknown_gauge_is_rejected_and_unchanged_saves_keep_the_version(
    as_user: Any, product: dict[str, Any]
) -> None:
    insp = as_user("insp.a")
    lot = _lot(insp, product)
    row = {"characteristic_id": product["bore"]["id"], "sample_index": 1, "value": 20.0}
    r = insp.put(
        f"/api/inspection/lots/{lot['id']}/results", json={"results": [row | {"gauge_id": 999999}]}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "results.0.gauge_id"
    first = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": [row]})
    again = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": [row]})
    assert first.json()["lot"]["version"] == again.json()["lot"]["version"]


def test_lot_list_search_filter_and_sort(
    as_user: Any, product: dict[str, Any], site_ids: dict[str, int]
) -> None:
    insp = as_user("insp.a")
    tag = unique("Q")
    a = _lot(insp, product, lot_number=f"{tag}-A", quantity=300, work_order=f"WO-{tag}")
    b = _lot(insp, product, lot_number=f"{tag}-B", quantity=100)
    c = _lot(
        insp,
        product,
        lot_number=f"{tag}-C",
        quantity=200,
        kind="incoming",
        supplier_id=product["supplier"]["id"],
        supplier_lot=f"SL-{tag}",
    )
    item = product["item"]
    assert (a["item_code"], a["item_name"]) == (item["code"], "Valve body")

    def ids(query: str) -> list[int]:
        r = insp.get(f"/api/inspection/lots?{query}")
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()["items"]]

    # q: lot number, work order, supplier lot and item code, case-insensitive
    assert ids(f"q={tag.lower()}") == [c["id"], b["id"], a["id"]]  # newest first by default
    assert ids(f"q=wo-{tag.lower()}") == [a["id"]]
    assert ids(f"q=sl-{tag}") == [c["id"]]
    assert set(ids(f"q={item['code'].lower()}&limit=500")) == {a["id"], b["id"], c["id"]}
    # sort, both ways, with the other filters
    assert ids(f"q={tag}&sort=quantity") == [b["id"], c["id"], a["id"]]
    assert ids(f"q={tag}&sort=-quantity") == [a["id"], c["id"], b["id"]]
    assert ids(f"q={tag}&sort=lot_number") == [a["id"], b["id"], c["id"]]
    assert ids(f"q={tag}&sort=-lot_number&kind=final") == [b["id"], a["id"]]
    assert ids(f"q={tag}&sort=created_at") == [a["id"], b["id"], c["id"]]
    assert ids(f"q={tag}&sort=status&limit=1&offset=2") == [c["id"]]
    page = insp.get(f"/api/inspection/lots?q={tag}&limit=2").json()
    assert page["total"] == 3 and len(page["items"]) == 2
    listed = page["items"][0]
    assert (listed["item_code"], listed["item_name"]) == (item["code"], "Valve body")
    for bad in ("id", "-item_code", "created_at;drop", "--quantity"):
        r = insp.get(f"/api/inspection/lots?sort={bad}")
        assert r.status_code == 422, bad
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["field"] == "sort"
    r = insp.get("/api/inspection/lots?q=" + "x" * 201)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "q"
    # site filter, within the caller's site scope
    assert len(ids(f"q={tag}&site_id={site_ids['SUZ']}")) == 3
    assert ids(f"q={tag}&site_id={site_ids['STR']}") == []
    stuttgart = as_user("qe.b")
    assert stuttgart.get(f"/api/inspection/lots?q={tag}").json()["total"] == 0
    r = stuttgart.get(f"/api/inspection/lots?site_id={site_ids['SUZ']}")
    assert r.status_code == 200 and r.json()["total"] == 0


def test_lot_and_results_have_typed_shapes(
    as_user: Any, product: dict[str, Any], demo_app: Any
) -> None:
    insp = as_user("insp.a")
    lot = _lot(insp, product)
    assert lot["sampling"] == {
        "aql": 1.0,
        "level": "II",
        "severity": "normal",
        "code_letter": "J",
        "plan_letter": "J",
        "sample_size": 80,
        "accept": 2,
        "reject": 3,
        "hundred_percent": False,
        "nonconforming": None,
    }
    bore = next(p for p in lot["plan"] if p["characteristic_id"] == product["bore"]["id"])
    assert bore["kind"] == "variable" and (bore["lsl"], bore["usl"]) == (19.98, 20.02)
    assert set(bore) == {
        "line_id", "characteristic_id", "code", "name", "kind", "unit", "lsl", "usl", "nominal",
        "special_class", "sample_size", "gauge_id", "gauge_type", "method", "frequency",
        "reaction_plan",
    }  # fmt: skip
    row = {"characteristic_id": product["burr"]["id"], "sample_index": 1, "passed": False}
    out = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": [row]}).json()
    assert out["summary"]["characteristics"] == {
        str(product["burr"]["id"]): {"checked": 1, "failed": 1, "defects": 0}
    }
    assert out["lot"]["sampling"]["nonconforming"] == 1
    assert out["lot"]["item_code"] == product["item"]["code"]
    spec = demo_app.openapi()
    schemas = spec["components"]["schemas"]
    assert schemas["LotRead"]["properties"]["sampling"] == {
        "$ref": "#/components/schemas/LotSampling"
    }
    assert schemas["ResultsOut"]["properties"]["summary"] == {
        "$ref": "#/components/schemas/LotSummary"
    }
    plan = spec["paths"]["/api/inspection/sampling-plan"]["get"]
    ok = plan["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/SamplingPlanRead"}


def test_clearing_a_saved_result(as_user: Any, product: dict[str, Any], demo_app: Any) -> None:
    insp = as_user("insp.a")
    lot = _lot(insp, product)
    url = f"/api/inspection/lots/{lot['id']}/results"
    bore, burr = product["bore"]["id"], product["burr"]["id"]
    rows = [{"characteristic_id": bore, "sample_index": i, "value": 20.0} for i in (1, 2)]
    rows.append({"characteristic_id": bore, "sample_index": 3, "value": 20.05})  # out of spec
    rows.append({"characteristic_id": burr, "sample_index": 1, "passed": True})
    out = insp.put(url, json={"results": rows}).json()
    assert out["summary"]["nonconforming_units"] == 1 and out["summary"]["results"] == 4
    saved = {(x["characteristic_id"], x["sample_index"]): x for x in out["results"]}
    bad = saved[(bore, 3)]

    # a clear carries nothing else; a conflicting one is refused, nothing is written
    r = insp.put(
        url, json={"results": [{"characteristic_id": bore, "sample_index": 3, "value": 1.0} | {
            "clear": True}]}
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "results.0.clear"
    clear = [
        {"characteristic_id": bore, "sample_index": 3, "clear": True},
        {"characteristic_id": burr, "sample_index": 1, "clear": True},
        {"characteristic_id": burr, "sample_index": 5, "clear": True},  # nothing saved: no-op
    ]
    out = insp.put(url, json={"results": clear}).json()
    assert {(x["characteristic_id"], x["sample_index"]) for x in out["results"]} == {
        (bore, 1),
        (bore, 2),
    }
    assert out["summary"]["nonconforming_units"] == 0 and out["summary"]["results"] == 2
    assert str(burr) not in out["summary"]["characteristics"]
    assert out["lot"]["status"] == "in_progress"
    again = insp.put(url, json={"results": clear[:1]}).json()  # already cleared: nothing new
    assert again["lot"]["version"] == out["lot"]["version"]
    hist = insp.get(f"/api/audit/entity/inspection_result/{bad['id']}").json()
    assert [(h["action"], h["reason"]) for h in hist] == [("update", "cleared"), ("create", None)]
    changes = {c["field"]: (c["old"], c["new"]) for c in hist[0]["changes"]}
    assert changes["cleared"] == (False, True) and hist[0]["actor_name"] == "insp.a"
    # the reading already sent to SPC stays (measurements are append-only)
    with demo_app.state.db.session(write=False) as s:
        n = s.scalar(
            select(func.count())
            .select_from(Measurement)
            .where(Measurement.subgroup == f"lot-{lot['id']}")
        )
    assert n == 3
    # entering a value again is a correction of the same record
    out = insp.put(url, json={"results": [rows[2] | {"value": 20.01}]}).json()
    back = next(
        x for x in out["results"] if (x["characteristic_id"], x["sample_index"]) == (bore, 3)
    )
    assert back["id"] == bad["id"] and back["version"] == 3 and back["passed"] is True
    # a decided lot's results are closed, clears included
    version = out["lot"]["version"]
    r = insp.post(
        f"/api/inspection/lots/{lot['id']}/decision",
        json={"decision": "conditional", "reason": "partial check", "version": version},
    )
    assert r.status_code == 200, r.text
    r = insp.put(url, json={"results": clear[:1]})
    assert r.status_code == 409 and r.json()["code"] == "decided"


def test_control_plan_lines_sort_by_their_columns(
    as_user: Any, product: dict[str, Any], site_ids: dict[str, int]
) -> None:
    qe = as_user("qe.a")
    tag = unique("SORT")
    made = []
    for char, size, freq, gauge, level in (
        (product["burr"], 8, "every lot", "caliper", "I"),
        (product["bore"], 2, "hourly", "air gauge", "III"),
        (product["bore"], 5, "per shift", None, "II"),
    ):
        r = qe.post(
            "/api/inspection/control-plan-lines",
            json={
                "site_id": site_ids["SUZ"],
                "code": unique("CP"),
                "name": f"{tag} {size}",
                "item_id": product["item"]["id"],
                "characteristic_id": char["id"],
                "sample_size": size,
                "frequency": freq,
                "gauge_type": gauge,
                "inspection_level": level,
                "reaction_plan": "Hold the lot",
            },
        )
        assert r.status_code == 201, r.text
        made.append(r.json()["id"])
    a, b, c = made

    def ids(sort: str) -> list[int]:
        r = qe.get(f"/api/inspection/control-plan-lines?q={tag}&sort={sort}")
        assert r.status_code == 200, r.text
        return [row["id"] for row in r.json()["items"]]

    assert ids("sample_size") == [b, c, a]
    assert ids("-sample_size") == [a, c, b]
    assert ids("frequency") == [a, b, c]
    assert ids("-inspection_level") == [b, c, a]
    bore_first = product["bore"]["id"] < product["burr"]["id"]
    assert ids("characteristic_id") == ([b, c, a] if bore_first else [a, b, c])
    assert ids("gauge_type")[1:] in ([b, a], [a, c])  # NULL first or last, per database
    r = qe.get("/api/inspection/control-plan-lines?sort=reaction_plan")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "sort"
