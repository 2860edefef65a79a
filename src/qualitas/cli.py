"""The `qualitas` command line. Each command owns its transaction and calls services only.

Bad input exits with status 2 and a message naming the field; a failed check exits with 1.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, ParamSpec

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from qualitas.config import get_settings
from qualitas.db import Database
from qualitas.errors import QualitasError

app = typer.Typer(
    help="Qualitas quality management system.", no_args_is_help=True, pretty_exceptions_enable=False
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Local user accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit trail.", no_args_is_help=True)
events_app = typer.Typer(help="Domain events outbox.", no_args_is_help=True)
spc_app = typer.Typer(help="Statistical process control.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(events_app, name="events")
app.add_typer(spc_app, name="spc")
out = Console()
P = ParamSpec("P")
err = Console(stderr=True)

DbUrl = Annotated[
    str | None, typer.Option("--database-url", help="Overrides QUALITAS_DATABASE_URL.")
]


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def cli_errors(fn: Callable[P, None]) -> Callable[P, None]:
    """Turn expected failures into a message and exit status 2 (bad input) or 1 (failed check)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except QualitasError as exc:
            fail(str(exc), 2 if exc.status < 500 else 1)

    return wrapper


def open_db(url: str | None, *, upgrade: bool = True) -> Database:
    from qualitas import migrate

    db = Database(url)
    if upgrade:
        migrate.upgrade(db)
    return db


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


@db_app.command("upgrade")
@cli_errors
def db_upgrade(database_url: DbUrl = None, revision: str = "head") -> None:
    """Apply schema migrations up to REVISION (default: latest)."""
    from qualitas import migrate

    db = Database(database_url)
    migrate.upgrade(db, revision)
    out.print(f"database at revision [bold]{migrate.current(db)}[/] ({db.url.render_as_string()})")


@app.command()
@cli_errors
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    database_url: DbUrl = None,
    reload: bool = False,
    simulate: Annotated[
        bool, typer.Option(help="Also run the demo plant simulator (live readings and alarms).")
    ] = False,
) -> None:
    """Serve the API and the web app."""
    import uvicorn

    from qualitas.app import create_app
    from qualitas.cli_spc import start_simulator

    if reload and database_url:
        fail(
            "database_url: with --reload set QUALITAS_DATABASE_URL instead (the reloader "
            "imports the app afresh)"
        )
    db = open_db(database_url)
    url = db.url.render_as_string(hide_password=False)
    db.dispose()
    thread = start_simulator(url) if simulate else None
    out.print(f"Qualitas on [bold]http://{host}:{port}[/]" + (" (simulator on)" if thread else ""))
    try:
        if reload:
            uvicorn.run("qualitas.app:create_app", factory=True, host=host, port=port, reload=True)
        else:
            uvicorn.run(create_app(url), host=host, port=port)
    finally:
        if thread:
            thread.stop()


def _reset(database_url: str | None, force: bool) -> Database:
    db = Database(database_url)
    if db.is_sqlite:
        path = Path(str(db.url.database))
        db.dispose()
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        return open_db(database_url)
    if not force:
        fail("demo on PostgreSQL drops every Qualitas table: pass --force to confirm")
    from sqlalchemy import text

    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    return open_db(database_url)


@app.command()
@cli_errors
def demo(
    database_url: DbUrl = None,
    force: Annotated[bool, typer.Option(help="Allow wiping a PostgreSQL database.")] = False,
) -> None:
    """Create a fresh demo database (two sites, lines, products, users). Safe to run twice."""
    from qualitas.demo import loader

    db = _reset(database_url, force)
    steps = 9
    with progress() as bar:
        task = bar.add_task("loading demo plant", total=steps)

        def step(msg: str) -> None:
            bar.update(task, advance=1, description=f"demo: {msg}")

        with db.unit_of_work() as session:
            creds = loader.load(session, step)
        bar.update(task, completed=steps)
    table = Table(title="Demo users (log in at http://127.0.0.1:8000)")
    for col in ("user", "password", "role", "scope"):
        table.add_column(col)
    for row in creds:
        table.add_row(*row)
    out.print(table)


@user_app.command("create")
@cli_errors
def user_create(
    username: str,
    full_name: Annotated[str, typer.Option("--full-name")],
    role: Annotated[str, typer.Option(help="Role to grant.")] = "operator",
    site: Annotated[str | None, typer.Option(help="Site code; omit for all sites.")] = None,
    email: str | None = None,
    database_url: DbUrl = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="QUALITAS_NEW_USER_PASSWORD",
        ),
    ] = "",
) -> None:
    """Create a local user and grant a role (at one site or all sites)."""
    from pydantic import ValidationError
    from sqlalchemy import select

    from qualitas.auth import users
    from qualitas.auth.permissions import Role
    from qualitas.auth.principal import Principal
    from qualitas.auth.schemas import UserCreate
    from qualitas.plant.models import Level, PlantNode

    if role not in {r.value for r in Role}:
        fail(f"role: must be one of {', '.join(r.value for r in Role)}")
    try:
        body = UserCreate(
            username=username,
            full_name=full_name,
            email=email,
            password=password,
            must_change_password=False,
        )
    except ValidationError as exc:
        fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
    db = open_db(database_url)
    with db.unit_of_work() as session:
        site_id = None
        if site:
            site_id = session.scalar(
                select(PlantNode.id).where(PlantNode.level == Level.SITE, PlantNode.code == site)
            )
            if site_id is None:
                fail(f"site: no site with code {site!r}")
        who = Principal.system("cli")
        user = users.create_user(session, who, body)
        users.grant_role(session, who, user.id, Role(role), site_id, reason="created from the CLI")
    out.print(f"created user [bold]{username}[/] ({role}, {site or 'all sites'})")


