"""The pure genealogy walk: time rules, containment intervals, loops, paths, quantities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from qualitas.trace.genealogy import EdgeRow, Kind, walk

T, C, S, R, M = Kind.TRANSFORM, Kind.CONTAIN, Kind.SHIP, Kind.RELABEL, Kind.COMMISSION


class Graph:
    """An in-memory edge source counting the level queries it answers."""

    def __init__(self, edges: Iterable[tuple[int, ...]]) -> None:
        self.out: dict[int, list[EdgeRow]] = defaultdict(list)
        self.inc: dict[int, list[EdgeRow]] = defaultdict(list)
        self.calls = 0
        for i, e in enumerate(edges):
            src, dst, kind, at = e[:4]
            until = e[4] if len(e) > 4 else None
            qty = e[5] if len(e) > 5 else None
            row: EdgeRow = (src, dst, int(kind), at, until, 1000 + i, qty, qty, "KGM")
            self.out[src].append(row)
            self.inc[dst].append(row)

    def outgoing(self, nodes: Sequence[int]) -> Iterable[EdgeRow]:
        self.calls += 1
        return [e for n in nodes for e in self.out.get(n, [])]

    def incoming(self, nodes: Sequence[int]) -> Iterable[EdgeRow]:
        self.calls += 1
        return [e for n in nodes for e in self.inc.get(n, [])]


def reached(g: Graph, root: int, direction: str, **kw: object) -> set[int]:
    return set(walk(g, [root], direction, **kw).nodes())  # type: ignore[arg-type]


def test_forward_follows_only_edges_after_arrival() -> None:
    # lot 1 arrives in batch 10 at t=5; batch 10 made lot 2 at t=5; lot 2 consumed at t=3 (before it
    # existed: a data error) and at t=8.
    g = Graph(
        [(1, 10, T, 5), (10, 2, T, 5), (2, 11, T, 3), (11, 3, T, 3), (2, 12, T, 8), (12, 4, T, 8)]
    )
    assert reached(g, 1, "forward") == {10, 2, 12, 4}
    assert reached(g, 1, "forward", time_respecting=False) == {10, 2, 11, 3, 12, 4}


def test_backward_follows_only_edges_before_use() -> None:
    # lot 4 made at t=8 from lot 2; lot 2 made at t=5 from lot 1 and at t=9 (after) from lot 7.
    g = Graph(
        [(1, 10, T, 5), (10, 2, T, 5), (7, 13, T, 9), (13, 2, T, 9), (2, 12, T, 8), (12, 4, T, 8)]
    )
    assert reached(g, 4, "backward") == {12, 2, 10, 1}


def test_several_lots_of_one_material_in_one_batch_are_all_found() -> None:
    g = Graph([(1, 10, T, 5, None, 40.0), (2, 10, T, 5, None, 25.0), (3, 10, T, 5, None, 35.0),
               (10, 9, T, 5, None, 100.0)])  # fmt: skip
    w = walk(g, [9], "backward")
    assert set(w.nodes()) == {10, 1, 2, 3}
    assert w.quantity(2) == (25.0, "KGM")


def test_rework_loop_terminates_and_keeps_the_earliest_arrival() -> None:
    # lot 5 goes through rework (transformation 20) and comes back as lot 5, twice.
    g = Graph([(1, 10, T, 1), (10, 5, T, 1), (5, 20, T, 3), (20, 5, T, 3), (5, 21, T, 6),
               (21, 5, T, 6), (5, 22, T, 9), (22, 6, T, 9)])  # fmt: skip
    w = walk(g, [1], "forward")
    assert set(w.nodes()) == {10, 5, 20, 21, 22, 6}
    assert w.reached[5][0] == 1  # arrival of the first production, not of the rework
    assert g.calls < 10


def test_containment_interval_is_respected_forward() -> None:
    # unit 1 in case 2 from t=1 to t=4; case 2 on pallet 3 from t=2; pallet 3 shipped at t=5 to
    # customer 9: unit 1 had left the case before, so it did not reach customer 9.
    g = Graph([(1, 2, C, 1, 4), (2, 3, C, 2, None), (3, 9, S, 5)])
    assert reached(g, 1, "forward") == {2, 3}
    g2 = Graph([(1, 2, C, 1, 6), (2, 3, C, 2, None), (3, 9, S, 5)])
    assert reached(g2, 1, "forward") == {2, 3, 9}


def test_what_was_on_a_pallet_at_a_time() -> None:
    # units 1 and 4 in case 2 (unit 4 removed at t=3); case 2 on pallet 3 from t=2.
    g = Graph([(1, 2, C, 1, None), (4, 2, C, 1, 3), (2, 3, C, 2, None), (5, 3, C, 6, None)])
    assert reached(g, 3, "backward", at=4) == {2, 1}
    # up to t=4 unit 4 was on it too (from t=2 to t=3); unit 5 came later
    assert reached(g, 3, "backward", window=(None, 4)) == {2, 1, 4}
    assert reached(g, 3, "backward") == {2, 1, 4, 5}


def test_window_bounds_the_walk() -> None:
    g = Graph([(1, 10, T, 5), (10, 2, T, 5), (2, 11, T, 20), (11, 3, T, 20)])
    assert reached(g, 1, "forward", window=(None, 10)) == {10, 2}
    assert reached(g, 1, "forward", window=(6, None)) == set()


def test_path_is_a_connected_chain_from_the_root() -> None:
    g = Graph([(1, 10, T, 1), (10, 2, T, 1), (2, 3, C, 2), (3, 9, S, 3)])
    w = walk(g, [1], "forward")
    path = w.path(9)
    assert [e[0] for e in path] == [1, 10, 2, 3]
    assert [e[1] for e in path] == [10, 2, 3, 9]
    assert [e[0] for e in walk(g, [9], "backward").path(1)] == [3, 2, 10, 1]
    assert w.depth(9) == 4


def test_relabel_and_commission_edges_are_followed() -> None:
    g = Graph([(100, 1, R, 1), (1, 10, T, 2), (10, 2, T, 2), (2, 50, M, 3), (2, 51, M, 3)])
    assert reached(g, 100, "forward") == {1, 10, 2, 50, 51}
    assert reached(g, 51, "backward") == {2, 10, 1, 100}


def test_one_query_per_level() -> None:
    edges = [(0, i, T, 1) for i in range(1, 200)] + [(i, 1000 + i, T, 2) for i in range(1, 200)]
    g = Graph(edges)
    w = walk(g, [0], "forward")
    assert len(set(w.nodes())) == 398
    assert g.calls == 3  # two levels with edges, one that finds none


def test_backward_from_a_place_leaves_out_what_was_unloaded_before_shipping() -> None:
    # case 10 on pallet 20 from t=1 until unloaded at t=5, case 11 stays; pallet to ship-to 30 at 7
    g = Graph([(10, 20, C, 1, 5), (11, 20, C, 1, None), (20, 30, S, 7)])
    assert reached(g, 30, "backward") == {20, 11}


def test_two_paths_do_not_merge_into_an_interval_neither_has() -> None:
    # unit 1 in case 10 from 1 to 3, unit 2 from 5; case 10 on pallet 20 from 4 to 5: neither
    # unit was in the case while it was on the pallet
    g = Graph(
        [(0, 1, M, 0), (0, 2, M, 0), (1, 10, C, 1, 3), (2, 10, C, 5, None), (10, 20, C, 4, 5)]
    )
    assert reached(g, 0, "forward") == {1, 2, 10}


def test_a_unit_topped_up_into_a_case_already_on_a_pallet_travels_with_it() -> None:
    # case 10 on pallet 20 at t=2; unit 1 packed into case 10 at t=3; pallet to ship-to 30 at t=5
    g = Graph([(10, 20, C, 2, None), (1, 10, C, 3, None), (20, 30, S, 5)])
    assert reached(g, 1, "forward") == {10, 20, 30}
    assert reached(g, 30, "backward") == {20, 10, 1}
