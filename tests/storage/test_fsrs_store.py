"""FSRS decks in the store: live answers equal the replay of the log, switching scheduler keeps
every review (and SM-2 comes back exact), same-day steps, undo, and months of sessions under
freezegun."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time

from quizapp.scheduling import fsrs, sm2
from quizapp.scheduling.day import study_day
from quizapp.scheduling.fsrs import FsrsConfig, FsrsState
from quizapp.scheduling.queue import StudySession
from quizapp.scheduling.settings import DeckLimits, Settings
from quizapp.storage import fsrs_schedule, fsrs_store
from quizapp.storage.engine import Store
from quizapp.storage.repository import deck_summaries, review_log
from quizapp.storage.sync import sync_decks

from .helpers import basic, deck, rows

FSRS = Settings(scheduler="fsrs", new_per_day=5)
SM2 = Settings(new_per_day=5)
ITEMS = [f"card-{n}" for n in range(12)]
Grade = Callable[[str, date, bool], int]


def grade_of(seed: int) -> Grade:
    """Seeded grades; a card's third answer of a day and later ones are 4 (the day ends)."""
    asked: dict[tuple[str, date], int] = {}

    def grade(item: str, day: date, repeat: bool) -> int:
        count = asked[(item, day)] = asked.get((item, day), 0) + 1
        if count >= 3:
            return 4
        rng = random.Random(f"{seed}:{item}:{day}:{count}")
        return rng.choice([1, 3, 4, 4, 4, 5] if not repeat else [2, 4, 4])

    return grade


def study(
    store: Store,
    settings: Settings,
    today: date,
    grade: Grade,
    clock: Callable[[], datetime],
    live: dict[str, FsrsState] | None = None,
) -> int:
    """One day's session as the study app runs it; returns the answers given."""
    queue, repeats = fsrs_store.queue_and_repeats(store, ["d"], today, settings, seed=1)
    session = StudySession(queue, repeats)
    answers = 0
    while (item := session.current) is not None:
        value = grade(item.item_id, today, session.current_is_repeat)
        now = clock()
        record = fsrs_store.record(
            store,
            settings,
            deck_id="d",
            item_id=item.item_id,
            grade=value,
            typed_answer=None,
            correct=None,
            duration_ms=1000,
            now=now,
            today=today,
            repeat=session.current_is_repeat,
        )
        if live is not None:
            live[item.item_id] = fsrs.review(live.get(item.item_id), value, now, FsrsConfig())
        session.answer(value, comes_back=getattr(record, "comes_back", None))
        answers += 1
        assert answers < 500
    return answers


def state_rows(store: Store) -> list[tuple[object, ...]]:
    return rows(store, "SELECT * FROM card_state ORDER BY deck_id, item_id")


def sm2_replay(store: Store) -> dict[str, tuple[int, int, int, date]]:
    """SM-2's state of each item by hand from the log: the first study answer of a day moves."""
    states: dict[str, sm2.Sm2State] = {}
    seen: set[tuple[str, date]] = set()
    for review in review_log(store, ["d"]):
        if review.session_kind != "study" or (review.item_id, review.day) in seen:
            continue
        seen.add((review.item_id, review.day))
        before = states.get(review.item_id, sm2.Sm2State())
        states[review.item_id] = sm2.review(before, review.grade, review.day)
    return {
        item: (s.repetitions, s.interval, s.easiness_thousandths, s.due)
        for item, s in states.items()
        if s.due is not None
    }


def stored_sm2(store: Store) -> dict[str, tuple[int, int, int, date]]:
    found = rows(
        store,
        "SELECT item_id, repetitions, interval, easiness_milli FROM card_state"
        " WHERE deck_id = 'd' AND due IS NOT NULL",
    )
    log = review_log(store, ["d"])
    last = {r.item_id: r.after.due for r in log if r.session_kind == "study" and not r.repeat}
    return {item: (reps, ivl, ease, last[item]) for item, reps, ivl, ease in found}


def dues(store: Store) -> dict[str, date]:
    found = rows(store, "SELECT item_id, due FROM card_state WHERE deck_id = 'd'")
    return {item: date.fromisoformat(due) for item, due in found if due is not None}


