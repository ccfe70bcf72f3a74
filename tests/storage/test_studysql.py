"""The study queries (`studysql`: the queue, its repeats, the check before each card, the
home counts) against an oracle, over days of random study.

`studysql` is the only implementation of these queries: the study app runs it on the quick
start's connection and on the store's. The oracle is built here from what the export reads
(`progress`, `review_log`: every live item and every answer) with the rules written out in
Python: due or new, not buried, the day's answers per deck, the step-7 repeats (an item not
buried whose last study answer today is below 4), the limits of `scheduling.queue.todays_queue`.
Days
cover new cards, reviews, lapses, repeats, quiz answers, buried items and removed decks and
cards; every queue, repeat list, check and count must be the oracle's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.dialects import sqlite

from quizapp.scheduling import queue as pure_queue
from quizapp.scheduling.queue import Candidate, StudySession
from quizapp.scheduling.settings import DeckLimits, Settings
from quizapp.scheduling.sm2 import REPEAT_BELOW
from quizapp.storage import studysql
from quizapp.storage.dbapi import conversions
from quizapp.storage.engine import Store
from quizapp.storage.repository import (
    DeckSummary,
    ItemProgress,
    bury,
    deck_summaries,
    progress,
    record_answer,
    review_log,
    sync_decks,
)

from .helpers import basic, cloze, deck, noon, still_due, todays_queue, todays_repeats

START = date(2026, 4, 1)
DECKS = [
    deck("alpha", *(basic(f"a{i}") for i in range(14)), cloze("ac", "{{c1::x}} {{c2::y}}")),
    deck("beta", *(basic(f"b{i}") for i in range(9))),
    deck("gamma", *(basic(f"g{i}") for i in range(5))),
]
SETTINGS = Settings(new_per_day=4, reviews_per_day=12, decks={"beta": DeckLimits(new_per_day=2)})
SELECTIONS: list[list[str] | None] = [None, ["beta", "alpha"], ["gamma"], ["alpha", "nope"]]


def _live(store: Store, deck_ids: Sequence[str] | None) -> list[ItemProgress]:
    return progress(store, None if deck_ids is None else list(deck_ids))


def _not_buried(item: ItemProgress, today: date) -> bool:
    return item.buried_until is None or item.buried_until <= today


def _last_study_today(store: Store, today: date) -> dict[tuple[str, str], tuple[int, int]]:
    """Per item: (id, grade) of its latest study answer of `today`."""
    last: dict[tuple[str, str], tuple[int, int]] = {}
    for record in review_log(store):
        if record.day == today and record.session_kind == "study":
            last[record.deck_id, record.item_id] = (record.id, record.grade)
    return last


def oracle_repeats(store: Store, deck_ids: Sequence[str] | None, today: date) -> list[Candidate]:
    last = _last_study_today(store, today)
    found = [
        (last[item.deck_id, item.item_id][0], item)
        for item in _live(store, deck_ids)
        if (item.deck_id, item.item_id) in last
        and last[item.deck_id, item.item_id][1] < REPEAT_BELOW
        and _not_buried(item, today)
    ]
    return [
        Candidate(item.deck_id, item.item_id, item.due, item.position)
        for _, item in sorted(found, key=lambda pair: pair[0])
    ]


def _done_today(store: Store, today: date) -> tuple[dict[str, int], dict[str, int]]:
    """Per deck: today's first study answers of new items, and of all items."""
    new: dict[str, int] = {}
    reviews: dict[str, int] = {}
    for record in review_log(store):
        if record.day == today and record.session_kind == "study" and not record.repeat:
            reviews[record.deck_id] = reviews.get(record.deck_id, 0) + 1
            if record.before.due is None:
                new[record.deck_id] = new.get(record.deck_id, 0) + 1
    return new, reviews


def oracle_queue(
    store: Store, deck_ids: Sequence[str] | None, today: date, seed: int
) -> list[Candidate]:
    pending = oracle_repeats(store, deck_ids, today)
    keys = {c.key for c in pending}
    rank = {deck_id: i for i, deck_id in enumerate(deck_ids or ())}
    items = sorted(
        _live(store, deck_ids),
        key=lambda i: (rank.get(i.deck_id, len(rank)), i.deck_id, i.position),
    )
    candidates = [
        Candidate(item.deck_id, item.item_id, item.due, item.position)
        for item in items
        if (item.due is None or item.due <= today) and _not_buried(item, today)
    ]
    new, reviews = _done_today(store, today)
    return pure_queue.todays_queue(
        [c for c in candidates if c.key not in keys],
        today,
        SETTINGS,
        seed,
        new_done_today=new,
        reviews_done_today=reviews,
        repeats=pending,
    )


