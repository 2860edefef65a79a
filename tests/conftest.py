"""Shared fixtures: databases on SQLite and PostgreSQL, the demo plant, API clients per user.

Integration tests take the ``backend`` fixture and run once per backend. PostgreSQL tests use
the local server (QUALITAS_TEST_PG_URL, default postgresql+psycopg://root@127.0.0.1:5432/test)
and a fresh database per test session. Under CI (CI=true) an unreachable server is a failure.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

warnings.filterwarnings("ignore", message=".*httpx2.*")
# Cheap argon2id parameters keep the suite fast; production defaults are tested in test_policy.
os.environ.setdefault("QUALITAS_SECURITY__ARGON2_TIME_COST", "1")
os.environ.setdefault("QUALITAS_SECURITY__ARGON2_MEMORY_KIB", "1024")
# The official GS1 EPCIS schemas (test fixtures, never shipped): validate against them when present.
EPCIS_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "epcis" / "examples"
if EPCIS_EXAMPLES.is_dir():
    os.environ.setdefault("QUALITAS_TRACE__EPCIS_SCHEMA_DIR", str(EPCIS_EXAMPLES))

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import settings  # noqa: E402

# Tests assert behaviour, never timings: no per-example deadline (a loaded machine is slow).
settings.register_profile("qualitas", deadline=None)
settings.load_profile("qualitas")

from qualitas import migrate  # noqa: E402
from qualitas.app import create_app  # noqa: E402
from qualitas.db import Database  # noqa: E402
from qualitas.demo import data as demo_data  # noqa: E402
from qualitas.demo import loader  # noqa: E402

PG_URL = os.environ.get("QUALITAS_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORDS = {u[0]: u[4] for u in demo_data.USERS}
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"{exc.__class__.__name__}: {exc}"


def require_postgres() -> None:
    problem = _pg_available()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI but unreachable: {problem}")
        pytest.skip(f"PostgreSQL unreachable: {problem}")


class PgDatabases:
    """Creates throw-away databases on the local server and drops them at the end."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")

    def new(self) -> str:
        name = f"qualitas_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    require_postgres()
    dbs = PgDatabases()
    yield dbs
    dbs.close()


def new_url(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    if backend == "postgresql":
        pg: PgDatabases = request.getfixturevalue("pg_databases")
        return pg.new()
    path = tmp_path_factory.mktemp("db") / "qualitas.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        require_postgres()
    return str(request.param)


@pytest.fixture(scope="session")
def demo_url(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database with the demo plant loaded, shared by the tests of one backend."""
    url = new_url(backend, request, tmp_path_factory)
    db = Database(url)
    migrate.upgrade(db)
    with db.unit_of_work() as session:
        loader.load(session)
    db.dispose()
    return url


@pytest.fixture
def fresh_url(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """An empty, migrated database of its own."""
    url = new_url(backend, request, tmp_path_factory)
    db = Database(url)
    migrate.upgrade(db)
    db.dispose()
    return url


class Api:
    """A TestClient logged in as one user; adds the CSRF header to unsafe requests."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def _headers(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        headers = dict(kwargs.pop("headers", None) or {})
        csrf = self.client.cookies.get("qualitas_csrf")
        if csrf:
            headers.setdefault("X-CSRF-Token", csrf)
        return headers

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        return self.client.request(method, url, headers=self._headers(kwargs), **kwargs)

    def get(self, url: str, **kw: Any) -> Any:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.request("POST", url, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.request("PATCH", url, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.request("PUT", url, **kw)


@pytest.fixture(scope="session")
def demo_app(demo_url: str) -> Iterator[Any]:
    app = create_app(demo_url, dispatch=False)
    yield app
    app.state.db.dispose()


def client_for(app: Any) -> TestClient:
    return TestClient(app, base_url="https://testserver")


def login(app: Any, username: str, password: str | None = None) -> Api:
    client = client_for(app)
    r = client.post(
        "/api/auth/login", json={"username": username, "password": password or PASSWORDS[username]}
    )
    assert r.status_code == 200, r.text
    return Api(client)


@pytest.fixture(scope="session")
def as_user(demo_app: Any) -> Any:
    """``as_user("qe.a")`` -> an Api logged in as that demo user (cached per session)."""
    cache: dict[str, Api] = {}

    def get(username: str) -> Api:
        if username not in cache:
            cache[username] = login(demo_app, username)
        return cache[username]

    return get


@pytest.fixture(scope="session")
def site_ids(demo_app: Any, as_user: Any) -> dict[str, int]:
    sites = as_user("admin").get("/api/auth/me").json()["sites"]
    return {s["code"]: s["id"] for s in sites}


def unique(prefix: str = "T") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"
