"""Traceability in a real browser: a quality engineer scans a serial into the trace search, opens
its genealogy graph and finds the supplier lots it was made from, follows the path and its EPCIS
events, expands a node and lists a folded group, reads the same trace as a list; creates a recall
from a supplier lot, sees its blast radius, places holds with a reason and sees how many were
placed; opens the device history record; and the key screens again in Simplified Chinese.
Screenshots land in var/screenshots/trace-*.png."""

from __future__ import annotations

import re
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import QE_PASSWORD, QE_USERNAME
from tests.e2e.test_spc import Api
from tests.e2e.test_web import shot, sign_in, tid

pytestmark = pytest.mark.e2e

Page = Any  # playwright.sync_api.Page
Creds = tuple[str, str]

AUDITOR = ("audit", "Demo-Review-2026!!")  # read-only: trace.read, no trace.hold
SERIAL = "PMP0000123"  # an oil pump (P-PMP-4x0) of the demo genealogy (SUZ), shipped to a customer
SUPPLIER_LOT_KEY = "urn:qualitas:supplier-lot:"
CYTOSCAPE = "document.querySelector('[data-testid=trace-canvas]')._cyreg.cy"


def graph_nodes(page: Page) -> list[dict[str, Any]]:
    """The nodes drawn in the genealogy graph (read from the Cytoscape instance of the canvas)."""
    return list(
        page.evaluate(
            f"() => {CYTOSCAPE}.nodes().map(n => ({{id: n.id(), look: n.data('look'),"
            " group: n.data('group'), depth: n.data('depth'), hold: n.data('hold') ?? null}))"
        )
    )


def click_node(page: Page, node_id: str, double: bool = False) -> None:
    """Clicks a node where it is drawn (scrolled into view first)."""
    page.evaluate(
        "(id) => { const cy = " + CYTOSCAPE + "; cy.center(cy.getElementById(id)); }", node_id
    )
    box = tid(page, "trace-canvas").bounding_box()
    pos = page.evaluate("(id) => " + CYTOSCAPE + ".getElementById(id).renderedPosition()", node_id)
    x, y = box["x"] + pos["x"], box["y"] + pos["y"]
    if double:
        page.mouse.dblclick(x, y)
    else:
        page.mouse.click(x, y)


def number(text: str) -> int:
    """The first integer in a text, thousands separators ignored (1,483 → 1483)."""
    found = re.search(r"\d[\d,.\s]*", text)
    assert found, f"no number in {text!r}"
    return int(re.sub(r"\D", "", found.group()))


def scan_serial(page: Page, serial: str) -> None:
    """Types the serial like a scanner does (fast, then Enter) into the trace search."""
    box = tid(page, "trace-search")
    box.wait_for()
    assert page.evaluate("document.activeElement?.dataset.testid") == "trace-search"
    page.keyboard.type(serial, delay=5)
    page.keyboard.press("Enter")
    tid(page, "trace-graph-page").wait_for()
    tid(page, "trace-canvas").wait_for()
    page.wait_for_function(f"() => {CYTOSCAPE}.nodes().length > 1")


def supplier_lot_of(api: Api, serial: str) -> tuple[str, str, str]:
    """(key, supplier code, supplier lot) of a supplier lot the serial was made from."""
    graph = api.call("GET", f"/api/trace/graph?side=backward&id={serial}")
    key = next(n["id"] for n in graph["nodes"] if n["id"].startswith(SUPPLIER_LOT_KEY))
    supplier, _item, lot = key[len(SUPPLIER_LOT_KEY) :].split(":")
    return key, urllib.parse.unquote(supplier), urllib.parse.unquote(lot)


