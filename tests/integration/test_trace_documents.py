"""Traceability documents through the API, on both backends: device history record (JSON, PDF),
the public page reached by QR code, the FSMA 204 spreadsheet and the recall reports.

A small plant of its own, under fresh codes: two supplier lots are received, issued to a work
order at line L1 that makes a serialised lot of a product with a GTIN; the units are packed in a
case and shipped to a customer. One unit is measured out of spec with a gauge whose calibration
had expired when it was used; the final inspection lot is rejected.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from openpyxl import load_workbook

from qualitas.app import create_app
from qualitas.config import get_settings
from qualitas.plant.schemas import gs1_check_digit
from qualitas.trace import dhr, dhr_quality, fsma, reports
from qualitas.trace import document_labels as labels
from qualitas.trace.documents_api import router as documents_router
from tests.conftest import client_for, login

T = "2026-03-02T{:02d}:00:00+01:00"
WINDOW = {"since": "2026-03-01T00:00:00Z", "until": "2026-03-03T00:00:00Z"}


@pytest.fixture(scope="module")
def app(demo_url: str) -> Any:
    """An app of its own on the demo database, with the documents router (mounted here too
    until ``create_app`` does, ahead of the web app's catch-all route)."""
    app = create_app(demo_url, dispatch=False)
    routes = app.router.routes
    if not any(getattr(r, "path", None) == "/api/trace/dhr" for r in routes):
        app.include_router(documents_router)
        for spa in [r for r in routes if getattr(r, "path", None) == "/{path:path}"]:
            routes.remove(spa)
            routes.append(spa)
    yield app
    app.state.db.dispose()


@pytest.fixture(scope="module")
def as_user(app: Any) -> Any:
    cache: dict[str, Any] = {}

    def get(username: str) -> Any:
        if username not in cache:
            cache[username] = login(app, username)
        return cache[username]

    return get


def _post(api: Any, url: str, body: dict[str, Any], status: int = 201) -> Any:
    r = api.post(url, json=body)
    assert r.status_code == status, r.text
    return r.json()


def _master(api: Any, site: int, tag: str) -> dict[str, Any]:
    body = f"40{int(tag, 16) % 10**10:010d}"
    gtin = "0" + body + str(gs1_check_digit(body))
    item = _post(api, "/api/plant/items", {"site_id": site, "kind": "product", "code": f"P-{tag}",
                                          "name": "Dosing valve", "gtin": gtin})  # fmt: skip
    char = _post(api, "/api/plant/characteristics", {
        "site_id": site, "item_id": item["id"], "code": f"B-{tag}", "name": "Bore",
        "kind": "variable", "unit": "mm", "nominal": 10.0, "lsl": 9.9, "usl": 10.1})  # fmt: skip
    gauge = {"site_id": site, "gauge_type": "Bore gauge", "unit": "mm"}
    old = _post(api, "/api/plant/gauges", {**gauge, "code": f"G-OLD-{tag}", "name": "Bore gauge",
                "calibration_interval_days": 30, "last_calibrated_on": "2025-06-01"})  # fmt: skip
    good = _post(api, "/api/plant/gauges", {**gauge, "code": f"G-OK-{tag}", "name": "Bore gauge",
                 "calibration_interval_days": 365, "last_calibrated_on": "2026-01-05"})  # fmt: skip
    _post(api, "/api/inspection/control-plan-lines", {
        "site_id": site, "code": f"CP-{tag}", "name": "Check bore", "item_id": item["id"],
        "characteristic_id": char["id"], "sample_size": 1, "frequency": "every lot",
        "reaction_plan": "Hold the lot", "gauge_id": good["id"]})  # fmt: skip
    return {"item": item, "gtin": gtin, "char": char, "old": old, "good": good}


def _events(api: Any, tag: str, code: str, serials: list[str]) -> None:
    def ev(action: str, body: dict[str, Any]) -> None:
        _post(api, f"/api/trace/events/{action}", {"site": "SUZ", **body})

    ev("receive", {"supplier": "S-1001", "item": "M-AL6061", "supplier_lot": f"SL-{tag}",
                   "lot": f"AL-{tag}", "quantity": 50, "time": T.format(8),
                   "po": f"PO-{tag}"})  # fmt: skip
    ev("receive", {"supplier": "S-1003", "item": "M-ORING", "supplier_lot": f"SLO-{tag}",
                   "lot": f"OR-{tag}", "quantity": 100, "time": T.format(8)})  # fmt: skip
    ev("issue", {"work_order": f"WO-{tag}", "station": "L1", "time": T.format(9), "inputs": [
        {"item": "M-AL6061", "lot": f"AL-{tag}", "quantity": 10},
        {"item": "M-ORING", "lot": f"OR-{tag}", "quantity": 4}]})  # fmt: skip
    ev("output", {"work_order": f"WO-{tag}", "station": "L1", "item": code, "lot": f"FIN-{tag}",
                  "quantity": 4, "serials": serials, "time": T.format(10)})  # fmt: skip
    ev("pack", {"container": f"CS-{tag}", "time": T.format(11),
                "children": [{"item": code, "serial": s} for s in serials]})  # fmt: skip
    ev("ship", {"objects": [{"container": f"CS-{tag}"}], "customer": "C-01",
                "time": T.format(12), "despatch_advice": f"DA-{tag}"})  # fmt: skip


def _quality(api: Any, m: dict[str, Any], tag: str, serial: str) -> None:
    reading = {"characteristic_id": m["char"]["id"], "source_id": f"t-{tag}"}
    rows = [
        {**reading, "seq": 1, "value": 10.0, "unit": serial, "gauge_id": m["good"]["id"],
         "source_ts": "2026-03-02T10:10:00+01:00"},
        {**reading, "seq": 2, "value": 10.3, "unit": serial, "gauge_id": m["old"]["id"],
         "source_ts": "2026-03-02T10:20:00+01:00"},
    ]  # fmt: skip
    assert _post(api, "/api/measurements", {"rows": rows}, 200)["accepted"] == 2
    lot = _post(
        api,
        "/api/inspection/lots",
        {"kind": "final", "item_id": m["item"]["id"], "lot_number": f"FIN-{tag}", "quantity": 4},
    )
    r = api.put(f"/api/inspection/lots/{lot['id']}/results", json={"results": [
        {"characteristic_id": m["char"]["id"], "sample_index": 1, "value": 10.4,
         "gauge_id": m["old"]["id"]}]})  # fmt: skip
    assert r.status_code == 200, r.text
    version = r.json()["lot"]["version"]
    _post(
        api,
        f"/api/inspection/lots/{lot['id']}/decision",
        {"decision": "reject", "reason": "bore oversize", "version": version},
        200,
    )


@pytest.fixture(scope="module")
def plant(as_user: Any) -> dict[str, Any]:
    api, tag = as_user("qe.a"), uuid.uuid4().hex[:6].upper()
    site = next(s["id"] for s in api.get("/api/auth/me").json()["sites"] if s["code"] == "SUZ")
    m = _master(api, site, tag)
    serials = [f"S{tag}{i:02d}" for i in range(4)]
    _events(api, tag, m["item"]["code"], serials)
    _quality(api, m, tag, serials[0])
    return {**m, "tag": tag, "serials": serials}


def test_dhr_names_supplier_lots_gauges_and_customer(as_user: Any, plant: dict[str, Any]) -> None:
    tag, serial = plant["tag"], plant["serials"][0]
    r = as_user("qe.a").get("/api/trace/dhr", params={"id": serial})
    assert r.status_code == 200, r.text
    d = r.json()
    i = d["identity"]
    assert (i["serial"], i["lot"], i["site"]) == (serial, f"FIN-{tag}", "SUZ")
    assert i["gtin"] == plant["gtin"]
    base = get_settings().trace.resolver_base.rstrip("/")
    assert i["digital_link"] == f"{base}/01/{plant['gtin']}/21/{serial}"
    genealogy = {c["label"]: c for c in d["genealogy"]}
    assert genealogy[f"AL-{tag}"]["supplier_lot"] == f"SL-{tag}"
    assert genealogy[f"AL-{tag}"]["supplier_name"] == "Jiangsu Alu Extrusion Co."
    assert genealogy[f"AL-{tag}"]["quantity"] == 10
    assert genealogy[f"SL-{tag}"]["supplier"] == "S-1001"
    assert genealogy[f"SLO-{tag}"]["supplier_name"] == "Freudenberg Sealing (Changchun)"
    gauges = {g["code"]: g for g in d["instruments"] if g["kind"] == "gauge"}
    assert gauges[f"G-OLD-{tag}"]["calibration"] == "overdue"
    assert gauges[f"G-OK-{tag}"]["calibration"] == "in_calibration"
    assert any(e["kind"] == "equipment" for e in d["instruments"])  # the machines of line L1
    out = [p for p in d["parameters"] if p["in_spec"] is False]
    assert {(p["value"], p["gauge"]) for p in out} == {(10.3, f"G-OLD-{tag}"),
                                                         (10.4, f"G-OLD-{tag}")}  # fmt: skip
    assert [x["decision"] for x in d["inspections"]] == ["reject"]
    assert {n["kind"] for n in d["nonconformances"]} == {"inspection_rejected"}
    output = next(s for s in d["steps"] if s["biz_step"] == "commissioning")
    assert (output["work_order"], output["operator"]) == (f"WO-{tag}", "qe.a")
    assert (output["station"], output["station_name"]) == ("L1", "CNC Line 1")
    assert set(output["outputs"]) == {f"FIN-{tag} 4", *plant["serials"]}
    shipping = next(s for s in d["steps"] if s["biz_step"] == "shipping")
    assert shipping["inputs"] == [f"CS-{tag}"] and shipping["outputs"] == ["SAIC Powertrain (C-01)"]
    assert [(c["code"], c["name"]) for c in d["customers"]] == [("C-01", "SAIC Powertrain")]


def test_dhr_of_a_lot_and_bad_requests(as_user: Any, plant: dict[str, Any]) -> None:
    api, tag = as_user("qe.a"), plant["tag"]
    d = api.get("/api/trace/dhr", params={"id": f"FIN-{tag}"}).json()
    assert d["identity"]["kind"] == "lot" and d["identity"]["digital_link"] is None
    assert [(p["value"], p["serial"]) for p in d["parameters"]] == [(10.4, None)]  # lot readings
    r = api.get("/api/trace/dhr")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id"
    r = api.get("/api/trace/dhr", params={"id": f"CS-{tag}"})  # a container has no DHR
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id"
    assert api.get("/api/trace/dhr", params={"id": "NO-SUCH-LOT-X"}).status_code == 404
    r = api.get("/api/trace/dhr.pdf", params={"id": plant["serials"][0], "lang": "fr"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lang"
    assert as_user("vendor").get("/api/trace/dhr", params={"id": f"FIN-{tag}"}).status_code == 403


def test_dhr_pdf_in_both_languages(as_user: Any, db_session: Any, plant: dict[str, Any]) -> None:
    serial = plant["serials"][0]
    r = as_user("audit").get("/api/trace/dhr.pdf", params={"id": serial, "lang": "zh-CN"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 20_000
    record = dhr.build(db_session, serial)
    en, zh = reports.dhr_html(record, "en"), reports.dhr_html(record, "zh-CN")
    for html in (en, zh):
        assert serial in html and f"SL-{plant['tag']}" in html and "data:image/svg+xml" in html
    assert "Device history record" in en and "Overdue" in en
    assert "器械历史记录" in zh and "校准过期" in zh and "Device history record" not in zh


def test_public_page_shows_only_public_fields(app: Any, plant: dict[str, Any]) -> None:
    anonymous = client_for(app)
    url = f"/01/{plant['gtin']}/21/{plant['serials'][1]}"
    r = anonymous.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store"
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    page = r.text
    for shown in ("Dosing valve", f"FIN-{plant['tag']}", plant["serials"][1], "Suzhou Plant",
                  "2026-03-02", "No recall or hold"):  # fmt: skip
        assert shown in page
    for hidden in ("Jiangsu", f"SL-{plant['tag']}", "qe.a", "SAIC", f"WO-{plant['tag']}", "G-OLD"):
        assert hidden not in page
    zh = anonymous.get(url, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).text
    assert "产品信息" in zh and "序列号" in zh
    assert "产品信息" in anonymous.get(url + "?lang=zh-CN").text
    lot_page = anonymous.get(f"/01/{plant['gtin']}/10/FIN-{plant['tag']}")
    assert lot_page.status_code == 200 and "Dosing valve" in lot_page.text
    both = f"/01/{plant['gtin']}/10/FIN-{plant['tag']}/21/{plant['serials'][1]}"
    assert anonymous.get(both).status_code == 200 and anonymous.head(url).status_code == 200
    wrong_lot = f"/01/{plant['gtin']}/10/OTHER/21/{plant['serials'][1]}"
    assert anonymous.get(wrong_lot).status_code == 404


def test_public_page_follows_the_configuration(
    app: Any, plant: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings().trace, "public_fields", ["product", "serial", "customer"])
    page = client_for(app).get(f"/01/{plant['gtin']}/21/{plant['serials'][1]}").text
    assert plant["serials"][1] in page and f"FIN-{plant['tag']}" not in page
    assert "Suzhou" not in page and "SAIC" not in page  # unknown names are never shown


def test_public_page_unknown_is_404(app: Any, plant: dict[str, Any]) -> None:
    anonymous = client_for(app)
    for url in (f"/01/{plant['gtin']}/21/NOPE", "/01/12345/21/X", "/01/04012345000017/21/X"):
        r = anonymous.get(url)
        assert r.status_code == 404 and "Not found" in r.text, url
        assert r.headers["cache-control"] == "no-store"


def _csv(r: Any) -> list[dict[str, str]]:
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.content.decode())))


def test_fsma_csv_rows_per_transformation_input(as_user: Any, plant: dict[str, Any]) -> None:
    tag, gtin = plant["tag"], plant["gtin"]
    api = as_user("qe.a")
    rows = _csv(api.get("/api/trace/fsma.csv", params={**WINDOW, "lot": f"FIN-{tag}"}))
    fin = f"(01){gtin}(10)FIN-{tag}"
    made = [r for r in rows if r["cte_type"] == "transformation"]
    assert sorted(r["input_tlc"] for r in made) == [f"AL-{tag}", f"OR-{tag}"]  # one row per input
    assert {r["tlc"] for r in made} == {fin} and len({r["event_id"] for r in made}) == 1
    assert {(r["input_tlc"], r["input_qty"], r["input_uom"]) for r in made} == {
        (f"AL-{tag}", "10", "kg"), (f"OR-{tag}", "4", "pcs")}  # fmt: skip
    assert made[0]["ref_doc_number"] == f"WO-{tag}" and "Suzhou Plant" in made[0]["tlc_source"]
    shipped = [r for r in rows if r["cte_type"] == "shipping"]
    assert [(r["tlc"], r["qty"], r["ref_doc_number"]) for r in shipped] == [(fin, "4", f"DA-{tag}")]
    assert "SAIC Powertrain" in shipped[0]["to_location"]
    assert [r["event_date"] for r in rows] == sorted(r["event_date"] for r in rows)
    received = _csv(api.get("/api/trace/fsma.csv", params={**WINDOW, "lot": f"AL-{tag}"}))
    receipt = next(r for r in received if r["cte_type"] == "receiving")
    assert (receipt["tlc"], receipt["qty"]) == (f"AL-{tag}", "50")
    assert receipt["input_tlc"] == f"SL-{tag}"  # the supplier's own lot code
    assert "Jiangsu" in receipt["from_location"] and receipt["ref_doc_number"] == f"PO-{tag}"
    assert {r["cte_type"] for r in received} == {"receiving", "transformation"}
    by_product = _csv(api.get("/api/trace/fsma.csv", params={**WINDOW, "product": gtin}))
    assert {r["tlc"] for r in by_product} == {fin}


def test_fsma_xlsx_and_bad_input(as_user: Any, plant: dict[str, Any]) -> None:
    api = as_user("qe.a")
    r = api.get("/api/trace/fsma.xlsx", params={**WINDOW, "product": plant["item"]["code"]})
    assert r.status_code == 200, r.text
    wb = load_workbook(io.BytesIO(r.content))
    sheet = wb["FSMA 204"]
    assert [c.value for c in sheet[1]] == list(fsma.COLUMNS)
    assert sheet.max_row == 1 + 3  # two transformation inputs and one shipment
    assert wb.worksheets[1]["B2"].value.startswith("Event")
    cases = [
        ({"until": WINDOW["until"]}, "since"),
        ({"since": WINDOW["since"]}, "until"),
        ({"since": WINDOW["until"], "until": WINDOW["since"]}, "until"),
        ({**WINDOW, "lot": "NO-SUCH-LOT-X"}, "lot"),
        ({**WINDOW, "product": "NO-SUCH-ITEM"}, "product"),
        ({**WINDOW, "since": "yesterday"}, "since"),
    ]
    for params, name in cases:
        r = api.get("/api/trace/fsma.csv", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["errors"][0]["field"] == name


def _stock_count(api: Any, key: str, quantity: float) -> None:
    event = {"type": "ObjectEvent", "eventTime": "2026-03-02T13:00:00Z",
             "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "bizStep": "cycle_counting",
             "quantityList": [{"epcClass": key, "quantity": quantity, "uom": "KGM"}]}  # fmt: skip
    doc = {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
           "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-03-02T13:00:00Z",
           "epcisBody": {"eventList": [event]}}  # fmt: skip
    r = api.post("/epcis/capture", json=doc, headers={"Content-Type": "application/ld+json"})
    assert r.status_code == 201, r.text


def test_recall_reports_carry_the_mass_balance(
    as_user: Any, db_session: Any, plant: dict[str, Any]
) -> None:
    api, tag = as_user("qe.a"), plant["tag"]
    _stock_count(api, f"urn:qualitas:lot:M-AL6061:AL-{tag}", 35)  # 40 expected: 5 missing
    recall = _post(api, "/api/trace/recalls", {"title": f"Drill {tag}", "drill": True,
                   "suspect": {"kind": "lots", "ids": [f"AL-{tag}"]}})  # fmt: skip
    r = api.get(f"/api/trace/recalls/{recall['id']}/report.xlsx")
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content))["Mass balance"]
    head = [c.value for c in sheet[1]]
    row = dict(zip(head, [c.value for c in sheet[2]], strict=False))
    assert row["Lot / 批次"] == f"AL-{tag}"
    assert (row["Received / 接收"], row["Consumed / 消耗"], row["On hand / 在库"]) == (50, 10, 35)
    assert row["Difference / 差异"] == 5
    assert sheet.cell(2, head.index("Difference / 差异") + 1).fill.fgColor.rgb.endswith("F8D7DA")
    pdf = api.get(f"/api/trace/recalls/{recall['id']}/report.pdf", params={"lang": "zh-CN"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from qualitas.trace import recall as recall_service

    stored = recall_service.get(db_session, recall["id"])
    html = reports.recall_html(stored, "en")
    assert "Mass balance" in html and f"AL-{tag}" in html and 'class="num diff"' in html
    assert "物料平衡" in reports.recall_html(stored, "zh-CN")
    assert api.get("/api/trace/recalls/999999/report.pdf").status_code == 404
    assert api.get("/api/trace/recalls/999999/report.xlsx").status_code == 404


@pytest.fixture
def db_session(app: Any) -> Any:
    with app.state.db.session(write=False) as session:
        yield session


def test_language_and_calibration_helpers() -> None:
    import datetime as dt

    assert labels.pick_lang(None, "zh-CN,zh;q=0.9") == "zh-CN"
    assert labels.pick_lang(None, "fr-FR, en;q=0.5, zh;q=0.4") == "en"
    assert labels.pick_lang("zh-CN", "en") == "zh-CN" and labels.pick_lang("xx", None) == "en"
    used, at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), dhr_quality.calibration_at
    assert at(used, dt.date(2026, 1, 1), dt.date(2026, 6, 1)) == "in_calibration"
    assert at(used, dt.date(2025, 1, 1), dt.date(2025, 2, 1)) == "overdue"
    assert at(used, dt.date(2026, 4, 1), dt.date(2027, 4, 1)) == "unknown"  # before the one on file
    assert fsma.tlc("https://id.gs1.org/01/04012345000016/10/L%2F1") == "(01)04012345000016(10)L/1"
    assert fsma.tlc("urn:qualitas:lot:M-1:L7") == "L7"
    assert all(len(v) == 2 and v[0] and v[1] for v in labels.LABELS.values())
