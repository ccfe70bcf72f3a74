"""The hot paths on the sqlite3 connection itself: record_answer (`Store.write_dbapi`) and
still_due (`studysql`, on `Store.read_dbapi`), their only implementation.

Rows are checked exactly as SQLite holds them (dates and times as SQLAlchemy's text, booleans
as 0/1), so the ORM reads them back as it wrote them; still_due is checked verdict by verdict.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quizapp.errors import QuizappError
from quizapp.storage import repository
from quizapp.storage.engine import Store, open_store
from quizapp.storage.repository import AnswerRecord, bury, record_answer, undo_answer
from quizapp.storage.sync import sync_decks

from .helpers import basic, cloze, deck, noon, rows, still_due

DAY = date(2026, 3, 2)
TABLES = ("SELECT * FROM review_log ORDER BY id", "SELECT * FROM card_state ORDER BY item_id")


def _answer(store: Store, item_id: str, grade: int, day: date, **kwargs: Any) -> AnswerRecord:
    values: dict[str, Any] = {
        "deck_id": "net",
        "item_id": item_id,
        "grade": grade,
        "typed_answer": None,
        "correct": grade >= 3,
        "duration_ms": 1500,
        "now": noon(day),
        "today": day,
    }
    values.update(kwargs)
    return record_answer(store, **values)


def _session(store: Store) -> list[AnswerRecord]:
    """New items, passes and a lapse over days, repeats, quiz answers, typed text, undo."""
    sync_decks(store, [deck("net", basic("a"), basic("b"), cloze("c", "{{c1::x}} {{c2::y}}"))])
    paris = timezone(timedelta(hours=1))
    done = []
    for offset, grade in enumerate((5, 4, 4, 2, 3)):
        day = DAY + timedelta(days=offset * 3)
        done.append(_answer(store, "a", grade, day))
        done.append(_answer(store, "a", 2, day))  # the same day again: a repeat
    done.append(_answer(store, "b", 1, DAY, typed_answer="docker ps -a", correct=False))
    done.append(_answer(store, "b", 4, DAY, repeat=True, typed_answer="docker ps"))
    done.append(
        _answer(
            store,
            "c#c1",
            3,
            DAY,
            correct=None,
            now=datetime(2026, 3, 2, 23, 30, 1, 7, tzinfo=paris),
        )
    )
    done.append(_answer(store, "c#c2", 0, DAY, session_kind="quiz", duration_ms=0))
    done.append(_answer(store, "c#c2", 5, DAY + timedelta(days=1)))
    undo_answer(store, done[-1].review_id)
    done.append(_answer(store, "c#c2", 4, DAY + timedelta(days=1)))
    return done


def _run(path: Path) -> tuple[list[AnswerRecord], list[list[tuple[Any, ...]]]]:
    with open_store(str(path)) as store:
        records = _session(store)
        return records, [rows(store, sql) for sql in TABLES]


def test_answers_write_the_rows_as_the_models_store_them(tmp_path: Path) -> None:
    fast = _run(tmp_path / "fast.db")
    log, state = fast[1]
    assert len(log) == 15 and len(state) == 4
    # Exact text as SQLAlchemy stores it: the Paris time in UTC with microseconds, 0/1 flags.
    c1 = next(row for row in log if row[2] == "c#c1")
    assert c1[3:8] == ("2026-03-02 22:30:01.000007", "2026-03-02", 3, None, None)
    assert [row[10] for row in log if row[2] == "a"] == [0, 1] * 5


def test_a_second_study_answer_of_the_day_is_a_repeat(store: Store) -> None:
    sync_decks(store, [deck("net", basic("a"))])
    first = _answer(store, "a", 4, DAY)
    second = _answer(store, "a", 5, DAY)
    assert second.before == second.after == first.after
    assert rows(store, "SELECT repeat, repetitions_after FROM review_log ORDER BY id") == [
        (0, 1),
        (1, 1),
    ]


def test_an_unknown_item_writes_nothing(store: Store) -> None:
    sync_decks(store, [deck("net", basic("a"))])
    with pytest.raises(QuizappError, match="no item 'zz' in deck 'net'"):
        _answer(store, "zz", 4, DAY)
    assert rows(store, "SELECT count(*) FROM review_log") == [(0,)]


def test_a_refused_insert_rolls_back_the_state_too(store: Store) -> None:
    sync_decks(store, [deck("net", basic("a"))])
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON review_log "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    with pytest.raises(IntegrityError, match="refused"):
        _answer(store, "a", 4, DAY)
    assert rows(store, "SELECT count(*) FROM card_state") == [(0,)]
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse"))
    assert _answer(store, "a", 4, DAY).after.repetitions == 1  # the connection is still good


def _verdicts(store: Store) -> dict[tuple[str, bool, int], bool]:
    return {
        (item, repeat, days): still_due(
            store, "net", item, DAY + timedelta(days=days), repeat=repeat
        )
        for item in ("a", "b", "c#c1", "c#c2", "d", "e", "gone")
        for repeat in (False, True)
        for days in (-1, 0, 1, 2)
    }


def test_still_due_verdicts(store: Store) -> None:
    """New, answered today, repeated below and to 4, buried (until tomorrow), removed."""
    sync_decks(
        store,
        [
            deck(
                "net",
                basic("a"),
                basic("b"),
                cloze("c", "{{c1::x}} {{c2::y}}"),
                basic("d"),
                basic("e"),
                basic("gone"),
            )
        ],
    )
    _answer(store, "b", 5, DAY - timedelta(days=1))
    _answer(store, "b", 4, DAY)
    _answer(store, "c#c1", 2, DAY)
    _answer(store, "c#c2", 2, DAY)
    _answer(store, "c#c2", 4, DAY, repeat=True)
    _answer(store, "d", 1, DAY, session_kind="quiz")
    bury(store, "net", "e", DAY + timedelta(days=1))
    sync_decks(
        store,
        [
            deck(
                "net",
                basic("a"),
                basic("b"),
                cloze("c", "{{c1::x}} {{c2::y}}"),
                basic("d"),
                basic("e"),
            )
        ],
    )
    fast = _verdicts(store)
    assert [fast["a", False, 0], fast["b", False, 0], fast["b", False, 1]] == [True, False, False]
    assert [fast["c#c1", True, 0], fast["c#c2", True, 0], fast["c#c1", False, 0]] == [
        True,
        False,
        False,
    ]
    assert [fast["d", False, 0], fast["e", False, 0], fast["e", False, 1]] == [True, False, True]
    assert not any(verdict for (item, _, _), verdict in fast.items() if item == "gone")


def _plan(store: Store, sql: str) -> list[str]:
    raw = store.engine.raw_connection()
    try:
        plan = raw.cursor().execute("EXPLAIN QUERY PLAN " + sql, ("net", "a", "2026-03-02"))
        return [row[3] for row in plan.fetchall() if "review_log" in row[3]]
    finally:
        raw.close()


def test_today_s_answers_of_an_item_are_found_by_item_not_by_day(store: Store) -> None:
    """Not by reading every study answer of the day (ix_review_log_kind_day)."""
    from quizapp.storage import studysql

    by_item = "SEARCH review_log USING INDEX ix_review_log_item (deck_id=? AND item_id=?)"
    # today's answers, and the item's latest answer (is this one later? see storage.events)
    assert _plan(store, repository._ANSWER_STATE_SQL) == [by_item, by_item]
    assert _plan(store, studysql.FIRST_SQL) == [by_item]
    assert _plan(store, studysql.REPEAT_SQL) == [by_item]
