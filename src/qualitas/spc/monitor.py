"""Live monitoring: new readings become chart points, are checked against the active limit set
and its rules, and a violating point raises an alarm (in the caller's transaction).

Points are evaluated in arrival order with a window of the previous points, so runs, trends and
zone rules span batches. A subgroup chart plots a subgroup once it holds exactly n readings.
A characteristic has at most one open alarm: while it is raised or acknowledged, further
violating points are flagged on the chart but raise no new alarm (no alarm storms).
Every step works on the whole batch with a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select, tuple_
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
RULE_ORDER = [
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


@dataclass
class Pt:
    """A chart point before (or without) its database row."""

    statistic: float
    size: int
    ts: dt.datetime | None = None
    subgroup: str | None = None
    violations: list[str] = field(default_factory=list)
    id: int | None = None


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


def _subgroups(
    session: Session, sets: dict[int, LimitSet], by_char: dict[int, list[dict[str, Any]]]
) -> dict[int, list[Pt]]:
    """Subgroups that this batch completed, per characteristic (one query for all)."""
    keys = {
        (c, r["subgroup"])
        for c, ls in sets.items()
        if Chart(ls.chart) in SUBGROUP_CHARTS
        for r in by_char[c]
        if r["subgroup"]
    }
    if not keys:
        return {}
    rows = session.execute(
        select(
            Measurement.characteristic_id,
            Measurement.subgroup,
            Measurement.value,
            Measurement.source_ts,
        )
        .where(tuple_(Measurement.characteristic_id, Measurement.subgroup).in_(sorted(keys)))
        .order_by(Measurement.id)
    )
    groups: dict[tuple[int, str | None], list[tuple[float, dt.datetime]]] = defaultdict(list)
    for char_id, key, value, ts in rows:
        groups[(char_id, key)].append((value, ts))
    out: dict[int, list[Pt]] = defaultdict(list)
    for (char_id, key), members in groups.items():
        ls = sets[char_id]
        if len(members) != ls.subgroup_size:
            continue  # incomplete, or already plotted when it reached n
        out[char_id].append(
            Pt(
                _statistic(Chart(ls.chart), [v for v, _ in members]),
                ls.subgroup_size,
                max(t for _, t in members),
                key,
            )
        )
    for pts in out.values():
        pts.sort(key=lambda p: (p.ts or dt.datetime.min.replace(tzinfo=dt.UTC), p.subgroup or ""))
    return out


def _new_points(
    session: Session, sets: dict[int, LimitSet], by_char: dict[int, list[dict[str, Any]]]
) -> dict[int, list[Pt]]:
    out = _subgroups(session, sets, by_char)
    for char_id, ls in sets.items():
        if Chart(ls.chart) is Chart.XBAR_ONE:
            readings = sorted(by_char[char_id], key=lambda r: (r["source_ts"], r["id"]))
            out[char_id] = [Pt(r["value"], 1, r["source_ts"], r["subgroup"]) for r in readings]
    return out


def _histories(session: Session, sets: dict[int, LimitSet]) -> dict[int, list[Pt]]:
    """The last WINDOW points of each characteristic's active limit set (one query)."""
    rank = (
        func.row_number()
        .over(partition_by=SpcPoint.characteristic_id, order_by=SpcPoint.id.desc())
        .label("rank")
    )
    recent = (
        select(
            SpcPoint.characteristic_id,
            SpcPoint.limit_set_id,
            SpcPoint.statistic,
            SpcPoint.size,
            rank,
        )
        .where(SpcPoint.characteristic_id.in_(set(sets)))
        .subquery()
    )
    rows = session.execute(
        select(recent)
        .where(recent.c.rank <= WINDOW)
        .order_by(recent.c.characteristic_id, recent.c.rank.desc())
    )
    out: dict[int, list[Pt]] = defaultdict(list)
    for char_id, ls_id, statistic, size, _rank in rows:
        if sets[char_id].id == ls_id:
            out[char_id].append(Pt(statistic, size))
    return out


def evaluate(ls: LimitSet, history: list[Any], new: list[Any]) -> list[list[str]]:
    """Rule names violated by each new point, judged with the preceding window."""
    pts = history + new
    stat = np.array([p.statistic for p in pts], dtype=np.float64)
    sizes = np.array([p.size for p in pts], dtype=np.float64)
    lcl, ucl = limits_of(ls).limits_for(sizes)
    center = np.full(stat.size, ls.center)
    flagged = rules.evaluate(ls.rule_set, stat, center, lcl, ucl, ls.nsigmas, ls.run_length)
    out: list[list[str]] = [[] for _ in new]
    start = len(history)
    for name, idx in flagged.items():
        for i in idx[idx >= start]:
            out[int(i) - start].append(name)
    return out


def _store(
    session: Session, sets: dict[int, LimitSet], new: dict[int, list[Pt]], need_ids: set[int]
) -> None:
    """Insert the batch's points: in bulk, except those that need their id (alarm points)."""
    table: Any = SpcPoint.__table__
    bulk = []
    for char_id, pts in new.items():
        for p in pts:
            row = {
                "characteristic_id": char_id,
                "limit_set_id": sets[char_id].id,
                "ts": p.ts,
                "statistic": p.statistic,
                "size": p.size,
                "subgroup": p.subgroup,
                "violations": p.violations,
            }
            if id(p) in need_ids:
                p.id = int(session.execute(insert(table).returning(table.c.id), row).scalar_one())
            else:
                bulk.append(row)
    if bulk:
        session.execute(insert(table), bulk)


def _open_alarms(session: Session, char_ids: set[int]) -> set[int]:
    return set(
        session.scalars(
            select(Alarm.characteristic_id)
            .where(Alarm.characteristic_id.in_(char_ids), Alarm.status != AlarmStatus.RESOLVED)
            .distinct()
        )
    )


def _raise(session: Session, ls: LimitSet, point: Pt, names: list[str]) -> Alarm:
    rule = min(names, key=lambda n: RULE_ORDER.index(n) if n in RULE_ORDER else len(RULE_ORDER))
    alarm = Alarm(
        characteristic_id=ls.characteristic_id,
        site_id=ls.site_id,
        limit_set_id=ls.id,
        point_id=point.id,
        rule=rule,
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
            "rule": rule,
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


def process(session: Session, inserted: list[dict[str, Any]]) -> int:
    """Chart and judge freshly stored readings; returns the number of alarms raised."""
    by_char: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in inserted:
        by_char[r["characteristic_id"]].append(r)
    sets = active_limit_sets(session, set(by_char))
    if not sets:
        return 0
    new = {c: pts for c, pts in _new_points(session, sets, by_char).items() if pts}
    if not new:
        return 0
    histories = _histories(session, {c: sets[c] for c in new})
    for char_id, pts in new.items():
        for p, names in zip(pts, evaluate(sets[char_id], histories[char_id], pts), strict=True):
            p.violations = names
    open_alarm = _open_alarms(session, set(new))
    to_raise: list[tuple[int, Pt]] = []
    for char_id, pts in new.items():
        first = next((p for p in pts if p.violations), None)
        if first is not None and char_id not in open_alarm:
            to_raise.append((char_id, first))
    _store(session, sets, new, {id(p) for _, p in to_raise})
    for char_id, p in to_raise:
        _raise(session, sets[char_id], p, p.violations)
    raised = len(to_raise)
    return raised
