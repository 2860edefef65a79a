"""Attribute acceptance sampling after ISO 2859-1:1999 (single sampling).

Pure engine: sample size code letters (Table 1), single sampling plans for normal, tightened and
reduced inspection (Tables 2-A, 2-B, 2-C; arrows resolved; 100 % inspection when the sample
would not be smaller than the lot, as the tables' footnotes require), the lot decision, the
switching rules of clause 9 (9.3.1 to 9.3.4, switching score 9.3.3.2, discontinuation 9.4) as a
state machine, and a simplified skip-lot scheme after ISO 2859-3:2005. ANSI/ASQ Z1.4 shares
Tables 1, 2-A and 2-B (one cell aside) but keeps the older Table 2-C. The tables and their
edition are in ``qualitas.inspection.sampling_tables``; sources, cross-checks and limits in
docs/sampling.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Final

from qualitas.inspection.checks import _enum, _whole
from qualitas.inspection.sampling_tables import (
    AQL_VALUES,
    InspectionLevel,
    Severity,
    aql_index,
    code_letter,
    master_plan,
)
from qualitas.inspection.skiplot import (
    SelectionMethod,
    SkipDecision,
    SkipLotRules,
    SkipLotStage,
    SkipLotState,
    SkipTrigger,
    must_inspect,
    next_skip_state,
)

__all__ = [
    "Decision",
    "InspectionLevel",
    "InspectionState",
    "LotResult",
    "SamplingPlan",
    "SelectionMethod",
    "Severity",
    "SkipDecision",
    "SkipLotRules",
    "SkipLotStage",
    "SkipLotState",
    "SkipTrigger",
    "SwitchDecision",
    "SwitchingState",
    "Trigger",
    "judge",
    "lot_result",
    "must_inspect",
    "next_skip_state",
    "next_state",
    "plan_for",
    "resume",
]


# --- plans and the lot decision --------------------------------------------------------------


@dataclass(frozen=True)
class SamplingPlan:
    lot_size: int
    aql: float
    level: InspectionLevel
    severity: Severity
    code_letter: str  # Table 1
    plan_letter: str  # the master-table row used (differs from code_letter after an arrow)
    sample_size: int  # equals lot_size under 100 % inspection
    accept: int  # Ac
    reject: int  # Re (= Ac + 1 for every single sampling plan of the 1999 edition)
    hundred_percent: bool  # the table's sample size is not smaller than the lot


def plan_for(
    lot_size: int,
    aql: float | str | Decimal,
    level: InspectionLevel | str = "II",
    severity: Severity | str = "normal",
) -> SamplingPlan:
    """The single sampling plan of ISO 2859-1:1999 for one lot (Table 1, then 2-A/2-B/2-C)."""
    lot_size = _whole("lot_size", lot_size, 1)
    column = aql_index(aql)
    inspection_level = _enum("level", InspectionLevel, level)
    sev = _enum("severity", Severity, severity)
    letter = code_letter(lot_size, inspection_level)
    cell = master_plan(sev, letter, column)
    full = cell.sample_size >= lot_size
    return SamplingPlan(
        lot_size=lot_size,
        aql=AQL_VALUES[column],
        level=inspection_level,
        severity=sev,
        code_letter=letter,
        plan_letter=cell.letter,
        sample_size=lot_size if full else cell.sample_size,
        accept=cell.accept,
        reject=cell.reject,
        hundred_percent=full,
    )


@dataclass(frozen=True)
class Decision:
    accepted: bool
    nonconforming: int
    accept: int
    reject: int


def judge(plan: SamplingPlan, nonconforming: int) -> Decision:
    """Accept when the count (nonconforming items, or nonconformities for AQLs in
    nonconformities per 100 items) is at most Ac; at Re or more the lot is not accepted."""
    count = _whole("nonconforming", nonconforming, 0)
    return Decision(count <= plan.accept, count, plan.accept, plan.reject)


# --- switching rules (ISO 2859-1:1999, clause 9) ---------------------------------------------


class InspectionState(StrEnum):
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"
    DISCONTINUED = "discontinued"


class Trigger(StrEnum):
    TWO_OF_FIVE_NOT_ACCEPTED = "two-of-five-not-accepted"  # 9.3.1
    SWITCHING_SCORE = "switching-score-30"  # 9.3.3 a) to c)
    FIVE_NOT_ACCEPTED_ON_TIGHTENED = "five-not-accepted-on-tightened"  # 9.4
    FIVE_CONSECUTIVE_ACCEPTED = "five-consecutive-accepted"  # 9.3.2
    LOT_NOT_ACCEPTED = "lot-not-accepted"  # 9.3.4 a)
    PRODUCTION_IRREGULAR = "production-irregular"  # 9.3.4 b)
    OTHER_CONDITIONS = "other-conditions"  # 9.3.4 c)
    CORRECTIVE_ACTION_ACCEPTED = "corrective-action-accepted"  # 9.4, see resume()


_S = InspectionState
# The transition table. After each lot, the triggers leaving the current state are tested in
# the order listed here; the first that fires is taken.
TRANSITIONS: Final[Mapping[tuple[InspectionState, Trigger], InspectionState]] = {
    (_S.NORMAL, Trigger.TWO_OF_FIVE_NOT_ACCEPTED): _S.TIGHTENED,
    (_S.NORMAL, Trigger.SWITCHING_SCORE): _S.REDUCED,
    (_S.TIGHTENED, Trigger.FIVE_NOT_ACCEPTED_ON_TIGHTENED): _S.DISCONTINUED,
    (_S.TIGHTENED, Trigger.FIVE_CONSECUTIVE_ACCEPTED): _S.NORMAL,
    (_S.REDUCED, Trigger.LOT_NOT_ACCEPTED): _S.NORMAL,
    (_S.REDUCED, Trigger.PRODUCTION_IRREGULAR): _S.NORMAL,
    (_S.REDUCED, Trigger.OTHER_CONDITIONS): _S.NORMAL,
    (_S.DISCONTINUED, Trigger.CORRECTIVE_ACTION_ACCEPTED): _S.TIGHTENED,
}
SWITCH_TO_REDUCED_SCORE: Final = 30
WINDOW: Final = 5  # "two out of five or fewer consecutive lots", "five consecutive lots"


@dataclass(frozen=True)
class LotResult:
    """One lot on original inspection, as the switching rules need it."""

    accepted: bool
    nonconforming: int = 0
    accept_number: int = 0  # Ac of the plan used
    tighter_accept_number: int | None = None  # Ac one AQL step tighter, same sample (9.3.3.2)
    resubmitted: bool = False  # resubmitted lots are ignored by the switching rules
    production_steady: bool = True  # 9.3.3 b) and 9.3.4 b)
    reduced_approved: bool = False  # 9.3.3 c): the responsible authority wants reduced
    normal_required: bool = False  # 9.3.4 c): other conditions warrant normal inspection

    def __post_init__(self) -> None:
        _whole("nonconforming", self.nonconforming, 0)
        _whole("accept_number", self.accept_number, 0)


def lot_result(
    plan: SamplingPlan,
    nonconforming: int,
    *,
    resubmitted: bool = False,
    production_steady: bool = True,
    reduced_approved: bool = False,
    normal_required: bool = False,
) -> LotResult:
    """Judge a lot and carry what the switching rules need, including the Ac of the normal plan
    one AQL step tighter with the same sample size (for the switching score)."""
    decision = judge(plan, nonconforming)
    tighter = None
    column = aql_index(plan.aql)
    if plan.severity is Severity.NORMAL and column > 0:
        cell = master_plan(Severity.NORMAL, plan.plan_letter, column - 1)
        tighter = cell.accept if cell.letter == plan.plan_letter else None
    return LotResult(
        decision.accepted,
        decision.nonconforming,
        plan.accept,
        tighter,
        resubmitted=resubmitted,
        production_steady=production_steady,
        reduced_approved=reduced_approved,
        normal_required=normal_required,
    )


@dataclass(frozen=True)
class SwitchDecision:
    before: InspectionState
    after: InspectionState
    trigger: Trigger | None  # None: no switch
    accepted: bool | None
    switching_score: int
    note: str = ""


@dataclass(frozen=True)
class SwitchingState:
    state: InspectionState = InspectionState.NORMAL
    recent: tuple[bool, ...] = ()  # acceptance of up to the last five lots on normal
    switching_score: int = 0  # 9.3.3.2, kept on normal inspection only
    consecutive_accepted: int = 0  # on tightened
    not_accepted_on_tightened: int = 0  # cumulative since tightened began (9.4)
    lots: int = 0  # lots on original inspection so far
    decision: SwitchDecision | None = None  # what the last lot (or resume) decided

    @property
    def severity(self) -> Severity | None:
        """The table for the next lot; None while inspection is discontinued."""
        return None if self.state is _S.DISCONTINUED else Severity(self.state.value)


def _score(score: int, lot: LotResult) -> int:
    """ISO 2859-1:1999, 9.3.3.2 a): the switching score after one lot (single sampling)."""
    if lot.accept_number >= 2:
        tighter = lot.tighter_accept_number
        return score + 3 if tighter is not None and lot.nonconforming <= tighter else 0
    return score + 2 if lot.accepted else 0


def _count(state: SwitchingState, lot: LotResult) -> SwitchingState:
    state = replace(state, lots=state.lots + 1)
    if state.state is _S.NORMAL:
        recent = (*state.recent, lot.accepted)[-WINDOW:]
        return replace(state, recent=recent, switching_score=_score(state.switching_score, lot))
    if state.state is _S.TIGHTENED:
        return replace(
            state,
            consecutive_accepted=state.consecutive_accepted + 1 if lot.accepted else 0,
            not_accepted_on_tightened=state.not_accepted_on_tightened + (not lot.accepted),
        )
    return state


_FIRES: Final[Mapping[Trigger, Callable[[SwitchingState, LotResult], bool]]] = {
    Trigger.TWO_OF_FIVE_NOT_ACCEPTED: lambda s, lot: (
        not lot.accepted and s.recent.count(False) >= 2
    ),
    Trigger.SWITCHING_SCORE: lambda s, lot: (
        s.switching_score >= SWITCH_TO_REDUCED_SCORE
        and lot.production_steady
        and lot.reduced_approved
    ),
    Trigger.FIVE_NOT_ACCEPTED_ON_TIGHTENED: lambda s, _: s.not_accepted_on_tightened >= WINDOW,
    Trigger.FIVE_CONSECUTIVE_ACCEPTED: lambda s, _: s.consecutive_accepted >= WINDOW,
    Trigger.LOT_NOT_ACCEPTED: lambda _, lot: not lot.accepted,
    Trigger.PRODUCTION_IRREGULAR: lambda _, lot: not lot.production_steady,
    Trigger.OTHER_CONDITIONS: lambda _, lot: lot.normal_required,
    Trigger.CORRECTIVE_ACTION_ACCEPTED: lambda _s, _lot: False,  # only through resume()
}


def next_state(state: SwitchingState, lot: LotResult) -> SwitchingState:
    """Apply one lot on original inspection; the returned state records the decision."""
    if state.state is _S.DISCONTINUED:
        raise ValueError("state: inspection is discontinued (9.4); call resume() first")
    if lot.resubmitted:
        note = "resubmitted lot: ignored by the switching rules"
        score = state.switching_score
        decision = SwitchDecision(state.state, state.state, None, lot.accepted, score, note)
        return replace(state, decision=decision)
    counted = _count(state, lot)
    leaving = [t for (source, t) in TRANSITIONS if source is state.state]
    trigger = next((t for t in leaving if _FIRES[t](counted, lot)), None)
    after = state.state if trigger is None else TRANSITIONS[(state.state, trigger)]
    nxt = counted if trigger is None else SwitchingState(state=after, lots=counted.lots)
    decision = SwitchDecision(state.state, after, trigger, lot.accepted, counted.switching_score)
    return replace(nxt, decision=decision)


def resume(state: SwitchingState, note: str = "") -> SwitchingState:
    """9.4: once the supplier's corrective action is accepted, restart on tightened inspection
    (as if 9.3.1 had been invoked)."""
    if state.state is not _S.DISCONTINUED:
        raise ValueError(f"state: resume() applies to discontinued inspection, not {state.state}")
    trigger = Trigger.CORRECTIVE_ACTION_ACCEPTED
    after = TRANSITIONS[(state.state, trigger)]
    decision = SwitchDecision(state.state, after, trigger, None, 0, note)
    return SwitchingState(state=after, lots=state.lots, decision=decision)
