"""Issue 13: two terminals never lose an answer, with real processes on one database.

The study app's storage path runs in `app_driver.py` processes (the `Backend` calls the study
screen makes); the commands run as `python -m quizapp`. Every answer a driver printed as
`recorded` (what its screen showed as saved) must be in the file at the end.
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.context import AppContext
from quizapp.tui.app import QuizApp
from tests.tui.conftest import settle

from .conftest import DAY0, card_front, integrity, noon, sql_rows
from .conftest import quizapp_process as quizapp

APP_DRIVER = Path(__file__).resolve().parent / "app_driver.py"
DECK = "safety-study"


class Terminal:
    """One study app (its storage path) in a process of its own, driven line by line."""

    def __init__(self, db: Path, decks: Path, env: dict[str, str], *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(APP_DRIVER), str(db), str(decks), "--audit", *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.saved: list[int] = []
        self.tokens: dict[int, str] = {}
        """Review id -> the answer's unique typed text, for answers shown as saved."""
        first = self.read()
        assert first.startswith("ready "), first + self.stderr()
        self.screen = first.split(" ", 1)[1]

    def read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def answer(self, grade: int = 4) -> int | None:
        """Grade the card on screen; the review id it showed as saved (None: no card)."""
        self.send(f"answer {grade}")
        reply = self.read()
        if reply == "done":
            return None
        assert reply.startswith("recorded "), reply + self.stderr()
        review_id = int(reply.split()[1])
        self.saved.append(review_id)
        self.tokens[review_id] = reply.split()[3]
        self.screen = self.read()
        return review_id

    def undo(self) -> str:
        self.send("undo")
        reply = self.read()
        if reply.startswith("undone "):
            self.saved.remove(int(reply.split()[1]))
            del self.tokens[int(reply.split()[1])]
            self.screen = self.read()
        return reply

    def quit(self) -> None:
        self.send("quit")
        out, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err
        assert "bye" in out

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=30)

    def deleted_wal(self) -> list[str]:
        """Descriptors of this process that point to a deleted -wal or -shm."""
        found = []
        folder = f"/proc/{self.process.pid}/fd"
        for fd in os.listdir(folder):
            try:
                target = os.readlink(f"{folder}/{fd}")
            except OSError:
                continue
            if target.endswith(" (deleted)") and ("-wal" in target or "-shm" in target):
                found.append(target)
        return found


@pytest.fixture
def db(tmp_path: Path, decks: Path, cli_env: dict[str, str]) -> Iterator[Path]:
    """A database with progress from an earlier day (as on every day after the first)."""
    path = tmp_path / "quizapp.db"
    day_before = Terminal(path, decks, cli_env, "--day", "2026-02-28")
    for _ in range(3):
        day_before.answer()
    day_before.quit()
    yield path


def stored(db: Path) -> set[int]:
    return {row[0] for row in sql_rows(db, "SELECT id FROM review_log")}  # type: ignore[misc]


