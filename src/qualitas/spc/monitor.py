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
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from qualitas import events
from qualitas.db import utcnow
from qualitas.ledger.service import Actor, AuditAction, Change
from qualitas.ledger.service import append_many as audit_many
from qualitas.measure import storage
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
        .where(  # an index search on both columns (a row-value IN would scan the table)
            Measurement.subgroup.is_not(None),
            Measurement.characteristic_id.in_(sorted({c for c, _ in keys})),
            Measurement.subgroup.in_(sorted({k for _, k in keys})),
        )
        .order_by(Measurement.id)
    )
    groups: dict[tuple[int, str | None], list[tuple[float, dt.datetime]]] = defaultdict(list)
    for char_id, key, value, ts in rows:
        if (char_id, key) in keys:  # not another characteristic's key of the same name
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


_POINT_COLS = "id, characteristic_id, limit_set_id, statistic, size"
_RECENT_PG = (  # constants only: the ids are one bound array
    f"SELECT p.* FROM unnest(CAST(:ids AS int4[])) AS c(id) CROSS JOIN LATERAL "  # noqa: S608
    f"(SELECT {_POINT_COLS} FROM spc_point WHERE characteristic_id = c.id "
    f"ORDER BY id DESC LIMIT {WINDOW}) AS p"
)
_RECENT_ONE = (  # one part of a UNION ALL; {0} is the part's number, the id a bound value
    f"SELECT * FROM (SELECT {_POINT_COLS} FROM spc_point "  # noqa: S608
    f"WHERE characteristic_id = :c{{0}} ORDER BY id DESC LIMIT {WINDOW}) AS p{{0}}"
)


def _histories(session: Session, sets: dict[int, LimitSet]) -> dict[int, list[Pt]]:
    """The last WINDOW points of each characteristic's active limit set: one query, one
    index range scan per characteristic (newest first), however long the history."""
    ids = sorted(sets)
    if not ids:
        return {}
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(text(_RECENT_PG), {"ids": ids}).all()
    else:
        sql = " UNION ALL ".join(_RECENT_ONE.format(i) for i in range(len(ids)))
        rows = session.execute(text(sql), {f"c{i}": c for i, c in enumerate(ids)}).all()
    out: dict[int, list[Pt]] = defaultdict(list)
    for _id, char_id, ls_id, statistic, size in sorted(rows, key=lambda r: r[0]):
        if sets[char_id].id == ls_id:
            out[char_id].append(Pt(statistic, size))
    return out


def evaluate_many(
    sets: dict[int, LimitSet], histories: dict[int, list[Any]], new: dict[int, list[Any]]
) -> dict[int, list[list[str]]]:
    """Rule names violated by each new point of each characteristic, judged with the window of
    points before it. The series of characteristics with the same rules are laid end to end,
    WINDOW missing points apart (a missing point matches no rule and breaks every run and
    window), and judged in one pass."""
    groups: dict[tuple[str, float, int], list[int]] = defaultdict(list)
    for key in new:
        ls = sets[key]
        groups[(ls.rule_set, ls.nsigmas, ls.run_length)].append(key)
    out: dict[int, list[list[str]]] = {}
    for (rule_set, nsigmas, run_length), keys in groups.items():
        stat, center, lcl, ucl, starts = [], [], [], [], []
        at = 0
        for key in keys:
            ls, pts = sets[key], histories.get(key, []) + new[key]
            sizes = np.array([p.size for p in pts], dtype=np.float64)
            lo, hi = limits_of(ls).limits_for(sizes)
            stat += [np.array([p.statistic for p in pts], dtype=np.float64), _GAP]
            center += [np.full(sizes.size, ls.center), _GAP]
            lcl += [np.asarray(lo, dtype=np.float64), _GAP]
            ucl += [np.asarray(hi, dtype=np.float64), _GAP]
            starts.append(at + len(pts) - len(new[key]))
            at += len(pts) + WINDOW
        s, c, lo_, hi_ = (np.concatenate(part) for part in (stat, center, lcl, ucl))
        flagged = rules.evaluate(rule_set, s, c, lo_, hi_, nsigmas, run_length)
        names = rules.names_per_point(flagged, at)
        for key, start in zip(keys, starts, strict=True):
            out[key] = names[start : start + len(new[key])]
    return out


_GAP = np.full(WINDOW, np.nan)


