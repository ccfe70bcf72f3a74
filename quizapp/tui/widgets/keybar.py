"""A row of clickable key chips ("0 blackout" … "5 perfect", "y right"), one highlighted.

The keys themselves are screen bindings; the bar shows them next to the card and lets the
mouse do the same thing by posting `KeyBar.Picked`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from quizapp.scheduling.sm2 import GRADE_LABELS, GRADE_MEANINGS


@dataclass(frozen=True, slots=True)
class KeyChoice:
    key: str
    label: str
    value: int
    tooltip: str = ""


GRADE_CHOICES: tuple[KeyChoice, ...] = tuple(
    KeyChoice(str(grade), GRADE_LABELS[grade], grade, f"{grade}: {GRADE_MEANINGS[grade]}")
    for grade in range(6)
)
NEXT_CHOICES: tuple[KeyChoice, ...] = (KeyChoice("enter", "next card", 1, "The next card"),)
SELF_GRADE_CHOICES: tuple[KeyChoice, ...] = (
    KeyChoice("y", "right", 1, "I knew it"),
    KeyChoice("n", "wrong", 0, "I did not know it"),
)


class KeyChip(Static):
    """One key and its label; clicking it picks its value."""

    def __init__(self, choice: KeyChoice) -> None:
        super().__init__(
            Content.assemble((choice.key, "bold"), " ", choice.label),
            classes="key-chip",
        )
        self.choice = choice
        if choice.tooltip:
            self.tooltip = choice.tooltip

    def on_click(self, event: events.Click) -> None:
        event.stop()
        bar = self.parent.id if self.parent is not None else None
        self.post_message(KeyBar.Picked(self.choice.value, bar))


class KeyBar(HorizontalGroup):
    """The keys that finish a card; `highlighted` marks the proposed one."""

    class Picked(Message):
        def __init__(self, value: int, bar: str | None = None) -> None:
            super().__init__()
            self.value = value
            self.bar = bar
            """The id of the bar the key was picked in."""

    highlighted: reactive[int | None] = reactive(None)

    def __init__(self, choices: tuple[KeyChoice, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.choices = choices

    def compose(self) -> ComposeResult:
        for choice in self.choices:
            yield KeyChip(choice)

    def watch_highlighted(self, value: int | None) -> None:
        for chip in self.query(KeyChip):
            chip.set_class(chip.choice.value == value, "-proposed")
