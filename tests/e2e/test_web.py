"""The web app in a real browser: sign in, create and find a characteristic, edit it with a
reason, read its history, switch to Simplified Chinese; each step leaves a screenshot in
var/screenshots/."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

Page = Any  # playwright.sync_api.Page; kept loose so collection works without Playwright
Creds = tuple[str, str]


def tid(page: Page, name: str) -> Any:
    return page.get_by_test_id(name)


def shot(page: Page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=False)


def sign_in(page: Page, base: str, username: str, password: str, lang: str = "en") -> None:
    page.goto(f"{base}/login")
    # An explicit choice is remembered and wins over the language of the user's profile.
    tid(page, "lang-switch").select_option(lang)
    tid(page, "login-username").fill(username)
    tid(page, "login-password").fill(password)
    tid(page, "login-submit").click()
    tid(page, "user-menu").wait_for()
    assert tid(page, "forced-password-change").count() == 0, "demo user must keep its password"


def choose_first_option(select: Any) -> str:
    """Selects the first real option of a picker once its options have loaded."""
    select.locator("option:not([value=''])").first.wait_for(state="attached")
    value = select.locator("option:not([value=''])").first.get_attribute("value")
    assert value, "no option to choose"
    select.select_option(value)
    return value


def grid_cell(page: Page, column: str, text: str) -> Any:
    return tid(page, "grid").locator(f".ag-row [col-id='{column}']", has_text=text)


def test_login_rejects_wrong_password(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    page.goto(f"{live_server}/login")
    tid(page, "lang-switch").select_option("en")
    tid(page, "login-username").fill(qe_credentials[0])
    tid(page, "login-password").fill("not-the-password")
    tid(page, "login-submit").click()
    # Translated from the problem's `code` (invalid_credentials).
    expect_text(tid(page, "login-error"), "Wrong username or password.")
    shot(page, screenshots, "00-login-error")
    # The message follows a change of language.
    tid(page, "lang-switch").select_option("zh-CN")
    expect_text(tid(page, "login-error"), "用户名或密码错误。")


def test_characteristic_lifecycle(
    page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    code = f"E2E-{uuid.uuid4().hex[:6].upper()}"
    name = "E2E bore diameter"
    new_name = "E2E bore diameter rev B"
    reason = "Drawing revision B renames the feature"

    # 1. Sign in.
    page.goto(f"{live_server}/login")
    tid(page, "login-username").wait_for()
    shot(page, screenshots, "01-login")
    sign_in(page, live_server, *qe_credentials)
    expect_text(tid(page, "nav-characteristics"), "Characteristics")
    tid(page, "plant-tree").wait_for()
    shot(page, screenshots, "02-home")

    # 2. Characteristics table.
    tid(page, "nav-characteristics").click()
    tid(page, "grid").locator(".ag-root").wait_for()
    page.wait_for_timeout(300)
    shot(page, screenshots, "03-characteristics")

    # 3. Create one through the form.
    tid(page, "new-button").click()
    drawer = tid(page, "drawer")
    drawer.wait_for()
    choose_first_option(tid(page, "field-item_id"))
    tid(page, "field-code").fill(code)
    tid(page, "field-name").fill(name)
    tid(page, "field-kind").select_option("variable")
    tid(page, "field-special_class").select_option("CC")
    tid(page, "field-unit").fill("mm")
    tid(page, "field-nominal").fill("10")
    tid(page, "field-lsl").fill("9.95")
    tid(page, "field-usl").fill("10.05")
    shot(page, screenshots, "04-create-form")
    tid(page, "save-button").click()
    # After creating, the drawer shows the new record with its history.
    tid(page, "history-entry").first.wait_for()
    tid(page, "drawer-close").click()
    drawer.wait_for(state="detached")

    # 4. Find it with the search box.
    tid(page, "search-input").fill(code)
    cell = grid_cell(page, "code", code)
    cell.wait_for()
    assert tid(page, "grid").locator(".ag-row [col-id='special_class']", has_text="CC").count() >= 1
    shot(page, screenshots, "05-search")

    # 5. Open it: the history panel shows the create entry.
    cell.click()
    tid(page, "drawer").wait_for()
    history = tid(page, "history-panel")
    history.locator("[data-testid='history-entry']").first.wait_for()
    entries = history.locator("[data-testid='history-entry']")
    assert entries.count() == 1
    assert re.search(r"creat|insert|add", entries.first.get_attribute("data-action") or "", re.I)
    assert tid(page, "field-code").input_value() == code
    history.scroll_into_view_if_needed()
    shot(page, screenshots, "06-history-created")

    # 6. Edit with a reason: history shows old → new and the reason.
    tid(page, "field-name").fill(new_name)
    tid(page, "field-reason").fill(reason)
    tid(page, "save-button").click()
    change = history.locator("[data-testid='history-change']", has_text=f"{name} → {new_name}")
    change.wait_for()
    assert entries.count() == 2
    assert reason in entries.first.inner_text()
    assert tid(page, "field-name").input_value() == new_name
    change.scroll_into_view_if_needed()
    shot(page, screenshots, "07-history-updated")

    # 7. Simplified Chinese: navigation, grid and drawer are translated.
    tid(page, "lang-switch").select_option("zh-CN")
    expect_text(tid(page, "nav-characteristics"), "质量特性")
    expect_text(tid(page, "nav-plant-tree"), "工厂结构")
    expect_text(history.locator("h3"), "变更历史")
    history.scroll_into_view_if_needed()
    shot(page, screenshots, "08-zh-drawer")
    tid(page, "drawer-close").click()
    grid_cell(page, "code", code).wait_for()
    assert "搜索" in (tid(page, "search-input").get_attribute("placeholder") or "")
    shot(page, screenshots, "09-zh-characteristics")

    # The choice survives a reload.
    page.reload()
    expect_text(tid(page, "nav-characteristics"), "质量特性")


def expect_text(locator: Any, text: str) -> None:
    locator.wait_for()
    assert locator.inner_text().strip() == text, f"{locator.inner_text()!r} != {text!r}"


def test_tablet_layout(
    tablet_page: Page, live_server: str, screenshots: Path, qe_credentials: Creds
) -> None:
    page = tablet_page
    sign_in(page, live_server, *qe_credentials)
    # On a tablet the navigation starts closed and opens over the content.
    assert not tid(page, "side-nav").is_visible()
    shot(page, screenshots, "10-tablet-closed")
    tid(page, "nav-toggle").click()
    tid(page, "side-nav").wait_for()
    shot(page, screenshots, "11-tablet-nav")
    for name in ("nav-toggle", "nav-gauges", "lang-switch", "site-select"):
        box = tid(page, name).bounding_box()
        assert box and box["height"] >= 40, f"{name} is {box} — too small to touch"
    tid(page, "nav-gauges").click()
    assert not tid(page, "side-nav").is_visible()
    tid(page, "grid").locator(".ag-root").wait_for()
    page.wait_for_timeout(300)
    shot(page, screenshots, "12-tablet-gauges")
