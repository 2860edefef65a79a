"""Master-data list API vs the raw SQL it runs.

``GET /api/plant/characteristics?limit=50&sort=-code[&q=...]`` goes through the whole stack:
FastAPI TestClient (ASGI in-process), session-cookie authentication, the site-scoped
permission check, the generic Resource query (count + page) and response serialisation.
The baseline replays the exact statements and parameters the endpoint sends for the records
(count and page, captured from one call) through the database driver directly. The caller
is a quality engineer of one site, so the site filter is in play.
"""

from __future__ import annotations

import warnings
from typing import Any

from bench_import import add_sites
from common import Row, paired
from sqlalchemy import event, insert

from qualitas.app import create_app
from qualitas.auth import service as auth_service
from qualitas.auth.models import RoleGrant, User
from qualitas.db import Database, utcnow
from qualitas.plant.models import Characteristic

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

USERNAME, PASSWORD = "bench.qe", "bench correct horse battery staple"
NAMES = [
    "Bore diameter",
    "Overall length",
    "Surface roughness Ra",
    "Tightening torque",
    "Leak rate",
    "Visual defects",
    "Wall thickness",
    "Thread depth",
]


def load(db: Database, n: int) -> None:
    """``n`` characteristics split over two sites, plus a QE of the first site."""
    sites = add_sites(db)
    now = utcnow()
    rows = []
    for i in range(n):
        site = sites["SUZ"] if i % 2 == 0 else sites["STR"]
        rows.append(
            {
                "site_id": site,
                "code": f"C-{i:06d}",
                "name": f"{NAMES[i % len(NAMES)]} {i % 97}",
                "operation": f"OP{10 * (1 + i % 6)}",
                "kind": "variable",
                "unit": "mm",
                "nominal": 10.0,
                "lsl": 9.9,
                "usl": 10.1,
                "special_class": "none",
                "description": f"Characteristic {i} of part family {i % 311}",
                "status": "active",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    with db.engine.begin() as conn:
        for start in range(0, n, 10_000):
            conn.execute(insert(Characteristic), rows[start : start + 10_000])
        user_id = conn.execute(
            insert(User)
            .values(
                username=USERNAME,
                full_name="Bench QE",
                locale="en",
                created_at=now,
                updated_at=now,
                version=1,
                password_hash=auth_service.hash_password(PASSWORD),
                password_changed_at=now,
                must_change_password=False,
                active=True,
                failed_attempts=0,
                mfa_enabled=False,
            )
            .returning(User.id)
        ).scalar_one()
        conn.execute(
            insert(RoleGrant).values(
                user_id=user_id, role="quality_engineer", site_id=sites["SUZ"], granted_at=now
            )
        )


def captured_sql(app: Any, client: TestClient, params: dict[str, Any]) -> list[tuple[str, Any]]:
    """The driver-level statements and parameters one API call runs on the characteristics."""
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "plant_characteristic" in statement:
            seen.append((statement, parameters))

    engine = app.state.db.engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        assert client.get("/api/plant/characteristics", params=params).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    return seen


def run_raw(db: Database, statements: list[tuple[str, Any]], requests: int) -> None:
    conn = db.engine.raw_connection()
    try:
        cur = conn.cursor()
        for _ in range(requests):
            for statement, parameters in statements:
                cur.execute(statement, parameters)
                rows = cur.fetchall()
        assert len(rows) == 50
        conn.rollback()
    finally:
        conn.close()


def run_api(client: TestClient, params: dict[str, Any], requests: int) -> None:
    for _ in range(requests):
        r = client.get("/api/plant/characteristics", params=params)
        assert r.status_code == 200 and len(r.json()["items"]) == 50, r.text[:200]


def bench_list(db: Database, backend: str, n: int, requests: int, repeats: int) -> list[Row]:
    load(db, n)
    app = create_app(db.url.render_as_string(hide_password=False), dispatch=False)
    out = []
    with TestClient(app, base_url="https://testserver") as client:
        r = client.post("/api/auth/login", json={"username": USERNAME, "password": PASSWORD})
        assert r.status_code == 200, r.text
        for q in (None, "bore"):
            params = {"limit": 50, "sort": "-code", **({"q": q} if q else {})}
            statements = captured_sql(app, client, params)
            assert len(statements) == 2, statements  # count + page
            run_api(client, params, 2)  # warm caches (compiled SQL, page cache) on both sides
            run_raw(db, statements, 2)
            t_api, t_raw = paired(
                lambda p=params: run_api(client, p, requests),
                lambda s=statements: run_raw(db, s, requests),
                repeats,
            )
            query = "&".join(f"{k}={v}" for k, v in params.items())
            out.append(
                Row(
                    "list API",
                    f"{backend}: {n:,} characteristics, `{query}`",
                    "GET /api/plant/characteristics",
                    requests / t_api,
                    "same count + page SQL via the driver",
                    requests / t_raw,
                    "requests/s",
                )
            )
    return out
