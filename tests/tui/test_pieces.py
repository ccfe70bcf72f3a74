"""The text and chart pieces the screens are built from, tested without running the app."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quizapp.deck.model import ClozeCard, CommandCard, LoadResult, Problem
from quizapp.grading import grade_card
from quizapp.grading.result import DiffToken, GradeResult, Verdict
from quizapp.tui.screens.home import problems_content
from quizapp.tui.screens.stats import daily_counts
from quizapp.tui.screens.study import SessionTally
from quizapp.tui.screens.summary import summary_content
from quizapp.tui.text import CODE_STYLE, deck_text, format_duration
from quizapp.tui.widgets.cards import cloze_answer_content, diff_content, outcome_content
from quizapp.tui.widgets.charts import heat_level


def test_deck_text_keeps_markup_literal_and_styles_backticks() -> None:
    content = deck_text('Use `docker ps` not [bold]x[/bold] or ["node", "./app.js"]')
    assert content.plain == 'Use docker ps not [bold]x[/bold] or ["node", "./app.js"]'
    assert [(s.start, s.end, s.style) for s in content.spans] == [(4, 13, CODE_STYLE)]


def test_deck_text_leaves_a_lone_backtick_alone() -> None:
    assert deck_text("a ` b").plain == "a ` b"


def test_diff_marks_missing_extra_and_changed_tokens() -> None:
    result = GradeResult(
        Verdict.CLOSE,
        2,
        "docker run -d nginx",
        diff=(
            DiffToken("same", "docker", "docker"),
            DiffToken("same", "run", "run"),
            DiffToken("missing", None, "-d"),
            DiffToken("changed", "ngnix", "nginx"),
            DiffToken("extra", "sh", None),
        ),
    )
    content = diff_content(result)
    assert content.plain == "docker run +-d ngnix→nginx sh"
    styled = {content.plain[s.start : s.end]: str(s.style) for s in content.spans}
    assert styled == {
        "+-d": "bold $text-success",
        "ngnix": "strike $text-error",
        "→": "$text-muted",
        "nginx": "bold $text-success",
        "sh": "strike $text-error",
    }


def test_outcome_of_a_wrong_command() -> None:
    card = CommandCard(
        id="c", prompt="p", answer="docker ps -a", accept=("docker container ls -a",)
    )
    result = GradeResult(
        Verdict.WRONG,
        1,
        "docker container ls -a",
        explanations=("missing -a (--all)",),
        diff=(DiffToken("same", "docker", "docker"),),
    )
    assert outcome_content(card, result).plain == (
        "✘ wrong\n"
        "you   docker\n"
        "  • missing -a (--all)\n"
        "answer docker ps -a\n"
        "closest docker container ls -a"
    )


def test_right_after_normalisation_shows_the_canonical_form_on_the_verdict_line() -> None:
    card = ClozeCard(id="c", text="An image is a {{c1::read-only template}}.")
    result = grade_card(card, "read only template", 1)
    assert outcome_content(card, result, 1).plain == (
        "✔ right: read only template = read-only template\ntext  An image is a read-only template."
    )


def test_cloze_answer_highlights_the_asked_deletion() -> None:
    content = cloze_answer_content("{{c1::a}} and {{c2::b::hint}}", 2)
    assert content.plain == "a and b"
    assert [(s.start, s.end, str(s.style)) for s in content.spans] == [(6, 7, "bold $text-success")]


def test_cloze_answer_code_around_a_deletion_is_code_tick_to_tick() -> None:
    content = cloze_answer_content("`FROM {{c1::alpine}}` starts it, `RUN` runs", 1)
    assert content.plain == "FROM alpine starts it, RUN runs"
    spans = [(s.start, s.end, str(s.style)) for s in content.spans]
    assert spans == [
        (0, 5, CODE_STYLE),
        (5, 11, f"{CODE_STYLE} bold $text-success"),
        (23, 26, CODE_STYLE),
    ]


@pytest.mark.parametrize(
    ("count", "busiest", "level"),
    [
        (0, 10, 0),
        (1, 10, 1),
        (3, 10, 1),
        (4, 10, 2),
        (6, 10, 3),
        (9, 10, 4),
        (10, 10, 4),
        (5, 0, 0),
    ],
)
def test_heat_levels(count: int, busiest: int, level: int) -> None:
    assert heat_level(count, busiest) == level


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (59.4, "59 s"), (61, "1 min 01 s"), (3599, "59 min 59 s"), (3720, "1 h 02 min")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_daily_counts_fill_missing_days_oldest_first() -> None:
    today = date(2026, 3, 10)
    counts = daily_counts({date(2026, 3, 10): 4, date(2026, 3, 8): 2}, today, 4)
    assert counts == [0, 2, 0, 4]


def test_summary_numbers() -> None:
    tally = SessionTally(cards=3, answers=4, right=3, seconds=125)
    assert summary_content(tally, 7).plain == (
        "Session done.\n\n"
        "Cards studied 3\n"
        "Answers       4\n"
        "Right         75% (3 of 4 graded 3 or more)\n"
        "Time spent    2 min 05 s\n"
        "Due tomorrow  7"
    )


def test_problems_of_failed_decks_only() -> None:
    bad = Path("/nowhere/bad.yaml")
    results = (
        LoadResult(bad, None, (Problem(bad, 3, 5, "unknown key [bold]"),)),
        LoadResult(Path("/nowhere/good.yaml"), None, ()),
    )
    text = problems_content(results[:1]).plain
    assert text == "1 deck could not be loaded\n/nowhere/bad.yaml\n  3:5 unknown key [bold]"


def test_month_labels_name_each_whole_month_and_drop_a_crowded_partial_one() -> None:
    from quizapp.tui.widgets.charts import month_labels

    # 23 weeks from Monday 2026-06-29: one June week, then July from the next column, where
    # "Jun" would run into "Jul" (the label that went missing at 80 columns).
    labels = month_labels(date(2026, 6, 29), 23)
    assert [label for _, label in labels] == ["Jul", "Aug", "Sep", "Oct", "Nov"]
    assert labels[0] == (1, "Jul")
    # A partial first month with room before the next label keeps its name.
    assert month_labels(date(2026, 6, 8), 8)[:2] == [(0, "Jun"), (4, "Jul")]


async def test_daily_bars_put_today_at_the_right_edge() -> None:
    from textual.app import App, ComposeResult

    from quizapp.tui.widgets.charts import DailyBars

    class Bars(App[None]):
        def compose(self) -> ComposeResult:
            yield DailyBars([0] * 29 + [4], id="bars")

    app = Bars()
    async with app.run_test(size=(70, 6)) as pilot:
        await pilot.pause()
        lines = app.query_one(DailyBars).render().plain.splitlines()
    assert lines[-1] == "29 days ago" + "today".rjust(60 - len("29 days ago"))
    assert lines[0].endswith("██") and lines[0].strip() == "██"
    assert len(lines[0]) == 60


def test_the_home_date_does_not_use_a_platform_only_format() -> None:
    from quizapp.tui.screens.home import long_date

    assert long_date(date(2026, 3, 1)) == "Sunday 1 March 2026"
