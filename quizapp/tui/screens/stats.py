"""Statistics, overall and per deck: forecast, review heatmap, reviews a day, retention, streak."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.tui.jobs import run_reported
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.text import plain
from quizapp.tui.widgets.charts import DailyBars, ForecastChart, Heatmap
from quizapp.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from datetime import date

    from quizapp.storage.repository import DeckSummary, Stats

ALL = "__all__"


def numbers_content(stats: Stats, predicted: float | None = None) -> Content:
    """The headline figures, two columns of label and value; `predicted`: FSRS's predicted
    retention today over the FSRS decks shown (None: no FSRS deck)."""
    retention = (
        "—" if stats.retention_30_days is None else f"{round(100 * stats.retention_30_days)}%"
    )
    streak = f"{stats.streak} day" + ("" if stats.streak == 1 else "s")
    pairs = [
        ("Due today", str(stats.due_today), "Reviews today", str(stats.reviews_today)),
        ("Tomorrow", str(stats.due_tomorrow), "Retention 30d", retention),
        ("In 7 days", str(stats.due_7_days), "Streak", streak),
        ("In 30 days", str(stats.due_30_days), *_predicted(predicted)),
    ]
    lines = [
        Content.assemble(
            (f"{left:<10}", "$text-muted"),
            (f"{left_value:>5}", "bold"),
            "   ",
            (f"{right:<14}", "$text-muted"),
            (right_value, "bold"),
        )
        for left, left_value, right, right_value in pairs
    ]
    return Content("\n").join(lines)


def _predicted(predicted: float | None) -> tuple[str, str]:
    if predicted is None:
        return "", ""
    return "Recall today", f"{100 * predicted:.0f}% (FSRS)"


def daily_counts(reviews_per_day: dict[date, int], today: date, days: int) -> list[int]:
    """Reviews on each of the last `days` days, oldest first, zeros included."""
    return [
        reviews_per_day.get(today - timedelta(days=offset), 0) for offset in range(days - 1, -1, -1)
    ]


class StatsScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s", "leave", "Home", id="stats.home", tooltip="Back to the decks"),
        Binding("q", "app.quit", "Quit", id="stats.quit"),
    ]

    def __init__(self, summaries: list[DeckSummary], selected: str | None = None) -> None:
        super().__init__()
        self.summaries = summaries
        self.selected = selected

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stats-body"):
            yield OptionList(
                Option("All decks", id=ALL),
                *(Option(plain(s.title), id=s.deck_id) for s in self.summaries),
                id="stats-decks",
            )
            with VerticalScroll(id="stats-main"):
                yield Static(id="stats-numbers")
                yield Static(
                    Content.styled("Due in the next 30 days", "bold"), classes="chart-title"
                )
                yield ForecastChart(id="forecast")
                yield Static(
                    Content.styled("Reviews, last 26 weeks", "bold"), classes="chart-title"
                )
                yield Heatmap(id="heatmap")
                yield Static(id="per-day-title", classes="chart-title")
                yield DailyBars(id="per-day")
        yield KeyFooter()

    def on_mount(self) -> None:
        options = self.query_one("#stats-decks", OptionList)
        options.highlighted = 0
        options.focus()
        self.load(None)

    @on(OptionList.OptionHighlighted, "#stats-decks")
    def deck_changed(self, event: OptionList.OptionHighlighted) -> None:
        deck_id = event.option.id
        self.load(None if deck_id in (None, ALL) else deck_id)

    def load(self, deck_id: str | None) -> None:
        async def fetch() -> None:
            app = self.quiz_app
            stats = await app.backend.stats(app.today, deck_id)
            predicted = await app.backend.predicted_retention(app.now(), deck_id)
            self.show(stats, app.today, predicted)

        run_reported(self, fetch(), group="stats", exclusive=True)

    def show(self, stats: Stats, today: date, predicted: float | None = None) -> None:
        self.query_one("#stats-numbers", Static).update(numbers_content(stats, predicted))
        self.query_one("#forecast", ForecastChart).counts = tuple(stats.forecast)
        self.query_one("#heatmap", Heatmap).update(stats.reviews_per_day, today)
        last_30 = daily_counts(stats.reviews_per_day, today, 30)
        average = sum(last_30) / 30
        self.query_one("#per-day-title", Static).update(
            Content.assemble(
                ("Reviews a day, last 30 days", "bold"),
                (f"  average {average:.1f}, most {max(last_30)}", "$text-muted"),
            )
        )
        self.query_one("#per-day", DailyBars).counts = tuple(last_30)
        # Every figure may change height: lay the whole page out and draw it again, so no line
        # of the deck shown before stays on screen.
        self.query_one("#stats-main").refresh(layout=True)
        self.refresh(layout=True)

    def action_leave(self) -> None:
        self.app.pop_screen()
