"""Property-based fuzzing of every operation in the OpenAPI contract: never a 5xx.

Runs on an isolated SQLite demo database as the global admin (the widest reach), with the
caller authenticated by bearer token. Every response must be < 500 and errors must be
problem+json.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from qualitas import migrate
from qualitas.app import create_app
from qualitas.db import Database
from qualitas.demo import loader
from tests.conftest import login


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'fuzz.db'}"
    db = Database(url)
    migrate.upgrade(db)
    with db.unit_of_work() as session:
        loader.load(session)
    db.dispose()
    app = create_app(url, dispatch=False)
    api = login(app, "admin")
    token = api.post("/api/auth/tokens", json={"name": "fuzz", "expires_in_days": 1}).json()
    app.state.fuzz_token = token["token"]
    return app


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app("sqlite://", dispatch=False)
    )
    return [
        f"{op.method.upper()} {op.path}" for op in (r.ok() for r in schema.get_all_operations())
    ]


OPERATIONS = _operations()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_server_errors(operation: str, fuzz_app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    method, path = operation.split(" ", 1)
    op = schema[path][method]
    headers = {"Authorization": f"Bearer {fuzz_app.state.fuzz_token}"}

    @given(case=op.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{operation}: {response.status_code} {response.text}"
        if response.status_code >= 400:
            content_type = response.headers.get("content-type")
            if isinstance(content_type, list):
                content_type = content_type[0]
            assert str(content_type).startswith("application/problem+json"), operation

    run()
