"""A plant simulator for the demo: realistic readings with shifts, drifts, trends and one gauge
drifting out of calibration, fed through the normal ingest path so alarms appear within a minute.

``Process`` models are pure (seeded numpy); ``Simulator`` turns them into measurement rows and
``SimulatorThread`` feeds them to a running server's database every ``interval`` seconds.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualitas.auth.principal import Principal
from qualitas.db import Database, utcnow
from qualitas.measure import service as measure_service

log = logging.getLogger(__name__)


@dataclass
class Process:
    """One characteristic's process: mean, sigma and scheduled disturbances (by tick)."""

    characteristic_id: int
    mean: float
    sigma: float
    subgroup_size: int = 1
    shift_at: int | None = None  # step change of shift_size sigmas
    shift_size: float = 0.0
    drift_from: int | None = None  # linear drift, sigmas per tick
    drift_rate: float = 0.0
    gauge_bias_from: int | None = None  # measurement bias growing (gauge out of calibration)
    gauge_bias_rate: float = 0.0
    source: str = "sim"
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))

    def offset(self, tick: int) -> float:
        off = 0.0
        if self.shift_at is not None and tick >= self.shift_at:
            off += self.shift_size * self.sigma
        if self.drift_from is not None and tick >= self.drift_from:
            off += (tick - self.drift_from) * self.drift_rate * self.sigma
        if self.gauge_bias_from is not None and tick >= self.gauge_bias_from:
            off += (tick - self.gauge_bias_from) * self.gauge_bias_rate * self.sigma
        return off

    def readings(self, tick: int) -> list[float]:
        centre = self.mean + self.offset(tick)
        return [float(v) for v in self.rng.normal(centre, self.sigma, self.subgroup_size)]


class Simulator:
    """Turns processes into measurement rows, one subgroup (or reading) per process per tick."""

    def __init__(
        self,
        processes: list[Process],
        start: dt.datetime | None = None,
        seconds_per_tick: float = 1.0,
    ) -> None:
        self.processes = processes
        self.start = start or utcnow()
        self.step = dt.timedelta(seconds=seconds_per_tick)
        self.tick = 0

    def rows(self, tick: int) -> list[dict[str, Any]]:
        ts = self.start + tick * self.step
        out = []
        for p in self.processes:
            for i, value in enumerate(p.readings(tick)):
                row: dict[str, Any] = {
                    "characteristic_id": p.characteristic_id,
                    "value": round(value, 6),
                    "source_ts": ts + dt.timedelta(milliseconds=i),
                    "source_id": f"{p.source}-{p.characteristic_id}",
                    "seq": tick * 100 + i,
                    "lot": f"SIM-{ts:%Y%m%d}",
                }
                if p.subgroup_size > 1:
                    row["subgroup"] = f"sim-{p.characteristic_id}-{self.start:%H%M%S}-{tick}"
                out.append(row)
        return out

    def next_batch(self) -> list[dict[str, Any]]:
        batch = self.rows(self.tick)
        self.tick += 1
        return batch


class SimulatorThread:
    """Feeds the simulator's batches through the regular ingest service."""

    def __init__(
        self, db: Database, simulator: Simulator, interval: float = 1.0, trace_every: int = 30
    ) -> None:
        from qualitas.demo.trace_sim import TraceSimulator

        self.db = db
        self.sim = simulator
        self.trace = TraceSimulator()
        self.trace_every = trace_every
        self.interval = interval
        self.principal = Principal.system("plant-simulator")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qualitas-simulator", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self.db.unit_of_work() as session:
                    report = measure_service.ingest(session, self.principal, self.sim.next_batch())
                if report.alarms_raised:
                    log.info("simulator: %d alarm(s) raised", report.alarms_raised)
                if self.trace_every and self.sim.tick % self.trace_every == 1:
                    with self.db.unit_of_work() as session:
                        self.trace.step(session)
            except Exception:
                log.exception("simulator batch failed")
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