@audit_app.command("verify")
@cli_errors
def audit_verify(database_url: DbUrl = None) -> None:
    """Recompute the audit hash chain; exit 1 naming the first broken entry."""
    from qualitas.ledger import service as ledger

    db = open_db(database_url, upgrade=False)
    with db.session(write=False) as session, progress() as bar:
        total = ledger.count(session)
        task = bar.add_task("verifying audit chain", total=total)
        report = ledger.verify(session, lambda n: bar.update(task, completed=n))
        bar.update(task, completed=report.checked)
    if report.first_break:
        err.print(
            f"[bold red]BROKEN[/] at entry {report.first_break.seq}: "
            f"{report.first_break.reason} ({report.checked} entries verified before it)"
        )
        raise typer.Exit(1)
    out.print(f"[bold green]OK[/] {report.checked} entries, head {report.head}")


@app.command("import")
@cli_errors
def import_(
    file: Path,
    resource: Annotated[str, typer.Option(help="equipment, gauges, items, ...")],
    reason: Annotated[str | None, typer.Option(help="Reason for updates of existing rows.")] = None,
    as_user: Annotated[
        str | None, typer.Option("--as", help="Act as this user's permissions.")
    ] = None,
    database_url: DbUrl = None,
) -> None:
    """Import every row of an Excel/CSV FILE, or none (a per-row report is printed)."""
    from qualitas.plant import io
    from qualitas.plant.resources import RESOURCES

    if resource not in RESOURCES:
        fail(f"resource: must be one of {', '.join(RESOURCES)}")
    if not file.is_file():
        fail(f"file: {file} does not exist")
    db = open_db(database_url)
    rows = io.read_rows(file.name, file.read_bytes())
    with db.unit_of_work() as session, progress() as bar:
        task = bar.add_task(f"importing {resource}", total=len(rows))
        who = _principal(session, as_user)
        report = io.import_rows(
            session,
            who,
            RESOURCES[resource],
            rows,
            reason=reason,
            progress=lambda i, n: bar.update(task, completed=i),
        )
    if not report.ok:
        for e in report.errors:
            err.print(f"row {e.row}: {e.field}: {e.message}")
        fail(f"nothing imported: {len(report.errors)} error(s)")
    out.print(f"imported {resource}: {report.created} created, {report.updated} updated")


def _principal(session: object, username: str | None):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from qualitas.auth import service as auth_service
    from qualitas.auth.models import User
    from qualitas.auth.principal import Principal

    if username is None:
        return Principal.system("cli")
    user = session.scalar(select(User).where(User.username == username))  # type: ignore[attr-defined]
    if user is None:
        fail(f"as: no user {username!r}")
    return auth_service._principal(user, "token")


@app.command()
@cli_errors
def backup(
    out_file: Annotated[Path, typer.Argument(metavar="ARCHIVE")], database_url: DbUrl = None
) -> None:
    """Write a consistent online backup (database + attachments) to ARCHIVE (.tar.gz)."""
    from qualitas import backup as bk

    db = open_db(database_url, upgrade=False)
    with progress() as bar:
        task = bar.add_task("backing up", total=None)
        manifest = bk.backup(db, get_settings().attachments_dir, out_file)
        bar.update(task, total=1, completed=1)
    out.print(
        f"backup written to {out_file}: {manifest['audit_entries']} audit entries, "
        f"head {manifest['audit_head'][:16]}"
    )


@app.command()
@cli_errors
def restore(archive: Path, database_url: DbUrl = None) -> None:
    """Restore ARCHIVE into the database and attachments, then verify the audit chain."""
    from qualitas import backup as bk

    db = Database(database_url)
    with progress() as bar:
        task = bar.add_task("restoring", total=None)
        result = bk.restore(archive, db, get_settings().attachments_dir)
        bar.update(task, total=1, completed=1)
    out.print(f"restored and verified {result['verified_entries']} audit entries")


@events_app.command("dispatch")
@cli_errors
def events_dispatch(database_url: DbUrl = None) -> None:
    """Deliver pending outbox events to in-process subscribers once."""
    from qualitas.events import Dispatcher

    db = open_db(database_url)
    delivered = Dispatcher(db).dispatch_pending()
    out.print(f"{delivered} event(s) delivered")


@app.command()
@cli_errors
def openapi() -> None:
    """Print the OpenAPI document (the contract the web client is generated from)."""
    from qualitas.app import create_app

    sys.stdout.write(json.dumps(create_app("sqlite://", dispatch=False).openapi(), indent=2) + "\n")


# Commands of the SPC domain live in their own module; importing it registers them.
from qualitas import cli_spc, cli_trace  # noqa: E402, F401


def main() -> None:
    try:
        app()
    except QualitasError as exc:
        fail(str(exc), 2 if exc.status < 500 else 1)


if __name__ == "__main__":  # `python -m qualitas.cli`: run the imported module, where
    from qualitas.cli import main as registered_main  # cli_spc registered its commands

    registered_main()
