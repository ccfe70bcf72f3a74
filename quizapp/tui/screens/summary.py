"""The end of a study session: cards studied, the share answered right, time, due tomorrow."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.widgets import Header, Static

from quizapp.tui.screens.base import NEW_CARD_GUARD, AppScreen
from quizapp.tui.text import format_duration, plain
from quizapp.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from quizapp.tui.screens.study import SessionTally


def summary_content(tally: SessionTally, due_tomorrow: int) -> Content:
    if tally.answers == 0:
        head = Content.styled("All done for today.", "bold $text-success")
        body = Content.styled("Nothing is left to study here today.", "$text-muted")
        return Content("\n").join(
            [head, Content(""), body, Content(""), _line("Due tomorrow", str(due_tomorrow))]
        )
    share = round(100 * tally.right / tally.answers)
    lines = [
        Content.styled("Session done.", "bold $text-success"),
        Content(""),
        _line("Cards studied", str(tally.cards)),
        _line("Answers", str(tally.answers)),
        _line("Right", f"{share}% ({tally.right} of {tally.answers} graded 3 or more)"),
        _line("Time spent", format_duration(tally.seconds)),
        _line("Due tomorrow", str(due_tomorrow)),
    ]
    return Content("\n").join(lines)


def _line(label: str, value: str) -> Content:
    return Content.assemble((f"{label:<14}", "$text-muted"), (value, "bold"))


class SummaryScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "home", "Home", id="summary.home", tooltip="Back to the decks"),
        Binding("q", "app.quit", "Quit", id="summary.quit"),
    ]

    def __init__(self, title: str, tally: SessionTally, due_tomorrow: int) -> None:
        super().__init__()
        self.deck_title = title
        self.tally = tally
        self.due_tomorrow = due_tomorrow
        self.shown_at = 0.0

    def on_mount(self) -> None:
        self.shown_at = self.quiz_app.clock()

    def refuses_key(self, key: str) -> bool:
        """An extra `enter` for the last card does not leave the summary before it is read."""
        return key == "enter" and self.quiz_app.clock() - self.shown_at < NEW_CARD_GUARD

    def compose(self) -> ComposeResult:
        yield Header()
        with (
            Vertical(id="summary-body"),
            Center(),
            Vertical(id="summary-panel", classes="panel") as panel,
        ):
            panel.border_title = plain(self.deck_title)
            yield Static(summary_content(self.tally, self.due_tomorrow), id="summary")
            yield Static(Content.styled("enter: back to the decks", "$text-muted"), classes="hint")
        yield KeyFooter()

    def action_home(self) -> None:
        self.app.pop_screen()
