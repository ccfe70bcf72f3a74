"""Shown over everything while the terminal is smaller than the smallest supported size.

Below 40x12 a card, its grades and the footer cannot all be shown; rather than cut them, the
app says so and which size it needs, and goes back to where it was once the terminal is larger.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH = 40
MIN_HEIGHT = 12


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
        background: $background;
    }
    TooSmallScreen Static {
        width: 100%;
        height: auto;
        text-align: center;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(self.message(), id="too-small")

    def message(self) -> Content:
        width, height = self.app.size
        return Content.assemble(
            (f"The terminal is {width}×{height}.", "bold"),
            f" quizapp needs at least {MIN_WIDTH}×{MIN_HEIGHT}: make it larger (ctrl+q quits).",
        )

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(self.message())
