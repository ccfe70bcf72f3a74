"""90 days of study through the store, with fixed grades; every interval worked out by hand.

Each day: build today's queue from the database, walk it with a StudySession (grades below 4
come back the same day and are answered 4, as repeats), record every answer. The expected
review days and final states below were computed by hand from the SM-2 rules:
interval 1, then 6, then ceil(previous interval x easiness before the update).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from itertools import chain, repeat

from quizapp.scheduling.queue import StudySession
from quizapp.scheduling.settings import Settings
from quizapp.storage.engine import Store
from quizapp.storage.repository import record_answer
from quizapp.storage.sync import sync_decks

from .helpers import basic, deck, item_state, noon, rows, todays_queue, todays_repeats

START = date(2026, 1, 5)


def grades() -> dict[str, Iterator[int]]:
    return {
        "always-5": repeat(5),
        "always-4": repeat(4),
        "always-3": repeat(3),
        "lapse": chain([5, 5, 2], repeat(4)),
        "blackout-first": chain([0], repeat(5)),
        "always-0": repeat(0),
    }


def test_ninety_days_of_fixed_grades(store: Store) -> None:
    sync_decks(store, [deck("sim", *(basic(item) for item in grades()))])
    plan = grades()
    settings = Settings()
    for offset in range(90):
        today = START + timedelta(days=offset)
        repeats = todays_repeats(store, ["sim"], today)
        session = StudySession(todays_queue(store, ["sim"], today, settings, offset), repeats)
        while (item := session.current) is not None:
            grade = 4 if session.current_is_repeat else next(plan[item.item_id])
            was_repeat = session.answer(grade)
            record_answer(
                store,
                deck_id="sim",
                item_id=item.item_id,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=2000,
                now=noon(today),
                today=today,
                repeat=was_repeat,
            )

    def review_days(item_id: str) -> list[int]:
        found = rows(
            store,
            "SELECT day FROM review_log WHERE item_id = :item AND repeat = 0 ORDER BY id",
            item=item_id,
        )
        return [(date.fromisoformat(day) - START).days for (day,) in found]

    # always 5: EF 2.5 -> 2.6 -> 2.7 ...; intervals 1, 6, ceil(6*2.7)=17, ceil(17*2.8)=48,
    # ceil(48*2.9)=140.
    assert review_days("always-5") == [0, 1, 7, 24, 72]
    # always 4: EF stays 2.5; 1, 6, 15, ceil(37.5)=38, 95.
    assert review_days("always-4") == [0, 1, 7, 22, 60]
    # always 3: EF -0.14 each time (2.36, 2.22, 2.08, 1.94, 1.80);
    # 1, 6, ceil(6*2.22)=14, ceil(14*2.08)=30, ceil(30*1.94)=59.
    assert review_days("always-3") == [0, 1, 7, 21, 51]
    # 5, 5 (EF 2.7), then 2 on day 7: back to interval 1, EF 2.38, one lapse; then 4s:
    # 1, 6, ceil(6*2.38)=15, ceil(15*2.38)=36, ceil(36*2.38)=86.
    assert review_days("lapse") == [0, 1, 7, 8, 9, 15, 30, 66]
    # 0 first (EF 1.7, interval 1), then 5s: EF 1.8, 1.9, 2.0, 2.1, 2.2;
    # 1, 6, ceil(6*1.9)=12, ceil(12*2.0)=24, ceil(24*2.1)=51.
    assert review_days("blackout-first") == [0, 1, 2, 8, 20, 44]
    # 0 every day: interval 1 forever, EF floored at 1.3.
    assert review_days("always-0") == list(range(90))

    expected = {
        "always-5": (5, 140, Decimal("3.0"), 72 + 140, 0),
        "always-4": (5, 95, Decimal("2.5"), 60 + 95, 0),
        "always-3": (5, 59, Decimal("1.8"), 51 + 59, 0),
        "lapse": (5, 86, Decimal("2.38"), 66 + 86, 1),
        "blackout-first": (5, 51, Decimal("2.2"), 44 + 51, 0),
        "always-0": (0, 1, Decimal("1.3"), 90, 0),
    }
    for item_id, (reps, interval, easiness, due_offset, lapses) in expected.items():
        state = item_state(store, "sim", item_id)
        assert state is not None
        assert (state.repetitions, state.interval, state.easiness, state.due, state.lapses) == (
            reps,
            interval,
            easiness,
            START + timedelta(days=due_offset),
            lapses,
        ), item_id

    # Same-day repeats: each grade below 4 came back once, was answered 4, changed nothing.
    assert rows(
        store,
        "SELECT item_id, count(*) FROM review_log WHERE repeat = 1 GROUP BY item_id ORDER BY 1",
    ) == [("always-0", 90), ("always-3", 5), ("blackout-first", 1), ("lapse", 1)]
    assert rows(store, "SELECT count(*) FROM review_log") == [(5 + 5 + 5 + 8 + 6 + 90 + 97,)]
    assert rows(
        store,
        "SELECT count(*) FROM review_log WHERE repeat = 1 AND easiness_milli_before != "
        "easiness_milli_after",
    ) == [(0,)]
