"""SIGKILL at any moment loses at most the answer being given, and never corrupts the file.

A scripted study session (driver.py: the app's start-up and the `record_answer` the study
screen uses) is killed with SIGKILL at random moments: during start-up (schema creation, the
daily backup, deck sync) or while answering. After each kill: `PRAGMA integrity_check` is
ok, every answer the driver reported as recorded is in the review log, and every item's SM-2
state is exactly the "after" state of its latest logged answer (no answer half-applied).
Each chain of kills goes on with the same database, so recovery after a kill is exercised.

Most kills hit a forked copy of this process (no interpreter start-up: many kills a second);
some hit `python driver.py` started afresh, exactly as a user's process would be.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from . import driver
from .conftest import DRIVER, STUDY_DECK, integrity, sql_rows

SEED = 20261128
Started = tuple[Callable[[], None], IO[bytes], Callable[[], None]]


def _forked(argv: list[str], env: dict[str, str]) -> Started:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run the driver, never return into pytest
        code = 1
        try:
            os.close(read_end)
            os.environ.update(env)
            with os.fdopen(write_end, "w", buffering=1) as out:
                code = driver.run(argv, out)
        finally:
            os._exit(code)
    os.close(write_end)
    reader = os.fdopen(read_end, "rb")

    def kill() -> None:
        os.kill(pid, signal.SIGKILL)

    def reap() -> None:
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    return kill, reader, reap


def _spawned(argv: list[str], env: dict[str, str]) -> Started:
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None

    def reap() -> None:
        assert process.wait(timeout=30) == -signal.SIGKILL

    return process.kill, process.stdout, reap


def _kill_once(
    start: Callable[[list[str], dict[str, str]], Started],
    db: Path,
    decks: Path,
    rng: random.Random,
    env: dict[str, str],
) -> set[int]:
    """Start a session, SIGKILL it at a random moment; the ids it reported as recorded."""
    kill, reader, reap = start([str(db), str(decks), "--seed", str(rng.randrange(1000))], env)
    lines: list[bytes] = []
    if rng.random() < 0.25:
        time.sleep(rng.uniform(0.0, 0.3))  # somewhere in start-up, or just after
    else:
        wanted = rng.randint(0, 25)
        while len(lines) < wanted + 1:  # "ready", then `wanted` answers
            line = reader.readline()
            if not line:
                break
            lines.append(line)
        time.sleep(rng.uniform(0.0, 0.01))
    kill()
    text = b"".join(lines) + reader.read()
    reader.close()
    reap()
    complete = text.split(b"\n")[:-1]  # a line cut by the kill was never shown
    return {int(line.split()[1]) for line in complete if line.startswith(b"recorded ")}


def _check(db: Path, recorded: set[int]) -> int:
    """The database after a kill: intact, with every reported answer, none half-applied."""
    assert integrity(db) == ["ok"]
    tables = {row[0] for row in sql_rows(db, "SELECT name FROM sqlite_master")}
    if "review_log" not in tables:
        assert not recorded
        return 0
    stored = {row[0] for row in sql_rows(db, "SELECT id FROM review_log")}
    assert recorded <= stored, sorted(recorded - stored)
    mismatched = sql_rows(
        db,
        """
        SELECT s.item_id FROM card_state s JOIN review_log r
          ON r.id = (SELECT max(id) FROM review_log
                     WHERE deck_id = s.deck_id AND item_id = s.item_id)
        WHERE s.repetitions != r.repetitions_after OR s.interval != r.interval_after
           OR s.easiness_milli != r.easiness_milli_after OR s.due IS NOT r.due_after
           OR s.lapses != r.lapses_after
        """,
    )
    assert mismatched == []
    unlogged = sql_rows(
        db,
        "SELECT count(*) FROM card_state s WHERE NOT EXISTS (SELECT 1 FROM review_log r "
        "WHERE r.deck_id = s.deck_id AND r.item_id = s.item_id)",
    )
    assert unlogged == [(0,)]
    return len(stored)


def _chain(
    folder: Path,
    rounds: int,
    seed: int,
    env: dict[str, str],
    start: Callable[[list[str], dict[str, str]], Started],
) -> int:
    """`rounds` kills on one database; returns the answers stored at the end.

    Every answer reported as recorded is stored, and at most one a kill was stored unreported
    (the answer being given when the kill came: committed, not yet shown)."""
    decks = folder / "decks"
    decks.mkdir(parents=True)
    shutil.copy(STUDY_DECK, decks)
    db = folder / "progress.db"
    rng = random.Random(seed)
    recorded: set[int] = set()
    stored = 0
    for _ in range(rounds):
        recorded |= _kill_once(start, db, decks, rng, env)
        stored = _check(db, recorded)
    assert len(recorded) <= stored <= len(recorded) + rounds, (len(recorded), stored)
    for backup in (folder / "backups").glob("*.db"):
        assert integrity(backup) == ["ok"]
    return stored


def test_thirty_kills_of_a_forked_session_lose_no_recorded_answer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    stored = [_chain(tmp_path / f"chain-{n}", 15, SEED + n, cli_env, _forked) for n in range(2)]
    assert min(stored) > 0


def test_kills_of_a_fresh_python_process_lose_no_recorded_answer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    _chain(tmp_path, 4, SEED, cli_env, _spawned)  # its checks are made after every kill


@pytest.mark.slow
def test_three_hundred_kills_lose_no_recorded_answer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    stored = [_chain(tmp_path / f"chain-{n}", 60, SEED + n, cli_env, _forked) for n in range(5)]
    assert min(stored) > 0


@pytest.mark.slow
def test_forty_kills_of_fresh_python_processes(tmp_path: Path, cli_env: dict[str, str]) -> None:
    _chain(tmp_path, 40, SEED, cli_env, _spawned)  # its checks are made after every kill
