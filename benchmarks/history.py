"""Years of study, fabricated fast: a quizapp database with cards, SM-2 state and review log.

`build_history` writes synthetic decks, syncs them with the app's own `sync_decks` (so the
cards table is exactly what the app would write), then simulates two years of SM-2 reviews
and writes them straight into `card_state` and `review_log` with Core bulk inserts.

Every row is consistent: each review's "before" state is the previous review's "after", and
`card_state` holds the last "after", so the app can go on from there. The simulation uses the
integer form of SM-2 (`sm2_next`), which a test checks against `quizapp.scheduling.sm2.review`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.synth import write_decks

HISTORY_DAYS = 730
STUDIED_SHARE = 0.8
"""Share of the items that have been studied at least once; the rest are still new."""
QUIZ_SHARE = 0.03
"""Share of the answers given in quiz mode (logged, schedule untouched)."""
GRADES = (0, 1, 2, 3, 4, 5)
GRADE_WEIGHTS = (2, 3, 7, 20, 43, 25)
BATCH = 50_000


@dataclass(frozen=True, slots=True)
class History:
    """What `build_history` wrote."""

    db: Path
    decks: Path
    deck_files: tuple[Path, ...]
    cards: int
    """Deck cards (a cloze card with two deletions is one card and two items)."""
    items: int
    """Reviewable items: rows of the cards table (what Anki calls cards)."""
    reviews: int
    today: date


def sm2_next(
    repetitions: int, interval: int, easiness_milli: int, grade: int, day: date
) -> tuple[int, int, int, date]:
    """SM-2 on integers (easiness in thousandths): the same result as `sm2.review`."""
    if grade >= 3:
        repetitions += 1
        if repetitions == 1:
            interval = 1
        elif repetitions == 2:
            interval = 6
        else:
            interval = -(-interval * easiness_milli // 1000)
    else:
        repetitions = 0
        interval = 1
    miss = 5 - grade
    easiness_milli = max(1300, easiness_milli + 100 - miss * (80 + miss * 20))
    return repetitions, interval, easiness_milli, day + timedelta(days=interval)


def cards_for_items(items: int) -> int:
    """Deck cards that give `items` items with `synth`'s mix (every 4th card is a 2-cloze)."""
    cards = items * 4 // 5
    while cards + (cards + 1) // 4 < items:
        cards += 1
    return cards


REPEAT_GRADE_WEIGHTS = (1, 1, 3, 15, 50, 30)
"""Grades of same-day repeats (SM-2 step 7): mostly recalled by then."""


def _late(rng: random.Random) -> int:
    """Days a review happens after its due day: learners are often on time, sometimes not."""
    roll = rng.random()
    if roll < 0.6:
        return 0
    if roll < 0.9:
        return rng.randint(1, 3)
    return rng.randint(4, 30)


