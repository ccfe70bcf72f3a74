"""The plain-SQL queue, check and home counts (`studysql`) equal what the ORM queries give.

The study app builds its first queue with `studysql` before SQLAlchemy is imported, and the
repository uses it on SQLite; the ORM queries remain for other drivers. Both are run here
over the same days of random study (new cards, reviews, lapses, step-7 repeats, quiz
answers, buried items, a removed deck) and must agree on every queue, repeat and check.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy.dialects import sqlite

from quizapp.scheduling.queue import StudySession
from quizapp.scheduling.settings import DeckLimits, Settings
from quizapp.storage import studysql
from quizapp.storage.concurrency import still_due
from quizapp.storage.dbapi import conversions
from quizapp.storage.engine import Store
from quizapp.storage.repository import (
    DeckSummary,
    bury,
    deck_summaries,
    record_answer,
    sync_decks,
    todays_queue,
    todays_repeats,
)

from .helpers import basic, cloze, deck, noon

START = date(2026, 4, 1)
DECKS = [
    deck("alpha", *(basic(f"a{i}") for i in range(14)), cloze("ac", "{{c1::x}} {{c2::y}}")),
    deck("beta", *(basic(f"b{i}") for i in range(9))),
    deck("gamma", *(basic(f"g{i}") for i in range(5))),
]
SETTINGS = Settings(new_per_day=4, reviews_per_day=12, decks={"beta": DeckLimits(new_per_day=2)})
SELECTIONS: list[list[str] | None] = [None, ["beta", "alpha"], ["gamma"], ["alpha", "nope"]]


def both(store: Store, monkeypatch: pytest.MonkeyPatch, work):  # type: ignore[no-untyped-def]
    """`work(store)` on the plain-SQL path, then on the SQLAlchemy path."""
    plain = work(store)
    with monkeypatch.context() as patched:
        patched.setattr(Store, "is_pysqlite", property(lambda self: False))
        orm = work(store)
    return plain, orm


def test_dates_are_stored_as_the_models_store_them() -> None:
    convert = conversions(sqlite.dialect())
    for day in (date(2026, 1, 5), date(1999, 12, 31), date(2400, 2, 29)):
        assert studysql.date_in(day) == convert.date_in(day)
        assert studysql.date_out(convert.date_in(day)) == day
    assert studysql.date_out(None) is None


def test_queues_repeats_and_checks_agree_over_days_of_study(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_decks(store, DECKS)
    rng = random.Random(3)
    compared = 0

    def compare(today: date) -> None:
        nonlocal compared
        for selection in SELECTIONS:
            for seed in (1, 2):
                plain, orm = both(
                    store,
                    monkeypatch,
                    lambda s, sel=selection, sd=seed: todays_queue(s, sel, today, SETTINGS, sd),
                )
                assert plain == orm
                compared += len(plain)
            plain, orm = both(
                store, monkeypatch, lambda s, sel=selection: todays_repeats(s, sel, today)
            )
            assert plain == orm
            compared += len(plain)
        plain, orm = both(store, monkeypatch, lambda s: deck_summaries(s, today, SETTINGS))
        assert plain == orm
        assert all(isinstance(summary, DeckSummary) for summary in plain)
        compared += sum(summary.total_today for summary in plain)

    removed: set[str] = set()
    for offset in range(12):
        today = START + timedelta(days=offset)
        if offset == 6:
            sync_decks(store, DECKS[:2])  # gamma removed: its items leave every queue
        compare(today)
        session = StudySession(todays_queue(store, None, today, SETTINGS, offset))
        for n in range(rng.randrange(5, 25)):
            candidate = session.current
            if candidate is None:
                break
            repeat = session.current_is_repeat
            for item in (candidate, *rng.sample(session.remaining, min(2, len(session.remaining)))):
                plain, orm = both(
                    store,
                    monkeypatch,
                    lambda s, c=item, t=today, r=repeat: still_due(
                        s, c.deck_id, c.item_id, t, repeat=r
                    ),
                )
                assert plain == orm
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