def test_trace_a_serial_to_its_supplier_lots(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    sign_in(page, live_server, *qe_credentials)
    tid(page, "nav-trace-search").click()
    tid(page, "trace-search-page").wait_for()
    # Suggestions while typing, with the kind of each identity.
    tid(page, "trace-search").fill(SERIAL[:-1])
    tid(page, "trace-suggestion").first.wait_for()
    assert "Unit" in tid(page, "trace-suggestion").first.inner_text()
    shot(page, screenshots, "trace-01-search")
    tid(page, "trace-search").fill("")
    scan_serial(page, SERIAL)

    assert SERIAL in tid(page, "graph-title").inner_text()
    stats = tid(page, "graph-stats").inner_text()
    assert "identities reached" in stats and "answered in" in stats, stats
    nodes = graph_nodes(page)
    root = next(n for n in nodes if n["depth"] == 0)
    supplier_lots = [n for n in nodes if n["look"] == "supplier"]
    assert supplier_lots, f"no supplier lot in {nodes}"
    assert all(n["depth"] < 0 for n in supplier_lots), "supplier lots are origins (left)"
    assert any(n["look"] == "customer" and n["depth"] > 0 for n in nodes), "shipped to a customer"
    shot(page, screenshots, "trace-02-graph")

    # Selecting a supplier lot: its path from the serial, and the EPCIS events of that path.
    lot = supplier_lots[0]
    click_node(page, lot["id"])
    panel = tid(page, "node-panel")
    panel.wait_for()
    assert panel.get_attribute("data-id") == lot["id"]
    assert "Supplier lot" in panel.inner_text()
    path = tid(page, "node-path").inner_text()
    assert path.index(SERIAL) < path.index(lot["id"].rsplit(":", 1)[-1]), path
    events = tid(page, "path-event")
    events.first.wait_for()
    assert events.count() >= 2
    highlighted = page.evaluate(f"() => {CYTOSCAPE}.edges('.path').length")
    assert highlighted >= 2, "the path's links are highlighted"
    shot(page, screenshots, "trace-03-path")
    events.first.click()
    tid(page, "event-drawer").wait_for()
    tid(page, "event-json").wait_for()
    assert '"type"' in tid(page, "event-json").inner_text()
    tid(page, "drawer-close").click()
    tid(page, "event-drawer").wait_for(state="detached")

    # Expanding the supplier lot merges everything made from it (nothing drawn twice).
    before = len(graph_nodes(page))
    tid(page, "node-expand").click()
    page.wait_for_function(f"() => {CYTOSCAPE}.nodes().length > {before}")
    after = graph_nodes(page)
    assert len({n["id"] for n in after}) == len(after)
    assert root["id"] in {n["id"] for n in after}
    shot(page, screenshots, "trace-04-expanded")

    # A folded group ("1,344 × Unit") lists its members beside the graph instead of drawing them.
    groups = [n for n in after if n["group"]]
    assert groups, "the expanded seal lot reaches more units than are drawn"
    click_node(page, groups[0]["id"])
    tid(page, "group-panel").wait_for()
    assert "×" in tid(page, "group-title").inner_text()
    tid(page, "group-grid").locator(".ag-row").first.wait_for()
    assert int(tid(page, "group-grid").get_attribute("data-rows")) > 40
    shot(page, screenshots, "trace-05-group")

    # The list tab: the same trace as a table, with counts per kind.
    tid(page, "tab-list").click()
    tid(page, "list-grid").locator(".ag-row").first.wait_for()
    assert "Lot" in tid(page, "list-count-lot").inner_text()
    assert int(tid(page, "list-grid").get_attribute("data-rows")) >= len(supplier_lots)
    tid(page, "list-direction-forward").click()
    tid(page, "list-count-customer").wait_for()
    shot(page, screenshots, "trace-06-list")


def test_recall_from_a_supplier_lot(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    api = Api(live_server, *qe_credentials)
    _key, supplier, supplier_lot = supplier_lot_of(api, SERIAL)
    title = f"Seal leak {uuid.uuid4().hex[:4].upper()}: supplier lot {supplier_lot}"

    sign_in(page, live_server, *qe_credentials)
    tid(page, "nav-trace-recalls").click()
    tid(page, "recalls-page").wait_for()
    tid(page, "new-recall").click()
    tid(page, "new-recall-form").wait_for()
    tid(page, "recall-title").fill(title)
    tid(page, "suspect-supplier_lot").check()
    select = tid(page, "recall-supplier")
    select.locator(f"option[value='{supplier}']").wait_for(state="attached")
    select.select_option(supplier)
    tid(page, "recall-supplier_lot").fill(supplier_lot)
    shot(page, screenshots, "trace-07-new-recall")
    tid(page, "recall-create").click()

    # The blast radius, computed at once.
    tid(page, "recall-page").wait_for()
    assert title in tid(page, "recall-title").inner_text()
    assert tid(page, "recall-status").get_attribute("data-value") == "scoped"
    units = number(tid(page, "count-unit").inner_text())
    lots = number(tid(page, "count-lot").inner_text())
    containers = number(tid(page, "count-container").inner_text())
    assert units > 100 and lots >= 2 and containers > 0
    assert number(tid(page, "count-customer").inner_text()) >= 1
    assert tid(page, "customer").count() >= 1
    assert tid(page, "balance-row").count() >= 1
    assert "ms" in tid(page, "answer-time").inner_text()
    assert number(tid(page, "hold-count").inner_text()) == 0
    tid(page, "scope-grid-lot").locator(".ag-row").first.wait_for()
    shot(page, screenshots, "trace-08-recall")

    # Holds on everything reachable, with the disposition and the reason.
    tid(page, "place-holds").click()
    tid(page, "hold-dialog").wait_for()
    tid(page, "disposition-recalled").check()
    tid(page, "dialog-reason").fill("Leak complaints traced to this supplier lot")
    shot(page, screenshots, "trace-09-hold-dialog")
    tid(page, "hold-confirm").click()
    notice = tid(page, "recall-notice")
    notice.wait_for()
    placed = number(notice.inner_text())
    assert placed == units + lots + containers, notice.inner_text()
    assert number(tid(page, "hold-count").inner_text()) == placed
    assert tid(page, "recall-status").get_attribute("data-value") == "held"
    assert tid(page, "place-holds").is_disabled()
    shot(page, screenshots, "trace-10-held")

    # The report, as a PDF in the UI's language and as a workbook.
    assert "lang=en" in (tid(page, "report-pdf").get_attribute("href") or "")
    with page.expect_download() as download:
        tid(page, "report-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # The holds list of this recall; the serial itself now shows its hold.
    tid(page, "hold-count").click()
    tid(page, "holds-page").wait_for()
    tid(page, "holds-grid").locator(".ag-row").first.wait_for()
    assert number(tid(page, "holds-total").inner_text()) == placed
    shot(page, screenshots, "trace-11-holds")
    found = api.call("GET", f"/api/trace/search?q={SERIAL}")
    assert found[0]["hold"] == "recalled"


def test_read_only_tracing(page: Page, live_server: str, screenshots: Path) -> None:
    """An auditor may trace and read recalls, but neither start a recall nor place holds."""
    qe = Api(live_server, QE_USERNAME, QE_PASSWORD)
    if not qe.call("GET", "/api/trace/recalls"):
        _key, supplier, lot = supplier_lot_of(qe, SERIAL)
        suspect = {"kind": "supplier_lot", "supplier": supplier, "supplier_lot": lot}
        qe.call(
            "POST",
            "/api/trace/recalls",
            {"title": "Audit drill", "drill": True, "suspect": suspect},
        )
    sign_in(page, live_server, *AUDITOR)
    tid(page, "nav-trace-recalls").click()
    tid(page, "recalls-page").wait_for()
    assert tid(page, "new-recall").count() == 0
    tid(page, "recalls-table").locator("tbody tr").first.click()
    tid(page, "recall-page").wait_for()
    assert tid(page, "place-holds").is_disabled()
    assert tid(page, "recall-close").count() == 0
    page.goto(f"{live_server}/trace/graph?id={SERIAL}")
    tid(page, "trace-canvas").wait_for()
    page.wait_for_function(f"() => {CYTOSCAPE}.nodes().length > 1")
    holdable = [n for n in graph_nodes(page) if n["look"] in ("lot", "unit", "container")]
    free = [n for n in holdable if not n["hold"]] or holdable
    click_node(page, free[0]["id"])
    tid(page, "node-panel").wait_for()
    assert tid(page, "node-hold").count() == 0, "no hold button without trace.hold"
    shot(page, screenshots, "trace-17-auditor")


def test_device_history_record(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    sign_in(page, live_server, *qe_credentials)
    page.goto(f"{live_server}/trace/graph?id={SERIAL}")
    tid(page, "graph-dhr").click()
    tid(page, "dhr-page").wait_for()
    tid(page, "dhr-identity").wait_for()
    assert SERIAL in tid(page, "dhr-title").inner_text()
    assert re.search(r"P-PMP-4\d0 · Oil pump", tid(page, "dhr-identity").inner_text())
    components = tid(page, "dhr-component")
    assert components.count() >= 2
    assert any("S-" in components.nth(i).inner_text() for i in range(components.count())), (
        "a component names its supplier"
    )
    assert tid(page, "dhr-step").count() >= 3
    assert tid(page, "dhr-customer").count() >= 1
    # The public page of the unit, as a QR code.
    tid(page, "dhr-qr").wait_for()
    assert f"/21/{SERIAL}" in tid(page, "dhr-public-link").inner_text()
    assert "lang=en" in (tid(page, "dhr-pdf").get_attribute("href") or "")
    shot(page, screenshots, "trace-12-dhr")


def test_trace_in_simplified_chinese(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    api = Api(live_server, *qe_credentials)
    _key, supplier, supplier_lot = supplier_lot_of(api, SERIAL)
    drill = api.call(
        "POST",
        "/api/trace/recalls",
        {
            "title": f"供应商批次演练 {uuid.uuid4().hex[:4]}",
            "drill": True,
            "suspect": {"kind": "supplier_lot", "supplier": supplier, "supplier_lot": supplier_lot},
        },
    )
    english = ("Backward", "Forward", "Place holds", "Device history record", "Recalls", "Lots")

    sign_in(page, live_server, *qe_credentials, lang="zh-CN")
    tid(page, "nav-trace-search").click()
    assert tid(page, "nav-trace-search").inner_text() == "追溯查询"
    scan_serial(page, SERIAL)
    assert "共追溯到" in tid(page, "graph-stats").inner_text()
    assert tid(page, "side-both").inner_text() == "双向"
    supplier_lot_node = next(n for n in graph_nodes(page) if n["look"] == "supplier")
    click_node(page, supplier_lot_node["id"])
    tid(page, "node-panel").wait_for()
    assert "供应商批次" in tid(page, "node-panel").inner_text()
    tid(page, "path-event").first.wait_for()
    shot(page, screenshots, "trace-13-graph-zh")
    body = page.locator("main").inner_text()
    assert not [w for w in english if w in body], body

    tid(page, "tab-list").click()
    tid(page, "list-grid").locator(".ag-row").first.wait_for()
    assert "批次" in tid(page, "list-counts").inner_text()
    shot(page, screenshots, "trace-14-list-zh")

    page.goto(f"{live_server}/trace/recalls/{drill['id']}")
    tid(page, "recall-page").wait_for()
    assert tid(page, "drill-badge").inner_text() == "演练"
    assert "单件" in tid(page, "count-unit").inner_text()
    assert tid(page, "place-holds").is_disabled(), "a drill places no holds"
    shot(page, screenshots, "trace-15-recall-zh")
    body = page.locator("main").inner_text()
    assert not [w for w in english if w in body], body

    page.goto(f"{live_server}/trace/dhr?id={SERIAL}")
    tid(page, "dhr-identity").wait_for()
    assert "产品履历" in tid(page, "dhr-title").inner_text()
    assert "lang=zh-CN" in (tid(page, "dhr-pdf").get_attribute("href") or "")
    shot(page, screenshots, "trace-16-dhr-zh")