def oracle_still_due(store: Store, c: Candidate, today: date, repeat: bool) -> bool:
    item = next((i for i in _live(store, [c.deck_id]) if i.item_id == c.item_id), None)
    if item is None or not _not_buried(item, today):
        return False
    last = _last_study_today(store, today).get((c.deck_id, c.item_id))
    if repeat:
        return last is not None and last[1] < REPEAT_BELOW
    answered = any(
        r.day == today and r.session_kind == "study" and not r.repeat
        for r in review_log(store, [c.deck_id])
        if r.item_id == c.item_id
    )
    return not answered and (item.due is None or item.due <= today)


def oracle_summaries(store: Store, today: date, active: Sequence[str]) -> list[DeckSummary]:
    new_done, answered = _done_today(store, today)
    rows = []
    for deck_id in sorted(active):
        items = _live(store, [deck_id])
        rows.append(
            (
                deck_id,
                deck_id.title(),
                len(items),
                sum(1 for i in items if i.due is None and _not_buried(i, today)),
                sum(
                    1
                    for i in items
                    if i.due is not None and i.due <= today and _not_buried(i, today)
                ),
                new_done.get(deck_id, 0),
                answered.get(deck_id, 0),
                len(oracle_repeats(store, [deck_id], today)),
            )
        )
    return studysql.summaries_of(rows, SETTINGS)


def test_dates_are_stored_as_the_models_store_them() -> None:
    convert = conversions(sqlite.dialect())
    for day in (date(2026, 1, 5), date(1999, 12, 31), date(2400, 2, 29)):
        assert studysql.date_in(day) == convert.date_in(day)
        assert studysql.date_out(convert.date_in(day)) == day
    assert studysql.date_out(None) is None


def test_queues_repeats_checks_and_counts_are_the_oracle_s_over_days_of_study(
    store: Store,
) -> None:
    sync_decks(store, DECKS)
    rng = random.Random(3)
    compared = 0
    active = [d.id for d in DECKS]

    def compare(today: date) -> None:
        nonlocal compared
        for selection in SELECTIONS:
            for seed in (1, 2):
                found = todays_queue(store, selection, today, SETTINGS, seed)
                assert found == oracle_queue(store, selection, today, seed)
                compared += len(found)
            repeats = todays_repeats(store, selection, today)
            assert repeats == oracle_repeats(store, selection, today)
            compared += len(repeats)
        summaries = deck_summaries(store, today, SETTINGS)
        assert summaries == oracle_summaries(store, today, active)
        assert all(isinstance(summary, DeckSummary) for summary in summaries)
        compared += sum(summary.total_today for summary in summaries)

    removed: set[str] = set()
    for offset in range(12):
        today = START + timedelta(days=offset)
        if offset == 6:
            sync_decks(store, DECKS[:2])  # gamma removed: its items leave every queue
            active = [d.id for d in DECKS[:2]]
        compare(today)
        session = StudySession(todays_queue(store, None, today, SETTINGS, offset))
        for n in range(rng.randrange(5, 25)):
            candidate = session.current
            if candidate is None:
                break
            repeat = session.current_is_repeat
            for item in (candidate, *rng.sample(session.remaining, min(2, len(session.remaining)))):
                assert still_due(
                    store, item.deck_id, item.item_id, today, repeat=repeat
                ) == oracle_still_due(store, item, today, repeat)
            if rng.random() < 0.1:
                bury(store, candidate.deck_id, candidate.item_id, today + timedelta(days=2))
                session.discard()
                continue
            grade = rng.choice((0, 2, 3, 4, 5, 5))
            record_answer(
                store,
                deck_id=candidate.deck_id,
                item_id=candidate.item_id,
                grade=grade,
                typed_answer=None,
                correct=grade >= 3,
                duration_ms=1000,
                now=noon(today) + timedelta(seconds=n),
                today=today,
                session_kind="quiz" if rng.random() < 0.15 else "study",
                repeat=repeat,
            )
            session.answer(grade)
            if n % 6 == 5:
                compare(today)
        pending = {(c.deck_id, c.item_id) for c in todays_repeats(store, None, today)}
        if offset >= 6 and pending and not removed:
            # Cards removed from a deck file while their step-7 repeats are pending: the
            # repeats leave the counts, as their cards leave the queue.
            removed = {item for _, item in pending}
            sync_decks(
                store,
                [
                    deck(d.id, *(c for c in d.cards if c.item_ids[0] not in removed))
                    for d in DECKS[:2]
                ],
            )
        compare(today)
    assert removed
    assert compared > 300
