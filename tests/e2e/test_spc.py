"""SPC in a real browser: readings, an approved limit set and an out-of-limits reading are seeded
through the API; then the quality board shows the red line and the alarm, which is acknowledged
and resolved; the control chart marks the violation; the capability page shows the study; and
the pages read in Simplified Chinese. Screenshots (desktop and tablet, both languages) land in
var/screenshots/spc-*.png."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import math
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_web import shot, sign_in, tid

pytestmark = pytest.mark.e2e

Page = Any  # playwright.sync_api.Page
Creds = tuple[str, str]

OPERATOR = ("op.a", "Demo-Oper-A-2026!")
# Characteristics on line L1 of SUZ that the demo's own SPC scenarios leave unmonitored.
CHAR_CODE = "P-CAP-300-D1"  # bore diameter, CC, 25.000 mm (24.985 .. 25.015)
SECOND_CODE = "P-CAP-300-L1"  # overall length, SC, 120.0 mm (119.8 .. 120.2)
TABLET_CODE = "P-CAP-300-TQ"  # tightening torque, SC, 24 N·m (22 .. 26)
CENTER, SIGMA = 25.0, 0.003
REACTION_PLAN = "Stop the line, quarantine parts since the last good check, call the QE."
CAUSE = "Worn boring insert"
ACTION = "Insert replaced, last 20 parts re-measured and released"


class Api:
    """A cookie session on the live server, sending the CSRF header on writes like the web app."""

    def __init__(self, base: str, username: str, password: str) -> None:
        import urllib.request

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.call("POST", "/api/auth/login", {"username": username, "password": password})

    def call(self, method: str, path: str, body: Any = None) -> Any:
        import urllib.request

        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        csrf = next((c.value for c in self.jar if c.name == "qualitas_csrf"), None)
        if csrf and method != "GET":
            headers["X-CSRF-Token"] = csrf
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with self.opener.open(req, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else None


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _characteristic(api: Api, code: str) -> dict[str, Any]:
    page = api.call("GET", f"/api/plant/characteristics?limit=5&q={code}")
    return next(c for c in page["items"] if c["code"] == code)


def _ago(**delta: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(**delta)


def _post_readings(
    api: Api, char_id: int, values: list[float], start: dt.datetime, source: str
) -> Any:
    rows = [
        {
            "characteristic_id": char_id,
            "value": round(v, 6),
            "source_ts": _iso(start + dt.timedelta(minutes=i)),
            "source_id": source,
            "seq": i,
        }
        for i, v in enumerate(values)
    ]
    report = api.call("POST", "/api/measurements", {"rows": rows})
    assert report["accepted"] == len(rows), report
    return report


def _in_control(n: int, center: float, sigma: float, phase: float = 0.0) -> list[float]:
    """Readings that break no Western Electric rule: alternating sides, within ±1.2 σ."""
    return [
        center + (1 if i % 2 else -1) * sigma * (0.3 + 0.9 * abs(math.sin(i + phase)))
        for i in range(n)
    ]


def _monitored(api: Api, code: str, center: float, sigma: float, plan: str, tag: str) -> int:
    """Phase I readings, an approved limit set with known centre and sigma, Phase II readings."""
    char_id = int(_characteristic(api, code)["id"])
    _post_readings(api, char_id, _in_control(60, center, sigma), _ago(hours=3), f"{tag}-p1")
    draft = api.call(
        "POST",
        "/api/spc/limit-sets",
        {
            "characteristic_id": char_id,
            "chart": "xbar.one",
            "subgroup_size": 1,
            "center": center,
            "std_dev": sigma,
            "nsigmas": 3,
            "rule_set": "western-electric",
            "run_length": 7,
            "reaction_plan": plan,
            "reason": "Initial study: 60 parts after tool change, known process values",
        },
    )
    approval = {"reason": "Phase I reviewed and accepted"}
    api.call("POST", f"/api/spc/limit-sets/{draft['id']}/approve", approval)
    _post_readings(api, char_id, _in_control(30, center, sigma, 0.5), _ago(minutes=45), f"{tag}-p2")
    return char_id


def _raise_alarm(api: Api, char_id: int, value: float, when: dt.datetime) -> int:
    """Posts one reading beyond the limits; returns the id of the alarm it raised."""
    report = _post_readings(api, char_id, [value], when, f"out-{uuid.uuid4().hex[:8]}")
    assert report["alarms_raised"] == 1, report
    raised = api.call("GET", f"/api/spc/alarms?characteristic_id={char_id}&status=raised")
    return int(raised[0]["id"])


@dataclass(frozen=True)
class Seeded:
    char_id: int
    alarm_id: int
    second_char_id: int
    tablet_char_id: int


@pytest.fixture(scope="module")
def seeded(live_server: str, qe_credentials: Creds) -> Seeded:
    api = Api(live_server, *qe_credentials)
    run = uuid.uuid4().hex[:8]
    char_id = _monitored(api, CHAR_CODE, CENTER, SIGMA, REACTION_PLAN, f"bore-{run}")
    # A capable SC characteristic for the Cpk table, and torque for the operator's test
    # (a characteristic has at most one open alarm).
    second_id = _monitored(api, SECOND_CODE, 120.0, 0.02, "Check the height gauge.", f"len-{run}")
    torque_id = _monitored(api, TABLET_CODE, 24.0, 0.3, "Re-torque the lot.", f"tq-{run}")
    # One reading far above the UCL (25.009) raises an alarm.
    alarm_id = _raise_alarm(api, char_id, 25.0215, _ago(minutes=12))
    return Seeded(char_id, alarm_id, second_id, torque_id)


def _open_board(page: Page) -> None:
    tid(page, "nav-spc-board").click()
    tid(page, "spc-board").wait_for()
    tid(page, "board-site-SUZ").wait_for()


def test_board_alarm_lifecycle(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds, seeded: Seeded
) -> None:
    sign_in(page, live_server, *qe_credentials)
    _open_board(page)

    # The line of the characteristic is red (with words, not colour alone); the alarm is listed.
    tile = tid(page, "line-tile-L1")
    expect_attribute(tile, "data-status", "red")
    contains(tile, "Open alarm")
    row = tid(page, f"alarm-row-{seeded.alarm_id}")
    contains(row, "1 point beyond 3σ")
    contains(row, CHAR_CODE)
    contains(row, "Stop the line")
    contains(row.get_by_test_id("alarm-age"), re.compile(r"^\d+ (s|min)$"))
    expect_attribute(tid(page, "live-indicator"), "data-state", "live")
    tid(page, "pareto-chart").locator("canvas").first.wait_for()
    contains(tid(page, f"cpk-row-{SECOND_CODE}"), "capable")
    page.wait_for_timeout(400)
    shot(page, screenshots, "spc-01-board")
    page.screenshot(path=str(screenshots / "spc-01-board-full.png"), full_page=True)

    # Acknowledge: the line turns amber.
    tid(page, f"ack-{seeded.alarm_id}").click()
    contains(row, "Acknowledged")
    expect_attribute(tile, "data-status", "amber")
    contains(tid(page, "kpis-SUZ").get_by_test_id("kpi-acknowledged"), "1")

    # Resolve with cause and action: the alarm leaves the board and the line is green again.
    tid(page, f"resolve-{seeded.alarm_id}").click()
    tid(page, "resolve-dialog").wait_for()
    tid(page, "resolve-cause").fill(CAUSE)
    tid(page, "resolve-action").fill(ACTION)
    shot(page, screenshots, "spc-02-resolve")
    tid(page, "resolve-confirm").click()
    row.wait_for(state="detached")
    expect_attribute(tile, "data-status", "green")

    # The alarm's full record: who and when for each step.
    tid(page, "nav-spc-alarms").click()
    record = tid(page, f"alarm-record-{seeded.alarm_id}")
    contains(record, "Resolved")
    contains(record.get_by_test_id("step-acknowledged"), qe_credentials[0])
    contains(record.get_by_test_id("step-resolved"), qe_credentials[0])
    contains(record.get_by_test_id("alarm-cause"), CAUSE)
    contains(record.get_by_test_id("alarm-action"), ACTION)
    shot(page, screenshots, "spc-03-alarms")

    # The control chart marks the violating point and names its rule.
    record.get_by_role("link", name=CHAR_CODE).click()
    chart = tid(page, "control-chart")
    chart.locator("canvas").first.wait_for()
    assert int(chart.get_attribute("data-violations") or "0") >= 1
    assert chart.get_attribute("data-phase1") == "60"  # the study before Phase II
    contains(tid(page, "phase1-note"), "Phase I: 60 points")
    contains(tid(page, "phase1-note"), "reproduced from the stored readings")
    marker = tid(page, "violation-marker").first
    contains(marker, "1 point beyond 3σ")
    contains(marker, "WE1")
    contains(tid(page, "limit-set-1"), "Active")
    contains(tid(page, "limit-set-1"), "Initial study")
    # Hovering the last (red) point shows the rule in the chart's tooltip.
    box = chart.bounding_box()
    assert box is not None
    for dx in range(20, 90, 4):  # from the right edge inwards to the last point
        page.mouse.move(box["x"] + box["width"] - dx, box["y"] + box["height"] / 2)
        if "(WE1)" in chart.inner_text():
            break
    contains(chart, "1 point beyond 3σ (WE1)")
    shot(page, screenshots, "spc-04-chart")

    # A new limit set is proposed as a draft; field errors come back at the field.
    tid(page, "new-limit-set").click()
    tid(page, "limit-set-drawer").wait_for()
    tid(page, "ls-source-known").check()
    tid(page, "ls-reason").fill("Re-centred after the insert change")
    tid(page, "ls-submit").click()
    contains(tid(page, "error-center"), "Required.")
    tid(page, "ls-center").fill("25.001")
    tid(page, "ls-std-dev").fill("0")
    tid(page, "ls-submit").click()
    contains(tid(page, "error-std_dev"), "Sigma must be greater than 0.")
    shot(page, screenshots, "spc-05-new-limit-set")
    tid(page, "ls-std-dev").fill("0.0028")
    tid(page, "ls-submit").click()
    tid(page, "limit-set-drawer").wait_for(state="detached")
    contains(tid(page, "limit-set-2"), "Draft")

    # Approving the draft (with a reason) makes it active and supersedes revision 1.
    tid(page, "approve-2").click()
    tid(page, "dialog-reason").fill("Re-centred process verified on 30 parts")
    tid(page, "reason-confirm").click()
    contains(tid(page, "limit-set-2"), "Active")
    contains(tid(page, "limit-set-1"), "Superseded")
    contains(tid(page, "limit-set-2"), "Approved")

    # Capability study of the same characteristic.
    tid(page, "tab-capability").click()
    tid(page, "capability-chart").locator("canvas").first.wait_for()
    contains(tid(page, "index-Cp_k"), ".")
    contains(tid(page, "normality"), "Shapiro")
    tid(page, "out-of-spec").wait_for()
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-06-capability")

    # Simplified Chinese: headings and rule texts are translated.
    tid(page, "lang-switch").select_option("zh-CN")
    contains(tid(page, "capability-title"), "过程能力")
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-07-capability-zh")
    tid(page, "tab-chart").click()
    contains(tid(page, "chart-title"), "控制图")
    contains(tid(page, "violation-marker").first, "1 点超出 3σ")
    tid(page, "control-chart").locator("canvas").first.wait_for()
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-08-chart-zh")
    tid(page, "nav-spc-board").click()
    contains(page.locator("h1"), "质量看板")
    contains(tid(page, "nav-spc-board"), "质量看板")
    tid(page, "pareto-chart").locator("canvas").first.wait_for()
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-09-board-zh")


def test_operator_on_tablet(
    tablet_page: Page, live_server: str, screenshots: Path, qe_credentials: Creds, seeded: Seeded
) -> None:
    """An operator on a tablet sees a new alarm on the board and can act on it, but cannot
    propose limit sets."""
    api = Api(live_server, *qe_credentials)
    alarm_id = _raise_alarm(api, seeded.tablet_char_id, 22.9, _ago(minutes=3))  # LCL 23.1

    page = tablet_page
    sign_in(page, live_server, *OPERATOR)
    page.goto(f"{live_server}/spc/board")
    row = tid(page, f"alarm-row-{alarm_id}")
    contains(row, "1 point beyond 3σ")
    expect_attribute(tid(page, "line-tile-L1"), "data-status", "red")
    tid(page, f"ack-{alarm_id}").wait_for()
    page.wait_for_timeout(400)
    shot(page, screenshots, "spc-10-board-tablet")
    page.screenshot(path=str(screenshots / "spc-10-board-tablet-full.png"), full_page=True)

    tid(page, f"ack-{alarm_id}").click()
    contains(row, "Acknowledged")

    page.goto(f"{live_server}/spc/chart/{seeded.char_id}")
    tid(page, "control-chart").locator("canvas").first.wait_for()
    tid(page, "limit-set-1").wait_for()
    assert tid(page, "new-limit-set").count() == 0, "operators must not propose limit sets"
    assert page.locator("[data-testid^=approve-]").count() == 0
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-11-chart-tablet")

    page.goto(f"{live_server}/spc/capability/{seeded.char_id}")
    tid(page, "capability-chart").locator("canvas").first.wait_for()
    tid(page, "lang-switch").select_option("zh-CN")
    contains(tid(page, "capability-title"), "过程能力")
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-12-capability-tablet-zh")

    page.goto(f"{live_server}/spc/characteristics")
    tid(page, "spc-search").fill(CHAR_CODE)
    tid(page, f"spc-char-{SECOND_CODE}").wait_for(state="detached")
    tid(page, f"spc-char-{CHAR_CODE}").wait_for()
    contains(page.locator("h1"), "控制图与过程能力")
    shot(page, screenshots, "spc-13-characteristics-tablet-zh")


def test_acknowledge_with_a_note_on_the_alarms_page(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds, seeded: Seeded
) -> None:
    """The alarms page names the characteristic and the reading time; acknowledging may carry
    a note, which the alarm keeps."""
    api = Api(live_server, *qe_credentials)
    alarm_id = _raise_alarm(api, seeded.char_id, 25.0225, _ago(minutes=7))
    sign_in(page, live_server, *qe_credentials)
    page.goto(f"{live_server}/spc/alarms")
    record = tid(page, f"alarm-record-{alarm_id}")
    contains(record, CHAR_CODE)
    contains(record.get_by_test_id("alarm-point-ts"), "Reading")
    tid(page, f"ack-note-{alarm_id}").click()
    tid(page, "ack-dialog").wait_for()
    tid(page, "ack-note").fill("Checking the boring bar first")
    tid(page, "ack-confirm").click()
    tid(page, "ack-dialog").wait_for(state="detached")
    contains(record, "Acknowledged")
    contains(record.get_by_test_id("alarm-ack-note"), "Checking the boring bar first")
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-15-alarms-ack-note")
    tid(page, "lang-switch").select_option("zh-CN")
    contains(record.get_by_test_id("alarm-ack-note"), "备注")
    contains(record.get_by_test_id("alarm-point-ts"), "读数时间")
    page.wait_for_timeout(300)
    shot(page, screenshots, "spc-16-alarms-zh")
    body = {"cause": "Boring bar loose", "action": "Tightened and re-measured"}
    api.call("POST", f"/api/spc/alarms/{alarm_id}/resolve", body)


def test_board_polls_when_the_stream_fails(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds, seeded: Seeded
) -> None:
    """Without the event stream the board says so and still updates (polling every 5 s)."""
    page.route("**/api/spc/board/stream", lambda route: route.abort())
    sign_in(page, live_server, *qe_credentials)
    _open_board(page)
    expect_attribute(tid(page, "live-indicator"), "data-state", "reconnecting")

    api = Api(live_server, *qe_credentials)
    _raise_alarm(api, seeded.second_char_id, 120.25, _ago(minutes=1))  # UCL 120.06
    row = tid(page, "open-alarms").locator("tr", has_text=SECOND_CODE)
    contains(row, "1 point beyond 3σ", timeout_ms=15_000)
    shot(page, screenshots, "spc-14-board-polling")


def contains(locator: Any, text: str | re.Pattern[str], timeout_ms: float = 5_000) -> None:
    """Waits until the element's text contains ``text``."""
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=timeout_ms)


def expect_attribute(locator: Any, name: str, value: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_have_attribute(name, value)
