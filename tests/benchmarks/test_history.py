"""The fabricated history is what the app itself would have written: exact counts, a chain of
states from review to review, and card_state equal to each item's last state."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

from conftest import TODAY

from benchmarks.history import History, cards_for_items, sm2_next
from benchmarks.synth import write_decks
from quizapp.deckfiles import load_decks
from quizapp.scheduling.sm2 import Sm2State, review


def test_integer_sm2_matches_the_apps_sm2() -> None:
    rng = random.Random(3)
    day = date(2025, 1, 1)
    for _ in range(300):
        state = Sm2State()
        reps, ivl, ease = 0, 0, 2500
        for _ in range(rng.randint(1, 15)):
            grade = rng.randint(0, 5)
            day += timedelta(days=rng.randint(0, 40))
            state = review(state, grade, day)
            reps, ivl, ease, due = sm2_next(reps, ivl, ease, grade, day)
            assert (reps, ivl, ease, due) == (
                state.repetitions,
                state.interval,
                state.easiness_thousandths,
                state.due,
            )


def test_cards_for_items_gives_exactly_that_many_items(tmp_path) -> None:
    def items_of(cards: int) -> int:  # every 4th card (index 2, 6, ...) is a 2-deletion cloze
        return cards + (cards + 1) // 4

    for items in (10, 60, 1000, 10_000, 100_000):
        cards = cards_for_items(items)
        assert items_of(cards) in (items, items + 1)
        assert items_of(cards - 1) < items
    assert cards_for_items(100_000) == 80_000
    write_decks(tmp_path, cards_for_items(1000), seed=2)
    decks = [r.deck for r in load_decks([tmp_path]) if r.deck is not None]
    assert sum(len(card.item_ids) for deck in decks for card in deck.cards) == 1000


def test_synthetic_decks_are_valid_with_every_kind_and_small_files(tmp_path) -> None:
    files = write_decks(tmp_path, 12_000, seed=5)
    assert [f.name for f in files] == [
        "synthetic-000.yaml",
        "synthetic-001.yaml",
        "synthetic-002.yaml",
    ]
    results = load_decks([tmp_path])
    assert [r.problems for r in results] == [(), (), ()]
    kinds = {card.kind for r in results if r.deck for card in r.deck.cards}
    assert sorted(kinds) == ["basic", "choice", "cloze", "command"]
    assert max(f.stat().st_size for f in files) < 10 * 1024 * 1024
    assert write_decks(tmp_path / "again", 12_000, seed=5)[0].read_bytes() == files[0].read_bytes()


def test_counts(tiny_history: History) -> None:
    with sqlite3.connect(tiny_history.db) as db:
        assert db.execute("select count(*) from cards").fetchone() == (60,)
        assert db.execute("select count(*) from review_log").fetchone() == (400,)
        first, last = db.execute("select min(day), max(day) from review_log").fetchone()
    assert tiny_history.items == 60 and tiny_history.reviews == 400
    assert date.fromisoformat(first) >= TODAY - timedelta(days=730)
    assert date.fromisoformat(last) < TODAY


def test_every_review_starts_where_the_last_one_ended(tiny_history: History) -> None:
    with sqlite3.connect(tiny_history.db) as db:
        rows = db.execute(
            "select deck_id, item_id, session_kind, repeat, grade, "
            "repetitions_before, interval_before, easiness_milli_before, due_before, "
            "lapses_before, repetitions_after, interval_after, easiness_milli_after, "
            "due_after, lapses_after, day from review_log order by id"
        ).fetchall()
        states = {
            (d, i): (r, iv, e, due, lapses)
            for d, i, r, iv, e, due, lapses in db.execute(
                "select deck_id, item_id, repetitions, interval, easiness_milli, due, lapses "
                "from card_state"
            )
        }
    last: dict[tuple[str, str], tuple] = {}
    for deck_id, item_id, kind, repeat, grade, *both, day in rows:
        before, after = tuple(both[:5]), tuple(both[5:])
        key = (deck_id, item_id)
        assert before == last.get(key, (0, 0, 2500, None, 0))
        if kind == "quiz" or repeat:
            assert after == before
        else:
            reps, ivl, ease, due = sm2_next(*before[:3], grade, date.fromisoformat(day))
            lapses = before[4] + (grade < 3 and before[0] > 0)
            assert after == (reps, ivl, ease, due.isoformat(), lapses)
        last[key] = after
    studied = {key: state for key, state in last.items() if state[3] is not None}
    assert states == studied
