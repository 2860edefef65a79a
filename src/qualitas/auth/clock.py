"""Authentication's notion of "now": one seam for every auth module, which tests move instead
of sleeping (call ``clock.utcnow()`` through the module, never import the function)."""

from __future__ import annotations

import datetime as dt

from qualitas.db import utcnow as _system_utcnow


def utcnow() -> dt.datetime:
    return _system_utcnow()
