"""SM-2 as Wozniak published it: every interval and easiness below is worked out by hand."""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.scheduling.sm2 import (
    GRADE_LABELS,
    GRADE_MEANINGS,
    Sm2State,
    easiness_delta,
    from_thousandths,
    is_lapse,
    needs_repeat,
    review,
    to_thousandths,
)

D0 = date(2026, 3, 1)


def run(grades: list[int]) -> list[Sm2State]:
    """Review an item with `grades`, each on the day it falls due (the first on D0)."""
    states, state, today = [], Sm2State(), D0
    for grade in grades:
        state = review(state, grade, today)
        states.append(state)
        assert state.due is not None
        today = state.due
    return states


def test_a_new_state_has_the_published_defaults() -> None:
    state = Sm2State()
    assert (state.repetitions, state.interval, state.easiness, state.due) == (
        0,
        0,
        Decimal("2.5"),
        None,
    )
    assert float(state.easiness) == 2.5
    assert state.is_new


def test_state_is_immutable() -> None:
    with pytest.raises(FrozenInstanceError):
        Sm2State().interval = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("grade", "delta"),
    [
        # 0.1 - (5-q) * (0.08 + (5-q) * 0.02)
        (5, "0.1"),  # 0.1 - 0
        (4, "0"),  # 0.1 - 1 * 0.10: "for q=4 the E-Factor does not change"
        (3, "-0.14"),  # 0.1 - 2 * 0.12
        (2, "-0.32"),  # 0.1 - 3 * 0.14
        (1, "-0.54"),  # 0.1 - 4 * 0.16
        (0, "-0.8"),  # 0.1 - 5 * 0.18
    ],
)
def test_easiness_formula_for_each_grade(grade: int, delta: str) -> None:
    assert easiness_delta(grade) == Decimal(delta)
    after = review(Sm2State(), grade, D0)
    assert after.easiness == Decimal("2.5") + Decimal(delta)


def test_all_fives() -> None:
    states = run([5, 5, 5, 5, 5])
    assert [s.interval for s in states] == [
        1,  # I(1) = 1
        6,  # I(2) = 6
        17,  # ceil(6 * 2.7) = ceil(16.2); EF before this review: 2.5 + 0.1 + 0.1
        48,  # ceil(17 * 2.8) = ceil(47.6)
        140,  # ceil(48 * 2.9) = ceil(139.2)
    ]
    assert [s.easiness for s in states] == [Decimal(x) for x in ("2.6", "2.7", "2.8", "2.9", "3.0")]
    assert [s.repetitions for s in states] == [1, 2, 3, 4, 5]
    # due = the review day + interval: D0+1, +6 -> D0+7, +17 -> D0+24, +48 -> D0+72, +140
    assert [s.due for s in states] == [D0 + timedelta(days=n) for n in (1, 7, 24, 72, 212)]


def test_all_fours_keep_easiness_at_2_5() -> None:
    states = run([4, 4, 4, 4, 4])
    # 1, 6, ceil(6 * 2.5) = 15, ceil(15 * 2.5) = ceil(37.5) = 38, ceil(38 * 2.5) = 95
    assert [s.interval for s in states] == [1, 6, 15, 38, 95]
    assert {s.easiness for s in states} == {Decimal("2.5")}


def test_all_threes_until_the_easiness_floor() -> None:
    states = run([3] * 10)
    assert [s.interval for s in states] == [
        1,
        6,
        14,  # ceil(6 * 2.22) = ceil(13.32); 2.22 = 2.5 - 2 * 0.14
        30,  # ceil(14 * 2.08) = ceil(29.12)
        59,  # ceil(30 * 1.94) = ceil(58.2)
        107,  # ceil(59 * 1.80) = ceil(106.2)
        178,  # ceil(107 * 1.66) = ceil(177.62)
        271,  # ceil(178 * 1.52) = ceil(270.56)
        374,  # ceil(271 * 1.38) = ceil(373.98)
        487,  # ceil(374 * 1.3) = ceil(486.2); EF stopped at 1.3 (1.38 - 0.14 = 1.24 < 1.3)
    ]
    assert [s.easiness for s in states] == [
        Decimal(x)
        for x in (
            "2.36",
            "2.22",
            "2.08",
            "1.94",
            "1.80",
            "1.66",
            "1.52",
            "1.38",
            "1.3",
            "1.3",
        )
    ]


def test_easiness_never_goes_below_1_3() -> None:
    states = run([0, 0, 0])
    # 2.5 - 0.8 = 1.7; 1.7 - 0.8 = 0.9 -> 1.3; 1.3 - 0.8 -> 1.3
    assert [s.easiness for s in states] == [Decimal("1.7"), Decimal("1.3"), Decimal("1.3")]
    assert [s.interval for s in states] == [1, 1, 1]
    assert [s.repetitions for s in states] == [0, 0, 0]


def test_a_failure_restarts_repetitions_but_keeps_the_easiness() -> None:
    states = run([5, 5, 5, 1, 5, 5, 5])
    assert [s.repetitions for s in states] == [1, 2, 3, 0, 1, 2, 3]
    assert [s.interval for s in states] == [
        1,
        6,
        17,  # ceil(6 * 2.7)
        1,  # q=1: start again, I = 1
        1,  # I(1)
        6,  # I(2)
        15,  # ceil(6 * 2.46) = ceil(14.76)
    ]
    # 2.6, 2.7, 2.8; 2.8 - 0.54 = 2.26 (not reset to 2.5); then +0.1 each time
    assert [s.easiness for s in states] == [
        Decimal(x) for x in ("2.6", "2.7", "2.8", "2.26", "2.36", "2.46", "2.56")
    ]


