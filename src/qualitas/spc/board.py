"""The live quality board: status of every line and station, open alarms with their age,
response times, an alarm Pareto and Cpk of the key (CC/SC) characteristics."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas.auth.permissions import Permission
from qualitas.auth.principal import Principal
from qualitas.db import utcnow
from qualitas.measure.models import Measurement
from qualitas.plant.models import Characteristic, Level, PlantNode, RecordStatus, SpecialClass
from qualitas.spc import alarms as alarm_service
from qualitas.spc.capability import Capability
from qualitas.spc.models import Alarm, AlarmStatus, LimitSet, LimitSetStatus

CPK_READINGS = 125
STATUS_RANK = {"green": 0, "amber": 1, "red": 2}


def _status(open_alarms: list[Alarm]) -> str:
    if any(a.status == AlarmStatus.RAISED for a in open_alarms):
        return "red"
    return "amber" if open_alarms else "green"


def _line_of(nodes: dict[int, PlantNode], node_id: int | None) -> int | None:
    node = nodes.get(node_id) if node_id is not None else None
    if node is None:
        return None
    return node.id if node.level == Level.LINE else node.parent_id


def _cpk(session: Session, char: Characteristic, ls: LimitSet) -> float | None:
    values = session.scalars(
        select(Measurement.value)
        .where(Measurement.characteristic_id == char.id)
        .order_by(Measurement.id.desc())
        .limit(CPK_READINGS)
    ).all()
    if len(values) < 2 or (char.lsl is None and char.usl is None):
        return None
    res = Capability(char.lsl, char.usl).fit(np.asarray(values, float), ls.center, ls.std_dev)
    value = res.indices["Cp_k"].value
    if np.isnan(value):
        one_sided = [res.indices[k].value for k in ("Cp_l", "Cp_u")]
        value = float(np.nanmin(one_sided))
    return float(value)


def snapshot(session: Session, principal: Principal) -> dict[str, Any]:
    principal.require(Permission.MASTER_READ)
    visible = principal.scope.sites_with(Permission.MASTER_READ)
    nodes_q = select(PlantNode).where(PlantNode.status == RecordStatus.ACTIVE)
    nodes = {
        n.id: n
        for n in session.scalars(nodes_q)
        if n.level != Level.ENTERPRISE and (visible is None or n.site_id in visible)
    }
    chars = {
        c.id: c
        for c in session.scalars(select(Characteristic))
        if visible is None or c.site_id in visible
    }
    open_alarms = [
        a
        for a in alarm_service.list_alarms(session, principal, None, None, None, 10_000)
        if a.status != AlarmStatus.RESOLVED
    ]
    now = utcnow()
    point_ts = alarm_service.point_times(session, [a.point_id for a in open_alarms])
    by_line: dict[int | None, list[Alarm]] = {}
    for a in open_alarms:
        line = _line_of(
            nodes,
            chars[a.characteristic_id].operation_node_id if a.characteristic_id in chars else None,
        )
        by_line.setdefault(line, []).append(a)
    sites = []
    for site in sorted((n for n in nodes.values() if n.level == Level.SITE), key=lambda n: n.code):
        lines = [n for n in nodes.values() if n.level == Level.LINE and n.site_id == site.id]
        tiles = [
            {
                "id": line.id,
                "code": line.code,
                "name": line.name,
                "status": _status(by_line.get(line.id, [])),
                "open_alarms": len(by_line.get(line.id, [])),
                "stations": [
                    {"id": s.id, "code": s.code, "name": s.name}
                    for s in sorted(nodes.values(), key=lambda n: n.code)
                    if s.parent_id == line.id
                ],
            }
            for line in sorted(lines, key=lambda n: n.code)
        ]
        site_alarms = [a for a in open_alarms if a.site_id == site.id]
        worst = max(
            (str(t["status"]) for t in tiles), key=lambda st: STATUS_RANK[st], default="green"
        )
        sites.append(
            {
                "id": site.id,
                "code": site.code,
                "name": site.name,
                "status": _status(site_alarms) if site_alarms else worst,
                "lines": tiles,
                "response_times": alarm_service.response_times(
                    session, principal, site.id
                ).model_dump(),
            }
        )
    return {
        "generated_at": now,
        "sites": sites,
        "open_alarms": [_alarm_row(a, chars, now, point_ts) for a in open_alarms],
        "pareto": _pareto(session, principal, chars),
        "key_characteristics": _key_cpk(session, chars),
    }


def _alarm_row(
    a: Alarm, chars: dict[int, Characteristic], now: dt.datetime, point_ts: dict[int, Any]
) -> dict[str, Any]:
    char = chars.get(a.characteristic_id)
    return {
        "id": a.id,
        "status": a.status,
        "rule": a.rule,
        "site_id": a.site_id,
        "characteristic_id": a.characteristic_id,
        "characteristic": char.code if char else None,
        "name": char.name if char else None,
        "raised_at": a.raised_at,
        "point_ts": point_ts.get(a.point_id),
        "age_seconds": (now - a.raised_at).total_seconds(),
        "reaction_plan": a.reaction_plan,
    }


def _pareto(
    session: Session, principal: Principal, chars: dict[int, Characteristic]
) -> list[dict[str, Any]]:
    """Alarms of the last 30 days per characteristic, most frequent first."""
    since = utcnow() - dt.timedelta(days=30)
    recent = [
        a
        for a in alarm_service.list_alarms(session, principal, None, None, None, 10_000)
        if a.raised_at >= since
    ]
    counts = Counter(a.characteristic_id for a in recent)
    site_of = {a.characteristic_id: a.site_id for a in recent}  # an alarm's site is its char's
    sites_q = select(PlantNode.id, PlantNode.code).where(PlantNode.level == Level.SITE)
    site_codes: dict[int, str] = {node_id: code for node_id, code in session.execute(sites_q)}
    total = sum(counts.values())
    out, cumulative = [], 0
    for char_id, n in counts.most_common(10):
        cumulative += n
        char = chars.get(char_id)
        site_id = char.site_id if char else site_of[char_id]
        out.append(
            {
                "characteristic_id": char_id,
                "code": char.code if char else str(char_id),
                "site_id": site_id,
                "site_code": site_codes.get(site_id, str(site_id)),
                "count": n,
                "cumulative_share": cumulative / total,
            }
        )
    return out


def _key_cpk(session: Session, chars: dict[int, Characteristic]) -> list[dict[str, Any]]:
    key = {
        c.id: c
        for c in chars.values()
        if c.special_class != SpecialClass.NONE and c.status == RecordStatus.ACTIVE
    }
    sets = session.scalars(
        select(LimitSet).where(
            LimitSet.characteristic_id.in_(key), LimitSet.status == LimitSetStatus.ACTIVE
        )
    )
    out = []
    for ls in sets:
        char = key[ls.characteristic_id]
        out.append(
            {
                "characteristic_id": char.id,
                "code": char.code,
                "name": char.name,
                "special_class": char.special_class,
                "site_id": char.site_id,
                "cpk": _cpk(session, char, ls),
            }
        )
    return sorted(out, key=lambda r: (r["cpk"] is None, r["cpk"] or 0))


def fingerprint(snap: dict[str, Any]) -> str:
    """What makes the board look different: statuses, open alarms and their states, Cpk."""
    parts = [
        (s["id"], s["status"], [(t["id"], t["status"]) for t in s["lines"]]) for s in snap["sites"]
    ]
    alarms = sorted((a["id"], str(a["status"])) for a in snap["open_alarms"])
    cpk = [
        (k["characteristic_id"], None if k["cpk"] is None else round(k["cpk"], 3))
        for k in snap["key_characteristics"]
    ]
    return repr((parts, alarms, cpk))
