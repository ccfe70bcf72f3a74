"""The store's hot queries use indexes: checked with EXPLAIN QUERY PLAN, never by timing.

The SQL is captured from the repository functions themselves (home counts, today's queue and
repeats, statistics: due counts and reviews by day, one answer and the check before each card),
so a rewritten query is checked too.
No plan may read the whole review log: every step on review_log must be an index SEARCH.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import TODAY
from sqlalchemy import event

from benchmarks.history import History
from quizapp.scheduling.settings import Settings
from quizapp.storage.engine import Store, open_store
from quizapp.storage.repository import deck_summaries, record_answer, stats
from tests.storage.helpers import still_due, todays_queue, todays_repeats

WORKLOADS: dict[str, Callable[[Store], Any]] = {
    "deck_summaries": lambda store: deck_summaries(store, TODAY, Settings()),
    "todays_queue": lambda store: todays_queue(store, None, TODAY, Settings(), 1),
    "todays_queue_one_deck": lambda store: todays_queue(
        store, ["synthetic-000"], TODAY, Settings(), 1
    ),
    "todays_repeats": lambda store: todays_repeats(store, None, TODAY),
    "stats": lambda store: stats(store, TODAY, None, Settings()),
    "stats_one_deck": lambda store: stats(store, TODAY, "synthetic-000", Settings()),
    "still_due": lambda store: still_due(store, "synthetic-000", "card-000001", TODAY),
    "still_due_repeat": lambda store: still_due(
        store, "synthetic-000", "card-000001", TODAY, repeat=True
    ),
    "record_answer": lambda store: record_answer(
        store,
        deck_id="synthetic-000",
        item_id="card-000001",
        grade=4,
        typed_answer=None,
        correct=True,
        duration_ms=1000,
        now=datetime(2026, 3, 10, 12, tzinfo=UTC),
        today=TODAY,
    ),
}


def plans(store: Store, work: Callable[[Store], Any]) -> list[tuple[str, list[str]]]:
    """(SQL, plan lines) of every SELECT `work` runs.

    Caught by SQLite itself (a trace callback on every connection `work` checks out), so
    statements run on the DBAPI connection without SQLAlchemy (record_answer) count too.
    SQLite gives them with their parameters filled in.
    """
    caught: list[str] = []

    def capture(statement: str) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            caught.append(statement)

    def checkout(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(capture)

    def checkin(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(None)

    event.listen(store.engine, "checkout", checkout)
    event.listen(store.engine, "checkin", checkin)
    try:
        work(store)
    finally:
        event.remove(store.engine, "checkout", checkout)
        event.remove(store.engine, "checkin", checkin)
    found = []
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in caught:
            cursor.execute("EXPLAIN QUERY PLAN " + statement)
            found.append((statement, [row[3] for row in cursor.fetchall()]))
    finally:
        raw.close()
    return found


@pytest.fixture(scope="module")
def store(tiny_history: History) -> Store:
    return open_store(str(tiny_history.db))


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_no_full_scan_of_the_review_log(store: Store, name: str) -> None:
    found = plans(store, WORKLOADS[name])
    assert found, f"{name} ran no query"
    for statement, lines in found:
        on_log = [line for line in lines if "review_log" in line]
        full_scans = [line for line in on_log if not line.startswith("SEARCH")]
        assert full_scans == [], f"{statement}\n{lines}"
        if "FROM review_log" in statement or "JOIN review_log" in statement:
            assert on_log, f"{statement}\n{lines}"
            assert all("INDEX" in line for line in on_log), f"{statement}\n{lines}"


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_every_query_uses_an_index(store: Store, name: str) -> None:
    for statement, lines in plans(store, WORKLOADS[name]):
        assert any("USING" in line and "INDEX" in line for line in lines), f"{statement}\n{lines}"


def test_deck_summaries_is_one_query(store: Store) -> None:
    assert len(plans(store, WORKLOADS["deck_summaries"])) == 1


def test_card_state_is_found_by_key_not_scanned(store: Store) -> None:
    for name in ("deck_summaries", "todays_queue", "stats"):
        for statement, lines in plans(store, WORKLOADS[name]):
            on_state = [line for line in lines if "card_state" in line]
            assert all(line.startswith("SEARCH") for line in on_state), f"{statement}\n{lines}"