@pytest.fixture
def fsrs_deck(store: Store) -> Store:
    sync_decks(store, [deck("d", *(basic(item) for item in ITEMS))])
    return store


def run_days(
    store: Store,
    settings: Settings,
    first: date,
    days: int,
    grade: Grade,
    live: dict[str, FsrsState] | None = None,
) -> int:
    """`days` study days under freezegun: each starts at 09:00 UTC, an answer takes 40 s."""
    answers = 0
    with freeze_time(datetime.combine(first, datetime.min.time()) + timedelta(hours=9)) as clock:
        for offset in range(days):
            clock.move_to(datetime.combine(first + timedelta(days=offset), datetime.min.time()))
            clock.tick(timedelta(hours=9))

            def now() -> datetime:
                clock.tick(timedelta(seconds=40))
                return datetime.now(UTC)

            today = study_day(datetime.now(UTC), settings.rollover_hour)
            answers += study(store, settings, today, grade, now, live)
    return answers


def test_months_of_fsrs_sessions_equal_the_replay_of_the_log(fsrs_deck: Store) -> None:
    fsrs_store.reconcile(fsrs_deck, ["d"], FSRS)
    live: dict[str, FsrsState] = {}
    answers = run_days(fsrs_deck, FSRS, date(2026, 1, 5), 120, grade_of(1), live)
    assert answers > 100
    assert set(live) == set(ITEMS)
    config = FsrsConfig()
    replayed = fsrs_store.deck_fsrs_states(fsrs_deck, "d", config)
    assert replayed == live
    for item in ITEMS:
        assert fsrs_store.item_fsrs_state(fsrs_deck, "d", item, config) == live[item]
    assert dues(fsrs_deck) == {item: s.due_day(FSRS.rollover_hour) for item, s in live.items()}
    # SM-2's columns stayed SM-2's exact state all along.
    assert stored_sm2(fsrs_deck) == sm2_replay(fsrs_deck)


def test_fsrs_same_day_steps_bring_a_card_back_under_fsrs_rules(fsrs_deck: Store) -> None:
    fsrs_store.reconcile(fsrs_deck, ["d"], FSRS)
    today = date(2026, 1, 5)
    moment = datetime(2026, 1, 5, 9, tzinfo=UTC)
    settings = Settings(scheduler="fsrs", new_per_day=1)
    grades = iter([4, 4])  # Good (step 1, due in 10 minutes), then Good again: graduates
    answered: list[tuple[str, bool]] = []

    def clock() -> datetime:
        nonlocal moment
        moment += timedelta(minutes=11)
        return moment

    def grade(item: str, day: date, repeat: bool) -> int:
        answered.append((item, repeat))
        return next(grades)

    assert study(fsrs_deck, settings, today, grade, clock) == 2
    assert answered == [("card-0", False), ("card-0", True)]  # a 4 came back: FSRS's step
    assert dues(fsrs_deck)["card-0"] == date(2026, 1, 7)
    # Under SM-2 a 4 on a new card does not come back the same day.
    assert not sm2.needs_repeat(4)


def test_a_restarted_day_still_owes_fsrs_steps(fsrs_deck: Store) -> None:
    fsrs_store.reconcile(fsrs_deck, ["d"], FSRS)
    today = date(2026, 1, 5)
    fsrs_store.record(
        fsrs_deck,
        FSRS,
        deck_id="d",
        item_id="card-0",
        grade=5,
        typed_answer=None,
        correct=None,
        duration_ms=1,
        now=datetime(2026, 1, 5, 9, tzinfo=UTC),
        today=today,
    )
    fsrs_store.record(
        fsrs_deck,
        FSRS,
        deck_id="d",
        item_id="card-1",
        grade=4,  # SM-2 would not repeat it; FSRS has it due in 10 minutes
        typed_answer=None,
        correct=None,
        duration_ms=1,
        now=datetime(2026, 1, 5, 9, 1, tzinfo=UTC),
        today=today,
    )
    queue, repeats = fsrs_store.queue_and_repeats(fsrs_deck, ["d"], today, FSRS, seed=1)
    assert [c.item_id for c in repeats] == ["card-1"]
    assert queue[-1].item_id == "card-1"
    assert "card-0" not in [c.item_id for c in queue]
    # The day's counts follow FSRS too: one repeat (the step), no review due.
    [counts] = deck_summaries(fsrs_deck, today, FSRS)
    assert (counts.repeats, counts.due) == (0, 1)  # what SM-2's rules count
    [counts] = fsrs_deck.read_dbapi(
        lambda conn: fsrs_schedule.with_fsrs_counts(conn, [counts], FSRS, today)
    )
    assert (counts.new, counts.repeats, counts.due, counts.total_today) == (3, 1, 0, 4)