def test_failing_a_new_item() -> None:
    after = review(Sm2State(), 2, D0)
    assert after == Sm2State(0, 1, Decimal("2.18"), D0 + timedelta(days=1))


def test_ceil_15_times_2_8_is_42_not_43() -> None:
    # With floats: 2.5 + 0.1 + 0.1 + 0.1 = 2.8000000000000003 and 15 * that -> ceil gives 43.
    assert math.ceil(15 * (2.5 + 0.1 + 0.1 + 0.1)) == 43
    easiness = Decimal("2.5") + easiness_delta(5) * 3
    after = review(Sm2State(3, 15, easiness, D0), 4, D0)
    assert after.interval == 42
    assert after.due == D0 + timedelta(days=42)


def test_interval_uses_the_easiness_before_the_update() -> None:
    # EF 2.5 before; a 3 moves it to 2.36 after. ceil(10 * 2.5) = 25, not ceil(23.6) = 24.
    after = review(Sm2State(4, 10, Decimal("2.5"), D0), 3, D0 + timedelta(days=10))
    assert (after.interval, after.easiness, after.repetitions) == (25, Decimal("2.36"), 5)
    assert after.due == date(2026, 4, 5)  # March 11 + 25 days


def test_review_is_pure() -> None:
    before = Sm2State(2, 6, Decimal("2.6"), D0)
    first = review(before, 4, D0)
    assert review(before, 4, D0) == first
    assert before == Sm2State(2, 6, Decimal("2.6"), D0)


@pytest.mark.parametrize("bad", [6, -1, 3.0, "3", True, False, None, Decimal(3)])
def test_grades_other_than_int_0_to_5_raise(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 5"):
        review(Sm2State(), bad, D0)  # type: ignore[arg-type]


def test_today_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(TypeError):
        review(Sm2State(), 5, datetime(2026, 3, 1, 12))


def test_easiness_given_as_float_or_string_is_exact() -> None:
    assert Sm2State(easiness=2.8).easiness == Decimal("2.8")  # type: ignore[arg-type]
    assert Sm2State(easiness="1.3").easiness == Decimal("1.3")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Sm2State(easiness=Decimal("1.2"))
    with pytest.raises(ValueError):
        Sm2State(interval=-1)


def test_thousandths_round_trip() -> None:
    assert to_thousandths(Decimal("2.5")) == 2500
    assert to_thousandths(Decimal("2.36")) == 2360
    assert from_thousandths(2360) == Decimal("2.36")
    assert from_thousandths(1300) == Decimal("1.3")
    state = Sm2State(3, 17, Decimal("2.8"), D0)
    assert state.easiness_thousandths == 2800
    assert Sm2State.from_thousandths(3, 17, 2800, D0) == state
    with pytest.raises(ValueError):
        to_thousandths(Decimal("2.3333"))


def test_lapse_is_a_failed_review_of_a_learned_item() -> None:
    learned = Sm2State(2, 6, Decimal("2.5"), D0)
    assert is_lapse(learned, 2)
    assert is_lapse(learned, 0)
    assert not is_lapse(learned, 3)
    # Never recalled yet (new, or failed last time): failing again is not another lapse.
    assert not is_lapse(Sm2State(), 0)
    assert not is_lapse(Sm2State(0, 1, Decimal("2.2"), D0), 1)


def test_grades_needing_a_same_day_repeat() -> None:
    assert [g for g in range(6) if needs_repeat(g)] == [0, 1, 2, 3]


def test_grade_meanings_and_labels() -> None:
    assert GRADE_MEANINGS == {
        5: "perfect",
        4: "correct after hesitation",
        3: "correct with serious difficulty",
        2: "wrong, but the answer seemed easy",
        1: "wrong, but remembered on seeing it",
        0: "blackout",
    }
    assert sorted(GRADE_LABELS) == [0, 1, 2, 3, 4, 5]
    assert (GRADE_LABELS[0], GRADE_LABELS[5]) == ("blackout", "perfect")


@given(st.lists(st.integers(min_value=0, max_value=5), max_size=30))
def test_invariants_over_any_grade_sequence(grades: list[int]) -> None:
    state, today = Sm2State(), D0
    for grade in grades:
        after = review(state, grade, today)
        assert after.easiness >= Decimal("1.3")
        # easiness stays a whole number of hundredths, and exact in thousandths for storage
        assert after.easiness == after.easiness.quantize(Decimal("0.01"))
        assert (
            Sm2State.from_thousandths(
                after.repetitions, after.interval, after.easiness_thousandths, after.due
            )
            == after
        )
        assert after.repetitions == (state.repetitions + 1 if grade >= 3 else 0)
        assert after.interval >= 1
        assert after.due == today + timedelta(days=after.interval)
        if after.repetitions >= 3:
            assert after.interval >= state.interval
        state, today = after, after.due


def test_easiness_is_a_plain_exact_decimal() -> None:
    state = review(Sm2State(), 5, date(2026, 1, 1))
    assert type(state.easiness) is Decimal
    assert state.easiness == Decimal("2.6")
    assert state.easiness_thousandths == 2600
    assert float(state.easiness) == 2.6
    # Python's rule for Decimal and float: equal only when exactly equal, so hash and equality
    # agree; 2.6 is not exactly a binary float.
    assert state.easiness != 2.6
    assert {state.easiness, Decimal("2.60")} == {Decimal("2.6")}
    assert len({state.easiness, 2.6}) == 2
    assert hash(state.easiness) == hash(Decimal("2.6"))
    assert Sm2State(easiness=Decimal(2)).easiness == 2
