"""Master-data import: ``plant.io.import_rows`` vs bare ORM inserts of the same rows.

``import_rows`` validates each row against the create schema, resolves the ``site`` code,
checks the code is unique at the site, writes the row, its audit entry and its outbox event,
inside a savepoint per row and one all-or-nothing transaction. The baseline adds the same
characteristics as ORM objects (values already typed, nothing validated, nothing audited)
and commits once.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from common import Row, paired
from sqlalchemy import func, insert, select

from qualitas.auth.principal import Principal
from qualitas.db import Database, utcnow
from qualitas.plant import io as plant_io
from qualitas.plant.models import Characteristic, Level, PlantNode
from qualitas.plant.resources import RESOURCES

HEADER = [
    "site",
    "code",
    "name",
    "kind",
    "unit",
    "nominal",
    "lsl",
    "usl",
    "special_class",
    "operation",
    "gauge_type",
    "description",
]
NAMES = [
    ("Bore diameter", 25.0, 24.985, 25.015),
    ("Overall length", 120.0, 119.8, 120.2),
    ("Tightening torque", 24.0, 22.0, 26.0),
    ("Wall thickness", 2.5, 2.3, 2.7),
]


def add_sites(db: Database, codes: tuple[str, ...] = ("SUZ", "STR")) -> dict[str, int]:
    """An enterprise with one node per site code (core inserts, no audit)."""
    now = utcnow()
    base = {"created_at": now, "updated_at": now, "version": 1, "status": "active"}
    with db.engine.begin() as conn:
        root = conn.execute(
            insert(PlantNode)
            .values(level=Level.ENTERPRISE, code="ACME", name="Acme", **base)
            .returning(PlantNode.id)
        ).scalar_one()
        ids = {}
        for code in codes:
            site = conn.execute(
                insert(PlantNode)
                .values(level=Level.SITE, parent_id=root, code=code, name=f"{code} plant", **base)
                .returning(PlantNode.id)
            ).scalar_one()
            conn.execute(
                PlantNode.__table__.update().where(PlantNode.id == site).values(site_id=site)
            )
            ids[code] = site
    return ids


def csv_rows(prefix: str, n: int) -> list[dict[str, Any]]:
    """``n`` characteristic rows exactly as an uploaded CSV file yields them."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    for i in range(n):
        name, nominal, lsl, usl = NAMES[i % len(NAMES)]
        writer.writerow(
            [
                "SUZ",
                f"{prefix}-{i:05d}",
                name,
                "variable",
                "mm",
                nominal,
                lsl,
                usl,
                "SC" if i % 10 == 0 else "none",
                f"OP{10 * (1 + i % 6)}",
                "Bore gauge",
                f"Imported row {i}",
            ]
        )
    return plant_io.read_rows("characteristics.csv", buf.getvalue().encode())


def import_audited(db: Database, rows: list[dict[str, Any]]) -> None:
    with db.unit_of_work() as session:
        report = plant_io.import_rows(
            session, Principal.system("bench"), RESOURCES["characteristics"], rows
        )
    assert report.ok and report.created == len(rows), report.errors[:3]


def insert_bare(db: Database, rows: list[dict[str, Any]], site_id: int) -> None:
    with db.unit_of_work() as session:
        session.add_all(
            Characteristic(
                site_id=site_id,
                code=r["code"],
                name=r["name"],
                kind=r["kind"],
                unit=r["unit"],
                nominal=float(r["nominal"]),
                lsl=float(r["lsl"]),
                usl=float(r["usl"]),
                special_class=r["special_class"],
                operation=r["operation"],
                gauge_type=r["gauge_type"],
                description=r["description"],
            )
            for r in rows
        )


def bench_import(db: Database, backend: str, n: int, repeats: int) -> Row:
    site_id = add_sites(db)["SUZ"]
    runs = iter(range(1_000))
    batches: dict[str, list[dict[str, Any]]] = {}

    def fresh(kind: str) -> None:  # new codes each repeat: every run creates n rows
        batches[kind] = csv_rows(f"{kind}{next(runs)}", n)

    t_import, t_bare = paired(
        lambda: import_audited(db, batches["imp"]),
        lambda: insert_bare(db, batches["orm"], site_id),
        repeats,
        setup_q=lambda: fresh("imp"),
        setup_b=lambda: fresh("orm"),
    )
    with db.session(write=False) as session:
        total = session.scalar(select(func.count()).select_from(Characteristic))
    assert total == 2 * n * repeats
    return Row(
        "import",
        f"{backend}: {n:,} characteristic rows (CSV), one transaction",
        "plant.io.import_rows (validated, audited)",
        n / t_import,
        "bare ORM inserts, one commit",
        n / t_bare,
        "rows/s",
    )
