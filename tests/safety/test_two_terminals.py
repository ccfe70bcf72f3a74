"""Two quizapp processes on one database: no answer lost, never "database is locked",
and a card answered in one is not asked again in the other (`still_due`)."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from quizapp.storage.engine import Store, open_store
from quizapp.storage.repository import bury, record_answer, undo_answer
from quizapp.storage.sync import sync_decks
from tests.storage.helpers import still_due
from tests.tui.conftest import settle

from .conftest import DAY0, DRIVER, STUDY_DECK, card_front, sql_rows, study_deck

DECK = "safety-study"


def _start(db: Path, decks: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(DRIVER), str(db), str(decks), "--wait", *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _together(processes: list[subprocess.Popen[str]]) -> list[tuple[list[str], str]]:
    """Wait until every process is ready, let them all go at once, collect their output."""
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n", process.stderr
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append((out.splitlines(), err))
    return results


def _ids(lines: list[str]) -> list[int]:
    return [int(line.split()[1]) for line in lines if line.startswith("recorded ")]


def test_two_processes_answering_at_once_lose_nothing(
    tmp_path: Path, decks: Path, cli_env: dict[str, str]
) -> None:
    db = tmp_path / "progress.db"
    open_store(str(db)).close()
    runs = _together(
        [_start(db, decks, cli_env, "--answers", "40", "--seed", str(n)) for n in (1, 2)]
    )
    first, second = (_ids(lines) for lines, _ in runs)
    assert len(first) == len(second) == 40
    assert not set(first) & set(second)
    stored = [row[0] for row in sql_rows(db, "SELECT id FROM review_log ORDER BY id")]
    assert stored == sorted(first + second)
    for _, errors in runs:
        assert "locked" not in errors and "Traceback" not in errors


def test_a_writer_waits_for_a_long_lock_instead_of_failing(
    tmp_path: Path, decks: Path, cli_env: dict[str, str]
) -> None:
    """Another process holds the write lock for 1.5 s: the answers wait, then all land."""
    db = tmp_path / "progress.db"
    open_store(str(db)).close()
    process = _start(db, decks, cli_env, "--answers", "5")
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline() == "ready\n"
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        time.sleep(1.5)
        holder.execute("COMMIT")
        released.set()

    threading.Thread(target=release).start()
    started = time.monotonic()
    process.stdin.write("go\n")
    process.stdin.flush()
    first = process.stdout.readline()
    waited = time.monotonic() - started
    # Read the rest through the same buffered reader: `communicate` reads the pipe itself and
    # would miss lines that `readline` has already buffered (the answers after the first come
    # fast, so on a loaded machine they arrive together with it).
    out = process.stdout.read()
    assert process.stderr is not None
    err = process.stderr.read()
    process.wait(timeout=60)
    holder.close()
    assert released.is_set()
    assert first.startswith("recorded ")
    assert waited >= 1.0
    assert process.returncode == 0, err
    assert len(_ids([first, *out.splitlines()])) == 5
    assert sql_rows(db, "SELECT count(*) FROM review_log") == [(5,)]


def test_two_sessions_on_one_queue_lose_nothing_and_skip_what_the_other_did(
    tmp_path: Path, decks: Path, cli_env: dict[str, str]
) -> None:
    db = tmp_path / "progress.db"
    open_store(str(db)).close()
    day = "2026-03-01"
    runs = _together(
        [
            _start(db, decks, cli_env, "--mode", "share", "--day", day, "--seed", str(n))
            for n in (1, 2)
        ]
    )
    answered = [len(_ids(lines)) for lines, _ in runs]
    skipped = [int(lines[-1].split()[1]) for lines, _ in runs]
    # Each session went through today's 20 new cards: answered or found done by the other.
    assert [a + s for a, s in zip(answered, skipped, strict=True)] == [20, 20]
    assert sql_rows(db, "SELECT count(*) FROM review_log") == [(sum(answered),)]
    assert sum(answered) >= 20


# --- still_due, exactly, with two stores on one file (two terminals) ------------------------


@pytest.fixture
def two(tmp_path: Path) -> tuple[Store, Store]:
    path = str(tmp_path / "shared.db")
    first = open_store(path)
    second = open_store(path)
    sync_decks(first, [study_deck()])
    yield first, second
    first.close()
    second.close()


def _answer(store: Store, item: str, grade: int, today: date, repeat: bool = False) -> int:
    from .conftest import noon

    return record_answer(
        store,
        deck_id=DECK,
        item_id=item,
        grade=grade,
        typed_answer=None,
        correct=None,
        duration_ms=10,
        now=noon(today),
        today=today,
        repeat=repeat,
    ).review_id


def test_a_new_card_answered_in_one_terminal_is_not_due_in_the_other(
    two: tuple[Store, Store],
) -> None:
    a, b = two
    assert still_due(b, DECK, "card-00", DAY0) is True
    review = _answer(a, "card-00", 5, DAY0)
    assert still_due(b, DECK, "card-00", DAY0) is False
    assert still_due(b, DECK, "card-01", DAY0) is True
    undo_answer(a, review)
    assert still_due(b, DECK, "card-00", DAY0) is True


def test_a_due_review_answered_elsewhere_today_is_not_due_until_its_next_date(
    two: tuple[Store, Store],
) -> None:
    a, b = two
    _answer(a, "card-00", 5, DAY0)  # interval 1: due the next day
    tomorrow = DAY0 + timedelta(days=1)
    assert still_due(b, DECK, "card-00", DAY0) is False
    assert still_due(b, DECK, "card-00", tomorrow) is True
    _answer(a, "card-00", 4, tomorrow)  # interval 6
    assert still_due(b, DECK, "card-00", tomorrow) is False
    assert still_due(b, DECK, "card-00", tomorrow + timedelta(days=5)) is False
    assert still_due(b, DECK, "card-00", tomorrow + timedelta(days=6)) is True


def test_a_repeat_stays_due_until_someone_grades_it_four_or_more(
    two: tuple[Store, Store],
) -> None:
    a, b = two
    _answer(a, "card-00", 2, DAY0)
    assert still_due(b, DECK, "card-00", DAY0) is False  # not a first review any more
    assert still_due(b, DECK, "card-00", DAY0, repeat=True) is True
    _answer(a, "card-00", 3, DAY0, repeat=True)
    assert still_due(b, DECK, "card-00", DAY0, repeat=True) is True
    _answer(a, "card-00", 4, DAY0, repeat=True)
    assert still_due(b, DECK, "card-00", DAY0, repeat=True) is False


def test_a_card_answered_today_and_due_today_still_is_not_a_first_review_again(
    two: tuple[Store, Store],
) -> None:
    """FSRS keeps a failed card due today (a learning step, `fsrs_schedule`'s business): the
    other terminal must not ask it again as the day's first review."""
    from quizapp.scheduling.fsrs import FsrsConfig
    from quizapp.storage.fsrs_store import record_fsrs_answer

    from .conftest import noon

    a, b = two
    record_fsrs_answer(
        a,
        FsrsConfig(),
        4,
        deck_id=DECK,
        item_id="card-00",
        grade=1,
        typed_answer=None,
        correct=None,
        duration_ms=10,
        now=noon(DAY0),
        today=DAY0,
    )
    due = "SELECT due FROM card_state WHERE item_id = 'card-00'"
    assert a.read_dbapi(lambda conn: conn.execute(due).fetchall()) == [(DAY0.isoformat(),)]
    assert still_due(b, DECK, "card-00", DAY0) is False
    assert still_due(b, DECK, "card-01", DAY0) is True


def test_buried_and_removed_cards_are_not_due(two: tuple[Store, Store]) -> None:
    a, b = two
    bury(a, DECK, "card-03", DAY0 + timedelta(days=1))
    assert still_due(b, DECK, "card-03", DAY0) is False
    assert still_due(b, DECK, "card-03", DAY0 + timedelta(days=1)) is True
    deck = study_deck()
    sync_decks(a, [dataclasses.replace(deck, cards=deck.cards[1:], content_hash="edited")])
    assert still_due(b, DECK, "card-00", DAY0) is False
    assert still_due(b, DECK, "card-01", DAY0) is True
    assert still_due(b, DECK, "no-such-card", DAY0) is False
    assert still_due(b, "no-such-deck", "card-01", DAY0) is False


async def test_the_study_screen_skips_a_card_answered_in_another_terminal(tmp_path: Path) -> None:

    from quizapp.context import AppContext
    from quizapp.tui.app import QuizApp

    from .conftest import noon

    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(STUDY_DECK, decks)
    db = tmp_path / "shared.db"
    ctx = AppContext(db=str(db), deck_dirs=(decks,))
    app = QuizApp(
        ctx,
        deck=DECK,
        today=DAY0,
        now=lambda: noon(DAY0),
        seed=3,
        clock=itertools.count(0.0, 1.5).__next__,
    )

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert card_front(app) == "Question 0?"
        with open_store(str(db)) as other_terminal:
            _answer(other_terminal, "card-01", 5, DAY0)
        for key in ("space", "5"):
            await pilot.press(key)
            await settle(pilot)
        assert card_front(app) == "Question 2?"
    rows = sql_rows(db, "SELECT item_id FROM review_log ORDER BY id")
    assert rows == [("card-01",), ("card-00",)]
