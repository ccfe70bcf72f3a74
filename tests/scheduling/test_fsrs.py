"""FSRS through py-fsrs: the grade mapping, golden sequences against the `fsrs` package itself,
replay, previews and the retention aimed at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from quizapp.scheduling import fsrs
from quizapp.scheduling.fsrs import FsrsConfig

START = datetime(2026, 3, 1, 9, tzinfo=UTC)
SEQUENCE = [(4, 0.0), (4, 10 / 1440), (4, 3.0), (1, 12.0), (4, 12 + 10 / 1440), (5, 15.0)]
"""(grade, days after START): a new card learnt, reviewed, lapsed, relearnt, reviewed."""


def test_grades_map_to_again_hard_good_easy() -> None:
    assert fsrs.RATING_FOR_GRADE == {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
    assert [fsrs.rating(g) for g in range(6)] == [
        Rating.Again,
        Rating.Again,
        Rating.Again,
        Rating.Hard,
        Rating.Good,
        Rating.Easy,
    ]


def test_command_card_proposals_map_as_documented() -> None:
    from quizapp.grading.result import PROPOSED_GRADE, Verdict

    ratings = {v: fsrs.rating(g) for v, g in PROPOSED_GRADE.items()}
    assert ratings[Verdict.RIGHT] is Rating.Good
    assert ratings[Verdict.CLOSE] is Rating.Again
    assert ratings[Verdict.WRONG] is Rating.Again
    assert ratings[Verdict.EMPTY] is Rating.Again


@pytest.mark.parametrize("grade", [True, 6, -1, 2.0, "4"])
def test_a_bad_grade_is_refused(grade: object) -> None:
    with pytest.raises(ValueError):
        fsrs.review(None, grade, START, FsrsConfig())  # type: ignore[arg-type]


def test_golden_sequence_equals_the_fsrs_package_step_by_step() -> None:
    package = Scheduler(enable_fuzzing=False)
    card = Card(card_id=1)
    state = None
    for grade, days in SEQUENCE:
        moment = START + timedelta(days=days)
        card, _ = package.review_card(card, Rating(fsrs.rating_value(grade)), moment)
        state = fsrs.review(state, grade, moment, FsrsConfig())
        assert (state.state, state.step, state.due_at, state.last_review) == (
            int(card.state),
            card.step,
            card.due,
            card.last_review,
        )
        assert state.stability == card.stability
        assert state.difficulty == card.difficulty


def test_golden_sequence_fixed_values() -> None:
    """Values the fsrs package (6.x, default parameters, no fuzz) gives; a changed package or
    mapping shows here."""
    state = fsrs.replay(((g, START + timedelta(days=d)) for g, d in SEQUENCE), FsrsConfig())
    assert state is not None
    assert (state.state, state.step, state.reviews) == (2, None, 6)
    assert state.stability == pytest.approx(7.818, abs=1e-3)
    assert state.difficulty == pytest.approx(6.4868, abs=1e-4)
    assert state.due_at == datetime(2026, 3, 24, 9, tzinfo=UTC)
    first = fsrs.review(None, 4, START, FsrsConfig())
    assert (first.state, first.step, first.stability) == (1, 1, pytest.approx(2.3065))
    assert first.due_at - START == timedelta(minutes=10)


def test_replay_equals_answering_one_by_one() -> None:
    config = FsrsConfig(desired_retention=0.85)
    live = None
    answers = []
    for grade, days in SEQUENCE:
        moment = START + timedelta(days=days)
        live = fsrs.review(live, grade, moment, config)
        answers.append((grade, moment))
    assert fsrs.replay(answers, config) == live
    assert fsrs.replay([], config) is None


def test_a_new_card_previews_py_fsrs_learning_steps() -> None:
    spans = fsrs.preview(None, START, FsrsConfig())
    assert spans == {
        1: timedelta(minutes=1),
        3: timedelta(minutes=5, seconds=30),
        4: timedelta(minutes=10),
        5: timedelta(days=8),
    }
    assert [fsrs.format_span(spans[g]) for g in (1, 3, 4, 5)] == ["1m", "6m", "10m", "8d"]


def test_a_higher_retention_gives_shorter_intervals() -> None:
    def easy_interval(retention: float) -> timedelta:
        state = fsrs.review(None, 5, START, FsrsConfig(desired_retention=retention))
        return state.due_at - START

    assert easy_interval(0.95) < easy_interval(0.9) < easy_interval(0.8)


def test_retrievability_falls_with_time() -> None:
    config = FsrsConfig()
    state = fsrs.review(None, 5, START, config)
    due = fsrs.retrievability(state, state.due_at, config)
    assert due == pytest.approx(0.9, abs=0.01)
    assert fsrs.retrievability(state, state.due_at + timedelta(days=30), config) < due
    assert fsrs.retrievability(None, START, config) == 0.0


def test_due_day_follows_the_rollover_hour() -> None:
    at_three = datetime(2026, 3, 1, 3, 0).astimezone()  # 03:00 local time
    state = fsrs.review(None, 1, at_three, FsrsConfig())
    assert state.in_steps
    assert state.due_day(4) == datetime(2026, 2, 28).date()


def test_config_key_changes_with_retention_and_parameters() -> None:
    base = FsrsConfig()
    assert base.key == FsrsConfig().key
    assert base.key != FsrsConfig(desired_retention=0.85).key
    other = list(fsrs.default_parameters())
    other[0] = 0.5
    assert base.key != FsrsConfig(parameters=other).key
    with pytest.raises(ValueError):
        fsrs.check_parameters([1.0, 2.0])
