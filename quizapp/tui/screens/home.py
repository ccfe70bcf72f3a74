"""Home: the decks with today's new, repeat and due counts, the day's total, broken decks.

Enter studies the deck under the cursor, `a` everything due, `z` starts a quiz, `s` opens
statistics. Decks that failed validation are listed with their problems; the rest still work.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, LoadingIndicator, Static

from quizapp.textsafe import visible
from quizapp.tui.jobs import run_reported
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.text import display_path, join
from quizapp.tui.widgets.cards import author_model_problems
from quizapp.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from quizapp.deck.model import LoadResult, Problem
    from quizapp.storage.repository import DeckSummary


NO_SYNC_URL = (
    "Sync: auto = true in config.toml, but no url under [sync] (nor QUIZAPP_SYNC_URL): "
    "nothing is synced"
)


def problems_content(
    results: tuple[LoadResult, ...], model_problems: tuple[Problem, ...] = ()
) -> Content:
    """Every deck that failed, with its problems, then every CLI model left out, as literal
    text."""
    failed = [(result.path, result.errors) for result in results if result.deck is None]
    lines: list[Content] = []
    if failed:
        noun = "deck" if len(failed) == 1 else "decks"
        lines.append(
            Content.styled(f"{len(failed)} {noun} could not be loaded", "bold $text-error")
        )
    models = list(dict.fromkeys(problem.path for problem in model_problems))
    if models:
        noun, pronoun = ("CLI model", "it") if len(models) == 1 else ("CLI models", "them")
        lines.append(
            Content.styled(
                f"{len(models)} {noun} left out (answers are read without {pronoun})",
                "bold $text-error",
            )
        )
        failed += [(path, tuple(p for p in model_problems if p.path == path)) for path in models]
    for path, errors in failed:
        lines.append(Content.styled(display_path(path), "bold"))
        for problem in errors:
            lines.append(
                join(
                    [
                        Content.styled(f"  {problem.line}:{problem.column} ", "$text-muted"),
                        problem.message,
                    ]
                )
            )
    return Content("\n").join(lines)


def long_date(day: date) -> str:
    """ "Tuesday 10 March 2026" on every system (`%-d` is not portable: Windows has no `-`)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


