"""Shared helpers for the data-safety tests: the CLI in a subprocess, filled databases."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from quizapp.deck.model import Deck
from quizapp.deckfiles import load_deck
from quizapp.storage.engine import Store, open_store
from quizapp.storage.repository import record_answer
from quizapp.storage.sync import sync_decks
from tests.inprocess import run_quizapp

DATA = Path(__file__).resolve().parents[1] / "data" / "safety"
STUDY_DECK = DATA / "study.yaml"
DRIVER = Path(__file__).resolve().parent / "driver.py"
DAY0 = date(2026, 3, 1)


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A deck folder holding only the study deck (for the tests that run real processes)."""
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(STUDY_DECK, folder)
    return folder


def study_deck() -> Deck:
    deck = load_deck(STUDY_DECK).deck
    assert deck is not None
    return deck


def no_fsync(store: Store) -> None:
    """Test speed only: this store's connections stop waiting for fsync (the crash tests
    keep quizapp's synchronous=FULL)."""

    @event.listens_for(store.engine, "connect")
    def _fast(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    store.engine.dispose()


REVIEW_COLUMNS_0001 = (
    "id, deck_id, item_id, reviewed_at, day, grade, typed_answer, correct, duration_ms,"
    " session_kind, repeat, repetitions_before, interval_before, easiness_milli_before,"
    " due_before, lapses_before, last_review_before, repetitions_after, interval_after,"
    " easiness_milli_after, due_after, lapses_after"
)
"""review_log's columns before device sync (revision 0005 added the event columns)."""


def fill(store: Store, answers: int, *, deck: Deck | None = None) -> list[int]:
    """Answer `answers` times, each item once a day in deck order; returns the review ids.

    A store at an older revision (no event ids yet) gets the same rows, made in a database
    at the newest revision and copied over in the old columns."""
    no_fsync(store)
    deck = deck or study_deck()
    columns = store.read_dbapi(lambda c: c.execute("PRAGMA table_info(review_log)").fetchall())
    if "event_id" not in {row[1] for row in columns}:
        return _fill_old(store, answers, deck)
    sync_decks(store, [deck])
    items = [item for card in deck.cards for item in card.item_ids]
    ids = []
    for n in range(answers):
        today = DAY0 + timedelta(days=n // len(items))
        record = record_answer(
            store,
            deck_id=deck.id,
            item_id=items[n % len(items)],
            grade=(n * 7) % 6,
            typed_answer=f"typed {n}",
            correct=(n * 7) % 6 >= 3,
            duration_ms=1000 + n,
            now=datetime(today.year, today.month, today.day, 12, tzinfo=UTC) + timedelta(seconds=n),
            today=today,
        )
        ids.append(record.review_id)
    return ids


def sql_rows(path: Path, query: str) -> list[tuple[object, ...]]:
    """Rows straight from SQLite (no quizapp code in between)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    return [row[0] for row in sql_rows(path, "PRAGMA integrity_check")]  # type: ignore[misc]


@pytest.fixture
def filled_db(tmp_path: Path) -> Iterator[Path]:
    """A quizapp database with 100 answers over 3 days of the study deck."""
    path = tmp_path / "progress.db"
    with open_store(str(path)) as store:
        fill(store, 100)
    yield path


@pytest.fixture
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for `python -m quizapp`: user dirs in a tmp folder of their own (not
    in the test's tmp_path, whose files some tests compare), no QUIZAPP_* from outside."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    env["XDG_DATA_HOME"] = str(home / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(home / "xdg-config")
    env["XDG_CACHE_HOME"] = str(home / "xdg-cache")
    env["HOME"] = str(home)
    return env


def quizapp(
    env: dict[str, str], *args: str, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """`quizapp ARGS` with the environment `env`: `main(argv)` in this process (see
    `tests.inprocess`), or, given a `timeout`, a real process: for input that could make a
    command hang (a FIFO, /dev/zero, a locked file), which must fail the test, not stop the
    suite."""
    if timeout is not None:
        return quizapp_process(env, *args, timeout=timeout)
    return run_quizapp(args, env=env)


def quizapp_process(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m quizapp ARGS` in a process of its own (stdin: /dev/null)."""
    return subprocess.run(
        [sys.executable, "-m", "quizapp", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Non-zero exit, no traceback anywhere, exactly one `quizapp: error:` line on stderr."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("quizapp: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def card_front(app: object) -> str:
    """The first text of the study screen's card panel (the question on screen)."""
    from textual.content import Content

    texts = [
        w.content.plain if isinstance(w.content, Content) else str(w.content)
        for w in app.screen.query("#card-panel Static")  # type: ignore[attr-defined]
    ]
    return texts[0] if texts else ""


def _fill_old(store: Store, answers: int, deck: Deck) -> list[int]:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="quizapp-fill-"))
    with open_store(str(folder / "new.db")) as new:
        ids = fill(new, answers, deck=deck)
    sync_decks(store, [deck])

    def copy(conn: sqlite3.Connection) -> None:
        conn.execute("ATTACH DATABASE ? AS new", (str(folder / "new.db"),))
        conn.execute(
            f"INSERT INTO review_log ({REVIEW_COLUMNS_0001})"
            f" SELECT {REVIEW_COLUMNS_0001} FROM new.review_log"
        )
        conn.execute("DELETE FROM card_state")
        conn.execute("INSERT INTO card_state SELECT * FROM new.card_state")

    try:
        store.write_dbapi(copy)
        store.read_dbapi(lambda conn: conn.execute("DETACH DATABASE new"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ids