def command(env: dict[str, str], db: Path, decks: Path, *args: str) -> None:
    result = quizapp(env, "--db", str(db), "--decks", str(decks), *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr


def test_a_command_in_another_terminal_loses_no_answer_of_a_killed_study_session(
    db: Path, decks: Path, cli_env: dict[str, str]
) -> None:
    """The issue's steps: A answers, B runs `stats` and exits, A answers two more, A is
    killed. Before the fix A's last answers went to a deleted WAL and were lost."""
    a = Terminal(db, decks, cli_env)
    a.answer()
    command(cli_env, db, decks, "stats")
    command(cli_env, db, decks, "decks")
    a.answer()
    a.answer()
    assert stored(db) >= set(a.saved)  # another process sees them now, not at A's exit
    assert a.deleted_wal() == []
    a.kill()
    assert len(a.saved) == 3
    assert stored(db) >= set(a.saved)
    assert integrity(db) == ["ok"]


def test_two_terminals_answer_while_a_third_runs_every_command(
    db: Path, decks: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    a = Terminal(db, decks, cli_env, "--seed", "1")
    c = Terminal(db, decks, cli_env, "--seed", "2")
    apkg = tmp_path / "out.apkg"
    commands = [
        ("stats",),
        ("decks",),
        ("backup",),
        ("export", "anki", "--with-progress", "-o", str(apkg)),
    ]
    for round_ in range(2):
        for args in commands:
            a.answer()
            c.answer(3 if round_ else 5)
            command(cli_env, db, decks, *args)
            assert a.deleted_wal() == [] and c.deleted_wal() == []
    a.quit()
    c.answer()
    c.quit()
    assert len(a.saved) == len(c.saved) - 1 == 8
    assert stored(db) == set(a.saved) | set(c.saved) | {1, 2, 3}
    assert integrity(db) == ["ok"]


def test_restore_refuses_while_terminals_study_and_loses_no_answer(
    db: Path, decks: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    saved_copy = tmp_path / "saved.db"
    made = quizapp(cli_env, "--db", str(db), "backup")
    assert made.returncode == 0, made.stderr
    shutil.copy(made.stdout.strip(), saved_copy)
    a = Terminal(db, decks, cli_env, "--seed", "1")
    c = Terminal(db, decks, cli_env, "--seed", "2")
    for _ in range(3):
        a.answer()
        c.answer()
        result = quizapp(cli_env, "--db", str(db), "restore", str(saved_copy))
        assert result.returncode == 1, result.stdout
        assert result.stderr == (
            f"quizapp: error: another quizapp has {db} open (a study session or a command);"
            " quit it and run restore again. Nothing was changed\n"
        )
    a.quit()
    c.quit()
    assert stored(db) == set(a.saved) | set(c.saved) | {1, 2, 3}
    assert not list((db.parent / "backups").glob("*before-restore*"))
    # Once both have quit, the restore goes through and keeps every answer in the kept copy.
    result = quizapp(cli_env, "--db", str(db), "restore", str(saved_copy))
    assert result.returncode == 0, result.stderr
    (kept,) = (db.parent / "backups").glob("*before-restore*")
    assert stored(kept) == set(a.saved) | set(c.saved) | {1, 2, 3}
    assert stored(db) == {1, 2, 3}
    assert integrity(db) == ["ok"]


def test_undo_in_both_terminals_is_refused_when_the_other_answered_since(
    db: Path, decks: Path, cli_env: dict[str, str]
) -> None:
    a = Terminal(db, decks, cli_env, "--seed", "1")
    c = Terminal(db, decks, cli_env, "--seed", "1")  # the same queue: the same first card
    card = a.screen
    assert c.screen == card
    first = a.answer(2)
    second = c.answer(5)  # the same card, answered in the other terminal since
    assert first is not None and second is not None
    screen = a.screen
    reply = a.undo()
    assert reply == (
        f"refused {card.split()[1]!r} was answered again since (in another terminal?) and"
        " only its latest answer can be undone: nothing was changed"
    )
    assert a.screen == screen
    assert c.undo() == f"undone {second}"  # its own latest answer: undone
    assert c.screen not in (card, "done")  # A's answer stands: C moves past that card
    assert a.undo() == f"undone {first}"  # now A's answer is the latest again
    a.answer()
    c.answer()
    a.quit()
    c.quit()
    assert stored(db) == set(a.saved) | set(c.saved) | {1, 2, 3}
    assert integrity(db) == ["ok"]


async def test_a_refused_undo_leaves_the_screen_and_the_session_as_they_were(
    tmp_path: Path, decks: Path
) -> None:
    """A answers card 0, another terminal (a process) answers card 0 too, A presses u: the
    undo is refused and said so, card 1 stays on screen, and A's next grade is card 1's."""
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
    other = (
        "import sys; from datetime import UTC, datetime, date;"
        "from quizapp.storage.repository import open_store, record_answer;"
        "s = open_store(sys.argv[1]);"
        "record_answer(s, deck_id='safety-study', item_id='card-00', grade=1,"
        " typed_answer=None, correct=None, duration_ms=5,"
        " now=datetime(2026, 3, 1, 13, tzinfo=UTC), today=date(2026, 3, 1)); s.close()"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert card_front(app) == "Question 0?"
        for key in ("space", "5"):
            await pilot.press(key)
            await settle(pilot)
        assert card_front(app) == "Question 1?"
        subprocess.run([sys.executable, "-c", other, str(db)], check=True, timeout=60)
        screen = app.screen
        session = screen.session  # type: ignore[attr-defined]
        before = (session.remaining, session.answered, session.position, session.can_undo)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is screen
        assert card_front(app) == "Question 1?"
        assert (session.remaining, session.answered, session.position, session.can_undo) == (before)
        messages = [n.message for n in app._notifications]
        assert any("'card-00' was answered again since" in m for m in messages), messages
        for key in ("space", "4"):
            await pilot.press(key)
            await settle(pilot)
    rows = sql_rows(db, "SELECT item_id, grade FROM review_log ORDER BY id")
    assert rows == [("card-00", 5), ("card-00", 1), ("card-01", 4)]


# --- the long run: random kills and restarts ------------------------------------------------


def _big_deck(folder: Path, cards: int) -> None:
    lines = ["deck: soak", "title: Soak", "cards:"]
    for n in range(cards):
        lines += [f"  - id: c{n:05d}", f"    front: Question {n}?", f"    back: Answer {n}."]
    (folder / "soak.yaml").write_text("\n".join(lines) + "\n")


def _tokens(path: Path) -> set[str]:
    rows = sql_rows(path, "SELECT typed_answer FROM review_log WHERE typed_answer IS NOT NULL")
    return {str(row[0]) for row in rows}


class _Commands(threading.Thread):
    """Terminal B: every command in a loop, each run killed now and then (SIGKILL)."""

    def __init__(self, db: Path, decks: Path, env: dict[str, str], saved: Path) -> None:
        super().__init__(daemon=True)
        self.db, self.decks, self.env, self.saved = db, decks, env, saved
        self.stop = threading.Event()
        self.rng = random.Random(7)
        self.runs = self.kills = self.restores = self.refused = 0
        self.problems: list[str] = []

    def run(self) -> None:
        commands = [
            ["stats"],
            ["decks"],
            ["backup"],
            ["export", "anki", "--with-progress", "-o", str(self.db.parent / "soak.apkg")],
            ["restore", str(self.saved)],
        ]
        while not self.stop.is_set():
            args = self.rng.choice(commands)
            base = [sys.executable, "-m", "quizapp", "--db", str(self.db), "--decks"]
            process = subprocess.Popen(
                [*base, str(self.decks), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=self.env,
            )
            if self.rng.random() < 0.2:
                time.sleep(self.rng.uniform(0.05, 0.8))
                process.kill()
                self.kills += 1
                process.communicate(timeout=60)
                continue
            _out, err = process.communicate(timeout=120)
            self.runs += 1
            if "Traceback" in err or "internal error" in err:
                self.problems.append(err)
            elif args[0] == "restore":
                if process.returncode == 0:
                    self.restores += 1
                elif "another quizapp has" in err:
                    self.refused += 1
                else:
                    self.problems.append(err)
            elif process.returncode != 0:
                self.problems.append(f"{args}: {err}")


@pytest.mark.slow
def test_random_kills_and_restarts_of_every_process_lose_no_answer(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """Three study terminals and a command loop on one database for several minutes
    (QUIZAPP_SOAK_SECONDS, default 240), each killed (SIGKILL, sometimes mid-answer) or quit
    and restarted at random. Every answer shown as saved must be in the database or in a
    copy a restore kept; the figures are printed (and written to QUIZAPP_SOAK_REPORT)."""
    seconds = float(os.environ.get("QUIZAPP_SOAK_SECONDS", "240"))
    decks = tmp_path / "decks"
    decks.mkdir()
    _big_deck(decks, 3000)
    db = tmp_path / "quizapp.db"
    rng = random.Random(13)
    day = {"n": 0}

    def start(slot: int) -> Terminal:
        day["n"] += 1
        return Terminal(
            db,
            decks,
            cli_env,
            "--seed",
            str(rng.randrange(1000)),
            "--new-limit",
            "100000",
            "--day",
            str(DAY0 + timedelta(days=day["n"] // 6)),
        )

    first = start(0)
    first.answer()
    saved: set[str] = set(first.tokens.values())
    first.quit()
    backup = quizapp(cli_env, "--db", str(db), "backup")
    assert backup.returncode == 0, backup.stderr
    restore_from = tmp_path / "restore-from.db"
    shutil.copy(backup.stdout.strip(), restore_from)
    commands = _Commands(db, decks, cli_env, restore_from)
    terminals = [start(slot) for slot in range(3)]
    figures = {"answers saved": 0, "undone": 0, "kills": 0, "mid-answer kills": 0, "quits": 0}
    commands.start()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            slot = rng.randrange(3)
            terminal = terminals[slot]
            roll = rng.random()
            if roll < 0.80:
                before = set(terminal.tokens.values())
                if terminal.answer(rng.choice((2, 3, 4, 5, 5))) is None:
                    terminal.quit()
                    figures["quits"] += 1
                    terminals[slot] = start(slot)
                    continue
                new = set(terminal.tokens.values()) - before
                saved |= new
                figures["answers saved"] += len(new)
            elif roll < 0.84:
                before = set(terminal.tokens.values())
                if terminal.undo().startswith("undone "):
                    saved -= before - set(terminal.tokens.values())
                    figures["undone"] += 1
            elif roll < 0.97:
                if rng.random() < 0.3:  # killed while an answer is being committed
                    terminal.send("answer")
                    time.sleep(rng.uniform(0, 0.02))
                    figures["mid-answer kills"] += 1
                assert terminal.deleted_wal() == []
                terminal.kill()
                figures["kills"] += 1
                terminals[slot] = start(slot)
            else:
                terminal.quit()
                figures["quits"] += 1
                terminals[slot] = start(slot)
    finally:
        commands.stop.set()
        commands.join(timeout=180)
    for terminal in terminals:
        terminal.quit()
    kept = list((db.parent / "backups").glob("*before-restore*.db"))
    found = _tokens(db).union(*(_tokens(copy) for copy in kept))
    lost = saved - found
    figures.update(
        {
            "lost": len(lost),
            "seconds": round(seconds),
            "commands run": commands.runs,
            "commands killed": commands.kills,
            "restores done": commands.restores,
            "restores refused": commands.refused,
        }
    )
    report = ", ".join(f"{key}: {value}" for key, value in figures.items())
    print(f"\nsoak: {report}")
    if os.environ.get("QUIZAPP_SOAK_REPORT"):
        Path(os.environ["QUIZAPP_SOAK_REPORT"]).write_text(report + "\n")
    assert commands.problems == []
    assert lost == set()
    assert integrity(db) == ["ok"]
    assert figures["answers saved"] > seconds and figures["kills"] > seconds / 20
