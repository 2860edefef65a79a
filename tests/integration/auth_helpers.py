"""Helpers shared by the authentication tests: a controllable clock, throw-away users."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import unique

PASSWORD = "Harbor-Lantern-quiet-42"


class Clock:
    """Stands in for ``qualitas.auth.clock.utcnow``; tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def problem(r: Any) -> tuple[int, str | None]:
    return r.status_code, r.json().get("code")


def new_user(as_user: Any, **extra: Any) -> dict[str, Any]:
    """A fresh user created by the demo admin (never a shared demo user)."""
    name = unique("u").lower()
    body = {
        "username": name,
        "full_name": f"Test {name}",
        "password": PASSWORD,
        "must_change_password": False,
        **extra,
    }
    r = as_user("admin").post("/api/admin/users", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())