def study_events(rng: random.Random, span: int) -> list[tuple[int, int, bool]]:
    """(day offset, grade, repeat) of one item's study answers, due-driven, until `span`."""
    events: list[tuple[int, int, bool]] = []
    offset = rng.randint(0, span)
    reps, ivl, ease = 0, 0, 2500
    while offset <= span:
        grade = rng.choices(GRADES, weights=GRADE_WEIGHTS)[0]
        events.append((offset, grade, False))
        again = grade
        for _ in range(3):
            if again >= 4:
                break
            again = rng.choices(GRADES, weights=REPEAT_GRADE_WEIGHTS)[0]
            events.append((offset, again, True))
        if grade >= 3:
            reps += 1
            ivl = 1 if reps == 1 else 6 if reps == 2 else -(-ivl * ease // 1000)
        else:
            reps, ivl = 0, 1
        miss = 5 - grade
        ease = max(1300, ease + 100 - miss * (80 + miss * 20))
        offset += ivl + _late(rng)
    return events


def plan_events(
    rng: random.Random, items: int, reviews: int, span: int
) -> list[list[tuple[int, int, bool, bool]]]:
    """Per item: (day offset, grade, repeat, quiz) answers, `reviews` in all, time-ordered.

    Items are studied in a random order until the answers run out (at most `STUDIED_SHARE`
    of them); if study answers fall short, quiz answers on studied items make up the rest.
    """
    plans: list[list[tuple[int, int, bool, bool]]] = [[] for _ in range(items)]
    order = list(range(items))
    rng.shuffle(order)
    left = reviews
    studied: list[int] = []
    for index in order[: max(1, round(items * STUDIED_SHARE))]:
        if left <= 0:
            break
        events = study_events(rng, span)[:left]
        plans[index] = [(o, g, r, False) for o, g, r in events]
        studied.append(index)
        left -= len(events)
    for index in rng.choices(studied, k=max(0, left)):
        first = plans[index][0][0]
        plans[index].append((rng.randint(first, span), rng.choice(GRADES), False, True))
    for plan in plans:
        plan.sort(key=lambda event: (event[0], event[3]))
    return plans


def simulate(
    rng: random.Random, keys: list[tuple[str, str]], reviews: int, today: date
) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """Card states and review rows (tuples in `_LOG_COLUMNS` order) for every item."""
    states: list[dict[str, Any]] = []
    log: list[tuple[Any, ...]] = []
    first_day = today - timedelta(days=HISTORY_DAYS)
    plans = plan_events(rng, len(keys), reviews, HISTORY_DAYS - 1)
    for (deck_id, item_id), plan in zip(keys, plans, strict=True):
        if not plan:
            continue
        reps, ivl, ease, due, lapses = 0, 0, 2500, None, 0
        last: datetime | None = None
        clock = 0
        previous_offset = -1
        for offset, grade, repeat, quiz in plan:
            day = first_day + timedelta(days=offset)
            if offset != previous_offset:
                clock = rng.randint(0, 12 * 3600)
                previous_offset = offset
            clock += rng.randint(60, 900)
            at = datetime(day.year, day.month, day.day, 7, tzinfo=UTC) + timedelta(seconds=clock)
            before = (reps, ivl, ease, due, lapses, last)
            if not (repeat or quiz):
                if grade < 3 and reps > 0:
                    lapses += 1
                reps, ivl, ease, due = sm2_next(reps, ivl, ease, grade, day)
                last = at
            log.append(
                (
                    at,
                    deck_id,
                    item_id,
                    day,
                    grade,
                    None,
                    grade >= 3,
                    rng.randint(1500, 25_000),
                    "quiz" if quiz else "study",
                    repeat,
                    *before,
                    reps,
                    ivl,
                    ease,
                    due,
                    lapses,
                )
            )
        if last is not None:
            states.append(
                {
                    "deck_id": deck_id,
                    "item_id": item_id,
                    "repetitions": reps,
                    "interval": ivl,
                    "easiness_milli": ease,
                    "due": due,
                    "lapses": lapses,
                    "last_review": last,
                    "buried_until": None,
                }
            )
    return states, log


_LOG_COLUMNS = (
    "reviewed_at",
    "deck_id",
    "item_id",
    "day",
    "grade",
    "typed_answer",
    "correct",
    "duration_ms",
    "session_kind",
    "repeat",
    "repetitions_before",
    "interval_before",
    "easiness_milli_before",
    "due_before",
    "lapses_before",
    "last_review_before",
    "repetitions_after",
    "interval_after",
    "easiness_milli_after",
    "due_after",
    "lapses_after",
)


def build_history(folder: Path, *, items: int, reviews: int, today: date, seed: int = 1) -> History:
    """Decks in `folder/decks`, and `folder/quizapp.db` with `reviews` answers over 2 years."""
    from sqlalchemy import insert

    from quizapp.deckfiles import load_decks
    from quizapp.storage.engine import open_store
    from quizapp.storage.models import CardRow, CardStateRow, ReviewRow
    from quizapp.storage.sync import sync_decks

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "quizapp.db"
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    cards = cards_for_items(items)
    files = write_decks(folder / "decks", cards, seed)
    decks = [result.deck for result in load_decks([folder / "decks"]) if result.deck]
    rng = random.Random(seed)
    with open_store(str(db)) as store:
        sync_decks(store, decks)
        with store.read() as session:
            keys = [
                (row.deck_id, row.item_id)
                for row in session.query(CardRow.deck_id, CardRow.item_id).order_by(
                    CardRow.deck_id, CardRow.position
                )
            ]
        states, log = simulate(rng, keys, reviews, today)
        log.sort(key=lambda row: row[0])
        with store.engine.begin() as conn:
            for start in range(0, len(states), BATCH):
                conn.execute(insert(CardStateRow), states[start : start + BATCH])
            for start in range(0, len(log), BATCH):
                rows = [
                    dict(zip(_LOG_COLUMNS, row, strict=True)) for row in log[start : start + BATCH]
                ]
                conn.execute(insert(ReviewRow), rows)
    return History(db, folder / "decks", tuple(files), cards, len(keys), len(log), today)
