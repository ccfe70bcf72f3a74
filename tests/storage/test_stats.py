"""Statistics from a small, fully known history: due counts, retention, streak, charts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quizapp.errors import QuizappError
from quizapp.scheduling.settings import Settings
from quizapp.storage.engine import Store
from quizapp.storage.repository import Stats, bury, record_answer, stats
from quizapp.storage.sync import sync_decks

from .helpers import basic, deck, noon

T = date(2026, 4, 10)


def day(offset: int) -> date:
    return T + timedelta(days=offset)


@pytest.fixture
def history(store: Store) -> Store:
    sync_decks(store, [deck("a", basic("x"), basic("y"), basic("z")), deck("b", basic("w"))])
    for deck_id, item_id, grade, offset, kind, repeat in (
        ("a", "x", 5, -3, "study", False),  # due T-2: overdue
        ("a", "y", 4, -1, "study", False),  # due T
        ("a", "y", 5, 0, "quiz", False),  # no state change
        ("a", "z", 2, 0, "study", False),  # due T+1
        ("a", "z", 4, 0, "study", True),  # the same-day repeat
        ("b", "w", 5, -2, "study", False),  # due T-1, but buried below until T+3
    ):
        record_answer(
            store,
            deck_id=deck_id,
            item_id=item_id,
            grade=grade,
            typed_answer=None,
            correct=None,
            duration_ms=900,
            now=noon(day(offset)),
            today=day(offset),
            session_kind=kind,
            repeat=repeat,
        )
    bury(store, "b", "w", day(3))
    return store


def test_stats_of_all_decks(history: Store) -> None:
    forecast = [0] * 30
    forecast[0], forecast[1], forecast[3] = 2, 1, 1
    assert stats(history, T, None, Settings()) == Stats(
        deck_id=None,
        due_today=2,
        due_tomorrow=3,
        due_7_days=4,
        due_30_days=4,
        reviews_today=3,
        retention_30_days=0.75,
        streak=4,
        forecast=tuple(forecast),
        reviews_per_day={day(-3): 1, day(-2): 1, day(-1): 1, day(0): 3},
        reviews_30_days=4,
    )


def test_stats_of_one_deck(history: Store) -> None:
    result = stats(history, T, "a", Settings())
    assert (result.due_today, result.due_tomorrow, result.due_7_days, result.due_30_days) == (
        2,
        3,
        3,
        3,
    )
    assert result.retention_30_days == pytest.approx(2 / 3)
    assert (result.reviews_today, result.streak, result.reviews_30_days) == (3, 2, 3)
    assert result.reviews_per_day == {day(-3): 1, day(-1): 1, day(0): 3}


def test_a_streak_ends_yesterday_at_the_latest(history: Store) -> None:
    assert stats(history, day(1), None, Settings()).streak == 4
    assert stats(history, day(2), None, Settings()).streak == 0


def test_retention_covers_thirty_days_including_today(history: Store) -> None:
    assert stats(history, day(29), None, Settings()).retention_30_days == 0.0
    later = stats(history, day(30), None, Settings())
    assert (later.retention_30_days, later.reviews_30_days) == (None, 0)


def test_the_forecast_moves_with_today(history: Store) -> None:
    result = stats(history, day(2), None, Settings())
    assert result.forecast[:3] == (3, 1, 0)
    assert result.due_today == 3


def test_an_unknown_deck_is_an_error_with_exit_code_2(history: Store) -> None:
    with pytest.raises(QuizappError, match=r"no deck 'c' \(decks: a, b\)") as raised:
        stats(history, T, "c", Settings())
    assert raised.value.exit_code == 2
