"""Live monitoring: new readings become chart points, are checked against the active limit set
and its rules, and every violating point raises an alarm (in the caller's transaction).

Points are evaluated in arrival order with a window of the previous points, so runs, trends and
zone rules span batches. A subgroup chart plots a subgroup once it holds exactly n readings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualitas import events
from qualitas.ledger.service import Actor, AuditAction
from qualitas.ledger.service import append as audit
from qualitas.measure.models import Measurement
from qualitas.spc import rules
from qualitas.spc.charts import Chart, ShewhartLimits
from qualitas.spc.models import Alarm, AlarmStatus, LimitSet, LimitSetStatus, SpcPoint

MONITOR = Actor.system("spc-monitor")
WINDOW = 20  # longest pattern (Nelson 7: 15 points) plus margin
SUBGROUP_CHARTS = {Chart.XBAR, Chart.R, Chart.S}


def active_limit_sets(session: Session, char_ids: set[int]) -> dict[int, LimitSet]:
    rows = session.scalars(
        select(LimitSet).where(
            LimitSet.characteristic_id.in_(char_ids), LimitSet.status == LimitSetStatus.ACTIVE
        )
    )
    return {ls.characteristic_id: ls for ls in rows}


def limits_of(ls: LimitSet) -> ShewhartLimits:
    return ShewhartLimits(Chart(ls.chart), ls.center, ls.std_dev, ls.nsigmas, None)


def _statistic(chart: Chart, values: list[float]) -> float:
    arr = np.asarray(values, dtype=np.float64)
    if chart is Chart.XBAR:
        return float(arr.mean())
    if chart is Chart.R:
        return float(arr.max() - arr.min())
    return float(arr.std(ddof=1))


def _new_points(session: Session, ls: LimitSet, readings: list[dict[str, Any]]) -> list[SpcPoint]:
    chart = Chart(ls.chart)
    readings = sorted(readings, key=lambda r: (r["source_ts"], r["id"]))
    if chart is Chart.XBAR_ONE:
        return [
            SpcPoint(
                characteristic_id=ls.characteristic_id,
                limit_set_id=ls.id,
                ts=r["source_ts"],
                statistic=r["value"],
                size=1,
                subgroup=r["subgroup"],
            )
            for r in readings
        ]
    if chart not in SUBGROUP_CHARTS:
        return []
    points = []
    for key in dict.fromkeys(r["subgroup"] for r in readings if r["subgroup"]):
        rows = session.execute(
            select(Measurement.value, Measurement.source_ts)
            .where(
                Measurement.characteristic_id == ls.characteristic_id, Measurement.subgroup == key
            )
            .order_by(Measurement.id)
        ).all()
        if len(rows) != ls.subgroup_size:
            continue  # incomplete, or already plotted when it reached n
        points.append(
            SpcPoint(
                characteristic_id=ls.characteristic_id,
                limit_set_id=ls.id,
                ts=max(t for _, t in rows),
                size=ls.subgroup_size,
                subgroup=key,
                statistic=_statistic(chart, [v for v, _ in rows]),
            )
        )
    return points


def evaluate(ls: LimitSet, history: list[SpcPoint], new: list[SpcPoint]) -> list[list[str]]:
    """Rule names violated by each new point, judged with the preceding window."""
    pts = history + new
    stat = np.array([p.statistic for p in pts], dtype=np.float64)
    sizes = np.array([p.size for p in pts], dtype=np.float64)
    lim = limits_of(ls)
    lcl, ucl = lim.limits_for(sizes)
    center = np.full(stat.size, ls.center)
    flagged = rules.evaluate(ls.rule_set, stat, center, lcl, ucl, ls.nsigmas, ls.run_length)
    out: list[list[str]] = [[] for _ in new]
    start = len(history)
    for name, idx in flagged.items():
        for i in idx[idx >= start]:
            out[int(i) - start].append(name)
    return out


def _history(session: Session, ls: LimitSet) -> list[SpcPoint]:
    rows = session.scalars(
        select(SpcPoint)
        .where(SpcPoint.characteristic_id == ls.characteristic_id, SpcPoint.limit_set_id == ls.id)
        .order_by(SpcPoint.id.desc())
        .limit(WINDOW)
    )
    return list(reversed(list(rows)))


def _raise(session: Session, ls: LimitSet, point: SpcPoint, names: list[str]) -> Alarm:
    alarm = Alarm(
        characteristic_id=ls.characteristic_id,
        site_id=ls.site_id,
        limit_set_id=ls.id,
        point_id=point.id,
        rule=_first_rule(names),
        statistic=point.statistic,
        reaction_plan=ls.reaction_plan,
    )
    session.add(alarm)
    session.flush()
    audit(
        session,
        MONITOR,
        AuditAction.CREATE,
        "alarm",
        alarm.id,
        site_id=ls.site_id,
        after={
            "rule": alarm.rule,
            "rules": names,
            "statistic": point.statistic,
            "characteristic_id": ls.characteristic_id,
            "point_id": point.id,
        },
    )
    events.emit(
        session,
        "spc.alarm.raised",
        {
            "alarm_id": alarm.id,
            "characteristic_id": ls.characteristic_id,
            "site_id": ls.site_id,
            "rules": names,
            "statistic": point.statistic,
            "reaction_plan": ls.reaction_plan,
            "point_ts": point.ts,
        },
        key=str(alarm.id),
    )
    return alarm


def _first_rule(names: list[str]) -> str:
    order = [
        "beyond_limits",
        "WE1",
        "NELSON1",
        "WE2",
        "NELSON5",
        "WE3",
        "NELSON6",
        "WE4",
        "NELSON2",
        "NELSON3",
        "NELSON4",
        "NELSON7",
        "NELSON8",
        "violating_runs",
    ]
    return min(names, key=lambda n: order.index(n) if n in order else len(order))


def _has_open_alarm(session: Session, char_id: int) -> bool:
    return (
        session.scalar(
            select(Alarm.id)
            .where(Alarm.characteristic_id == char_id, Alarm.status != AlarmStatus.RESOLVED)
            .limit(1)
        )
        is not None
    )


def process(session: Session, inserted: list[dict[str, Any]]) -> int:
    """Chart and judge freshly stored readings; returns the number of alarms raised.

    A characteristic has at most one open alarm: while it is raised or acknowledged, further
    violating points are flagged on the chart but raise no new alarm (no alarm storms).
    """
    by_char: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in inserted:
        by_char[r["characteristic_id"]].append(r)
    raised = 0
    for char_id, ls in active_limit_sets(session, set(by_char)).items():
        new = _new_points(session, ls, by_char[char_id])
        if not new:
            continue
        history = _history(session, ls)
        verdicts = evaluate(ls, history, new)
        for point, names in zip(new, verdicts, strict=True):
            point.violations = names
        session.add_all(new)
        session.flush()
        open_alarm = _has_open_alarm(session, char_id)
        for point, names in zip(new, verdicts, strict=True):
            if names and not open_alarm:
                _raise(session, ls, point, names)
                raised += 1
                open_alarm = True
    return raised
