"""Recording answers, undo, bury, the queue and the per-deck summaries, as exact rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from quizapp.errors import QuizappError
from quizapp.scheduling.queue import Candidate
from quizapp.scheduling.settings import DeckLimits, Settings
from quizapp.scheduling.sm2 import Sm2State
from quizapp.storage.engine import Store
from quizapp.storage.repository import (
    AnswerRecord,
    DeckSummary,
    ItemProgress,
    bury,
    deck_summaries,
    progress,
    record_answer,
    review_log,
    suspend,
    undo_answer,
)
from quizapp.storage.sync import sync_decks

from .helpers import basic, cloze, deck, item_state, noon, rows, todays_queue, todays_repeats

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 30, 15, 250000, tzinfo=UTC)
LOG_SQL = (  # every column but the sync ones (event id, device, asked_repeat, sent)
    "SELECT id, deck_id, item_id, reviewed_at, day, grade, typed_answer, correct, duration_ms,"
    " session_kind, repeat, repetitions_before, interval_before, easiness_milli_before,"
    " due_before, lapses_before, last_review_before, repetitions_after, interval_after,"
    " easiness_milli_after, due_after, lapses_after FROM review_log ORDER BY id"
)
STATE_SQL = "SELECT * FROM card_state ORDER BY deck_id, item_id"


@pytest.fixture
def synced(store: Store) -> Store:
    sync_decks(store, [deck("net", basic("a"), basic("b"), cloze("c", "{{c1::x}} {{c2::y}}"))])
    return store


def answer(
    store: Store, item_id: str, grade: int, day: date = DAY, **kwargs: object
) -> AnswerRecord:
    values: dict[str, object] = {
        "deck_id": "net",
        "item_id": item_id,
        "grade": grade,
        "typed_answer": None,
        "correct": None,
        "duration_ms": 1000,
        "now": noon(day),
        "today": day,
    }
    values.update(kwargs)
    return record_answer(store, **values)  # type: ignore[arg-type]


def test_a_first_study_answer_writes_state_and_log_rows(synced: Store) -> None:
    record = answer(
        synced, "a", 4, typed_answer="docker ps", correct=True, duration_ms=3250, now=NOW
    )
    assert record == AnswerRecord(
        review_id=1,
        before=Sm2State(),
        after=Sm2State(1, 1, Decimal("2.5"), date(2026, 3, 3)),
    )
    assert rows(synced, STATE_SQL) == [
        ("net", "a", 1, 1, 2500, "2026-03-03", 0, "2026-03-02 09:30:15.250000", None)
    ]
    assert rows(synced, LOG_SQL) == [
        (
            1, "net", "a", "2026-03-02 09:30:15.250000", "2026-03-02", 4, "docker ps", 1,
            3250, "study", 0,
            0, 0, 2500, None, 0, None,
            1, 1, 2500, "2026-03-03", 0,
        )
    ]  # fmt: skip


def test_the_second_answer_logs_the_state_before_it(synced: Store) -> None:
    answer(synced, "a", 5)
    record = answer(synced, "a", 3, day=date(2026, 3, 3))
    assert record.before == Sm2State(1, 1, Decimal("2.6"), date(2026, 3, 3))
    assert record.after == Sm2State(2, 6, Decimal("2.46"), date(2026, 3, 9))
    assert rows(synced, LOG_SQL.replace("ORDER BY id", "WHERE id = 2")) == [
        (
            2, "net", "a", "2026-03-03 12:00:00.000000", "2026-03-03", 3, None, None,
            1000, "study", 0,
            1, 1, 2600, "2026-03-03", 0, "2026-03-02 12:00:00.000000",
            2, 6, 2460, "2026-03-09", 0,
        )
    ]  # fmt: skip


def test_a_same_day_repeat_is_logged_but_changes_no_state(synced: Store) -> None:
    answer(synced, "a", 2)
    state = rows(synced, STATE_SQL)
    record = answer(synced, "a", 4, repeat=True)
    assert record.before == record.after == Sm2State(0, 1, Decimal("2.18"), date(2026, 3, 3))
    assert rows(synced, STATE_SQL) == state
    assert rows(synced, "SELECT id, grade, repeat, session_kind FROM review_log") == [
        (1, 2, 0, "study"),
        (2, 4, 1, "study"),
    ]


def test_a_second_first_review_on_one_day_is_stored_as_a_repeat(synced: Store) -> None:
    # Two terminals showed the same new card at once; both send a plain study answer.
    answer(synced, "a", 5)
    state = rows(synced, STATE_SQL)
    record = answer(synced, "a", 3)
    assert record.before == record.after == Sm2State(1, 1, Decimal("2.6"), date(2026, 3, 3))
    assert rows(synced, STATE_SQL) == state
    assert rows(synced, "SELECT id, grade, repeat FROM review_log") == [(1, 5, 0), (2, 3, 1)]
    assert answer(synced, "a", 4, day=date(2026, 3, 3)).after.repetitions == 2


def test_a_quiz_answer_never_changes_the_state(synced: Store) -> None:
    record = answer(synced, "b", 0, session_kind="quiz", correct=False, typed_answer="?")
    assert record.before == record.after == Sm2State()
    assert rows(synced, STATE_SQL) == []
    assert rows(synced, "SELECT item_id, grade, correct, session_kind FROM review_log") == [
        ("b", 0, 0, "quiz")
    ]


def test_lapses_count_failed_reviews_of_learned_items_once(synced: Store) -> None:
    answer(synced, "a", 1)  # a new item failed: not a lapse
    answer(synced, "a", 5, day=DAY + timedelta(days=1))  # learned
    record = answer(synced, "a", 2, day=DAY + timedelta(days=2))  # forgotten: a lapse
    answer(synced, "a", 0, day=DAY + timedelta(days=3))  # still not recalled: no new lapse
    assert record.before.repetitions == 1
    assert rows(synced, "SELECT lapses_before, lapses_after FROM review_log ORDER BY id") == [
        (0, 0),
        (0, 0),
        (0, 1),
        (1, 1),
    ]
    assert rows(synced, "SELECT lapses FROM card_state") == [(1,)]


def test_bad_answers_are_refused_before_anything_is_written(synced: Store) -> None:
    with pytest.raises(ValueError, match="grade"):
        answer(synced, "a", 6)
    with pytest.raises(ValueError, match="timezone-aware"):
        answer(synced, "a", 4, now=datetime(2026, 3, 2, 12))
    with pytest.raises(ValueError, match="session_kind"):
        answer(synced, "a", 4, session_kind="exam")
    with pytest.raises(QuizappError, match="no item 'zzz' in deck 'net'"):
        answer(synced, "zzz", 4)
    assert rows(synced, LOG_SQL) == []
    assert rows(synced, STATE_SQL) == []


def test_undo_restores_the_state_before_and_removes_the_log_row(synced: Store) -> None:
    answer(synced, "a", 5)
    state = rows(synced, STATE_SQL)
    second = answer(synced, "a", 1, day=DAY + timedelta(days=1))
    assert rows(synced, STATE_SQL) != state
    undo_answer(synced, second.review_id)
    assert rows(synced, STATE_SQL) == state
    assert rows(synced, "SELECT id FROM review_log") == [(1,)]


def test_undoing_a_first_answer_makes_the_item_new_again(synced: Store) -> None:
    first = answer(synced, "a", 4)
    undo_answer(synced, first.review_id)
    assert rows(synced, STATE_SQL) == [("net", "a", 0, 0, 2500, None, 0, None, None)]
    assert rows(synced, LOG_SQL) == []
    queue = todays_queue(synced, ["net"], DAY, Settings(), seed=1)
    assert queue[0] == Candidate("net", "a", None, 0)


def test_undo_of_a_repeat_or_quiz_answer_leaves_the_state(synced: Store) -> None:
    answer(synced, "a", 2)
    state = rows(synced, STATE_SQL)
    repeat = answer(synced, "a", 3, repeat=True)
    undo_answer(synced, repeat.review_id)
    quiz = answer(synced, "a", 5, session_kind="quiz")
    undo_answer(synced, quiz.review_id)
    assert rows(synced, STATE_SQL) == state
    assert rows(synced, "SELECT id FROM review_log") == [(1,)]


def test_only_the_latest_answer_of_an_item_can_be_undone(synced: Store) -> None:
    first = answer(synced, "a", 2)
    answer(synced, "a", 4, repeat=True)
    with pytest.raises(QuizappError, match="'a' was answered again since"):
        undo_answer(synced, first.review_id)
    with pytest.raises(QuizappError, match="no answer 99 to undo"):
        undo_answer(synced, 99)
    assert len(rows(synced, LOG_SQL)) == 2


def test_the_queue_puts_due_reviews_first_then_new_then_repeats(synced: Store) -> None:
    answer(synced, "b", 5, day=DAY - timedelta(days=1))  # due today
    answer(synced, "a", 2)  # studied today, to repeat
    queue = todays_queue(synced, None, DAY, Settings(), seed=7)
    assert queue == [
        Candidate("net", "b", DAY, 1),
        Candidate("net", "c#c1", None, 2),
        Candidate("net", "c#c2", None, 3),
        Candidate("net", "a", DAY + timedelta(days=1), 0),
    ]
    assert todays_repeats(synced, ["net"], DAY) == [Candidate("net", "a", DAY + timedelta(1), 0)]


def test_a_repeat_graded_4_is_no_longer_pending(synced: Store) -> None:
    answer(synced, "a", 2)
    answer(synced, "a", 4, repeat=True)
    assert todays_repeats(synced, None, DAY) == []


def test_a_failed_item_suspended_or_buried_today_is_not_repeated(synced: Store) -> None:
    answer(synced, "a", 1)
    answer(synced, "b", 2)
    suspend(synced, "net", "a")
    bury(synced, "net", "b", DAY + timedelta(days=1))
    queue = todays_queue(synced, None, DAY, Settings(), seed=1)
    assert [c.item_id for c in queue] == ["c#c1", "c#c2"]
    assert todays_repeats(synced, None, DAY) == []
    assert [s.repeats for s in deck_summaries(synced, DAY, Settings())] == [0]
    assert [s.repeats for s in deck_summaries(synced, DAY, Settings(), keep=lambda d, i: True)] == [
        0
    ]


def test_the_new_limit_counts_new_items_studied_today(synced: Store) -> None:
    settings = Settings(new_per_day=2)
    answer(synced, "a", 5)
    queue = todays_queue(synced, None, DAY, settings, seed=1)
    assert [c.item_id for c in queue] == ["b"]
    limited = Settings(decks={"net": DeckLimits(new_per_day=1)})
    assert todays_queue(synced, None, DAY, limited, seed=1) == []


def test_a_buried_item_is_left_out_until_its_day(synced: Store) -> None:
    bury(synced, "net", "c#c1", DAY + timedelta(days=1))
    answer(synced, "b", 5, day=DAY - timedelta(days=1))
    bury(synced, "net", "b", DAY + timedelta(days=1))
    assert [c.item_id for c in todays_queue(synced, None, DAY, Settings(), seed=1)] == [
        "a",
        "c#c2",
    ]
    tomorrow = todays_queue(synced, None, DAY + timedelta(days=1), Settings(), seed=1)
    assert [c.item_id for c in tomorrow] == ["b", "a", "c#c1", "c#c2"]
    assert rows(synced, "SELECT item_id, due, buried_until FROM card_state ORDER BY 1") == [
        ("b", "2026-03-02", "2026-03-03"),
        ("c#c1", None, "2026-03-03"),
    ]


def test_deck_summaries_count_cards_new_repeats_and_due(store: Store) -> None:
    sync_decks(store, [deck("net", *(basic(f"n{i}") for i in range(5))), deck("z", basic("q"))])
    answer(store, "n0", 5, day=DAY - timedelta(days=1))  # due today
    answer(store, "n1", 5, day=DAY - timedelta(days=3))  # overdue
    answer(store, "n2", 1)  # new today, failed: a repeat
    answer(store, "n3", 4)  # new today, done
    bury(store, "net", "n1", DAY + timedelta(days=1))  # so not due today after all
    summaries = deck_summaries(store, DAY, Settings(new_per_day=3))
    assert summaries == [
        DeckSummary("net", "Net", cards=5, new=1, repeats=1, due=1, total_today=3),
        DeckSummary("z", "Z", cards=1, new=1, repeats=0, due=0, total_today=1),
    ]


def test_deck_summaries_respect_the_review_limit(store: Store) -> None:
    sync_decks(store, [deck("net", *(basic(f"n{i}") for i in range(6)))])
    for i in range(3):
        answer(store, f"n{i}", 5, day=DAY - timedelta(days=1))
    answer(store, "n3", 5)
    summaries = deck_summaries(store, DAY, Settings(reviews_per_day=3))
    assert summaries == [DeckSummary("net", "Net", 6, new=0, repeats=0, due=2, total_today=2)]
    queue = todays_queue(store, None, DAY, Settings(reviews_per_day=3), seed=3)
    assert len(queue) == 2


def test_deck_summaries_is_one_query(store: Store) -> None:
    """One SELECT, whichever way it runs (SQLite traces its own statements, so the plain
    sqlite3 path is seen too)."""
    sync_decks(store, [deck(f"d{i}", basic("x")) for i in range(5)])
    statements: list[str] = []
    from sqlalchemy import event

    def checkout(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    def checkin(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(None)

    event.listen(store.engine, "checkout", checkout)
    event.listen(store.engine, "checkin", checkin)
    try:
        assert len(deck_summaries(store, DAY, Settings())) == 5
    finally:
        event.remove(store.engine, "checkout", checkout)
        event.remove(store.engine, "checkin", checkin)
    assert [s.split()[0] for s in statements if s.split()[0] != "PRAGMA"] == ["SELECT"]


def test_progress_and_review_log_for_the_export(synced: Store) -> None:
    answer(synced, "a", 5, now=NOW, duration_ms=700)
    answer(synced, "c#c2", 4, session_kind="quiz")
    assert item_state(synced, "net", "zzz") is None
    everything = progress(synced)
    assert [p.item_id for p in everything] == ["a", "b", "c#c1", "c#c2"]
    assert everything[0] == ItemProgress(
        deck_id="net",
        item_id="a",
        card_id="a",
        repetitions=1,
        interval=1,
        easiness=Decimal("2.6"),
        due=date(2026, 3, 3),
        lapses=0,
        reviews=1,
        last_review=NOW,
        buried_until=None,
        kind="basic",
        position=0,
    )
    assert everything[3].reviews == 1 and everything[3].due is None
    assert everything[3].card_id == "c" and everything[3].kind == "cloze"
    log = review_log(synced, ["net"])
    assert [(r.id, r.item_id, r.card_id, r.session_kind, r.grade) for r in log] == [
        (1, "a", "a", "study", 5),
        (2, "c#c2", "c", "quiz", 4),
    ]
    assert log[0].reviewed_at == NOW and log[0].reviewed_at.tzinfo is UTC
    assert log[0].before == Sm2State() and log[0].after.interval == 1
    assert review_log(synced, ["other"]) == []


def test_each_summary_matches_the_queue_it_describes(store: Store) -> None:
    sync_decks(store, [deck("net", *(basic(f"n{i}") for i in range(9))), deck("z", basic("q"))])
    for i, offset in enumerate((1, 2, 2, 5)):
        answer(store, f"n{i}", 5, day=DAY - timedelta(days=offset))  # four due
    answer(store, "n4", 2)  # a repeat
    answer(store, "n5", 5)  # new today, done
    settings = Settings(new_per_day=2, reviews_per_day=6)
    for summary in deck_summaries(store, DAY, settings):
        queue = todays_queue(store, [summary.deck_id], DAY, settings, seed=5)
        repeats = todays_repeats(store, [summary.deck_id], DAY)
        first = queue[: len(queue) - len(repeats)]
        assert (
            len(queue),
            sum(c.due is None for c in first),
            sum(c.due is not None for c in first),
            len(repeats),
        ) == (summary.total_today, summary.new, summary.due, summary.repeats), summary.deck_id
    assert deck_summaries(store, DAY, settings)[0] == DeckSummary("net", "Net", 9, 0, 1, 4, 5)
