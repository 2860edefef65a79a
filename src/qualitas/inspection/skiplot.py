"""Skip-lot inspection, simplified after ISO 2859-3:2005 (pure; see docs/sampling.md):
qualification, skip frequencies, frequency changes and disqualification as a state machine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction
from typing import Final

from qualitas.inspection.checks import _enum, _whole

# --- skip-lot (simplified, after ISO 2859-3:2005; see docs/sampling.md) -----------------------


class SkipLotStage(StrEnum):
    QUALIFYING = "qualifying"  # every lot inspected
    SKIPPING = "skipping"  # one lot in k inspected
    REQUALIFYING = "requalifying"  # every lot inspected after a lot not accepted while skipping


class SkipTrigger(StrEnum):
    QUALIFIED = "qualified"
    FREQUENCY_REDUCED = "frequency-reduced"
    LOT_NOT_ACCEPTED = "lot-not-accepted"
    REQUALIFIED = "requalified"
    INTERRUPTED = "interrupted"  # not on normal inspection, or production not steady


_K = SkipLotStage
SKIP_FREQUENCIES: Final = (2, 3, 4, 5)  # one lot in k is inspected
# (stage, trigger) -> (next stage, index into SKIP_FREQUENCIES from the current index)
SKIP_TRANSITIONS: Final[
    Mapping[tuple[SkipLotStage, SkipTrigger], tuple[SkipLotStage, Callable[[int], int]]]
] = {
    (_K.QUALIFYING, SkipTrigger.QUALIFIED): (_K.SKIPPING, lambda _: 0),
    (_K.SKIPPING, SkipTrigger.FREQUENCY_REDUCED): (_K.SKIPPING, lambda i: i + 1),
    (_K.SKIPPING, SkipTrigger.LOT_NOT_ACCEPTED): (_K.REQUALIFYING, lambda i: i),
    (_K.SKIPPING, SkipTrigger.INTERRUPTED): (_K.QUALIFYING, lambda _: 0),
    (_K.REQUALIFYING, SkipTrigger.REQUALIFIED): (_K.SKIPPING, lambda i: max(i - 1, 0)),
    (_K.REQUALIFYING, SkipTrigger.LOT_NOT_ACCEPTED): (_K.QUALIFYING, lambda _: 0),
    (_K.REQUALIFYING, SkipTrigger.INTERRUPTED): (_K.QUALIFYING, lambda _: 0),
}


class SelectionMethod(StrEnum):
    RANDOM = "random"  # inspect with probability 1/k from a caller's uniform draw (ISO 2859-3)
    COUNTER = "counter"  # inspect every k-th lot (deterministic; not the ISO method)


@dataclass(frozen=True)
class SkipLotRules:
    qualification_lots: int = 10  # consecutive lots accepted on normal inspection
    lots_per_step: int = 10  # consecutive inspected lots accepted before 1/k becomes 1/(k+1)
    requalification_lots: int = 4  # consecutive lots accepted to resume skipping
    method: SelectionMethod = SelectionMethod.RANDOM

    def __post_init__(self) -> None:
        for name in ("qualification_lots", "lots_per_step", "requalification_lots"):
            _whole(name, getattr(self, name), 1)
        object.__setattr__(self, "method", _enum("method", SelectionMethod, self.method))

    def goal(self, stage: SkipLotStage) -> tuple[int, SkipTrigger]:
        """Consecutive accepted inspected lots that move a stage on, and the trigger."""
        return {
            _K.QUALIFYING: (self.qualification_lots, SkipTrigger.QUALIFIED),
            _K.SKIPPING: (self.lots_per_step, SkipTrigger.FREQUENCY_REDUCED),
            _K.REQUALIFYING: (self.requalification_lots, SkipTrigger.REQUALIFIED),
        }[stage]


@dataclass(frozen=True)
class SkipDecision:
    before: SkipLotStage
    after: SkipLotStage
    trigger: SkipTrigger | None
    inspected: bool
    accepted: bool | None  # None for a lot passed without inspection
    frequency: Fraction  # share of lots to inspect from the next lot on


@dataclass(frozen=True)
class SkipLotState:
    stage: SkipLotStage = SkipLotStage.QUALIFYING
    frequency_index: int = 0  # into SKIP_FREQUENCIES, used while skipping
    run: int = 0  # consecutive accepted inspected lots toward the next step
    since_inspected: int = 0  # lots passed without inspection since the last inspected one
    decision: SkipDecision | None = None

    @property
    def frequency(self) -> Fraction:
        if self.stage is _K.SKIPPING:
            return Fraction(1, SKIP_FREQUENCIES[self.frequency_index])
        return Fraction(1)


def must_inspect(
    state: SkipLotState, rules: SkipLotRules | None = None, draw: float | None = None
) -> bool:
    """Whether the next lot is inspected. RANDOM: when ``draw`` (uniform on [0, 1), e.g. from a
    seeded ``random.Random``) is below the frequency 1/k; COUNTER: every k-th lot."""
    rules = rules or SkipLotRules()
    if state.stage is not _K.SKIPPING:
        return True
    if rules.method is SelectionMethod.COUNTER:
        return state.since_inspected + 1 >= SKIP_FREQUENCIES[state.frequency_index]
    if isinstance(draw, bool) or not isinstance(draw, float | int) or not 0 <= draw < 1:
        raise ValueError(f"draw: must be a number in [0, 1) for random selection; got {draw!r}")
    return draw < state.frequency


def _skip_trigger(state: SkipLotState, rules: SkipLotRules, accepted: bool) -> SkipTrigger | None:
    if not accepted:
        return None if state.stage is _K.QUALIFYING else SkipTrigger.LOT_NOT_ACCEPTED
    needed, trigger = rules.goal(state.stage)
    at_lowest = state.frequency_index == len(SKIP_FREQUENCIES) - 1
    if state.run + 1 < needed or (trigger is SkipTrigger.FREQUENCY_REDUCED and at_lowest):
        return None
    return trigger


def next_skip_state(
    state: SkipLotState,
    *,
    inspected: bool,
    accepted: bool = True,
    on_normal: bool = True,
    production_steady: bool = True,
    rules: SkipLotRules | None = None,
) -> SkipLotState:
    """Record one lot: passed without inspection, or inspected with its outcome. ``on_normal``
    is whether ISO 2859-1 inspection of the product is on normal; the returned state records
    the decision."""
    rules = rules or SkipLotRules()
    if not inspected and state.stage is not _K.SKIPPING:
        raise ValueError(f"inspected: every lot must be inspected while {state.stage}")
    trigger: SkipTrigger | None = None
    if not (on_normal and production_steady):
        if state.stage is not _K.QUALIFYING:
            trigger = SkipTrigger.INTERRUPTED
        nxt = replace(state, run=0, since_inspected=0)
    elif not inspected:
        nxt = replace(state, since_inspected=state.since_inspected + 1)
    else:
        trigger = _skip_trigger(state, rules, accepted)
        nxt = replace(state, run=state.run + 1 if accepted else 0, since_inspected=0)
    if trigger is not None:
        stage, frequency = SKIP_TRANSITIONS[(state.stage, trigger)]
        nxt = SkipLotState(stage=stage, frequency_index=frequency(state.frequency_index))
    outcome = accepted if inspected else None
    decision = SkipDecision(state.stage, nxt.stage, trigger, inspected, outcome, nxt.frequency)
    return replace(nxt, decision=decision)
