"""The study app on an FSRS deck: each grade's next interval before grading, FSRS's same-day
steps, undo, and the statistics screen's predicted retention (SM-2 alongside)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from quizapp.storage.repository import review_log
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.screens.summary import SummaryScreen
from tests.storage.helpers import item_state

from .conftest import NOW, TODAY, AppFactory, press, settle
from .test_flows import text_of


def use_fsrs(deck: str = "tui-basic") -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "quizapp" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[decks.{deck}]\nscheduler = "fsrs"\n')


async def due_of(app: QuizApp, item_id: str):
    state = await app.backend.with_store(item_state, "tui-basic", item_id)
    return state.due


async def test_sm2_deck_shows_sm2_intervals_before_grading(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "space")
        hint = text_of(app, "#hint")
        assert hint.splitlines()[-1] == "next: 0-2 today+1d · 3 today+1d · 4 1d · 5 1d"


async def test_fsrs_deck_previews_steps_and_brings_a_good_new_card_back(
    make_app: AppFactory,
) -> None:
    use_fsrs()
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        await press(pilot, "space")
        assert text_of(app, "#hint").splitlines()[-1] == "next: 0-2 1m · 3 6m · 4 10m · 5 8d"
        await press(pilot, "4")  # Good: learning step 2, due in 10 minutes: back today
        assert text_of(app, "#progress").strip() == "2 / 3 · 1 to repeat"
        assert await due_of(app, "bridge-default") == TODAY
        await press(pilot, "space", "5")  # Easy: 8 days
        await press(pilot, "space")
        assert text_of(app, "#hint").splitlines()[-1] == "next: 0-2 1m · 3 10m · 4 2d · 5 4d"
        await press(pilot, "4")
        rows = await app.backend.with_store(review_log)
        assert [(r.item_id, r.grade, r.repeat) for r in rows] == [
            ("bridge-default", 4, False),
            ("markup-literal", 5, False),
            ("bridge-default", 4, True),
        ]
        assert isinstance(app.screen, SummaryScreen)
        assert await due_of(app, "markup-literal") == TODAY + timedelta(days=8)
        assert (await due_of(app, "bridge-default")) > TODAY


async def test_undo_under_fsrs_puts_the_due_day_back(make_app: AppFactory) -> None:
    use_fsrs()
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "space", "5")
        assert await due_of(app, "bridge-default") is not None
        await press(pilot, "u")
        assert await due_of(app, "bridge-default") is None
        assert await app.backend.with_store(review_log) == []


async def test_stats_screen_shows_fsrs_predicted_retention(make_app: AppFactory) -> None:
    use_fsrs()
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        await press(pilot, "space", "5", "space", "5")
        await press(pilot, "escape")
        await settle(pilot)
        if not isinstance(app.screen, StatsScreen):
            await press(pilot, "s")
        assert isinstance(app.screen, StatsScreen)
        numbers = text_of(app, "#stats-numbers")
        assert "Recall today  100% (FSRS)" in numbers, numbers
    assert NOW.date() == TODAY
