"""Schema migrations (Alembic) driven from code: ``qualitas db upgrade``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from qualitas.config import ROOT
from qualitas.db import Database


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False))
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    cfg = alembic_config(db)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_initialised(db: Database) -> bool:
    return "alembic_version" in inspect(db.engine).get_table_names()
