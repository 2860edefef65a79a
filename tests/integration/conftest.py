"""Fixtures of the integration tests (the shared ones live in tests/conftest.py)."""

from __future__ import annotations

import pytest

from qualitas.auth import clock as auth_clock
from tests.integration.auth_helpers import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Authentication's notion of "now", moved by the test instead of sleeping."""
    c = Clock()
    monkeypatch.setattr(auth_clock, "utcnow", c)
    return c
