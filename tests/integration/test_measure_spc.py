"""Measurement ingest, limit sets, live monitoring and alarms, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select, text

from qualitas.events import OutboxEvent
from qualitas.ledger.models import AuditEntry
from qualitas.measure.models import Measurement
from qualitas.spc import ShewhartChart
from tests.conftest import unique

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def char(as_user: Any, site_ids: dict[str, int]) -> dict[str, Any]:
    """A fresh variable characteristic of the Suzhou site."""
    r = as_user("qe.a").post(
        "/api/plant/characteristics",
        json={
            "site_id": site_ids["SUZ"],
            "code": unique("SPC"),
            "name": "Shaft diameter",
            "kind": "variable",
            "unit": "mm",
            "nominal": 10.0,
            "lsl": 9.9,
            "usl": 10.1,
        },
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def rows(
    char_id: int,
    values: list[float],
    start: int = 0,
    source: str = "gauge-7",
    subgroup_size: int = 0,
) -> list[dict[str, Any]]:
    out = []
    for i, v in enumerate(values, start=start):
        row = {
            "characteristic_id": char_id,
            "value": v,
            "seq": i,
            "source_id": source,
            "source_ts": (T0 + dt.timedelta(minutes=i)).isoformat(),
            "lot": "L-1",
        }
        if subgroup_size:
            row["subgroup"] = f"sg-{i // subgroup_size}"
        out.append(row)
    return out


def test_ingest_reports_duplicates_and_rejects_per_row(
    as_user: Any, char: dict[str, Any], site_ids: dict[str, int]
) -> None:
    op = as_user("op.a")
    batch = rows(char["id"], [10.0, 10.01, 9.99])
    r = op.post("/api/measurements", json={"rows": batch})
    assert r.json() == {
        "received": 3,
        "accepted": 3,
        "duplicates": 0,
        "rejected": [],
        "alarms_raised": 0,
    }
    other = (
        as_user("qe.b")
        .post(
            "/api/plant/characteristics",
            json={
                "site_id": site_ids["STR"],
                "code": unique("X"),
                "name": "x",
                "kind": "variable",
                "lsl": 0,
                "usl": 1,
            },
        )
        .json()
    )
    bad = [
        *batch[:2],  # duplicates
        {**batch[0], "seq": 99, "source_ts": "2026-03-01T07:00:00"},  # naive timestamp
        {**batch[0], "seq": 100, "value": "NaN"},
        {**batch[0], "seq": 101, "characteristic_id": other["id"]},  # another site
        {**batch[0], "seq": 102, "colour": "red"},
        {**batch[0], "seq": 103, "source_ts": "2026-02-27T23:00:00Z"},
    ]  # out of order: fine
    r = op.post("/api/measurements", json={"rows": bad})
    report = r.json()
    assert (report["accepted"], report["duplicates"]) == (1, 2)
    assert [(e["row"], e["field"]) for e in report["rejected"]] == [
        (3, "source_ts"),
        (4, "value"),
        (5, "characteristic_id"),
        (6, "colour"),
    ]
    stored = op.get(f"/api/measurements/characteristics/{char['id']}").json()
    assert len(stored) == 4 and stored[0]["source_ts"].startswith("2026-02-27")
    assert as_user("audit").post("/api/measurements", json={"rows": batch}).status_code == 403


def test_csv_ingest(as_user: Any, char: dict[str, Any]) -> None:
    lines = ["characteristic_id,value,source_ts,source_id,seq,lot"]
    lines += [f"{char['id']},{10 + i / 100},2026-03-02T10:0{i}:00Z,cmm-1,{i},L-9" for i in range(5)]
    content = ("\n".join(lines) + "\n").encode()
    api = as_user("insp.a")
    r = api.post("/api/measurements/csv", files={"file": ("m.csv", io.BytesIO(content))})
    assert r.json()["accepted"] == 5
    r = api.post(
        "/api/measurements/csv",
        files={"file": ("m.csv", io.BytesIO(b"characteristic_id,weight\n1,2\n"))},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"


def _limits(api: Any, char_id: int, **extra: Any) -> dict[str, Any]:
    body = {
        "characteristic_id": char_id,
        "reason": "Phase I study, 25 points",
        "reaction_plan": "Stop the line, quarantine the lot, call the process engineer",
    }
    r = api.post("/api/spc/limit-sets", json=body | extra)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_limit_set_from_phase_one_matches_the_engine(
    as_user: Any, char: dict[str, Any], demo_app: Any
) -> None:
    rng = np.random.default_rng(42)
    values = [float(v) for v in rng.normal(10.0, 0.01, 40)]
    api = as_user("qe.a")
    r = api.post("/api/measurements", json={"rows": rows(char["id"], values, subgroup_size=4)})
    assert r.json()["accepted"] == 40, r.text
    ls = _limits(api, char["id"], chart="xbar", subgroup_size=4)
    expected = ShewhartChart("xbar").fit(np.array(values).reshape(10, 4))
    assert ls["center"] == pytest.approx(expected.center, rel=1e-12)
    assert ls["std_dev"] == pytest.approx(expected.std_dev, rel=1e-12)
    assert ls["status"] == "draft" and ls["phase1"]["points"] == 10 and ls["revision"] == 1
    assert ls["phase1"]["given"] is False

    # The chart shows the study: its subgroups, against its limits, with the rules' flags,
    # reproduced from the stored readings; later readings (Phase II) are not part of it.
    late = rows(char["id"], [10.2] * 4, start=40, subgroup_size=4)
    assert api.post("/api/measurements", json={"rows": late}).json()["accepted"] == 4
    study = api.get(f"/api/spc/characteristics/{char['id']}/chart").json()["phase1"]
    assert study["limit_set_id"] == ls["id"] and study["reproduced"] is True
    assert study["points_total"] == 10 and len(study["points"]) == 10
    means = np.array(values).reshape(10, 4).mean(axis=1)
    assert [p["statistic"] for p in study["points"]] == pytest.approx(means.tolist(), rel=1e-12)
    lim = expected.evaluate(np.array(values).reshape(10, 4))
    assert study["points"][0]["ucl"] == pytest.approx(float(lim.ucl[0]), rel=1e-12)
    assert [p["subgroup"] for p in study["points"]] == [f"sg-{i}" for i in range(10)]
    with demo_app.state.db.engine.begin() as conn:  # a study reading changed behind our back
        conn.execute(
            text("UPDATE measurement SET value = value + 0.001 WHERE characteristic_id = :c"),
            {"c": char["id"]},
        )
    study = api.get(f"/api/spc/characteristics/{char['id']}/chart").json()["phase1"]
    assert study["reproduced"] is False
    r = api.post(
        "/api/spc/limit-sets",
        json={
            "characteristic_id": char["id"],
            "chart": "xbar",
            "subgroup_size": 1,
            "reason": "bad",
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "subgroup_size"
    assert (
        as_user("op.a")
        .post("/api/spc/limit-sets", json={"characteristic_id": char["id"], "reason": "not mine"})
        .status_code
        == 403
    )


def test_monitoring_raises_alarms_across_batches(
    as_user: Any, char: dict[str, Any], demo_app: Any
) -> None:
    qe, op = as_user("qe.a"), as_user("op.a")
    ls = _limits(qe, char["id"], center=10.0, std_dev=0.01, rule_set="western-electric")
    assert (
        qe.post(
            f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "approved by QE"}
        ).json()["status"]
        == "active"
    )
    r = op.post("/api/measurements", json={"rows": rows(char["id"], [10.005] * 5)})
    assert r.json()["alarms_raised"] == 0
    r = op.post(
        "/api/measurements", json={"rows": rows(char["id"], [10.005] * 3 + [10.05], start=5)}
    )
    # WE4 fires on the 8th point; the 9th (WE1) is flagged but the alarm is already open
    assert r.json()["alarms_raised"] == 1
    alarms = op.get(f"/api/spc/alarms?characteristic_id={char['id']}").json()
    assert [a["rule"] for a in alarms] == ["WE4"]
    assert alarms[0]["reaction_plan"].startswith("Stop the line")
    op.post(
        f"/api/spc/alarms/{alarms[0]['id']}/resolve",
        json={"cause": "setting drifted", "action": "offset corrected"},
    )
    r = op.post("/api/measurements", json={"rows": rows(char["id"], [9.95], start=9)})
    assert r.json()["alarms_raised"] == 1  # a new violation after resolution raises again
    chart = op.get(f"/api/spc/characteristics/{char['id']}/chart").json()
    assert len(chart["points"]) == 10 and chart["active"]["id"] == ls["id"]
    assert chart["points"][8]["violations"] == ["WE1", "WE4"]
    assert chart["points"][9]["violations"] == ["WE1"]
    assert chart["points"][0]["ucl"] == pytest.approx(10.03, rel=1e-12)
    with demo_app.state.db.session(write=False) as s:
        n = s.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(
                OutboxEvent.topic == "spc.alarm.raised",
                OutboxEvent.payload["characteristic_id"].as_integer() == char["id"],
            )
        )
    assert n == 2


def test_alarm_lifecycle_and_response_times(
    as_user: Any, char: dict[str, Any], site_ids: dict[str, int]
) -> None:
    qe, op = as_user("qe.a"), as_user("op.a")
    ls = _limits(qe, char["id"], center=10.0, std_dev=0.01, rule_set="qcc")
    r = qe.post(f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "approved"})
    assert r.status_code == 200, r.text
    op.post("/api/measurements", json={"rows": rows(char["id"], [10.2, 9.8], source="g2")})
    (first,) = op.get(f"/api/spc/alarms?characteristic_id={char['id']}").json()
    r = op.post(f"/api/spc/alarms/{first['id']}/acknowledge", json={"note": "on my way"})
    assert r.json()["status"] == "acknowledged" and r.json()["acknowledged_by"] == "op.a"
    assert op.post(f"/api/spc/alarms/{first['id']}/acknowledge", json={}).status_code == 409
    r = op.post(
        f"/api/spc/alarms/{first['id']}/resolve",
        json={"cause": "worn insert", "action": "insert changed, lot sorted"},
    )
    assert r.json()["status"] == "resolved" and r.json()["cause"] == "worn insert"
    op.post("/api/measurements", json={"rows": rows(char["id"], [10.3], start=5, source="g2")})
    second = op.get(f"/api/spc/alarms?characteristic_id={char['id']}&status=raised").json()[0]
    r = op.post(f"/api/spc/alarms/{second['id']}/resolve", json={"cause": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "action"
    assert (
        as_user("qe.b").post(f"/api/spc/alarms/{second['id']}/acknowledge", json={}).status_code
        == 404
    )
    times = op.get(f"/api/spc/response-times?site_id={site_ids['SUZ']}").json()
    assert times["resolved"] >= 1 and times["median_seconds_to_resolve"] >= 0
    hist = qe.get(f"/api/audit/entity/limit_set/{ls['id']}").json()
    assert [h["action"] for h in hist] == ["update", "create"]
    assert hist[0]["reason"] == "approved"
    alarm_hist = op.get(f"/api/audit/entity/alarm/{first['id']}").json()
    assert [h["action"] for h in alarm_hist] == ["update", "update", "create"]
    assert alarm_hist[-1]["actor_name"] == "spc-monitor"


def test_large_batch_storage_per_backend(
    backend: str, as_user: Any, char: dict[str, Any], demo_app: Any
) -> None:
    """2,500 readings over two months: PostgreSQL takes the COPY path into monthly partitions,
    SQLite one plain table; both store each reading once and count the replay as duplicates."""
    values = [10.0 + (i % 7) / 1000 for i in range(2500)]
    batch = rows(char["id"], values, source="bulk")
    batch[-1]["source_ts"] = "2026-05-31T23:59:59Z"  # a second month
    r = as_user("op.a").post("/api/measurements", json={"rows": batch})
    assert r.json()["accepted"] == 2500
    r = as_user("op.a").post("/api/measurements", json={"rows": batch})
    assert (r.json()["accepted"], r.json()["duplicates"]) == (0, 2500)
    with demo_app.state.db.session(write=False) as s:
        if backend == "postgresql":
            sql = (
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'measurement'"
            )
            assert {"measurement_y2026m03", "measurement_y2026m05"} <= set(s.scalars(text(sql)))
        else:
            sql = "SELECT name FROM sqlite_master WHERE name LIKE 'measurement_y%'"
            assert list(s.scalars(text(sql))) == []
        n = s.scalar(
            select(func.count())
            .select_from(Measurement)
            .where(Measurement.characteristic_id == char["id"])
        )
    assert n == 2500


def test_board_capability_and_stream(
    as_user: Any, char: dict[str, Any], site_ids: dict[str, int]
) -> None:
    qe, op = as_user("qe.a"), as_user("op.a")
    line = qe.get(f"/api/plant/nodes?level=line&site_id={site_ids['SUZ']}").json()["items"][0]
    qe.patch(
        f"/api/plant/characteristics/{char['id']}",
        json={
            "operation_node_id": line["id"],
            "version": char["version"],
            "reason": "route to line",
        },
    )
    rng = np.random.default_rng(9)
    values = [float(v) for v in rng.normal(10.0, 0.01, 60)]
    op.post("/api/measurements", json={"rows": rows(char["id"], values, source="cap")})
    cap = qe.get(f"/api/spc/characteristics/{char['id']}/capability").json()
    expected = ShewhartChart("xbar.one").fit(np.array(values))
    assert cap["within_sigma"] == pytest.approx(expected.std_dev, rel=1e-12)
    cp = (10.1 - 9.9) / (6 * expected.std_dev)
    assert cap["indices"]["Cp"]["value"] == pytest.approx(cp, rel=1e-12)
    assert sum(cap["histogram"]["counts"]) == 60 and len(cap["fitted"]["x"]) == 101
    ls = _limits(qe, char["id"], center=10.0, std_dev=0.01)
    qe.post(f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "approved"})
    op.post("/api/measurements", json={"rows": rows(char["id"], [10.5], start=100, source="b")})
    snap = op.get("/api/spc/board").json()
    assert [s["code"] for s in snap["sites"]] == ["SUZ"]
    tile = next(t for t in snap["sites"][0]["lines"] if t["id"] == line["id"])
    assert tile["status"] == "red" and tile["open_alarms"] >= 1
    mine = [a for a in snap["open_alarms"] if a["characteristic_id"] == char["id"]]
    assert mine and mine[0]["age_seconds"] >= 0 and mine[0]["rule"] == "WE1"
    assert any(p["characteristic_id"] == char["id"] for p in snap["pareto"])
    with op.client.stream("GET", "/api/spc/board/stream?once=true") as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    assert text.startswith("event: board\ndata: {") and text.endswith("\n\n")
    r = qe.get(f"/api/spc/characteristics/{char['id']}/capability?confidence_level=2")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "confidence_level"


def test_timestamps_are_stored_as_instants_and_deduplicated_across_offsets(
    as_user: Any, char: dict[str, Any]
) -> None:
    """Readings go to the driver directly: what is read back (and what deduplicates) must be
    the instant, whatever offset the source sent and whether it has microseconds."""
    op = as_user("op.a")
    base = {"characteristic_id": char["id"], "value": 10.0, "source_id": "plc-3"}
    batch = [
        {**base, "seq": 1, "source_ts": "2026-03-05T16:00:00+08:00"},  # 08:00:00Z, no fraction
        {**base, "seq": 2, "source_ts": "2026-03-05T08:00:00.000250Z"},
        {**base, "seq": 3, "source_ts": "2026-03-05T03:00:00.5-05:00"},
    ]
    assert op.post("/api/measurements", json={"rows": batch}).json()["accepted"] == 3
    again = [
        {**base, "seq": 1, "source_ts": "2026-03-05T08:00:00Z"},
        {**base, "seq": 2, "source_ts": "2026-03-05T10:00:00.000250+02:00"},
        {**base, "seq": 3, "source_ts": "2026-03-05T08:00:00.500000+00:00"},
        {**base, "seq": 3, "source_ts": "2026-03-05T08:00:00.5Z"},  # twice in one batch
    ]
    report = op.post("/api/measurements", json={"rows": again}).json()
    assert (report["accepted"], report["duplicates"]) == (0, 4)
    stored = op.get(f"/api/measurements/characteristics/{char['id']}").json()
    got = sorted(dt.datetime.fromisoformat(r["source_ts"]) for r in stored)
    assert got == [
        dt.datetime(2026, 3, 5, 8, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 5, 8, 0, 0, 250, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 5, 8, 0, 0, 500_000, tzinfo=dt.UTC),
    ]
    fresh = [{**base, "seq": 1, "source_ts": "2026-03-05T08:00:00.000001Z"}]  # another instant
    assert op.post("/api/measurements", json={"rows": fresh}).json()["accepted"] == 1


def test_many_alarms_in_one_batch_keep_the_audit_chain(
    as_user: Any, site_ids: dict[str, int], demo_app: Any
) -> None:
    """One batch raising alarms on several characteristics writes them (rows, audit entries,
    events) in one go; each alarm points at its own chart point and the chain verifies."""
    from qualitas.ledger import service as ledger

    qe, op = as_user("qe.a"), as_user("op.a")
    chars = []
    for i in range(4):
        c = qe.post(
            "/api/plant/characteristics",
            json={
                "site_id": site_ids["SUZ"],
                "code": unique(f"MA{i}"),
                "name": f"Bore {i}",
                "kind": "variable",
                "lsl": 9.0,
                "usl": 11.0,
            },
        ).json()
        ls = _limits(qe, c["id"], center=10.0, std_dev=0.01, rule_set="nelson")
        qe.post(f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "approved"})
        chars.append(c)
    batch = []
    for i, c in enumerate(chars):  # characteristic i breaks its limits at point i + 2
        values = [10.0] * 6
        values[i + 2] = 10.5
        batch += rows(c["id"], values, source=f"cmm-{i}")
    r = op.post("/api/measurements", json={"rows": batch})
    assert r.json()["alarms_raised"] == 4
    for i, c in enumerate(chars):
        alarms = op.get(f"/api/spc/alarms?characteristic_id={c['id']}").json()
        chart = op.get(f"/api/spc/characteristics/{c['id']}/chart").json()
        assert [a["rule"] for a in alarms] == ["NELSON1"]
        point = next(p for p in chart["points"] if p["id"] == alarms[0]["point_id"])
        assert point["statistic"] == 10.5 and chart["points"].index(point) == i + 2
    with demo_app.state.db.session(write=False) as s:
        assert ledger.verify(s).ok


def test_alarms_carry_characteristic_reading_time_and_ack_note(
    as_user: Any, char: dict[str, Any], demo_app: Any
) -> None:
    """Every alarm response names its characteristic and the time of the reading that raised
    it (distinct from raised_at, when the alarm was stored); the acknowledgement note is kept
    on the alarm, in its audit entry and in its event."""
    qe, op = as_user("qe.a"), as_user("op.a")
    ls = _limits(qe, char["id"], center=10.0, std_dev=0.01, rule_set="qcc")
    qe.post(f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "approved"})
    late = rows(char["id"], [10.0, 10.2], start=3, source="g-ts")  # the 10.2 is read at T0+4'
    assert op.post("/api/measurements", json={"rows": late}).json()["alarms_raised"] == 1
    (alarm,) = op.get(f"/api/spc/alarms?characteristic_id={char['id']}").json()
    assert alarm["characteristic_code"] == char["code"]
    assert alarm["characteristic_name"] == "Shaft diameter"
    assert dt.datetime.fromisoformat(alarm["point_ts"]) == T0 + dt.timedelta(minutes=4)
    assert dt.datetime.fromisoformat(alarm["raised_at"]) > T0 + dt.timedelta(days=1)
    assert alarm["ack_note"] is None
    chart = op.get(f"/api/spc/characteristics/{char['id']}/chart").json()
    point = next(p for p in chart["points"] if p["id"] == alarm["point_id"])
    assert dt.datetime.fromisoformat(point["ts"]) == dt.datetime.fromisoformat(alarm["point_ts"])
    board = op.get("/api/spc/board").json()
    (on_board,) = [a for a in board["open_alarms"] if a["id"] == alarm["id"]]
    assert dt.datetime.fromisoformat(on_board["point_ts"]) == T0 + dt.timedelta(minutes=4)

    r = op.post(f"/api/spc/alarms/{alarm['id']}/acknowledge", json={"note": " checking the gauge "})
    acked = r.json()
    assert r.status_code == 200 and acked["ack_note"] == "checking the gauge"
    assert (acked["characteristic_code"], acked["point_ts"]) == (
        char["code"],
        alarm["point_ts"],
    )
    listed = op.get(f"/api/spc/alarms?characteristic_id={char['id']}").json()[0]
    assert listed["ack_note"] == "checking the gauge"
    r = op.post(f"/api/spc/alarms/{alarm['id']}/acknowledge", json={"note": ""})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "note"
    resolved = op.post(
        f"/api/spc/alarms/{alarm['id']}/resolve",
        json={"cause": "gauge drift", "action": "re-zeroed"},
    ).json()
    assert resolved["ack_note"] == "checking the gauge"
    assert resolved["characteristic_name"] == "Shaft diameter" and resolved["point_ts"]

    hist = op.get(f"/api/audit/entity/alarm/{alarm['id']}").json()
    ack_entry = hist[1]
    assert ack_entry["reason"] == "checking the gauge"
    changes = {c["field"]: (c["old"], c["new"]) for c in ack_entry["changes"]}
    assert changes["ack_note"] == (None, "checking the gauge")
    assert changes["status"] == ("raised", "acknowledged")
    with demo_app.state.db.session(write=False) as s:
        after = s.scalar(
            select(AuditEntry.after)
            .where(AuditEntry.entity_type == "alarm", AuditEntry.entity_id == str(alarm["id"]))
            .order_by(AuditEntry.seq.desc())
        )
    # The audit snapshot is the alarm row itself, not the enriched response.
    assert after["ack_note"] == "checking the gauge" and "characteristic_code" not in after
    with demo_app.state.db.session(write=False) as s:
        payload = s.scalar(
            select(OutboxEvent.payload).where(
                OutboxEvent.topic == "spc.alarm.acknowledged",
                OutboxEvent.key == str(alarm["id"]),
            )
        )
    assert payload["ack_note"] == "checking the gauge"
    assert payload["characteristic_code"] == char["code"] and payload["point_ts"]


def test_board_and_capability_follow_their_response_models(
    as_user: Any, char: dict[str, Any], site_ids: dict[str, int]
) -> None:
    """The board and the capability study carry exactly the fields of their response models
    (the stream sends the same shape); Pareto entries name their characteristic's site."""
    from qualitas.spc.schemas import Board, CapabilityStudy

    qe, qe_b, op, qm = as_user("qe.a"), as_user("qe.b"), as_user("op.a"), as_user("qm")
    flat = rows(char["id"], [10.0] * 5, source="flat")
    assert op.post("/api/measurements", json={"rows": flat}).json()["accepted"] == 5
    r = qe.get(f"/api/spc/characteristics/{char['id']}/capability")
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "no_variation"

    rng = np.random.default_rng(3)
    values = [float(v) for v in rng.normal(10.0, 0.01, 40)]
    op.post("/api/measurements", json={"rows": rows(char["id"], values, start=10, source="v")})
    cap = qe.get(f"/api/spc/characteristics/{char['id']}/capability").json()
    assert set(cap) == set(CapabilityStudy.model_fields)
    assert (cap["sigma_source"], cap["limit_set_revision"]) == ("moving_range", None)
    assert set(cap["indices"]) == {"Cp", "Cp_l", "Cp_u", "Cp_k", "Cpm"}
    assert set(cap["indices"]["Cp_k"]) == {"value", "lower", "upper"}
    assert CapabilityStudy.model_validate(cap).model_dump(mode="json") == cap

    other = qe_b.post(
        "/api/plant/characteristics",
        json={
            "site_id": site_ids["STR"],
            "code": unique("STR"),
            "name": "Bore",
            "kind": "variable",
            "lsl": 9.0,
            "usl": 11.0,
        },
    ).json()
    revisions: dict[int, int] = {}
    for api, c, source in ((qe, char, "p-suz"), (qe_b, other, "p-str")):
        ls = _limits(api, c["id"], center=10.0, std_dev=0.01)
        api.post(f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "approved"})
        revisions[c["id"]] = ls["revision"]
        for i in range(3):  # one open alarm per characteristic: resolve, then break again
            r = qm.post("/api/measurements", json={"rows": rows(c["id"], [10.5], 100 + i, source)})
            assert r.json()["alarms_raised"] == 1, r.text
            if i < 2:
                query = f"characteristic_id={c['id']}&status=raised"
                (alarm,) = qm.get(f"/api/spc/alarms?{query}").json()
                done = {"cause": "tool wear", "action": "tool changed"}
                qm.post(f"/api/spc/alarms/{alarm['id']}/resolve", json=done).raise_for_status()
    cap = qe.get(f"/api/spc/characteristics/{char['id']}/capability").json()
    assert (cap["sigma_source"], cap["limit_set_revision"]) == ("limit_set", revisions[char["id"]])

    snap = qm.get("/api/spc/board").json()
    assert Board.model_validate(snap).model_dump(mode="json") == snap
    assert set(snap) == set(Board.model_fields)
    assert {"SUZ", "STR"} <= {s["code"] for s in snap["sites"]}
    pareto = {p["characteristic_id"]: p for p in snap["pareto"]}
    for c, site in ((char, "SUZ"), (other, "STR")):
        entry = pareto[c["id"]]
        assert (entry["code"], entry["site_id"], entry["site_code"]) == (
            c["code"],
            site_ids[site],
            site,
        )
        assert entry["count"] == 3  # within the ten most frequent
    assert all(p["site_code"] == "SUZ" for p in op.get("/api/spc/board").json()["pareto"])

    with qm.client.stream("GET", "/api/spc/board/stream?once=true") as r:
        body = "".join(r.iter_text())
    streamed = json.loads(body.removeprefix("event: board\ndata: ").strip())
    assert Board.model_validate(streamed).model_dump(mode="json") == streamed
    assert streamed["pareto"] == snap["pareto"]
    assert [s["id"] for s in streamed["sites"]] == [s["id"] for s in snap["sites"]]


