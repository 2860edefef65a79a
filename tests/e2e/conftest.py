"""Fixtures for the browser tests: a demo database, a live server and Debian's Chromium.

The server is the real application (``uvicorn qualitas.app:create_app --factory``) on a free
port, over a fresh SQLite database filled by ``python -m qualitas.cli demo``. Set
``QUALITAS_E2E_URL`` to test a server that is already running instead (for example
``npm run dev`` in ``web/`` in front of a development backend).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

# Demo credentials of a quality engineer of site A (created by `qualitas.cli demo`).
QE_USERNAME = "qe.a"
QE_PASSWORD = "Demo-QE-A-2026!"

CHROMIUM = os.environ.get("QUALITAS_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
SCREENSHOTS = REPO / "var" / "screenshots"
STARTUP_TIMEOUT_S = 60
IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    """Outside CI a missing browser skips the e2e tests; under CI it is a failure."""
    if IN_CI:
        pytest.fail(f"e2e prerequisites missing under CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_health(url: str, proc: subprocess.Popen[bytes] | None, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            output = log.read_text(errors="replace")
            raise RuntimeError(f"server exited with {proc.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    output = log.read_text(errors="replace")
    raise RuntimeError(f"server not healthy after {STARTUP_TIMEOUT_S}s:\n{output}")


def _ensure_web_build() -> None:
    """The server serves web/dist; build it when it is missing and npm is there."""
    if (WEB / "dist" / "index.html").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("web/dist is not built and npm is not installed")
    if not (WEB / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    subprocess.run([npm, "run", "build"], cwd=WEB, check=True)


_LIVE_DATABASE: dict[str, str] = {}  # the database behind live_server, when started here


@pytest.fixture(scope="session")
def live_database_url(live_server: str) -> str:
    """The URL of the database the live server uses (to run the plant simulator against)."""
    if "url" not in _LIVE_DATABASE:
        _unavailable("the server at QUALITAS_E2E_URL was not started by the tests")
    return _LIVE_DATABASE["url"]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("QUALITAS_E2E_URL")
    if external:
        yield external.rstrip("/")
        return
    pytest.importorskip("qualitas.app", reason="the qualitas backend is not installed")
    _ensure_web_build()
    tmp = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{tmp / 'e2e.db'}"
    _LIVE_DATABASE["url"] = database_url
    # Plain http on 127.0.0.1: the session cookies must not be marked Secure.
    env = {
        **os.environ,
        "QUALITAS_DATABASE_URL": database_url,
        "QUALITAS_SECURITY__COOKIE_SECURE": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "qualitas.cli", "demo", "--database-url", database_url],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "qualitas.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for_health(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _new_page(browser: object, width: int, height: int) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, locale="en-US", timezone_id="Europe/Berlin"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A desktop-sized page in a fresh browser context (no cookies, no stored language)."""
    yield from _new_page(browser, 1366, 900)


@pytest.fixture
def tablet_page(browser: object) -> Iterator[object]:
    """A tablet-sized page (portrait, 820 px wide)."""
    yield from _new_page(browser, 820, 1180)


@pytest.fixture(scope="session")
def qe_credentials() -> tuple[str, str]:
    return QE_USERNAME, QE_PASSWORD
