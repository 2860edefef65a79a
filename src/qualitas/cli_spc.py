"""`qualitas spc ...` and `qualitas simulate`: statistics from JSON cases, and the demo plant
simulator. Registered on the main CLI when ``qualitas.cli`` imports this module."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from qualitas.cli import DbUrl, app, cli_errors, fail, open_db, out, progress, spc_app
from qualitas.db import Database
from qualitas.demo.simulator import Simulator, SimulatorThread


def start_simulator(url: str, interval: float = 1.0) -> SimulatorThread:
    """Run the demo plant simulator in the background against ``url``."""
    from qualitas.demo import spc_demo

    db = Database(url)
    with db.session(write=False) as session:
        procs = spc_demo.processes(session)
    thread = SimulatorThread(db, Simulator(procs), interval)
    thread.start()
    return thread


@app.command()
@cli_errors
def simulate(
    database_url: DbUrl = None,
    seconds: Annotated[int, typer.Option(min=1, help="How long to run.")] = 60,
    interval: Annotated[float, typer.Option(min=0.05, help="Seconds between batches.")] = 1.0,
) -> None:
    """Feed the demo plant with simulated readings (shifts, drifts, a drifting gauge)."""
    import time

    db = open_db(database_url)
    thread = start_simulator(db.url.render_as_string(hide_password=False), interval)
    with progress() as bar:
        task = bar.add_task("simulating", total=seconds)
        for second in range(seconds):
            time.sleep(1)
            bar.update(task, completed=second + 1)
    thread.stop()
    with db.session(write=False) as session:
        from sqlalchemy import func, select

        from qualitas.spc.models import Alarm

        alarms = session.scalar(select(func.count()).select_from(Alarm))
    out.print(f"simulated {thread.sim.tick} ticks; {alarms} alarm(s) in the database")


@spc_app.command("compute")
@cli_errors
def spc_compute(
    case: Annotated[Path, typer.Argument(metavar="CASE.json", help="Case file, or - for stdin.")],
) -> None:
    """Compute a chart, rules or capability from a JSON case; print the result as JSON."""
    from qualitas.spc.contract import compute

    try:
        text = sys.stdin.read() if str(case) == "-" else case.read_text()
    except OSError as exc:
        fail(f"CASE.json: cannot read {case} ({exc.strerror})")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"CASE.json: not valid JSON ({exc.msg} at line {exc.lineno})")
    try:
        result = compute(document)
    except ValueError as exc:
        fail(str(exc))
    sys.stdout.write(json.dumps(result, indent=2, allow_nan=False) + "\n")
