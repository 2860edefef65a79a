"""Inspection in a real browser: an inspector creates a final-inspection lot through the form
(with the lot number typed like a scanner does), enters every sample of it in the entry grid with
the keyboard alone, sees an out-of-spec value turn red and the summary recommend rejection,
rejects the lot with a reason and finds it read-only, also in Simplified Chinese. Further tests
cover the tablet layout, gauge warnings, the sampling calculator and the control plan as master
data. Screenshots land in var/screenshots/inspection-*.png (desktop 1366 and tablet 820 wide)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_spc import Api
from tests.e2e.test_web import expect_text, shot, sign_in, tid

pytestmark = pytest.mark.e2e

Page = Any  # playwright.sync_api.Page
Creds = tuple[str, str]

INSPECTOR = ("insp.a", "Demo-Insp-A-2026!")
PRODUCT = "P-PMP-400"  # oil pump assembly of SUZ: five variables and one attribute
OUT_OF_CAL_GAUGE = "SUZ-TA-50"  # the demo's torque analyser, out of calibration
OUT_OF_SPEC_SAMPLE = 3


def active(page: Page) -> str:
    """The data-testid of the focused element."""
    return str(page.evaluate("document.activeElement?.dataset.testid ?? ''"))


def columns(page: Page) -> list[dict[str, Any]]:
    """The characteristic columns of the grid, left to right, with kind and spec limits."""
    tid(page, "entry-grid").wait_for()
    return list(
        page.locator("[data-testid^='head-']").evaluate_all(
            """els => els.map(e => ({
                code: e.dataset.testid.slice(5), kind: e.dataset.kind,
                lsl: e.dataset.lsl === '' ? null : Number(e.dataset.lsl),
                usl: e.dataset.usl === '' ? null : Number(e.dataset.usl)}))"""
        )
    )


def in_spec(col: dict[str, Any], sample: int) -> str:
    """A value inside the limits that differs a little from sample to sample."""
    if col["kind"] == "attribute":
        return "p"
    lsl, usl = col["lsl"], col["usl"]
    wiggle = ((sample * 7) % 5 - 2) / 10  # -0.2 .. 0.2
    if lsl is not None and usl is not None:
        mid, half = (lsl + usl) / 2, (usl - lsl) / 2
        return f"{mid + wiggle * half:.4f}"
    if usl is not None:
        return f"{usl * (0.5 + wiggle):.4f}"
    return f"{lsl * 1.5 + wiggle:.4f}"


def out_of_spec(col: dict[str, Any]) -> str:
    lsl, usl = col["lsl"], col["usl"]
    if usl is not None:
        return f"{usl + (usl - (lsl if lsl is not None else 0)) * 0.5:.4f}"
    return f"{lsl - abs(lsl) * 0.5 - 1:.4f}"


def wait_text(locator: Any, text: str) -> None:
    """Waits until the element shows exactly `text` (values that settle after a debounce)."""
    from playwright.sync_api import expect

    expect(locator).to_have_text(text)


def wait_saved(page: Page) -> None:
    page.wait_for_selector("[data-testid='save-status'][data-state='saved']", timeout=20_000)


def create_lot_via_form(page: Page, lot_number: str, quantity: int, work_order: str) -> None:
    tid(page, "new-lot-button").click()
    tid(page, "new-lot-form").wait_for()
    tid(page, "lot-kind-final").check()
    item = tid(page, "lot-item")
    item.locator("option", has_text=f"{PRODUCT} ·").wait_for(state="attached")
    item.select_option(item.locator("option", has_text=f"{PRODUCT} ·").get_attribute("value"))
    # The lot number arrives like a scan: the code, then Enter, which moves on (no early submit).
    tid(page, "lot-number").click()
    page.keyboard.type(lot_number)
    page.keyboard.press("Enter")
    assert active(page) == "lot-quantity"
    page.keyboard.type(str(quantity))
    page.keyboard.press("Enter")
    assert active(page) == "lot-work-order"
    page.keyboard.type(work_order)
    page.keyboard.press("Enter")
    assert active(page) == "lot-create"
    assert tid(page, "new-lot-form").is_visible(), "Enter on a field must not submit early"
    page.keyboard.press("Enter")
    tid(page, "lot-created").wait_for()


def test_keyboard_entry_of_a_final_lot(page: Page, live_server: str, screenshots: Path) -> None:
    sign_in(page, live_server, *INSPECTOR)
    tid(page, "nav-inspection-lots").click()
    tid(page, "lots-page").wait_for()
    tid(page, "lots-grid").locator(".ag-root").wait_for()
    lot_number = f"FIN-{uuid.uuid4().hex[:6].upper()}"
    create_lot_via_form(page, lot_number, 50, "WO-4711")

    # ISO 2859-1: 50 units, level II -> code letter D; AQL 1.0 points down to E: n = 13, Ac 0, Re 1.
    expect_text(tid(page, "created-plan-code-letter").locator(".kpi-value"), "D")
    expect_text(tid(page, "created-plan-sample-size").locator(".kpi-value"), "13")
    expect_text(tid(page, "created-plan-ac-re").locator(".kpi-value"), "0 / 1")
    expect_text(tid(page, "created-plan-severity").locator(".kpi-value"), "Normal")
    shot(page, screenshots, "inspection-01-new-lot-plan")
    tid(page, "lot-start").click()

    tid(page, "lot-entry-page").wait_for()
    assert lot_number in tid(page, "lot-title").inner_text()
    cols = columns(page)
    codes = [c["code"] for c in cols]
    assert len(cols) == 6 and all(code.startswith(PRODUCT) for code in codes), codes
    samples = page.locator("[data-testid^='sample-row-']").count()
    assert samples == 13
    first, bad = cols[0], cols[0]  # the out-of-spec value goes into the first variable column
    assert bad["kind"] == "variable"

    # Focus the first cell; from here on only the keyboard.
    tid(page, f"cell-1-{first['code']}").click()
    assert active(page) == f"cell-1-{first['code']}"

    # Sample 1 across the row with Tab (one characteristic after the other) ...
    for i, col in enumerate(cols):
        page.keyboard.type(in_spec(col, 1))
        if i < len(cols) - 1:
            page.keyboard.press("Tab")
            assert active(page) == f"cell-1-{cols[i + 1]['code']}"
    # ... Tab from the last characteristic goes to the next unit's serial; a scanned serial ends
    # with Enter, which jumps to that unit's first characteristic.
    page.keyboard.press("Tab")
    assert active(page) == "unit-2"
    page.keyboard.type("SN-0002")
    page.keyboard.press("Enter")
    assert active(page) == f"cell-2-{first['code']}"

    # Then column by column with Enter: down the samples, wrapping to the next characteristic.
    for c, col in enumerate(cols):
        for sample in range(1, samples + 1):
            here = f"cell-{sample}-{col['code']}"
            if sample == 1 and c == 0:
                continue  # sample 1 is done and the serial's Enter started at sample 2
            assert active(page) == here, f"focus on {active(page)!r}, expected {here!r}"
            if sample == 1:
                page.keyboard.press("Enter")  # entered with Tab already
                continue
            if col is bad and sample == OUT_OF_SPEC_SAMPLE:
                page.keyboard.type(out_of_spec(col))
                cell = tid(page, here)
                assert cell.get_attribute("data-verdict") == "fail"
                colour = cell.evaluate("e => getComputedStyle(e).backgroundColor")
                red, green, blue = (int(x) for x in re.findall(r"\d+", colour)[:3])
                assert red > 200 and green < 235 and blue < 235, colour
                # Not colour alone: an icon with a label says it too.
                mark = page.locator(f"td:has([data-testid='{here}']) .verdict-fail")
                assert mark.get_attribute("aria-label") == "NG"
            else:
                page.keyboard.type(in_spec(col, sample))
                if sample == 2:
                    assert tid(page, here).get_attribute("data-verdict") == "pass"
            page.keyboard.press("Enter")
    # Enter on the very last cell stays there and sends what is pending.
    assert active(page) == f"cell-{samples}-{cols[-1]['code']}"
    # Shift+Enter goes back up the column; Shift+Tab back along the row.
    page.keyboard.press("Shift+Enter")
    assert active(page) == f"cell-{samples - 1}-{cols[-1]['code']}"
    page.keyboard.press("Shift+Tab")
    assert active(page) == f"cell-{samples - 1}-{cols[-2]['code']}"

    wait_saved(page)
    assert page.locator("[data-testid^='cell-'][data-state='saved']").count() == samples * len(cols)
    assert (
        tid(page, f"cell-{OUT_OF_SPEC_SAMPLE}-{bad['code']}").get_attribute("data-verdict")
        == "fail"
    )
    assert tid(page, "unit-2").input_value() == "SN-0002"

    # One nonconforming unit with Ac 0 / Re 1: the summary recommends rejection.
    recommendation = tid(page, "summary-recommendation")
    page.wait_for_selector("[data-testid='summary-recommendation'][data-value='reject']")
    assert "Reject" in recommendation.inner_text()
    assert tid(page, "summary-nonconforming").locator(".kpi-value").inner_text().startswith("1")
    assert (
        tid(page, "summary-progress").locator(".kpi-value").inner_text()
        == f"{samples * 6} / {samples * 6}"
    )
    assert "✗ 1" in tid(page, f"summary-{bad['code']}").inner_text()
    tid(page, "entry-grid").evaluate("e => e.scrollTo(0, 0)")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, screenshots, "inspection-02-entry-grid")
    tid(page, "summary-panel").scroll_into_view_if_needed()
    shot(page, screenshots, "inspection-03-summary")

    # The decision: reject, with a reason.
    tid(page, "decision-reject").click()
    assert tid(page, "decision-submit").is_disabled(), "a rejection needs a reason"
    tid(page, "decision-reason").fill(
        "Bore diameter above USL on sample 3; lot held for 100 % sorting."
    )
    tid(page, "decision-submit").click()
    tid(page, "lot-decided").wait_for()
    assert tid(page, "lot-decided").get_attribute("data-value") == "reject"
    assert tid(page, "lot-status").get_attribute("data-value") == "decided"
    expect_text(tid(page, "decided-by"), INSPECTOR[0])
    tid(page, "lot-readonly").wait_for()
    assert tid(page, "entry-grid").locator("input, button").count() == 0, (
        "a decided lot is read-only"
    )
    tid(page, "decision-panel").scroll_into_view_if_needed()
    shot(page, screenshots, "inspection-04-decided")

    # The lot list shows it decided.
    tid(page, "back-to-lots").click()
    row = tid(page, "lots-grid").locator(".ag-row", has_text=lot_number)
    row.wait_for()
    assert "Decided" in row.inner_text() and "Reject" in row.inner_text()
    assert PRODUCT in row.inner_text(), "the list shows the item code"
    shot(page, screenshots, "inspection-06-lots")

    # Search (server-side): the lot number, or the work order, finds it; nonsense finds nothing.
    tid(page, "lots-search").fill("WO-4711")
    row.wait_for()
    tid(page, "lots-search").fill("no-such-lot-xyz")
    row.wait_for(state="detached")
    tid(page, "lots-search").fill(lot_number)
    row.wait_for()
    shot(page, screenshots, "inspection-07-lots-search")

    # Simplified Chinese.
    tid(page, "lang-switch").select_option("zh-CN")
    expect_text(page.locator("h1"), "检验批")
    expect_text(tid(page, "nav-inspection-sampling"), "抽样计算器")
    row.wait_for()
    shot(page, screenshots, "inspection-08-lots-zh")
    row.click()
    tid(page, "lot-entry-page").wait_for()
    assert tid(page, "lot-title").inner_text().startswith(f"检验批 {lot_number}")
    expect_text(page.locator("#summary-title"), "汇总")
    expect_text(page.locator("#decision-title"), "判定")
    assert "拒收" in tid(page, "lot-decided").inner_text()
    shot(page, screenshots, "inspection-05-decided-zh")


def _final_lot(base: str, lot_number: str, quantity: int = 50) -> dict[str, Any]:
    api = Api(base, *INSPECTOR)
    items = api.call("GET", f"/api/plant/items?kind=product&q={PRODUCT}")["items"]
    item = next(i for i in items if i["code"] == PRODUCT)
    return dict(
        api.call(
            "POST",
            "/api/inspection/lots",
            {
                "kind": "final",
                "item_id": item["id"],
                "lot_number": lot_number,
                "quantity": quantity,
            },
        )
    )


def test_tablet_entry_with_gauge_warning(
    tablet_page: Page, live_server: str, screenshots: Path
) -> None:
    page = tablet_page
    lot = _final_lot(live_server, f"TAB-{uuid.uuid4().hex[:6].upper()}")
    sign_in(page, live_server, *INSPECTOR)
    page.goto(f"{live_server}/inspection/lots/{lot['id']}")
    cols = columns(page)
    torque = next(c for c in cols if c["code"].endswith("-TQ"))
    attribute = next(c for c in cols if c["kind"] == "attribute")

    # The torque analyser is out of calibration: the column warns before anything is typed.
    gauge = tid(page, f"gauge-{torque['code']}")
    gauge.select_option(gauge.locator("option", has_text=OUT_OF_CAL_GAUGE).get_attribute("value"))
    tid(page, f"gauge-warning-{torque['code']}").wait_for()

    # Touch: the cells are at least 44 px high.
    box = tid(page, f"cell-1-{torque['code']}").bounding_box()
    assert box and box["height"] >= 44, box

    tid(page, f"cell-1-{torque['code']}").click()
    for sample in range(1, 4):
        page.keyboard.type(in_spec(torque, sample) if sample != 2 else out_of_spec(torque))
        page.keyboard.press("Enter")
    assert tid(page, f"cell-2-{torque['code']}").get_attribute("data-verdict") == "fail"
    # Attributes: f fails the unit (one defect), + adds a defect, p passes the next one.
    tid(page, f"cell-1-{attribute['code']}").click()
    page.keyboard.press("f")
    page.keyboard.press("+")
    page.keyboard.press("Enter")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    assert tid(page, f"cell-1-{attribute['code']}").get_attribute("data-verdict") == "fail"
    expect_text(tid(page, f"defects-1-{attribute['code']}").locator(".defects-count"), "Defects: 2")
    assert tid(page, f"cell-2-{attribute['code']}").get_attribute("data-verdict") == "pass"
    # A partial quantity on one row.
    tid(page, "qty-3").fill("4")
    tid(page, f"cell-3-{attribute['code']}").focus()
    page.keyboard.press("p")
    tid(page, "unit-3").focus()

    wait_saved(page)
    # The server accepted the torque values but warned about the gauge: shown above the grid.
    warnings = tid(page, "gauge-warnings")
    warnings.wait_for()
    assert OUT_OF_CAL_GAUGE in warnings.inner_text()
    summary = tid(page, f"summary-{attribute['code']}").inner_text()
    assert "✗ 1" in summary, summary
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, screenshots, "inspection-10-entry-tablet")
    tid(page, "entry-grid").scroll_into_view_if_needed()
    # Scrolled to the right: the torque and visual columns.
    tid(page, "entry-grid").evaluate("e => e.scrollTo(e.scrollWidth, 0)")
    shot(page, screenshots, "inspection-11-grid-tablet")
    tid(page, "summary-panel").scroll_into_view_if_needed()
    shot(page, screenshots, "inspection-12-summary-tablet")

    # The lot list and the new-lot form on a tablet.
    page.goto(f"{live_server}/inspection/lots")
    tid(page, "lots-grid").locator(".ag-row").first.wait_for()
    shot(page, screenshots, "inspection-13-lots-tablet")
    tid(page, "new-lot-button").click()
    tid(page, "lot-kind-incoming").check()
    tid(page, "lot-supplier").wait_for()
    for name in ("lot-number", "lot-quantity", "lot-supplier", "lot-supplier-lot", "lot-create"):
        box = tid(page, name).bounding_box()
        assert box and box["height"] >= 44, f"{name} is {box}"
    shot(page, screenshots, "inspection-14-new-lot-tablet")


def test_sampling_calculator_and_control_plan(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    sign_in(page, live_server, *qe_credentials)
    tid(page, "nav-inspection-sampling").click()
    tid(page, "calc-lot-size").fill("50")
    tid(page, "calc-aql").select_option("1.0")
    wait_text(tid(page, "calc-plan-code-letter").locator(".kpi-value"), "D")
    wait_text(tid(page, "calc-plan-sample-size").locator(".kpi-value"), "13")
    wait_text(tid(page, "calc-plan-ac-re").locator(".kpi-value"), "0 / 1")
    tid(page, "calc-lot-size").fill("2000")
    tid(page, "calc-aql").select_option("2.5")
    tid(page, "calc-severity").select_option("tightened")
    # 1201-3200, level II -> K (n = 125); tightened 2.5 -> Ac 5, Re 6.
    wait_text(tid(page, "calc-plan-code-letter").locator(".kpi-value"), "K")
    wait_text(tid(page, "calc-plan-sample-size").locator(".kpi-value"), "125")
    wait_text(tid(page, "calc-plan-ac-re").locator(".kpi-value"), "5 / 6")
    shot(page, screenshots, "inspection-20-sampling-calculator")

    # The control plan as master data, under Inspection.
    tid(page, "nav-control-plan").click()
    expect_text(page.locator("h1"), "Control plan")
    tid(page, "search-input").fill(f"CP-{PRODUCT}")
    wait_text(tid(page, "grid-total"), "Total: 6")  # the search has reached the server
    cell = tid(page, "grid").locator(".ag-row [col-id='code']", has_text=f"CP-{PRODUCT}-D1")
    cell.wait_for()
    shot(page, screenshots, "inspection-21-control-plan")
    cell.click()
    tid(page, "drawer").wait_for()
    assert tid(page, "field-inspection_level").input_value() == "II"
    assert tid(page, "field-reaction_plan").input_value().startswith("1. Stop")
    chosen = tid(page, "field-characteristic_id")
    chosen.locator("option", has_text=f"{PRODUCT}-D1 ·").wait_for(state="attached")
    assert chosen.evaluate("e => e.selectedOptions[0].textContent").startswith(f"{PRODUCT}-D1 ·")
    shot(page, screenshots, "inspection-22-control-plan-line")
