"""Snapshots of every screen at 80×24 and 120×40, cursor blink off, day, clock and seed fixed.

Update with `pytest tests/tui/test_snapshots.py --snapshot-update` after checking the screens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.deck.model import Card
from quizapp.grading.result import DiffToken, GradeResult, Verdict

from .conftest import AppFactory, no_cursor_blink, press, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
ALL_DECKS = ("basic.yaml", "command.yaml", "cloze.yaml", "choice.yaml")

Steps = Callable[[Pilot[object]], Awaitable[None]]


def steps(*keys: str) -> Steps:
    """Keys to press; `=text` puts text in the answer input instead."""

    async def run(pilot: Pilot[object]) -> None:
        from textual.widgets import Input

        await settle(pilot)
        for key in keys:
            if key.startswith("="):
                pilot.app.screen.query_one("#answer", Input).value = key[1:]
            else:
                await press(pilot, key)
        no_cursor_blink(pilot)
        await settle(pilot)

    return run


@pytest.fixture(autouse=True)
def _cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # deck paths are shown relative to it


WRONG_RUN = "docker run -p 8080:80 nginx sh"


@pytest.fixture(autouse=True)
def _fixed_wrong_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen is under test, not the grader's wording: one wrong answer's result is fixed."""
    from quizapp.tui.widgets import cards

    real = cards.grade_card

    def grade(card: Card, typed: str, cloze_number: int | None = None) -> GradeResult:
        if typed != WRONG_RUN:
            return real(card, typed, cloze_number)
        return GradeResult(
            Verdict.WRONG,
            1,
            "docker run -d -p 80:8080 nginx",
            explanations=(
                "missing -d (--detach)",
                "port mapping 8080:80 is reversed",
                "sh after the image is passed to the container",
            ),
            diff=(
                DiffToken("same", "docker", "docker"),
                DiffToken("same", "run", "run"),
                DiffToken("missing", None, "-d"),
                DiffToken("same", "-p", "-p"),
                DiffToken("changed", "8080:80", "80:8080"),
                DiffToken("same", "nginx", "nginx"),
                DiffToken("extra", "sh", None),
            ),
        )

    monkeypatch.setattr(cards, "grade_card", grade)


CASES: dict[str, tuple[tuple[str, ...], str | None, str, Steps]] = {
    "home": (ALL_DECKS, None, "decks", steps()),
    "home_broken_deck": (("broken.yaml", "basic.yaml"), None, "broken", steps()),
    "basic_asked": (ALL_DECKS, "tui-basic", "decks", steps()),
    "basic_revealed": (ALL_DECKS, "tui-basic", "decks", steps("space")),
    "command_asked": (ALL_DECKS, "tui-command", "decks", steps("d", "o")),
    "command_wrong": (
        ALL_DECKS,
        "tui-command",
        "decks",
        steps("=inspect backend", "enter", "enter", f"={WRONG_RUN}", "enter"),
    ),
    "cloze_right": (ALL_DECKS, "tui-cloze", "decks", steps("=docker network create", "enter")),
    "choice_wrong": (ALL_DECKS, "tui-choice", "decks", steps("1")),
    "summary": (ALL_DECKS, "tui-choice", "decks", steps("1", "4")),
    "quiz_setup": (ALL_DECKS, None, "decks", steps("z")),
    "quiz_result": (
        ("basic.yaml",),
        None,
        "decks",
        steps("z", "enter", "space", "n", "enter", "space", "y", "enter"),
    ),
    "quiz_stopped": (("basic.yaml",), None, "decks", steps("z", "enter", "space", "n", "escape")),
    "choice_asked": (ALL_DECKS, "tui-choice", "decks", steps()),
    "stats": (ALL_DECKS, "tui-basic", "decks", steps("space", "5", "space", "3", "escape", "s")),
    "help": (ALL_DECKS, None, "decks", steps("question_mark")),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CASES))
def test_screen(snap_compare, make_app: AppFactory, case: str, size: tuple[int, int]) -> None:
    files, deck, folder, run_before = CASES[case]
    app = make_app(*files, deck=deck, folder=folder)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_light_theme_study(snap_compare, make_app: AppFactory) -> None:
    """Theme variables only: the command card reads as well on textual-light."""
    app = make_app(*ALL_DECKS, deck="tui-command")

    async def run_before(pilot: Pilot[object]) -> None:
        pilot.app.theme = "textual-light"
        await steps("=inspect backend", "enter", "enter", f"={WRONG_RUN}", "enter")(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("case", ["basic_revealed", "command_wrong", "stats", "home"])
def test_small_terminal(snap_compare, make_app: AppFactory, case: str) -> None:
    """60×20 degrades cleanly: narrower chrome, nothing cut mid-word."""
    files, deck, folder, run_before = CASES[case]
    app = make_app(*files, deck=deck, folder=folder)
    assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)


@pytest.mark.parametrize("case", ["basic_revealed", "command_wrong", "choice_asked", "home"])
def test_smallest_terminal(snap_compare, make_app: AppFactory, case: str) -> None:
    """40×12, the smallest supported size: every grade and every footer key in view."""
    files, deck, folder, run_before = CASES[case]
    app = make_app(*files, deck=deck, folder=folder)
    assert snap_compare(app, terminal_size=(40, 12), run_before=run_before)


def test_smaller_than_supported(snap_compare, make_app: AppFactory) -> None:
    """Under 40×12 the app says which size it needs instead of cutting the screen."""
    app = make_app(*ALL_DECKS, deck="tui-basic")
    assert snap_compare(app, terminal_size=(39, 12), run_before=steps())