def _store(
    session: Session, sets: dict[int, LimitSet], new: dict[int, list[Pt]], need_ids: set[int]
) -> None:
    """Insert the batch's points so that ids follow each chart's order: the points before a
    chart's alarm point in bulk through the driver, then the alarm points (their ids are
    needed), then the rest in bulk."""
    table: Any = SpcPoint.__table__
    now = utcnow()
    before: list[list[Any]] = []
    after: list[list[Any]] = []
    keep: list[Pt] = []
    keep_rows: list[dict[str, Any]] = []
    for char_id, pts in new.items():
        ls_id = sets[char_id].id
        bulk = before if any(id(p) in need_ids for p in pts) else after
        for p in pts:
            if id(p) in need_ids:
                keep.append(p)
                keep_rows.append(
                    {
                        "characteristic_id": char_id,
                        "limit_set_id": ls_id,
                        "ts": p.ts,
                        "statistic": p.statistic,
                        "size": p.size,
                        "subgroup": p.subgroup,
                        "violations": p.violations,
                        "created_at": now,
                    }
                )
                bulk = after
            else:
                marks = json.dumps(p.violations) if p.violations else "[]"  # as JSON writes
                bulk.append([char_id, ls_id, p.ts, p.statistic, p.size, p.subgroup, marks, now])
    storage.insert_rows(session, SpcPoint.__tablename__, POINT_COLUMNS, before, (2, 7))
    if keep_rows:
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        for p, point_id in zip(keep, session.scalars(stmt, keep_rows), strict=True):
            p.id = int(point_id)
    storage.insert_rows(session, SpcPoint.__tablename__, POINT_COLUMNS, after, (2, 7))


POINT_COLUMNS = (
    "characteristic_id",
    "limit_set_id",
    "ts",
    "statistic",
    "size",
    "subgroup",
    "violations",
    "created_at",
)


def _open_alarms(session: Session, char_ids: set[int]) -> set[int]:
    return set(
        session.scalars(
            select(Alarm.characteristic_id)
            .where(Alarm.characteristic_id.in_(char_ids), Alarm.status != AlarmStatus.RESOLVED)
            .distinct()
        )
    )


def _raise(session: Session, raised: list[tuple[LimitSet, Pt]]) -> None:
    """Alarms for the given first violating points: rows, audit entries and events, each
    written in one go."""
    alarms = []
    for ls, point in raised:
        names = point.violations
        rule = min(names, key=lambda n: RULE_ORDER.index(n) if n in RULE_ORDER else 99)
        alarms.append(
            Alarm(
                characteristic_id=ls.characteristic_id,
                site_id=ls.site_id,
                limit_set_id=ls.id,
                point_id=point.id,
                rule=rule,
                statistic=point.statistic,
                reaction_plan=ls.reaction_plan,
            )
        )
    session.add_all(alarms)
    session.flush()
    changes: list[Change] = []
    items: list[tuple[str, dict[str, Any], str | None]] = []
    for alarm, (ls, point) in zip(alarms, raised, strict=True):
        after = {
            "rule": alarm.rule,
            "rules": point.violations,
            "statistic": point.statistic,
            "characteristic_id": ls.characteristic_id,
            "point_id": point.id,
        }
        changes.append(Change(AuditAction.CREATE, "alarm", alarm.id, ls.site_id, after=after))
        payload = {
            "alarm_id": alarm.id,
            "characteristic_id": ls.characteristic_id,
            "site_id": ls.site_id,
            "rules": point.violations,
            "statistic": point.statistic,
            "reaction_plan": ls.reaction_plan,
            "point_ts": point.ts,
        }
        items.append(("spc.alarm.raised", payload, str(alarm.id)))
    audit_many(session, MONITOR, changes)
    events.emit_many(session, items)


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
    for char_id, found in evaluate_many(sets, histories, new).items():
        for p, names in zip(new[char_id], found, strict=True):
            p.violations = names
    open_alarm = _open_alarms(session, set(new))
    to_raise: list[tuple[int, Pt]] = []
    for char_id, pts in new.items():
        first = next((p for p in pts if p.violations), None)
        if first is not None and char_id not in open_alarm:
            to_raise.append((char_id, first))
    _store(session, sets, new, {id(p) for _, p in to_raise})
    if to_raise:
        _raise(session, [(sets[char_id], p) for char_id, p in to_raise])
    return len(to_raise)
