"""The optimizer (fsrs-rs): on a history simulated with FSRS's own model and known parameters,
fitted parameters predict held-out reviews better than the defaults; too little history is
refused with the counts."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from quizapp.scheduling import fsrs, fsrs_fit
from quizapp.scheduling.fsrs import FsrsConfig

TRUE = (
    0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192,
    1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621, 0.06, 0.4,
)  # fmt: skip
START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def simulate(cards: int, days: int, seed: int) -> list[list[tuple[int, date]]]:
    """Each card's answers when a learner whose memory is FSRS with TRUE parameters studies on
    FSRS's default schedule: recalled with the probability the true model gives."""
    rng = random.Random(seed)
    truth, schedule = FsrsConfig(parameters=TRUE), FsrsConfig()
    histories = []
    for _ in range(cards):
        memory = state = None
        now = START + timedelta(days=rng.randrange(days // 2))
        history: list[tuple[int, date]] = []
        while now < START + timedelta(days=days):
            if memory is None:
                grade = rng.choice([1, 3, 4, 4, 5])
            elif rng.random() < fsrs.retrievability(memory, now, truth):
                grade = rng.choice([3, 4, 4, 4, 5])
            else:
                grade = 1
            memory = fsrs.review(memory, grade, now, truth)
            state = fsrs.review(state, grade, now, schedule)
            history.append((grade, now.date()))
            now = max(state.due_at, now + timedelta(minutes=1))
        histories.append(history)
    return histories


def test_fitted_parameters_beat_the_defaults_on_held_out_reviews() -> None:
    histories = simulate(400, 240, seed=7)
    train, held_out = histories[:300], histories[300:]
    result = fsrs_fit.fit(train)
    assert result.parameters != fsrs.default_parameters()
    assert result.fitted_log_loss < result.default_log_loss  # on the history it was fitted to
    test_items = fsrs_fit.fsrs_items(held_out)
    assert len(test_items) > 300
    default_loss, _ = fsrs_fit.evaluate(fsrs.default_parameters(), test_items)
    fitted_loss, _ = fsrs_fit.evaluate(result.parameters, test_items)
    assert fitted_loss < default_loss


def test_too_little_history_is_refused_with_the_counts() -> None:
    few = [[(4, date(2026, 1, 1)), (4, date(2026, 1, 3))]] * 5
    with pytest.raises(fsrs_fit.NotEnoughHistory, match=r"^5 review\(s\).*at least 100"):
        fsrs_fit.fit(few)


def test_training_examples_end_on_a_later_day() -> None:
    day = date(2026, 1, 1)
    history = [(4, day), (4, day), (1, day + timedelta(days=2)), (4, day + timedelta(days=2))]
    items = fsrs_fit.fsrs_items([history])
    assert len(items) == 1  # only the answer two days later is a label
    assert [repr(r) for r in items[0].reviews] == [
        "FSRSReview { rating: 3, delta_t: 0 }",
        "FSRSReview { rating: 3, delta_t: 0 }",
        "FSRSReview { rating: 1, delta_t: 2 }",
    ]
