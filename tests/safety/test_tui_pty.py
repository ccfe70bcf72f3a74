"""The real study app in a pseudo-terminal, killed with SIGKILL after some answers.

Keys go in as a learner types them; an answer counts as shown-recorded once the next card
is on the screen (the app commits each answer before it shows the next card). After the
kill, the database holds exactly those answers and passes `PRAGMA integrity_check`.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from quizapp.tui.screens.study import NEW_CARD_GUARD

from .conftest import STUDY_DECK, integrity, sql_rows

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


class Terminal:
    """A pty running a command; everything it prints is kept (escape codes removed)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.master = master
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.raw = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.raw += chunk

    def text(self) -> str:
        return ANSI.sub(b"", bytes(self.raw)).decode("utf-8", "replace")

    def wait_for(self, needle: str, since: int, timeout: float = 30) -> int:
        """Wait until `needle` appears after text offset `since`; returns the new offset."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            found = text.find(needle, since)
            if found >= 0:
                return found + len(needle)
            assert self.process.poll() is None, text[-2000:]
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} never showed:\n{self.text()[-2000:]}")

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        os.close(self.master)


def test_sigkill_of_the_real_app_keeps_every_answer_it_showed(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(STUDY_DECK, decks)
    db = tmp_path / "progress.db"
    env = {**cli_env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    argv = [sys.executable, "-m", "quizapp", "--db", str(db), "--decks", str(decks)]
    terminal = Terminal([*argv, "study", "safety-study"], env)
    answered = 0
    try:
        at = terminal.wait_for("Question 0?", 0, timeout=60)
        for n in range(6):
            time.sleep(NEW_CARD_GUARD + 0.1)  # a key sooner is taken for the card before
            terminal.press(" ")
            at = terminal.wait_for(f"Answer {n}.", at)
            terminal.press("5")
            at = terminal.wait_for(f"Question {n + 1}?", at)
            answered += 1
        time.sleep(NEW_CARD_GUARD + 0.1)
        terminal.press(" ")  # the seventh card is revealed, not graded, when the kill comes
        time.sleep(0.2)
    finally:
        terminal.kill()
    assert answered == 6
    assert integrity(db) == ["ok"]
    assert sql_rows(db, "SELECT item_id, grade FROM review_log ORDER BY id") == [
        (f"card-{n:02d}", 5) for n in range(6)
    ]
