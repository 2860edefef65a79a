"""ISO 2859-1:1999 sampling engine: published table values, structure of the master tables,
switching-rule and skip-lot sequences, and invariants (hypothesis)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from qualitas.inspection.sampling import (
    InspectionState,
    LotResult,
    SamplingPlan,
    SelectionMethod,
    SkipLotRules,
    SkipLotStage,
    SkipLotState,
    SkipTrigger,
    SwitchingState,
    Trigger,
    judge,
    lot_result,
    must_inspect,
    next_skip_state,
    next_state,
    plan_for,
    resume,
)
from qualitas.inspection.sampling_tables import (
    AQL_LABELS,
    CODE_LETTERS,
    LOT_SIZE_UPPER,
    REDUCED_SAMPLE_SIZE,
    SAMPLE_SIZE,
    TABLE_1,
    InspectionLevel,
    Severity,
    aql_index,
    code_letter,
    master_plan,
    table_cell,
)

NORMAL, TIGHTENED, REDUCED = Severity.NORMAL, Severity.TIGHTENED, Severity.REDUCED
LEVELS = list(InspectionLevel)
COLUMNS = range(len(AQL_LABELS))


def cell(severity: Severity, letter: str, aql: str) -> tuple[str, int, int, int]:
    plan = master_plan(severity, letter, aql_index(aql))
    return (plan.letter, plan.sample_size, plan.accept, plan.reject)


# --- Table 1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot", "level", "letter"),
    [
        (2, "II", "A"), (8, "II", "A"), (9, "II", "B"), (15, "II", "B"), (16, "II", "C"),
        (50, "II", "D"), (51, "II", "E"), (150, "II", "F"), (280, "II", "G"), (500, "II", "H"),
        (501, "II", "J"), (1000, "II", "J"), (1200, "II", "J"), (1201, "II", "K"),
        (3200, "II", "K"), (10_000, "II", "L"), (35_000, "II", "M"), (150_000, "II", "N"),
        (500_000, "II", "P"), (500_001, "II", "Q"), (10**9, "II", "Q"),
        (2, "III", "B"), (1000, "III", "K"), (500_001, "III", "R"), (1000, "I", "G"),
        (90, "I", "C"), (91, "I", "D"), (1000, "S-1", "C"), (1000, "S-2", "C"),
        (1000, "S-3", "E"), (1000, "S-4", "F"), (50, "S-3", "B"), (51, "S-3", "C"),
        (25, "S-2", "A"), (26, "S-2", "B"), (10**7, "S-4", "K"), (10**7, "S-1", "D"),
    ],
)  # fmt: skip
def test_code_letters_table_1(lot: int, level: str, letter: str) -> None:
    assert code_letter(lot, InspectionLevel(level)) == letter
    assert plan_for(lot, "1.0", level).code_letter == letter


def test_table_1_is_monotonic_in_lot_size_and_level() -> None:
    order = [TABLE_1[level] for level in LEVELS]
    for column in order:
        assert list(column) == sorted(column, key=CODE_LETTERS.index)
    for lower, higher in itertools.pairwise(order):
        assert all(
            CODE_LETTERS.index(a) <= CODE_LETTERS.index(b)
            for a, b in zip(lower, higher, strict=True)
        )
    assert len(LOT_SIZE_UPPER) + 1 == len(order[0])


# --- published plans -------------------------------------------------------------------------

# (severity, code letter, AQL) -> (row used, n, Ac, Re). Arrow cells resolve to another row.
SPOT = [
    (NORMAL, "J", "1.0", ("J", 80, 2, 3)),
    (NORMAL, "J", "0.65", ("J", 80, 1, 2)),
    (NORMAL, "J", "0.40", ("K", 125, 1, 2)),  # arrow down
    (NORMAL, "J", "0.25", ("H", 50, 0, 1)),  # arrow up
    (NORMAL, "J", "2.5", ("J", 80, 5, 6)),
    (NORMAL, "J", "4.0", ("J", 80, 7, 8)),
    (NORMAL, "K", "2.5", ("K", 125, 7, 8)),
    (NORMAL, "L", "0.065", ("L", 200, 0, 1)),
    (NORMAL, "G", "10", ("G", 32, 7, 8)),
    (NORMAL, "H", "10", ("H", 50, 10, 11)),
    (NORMAL, "K", "15", ("J", 80, 21, 22)),  # arrow up, capped at 21/22
    (NORMAL, "A", "6.5", ("A", 2, 0, 1)),
    (NORMAL, "A", "10", ("C", 5, 1, 2)),  # no row above A: arrow down
    (NORMAL, "A", "0.010", ("Q", 1250, 0, 1)),
    (NORMAL, "R", "0.010", ("Q", 1250, 0, 1)),
    (NORMAL, "R", "0.015", ("P", 800, 0, 1)),  # no row below R: arrow up
    (NORMAL, "Q", "0.025", ("R", 2000, 1, 2)),
    (NORMAL, "R", "0.65", ("R", 2000, 21, 22)),
    (NORMAL, "E", "150", ("E", 13, 30, 31)),
    (NORMAL, "E", "250", ("E", 13, 44, 45)),
    (NORMAL, "F", "100", ("E", 13, 21, 22)),
    (NORMAL, "B", "1000", ("B", 3, 44, 45)),
    (NORMAL, "C", "1000", ("B", 3, 44, 45)),
    (TIGHTENED, "J", "1.0", ("J", 80, 1, 2)),
    (TIGHTENED, "J", "0.65", ("K", 125, 1, 2)),
    (TIGHTENED, "K", "4.0", ("K", 125, 8, 9)),
    (TIGHTENED, "H", "10", ("H", 50, 8, 9)),
    (TIGHTENED, "R", "0.010", ("R", 2000, 0, 1)),
    (TIGHTENED, "R", "0.015", ("Q", 1250, 0, 1)),
    (TIGHTENED, "R", "0.025", ("S", 3150, 1, 2)),  # the extra code letter S
    (TIGHTENED, "Q", "0.025", ("S", 3150, 1, 2)),
    (TIGHTENED, "B", "6.5", ("B", 3, 0, 1)),
    (TIGHTENED, "B", "10", ("D", 8, 1, 2)),
    (TIGHTENED, "A", "10", ("A", 2, 0, 1)),  # ISO reading; MIL-STD-105E reads D 8 1/2
    (TIGHTENED, "A", "1000", ("A", 2, 27, 28)),
    (TIGHTENED, "B", "1000", ("B", 3, 41, 42)),
    (TIGHTENED, "F", "100", ("E", 13, 18, 19)),
    (REDUCED, "J", "1.0", ("J", 32, 1, 2)),
    (REDUCED, "J", "6.5", ("J", 32, 6, 7)),  # no gap: Z1.4 has 5/8 here
    (REDUCED, "K", "2.5", ("K", 50, 5, 6)),
    (REDUCED, "H", "6.5", ("H", 20, 5, 6)),
    (REDUCED, "K", "0.40", ("L", 80, 1, 2)),  # Z1.4 has its own 0/2 at K
    (REDUCED, "R", "0.025", ("N", 200, 0, 1)),  # long arrow up over P, Q, R
    (REDUCED, "A", "10", ("D", 3, 1, 2)),
    (REDUCED, "C", "100", ("C", 2, 6, 7)),
    (REDUCED, "A", "1000", ("A", 2, 30, 31)),
    (REDUCED, "C", "1000", ("B", 2, 30, 31)),
]


@pytest.mark.parametrize(("severity", "letter", "aql", "expected"), SPOT)
def test_published_plans(
    severity: Severity, letter: str, aql: str, expected: tuple[str, int, int, int]
) -> None:
    assert cell(severity, letter, aql) == expected


# Whole rows (resolved, n/Ac) as transcribed in the sources listed in docs/sampling.md:
# GB/T 2828.1-2012 (identical to ISO 2859-1:1999) for all three tables, and for 2-A and 2-B also
# MIL-STD-105E / the R package AQLSchemes, which agree with it on these rows.
ROW_K = {
    NORMAL: "1250/0 800/0 500/0 315/0 200/0 125/0 80/0 200/1 125/1 125/2 125/3 125/5 125/7 "
    "125/10 125/14 125/21 80/21 50/21 32/21 20/21 13/21 13/30 13/44 8/44 5/44 3/44",
    TIGHTENED: "2000/0 1250/0 800/0 500/0 315/0 200/0 125/0 315/1 200/1 125/1 125/2 125/3 "
    "125/5 125/8 125/12 125/18 80/18 50/18 32/18 20/18 13/18 13/27 13/41 8/41 5/41 3/41",
    REDUCED: "500/0 315/0 200/0 125/0 80/0 50/0 32/0 125/1 80/1 50/1 50/2 50/3 50/5 50/6 "
    "50/8 50/10 32/10 20/10 13/10 8/10 5/10 5/14 5/21 3/21 2/21 2/30",
}


@pytest.mark.parametrize("severity", [NORMAL, TIGHTENED, REDUCED])
def test_whole_row_k_matches_transcriptions(severity: Severity) -> None:
    got = " ".join(
        f"{p.sample_size}/{p.accept}" for p in (master_plan(severity, "K", j) for j in COLUMNS)
    )
    assert got == ROW_K[severity]


def test_plan_for_examples() -> None:
    plan = plan_for(1000, 1.0)
    assert (plan.code_letter, plan.sample_size, plan.accept, plan.reject) == ("J", 80, 2, 3)
    assert not plan.hundred_percent
    small = plan_for(5, 0.65)  # A, arrow down to F (n = 20), more than the lot of 5
    assert (small.plan_letter, small.sample_size, small.hundred_percent) == ("F", 5, True)
    assert (small.accept, small.reject) == (0, 1)
    up = plan_for(80, "1.0", "III")  # 51-90 at III: F; F/1.0 arrow up to E (n = 13)
    assert (up.code_letter, up.plan_letter, up.sample_size, up.accept) == ("F", "E", 13, 0)
    down = plan_for(3150, "0.025", "III", "tightened")  # L; arrow down to P (n = 800)
    assert (down.code_letter, down.plan_letter, down.sample_size) == ("L", "P", 800)
    s_row = plan_for(600_000, "0.025", "III", "tightened")  # R; arrow down to S (n = 3150)
    assert (s_row.plan_letter, s_row.sample_size, s_row.accept) == ("S", 3150, 1)
    reduced = plan_for(1000, "1.0", "II", "reduced")
    assert (reduced.sample_size, reduced.accept, reduced.reject) == (32, 1, 2)


def test_hundred_percent_when_sample_equals_lot() -> None:
    plan = plan_for(13, "1.0")  # B; arrow down to E (n = 13) = lot
    assert (plan.plan_letter, plan.sample_size, plan.hundred_percent) == ("E", 13, True)
    assert not plan_for(14, "1.0").hundred_percent  # same plan, lot one larger
    assert plan_for(1, "6.5").hundred_percent  # a lot of one item


# --- structure -------------------------------------------------------------------------------


def _rows(severity: Severity) -> str:
    return CODE_LETTERS + ("S" if severity is TIGHTENED else "")


@pytest.mark.parametrize("severity", [NORMAL, TIGHTENED, REDUCED])
def test_every_letter_and_aql_resolves_to_a_single_sampling_plan(severity: Severity) -> None:
    sizes = REDUCED_SAMPLE_SIZE if severity is REDUCED else SAMPLE_SIZE
    for letter in CODE_LETTERS:
        for j in COLUMNS:
            row, n, ac, re = master_plan(severity, letter, j)
            assert re == ac + 1  # single sampling, 1999 edition: no gap, also on reduced
            assert n == sizes[row]
            token = table_cell(severity, row, j)
            assert token == f"{ac}/{re}"
            step = _rows(severity).index(row) - _rows(severity).index(letter)
            arrow = table_cell(severity, letter, j)
            assert {0: token, 1: "v", -1: "^"}.get((step > 0) - (step < 0)) == arrow


@pytest.mark.parametrize("severity", [NORMAL, TIGHTENED, REDUCED])
def test_plans_along_a_diagonal_share_ac_and_re(severity: Severity) -> None:
    # One code letter down and one AQL step tighter keeps n x AQL, hence Ac/Re. On 2-C the rows
    # A, B and C share n = 2, so the property holds from C on.
    rows = CODE_LETTERS[2:] if severity is REDUCED else CODE_LETTERS
    for upper, lower in itertools.pairwise(rows):
        for j in range(1, len(AQL_LABELS)):
            a, b = table_cell(severity, upper, j), table_cell(severity, lower, j - 1)
            if "/" in a and "/" in b:
                assert a == b, (severity, upper, AQL_LABELS[j])


def test_code_letter_s_is_reached_only_under_aql_0_025() -> None:
    reached = {
        AQL_LABELS[j]
        for letter in CODE_LETTERS
        for j in COLUMNS
        if master_plan(TIGHTENED, letter, j).letter == "S"
    }
    assert reached == {"0.025"}


def _pa(n: int, ac: int, aql: float) -> float:
    if aql <= 10:  # percent nonconforming: binomial
        return float(stats.binom.cdf(ac, n, aql / 100))
    return float(stats.poisson.cdf(ac, n * aql / 100))  # nonconformities per 100 items


def test_tightened_plans_are_no_looser_than_normal_ones() -> None:
    for letter in CODE_LETTERS:
        for j, label in enumerate(AQL_LABELS):
            _, n_n, ac_n, _ = master_plan(NORMAL, letter, j)
            _, n_t, ac_t, _ = master_plan(TIGHTENED, letter, j)
            if n_t == n_n:
                assert ac_t <= ac_n
            assert _pa(n_t, ac_t, float(label)) <= _pa(n_n, ac_n, float(label)) + 1e-12
            reduced = master_plan(REDUCED, letter, j)
            assert reduced.sample_size <= n_n


def test_one_step_tighter_plan_exists_for_every_normal_plan_with_ac_2_or_more() -> None:
    for letter in CODE_LETTERS:
        for j in COLUMNS:
            row, _, ac, _ = master_plan(NORMAL, letter, j)
            if ac >= 2:
                assert "/" in table_cell(NORMAL, row, j - 1)


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lot_size": 0}, "lot_size"),
        ({"lot_size": 2.5}, "lot_size"),
        ({"lot_size": True}, "lot_size"),
        ({"aql": 0.3}, "aql"),
        ({"aql": "abc"}, "aql"),
        ({"aql": True}, "aql"),
        ({"aql": 2000}, "aql"),
        ({"level": "IV"}, "level"),
        ({"severity": "lenient"}, "severity"),
    ],
)
def test_invalid_input_names_the_parameter(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"lot_size": 100, "aql": 1.0, "level": "II", "severity": "normal"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=rf"^{field}: "):
        plan_for(**args)  # type: ignore[arg-type]


def test_accepted_spellings() -> None:
    assert plan_for(100, "0.10") == plan_for(100, 0.1) == plan_for(100, " 0.1 ")
    assert plan_for(100, 10, "ii", "Tightened") == plan_for(100, "10", "II", TIGHTENED)
    assert plan_for(100, 1, "s-3").level is InspectionLevel.S3
    with pytest.raises(ValueError, match=r"^nonconforming: "):
        judge(plan_for(100, 1), -1)


# --- lot decision ----------------------------------------------------------------------------


def test_judge_at_the_acceptance_and_rejection_numbers() -> None:
    plan = plan_for(1000, "1.0")
    assert judge(plan, 2).accepted and not judge(plan, 3).accepted
    assert judge(plan, 0).accepted and not judge(plan, 80).accepted
    per_hundred = plan_for(1000, "100")  # nonconformities may exceed the sample size
    assert judge(per_hundred, per_hundred.accept).accepted


# --- switching rules -------------------------------------------------------------------------


def run(outcomes: Iterable[bool], state: SwitchingState | None = None) -> SwitchingState:
    state = state or SwitchingState()
    for accepted in outcomes:
        state = next_state(state, LotResult(accepted))
    return state


A, R = True, False


def test_two_of_five_or_fewer_not_accepted_switch_to_tightened() -> None:
    state = run([A, R, A, A, A])
    assert state.state is InspectionState.NORMAL
    state = run([R], state)  # lots 2 and 6: five consecutive lots
    assert state.state is InspectionState.TIGHTENED
    assert state.decision is not None and state.decision.trigger is Trigger.TWO_OF_FIVE_NOT_ACCEPTED
    assert run([R, R]).state is InspectionState.TIGHTENED
    assert run([R, A, A, A, A, R]).state is InspectionState.NORMAL  # six lots apart
    assert run([R, A, A, A, A, R, A, R]).state is InspectionState.TIGHTENED


def test_tightened_to_normal_after_five_consecutive_accepted() -> None:
    tightened = run([R, R])
    state = run([A, A, A, A, R, A, A, A, A], tightened)
    assert state.state is InspectionState.TIGHTENED and state.consecutive_accepted == 4
    state = run([A], state)
    assert state.state is InspectionState.NORMAL
    assert state.decision is not None
    assert state.decision.trigger is Trigger.FIVE_CONSECUTIVE_ACCEPTED
    assert (state.recent, state.switching_score) == ((), 0)  # fresh start on normal


def test_five_not_accepted_on_tightened_discontinue_then_resume() -> None:
    state = run([R, A, A, R, A, A, A, A, R, A, R, A, A, A], run([R, R]))
    assert state.state is InspectionState.TIGHTENED and state.not_accepted_on_tightened == 4
    state = run([R], state)
    assert state.state is InspectionState.DISCONTINUED and state.severity is None
    with pytest.raises(ValueError, match=r"^state: "):
        next_state(state, LotResult(True))
    restarted = resume(state, "supplier 8D accepted")
    assert restarted.state is InspectionState.TIGHTENED
    assert restarted.not_accepted_on_tightened == 0
    assert restarted.decision is not None
    assert restarted.decision.trigger is Trigger.CORRECTIVE_ACTION_ACCEPTED
    with pytest.raises(ValueError, match=r"^state: "):
        resume(restarted)


def _lots(plan: SamplingPlan, counts: Iterable[int], **conditions: bool) -> list[LotResult]:
    return [lot_result(plan, d, **conditions) for d in counts]


def test_switching_score_with_acceptance_number_2_or_more() -> None:
    plan = plan_for(1000, "1.0")  # J: n = 80, 2/3; one step tighter (0.65): 1/2
    assert lot_result(plan, 0).tighter_accept_number == 1
    state = SwitchingState()
    for lot in _lots(plan, [0, 1, 0]):
        state = next_state(state, lot)
    assert state.switching_score == 9
    state = next_state(state, lot_result(plan, 2))  # accepted, but not at the tighter AQL
    assert state.decision is not None and state.decision.accepted
    assert state.switching_score == 0 and state.state is InspectionState.NORMAL
    for lot in _lots(plan, [1] * 10):  # 30 points, but reduced not approved yet
        state = next_state(state, lot)
    assert (state.switching_score, state.state) == (30, InspectionState.NORMAL)
    state = next_state(state, lot_result(plan, 0, reduced_approved=True, production_steady=False))
    assert state.state is InspectionState.NORMAL and state.switching_score == 33
    state = next_state(state, lot_result(plan, 0, reduced_approved=True))
    assert state.state is InspectionState.REDUCED
    assert state.decision is not None and state.decision.trigger is Trigger.SWITCHING_SCORE
    assert state.decision.switching_score == 36


def test_switching_score_with_acceptance_number_0_or_1() -> None:
    plan = plan_for(1000, "0.40")  # J/0.40: arrow down to K, n = 125, 1/2
    assert plan.accept == 1
    state = SwitchingState()
    for lot in _lots(plan, [1] * 14, reduced_approved=True):
        state = next_state(state, lot)
    assert (state.switching_score, state.state) == (28, InspectionState.NORMAL)
    state = next_state(state, lot_result(plan, 2, reduced_approved=True))
    assert state.switching_score == 0
    for lot in _lots(plan, [0] * 15, reduced_approved=True):
        state = next_state(state, lot)
    assert state.state is InspectionState.REDUCED


@pytest.mark.parametrize(
    ("count", "steady", "normal_required", "trigger"),
    [
        (2, True, False, Trigger.LOT_NOT_ACCEPTED),
        (0, False, False, Trigger.PRODUCTION_IRREGULAR),
        (0, True, True, Trigger.OTHER_CONDITIONS),
    ],
)
def test_reduced_back_to_normal(
    count: int, steady: bool, normal_required: bool, trigger: Trigger
) -> None:
    reduced = SwitchingState(state=InspectionState.REDUCED)
    assert reduced.severity is REDUCED
    plan = plan_for(1000, "1.0", severity=REDUCED)  # J on Table 2-C: n = 32, 1/2
    assert (plan.sample_size, plan.accept, plan.reject) == (32, 1, 2)
    state = next_state(reduced, lot_result(plan, 1))
    assert state.state is InspectionState.REDUCED
    lot = lot_result(plan, count, production_steady=steady, normal_required=normal_required)
    state = next_state(state, lot)
    assert state.state is InspectionState.NORMAL
    assert state.decision is not None and state.decision.trigger is trigger


def test_resubmitted_lots_are_ignored() -> None:
    state = run([R])
    state = next_state(state, LotResult(False, resubmitted=True))
    assert state.state is InspectionState.NORMAL and state.recent == (False,)
    assert state.decision is not None and "resubmitted" in state.decision.note


@settings(deadline=None)  # no timing assertions (shared machines)
@given(st.lists(st.booleans(), max_size=60))
def test_switching_invariants(outcomes: list[bool]) -> None:
    state = SwitchingState()
    for accepted in outcomes:
        if state.state is InspectionState.DISCONTINUED:
            state = resume(state)
        before = state.state
        state = next_state(state, LotResult(accepted))
        assert state.decision is not None and state.decision.before is before
        assert len(state.recent) <= 5 and state.switching_score % 2 == 0
        assert state.consecutive_accepted < 5 and state.not_accepted_on_tightened < 5
        if state.state is InspectionState.NORMAL:
            assert state.recent.count(False) <= 1
        if state.decision.trigger is None:
            assert state.state is before


# --- skip-lot --------------------------------------------------------------------------------


def skip_run(
    state: SkipLotState, outcomes: Iterable[bool], rules: SkipLotRules | None = None
) -> SkipLotState:
    """Feed lots with the COUNTER method: inspected lots take the next outcome."""
    rules = rules or SkipLotRules(method=SelectionMethod.COUNTER)
    for accepted in outcomes:
        while not must_inspect(state, rules):
            state = next_skip_state(state, inspected=False, rules=rules)
        state = next_skip_state(state, inspected=True, accepted=accepted, rules=rules)
    return state


def test_skip_lot_qualification_and_frequency_steps() -> None:
    rules = SkipLotRules(method=SelectionMethod.COUNTER)
    state = skip_run(SkipLotState(), [A] * 9 + [R] + [A] * 9, rules)
    assert state.stage is SkipLotStage.QUALIFYING and state.run == 9
    state = skip_run(state, [A], rules)
    assert state.stage is SkipLotStage.SKIPPING and state.frequency == 0.5
    assert state.decision is not None and state.decision.trigger is SkipTrigger.QUALIFIED
    pattern = []
    for _ in range(6):  # counter method, 1 in 2: skip, inspect, skip, inspect, ...
        inspect = must_inspect(state, rules)
        pattern.append(inspect)
        state = next_skip_state(state, inspected=inspect, accepted=True, rules=rules)
    assert pattern == [False, True] * 3
    frequencies = []
    for _ in range(4):
        state = skip_run(state, [A] * 10, rules)
        frequencies.append(state.frequency)
    assert [f.denominator for f in frequencies] == [3, 4, 5, 5]  # 1 in 5 is the lowest


def test_skip_lot_disqualification_and_requalification() -> None:
    rules = SkipLotRules(method=SelectionMethod.COUNTER)
    state = skip_run(SkipLotState(), [A] * 20, rules)  # 10 to qualify, 10 more at 1 in 2
    assert state.frequency.denominator == 3
    state = skip_run(state, [R], rules)
    assert state.stage is SkipLotStage.REQUALIFYING and state.frequency == 1
    with pytest.raises(ValueError, match=r"^inspected: "):
        next_skip_state(state, inspected=False, rules=rules)
    state = skip_run(state, [A] * 4, rules)
    assert state.stage is SkipLotStage.SKIPPING and state.frequency.denominator == 2
    state = skip_run(skip_run(state, [R, R], rules), [], rules)
    assert state.stage is SkipLotStage.QUALIFYING
    assert state.decision is not None and state.decision.trigger is SkipTrigger.LOT_NOT_ACCEPTED


def test_skip_lot_interrupted_when_leaving_normal_inspection() -> None:
    rules = SkipLotRules(method=SelectionMethod.COUNTER)
    state = skip_run(SkipLotState(), [A] * 10, rules)
    state = next_skip_state(state, inspected=False, on_normal=False, rules=rules)
    assert state.stage is SkipLotStage.QUALIFYING
    assert state.decision is not None and state.decision.trigger is SkipTrigger.INTERRUPTED
    state = skip_run(SkipLotState(), [A] * 9, rules)
    state = next_skip_state(state, inspected=True, production_steady=False, rules=rules)
    assert state.stage is SkipLotStage.QUALIFYING and state.run == 0


def test_random_selection_is_deterministic_for_a_seed() -> None:
    rules = SkipLotRules()
    state = skip_run(SkipLotState(), [A] * 10, SkipLotRules(method=SelectionMethod.COUNTER))

    def decisions(seed: int) -> list[bool]:
        rng = random.Random(seed)
        return [must_inspect(state, rules, rng.random()) for _ in range(2000)]

    first = decisions(7)
    assert first == decisions(7) and first != decisions(8)
    assert 0.45 < sum(first) / len(first) < 0.55  # 1 in 2
    assert must_inspect(SkipLotState(), rules)  # qualifying: every lot, no draw needed
    for draw in (None, 1.0, -0.1, True):
        with pytest.raises(ValueError, match=r"^draw: "):
            must_inspect(state, rules, draw)
    with pytest.raises(ValueError, match=r"^lots_per_step: "):
        SkipLotRules(lots_per_step=0)


@settings(deadline=None)  # no timing assertions (shared machines)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.floats(0, 0.999)), max_size=80))
def test_skip_lot_invariants(lots: list[tuple[bool, bool, float]]) -> None:
    rules = SkipLotRules(qualification_lots=3, lots_per_step=2, requalification_lots=2)
    state = SkipLotState()
    for accepted, on_normal, draw in lots:
        inspect = must_inspect(state, rules, draw)
        state = next_skip_state(
            state, inspected=inspect, accepted=accepted, on_normal=on_normal, rules=rules
        )
        assert state.frequency.numerator == 1 and state.frequency.denominator in range(1, 6)
        assert (state.stage is SkipLotStage.SKIPPING) == (state.frequency < 1)
        if not on_normal:
            assert state.stage is SkipLotStage.QUALIFYING


# --- plan invariants -------------------------------------------------------------------------

lot_sizes = st.integers(min_value=1, max_value=10**8)
aqls = st.sampled_from(AQL_LABELS)
levels = st.sampled_from([level.value for level in LEVELS])
severities = st.sampled_from([s.value for s in Severity])


@settings(deadline=None)  # no timing assertions (shared machines)
@given(lot_sizes, aqls, levels, severities)
def test_plan_invariants(lot: int, aql: str, level: str, severity: str) -> None:
    plan = plan_for(lot, aql, level, severity)
    assert 1 <= plan.sample_size <= lot
    assert plan.reject == plan.accept + 1
    assert plan.hundred_percent == (_table_n(plan) >= lot)
    assert plan.sample_size == (lot if plan.hundred_percent else _table_n(plan))
    assert judge(plan, plan.accept).accepted and not judge(plan, plan.reject).accepted


def _table_n(plan: SamplingPlan) -> int:
    sizes = REDUCED_SAMPLE_SIZE if plan.severity is REDUCED else SAMPLE_SIZE
    return sizes[plan.plan_letter]


@settings(deadline=None)  # no timing assertions (shared machines)
@given(lot_sizes, lot_sizes, levels)
def test_code_letter_grows_with_lot_size(a: int, b: int, level: str) -> None:
    small, large = sorted((a, b))
    lv = InspectionLevel(level)
    assert CODE_LETTERS.index(code_letter(small, lv)) <= CODE_LETTERS.index(code_letter(large, lv))


@settings(deadline=None)  # no timing assertions (shared machines)
@given(lot_sizes, aqls, levels, st.integers(min_value=0, max_value=3000))
def test_judge_is_monotonic(lot: int, aql: str, level: str, count: int) -> None:
    plan = plan_for(lot, aql, level)
    if judge(plan, count + 1).accepted:
        assert judge(plan, count).accepted
