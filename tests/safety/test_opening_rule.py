"""The opening rule: nothing in quizapp opens the database file, its -wal, -shm or -journal
(or the file a restore reads) except through SQLite.

POSIX locks belong to the process: closing any other descriptor of the file drops every
lock SQLite holds on it, and another quizapp then deletes the WAL under this one (issue 13).
Each run here is a process of its own with an audit hook (`sys.addaudithook`) that kills it
with exit code 97 on an `open` of a watched path, or the removal of a -wal/-shm/-journal.
Python's own opens (`open`, `os.open`, `shutil`, `Path.read_bytes`) raise those events;
SQLite's opens, made in C, do not: exactly the line the rule draws.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.storage.engine import open_store

from .conftest import DAY0, STUDY_DECK, fill, sql_rows

ROOT = Path(__file__).resolve().parents[2]
DECK = "safety-study"

GUARD = """
import os, sys
sys.path.insert(0, {root!r})
_watched = set()
for _path in {paths!r}:
    _real = os.path.realpath(_path)
    _watched |= {{_real, _real + "-wal", _real + "-shm", _real + "-journal"}}

def _hook(event, args):
    if event not in ("open", "os.remove", "os.rename") or not args:
        return
    if isinstance(args[0], int):
        return
    try:
        path = os.path.realpath(os.fsdecode(args[0]))
    except (TypeError, ValueError):
        return
    if path in _watched and (event == "open" or path.endswith(("-wal", "-shm", "-journal"))):
        sys.stderr.write(f"second opener: {{event}} {{path}}\\n")
        sys.stderr.flush()
        os._exit(97)

sys.addaudithook(_hook)
"""

CLI = """
from quizapp.cli import main
sys.argv = ["quizapp", *sys.argv[1:]]
main()
"""

APP = """
import asyncio
from datetime import UTC, date, datetime
from quizapp.context import AppContext
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.summary import SummaryScreen
from tests.tui.conftest import settle

from pathlib import Path
db, decks = sys.argv[1], Path(sys.argv[2])
today = date(2026, 3, 1)

async def main():
    ctx = AppContext(db=db, deck_dirs=(decks,))
    app = QuizApp(ctx, deck="safety-study", today=today,
                  now=lambda: datetime(2026, 3, 1, 12, tzinfo=UTC), seed=3,
                  clock=__import__("itertools").count(0.0, 1.5).__next__)  # keys after the guard
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for n in range(60):
            if getattr(app.screen, "finished", True):  # the study screen's session is over
                break
            for key in ("space", "5" if n % 4 else "2"):
                await pilot.press(key)
                await settle(pilot)
            if n == 2:
                await pilot.press("u")  # undo, then the same card again
                await settle(pilot)
        for _ in range(100):
            if isinstance(app.screen, SummaryScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, SummaryScreen), app.screen
        await pilot.press("enter")  # home: the deck counts
        await settle(pilot)
        backend = app.backend
        await pilot.press("q")
    assert backend._backup is not None  # the daily backup ran in this life
    print("quit", flush=True)

asyncio.run(main())
"""


def guarded(script: str, *args: str, watch: tuple[Path, ...], env: dict[str, str]) -> str:
    """Run `script` under the guard; its stdout. Fails on exit 97 with the culprit."""
    code = GUARD.format(root=str(ROOT), paths=[str(p) for p in watch]) + script
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert "second opener" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_guard_catches_a_plain_open(tmp_path: Path, cli_env: dict[str, str]) -> None:
    db = tmp_path / "quizapp.db"
    open_store(str(db)).close()
    for opener in ("open(sys.argv[1], 'rb').close()", "Path(sys.argv[1] + '-wal').touch()"):
        code = GUARD.format(root=str(ROOT), paths=[str(db)]) + (
            f"from pathlib import Path\n{opener}\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, str(db)], capture_output=True, text=True, env=cli_env
        )
        assert result.returncode == 97
        assert result.stderr.startswith("second opener: open ")


@pytest.mark.parametrize("progress", [False, True], ids=["new-database", "quick-start"])
def test_the_study_app_opens_the_database_only_through_sqlite_for_its_whole_life(
    tmp_path: Path, decks: Path, cli_env: dict[str, str], progress: bool
) -> None:
    """Quick start (or the normal start on a new file), store open, daily backup, answers,
    undo, the summary's statistics, the home counts, quit."""
    db = tmp_path / "quizapp.db"
    if progress:
        with open_store(str(db)) as store:
            fill(store, 10)
    out = guarded(APP, str(db), str(decks), watch=(db,), env=cli_env)
    assert out == "quit\n"
    answered = sql_rows(db, f"SELECT count(*) FROM review_log WHERE day = '{DAY0}'")
    assert answered[0][0] >= 20
    assert list((db.parent / "backups").glob("quizapp-*.db"))


def test_every_command_opens_the_database_only_through_sqlite(
    tmp_path: Path, decks: Path, cli_env: dict[str, str]
) -> None:
    db = tmp_path / "quizapp.db"
    with open_store(str(db)) as store:
        fill(store, 30)
    saved = tmp_path / "saved.db"
    shutil.copy(STUDY_DECK, tmp_path / "deck.yaml")
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n## Ports\n\n- `docker ps` lists containers\n")
    common = ("--db", str(db), "--decks", str(decks))
    runs = [
        ("decks",),
        ("stats",),
        ("stats", DECK),
        ("backup",),
        ("export", "anki", "--with-progress", "-o", str(tmp_path / "out.apkg")),
        ("validate",),
        ("draft", str(notes), "-o", str(tmp_path / "drafted.yaml")),
    ]
    for args in runs:
        guarded(CLI, *common, *args, watch=(db,), env=cli_env)
    backup = guarded(CLI, *common, "backup", watch=(db,), env=cli_env).strip()
    shutil.copy(backup, saved)
    out = guarded(CLI, *common, "restore", str(saved), watch=(db, saved), env=cli_env)
    assert out.startswith(f"Restored {db} from {saved}")
    # A new database, made by a command.
    fresh = tmp_path / "fresh.db"
    guarded(CLI, "--db", str(fresh), "--decks", str(decks), "decks", watch=(fresh,), env=cli_env)
