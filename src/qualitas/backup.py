"""Consistent online backup and verified restore of the database plus attachments.

SQLite is copied with the online backup API (a consistent snapshot while the app runs);
PostgreSQL with ``pg_dump`` (custom format, one snapshot). The archive is a .tar.gz holding
``manifest.json`` (audit head, entry count, file checksums), the database and ``attachments/``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualitas import __version__
from qualitas.db import Database, utcnow
from qualitas.errors import QualitasError, invalid
from qualitas.ledger import chain as ledger_chain
from qualitas.ledger import service as ledger

FORMAT = "qualitas-backup/1"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _pg_url(db: Database) -> str:
    return db.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _verify_sqlite_file(path: Path) -> ledger_chain.ChainReport:
    copy = Database(f"sqlite:///{path}")
    try:
        with copy.session(write=False) as session:
            return ledger.verify(session)
    finally:
        copy.dispose()


def _dump(db: Database, work: Path) -> tuple[str, ledger_chain.ChainReport]:
    """Copy the database and verify the audit chain of exactly that copy."""
    if db.is_sqlite:
        target = work / "database.sqlite"
        src = sqlite3.connect(str(db.url.database))
        dst = sqlite3.connect(str(target))
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
        return target.name, _verify_sqlite_file(target)
    target = work / "database.pgdump"
    opts = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with db.engine.connect().execution_options(**opts) as conn:
        # One snapshot for both the chain check and pg_dump: the manifest matches the dump.
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        with Session(bind=conn) as session:
            report = ledger.verify(session)
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target}",
                _pg_url(db),
            ],
            check=True,
            capture_output=True,
        )
        conn.rollback()
    return target.name, report


def backup(db: Database, attachments: Path, out: Path) -> dict[str, Any]:
    """Write a backup archive to ``out``; returns its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        name, head = _dump(db, work)
        if attachments.is_dir():
            shutil.copytree(attachments, work / "attachments")
        files = {
            p.relative_to(work).as_posix(): _sha256(p)
            for p in sorted(work.rglob("*"))
            if p.is_file()
        }
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "version": __version__,
            "dialect": db.engine.dialect.name,
            "database": name,
            "audit_entries": head.checked,
            "audit_head": head.head,
            "audit_ok": head.ok,
            "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w:gz") as tar:
            for p in sorted(work.iterdir()):
                tar.add(p, arcname=p.name)
    return manifest


def _extract(archive: Path, work: Path) -> dict[str, Any]:
    if not archive.is_file():
        raise invalid("archive", "not_found", f"{archive} does not exist")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        manifest: dict[str, Any] = json.loads((work / "manifest.json").read_text())
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise invalid("archive", "unreadable", f"not a Qualitas backup ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise invalid("archive", "format", f"unknown backup format {manifest.get('format')!r}")
    for rel, digest in manifest["files"].items():
        if _sha256(work / rel) != digest:
            raise invalid("archive", "checksum", f"{rel} does not match its checksum")
    return manifest


def restore(archive: Path, db: Database, attachments: Path) -> dict[str, Any]:
    """Restore ``archive`` into ``db`` and ``attachments``, then verify the audit chain."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest = _extract(archive, work)
        if manifest["dialect"] != db.engine.dialect.name:
            raise invalid(
                "database_url",
                "dialect",
                f"backup is {manifest['dialect']}, target is {db.engine.dialect.name}",
            )
        db.dispose()
        if db.is_sqlite:
            target = Path(str(db.url.database))
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / manifest["database"], target)
        else:
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    f"--dbname={_pg_url(db)}",
                    str(work / manifest["database"]),
                ],
                check=True,
                capture_output=True,
            )
        if (work / "attachments").is_dir():
            shutil.rmtree(attachments, ignore_errors=True)
            shutil.copytree(work / "attachments", attachments)
    with db.session(write=False) as session:
        report = ledger.verify(session)
    if not report.ok or report.head != manifest["audit_head"]:
        raise QualitasError(
            detail=f"restored audit chain does not verify (checked {report.checked}, "
            f"head {report.head[:12]} vs {manifest['audit_head'][:12]})",
            code="restore_unverified",
        )
    return {**manifest, "verified_entries": report.checked}
