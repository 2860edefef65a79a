"""Imports every table so that ``Base.metadata`` is complete (Alembic, tests)."""

from qualitas.auth import models as auth_models
from qualitas.db import Base
from qualitas.events import EventDelivery, OutboxEvent
from qualitas.inspection import models as inspection_models
from qualitas.ledger import models as ledger_models
from qualitas.measure import models as measure_models
from qualitas.plant import models as plant_models
from qualitas.spc import models as spc_models
from qualitas.trace import models as trace_models

__all__ = [
    "Base",
    "EventDelivery",
    "OutboxEvent",
    "auth_models",
    "inspection_models",
    "ledger_models",
    "measure_models",
    "plant_models",
    "spc_models",
    "trace_models",
]