def test_completing_subgroups_are_found_by_index(
    backend: str, as_user: Any, char: dict[str, Any], demo_app: Any
) -> None:
    """The lookup of the readings of the subgroups a batch touches searches the subgroup index
    (a scan of the measurement table would grow with every reading ever stored)."""
    from sqlalchemy import event

    qe, op = as_user("qe.a"), as_user("op.a")
    phase1 = rows(char["id"], [10.0, 10.02, 9.98, 10.01] * 2, 0, "p1", 4)
    assert op.post("/api/measurements", json={"rows": phase1}).json()["accepted"] == 8
    ls = _limits(qe, char["id"], chart="xbar", subgroup_size=4)
    qe.post(f"/api/spc/limit-sets/{ls['id']}/approve", json={"reason": "approved"})
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM measurement" in statement and "subgroup IN" in statement:
            seen.append((statement, params))

    engine = demo_app.state.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        batch = rows(char["id"], [10.0, 10.01, 9.99, 10.0], 8, "p2", 4)
        assert op.post("/api/measurements", json={"rows": batch}).json()["accepted"] == 4
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    ((statement, params),) = seen
    explain = "EXPLAIN " if backend == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        if backend == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: ask for the index
        plan = " ".join(str(r) for r in conn.exec_driver_sql(explain + statement, params))
    assert "ix_measurement_char_subgroup" in plan or ("measurement_y" in plan and "Index" in plan)
    if backend == "sqlite":
        assert "SEARCH" in plan and "SCAN measurement" not in plan
    chart = qe.get(f"/api/spc/characteristics/{char['id']}/chart").json()
    assert [p["subgroup"] for p in chart["points"]] == ["sg-2"]
