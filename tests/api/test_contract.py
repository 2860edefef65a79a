"""The HTTP contract: OpenAPI document, problem+json errors, web app serving."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qualitas.app import create_app
from qualitas.config import get_settings
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = {("/api/health", "get"), ("/api/auth/login", "post")}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app("sqlite://", dispatch=False).openapi()


def test_web_client_is_generated_from_the_current_contract(spec: dict[str, Any]) -> None:
    committed = json.loads((ROOT / "web" / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(spec)), "run `make openapi` and `npm run gen:api`"


def test_every_operation_declares_authentication(spec: dict[str, Any]) -> None:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if (path, method) in PUBLIC:
                continue
            schemes = {name for req in op.get("security", []) for name in req}
            assert {"HTTPBearer", "APIKeyCookie"} <= schemes, f"{method} {path}"


def test_list_operations_are_paged(spec: dict[str, Any]) -> None:
    for path, ops in spec["paths"].items():
        get = ops.get("get")
        if not get or "{" in path or not path.startswith("/api/plant/") or path.endswith(".xlsx"):
            continue
        if path == "/api/plant/tree":
            continue
        params = {p["name"] for p in get.get("parameters", [])}
        assert {"limit", "offset", "sort", "q"} <= params, path


def test_problem_json_for_framework_errors(demo_app: Any, as_user: Any) -> None:
    client = client_for(demo_app)
    r = client.get("/api/nowhere")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    api = as_user("qe.a")
    r = api.request("DELETE", "/api/plant/characteristics/1")
    assert r.status_code == 405 and r.json()["status"] == 405
    r = api.post(
        "/api/plant/characteristics",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "json_invalid"
    r = api.get("/api/plant/characteristics/99999999999")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "record_id"
    r = api.get("/api/plant/characteristics/999999")
    assert r.status_code == 404 and r.json()["title"] == "Not found"


def test_health_is_public(demo_app: Any) -> None:
    r = client_for(demo_app).get("/api/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_serves_the_web_app_with_spa_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_url: str
) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    monkeypatch.setenv("QUALITAS_WEB_DIST", str(dist))
    get_settings.cache_clear()
    try:
        client = client_for(create_app(demo_url, dispatch=False))
        assert client.get("/").text.startswith("<!doctype html>")
        assert client.get("/plant/characteristics").text.startswith("<!doctype html>")
        assert client.get("/assets/app.js").text == "console.log(1)"
        assert client.get("/../pyproject.toml").text.startswith("<!doctype html>")
        assert client.get("/api/unknown").status_code == 404
    finally:
        get_settings.cache_clear()
