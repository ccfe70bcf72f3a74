"""Pilot tests of every flow: each card kind right and wrong, undo, bury, summary, quiz, stats.

Time is injected (a fixed study day, a fake clock) and workers are awaited, never slept on.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Static

from quizapp.storage.repository import review_log
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.quiz import QuizResultScreen, QuizScreen, QuizSetupScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.screens.summary import SummaryScreen
from quizapp.tui.widgets.keybar import KeyBar
from tests.storage.helpers import item_state

from .conftest import TODAY, AppFactory, press, settle


def table_rows(app: QuizApp) -> list[list[object]]:
    table = app.screen.query_one("#decks", DataTable)
    return [
        [str(cell) if not isinstance(cell, int) else cell for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def text_of(app: QuizApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    content = widget.content
    return content.plain if isinstance(content, Content) else str(content)


def panel_text(app: QuizApp) -> str:
    return "\n".join(
        w.content.plain if isinstance(w.content, Content) else str(w.content)
        for w in app.screen.query("#card-panel Static")
        if w.display and w.parent is not None and w.parent.display
    )


async def log_of(app: QuizApp):
    return await app.backend.with_store(review_log)


async def state_of(app: QuizApp, deck_id: str, item_id: str):
    return await app.backend.with_store(item_state, deck_id, item_id)


async def type_answer(pilot, text: str) -> None:
    pilot.app.screen.query_one("#answer", Input).value = text
    await press(pilot, "enter")


# --- home ----------------------------------------------------------------------------------


async def test_home_lists_decks_with_todays_counts(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", "command.yaml", "cloze.yaml", "choice.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert table_rows(app) == [
            ["Basic cards", 2, 2, 0, 0, 2],
            ["Choice cards", 1, 1, 0, 0, 1],
            ["Cloze cards", 2, 2, 0, 0, 2],
            ["Command cards", 2, 2, 0, 0, 2],
        ]
        assert text_of(app, "#today") == "Today 7 cards: 0 due, 7 new, 0 to repeat"


async def test_broken_deck_listed_with_problems_and_good_deck_still_works(
    make_app: AppFactory,
) -> None:
    app = make_app("broken.yaml", "basic.yaml", folder="broken")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        problems = text_of(app, "#problems")
        assert "1 deck could not be loaded" in problems
        assert "broken.yaml" in problems
        assert "8:13 the answer 'c' is not one of the choices" in problems
        table = app.screen.query_one("#decks", DataTable)
        assert table.row_count == 1
        await press(pilot, "enter")
        assert isinstance(app.screen, StudyScreen)
        assert "Which network type" in panel_text(app)


async def test_a_broken_cli_model_is_listed_like_a_broken_deck(
    tmp_path: Path, make_app: AppFactory
) -> None:
    """A broken `*.cli.toml` next to the decks was left out without a word: the study screen
    then read its program's answers without it."""
    app = make_app("basic.yaml")
    model = tmp_path / "decks" / "mytool.cli.toml"
    model.write_text('[program]\nname = "mytool"\nparser = "nope"\n')
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        problems = text_of(app, "#problems")
        assert problems.splitlines() == [
            "1 CLI model left out (answers are read without it)",
            str(model),
            "  3:1 [program]: unknown parser 'nope' (one of gnu, git, pflag, argparse, posix)",
        ]
        assert app.screen.query_one("#problems").display
        assert app.screen.query_one("#decks", DataTable).row_count == 1


