"""Minimal genealogies on which the engine's containment rules give a wrong answer.

Each case is a handful of edges run through the pure engine (an in-memory edge source), with the
answer a physical reading of the intervals gives. The benchmark reports what the engine returns
each time it runs, so the findings stay true to the code they describe.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualitas.trace.genealogy import EdgeRow, walk

T, C, S = 1, 2, 3  # transform, contain, ship


class Edges:
    """An in-memory edge source."""

    def __init__(self, edges: Iterable[tuple[int, int, int, int, int | None]]) -> None:
        self.out: dict[int, list[EdgeRow]] = defaultdict(list)
        self.inc: dict[int, list[EdgeRow]] = defaultdict(list)
        for i, (src, dst, kind, at, until) in enumerate(edges):
            row: EdgeRow = (src, dst, kind, at, until, i, None, None, None)
            self.out[src].append(row)
            self.inc[dst].append(row)

    def outgoing(self, nodes: Sequence[int]) -> list[EdgeRow]:
        return [e for n in nodes for e in self.out.get(n, [])]

    def incoming(self, nodes: Sequence[int]) -> list[EdgeRow]:
        return [e for n in nodes for e in self.inc.get(n, [])]


@dataclass(frozen=True)
class Case:
    title: str
    story: str
    edges: tuple[tuple[int, int, int, int, int | None], ...]
    root: int
    direction: str
    expected: frozenset[int]
    names: dict[int, str]
    fix: str

    def got(self) -> set[int]:
        w = walk(Edges(self.edges), [self.root], self.direction)  # type: ignore[arg-type]
        return set(w.nodes())

    def line(self) -> str:
        got = self.got()
        if got == self.expected:
            return f"- {self.title}: the engine now answers correctly."

        def names(ids: Iterable[int]) -> str:
            return ", ".join(self.names[i] for i in sorted(ids)) or "nothing"

        return (
            f"- **{self.title}.** {self.story} Expected {{{names(self.expected)}}}; the engine "
            f"returns {{{names(got)}}} (extra: {names(got - self.expected)}; missing: "
            f"{names(self.expected - got)}). {self.fix}"
        )


CASES = (
    Case(
        "Backward from a place counts what had left the container before it was shipped",
        "Case 10 on pallet 20 from t=1 until it is unloaded at t=5, case 11 stays; pallet 20 is "
        "delivered to ship-to 30 at t=7. Backward from 30:",
        ((10, 20, C, 1, 5), (11, 20, C, 1, None), (20, 30, S, 7, None)),
        30, "backward", frozenset({20, 11}),
        {10: "case 10", 11: "case 11", 20: "pallet 20", 30: "ship-to 30"},
        "In `genealogy._backward_step` a non-containment edge sets `new_since = NEVER`; it "
        "should be `new_since = at` (the container is traced for the instant it left), so that "
        "`until <= since` drops what was unloaded before.",
    ),
    Case(
        "Merged bounds admit an edge that no single path admits",
        "Unit 1 is in case 10 from t=1 to t=3, unit 2 from t=5 on; case 10 goes on pallet 20 at "
        "t=4, when neither unit is in it. Forward from lot 0 (which made both units at t=0):",
        ((0, 1, 5, 0, None), (0, 2, 5, 0, None), (1, 10, C, 1, 3), (2, 10, C, 5, None),
         (10, 20, C, 4, None)),
        0, "forward", frozenset({1, 2, 10}),
        {1: "unit 1", 2: "unit 2", 10: "case 10", 20: "pallet 20"},
        "`_forward_step` merges two states of a node into (earliest arrival, latest leave-before) "
        "= (1, ∞), an interval neither path has. Keep the non-dominated (arrival, leave-before) "
        "pairs of a node (a small Pareto set; usually one) instead of merging them.",
    ),
    Case(
        "A unit added to a case already on a pallet does not reach the pallet's destination",
        "Case 10 goes on pallet 20 at t=2; unit 1 is packed into case 10 at t=3 (a top-up); "
        "pallet 20 is delivered to ship-to 30 at t=5. Forward from unit 1:",
        ((1, 10, C, 3, None), (10, 20, C, 2, None), (20, 30, S, 5, None)),
        1, "forward", frozenset({10, 20, 30}),
        {10: "case 10", 20: "pallet 20", 30: "ship-to 30"},
        "Forward, a containment edge out of a container is an interval, not an instant: follow "
        "it when `[at, until)` overlaps the interval the node is traced for (`at < lim` and "
        "`until > arr`), with arrival `max(arr, at)`; the `at >= arr` test is right for "
        "transformations and shipments only. This is a recall error (a unit missed in a recall).",
    ),
)  # fmt: skip


def findings() -> list[str]:
    """One line per case, with the engine's current answer."""
    return [c.line() for c in CASES]


if __name__ == "__main__":
    print("\n".join(findings()))
