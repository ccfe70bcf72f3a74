"""An input that looks like a shell prompt: `$ ` and the card's prefix, fixed, then the cursor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Input, Label


class ShellPrompt(HorizontalGroup):
    """`$ docker network ▏`: the label is not part of the input, so it cannot be edited."""

    def __init__(self, prefix: str | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.prefix = prefix

    def compose(self) -> ComposeResult:
        text = "$ " + (f"{self.prefix} " if self.prefix else "")
        yield Label(text, markup=False, classes="prompt-sign")
        yield Input(compact=True, id="answer", select_on_focus=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)
