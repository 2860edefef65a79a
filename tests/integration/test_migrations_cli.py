"""Migrations run unchanged on SQLite and PostgreSQL; CLI commands and their exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select
from typer.testing import CliRunner

from qualitas import migrate
from qualitas.auth.models import User
from qualitas.cli import app as cli
from qualitas.db import Database
from qualitas.ledger.models import AuditEntry
from qualitas.models import Base
from qualitas.plant.models import Characteristic, PlantNode

runner = CliRunner()


def _head() -> str:
    from alembic.script import ScriptDirectory

    from qualitas.config import ROOT

    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    assert head is not None
    return head


HEAD = _head()


def test_migrations_match_the_models(fresh_url: str) -> None:
    db = Database(fresh_url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"audit_entry", "auth_user", "plant_characteristic", "event_outbox"} <= tables
    assert migrate.current(db) == HEAD
    migrate.upgrade(db)  # idempotent
    db.dispose()


def test_db_upgrade_command(backend: str, request: Any, tmp_path_factory: Any) -> None:
    from tests.conftest import new_url

    url = new_url(backend, request, tmp_path_factory)
    result = runner.invoke(cli, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert f"revision {HEAD}" in result.output


def test_demo_is_complete_and_safe_to_run_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    for _ in range(2):
        result = runner.invoke(cli, ["demo", "--database-url", url])
        assert result.exit_code == 0, result.output
    assert "qe.a" in result.output and "Demo-QE-A-2026!" in result.output
    db = Database(url)
    with db.session(write=False) as s:
        rows = s.execute(select(PlantNode.level, func.count()).group_by(PlantNode.level))
        levels = dict(rows.all())
        assert levels == {"enterprise": 1, "site": 2, "area": 4, "line": 4, "station": 12}
        assert s.scalar(select(func.count()).select_from(Characteristic)) == 60
        assert s.scalar(select(func.count()).select_from(User)) == 8
    db.dispose()
    verify = runner.invoke(cli, ["audit", "verify", "--database-url", url])
    assert verify.exit_code == 0 and "OK" in verify.output


def test_demo_refuses_to_wipe_postgres_without_force(pg_databases: Any) -> None:
    url = pg_databases.new()
    result = runner.invoke(cli, ["demo", "--database-url", url])
    assert result.exit_code == 2 and "--force" in result.output
    result = runner.invoke(cli, ["demo", "--database-url", url, "--force"])
    assert result.exit_code == 0, result.output


def test_user_create_and_bad_input(fresh_url: str) -> None:
    ok = runner.invoke(
        cli,
        [
            "user",
            "create",
            "lena",
            "--full-name",
            "Lena Wu",
            "--role",
            "inspector",
            "--database-url",
            fresh_url,
        ],
        env={"QUALITAS_NEW_USER_PASSWORD": "a long enough passphrase 42"},
    )
    assert ok.exit_code == 0, ok.output
    cases = [
        (["--role", "wizard"], "a long enough passphrase 42", "role"),
        (["--site", "NOPE"], "a long enough passphrase 42", "site"),
        ([], "short", "password"),
    ]
    for extra, password, field in cases:
        result = runner.invoke(
            cli,
            ["user", "create", "max", "--full-name", "Max", *extra, "--database-url", fresh_url],
            env={"QUALITAS_NEW_USER_PASSWORD": password},
        )
        assert result.exit_code == 2, (field, result.output)
        assert field in result.output
    db = Database(fresh_url)
    with db.session(write=False) as s:
        assert s.scalars(select(User.username)).all() == ["lena"]
    db.dispose()


def test_import_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imp.db'}"
    assert runner.invoke(cli, ["demo", "--database-url", url]).exit_code == 0
    good = tmp_path / "suppliers.csv"
    good.write_text(
        "site,code,name,country\nSUZ,S-9001,Ningbo Castings,CN\nSTR,S-9002,Acme DE,DE\n"
    )
    result = runner.invoke(
        cli, ["import", str(good), "--resource", "suppliers", "--database-url", url]
    )
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("site,code,name,country\nSUZ,S-9003,Fine,CN\nSUZ,S 9004,Bad code,China\n")
    result = runner.invoke(
        cli, ["import", str(bad), "--resource", "suppliers", "--database-url", url]
    )
    assert result.exit_code == 2
    assert "row 3: code" in result.output and "row 3: country" in result.output
    assert "nothing imported" in result.output
    result = runner.invoke(
        cli, ["import", str(good), "--resource", "suppliers", "--as", "qe.b", "--database-url", url]
    )
    assert result.exit_code == 2 and "row 2" in result.output  # qe.b may not write SUZ
    for args, field in (
        ([str(bad), "--resource", "widgets"], "resource"),
        ([str(tmp_path / "none.csv"), "--resource", "suppliers"], "file"),
    ):
        result = runner.invoke(cli, ["import", *args, "--database-url", url])
        assert result.exit_code == 2 and field in result.output
    db = Database(url)
    with db.session(write=False) as s:
        n = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity_type == "supplier", AuditEntry.action == "create")
        )
    assert n == 8 + 2
    db.dispose()


def test_openapi_command() -> None:
    result = runner.invoke(cli, ["openapi"])
    assert result.exit_code == 0
    assert '"/api/plant/characteristics"' in result.output


@pytest.fixture
def xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["site", "code", "name", "kind", "unit"])
    wb.active.append(["SUZ", "M-NEW", "New material", "material", "kg"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_command_xlsx(tmp_path: Path, xlsx_bytes: bytes) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert runner.invoke(cli, ["demo", "--database-url", url]).exit_code == 0
    path = tmp_path / "items.xlsx"
    path.write_bytes(xlsx_bytes)
    result = runner.invoke(cli, ["import", str(path), "--resource", "items", "--database-url", url])
    assert result.exit_code == 0 and "1 created" in result.output


def test_spc_compute_command(tmp_path: Path) -> None:
    case = Path(__file__).resolve().parents[1] / "reference" / "spc" / "u_pcmanufact.json"
    result = runner.invoke(cli, ["spc", "compute", str(case)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["center"] == 1.93 and out["beyond_limits"] == []
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"kind": "shewhart", "chart": "u", "input": {"counts": [1, 2]}, "params": {"nsigmas": 0}}'
    )
    result = runner.invoke(cli, ["spc", "compute", str(bad)])
    assert result.exit_code == 2 and "params.nsigmas" in result.output
    bad.write_text("{not json")
    result = runner.invoke(cli, ["spc", "compute", str(bad)])
    assert result.exit_code == 2 and "CASE.json" in result.output
    result = runner.invoke(cli, ["spc", "compute", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "CASE.json" in result.output


def test_demo_simulator_raises_alarms(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    assert runner.invoke(cli, ["demo", "--database-url", url]).exit_code == 0
    result = runner.invoke(
        cli, ["simulate", "--database-url", url, "--seconds", "3", "--interval", "0.05"]
    )
    assert result.exit_code == 0, result.output
    from qualitas.spc.models import Alarm, LimitSet

    db = Database(url)
    with db.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(LimitSet)) == 6
        assert s.scalar(select(func.count()).select_from(Alarm)) >= 2
    db.dispose()