def test_switching_to_fsrs_and_back_gives_sm2_exactly_again(fsrs_deck: Store) -> None:
    run_days(fsrs_deck, SM2, date(2026, 1, 5), 60, grade_of(2))
    before = state_rows(fsrs_deck)
    reviews = len(review_log(fsrs_deck, ["d"]))

    assert fsrs_store.reconcile(fsrs_deck, ["d"], FSRS) == ["d"]
    replayed = fsrs_store.deck_fsrs_states(fsrs_deck, "d", FsrsConfig())
    assert dues(fsrs_deck) == {i: s.due_day(FSRS.rollover_hour) for i, s in replayed.items()}
    assert dues(fsrs_deck) != {row[1]: date.fromisoformat(row[5]) for row in before if row[5]}
    assert fsrs_store.reconcile(fsrs_deck, ["d"], FSRS) == []  # nothing changed: no work

    assert fsrs_store.reconcile(fsrs_deck, ["d"], SM2) == ["d"]
    assert state_rows(fsrs_deck) == before
    assert len(review_log(fsrs_deck, ["d"])) == reviews


def test_back_and_forth_while_studying_keeps_every_review(fsrs_deck: Store) -> None:
    start = date(2026, 1, 5)
    total = 0
    for n, settings in enumerate([SM2, FSRS, SM2, FSRS]):
        fsrs_store.reconcile(fsrs_deck, ["d"], settings)
        total += run_days(fsrs_deck, settings, start + timedelta(days=30 * n), 30, grade_of(n))
    assert len(review_log(fsrs_deck, ["d"])) == total
    # SM-2's state is its replay of every study answer, whichever scheduler was on.
    assert stored_sm2(fsrs_deck) == sm2_replay(fsrs_deck)
    replayed = fsrs_store.deck_fsrs_states(fsrs_deck, "d", FsrsConfig())
    assert dues(fsrs_deck) == {i: s.due_day(FSRS.rollover_hour) for i, s in replayed.items()}
    fsrs_store.reconcile(fsrs_deck, ["d"], SM2)
    assert dues(fsrs_deck) == {item: state[3] for item, state in sm2_replay(fsrs_deck).items()}


def test_retention_per_deck_reschedules(fsrs_deck: Store) -> None:
    run_days(fsrs_deck, FSRS, date(2026, 1, 5), 20, grade_of(3))
    fsrs_store.reconcile(fsrs_deck, ["d"], FSRS)
    at_90 = dues(fsrs_deck)
    strict = Settings(scheduler="fsrs", decks={"d": DeckLimits(desired_retention=0.97)})
    assert fsrs_store.reconcile(fsrs_deck, ["d"], strict) == ["d"]
    at_97 = dues(fsrs_deck)
    assert all(at_97[i] <= at_90[i] for i in at_90)
    assert any(at_97[i] < at_90[i] for i in at_90)


def test_a_new_rollover_hour_reschedules_fsrs_decks_only(fsrs_deck: Store) -> None:
    run_days(fsrs_deck, FSRS, date(2026, 1, 5), 10, grade_of(7))
    fsrs_store.reconcile(fsrs_deck, ["d"], FSRS)
    late = Settings(scheduler="fsrs", new_per_day=5, rollover_hour=12)
    assert fsrs_store.reconcile(fsrs_deck, ["d"], late) == ["d"]
    replayed = fsrs_store.deck_fsrs_states(fsrs_deck, "d", FsrsConfig())
    assert dues(fsrs_deck) == {i: s.due_day(12) for i, s in replayed.items()}
    assert fsrs_store.reconcile(fsrs_deck, ["d"], Settings(rollover_hour=12)) == ["d"]
    assert fsrs_store.reconcile(fsrs_deck, ["d"], SM2) == []  # SM-2's days have no hour


