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
    r = insp.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": [row]})
    assert r.status_code == 200 and stale["code"] in r.json()["warnings"][0]
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
