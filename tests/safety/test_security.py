"""Security: nothing from a deck is executed, deck text is escaped wherever it is shown,
YAML builds no objects, and the database and its backups are readable by their owner only."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Static

from quizapp.commands.grade import run_grade
from quizapp.commands.validate import run_validate
from quizapp.context import AppContext
from quizapp.deck.model import CommandCard
from quizapp.deckfiles import load_deck
from quizapp.export.command import run_export
from quizapp.grading import grade_card, grade_command
from quizapp.tui.app import QuizApp

from .conftest import DATA, DAY0, noon, quizapp

MARKER = Path("/tmp/quizapp-pwned-by-deck")
HOSTILE = DATA / "hostile.yaml"
TYPED = (
    "$(touch /tmp/quizapp-pwned-by-deck)",
    "`touch /tmp/quizapp-pwned-by-deck`",
    "docker ps; touch /tmp/quizapp-pwned-by-deck",
    "docker ps && touch /tmp/quizapp-pwned-by-deck | sh",
    "echo $(touch /tmp/quizapp-pwned-by-deck)",
)


@pytest.fixture(autouse=True)
def _no_marker() -> None:
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), "a deck's text was executed"


@pytest.fixture
def no_exec(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to start a program or a shell fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"tried to run {args!r}")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    for name in (
        "system",
        "popen",
        "execv",
        "execve",
        "execvp",
        "execvpe",
        "spawnv",
        "posix_spawn",
        "posix_spawnp",
    ):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)


def test_validate_grade_and_export_never_run_deck_text(no_exec: None, tmp_path: Path) -> None:
    assert run_validate([HOSTILE, DATA / "python-object.yaml"], [], io.StringIO()) == 1
    deck = load_deck(HOSTILE).deck
    assert deck is not None
    commands = [card for card in deck.cards if isinstance(card, CommandCard)]
    assert [card.id for card in commands] == ["subshell", "chained"]
    for card in commands:
        for typed in (*TYPED, card.answer, *card.accept):
            grade_command(typed, [card.answer, *card.accept], card.prefix)
            grade_card(card, typed)
    for typed in TYPED:
        run_grade(HOSTILE, "subshell", typed, io.StringIO())
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(HOSTILE, decks)
    ctx = AppContext(db=str(tmp_path / "p.db"), deck_dirs=(decks,))
    assert run_export(ctx, tmp_path / "out.apkg", ["safety-hostile"], False, io.StringIO()) == 0


def test_the_grade_command_does_not_run_the_typed_answer(cli_env: dict[str, str]) -> None:
    result = quizapp(cli_env, "grade", str(HOSTILE), "subshell", TYPED[0])
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.startswith(
        "wrong (proposed grade 1)\ntyped:   $(touch /tmp/quizapp-pwned-by-deck)\n"
    )
    assert not Path("/tmp/quizapp-pwned-by-deck").exists()


def test_a_yaml_tag_builds_no_object() -> None:
    result = load_deck(DATA / "python-object.yaml")
    assert result.deck is None
    assert any(
        "YAML tag !!python/object/apply:os.system is not allowed" in p.message
        for p in result.errors
    )


def test_deck_text_is_escaped_in_the_anki_export(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(HOSTILE, decks)
    ctx = AppContext(db=str(tmp_path / "p.db"), deck_dirs=(decks,))
    out = tmp_path / "out.apkg"
    run_export(ctx, out, ["safety-hostile"], False, io.StringIO())
    with zipfile.ZipFile(out) as package:
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    fields = "\x1f".join(row[0] for row in conn.execute("SELECT flds FROM notes"))
    conn.close()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fields
    assert "&lt;/div&gt;&lt;img src=x onerror=alert(1)&gt;" in fields
    assert "<script>" not in fields and "<img" not in fields


async def test_deck_text_is_shown_literally_in_the_study_app(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(HOSTILE, decks)
    ctx = AppContext(db=str(tmp_path / "p.db"), deck_dirs=(decks,))
    app = QuizApp(ctx, deck="safety-hostile", today=DAY0, now=lambda: noon(DAY0), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(40):
            await pilot.pause()
            if app.screen.query("#card-panel Static"):
                break
        title = app.screen.query_one("#deck-title", Static).content
        texts = [
            w.content.plain if isinstance(w.content, Content) else str(w.content)
            for w in app.screen.query("#card-panel Static")
        ]
    assert str(title) == "[bold red]Hostile[/] <b>deck</b> & friends"
    assert (
        texts[0] == "Run $(touch /tmp/quizapp-pwned-by-deck) [link=https://example.com]now[/link]"
    )


def test_the_database_and_backups_are_owner_only_whatever_the_umask(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    db = tmp_path / "fresh" / "progress.db"
    for command in ("decks", "backup"):
        result = subprocess.run(
            [sys.executable, "-m", "quizapp", "--db", str(db), "--decks", str(tmp_path), command],
            env=cli_env,
            capture_output=True,
            text=True,
            preexec_fn=lambda: os.umask(0),
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    files = sorted((db.parent / "backups").iterdir())
    assert len(files) == 2  # the daily one and `quizapp backup`'s
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((db.parent / "backups").stat().st_mode) == 0o700
    assert [stat.S_IMODE(f.stat().st_mode) for f in files] == [0o600, 0o600]
