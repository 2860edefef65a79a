"""The genealogy engine on a generated genealogy, against the generator's own ground truth.

The ``tiny`` preset of ``bench/trace`` (suppliers, silos, splits and merges, rework, relabelled
transfers, serialised units, cases and pallets broken down at a distribution centre, units picked
out of cases, multi-drop deliveries) is loaded into SQLite and PostgreSQL; every sampled start
point is traced through ``SqlEdgeSource`` and compared, key by key, with the closure the
generator computed from its simulation records (never from the edge table).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from qualitas import migrate
from qualitas.db import Database
from qualitas.trace.epcis.identifiers import normalise_id
from qualitas.trace.genealogy import AT, DST, EVENT, SRC, Walk, walk
from qualitas.trace.store import SqlEdgeSource
from tests.conftest import new_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: bench.trace

from bench.trace import generator as gen
from bench.trace import gs1
from bench.trace.accuracy import reached, trace
from bench.trace.groundtruth import GroundTruth, Sample
from bench.trace.truth import Truth
from bench.trace.world import EV_SPLIT, UNIT, World


@dataclass
class Loaded:
    db: Database
    base: int  # database id of generator node 0
    keys: dict[int, str]  # database id -> key


@pytest.fixture(scope="module")
def world() -> World:
    return gen.generate("tiny")


@pytest.fixture(scope="module")
def truth(world: World) -> Truth:
    return Truth(world)


@pytest.fixture(scope="module")
def gt(world: World, loaded: Loaded) -> GroundTruth:
    g = gen.ground_truth(world)
    g.id_base = loaded.base
    return g


@pytest.fixture(scope="module")
def loaded(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
    world: World,
) -> Iterator[Loaded]:  # fmt: skip
    db = Database(new_url(backend, request, tmp_path_factory))
    migrate.upgrade(db)
    stats = gen.load(world, db)
    with db.session(write=False) as s:
        keys = dict(s.execute(text("SELECT id, key FROM trace_node")).all())
    yield Loaded(db, stats.node_base + 1, keys)
    db.dispose()


@pytest.fixture
def session(loaded: Loaded) -> Iterator[Session]:
    with loaded.db.session(write=False) as s:
        yield s


def engine(session: Session, loaded: Loaded, root: int, direction: str, **kw: object) -> Walk:
    return walk(SqlEdgeSource(session), [root + loaded.base], direction, **kw)  # type: ignore[arg-type]


def hits(w: Walk, loaded: Loaded) -> set[str]:
    """Keys reached, roots and transformation nodes left out."""
    roots = set(w.roots)
    keys = (loaded.keys[n] for n in w.reached if n not in roots)
    return {k for k in keys if not k.startswith(gs1.TRANSFORMATION)}


def expected(world: World, ids: np.ndarray) -> set[str]:
    return {world.key_of(int(i)) for i in ids}


def test_the_generator_is_deterministic_and_covers_every_behaviour(world: World) -> None:
    again = gen.generate("tiny")
    assert again.key == world.key
    assert again.edge_count() == world.edge_count()
    assert world.reworked and world.relabelled and world.silo_lots
    assert EV_SPLIT in world.ev_kind  # splits and merges
    assert len(world.picks["unit"]) > 0
    assert (world.placements["t_off"] >= 0).any()  # cases unloaded or broken down
    assert any(len(e[3]) > 1 for e in world.log if e[0] == "T")  # several outputs


def test_keys_are_normalised_gs1_identifiers(loaded: Loaded) -> None:
    for key in loaded.keys.values():
        assert normalise_id(key) == key
        if key.startswith(gs1.DL):
            ai, value = key[len(gs1.DL) :].split("/")[:2]
            assert ai in {"01", "00", "414", "417"}
            assert gs1.valid(value), key


@pytest.mark.parametrize("timed", [True, False], ids=["time-respecting", "unbounded"])
def test_every_closure_equals_the_ground_truth(
    session: Session, loaded: Loaded, gt: GroundTruth, world: World, timed: bool
) -> None:
    source = SqlEdgeSource(session)
    checked = 0
    for s in gt.samples:
        if s.name == "ship-to":
            continue  # see test_what_a_ship_to_received
        got = hits(trace(source, s, loaded.base, timed=timed), loaded)
        want = expected(world, s.exact if timed else s.unbounded)
        missed, extra = want - got, got - want
        assert not missed and not extra, (s.name, s.direction, s.root, s.at, missed, extra)
        checked += 1
    assert checked >= 60


def test_what_a_ship_to_received(
    session: Session, loaded: Loaded, gt: GroundTruth, world: World
) -> None:
    source = SqlEdgeSource(session)
    for s in gt.samples:
        if s.name == "ship-to":
            got = hits(trace(source, s, loaded.base), loaded)
            assert got == expected(world, s.exact)


def _rework(world: World) -> tuple[int, int, int, list[int]]:
    """(reworked lot, rework agent lot, rework time, outputs of batches that drew the lot
    before the rework)."""
    for lot, node, t2 in world.reworked:
        entry = next(e for e in world.log if e[0] == "T" and e[4] == node)
        agent = next(i for i, _ in entry[2] if i != lot)
        before = [o for e in world.log if e[0] == "T" and e[1] < t2 and e[4] != node
                  and lot in {i for i, _ in e[2]} for o, _ in e[3]]  # fmt: skip
        if before:
            return lot, agent, t2, before
    raise AssertionError("no rework after a first draw")


def test_a_rework_loop_terminates_and_only_time_resolves_it(
    session: Session, loaded: Loaded, world: World, truth: Truth
) -> None:
    lot, agent, _, before = _rework(world)
    produced = session.execute(
        text("SELECT COUNT(*) FROM trace_edge WHERE dst = :n AND kind = 1"),
        {"n": lot + loaded.base},
    ).scalar()
    assert produced >= 2  # the same lot id comes out of its batch and out of the rework
    timed = engine(session, loaded, agent, "forward")
    plain = engine(session, loaded, agent, "forward", time_respecting=False)
    assert timed.levels < 50 and plain.levels < 50
    assert lot + loaded.base in timed.reached
    earlier = {o + loaded.base for o in before}
    assert not earlier & set(timed.reached)  # drawn before the rework added the agent
    assert earlier <= set(plain.reached)
    assert hits(timed, loaded) == expected(world, truth.forward_lots([agent])[0].array())


def test_a_time_bounded_trace_is_a_subset_and_drops_edges_outside_it(
    session: Session, loaded: Loaded, world: World, gt: GroundTruth
) -> None:
    root = gt.samples[gt.named["largest raw lot"]].root
    full = engine(session, loaded, root, "forward")
    plain = engine(session, loaded, root, "forward", time_respecting=False)
    assert set(full.reached) <= set(plain.reached)
    times = sorted(e[AT] for _, _, _, e in full.reached.values() if e is not None)
    t0 = times[len(times) // 2]
    bounded = engine(session, loaded, root, "forward", window=(t0, None))
    assert set(bounded.reached) < set(full.reached)
    for arrival, _, _, edge in bounded.reached.values():
        if edge is not None:
            assert edge[AT] >= t0
            assert arrival >= t0
    for w in (full, bounded):  # along every path, material leaves after it arrived
        for node in w.nodes():
            ats = [e[AT] for e in w.path(node)]
            assert ats == sorted(ats)


def test_several_lots_of_one_material_in_one_batch_are_all_found(
    session: Session, loaded: Loaded, world: World
) -> None:
    for e in world.log:
        if e[0] != "T" or not world.meta[e[4]][0].startswith("P"):
            continue
        by_material: dict[int, list[int]] = {}
        for lot, _ in e[2]:
            by_material.setdefault(world.lot_material[lot], []).append(lot)
        same = next((lots for lots in by_material.values() if len(lots) > 1), None)
        if same:
            back = engine(session, loaded, e[3][0][0], "backward")
            assert {x + loaded.base for x in same} <= set(back.reached)
            return
    raise AssertionError("no batch with several lots of one material")


def test_a_unit_picked_out_of_its_case_does_not_travel_on_with_it(
    session: Session, loaded: Loaded, world: World, truth: Truth
) -> None:
    pk, sh, pl, cs = world.picks, world.ships, world.placements, world.cases
    base = world.unit_base
    found = 0
    for i in range(len(pk["unit"])):
        unit, case, t_pick = int(pk["unit"][i]), int(pk["case"][i]), int(pk["t_pick"][i])
        row = truth.case_row[case]
        stayed = next(u for u in range(int(cs["unit0"][row]), int(cs["unit0"][row] + cs["n"][row]))
                      if u not in set(pk["unit"].tolist()))  # fmt: skip
        gone = truth.forward_unit(base + unit).array()
        for j in truth.pl_by_case[case]:
            box, t_on, t_off = int(pl["container"][j]), int(pl["t_on"][j]), int(pl["t_off"][j])
            for k in truth.ship_by_container.get(box, ()):
                t, dest = int(sh["t"][k]), int(sh["dest"][k])
                if t_pick <= t and t_on <= t and (t_off < 0 or t < t_off) and dest not in gone:
                    picked = engine(session, loaded, base + unit, "forward")
                    kept = engine(session, loaded, base + stayed, "forward")
                    assert dest + loaded.base not in picked.reached
                    assert dest + loaded.base in kept.reached
                    found += 1
    assert found


def test_every_hit_has_a_connected_event_path_from_the_root(
    session: Session, loaded: Loaded, gt: GroundTruth
) -> None:
    events = {r[0] for r in session.execute(text("SELECT id FROM trace_event"))}
    source = SqlEdgeSource(session)
    for s in gt.samples:
        w = trace(source, s, loaded.base)
        root = w.roots[0]
        head, tail = (SRC, DST) if s.direction == "forward" else (DST, SRC)
        for node in w.nodes():
            path = w.path(node)
            assert path and path[0][head] == root and path[-1][tail] == node
            for a, b in itertools.pairwise(path):
                assert a[tail] == b[head]
            assert all(e[EVENT] in events for e in path)


def test_the_scoring_helpers_agree_with_the_key_comparison(
    session: Session, loaded: Loaded, gt: GroundTruth
) -> None:
    s: Sample = gt.samples[gt.named["largest raw lot"]]
    got = reached(trace(SqlEdgeSource(session), s, loaded.base), gt.kinds, loaded.base)
    assert np.array_equal(got, s.exact)
    assert (gt.kinds[s.exact] == UNIT).sum() == s.units