async def test_no_decks_says_where_to_put_them(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert text_of(app, "#empty").startswith("No decks yet.")
        await press(pilot, "a")
        assert isinstance(app.screen, HomeScreen)


async def test_unknown_deck_argument_exits_with_an_error(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="nope")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert app.error is not None
    assert "no deck named 'nope'" in app.error.message


# --- basic cards ---------------------------------------------------------------------------


async def test_basic_card_revealed_then_graded_right(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        assert text_of(app, "#progress").strip() == "1 / 2"
        assert "The bridge network." not in panel_text(app)
        await press(pilot, "space")
        assert "The bridge network." in panel_text(app)
        assert "Each container gets its own IP on the bridge." in panel_text(app)
        assert app.screen.query_one("#grades", KeyBar).display
        await press(pilot, "5")
        rows = await log_of(app)
        assert [(r.item_id, r.grade, r.correct, r.session_kind, r.repeat) for r in rows] == [
            ("bridge-default", 5, True, "study", False)
        ]
        assert rows[0].duration_ms == 1500
        state = await state_of(app, "tui-basic", "bridge-default")
        assert (state.repetitions, state.interval, state.due) == (1, 1, TODAY + timedelta(days=1))
        assert "[bold]" in panel_text(app)


async def test_basic_card_graded_wrong_comes_back_as_a_repeat(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "1")
        assert text_of(app, "#progress").strip() == "2 / 3 · 1 to repeat"
        await press(pilot, "space", "4")
        assert "Which network type" in panel_text(app)
        await press(pilot, "space", "4")
        rows = await log_of(app)
        assert [(r.item_id, r.grade, r.repeat) for r in rows] == [
            ("bridge-default", 1, False),
            ("markup-literal", 4, False),
            ("bridge-default", 4, True),
        ]
        state = await state_of(app, "tui-basic", "bridge-default")
        assert (state.repetitions, state.interval) == (0, 1)
        assert isinstance(app.screen, SummaryScreen)


async def test_markup_in_deck_text_is_shown_literally(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "space", "5", "space")
        text = panel_text(app)
        assert 'What does [bold] mean in ENTRYPOINT ["node", "./app.js"]?' in text
        assert "Nothing: [red]it is data[/red], shown literally." in text


async def test_inline_code_is_styled_as_code(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "space")
        outcome = app.screen.query_one(".outcome", Static).content
        assert isinstance(outcome, Content)
        assert outcome.plain == "The bridge network."
        code = [s for s in outcome.spans if outcome.plain[s.start : s.end] == "bridge"]
        assert code and "$text-accent" in str(code[0].style)


# --- command cards -------------------------------------------------------------------------


async def test_command_card_right_accepts_proposed_grade_with_enter(make_app: AppFactory) -> None:
    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        prompt = app.screen.query_one(".prompt-sign", Static)
        assert str(prompt.content) == "$ docker network "
        assert app.focused is app.screen.query_one("#answer", Input)
        await type_answer(pilot, "inspect backend")
        text = panel_text(app)
        assert "✔ right" in text
        assert "inspect prints JSON." in text
        assert app.screen.query_one("#grades", KeyBar).highlighted == 4
        await press(pilot, "enter")
        rows = await log_of(app)
        assert [(r.item_id, r.grade, r.typed_answer, r.correct) for r in rows] == [
            ("network-inspect", 4, "inspect backend", True)
        ]


async def test_command_card_wrong_shows_diff_and_takes_a_digit(make_app: AppFactory) -> None:
    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_answer(pilot, "inspect backend")
        await press(pilot, "enter")
        await type_answer(pilot, "docker run -d -p 8080:80 nginx")
        text = panel_text(app)
        assert "right" not in text.splitlines()[0]
        assert "answer docker run -d -p 80:8080 nginx" in text
        proposed = app.screen.query_one("#grades", KeyBar).highlighted
        assert proposed in (1, 2)
        await press(pilot, "3")
        rows = await log_of(app)
        assert [(r.item_id, r.grade, r.correct) for r in rows][-1] == ("run-detached", 3, False)


async def test_empty_command_answer_proposes_zero(make_app: AppFactory) -> None:
    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_answer(pilot, "")
        assert "∅ no answer" in panel_text(app)
        assert app.screen.query_one("#grades", KeyBar).highlighted == 0
        await press(pilot, "enter")
        rows = await log_of(app)
        assert [(r.grade, r.typed_answer) for r in rows] == [(0, "")]


async def test_answer_typed_in_one_burst_with_enter_is_graded_whole(make_app: AppFactory) -> None:
    """Keys that arrive together (a paste, tmux send-keys, a fast typist) reach the box before
    Enter checks it: the priority Enter binding once graded an empty box ("∅ no answer")."""
    from textual import events

    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for char in "inspect backend":
            app.post_message(events.Key("space" if char == " " else char, char))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert "✔ right" in panel_text(app)
        await press(pilot, "enter")
        rows = await log_of(app)
        assert [(r.item_id, r.typed_answer, r.correct) for r in rows] == [
            ("network-inspect", "inspect backend", True)
        ]


# --- cloze cards ---------------------------------------------------------------------------


async def test_cloze_right_then_wrong_with_hint_and_full_text(make_app: AppFactory) -> None:
    app = make_app("cloze.yaml", deck="tui-cloze")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = panel_text(app)
        assert text.startswith("Create an overlay with [...] and encrypt it with -o encrypted.")
        await type_answer(pilot, "  Docker Network Create ")
        assert "✔ right" in panel_text(app)
        full = "Create an overlay with docker network create and encrypt it with -o encrypted."
        assert full in panel_text(app)
        await press(pilot, "enter")
        # Its sibling c2 waits for the next day, as in Anki: the session is over.
        assert isinstance(app.screen, SummaryScreen)
    db = Path(app.ctx.db)
    again = make_app(deck="tui-cloze", today=TODAY + timedelta(days=1), db=db)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.screen.item.item_id == "overlay-encrypt#c1"  # the review comes first
        await press(pilot, "escape", "b")  # a bury is no answer: the sibling stays
        assert panel_text(again).startswith(
            "Create an overlay with docker network create and encrypt it with [an option]."
        )
        await type_answer(pilot, "--encrypt")
        assert "✘ wrong" in panel_text(again)
        await press(pilot, "enter")
        rows = await log_of(again)
        assert [(r.item_id, r.grade, r.correct) for r in rows] == [
            ("overlay-encrypt#c1", 4, True),
            ("overlay-encrypt#c2", 1, False),
        ]


async def test_an_answer_buries_its_cloze_siblings_until_tomorrow(
    make_app: AppFactory,
) -> None:
    app = make_app("cloze.yaml", deck="tui-cloze")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_answer(pilot, "docker network create")
        await press(pilot, "enter")
        assert isinstance(app.screen, SummaryScreen)
        state = await state_of(app, "tui-cloze", "overlay-encrypt#c2")
        assert state.buried_until == TODAY + timedelta(days=1)
    again = make_app(deck="tui-cloze", db=Path(app.ctx.db))
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, SummaryScreen)  # c2 does not come back today


# --- choice cards --------------------------------------------------------------------------


def choice_order(app: QuizApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [
        options.get_option_at_index(i).prompt.plain.split("]", 1)[1].strip()
        for i in range(options.option_count)
    ]


async def test_choice_picked_right_with_a_digit(make_app: AppFactory) -> None:
    app = make_app("choice.yaml", deck="tui-choice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        order = choice_order(app)
        assert sorted(order) == ["Gossip", "Paxos", "Raft", "Two-phase commit"]
        await press(pilot, str(order.index("Raft") + 1))
        assert "✔ right" in panel_text(app)
        await press(pilot, "enter")
        rows = await log_of(app)
        assert [(r.grade, r.typed_answer, r.correct) for r in rows] == [(4, "Raft", True)]


async def test_choice_picked_wrong_with_arrows_and_enter(make_app: AppFactory) -> None:
    app = make_app("choice.yaml", deck="tui-choice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        order = choice_order(app)
        wrong = next(i for i, choice in enumerate(order) if choice != "Raft")
        await press(pilot, *(["down"] * wrong), "enter")
        text = panel_text(app)
        assert "✘ wrong" in text
        assert "answer Raft" in text
        await press(pilot, "enter")
        rows = await log_of(app)
        assert [(r.grade, r.typed_answer, r.correct) for r in rows] == [(1, order[wrong], False)]


# --- undo, bury, source, summary -----------------------------------------------------------


async def test_undo_brings_the_card_back_and_removes_its_log_row(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "space", "5")
        assert "ENTRYPOINT" in panel_text(app)
        await press(pilot, "u")
        assert "Which network type" in panel_text(app)
        assert text_of(app, "#progress").strip() == "1 / 2"
        assert await log_of(app) == []
        state = await state_of(app, "tui-basic", "bridge-default")
        assert state.due is None and state.repetitions == 0
        await press(pilot, "space", "3", "ctrl+z")
        assert await log_of(app) == []


async def test_bury_hides_the_card_until_tomorrow(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        assert "ENTRYPOINT" in panel_text(app)
        state = await state_of(app, "tui-basic", "bridge-default")
        assert state.buried_until == TODAY + timedelta(days=1)
        assert await log_of(app) == []


async def test_source_key_shows_file_and_line(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "e")
        messages = [str(n.message) for n in app._notifications]
        assert any(m.endswith("basic.yaml:4\ncard bridge-default") for m in messages), messages


async def test_summary_after_the_last_card_then_home(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "space", "5", "space", "2", "space", "4")
        assert isinstance(app.screen, SummaryScreen)
        summary = text_of(app, "#summary")
        assert "Cards studied 2" in summary
        assert "Answers       3" in summary
        assert "Right         67% (2 of 3 graded 3 or more)" in summary
        assert "Due tomorrow  2" in summary
        assert "Time spent" in summary
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert table_rows(app)[0] == ["Basic cards", 2, 0, 0, 0, 0]


async def test_all_done_for_today(make_app: AppFactory) -> None:
    app = make_app("choice.yaml", deck="tui-choice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        order = choice_order(app)
        await press(pilot, str(order.index("Raft") + 1), "5")
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert text_of(app, "#today") == "All done for today."
        await press(pilot, "enter")
        assert isinstance(app.screen, SummaryScreen)
        assert text_of(app, "#summary").startswith("All done for today.")


# --- quiz ----------------------------------------------------------------------------------


async def test_quiz_scores_and_lists_missed_cards_without_scheduling(
    make_app: AppFactory,
) -> None:
    app = make_app("basic.yaml", "choice.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "z")
        assert isinstance(app.screen, QuizSetupScreen)
        assert app.screen.query_one("#quiz-count", Input).value == "20"
        await press(pilot, "enter")
        assert isinstance(app.screen, QuizScreen)
        assert len(app.screen.items) == 3
        for _ in range(3):
            view = app.screen.view
            if view.card.kind == "choice":
                await press(pilot, str(view.order.index("Raft") + 1), "enter")
            elif view.card.id == "bridge-default":
                await press(pilot, "space", "y", "enter")
            else:
                await press(pilot, "space", "n", "enter")
        assert isinstance(app.screen, QuizResultScreen)
        result = text_of(app, "#quiz-score")
        assert result.startswith("Score 2 / 3  (67%)")
        assert "Missed (1)" in result
        assert "Nothing: [red]it is data[/red], shown literally." in result
        rows = await log_of(app)
        assert sorted((r.item_id, r.correct, r.session_kind) for r in rows) == [
            ("bridge-default", True, "quiz"),
            ("markup-literal", False, "quiz"),
            ("swarm-consensus", True, "quiz"),
        ]
        for deck_id, item_id in (
            ("tui-basic", "bridge-default"),
            ("tui-choice", "swarm-consensus"),
        ):
            state = await state_of(app, deck_id, item_id)
            assert state.due is None and state.repetitions == 0
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)


async def test_quiz_count_limits_the_cards(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", "cloze.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "z")
        app.screen.query_one("#quiz-count", Input).value = "2"
        await press(pilot, "enter")
        assert isinstance(app.screen, QuizScreen)
        assert len(app.screen.items) == 2


# --- statistics, help, palette -------------------------------------------------------------


async def test_stats_overall_and_per_deck(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", "choice.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "space", "5", "escape", "s")
        assert isinstance(app.screen, StatsScreen)
        numbers = text_of(app, "#stats-numbers")
        assert "Reviews today 1" in numbers
        assert "Tomorrow" in numbers
        forecast = app.screen.query_one("#forecast")
        assert forecast.counts[:3] == (0, 1, 0)
        await press(pilot, "down", "down")
        numbers = text_of(app, "#stats-numbers")
        assert "Reviews today 0" in numbers


async def test_help_screen_and_palette_commands(make_app: AppFactory) -> None:
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles[:5] == [
            "Study everything due",
            "Study the selected deck",
            "Quiz",
            "Statistics",
            "Help",
        ]


async def test_bindings_have_ids_for_keymaps(make_app: AppFactory) -> None:
    from quizapp.tui.screens.quiz import QuizScreen as Quiz

    for screen in (HomeScreen, StudyScreen, Quiz, StatsScreen, SummaryScreen):
        assert all(b.id for b in screen.BINDINGS), screen


async def test_first_card_is_on_screen_within_a_second(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", "command.yaml", "cloze.yaml", "choice.yaml", deck="tui-cloze")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.first_card_after is not None


async def test_deck_with_nothing_to_study_today(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", overrides={"new_per_day": 0})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert table_rows(app)[0] == ["Basic cards", 2, 0, 0, 0, 0]
        assert text_of(app, "#today") == "All done for today."
        await press(pilot, "enter")
        assert isinstance(app.screen, SummaryScreen)
        assert text_of(app, "#summary") == (
            "All done for today.\n\nNothing is left to study here today.\n\nDue tomorrow  0"
        )
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_home_counts_are_fresh_when_coming_back_from_a_start_on_a_deck(
    make_app: AppFactory,
) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        await press(pilot, "space", "5", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert table_rows(app) == [["Basic cards", 2, 1, 0, 0, 1]]


async def test_escape_leaves_the_input_first_then_goes_home(make_app: AppFactory) -> None:
    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, StudyScreen)
        assert app.focused is None
        await press(pilot, "enter")
        assert app.focused is app.screen.query_one("#answer", Input)
        await press(pilot, "escape", "b")
        assert "Run nginx in the background" in panel_text(app)
        assert app.focused is app.screen.query_one("#answer", Input)
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_grades_and_reveal_work_with_the_mouse(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click(".card-view")
        await settle(pilot)
        assert "The bridge network." in panel_text(app)
        chips = list(app.screen.query("#grades .key-chip"))
        await pilot.click(chips[3])
        await settle(pilot)
        rows = await log_of(app)
        assert [(r.item_id, r.grade) for r in rows] == [("bridge-default", 3)]


async def test_a_failing_save_is_reported_and_the_card_stays(
    make_app: AppFactory, monkeypatch
) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        async def broken(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(app.backend, "record", broken)
        await press(pilot, "space", "4")
        assert "Which network type" in panel_text(app)
        assert text_of(app, "#progress").strip() == "1 / 2"
        assert any("disk full" in str(n.message) for n in app._notifications)


async def test_undo_after_bury_brings_the_card_back_today(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "b", "u")
        assert "Which network type" in panel_text(app)
        assert text_of(app, "#progress").strip() == "1 / 2"
        state = await state_of(app, "tui-basic", "bridge-default")
        assert state.buried_until is None or state.buried_until <= TODAY


async def test_a_keymap_remaps_bindings_by_id(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic", keymap={"study.bury": "x"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        assert "Which network type" in panel_text(app)
        await press(pilot, "x")
        assert "ENTRYPOINT" in panel_text(app)


async def test_the_settings_file_keys_table_remaps_bindings(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "xdg-config"
    (config / "quizapp").mkdir(parents=True)
    (config / "quizapp" / "config.toml").write_text('[keys]\n"study.bury" = "x"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        assert "Which network type" in panel_text(app)
        await press(pilot, "x")
        assert "ENTRYPOINT" in panel_text(app)


async def test_a_late_enter_does_not_give_up_on_the_next_card(make_app: AppFactory) -> None:
    from quizapp.grading import Verdict

    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.view
        app.clock = lambda: view.shown_at + 0.1
        await press(pilot, "enter")
        assert not view.answered
        app.clock = lambda: view.shown_at + 1.0
        await press(pilot, "enter")
        assert view.answered and view.result.verdict is Verdict.EMPTY


async def test_deck_titles_with_markup_show_literally(make_app: AppFactory) -> None:
    app = make_app("markup.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert table_rows(app)[0][0] == "[bold red]Markup[/] deck"
        await press(pilot, "enter")
        assert text_of(app, "#deck-title") == "[bold red]Markup[/] deck"
        await press(pilot, "space")
        assert "[link=http://x]not a link[/link]" in panel_text(app)
        await press(pilot, "5")
        assert isinstance(app.screen, SummaryScreen)
        panel = app.screen.query_one("#summary-panel")
        assert panel.border_title == r"\[bold red]Markup\[/] deck"


async def test_one_wait_for_workers_is_enough_for_the_first_card(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Which network type" in panel_text(app)
        await pilot.press("space", "4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "ENTRYPOINT" in panel_text(app)


async def test_a_failing_stats_query_is_reported_not_fatal(
    make_app: AppFactory, monkeypatch
) -> None:
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        async def broken(*args, **kwargs):
            raise RuntimeError("database is locked")

        monkeypatch.setattr(app.backend, "stats", broken)
        await press(pilot, "s")
        assert isinstance(app.screen, StatsScreen)
        assert any("database is locked" in str(n.message) for n in app._notifications)
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_lists_every_key_with_its_binding_id(make_app: AppFactory) -> None:
    from textual.widgets import Markdown

    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        source = app.screen.query_one(Markdown).source
        for binding_id in ("study.bury", "study.undo", "study.undo-answer", "home.quiz"):
            assert f"`{binding_id}`" in source


# --- keys that must never cost an answer ---------------------------------------------------


async def test_a_digit_right_after_a_choice_card_appears_does_not_pick(
    make_app: AppFactory,
) -> None:
    app = make_app("choice.yaml", deck="tui-choice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.view
        app.clock = lambda: view.shown_at + 0.1
        await press(pilot, "1", "enter")
        assert not view.answered
        app.clock = lambda: view.shown_at + 0.6
        await press(pilot, "1")
        assert view.answered


async def test_an_extra_enter_after_accepting_does_not_answer_the_next_card(
    make_app: AppFactory,
) -> None:
    app = make_app("command.yaml", "choice.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        if screen.view.card.kind == "choice":  # answer it; it comes back after the commands
            await press(pilot, "1", "1")
        # Answer the command cards; the last enter that accepts brings the choice card.
        while screen.view is not None and screen.view.card.kind == "command":
            await type_answer(pilot, "docker ps")
            await press(pilot, "enter")
        view = screen.view
        assert view is not None and view.card.kind == "choice"
        answered_before = len(await log_of(app))
        app.clock = lambda: view.shown_at + 0.2  # the learner's extra enter, a moment later
        await press(pilot, "enter")
        assert not view.answered
        assert len(await log_of(app)) == answered_before


async def test_u_on_a_verdict_takes_back_that_answer_not_the_card_before(
    make_app: AppFactory,
) -> None:
    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = app.screen.item.item_id
        await type_answer(pilot, "docker network inspect backend")
        await press(pilot, "4")
        second = app.screen.item.item_id
        await type_answer(pilot, "wrong")
        assert app.screen.view.answered
        await press(pilot, "u")
        assert app.screen.item.item_id == second != first
        assert not app.screen.view.answered
        assert [r.item_id for r in await log_of(app)] == [first]


async def test_escape_with_typed_text_keeps_it_for_when_the_card_comes_back(
    make_app: AppFactory,
) -> None:
    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#answer", Input).value = "docker net"
        await press(pilot, "escape")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.query_one("#answer", Input).value == "docker net"
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.query_one("#answer", Input).value == "docker net"


async def test_the_footer_says_what_enter_and_escape_do_where_the_cursor_is(
    make_app: AppFactory,
) -> None:
    app = make_app("command.yaml", deck="tui-command")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        def shown() -> dict[str, str]:
            return {
                key: active.binding.description
                for key, active in app.screen.active_bindings.items()
                if active.binding.show
            }

        assert shown()["enter"] == "Check"
        assert shown()["escape"] == "Leave box"
        assert "u" not in shown() and "b" not in shown()  # typed into the box there
        await press(pilot, "escape")
        assert shown()["enter"] == "Answer"
        assert shown()["escape"] == "Home"
        assert shown()["b"] == "Bury"


async def test_a_repeated_choice_card_is_shuffled_anew(make_app: AppFactory) -> None:
    app = make_app("choice.yaml", deck="tui-choice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        orders = []
        for _ in range(3):
            view = app.screen.view
            orders.append(view.order)
            await press(pilot, str(view.order.index("Raft") % len(view.order) + 2), "1")
        assert len(set(orders)) > 1


async def test_quiz_basic_card_waits_for_enter_and_escape_shows_the_score_so_far(
    make_app: AppFactory,
) -> None:
    app = make_app("basic.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "z", "enter")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        first = screen.item
        await press(pilot, "space", "y")
        assert screen.item is first  # y scores it; the card stays until enter
        await press(pilot, "enter")
        assert screen.item is not first
        await press(pilot, "escape")
        assert isinstance(app.screen, QuizResultScreen)
        text = text_of(app, "#quiz-score")
        assert text.startswith("Score 1 / 1  (100%)\nStopped early: 1 of 2 cards answered.")


async def test_quiz_u_takes_back_the_answer_on_screen_and_its_log_row(
    make_app: AppFactory,
) -> None:
    app = make_app("command.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "z", "enter")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        first = screen.item
        await type_answer(pilot, "docker ps")
        assert screen.view.answered and len(await log_of(app)) == 1
        await press(pilot, "u")
        assert screen.item is not None and screen.item.card is first.card
        assert not screen.view.answered
        assert await log_of(app) == [] and screen.answers == []


async def test_an_extra_enter_does_not_leave_the_summary_before_it_is_read(
    make_app: AppFactory,
) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "space", "5", "space", "5")
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        app.clock = lambda: screen.shown_at + 0.1
        await press(pilot, "enter")
        assert app.screen is screen
        app.clock = lambda: screen.shown_at + 1.0
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