class DeckTable(DataTable[object]):
    """The decks; Enter studies the one under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Study deck",
            id="home.study",
            tooltip="Study today's cards of the deck under the cursor",
        ),
    ]


class HomeScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "study_selected",
            "Study deck",
            id="home.study",
            tooltip="Study today's cards of the deck under the cursor",
        ),
        Binding(
            "a",
            "study_all",
            "Study all",
            id="home.study-all",
            tooltip="Study every deck's cards due today",
        ),
        Binding(
            "z",
            "quiz",
            "Quiz",
            id="home.quiz",
            tooltip="Random cards, scored; the schedule is not touched",
        ),
        Binding(
            "s",
            "stats",
            "Stats",
            id="home.stats",
            tooltip="Forecast, review heatmap, retention and streak",
        ),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[DeckSummary] = []
        self.loaded = False
        self.model_problems: tuple[Problem, ...] | None = None
        """Why authors' CLI models were left out; None: not checked yet."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home-body"):
            yield LoadingIndicator(id="home-loading")
            yield Static(id="today", classes="today")
            table = DeckTable(id="decks", cursor_type="row", zebra_stripes=True)
            table.add_column("Deck", key="title")
            table.add_column("Cards", key="cards")
            table.add_column("New", key="new")
            table.add_column("Repeat", key="repeats")
            table.add_column("Due", key="due")
            table.add_column("Today", key="today")
            yield table
            yield Static(id="empty", classes="empty")
            yield Static(id="problems", classes="problems")
            yield Static(id="sync-line", classes="sync-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = long_date(self.quiz_app.today)
        for selector in ("#decks", "#today", "#empty", "#problems", "#sync-line"):
            self.query_one(selector).display = False

    async def on_screen_resume(self) -> None:
        # Only while on top: at a start on a deck the study screen may already cover this one
        # when its first resume arrives, and its counts can wait until the learner is back.
        if self.loaded and self.is_active:
            run_reported(self, self.refresh_decks(), group="db", exclusive=True)

    async def refresh_decks(self) -> None:
        backend = self.quiz_app.backend
        self.summaries = await backend.summaries(self.quiz_app.today)
        self.loaded = True
        self.sub_title = long_date(self.quiz_app.today)
        self.query_one("#home-loading").display = False
        self.query_one("#today").display = True
        table = self.query_one("#decks", DataTable)
        row = table.cursor_row
        table.clear()
        for summary in self.summaries:
            table.add_row(
                Text(visible(summary.title)),  # a str cell would be read as markup
                summary.cards,
                summary.new,
                summary.repeats,
                summary.due,
                summary.total_today,
                key=summary.deck_id,
            )
        table.display = bool(self.summaries)
        if self.summaries:
            table.move_cursor(row=min(row, len(self.summaries) - 1))
            table.focus()
        new = sum(s.new for s in self.summaries)
        repeats = sum(s.repeats for s in self.summaries)
        due = sum(s.due for s in self.summaries)
        total = sum(s.total_today for s in self.summaries)
        today = self.query_one("#today", Static)
        if total:
            today.update(
                Content.assemble(
                    ("Today ", "bold"),
                    (f"{total}", "bold $text-primary"),
                    f" cards: {due} due, {new} new, {repeats} to repeat",
                )
            )
        elif self.summaries:
            today.update(Content.styled("All done for today.", "bold $text-success"))
        else:
            today.update("")
        empty = self.query_one("#empty", Static)
        if not self.summaries:
            folders = ", ".join(visible(str(d)) for d in self.quiz_app.ctx.deck_dirs)
            empty.update(
                Content.assemble(
                    ("No decks yet. ", "bold"),
                    "Put deck files (.yaml) in one of: ",
                    (folders, "$text-muted"),
                )
            )
        empty.display = not self.summaries
        self.show_problems()
        if self.model_problems is None:
            self.model_problems = ()
            self.run_worker(self.check_models(), group="cli-models", exit_on_error=False)
        await self.refresh_sync_line()
        self.refresh_bindings()

    def show_problems(self) -> None:
        """The broken decks and the CLI models left out, when there are any."""
        results = self.quiz_app.backend.loaded.results
        problems = self.query_one("#problems", Static)
        problems.update(problems_content(results, self.model_problems or ()))
        problems.display = bool(self.model_problems) or any(r.deck is None for r in results)

    async def check_models(self) -> None:
        """Read the authors' CLI models off the UI thread, after the counts are up (start-up
        loads nothing more before them), and list those left out."""
        dirs = tuple(self.quiz_app.ctx.deck_dirs)
        self.model_problems = await asyncio.to_thread(author_model_problems, dirs)
        if self.model_problems:
            self.show_problems()

    async def refresh_sync_line(self) -> None:
        """The line on device sync: last sync, answers waiting, why the server is unreachable
        (shown only when a sync URL is configured)."""
        backend = self.quiz_app.backend
        status = await backend.sync_status()
        line = self.query_one("#sync-line", Static)
        if status is None:
            # auto = true without a URL would sync nothing, without a word: say why.
            line.update(Content.styled(NO_SYNC_URL, "$text-warning"))
            line.display = backend.loaded.settings.sync_auto
            return
        style = "$text-warning" if status.error else "$text-muted"
        line.update(Content.styled(visible(status.line()), style))
        line.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("study_selected", "study_all", "quiz", "stats"):
            return bool(self.summaries) or None
        return True

    def selected(self) -> DeckSummary | None:
        table = self.query_one("#decks", DataTable)
        if not self.summaries or table.cursor_row < 0:
            return None
        return self.summaries[min(table.cursor_row, len(self.summaries) - 1)]

    @on(DataTable.RowSelected, "#decks")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study_selected()

    def action_study_selected(self) -> None:
        summary = self.selected()
        if summary is not None:
            self.quiz_app.study([summary.deck_id], summary.title)

    def action_study_all(self) -> None:
        if self.summaries:
            self.quiz_app.study(None, "All decks")

    def action_quiz(self) -> None:
        from quizapp.tui.screens.quiz import QuizSetupScreen

        if not self.summaries:
            return
        selected = self.selected()
        self.app.push_screen(
            QuizSetupScreen(self.summaries, selected.deck_id if selected else None)
        )

    def action_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        if self.summaries:
            selected = self.selected()
            self.app.push_screen(
                StatsScreen(self.summaries, selected.deck_id if selected else None)
            )
