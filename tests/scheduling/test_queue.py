"""Today's queue: order, limits, per-deck overrides, repeats; and the quiz draw."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quizapp.scheduling.queue import Candidate, pending_repeats, quiz_items, todays_queue
from quizapp.scheduling.settings import DeckLimits, Settings

TODAY = date(2026, 5, 10)


def due(deck: str, item: str, days_ago: int, order: int = 0) -> Candidate:
    return Candidate(deck, item, TODAY - timedelta(days=days_ago), order)


def new(deck: str, item: str, order: int) -> Candidate:
    return Candidate(deck, item, None, order)


def ids(queue: list[Candidate]) -> list[str]:
    return [c.item_id for c in queue]


def test_due_reviews_first_most_overdue_first_then_new_in_deck_order() -> None:
    candidates = [
        new("a", "a-new-2", 2),
        due("a", "a-1", 1),
        new("b", "b-new-0", 0),
        due("b", "b-5", 5),
        new("a", "a-new-1", 1),
        due("a", "a-0", 0),
        Candidate("a", "a-tomorrow", TODAY + timedelta(days=1), 9),
        due("b", "b-3", 3),
    ]
    queue = todays_queue(candidates, TODAY, Settings(), seed=1)
    assert ids(queue) == [
        "b-5",
        "b-3",
        "a-1",
        "a-0",
        # new: deck a first (it appears first in the input), its cards by order, then deck b
        "a-new-1",
        "a-new-2",
        "b-new-0",
    ]


def test_ties_are_shuffled_by_the_seed_and_only_by_the_seed() -> None:
    tied = [due("a", f"card-{n:02}", 2) for n in range(12)]
    older = due("a", "older", 3)
    orders = {}
    for seed in range(10):
        queue = todays_queue([*tied, older], TODAY, Settings(), seed=seed)
        assert queue[0] == older
        assert sorted(ids(queue[1:])) == ids(tied)
        # the same seed gives the same order whatever the input order
        again = todays_queue([older, *reversed(tied)], TODAY, Settings(), seed=seed)
        assert again == queue
        orders[seed] = tuple(ids(queue))
    assert len(set(orders.values())) == 10
    assert orders[0][1:] != tuple(ids(tied))  # shuffled, not left in input order


def test_new_cards_limited_per_deck() -> None:
    candidates = [new("a", f"a{n}", n) for n in range(30)] + [
        new("b", f"b{n}", n) for n in range(5)
    ]
    queue = todays_queue(candidates, TODAY, Settings(), seed=0)
    # default 20 a deck
    assert ids(queue) == [f"a{n}" for n in range(20)] + [f"b{n}" for n in range(5)]


def test_new_already_introduced_today_count_against_the_deck_limit() -> None:
    candidates = [new("a", f"a{n}", n) for n in range(30)] + [
        new("b", f"b{n}", n) for n in range(5)
    ]
    queue = todays_queue(candidates, TODAY, Settings(), seed=0, new_done_today={"a": 17, "b": 25})
    assert ids(queue) == ["a0", "a1", "a2"]


def test_per_deck_new_limit_override() -> None:
    settings = Settings(new_per_day=2, decks={"b": DeckLimits(new_per_day=4)})
    candidates = [new("a", f"a{n}", n) for n in range(5)] + [new("b", f"b{n}", n) for n in range(5)]
    queue = todays_queue(candidates, TODAY, settings, seed=0)
    assert ids(queue) == ["a0", "a1", "b0", "b1", "b2", "b3"]


def test_review_limit_caps_reviews_and_new_together() -> None:
    settings = Settings(reviews_per_day=5)
    candidates = [due("a", f"r{n}", 10 - n) for n in range(4)] + [
        new("a", f"n{n}", n) for n in range(4)
    ]
    queue = todays_queue(candidates, TODAY, settings, seed=0)
    assert ids(queue) == ["r0", "r1", "r2", "r3", "n0"]
    # reviews done earlier today use up the limit too
    queue = todays_queue(candidates, TODAY, settings, seed=0, reviews_done_today=3)
    assert ids(queue) == ["r0", "r1"]
    assert todays_queue(candidates, TODAY, settings, seed=0, reviews_done_today=9) == []


def test_default_review_limit_is_200() -> None:
    candidates = [due("a", f"r{n:03}", 300 - n) for n in range(250)] + [new("a", "n", 0)]
    queue = todays_queue(candidates, TODAY, Settings(), seed=0)
    assert ids(queue) == [f"r{n:03}" for n in range(200)]


def test_per_deck_review_limit_override() -> None:
    settings = Settings(reviews_per_day=6, decks={"a": DeckLimits(reviews_per_day=2)})
    candidates = [due("a", f"a{n}", 20 - n) for n in range(4)] + [
        due("b", f"b{n}", 10 - n) for n in range(6)
    ]
    queue = todays_queue(candidates, TODAY, settings, seed=0)
    # a is capped at 2; the global 6 takes b0..b3
    assert ids(queue) == ["a0", "a1", "b0", "b1", "b2", "b3"]
    # done today per deck: a has used 1 of its 2; 4 in all leaves 2 globally
    queue = todays_queue(candidates, TODAY, settings, seed=0, reviews_done_today={"a": 1, "b": 3})
    assert ids(queue) == ["a0", "b0"]


def test_repeats_come_last_whatever_the_limits() -> None:
    settings = Settings(reviews_per_day=1, new_per_day=0)
    repeat_1 = Candidate("a", "failed#c2", TODAY + timedelta(days=1), 4)
    repeat_2 = Candidate("b", "failed-too", TODAY + timedelta(days=1), 0)
    candidates = [due("a", "r1", 2), due("a", "r2", 1), new("a", "n", 0)]
    queue = todays_queue(
        candidates, TODAY, settings, seed=0, reviews_done_today=0, repeats=[repeat_1, repeat_2]
    )
    assert queue == [due("a", "r1", 2), repeat_1, repeat_2]


def test_duplicates_are_taken_once() -> None:
    item = due("a", "x", 1)
    queue = todays_queue([item, item, new("a", "n", 0)], TODAY, Settings(), seed=0, repeats=[item])
    assert ids(queue) == ["x", "n"]


def test_nothing_due_nothing_new() -> None:
    later = Candidate("a", "later", TODAY + timedelta(days=3), 0)
    assert todays_queue([later], TODAY, Settings(), seed=0) == []
    assert todays_queue([], TODAY, Settings(), seed=0) == []


def test_quiz_items_draw_regardless_of_schedule() -> None:
    pool = [due("a", f"r{n}", n) for n in range(5)] + [new("a", f"n{n}", n) for n in range(5)]
    pool.append(Candidate("a", "later", TODAY + timedelta(days=30), 0))
    drawn = quiz_items(pool, 4, seed=7)
    assert len(drawn) == 4
    assert len({c.key for c in drawn}) == 4
    assert set(drawn) <= set(pool)
    assert quiz_items(pool, 4, seed=7) == drawn
    assert {tuple(ids(quiz_items(pool, 4, seed=s))) for s in range(10)} != {tuple(ids(drawn))}
    everything = quiz_items(pool, 50, seed=1)
    assert sorted(ids(everything)) == sorted(ids(pool))
    assert quiz_items(pool, 0, seed=1) == []
    assert quiz_items([pool[0], pool[0]], 5, seed=1) == [pool[0]]
    with pytest.raises(ValueError):
        quiz_items(pool, -1, seed=1)


def test_pending_repeats_from_todays_answers() -> None:
    answers = [
        ("a", "x", 2),  # x failed ...
        ("a", "y", 5),  # y fine
        ("b", "x", 3),  # another deck's x: below 4
        ("a", "z", 1),
        ("a", "x", 4),  # ... x repeated with a 4: done
        ("a", "z", 3),  # z still below 4, answered after b/x
        ("a", "w", 4),
    ]
    assert pending_repeats(answers) == [("b", "x"), ("a", "z")]
    assert pending_repeats([]) == []
    with pytest.raises(ValueError):
        pending_repeats([("a", "x", 9)])
