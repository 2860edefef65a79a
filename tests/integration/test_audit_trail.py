"""Audit trail: append-only at the database level, tamper detection by `qualitas audit verify`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from qualitas import migrate
from qualitas.cli import app as cli
from qualitas.db import Database
from qualitas.demo import loader
from qualitas.ledger import service as ledger

runner = CliRunner()


@pytest.fixture
def loaded(fresh_url: str) -> str:
    db = Database(fresh_url)
    with db.unit_of_work() as session:
        loader.load(session)
    db.dispose()
    return fresh_url


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET reason = 'x' WHERE seq = 3",
        "DELETE FROM audit_entry WHERE seq = 3",
    ],
)
def test_database_rejects_update_and_delete(loaded: str, statement: str) -> None:
    db = Database(loaded)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    db.dispose()


def test_postgres_rejects_truncate(pg_databases: Any) -> None:
    db = Database(pg_databases.new())
    migrate.upgrade(db)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_entry CASCADE"))
    db.dispose()


def _drop_triggers(db: Database) -> None:
    """What an attacker with database superuser rights would do first."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.execute(text("DROP TRIGGER audit_entry_no_update"))
            conn.execute(text("DROP TRIGGER audit_entry_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_entry_append_only ON audit_entry"))


def test_verify_ok_then_names_the_tampered_entry(loaded: str) -> None:
    result = runner.invoke(cli, ["audit", "verify", "--database-url", loaded])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output
    db = Database(loaded)
    _drop_triggers(db)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_entry SET after = :after WHERE seq = 42"), {"after": '{"usl": 99}'}
        )
    db.dispose()
    result = runner.invoke(cli, ["audit", "verify", "--database-url", loaded])
    assert result.exit_code == 1
    assert "BROKEN at entry 42" in result.output
    assert "41 entries verified" in result.output


def test_deleted_entry_is_named(loaded: str) -> None:
    db = Database(loaded)
    _drop_triggers(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 10"))
    with db.session(write=False) as session:
        report = ledger.verify(session)
    db.dispose()
    assert report.first_break is not None and report.first_break.seq == 11


def test_reason_actor_and_time_are_recorded(
    as_user: Any, site_ids: dict[str, int], demo_app: Any
) -> None:
    api = as_user("qe.a")
    rec = api.post(
        "/api/plant/gauges",
        json={
            "site_id": site_ids["SUZ"],
            "code": "AUD-1",
            "name": "Gauge",
            "gauge_type": "Caliper",
            "calibration_interval_days": 30,
        },
    ).json()
    api.patch(
        f"/api/plant/gauges/{rec['id']}",
        json={"status": "quarantined", "version": 1, "reason": "Dropped on the floor"},
    )
    with demo_app.state.db.session(write=False) as session:
        entries = ledger.history(session, "gauge", rec["id"])
        assert [e.action for e in entries] == ["update", "create"]
        upd = entries[0]
        assert upd.actor_name == "qe.a" and upd.reason == "Dropped on the floor"
        assert upd.before["status"] == "in_service" and upd.after["status"] == "quarantined"
        assert upd.ts.tzinfo is not None and upd.site_id == site_ids["SUZ"]
        assert ledger.verify(session).ok


def test_verify_endpoint_for_auditors(as_user: Any) -> None:
    r = as_user("audit").get("/api/audit/verify")
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["checked"] > 200
    assert as_user("qe.a").get("/api/audit/verify").status_code == 403
