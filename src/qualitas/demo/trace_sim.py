"""Live production for the demo: every cycle the Suzhou assembly line receives, issues, makes a
small serialised lot of oil pumps, packs it and ships it, through the native production events.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from qualitas.db import utcnow
from qualitas.ledger.service import Actor
from qualitas.trace import production as prod
from qualitas.trace.schemas import IssueIn, LotQty, ObjRef, OutputIn, PackIn, ReceiveIn, ShipIn

SITE = "SUZ"
PRODUCT = "P-PMP-400"
COMPONENTS = (("M-BOLT8", "S-1004", 6), ("M-SEAL", "S-1003", 1), ("M-STL42", "S-1002", 1))
UNITS = 12


class TraceSimulator:
    """One production cycle per call to ``step`` (receipts every fifth cycle)."""

    def __init__(self, seed: int = 5) -> None:
        self.rng = random.Random(seed)
        self.cycle = 0
        self.stamp = f"{utcnow():%y%m%d%H%M%S}"
        self.actor = Actor(None, "plant-simulator")

    def _lot(self, code: str) -> str:
        return f"{code[2:]}-LIVE-{self.stamp}-{self.cycle // 5}"

    def step(self, session: Session, now: dt.datetime | None = None) -> None:
        t = now or utcnow()
        if self.cycle % 5 == 0:
            for code, supplier, per in COMPONENTS:
                prod.receive(session, self.actor, ReceiveIn(
                    site=SITE, supplier=supplier, item=code, lot=self._lot(code),
                    supplier_lot=f"SL{self.rng.randint(10000, 99999)}", quantity=per * UNITS * 5,
                    time=t,
                ))  # fmt: skip
        wo = f"WO-LIVE-{self.stamp}-{self.cycle}"
        inputs = [
            LotQty(item=c, lot=self._lot(c), quantity=per * UNITS) for c, _, per in COMPONENTS
        ]
        prod.issue(session, self.actor, IssueIn(site=SITE, station="L2", work_order=wo,
                                                inputs=inputs, time=t))  # fmt: skip
        serials = [f"LIVE{self.stamp}{self.cycle:03d}{k:02d}" for k in range(UNITS)]
        lot = f"LIVE-{self.stamp}-{self.cycle}"
        prod.output(session, self.actor, OutputIn(
            site=SITE, station="L2", work_order=wo, item=PRODUCT, lot=lot, quantity=UNITS,
            serials=serials, time=t,
        ))  # fmt: skip
        case = f"CS-LIVE-{self.stamp}-{self.cycle}"
        prod.pack(session, self.actor, PackIn(
            site=SITE, container=case, time=t,
            children=[ObjRef(item=PRODUCT, serial=s) for s in serials],
        ))  # fmt: skip
        prod.ship(session, self.actor, ShipIn(
            site=SITE, objects=[ObjRef(container=case)], time=t,
            customer=self.rng.choice(["C-01", "C-02", "C-03"]),
        ))  # fmt: skip
        self.cycle += 1