def test_undo_under_fsrs_puts_the_due_day_back(fsrs_deck: Store) -> None:
    run_days(fsrs_deck, FSRS, date(2026, 1, 5), 10, grade_of(4))
    before = state_rows(fsrs_deck)
    record = fsrs_store.record(
        fsrs_deck,
        FSRS,
        deck_id="d",
        item_id="card-0",
        grade=1,
        typed_answer=None,
        correct=None,
        duration_ms=1,
        now=datetime(2026, 1, 20, 9, tzinfo=UTC),
        today=date(2026, 1, 20),
    )
    assert state_rows(fsrs_deck) != before
    fsrs_store.undo(fsrs_deck, FSRS, record.review_id, "d")
    assert state_rows(fsrs_deck) == before
    # Answered again (the log row id is reused): the state continues from the log, not from
    # the undone answer.
    again = fsrs_store.record(
        fsrs_deck,
        FSRS,
        deck_id="d",
        item_id="card-0",
        grade=5,
        typed_answer=None,
        correct=None,
        duration_ms=1,
        now=datetime(2026, 1, 20, 10, tzinfo=UTC),
        today=date(2026, 1, 20),
    )
    assert again.review_id == record.review_id
    assert isinstance(again, fsrs_store.FsrsAnswerRecord)
    replayed = fsrs_store.item_fsrs_state(fsrs_deck, "d", "card-0", FsrsConfig())
    assert again.fsrs_after == replayed
    assert dues(fsrs_deck)["card-0"] == replayed.due_day(FSRS.rollover_hour)


def test_quiz_answers_move_neither_scheduler(fsrs_deck: Store) -> None:
    run_days(fsrs_deck, FSRS, date(2026, 1, 5), 5, grade_of(5))
    before = state_rows(fsrs_deck)
    states = fsrs_store.deck_fsrs_states(fsrs_deck, "d", FsrsConfig())
    fsrs_store.record(
        fsrs_deck,
        FSRS,
        deck_id="d",
        item_id="card-0",
        grade=0,
        typed_answer="x",
        correct=False,
        duration_ms=1,
        now=datetime(2026, 1, 12, 9, tzinfo=UTC),
        today=date(2026, 1, 12),
        session_kind="quiz",
    )
    assert state_rows(fsrs_deck) == before
    assert fsrs_store.deck_fsrs_states(fsrs_deck, "d", FsrsConfig()) == states


def test_previews_under_each_scheduler(fsrs_deck: Store) -> None:
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)

    def preview_text(*args: object) -> str:
        return fsrs_deck.read_dbapi(lambda conn: fsrs_schedule.preview_text(conn, *args[1:]))

    text = preview_text(fsrs_deck, SM2, "d", "card-0", now, now.date(), False)
    assert text == "next: 0-2 today+1d · 3 today+1d · 4 1d · 5 1d"
    text = preview_text(fsrs_deck, FSRS, "d", "card-0", now, now.date(), False)
    assert text == "next: 0-2 1m · 3 6m · 4 10m · 5 8d"
    assert preview_text(fsrs_deck, SM2, "d", "card-0", now, now.date(), True) == (
        "next: 0-3 today · 4-5 done today"
    )


def test_predicted_retention_only_for_fsrs_decks(fsrs_deck: Store) -> None:
    run_days(fsrs_deck, FSRS, date(2026, 1, 5), 30, grade_of(6))
    now = datetime(2026, 2, 4, 9, tzinfo=UTC)
    assert fsrs_store.predicted_retention(fsrs_deck, ["d"], SM2, now) is None
    value = fsrs_store.predicted_retention(fsrs_deck, ["d"], FSRS, now)
    states = fsrs_store.deck_fsrs_states(fsrs_deck, "d", FsrsConfig())
    expected = sum(fsrs.retrievability(s, now, FsrsConfig()) for s in states.values())
    assert value == pytest.approx(expected / len(states))
    assert 0.5 < value < 1
