"""The quality board live, fed by the demo plant simulator: the simulator (the same thread
`qualitas serve --simulate` runs) writes readings into the live server's database; an alarm it
raises appears on the open board without a reload, pushed over the event stream, and the quality
engineer acknowledges it there. Screenshot: var/screenshots/spc-20-simulator-alarm.png."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qualitas.cli_spc import start_simulator
from qualitas.demo import data
from tests.e2e.test_spc import Api, Creds, contains, expect_attribute
from tests.e2e.test_web import shot, sign_in, tid

pytestmark = pytest.mark.e2e

Page = Any
SIMULATED = [code for code, *_ in data.SPC_SCENARIOS if code.startswith(("P-PMP", "P-HSG"))]


def _open_alarms(api: Api, char_ids: dict[int, str]) -> list[dict[str, Any]]:
    found = []
    for status in ("raised", "acknowledged"):
        for char_id in char_ids:
            found += api.call("GET", f"/api/spc/alarms?characteristic_id={char_id}&status={status}")
    return found


@pytest.fixture
def simulated_chars(live_server: str, qe_credentials: Creds) -> dict[int, str]:
    """The Suzhou characteristics the simulator feeds, with no alarm open (so that the
    simulator's own violations raise new ones)."""
    api = Api(live_server, *qe_credentials)
    chars = {}
    for code in SIMULATED:
        page = api.call("GET", f"/api/plant/characteristics?limit=5&q={code}")
        chars[int(next(c for c in page["items"] if c["code"] == code)["id"])] = code
    for alarm in _open_alarms(api, chars):
        body = {"cause": "Closed before the live test", "action": "None needed"}
        api.call("POST", f"/api/spc/alarms/{alarm['id']}/resolve", body)
    assert _open_alarms(api, chars) == []
    return chars


@pytest.fixture
def simulator(live_database_url: str, simulated_chars: dict[int, str]) -> Iterator[None]:
    thread = start_simulator(live_database_url, interval=0.25)  # a simulated second per tick
    try:
        yield
    finally:
        thread.stop()


def test_simulator_alarm_acknowledged_live_on_the_board(
    page: Page,
    live_server: str,
    screenshots: Path,
    qe_credentials: Creds,
    simulated_chars: dict[int, str],
    simulator: None,
) -> None:
    sign_in(page, live_server, *qe_credentials)
    tid(page, "nav-spc-board").click()
    tid(page, "spc-board").wait_for()
    expect_attribute(tid(page, "live-indicator"), "data-state", "live")
    page.evaluate("window.__boardOpened = true")  # gone if the page reloads

    # Wait for the simulator's shift, drift or drifting gauge to raise an alarm.
    api = Api(live_server, *qe_credentials)
    deadline, alarm = time.monotonic() + 60, None
    while alarm is None and time.monotonic() < deadline:
        raised = _open_alarms(api, simulated_chars)
        alarm = raised[0] if raised else None
        time.sleep(0.5)
    assert alarm is not None, "the simulator raised no alarm within a minute"
    code = simulated_chars[alarm["characteristic_id"]]

    # It reaches the open board by itself, with its characteristic and reaction plan.
    row = tid(page, f"alarm-row-{alarm['id']}")
    row.wait_for(timeout=15_000)
    contains(row, code)
    contains(row, "Stop the operation")
    assert page.evaluate("window.__boardOpened === true"), "the board was reloaded"
    shot(page, screenshots, "spc-20-simulator-alarm")

    tid(page, f"ack-{alarm['id']}").click()
    contains(row, "Acknowledged")
    stored = api.call("GET", f"/api/spc/alarms?characteristic_id={alarm['characteristic_id']}")
    mine = next(a for a in stored if a["id"] == alarm["id"])
    assert mine["status"] == "acknowledged" and mine["acknowledged_by"] == qe_credentials[0]
    assert mine["raised_at"] <= mine["acknowledged_at"]
