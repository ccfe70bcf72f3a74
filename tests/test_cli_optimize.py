"""`quizapp optimize [DECK]` as a user runs it: too little history keeps the defaults; a
history long enough is fitted, default and fitted log loss and RMSE printed, the parameters
kept, and the FSRS decks rescheduled with them."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.deckfiles import load_decks
from quizapp.scheduling import fsrs
from quizapp.scheduling.fsrs import FsrsConfig
from quizapp.storage.engine import open_store
from quizapp.storage.repository import record_answer
from quizapp.storage.sync import sync_decks
from tests.inprocess import run_quizapp

DECK = "fit"
LEARNER = (0.5, 1.5, 3.5, 12.0, *fsrs.default_parameters()[4:])


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QUIZAPP_DB", "QUIZAPP_DECKS", "QUIZAPP_DEBUG")
    }
    environ |= {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    command = ["--db", str(tmp_path / "q.db"), "--decks", str(decks_dir(tmp_path)), *args]
    return run_quizapp(command, env=environ)


def decks_dir(tmp_path: Path) -> Path:
    """A folder with the deck `fit`: 40 basic cards."""
    folder = tmp_path / "decks"
    if not folder.exists():
        folder.mkdir()
        cards = "".join(f"  - id: c{n}\n    front: q{n}\n    back: a{n}\n" for n in range(40))
        (folder / "fit.yaml").write_text(f"deck: {DECK}\ntitle: Fit\ncards:\n{cards}")
    return folder


def fill(tmp_path: Path, items: int, days: int) -> None:
    """A learner (FSRS's model, parameters of its own) studying `items` cards of `fit`."""
    decks = [r.deck for r in load_decks([decks_dir(tmp_path)]) if r.deck is not None]
    rng = random.Random(3)
    truth, schedule = FsrsConfig(parameters=LEARNER), FsrsConfig()
    with open_store(str(tmp_path / "q.db")) as store:
        sync_decks(store, decks)
        item_ids = [i for card in decks[0].cards for i in card.item_ids][:items]
        assert len(item_ids) == items
        for item in item_ids:
            memory = state = None
            now = datetime(2025, 1, 1, 9, tzinfo=UTC)
            while now < datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(days=days):
                recalled = memory is not None and rng.random() < fsrs.retrievability(
                    memory, now, truth
                )
                grade = (rng.choice([3, 4, 4, 5]) if recalled else 1) if memory else 4
                memory = fsrs.review(memory, grade, now, truth)
                state = fsrs.review(state, grade, now, schedule)
                record_answer(
                    store,
                    deck_id=DECK,
                    item_id=item,
                    grade=grade,
                    typed_answer=None,
                    correct=None,
                    duration_ms=1,
                    now=now,
                    today=now.date(),
                    repeat=False,
                )
                now = max(state.due_at, now + timedelta(days=1))
                now = now.replace(hour=9, minute=0, second=0, microsecond=0)


def test_too_little_history_keeps_the_defaults(tmp_path: Path) -> None:
    fill(tmp_path, items=2, days=20)
    result = run(tmp_path, "optimize", DECK)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Not enough history in deck fit to fit FSRS: ")
    assert "at least 100 are needed" in result.stdout
    assert result.stdout.rstrip().endswith("The default parameters are kept.")
    assert rows_of(tmp_path) == []


def query(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(tmp_path / "q.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def rows_of(tmp_path: Path) -> list[tuple[object, ...]]:
    return query(
        tmp_path, "SELECT deck_id, parameters FROM deck_scheduler WHERE parameters IS NOT NULL"
    )


def test_a_long_history_is_fitted_and_kept(tmp_path: Path) -> None:
    fill(tmp_path, items=40, days=400)
    config = tmp_path / "config" / "quizapp" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[decks.{DECK}]\nscheduler = "fsrs"\n')
    result = run(tmp_path, "optimize", DECK)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"FSRS fitted to \d+ reviews of deck fit:", lines[0])
    assert lines[1].split() == ["log", "loss", "RMSE"]
    default = [float(x) for x in lines[2].split()[1:]]
    fitted = [float(x) for x in lines[3].split()[1:]]
    assert lines[2].split()[0] == "default" and lines[3].split()[0] == "fitted"
    assert fitted[0] < default[0]
    assert lines[4].startswith("Stored for deck fit: ")
    [(deck_id, parameters)] = rows_of(tmp_path)
    assert deck_id == DECK
    assert len(json.loads(str(parameters))) == 21
    [(schedule,)] = query(tmp_path, "SELECT schedule FROM deck_scheduler WHERE deck_id = 'fit'")
    fitted_config = FsrsConfig(parameters=json.loads(str(parameters)))
    assert schedule == f"{fitted_config.key}:4"  # the deck is rescheduled with them already


def test_an_unknown_deck(tmp_path: Path) -> None:
    result = run(tmp_path, "optimize", "nope")
    assert result.returncode == 2
    assert result.stderr.startswith("quizapp: error: no deck 'nope' (decks: ")
    assert "Traceback" not in result.stderr
