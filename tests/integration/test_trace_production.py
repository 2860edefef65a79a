"""Native production events, traces, recalls and holds through the API, on both backends.

A small plant of its own (in the demo database, under fresh lot numbers): two supplier lots of
one material and one of another go into a component batch; the component and a third material
make a serialised finished lot; units are packed in cases on a pallet and shipped to a customer;
one case is unpacked before shipping.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

T0 = "2026-03-02T08:00:00+01:00"


def at(hour: int) -> str:
    return f"2026-03-02T{8 + hour:02d}:00:00+01:00"


@pytest.fixture(scope="module")
def plant(as_user: Any) -> dict[str, Any]:
    api = as_user("qe.a")
    tag = uuid.uuid4().hex[:6].upper()

    def post(action: str, body: dict[str, Any]) -> list[str]:
        r = api.post(f"/api/trace/events/{action}", json={"site": "SUZ", **body})
        assert r.status_code == 201, r.text
        return r.json()["event_ids"]

    al1, al2, oring = f"AL-{tag}-1", f"AL-{tag}-2", f"OR-{tag}"
    post(
        "receive",
        {
            "supplier": "S-1001",
            "item": "M-AL6061",
            "supplier_lot": f"SL-{tag}-A",
            "lot": al1,
            "quantity": 300,
            "time": T0,
            "po": f"PO-{tag}",
        },
    )
    post(
        "receive",
        {
            "supplier": "S-1001",
            "item": "M-AL6061",
            "supplier_lot": f"SL-{tag}-B",
            "lot": al2,
            "quantity": 300,
            "time": T0,
        },
    )
    post(
        "receive",
        {
            "supplier": "S-1003",
            "item": "M-ORING",
            "supplier_lot": f"SL-{tag}-C",
            "lot": oring,
            "quantity": 1000,
            "time": T0,
        },
    )
    wo1, cap = f"WO-{tag}-1", f"CAP-{tag}"
    post("issue", {"work_order": wo1, "station": "L1", "time": at(1), "inputs": [
        {"item": "M-AL6061", "lot": al1, "quantity": 20},
        {"item": "M-AL6061", "lot": al2, "quantity": 12},
        {"item": "M-ORING", "lot": oring, "quantity": 80},
    ]})  # fmt: skip
    post(
        "output",
        {
            "work_order": wo1,
            "station": "L1",
            "item": "P-CAP-300",
            "lot": cap,
            "quantity": 80,
            "time": at(2),
        },
    )
    wo2, pmp = f"WO-{tag}-2", f"PMP-{tag}"
    serials = [f"{tag}{i:04d}" for i in range(24)]
    post("issue", {"work_order": wo2, "station": "L2", "time": at(3), "inputs": [
        {"item": "P-CAP-300", "lot": cap, "quantity": 24}]})  # fmt: skip
    post(
        "output",
        {
            "work_order": wo2,
            "station": "L2",
            "item": "P-PMP-400",
            "lot": pmp,
            "quantity": 24,
            "serials": serials,
            "time": at(4),
        },
    )
    cases = [f"CS-{tag}-{c}" for c in range(2)]
    for c, case in enumerate(cases):
        kids = [{"item": "P-PMP-400", "serial": s} for s in serials[c * 12 : (c + 1) * 12]]
        post("pack", {"container": case, "children": kids, "time": at(5)})
    pallet = f"PL-{tag}"
    post(
        "pack", {"container": pallet, "children": [{"container": c} for c in cases], "time": at(6)}
    )
    # the first unit leaves case 0 before the pallet ships
    post(
        "pack",
        {
            "container": cases[0],
            "unpack": True,
            "time": at(7),
            "children": [{"item": "P-PMP-400", "serial": serials[0]}],
        },
    )
    post(
        "ship",
        {
            "objects": [{"container": pallet}],
            "customer": "C-01",
            "time": at(8),
            "despatch_advice": f"DA-{tag}",
        },
    )
    return {"tag": tag, "al1": al1, "al2": al2, "oring": oring, "cap": cap, "pmp": pmp,
            "serials": serials, "cases": cases, "pallet": pallet}  # fmt: skip


def ids_of(body: dict[str, Any], kind: str | None = None) -> set[str]:
    return {i["label"] for i in body["items"] if kind is None or i["kind"] == kind}


def test_backward_trace_of_a_serial_finds_every_supplier_lot(
    as_user: Any, plant: dict[str, Any]
) -> None:
    r = as_user("qe.a").get("/api/trace/genealogy/backward", params={"id": plant["serials"][5]})
    assert r.status_code == 200, r.text
    body = r.json()
    lots = ids_of(body, "lot")
    tag = plant["tag"]
    # both aluminium lots of the one material, the o-ring lot, their supplier lots, the component
    assert {plant["al1"], plant["al2"], plant["oring"], plant["cap"]} <= lots
    assert plant["pmp"] not in lots  # the serial's own lot is its sibling output, not an input
    assert {f"SL-{tag}-A", f"SL-{tag}-B", f"SL-{tag}-C"} <= lots
    assert ids_of(body, "unit") == set()  # no sibling units: precision
    by_label = {i["label"]: i for i in body["items"]}
    assert by_label[plant["al2"]]["quantity"] == 12
    assert by_label[plant["cap"]]["name"] == "End cap"
    assert by_label[f"SL-{tag}-A"]["depth"] > by_label[plant["al1"]]["depth"]
    assert all(i["path"] and all(p.startswith("ni:///sha-256;") for p in i["path"])
               for i in body["items"])  # fmt: skip


def test_forward_trace_of_a_supplier_lot_reaches_units_and_customer(
    as_user: Any, plant: dict[str, Any]
) -> None:
    tag = plant["tag"]
    r = as_user("qe.a").get("/api/trace/search", params={"q": f"SL-{tag}-B"})
    assert r.status_code == 200 and len(r.json()) == 1
    key = r.json()[0]["id"]
    body = as_user("qe.a").get("/api/trace/genealogy/forward", params={"id": key}).json()
    assert set(plant["serials"]) <= ids_of(body, "unit")
    assert ids_of(body, "customer") == {"C-01"}
    assert set(plant["cases"]) | {plant["pallet"]} <= ids_of(body, "container")
    assert plant["al1"] not in ids_of(body, "lot")  # a sibling input is not downstream


def test_unpacked_unit_did_not_reach_the_customer(as_user: Any, plant: dict[str, Any]) -> None:
    api = as_user("qe.a")
    first = api.get("/api/trace/genealogy/forward", params={"id": plant["serials"][0]}).json()
    assert ids_of(first, "customer") == set()
    # it was on the pallet for an hour (case packed at 6, unit removed at 7), not when it shipped
    assert plant["pallet"] in ids_of(first, "container")
    other = api.get("/api/trace/genealogy/forward", params={"id": plant["serials"][1]}).json()
    assert ids_of(other, "customer") == {"C-01"}


def test_time_bounded_trace_is_a_subset(as_user: Any, plant: dict[str, Any]) -> None:
    api = as_user("qe.a")
    full = api.get("/api/trace/genealogy/forward", params={"id": plant["cap"]}).json()
    cut = api.get(
        "/api/trace/genealogy/forward", params={"id": plant["cap"], "until": at(5)}
    ).json()
    assert ids_of(cut) < ids_of(full)
    assert "C-01" not in ids_of(cut)


def test_cli_contract_shape(as_user: Any, plant: dict[str, Any], demo_url: str) -> None:
    from typer.testing import CliRunner

    from qualitas.cli import app

    res = CliRunner().invoke(
        app, ["trace", "backward", plant["serials"][3], "--json", "--database-url", demo_url]
    )
    assert res.exit_code == 0, res.output
    import json

    doc = json.loads(res.stdout)
    assert doc["root"].startswith("https://id.gs1.org/01/04012345000016/21/")
    kinds = {i["kind"] for i in doc["items"]}
    assert kinds <= {"lot", "unit", "container", "location", "customer"}
    assert set(doc["items"][0]) == {"id", "kind", "product", "quantity", "uom", "depth", "path"}
    missing = CliRunner().invoke(
        app, ["trace", "forward", "NO-SUCH-LOT", "--database-url", demo_url]
    )
    assert missing.exit_code == 2


def test_recall_from_a_supplier_lot_places_holds(as_user: Any, plant: dict[str, Any]) -> None:
    api = as_user("qe.a")
    tag = plant["tag"]
    r = api.post("/api/trace/recalls", json={
        "title": f"Porosity in aluminium {tag}", "drill": False,
        "suspect": {"kind": "supplier_lot", "supplier": "S-1001", "supplier_lot": f"SL-{tag}-A"},
    })  # fmt: skip
    assert r.status_code == 201, r.text
    rec = r.json()
    assert rec["status"] == "scoped" and rec["answer_ms"] is not None
    assert rec["counts"]["unit"] == 24 and rec["counts"]["customer"] == 1
    assert rec["items"]["customer"][0]["name"] == "SAIC Powertrain"
    assert "Oil pump assembly" in {q["name"] for q in rec["quantities"]}
    balance = {m["label"]: m for m in rec["mass_balance"]}
    sl = balance[f"SL-{tag}-A"]
    assert (sl["received"], sl["transferred"], sl["on_hand"]) == (300, 300, 0)
    al = balance[plant["al1"]]
    assert (al["received"], al["consumed"], al["on_hand"], al["difference"]) == (300, 20, 280, 0)
    h = api.post(f"/api/trace/recalls/{rec['id']}/holds",
                 json={"disposition": "recalled", "reason": "Supplier porosity alert"})  # fmt: skip
    assert h.status_code == 200, h.text
    assert h.json()["status"] == "held" and h.json()["holds"] >= 24 + 2 + 1
    now = api.get(f"/api/trace/recalls/{rec['id']}").json()
    assert {u["hold"] for u in now["items"]["unit"]} == {"recalled"}
    node = api.get("/api/trace/search", params={"q": plant["serials"][7]}).json()[0]
    assert node["hold"] == "recalled"
    again = api.post(f"/api/trace/recalls/{rec['id']}/holds",
                     json={"disposition": "recalled", "reason": "twice"})  # fmt: skip
    assert again.status_code == 409
    ev = api.get("/epcis/events", params={"EQ_bizStep": "holding",
                                           "MATCH_epc": node["id"]})  # fmt: skip
    assert ev.status_code == 200
    events = ev.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert events and events[0]["persistentDisposition"]["set"] == ["recalled"]


def test_a_drill_places_no_holds(as_user: Any, plant: dict[str, Any]) -> None:
    api = as_user("qe.a")
    r = api.post("/api/trace/recalls", json={
        "title": "Mock recall", "drill": True, "suspect": {"kind": "lots", "ids": [plant["cap"]]}})
    assert r.status_code == 201 and r.json()["code"].startswith("DRILL-")
    h = api.post(f"/api/trace/recalls/{r.json()['id']}/holds", json={"reason": "drill"})
    assert h.status_code == 409


def test_release_a_hold_needs_a_reason(as_user: Any, plant: dict[str, Any]) -> None:
    api = as_user("qe.a")
    r = api.post("/api/trace/holds", json={"id": plant["oring"], "disposition": "non_conformant",
                                          "reason": "Hardness out of spec"})  # fmt: skip
    assert r.status_code == 201, r.text
    hold = r.json()[0]
    bad = api.post(f"/api/trace/holds/{hold['id']}/release", json={"reason": ""})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"].endswith("reason")
    ok = api.post(f"/api/trace/holds/{hold['id']}/release", json={"reason": "Re-tested, conforms"})
    assert ok.status_code == 200 and ok.json()["released_by"] == "qe.a"


def test_bad_production_input_names_the_field(as_user: Any) -> None:
    api = as_user("qe.a")
    r = api.post(
        "/api/trace/events/issue",
        json={
            "site": "SUZ",
            "work_order": "WO-X",
            "inputs": [{"item": "NOPE", "lot": "L", "quantity": 1}],
        },
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "inputs.0.item"
    r = api.post("/api/trace/events/ship", json={"site": "SUZ", "objects": [{"container": "X"}]})
    assert r.status_code == 422
    r = api.post("/api/trace/events/receive", json={
        "site": "SUZ", "supplier": "S-1001", "item": "M-AL6061", "supplier_lot": "x", "lot": "y",
        "quantity": -1})  # fmt: skip
    assert r.status_code == 422 and "quantity" in r.json()["errors"][0]["field"]


def test_operator_cannot_hold_and_auditor_cannot_record(
    as_user: Any, plant: dict[str, Any]
) -> None:
    r = as_user("op.a").post("/api/trace/holds", json={"id": plant["pmp"], "reason": "try it"})
    assert r.status_code == 403
    r = as_user("audit").post(
        "/api/trace/events/rework",
        json={
            "site": "SUZ",
            "work_order": "W",
            "item": "P-CAP-300",
            "lot": plant["cap"],
            "quantity": 1,
        },
    )
    assert r.status_code == 403


def test_live_simulator_records_traceable_production(demo_app: Any, as_user: Any) -> None:
    from qualitas.demo.trace_sim import TraceSimulator

    sim = TraceSimulator(seed=3)
    for _ in range(2):
        with demo_app.state.db.unit_of_work() as session:
            sim.step(session)
    api = as_user("qe.a")
    serial = f"LIVE{sim.stamp}00103"  # cycle 1, unit 3
    back = api.get("/api/trace/genealogy/backward", params={"id": serial})
    assert back.status_code == 200, back.text
    products = {i["product"] for i in back.json()["items"]}
    assert {"M-BOLT8", "M-SEAL", "M-STL42"} <= products
    fwd = api.get("/api/trace/genealogy/forward", params={"id": serial}).json()
    assert {i["kind"] for i in fwd["items"]} == {"container", "customer"}
