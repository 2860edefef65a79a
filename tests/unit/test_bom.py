"""Multi-level BOM explosion and cycle detection (pure)."""

from __future__ import annotations

import pytest

from qualitas.plant.bom import BomEdge, creates_cycle, explode

# pump(1) = housing(2) + 2 x cap(3) + 6 bolts(4)
# housing = 1.8 kg bar(5); cap = 0.4 kg bar + ring(6)
EDGES = {
    1: [BomEdge(2, 1, "pcs"), BomEdge(3, 2, "pcs"), BomEdge(4, 6, "pcs")],
    2: [BomEdge(5, 1.8, "kg")],
    3: [BomEdge(5, 0.4, "kg"), BomEdge(6, 1, "pcs")],
}


def flat(node, out=None):  # type: ignore[no-untyped-def]
    out = out if out is not None else []
    out.append((node.item, round(node.quantity, 9), node.unit))
    for child in node.children:
        flat(child, out)
    return out


def test_cumulative_quantities() -> None:
    tree = explode(1, EDGES)
    assert flat(tree) == [
        (1, 1.0, "pcs"),
        (2, 1.0, "pcs"),
        (5, 1.8, "kg"),
        (3, 2.0, "pcs"),
        (5, 0.8, "kg"),
        (6, 2.0, "pcs"),
        (4, 6.0, "pcs"),
    ]
    bar_total = sum(q for item, q, _ in flat(tree) if item == 5)
    assert bar_total == pytest.approx(2.6)


def test_leaf_item_explodes_to_itself() -> None:
    assert flat(explode(9, EDGES)) == [(9, 1.0, "pcs")]


def test_cycle_raises() -> None:
    edges = {**EDGES, 5: [BomEdge(1, 1, "pcs")]}
    with pytest.raises(ValueError, match="cycle"):
        explode(1, edges)


def test_depth_limit() -> None:
    edges = {i: [BomEdge(i + 1, 1, "pcs")] for i in range(100)}
    with pytest.raises(ValueError, match="deeper"):
        explode(0, edges, max_depth=50)


@pytest.mark.parametrize(
    ("parent", "component", "cycle"),
    [
        (5, 1, True),  # bar would contain the pump that contains it
        (3, 2, False),  # cap may contain a housing: no path back
        (2, 2, True),  # self reference
        (6, 3, True),  # ring -> cap -> ring
        (4, 6, False),
    ],
)
def test_creates_cycle(parent: int, component: int, cycle: bool) -> None:
    assert creates_cycle(parent, component, EDGES) is cycle
