"""`qualitas backup` / `qualitas restore`: consistent copies, verified on restore."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from qualitas import backup
from qualitas.cli import app as cli
from qualitas.db import Database
from qualitas.demo import loader
from qualitas.plant.models import Characteristic
from tests.conftest import new_url

runner = CliRunner()


def _count(url: str) -> int:
    db = Database(url)
    with db.session(write=False) as s:
        n = s.scalar(select(func.count()).select_from(Characteristic)) or 0
    db.dispose()
    return n


@pytest.fixture
def source(fresh_url: str) -> str:
    db = Database(fresh_url)
    with db.unit_of_work() as session:
        loader.load(session)
    db.dispose()
    return fresh_url


def test_backup_and_restore_round_trip(
    source: str,
    backend: str,
    request: Any,
    tmp_path: Path,
    tmp_path_factory: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attachments = tmp_path / "attachments"
    (attachments / "ncr").mkdir(parents=True)
    (attachments / "ncr" / "photo.jpg").write_bytes(b"\xff\xd8 photo")
    monkeypatch.setenv("QUALITAS_ATTACHMENTS_DIR", str(attachments))
    from qualitas.config import get_settings

    get_settings.cache_clear()
    archive = tmp_path / "qualitas-backup.tar.gz"
    try:
        result = runner.invoke(cli, ["backup", str(archive), "--database-url", source])
        assert result.exit_code == 0, result.output
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
        assert {"manifest.json", "attachments/ncr/photo.jpg"} <= names
        target = new_url(backend, request, tmp_path_factory)
        (attachments / "ncr" / "photo.jpg").unlink()
        result = runner.invoke(cli, ["restore", str(archive), "--database-url", target])
        assert result.exit_code == 0, result.output
        assert "verified" in result.output
        assert _count(target) == _count(source) == 60
        assert (attachments / "ncr" / "photo.jpg").read_bytes() == b"\xff\xd8 photo"
        verify = runner.invoke(cli, ["audit", "verify", "--database-url", target])
        assert verify.exit_code == 0
    finally:
        get_settings.cache_clear()


def test_corrupted_archive_is_rejected(source: str, tmp_path: Path) -> None:
    db = Database(source)
    archive = tmp_path / "b.tar.gz"
    backup.backup(db, tmp_path / "none", archive)
    work = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    db_file = next(p for p in work.iterdir() if p.name.startswith("database"))
    data = bytearray(db_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db_file.write_bytes(bytes(data))
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for p in work.iterdir():
            tar.add(p, arcname=p.name)
    result = runner.invoke(cli, ["restore", str(bad), "--database-url", source])
    assert result.exit_code == 2 and "checksum" in result.output
    result = runner.invoke(
        cli, ["restore", str(tmp_path / "missing.tar.gz"), "--database-url", source]
    )
    assert result.exit_code == 2 and "archive" in result.output
    db.dispose()


def test_restore_refuses_other_dialect(tmp_path: Path, pg_databases: Any) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert runner.invoke(cli, ["demo", "--database-url", url]).exit_code == 0
    archive = tmp_path / "a.tar.gz"
    assert runner.invoke(cli, ["backup", str(archive), "--database-url", url]).exit_code == 0
    result = runner.invoke(cli, ["restore", str(archive), "--database-url", pg_databases.new()])
    assert result.exit_code == 2 and "backup is sqlite, target is postgresql" in result.output
