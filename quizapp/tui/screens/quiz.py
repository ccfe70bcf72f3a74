"""Quizzes: pick decks and a count, answer cards drawn at random, get a score and the misses.

A quiz never changes SM-2 state: answers are logged with `session_kind="quiz"` and nothing else.
Basic cards are self-graded (reveal, then `y` right or `n` wrong). Every kind ends the same
way: the verdict stays on screen and `enter` goes on, so no key moves on by itself and an extra
`enter` never lands on the next card. `u` takes back the answer on screen; leaving early shows
the score so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, HorizontalGroup, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from quizapp.grading import Verdict
from quizapp.scheduling.queue import Candidate, quiz_items
from quizapp.tui.backend import Item
from quizapp.tui.screens.base import NEW_CARD_GUARD, AppScreen
from quizapp.tui.screens.study import PICK_GROUP, CardScreen, answer_box_bindings
from quizapp.tui.text import code_text, join, plain
from quizapp.tui.widgets.cards import (
    BasicView,
    CardView,
    answer_content,
    question_content,
    verdict_content,
)
from quizapp.tui.widgets.footer import KeyFooter
from quizapp.tui.widgets.keybar import NEXT_CHOICES, SELF_GRADE_CHOICES, KeyBar

if TYPE_CHECKING:
    from quizapp.storage.repository import DeckSummary

DEFAULT_COUNT = 20


@dataclass(frozen=True, slots=True)
class QuizPlan:
    deck_ids: tuple[str, ...]
    count: int
    title: str


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    item: Item
    typed: str | None
    right: bool
    verdict: Verdict | None


class QuizSetupScreen(ModalScreen[None]):
    """Which decks, how many cards."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel", id="quiz-setup.cancel"),
    ]

    def __init__(self, summaries: list[DeckSummary], selected: str | None = None) -> None:
        super().__init__()
        self.summaries = summaries
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(id="quiz-setup", classes="panel") as panel:
            panel.border_title = "Quiz"
            yield Label("Decks (space toggles)")
            yield SelectionList[str](
                *(
                    Selection(plain(s.title), s.deck_id, True, id=f"deck-{s.deck_id}")
                    for s in self.summaries
                ),
                id="quiz-decks",
            )
            with HorizontalGroup(id="quiz-count-row"):
                yield Label("Cards (type a number) ", classes="count-label")
                yield Input(
                    str(DEFAULT_COUNT),
                    type="integer",
                    compact=True,
                    id="quiz-count",
                    max_length=4,
                )
            yield Static(id="quiz-error")
            with HorizontalGroup(id="quiz-buttons"):
                yield Button("Start", variant="primary", id="quiz-start", compact=True)
                yield Button("Cancel", id="quiz-cancel", compact=True)
            yield Static(
                Content.styled("enter: start · tab: next field · escape: cancel", "$text-muted")
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#quiz-count", Input).focus()

    @on(Input.Submitted, "#quiz-count")
    @on(Button.Pressed, "#quiz-start")
    def start(self) -> None:
        decks = self.query_one("#quiz-decks", SelectionList)
        deck_ids = tuple(str(value) for value in decks.selected)
        error = self.query_one("#quiz-error", Static)
        try:
            count = int(self.query_one("#quiz-count", Input).value)
        except ValueError:
            count = 0
        if not deck_ids:
            error.update(Content.styled("Pick at least one deck.", "$text-error"))
            return
        if count < 1:
            error.update(Content.styled("The count is a number from 1.", "$text-error"))
            return
        titles = [s.title for s in self.summaries if s.deck_id in deck_ids]
        title = titles[0] if len(titles) == 1 else f"{len(titles)} decks"
        plan = QuizPlan(deck_ids, count, title)
        self.app.switch_screen(QuizScreen(plan))

    @on(Button.Pressed, "#quiz-cancel")
    def cancel(self) -> None:
        self.dismiss()


class QuizScreen(CardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *answer_box_bindings("quiz"),
        Binding("space,enter", "reveal", "Show answer", id="quiz.reveal"),
        Binding("enter", "next", "Next", id="quiz.next", tooltip="The next card"),
        *(
            Binding(str(n), f"pick({n})", "pick", id=f"quiz.pick-{n}", group=PICK_GROUP)
            for n in range(1, 10)
        ),
        Binding("y", "self_grade(1)", "Right", id="quiz.right", tooltip="I knew it"),
        Binding("n", "self_grade(0)", "Wrong", id="quiz.wrong", tooltip="I did not know it"),
        Binding(
            "u,ctrl+z",
            "undo_answer",
            "Undo answer",
            id="quiz.undo-answer",
            tooltip="Take back the answer on screen and ask this card again",
        ),
        Binding(
            "e",
            "source",
            "Source",
            id="quiz.source",
            tooltip="Where this card is written (file and line)",
        ),
        Binding("escape", "leave", "Stop", id="quiz.home", tooltip="Stop here: the score so far"),
    ]

    def __init__(self, plan: QuizPlan) -> None:
        super().__init__(f"Quiz · {plan.title}")
        self.plan = plan
        self.items: list[Candidate] = []
        self.index = 0
        self.answers: list[QuizAnswer] = []
        self.done = False
        self.self_graded = False
        """The basic card on screen got its y or n (it is logged; enter goes on)."""
        self.logged_review: int | None = None
        """The log row of the answer on screen, which `u` removes."""

    def compose_bar(self) -> ComposeResult:
        yield KeyBar(SELF_GRADE_CHOICES, id="self-grade")
        yield KeyBar(NEXT_CHOICES, id="next")

    def on_mount(self) -> None:
        self.query_one("#self-grade").display = False
        self.query_one("#next").display = False
        self.serial(self.start)

    async def start(self) -> None:
        app = self.quiz_app
        everything = app.backend.all_items(self.plan.deck_ids)
        self.items = quiz_items(everything, self.plan.count, app.seed)
        await self.show_next()

    async def show_next(self) -> None:
        self.self_graded = False
        self.logged_review = None
        self.query_one("#self-grade").display = False
        self.query_one("#next").display = False
        while self.index < len(self.items):
            item = self.quiz_app.backend.item(self.items[self.index])
            if item is not None:
                break
            self.index += 1
        else:
            await self.finish()
            return
        self.query_one("#progress", Static).update(
            Content.styled(
                f"  {self.index + 1} / {len(self.items)} · {self.score} right", "$text-muted"
            )
        )
        await self.show_item(item, self.quiz_app.seed)
        self.set_hint(self.ask_hint())
        self.refresh_bindings()

    @property
    def score(self) -> int:
        return sum(1 for answer in self.answers if answer.right)

    def after_answer(self, event: CardView.Answered) -> None:
        if event.result is None:
            self.query_one("#self-grade").display = True
            self.set_hint(Content.styled("did you know it?", "$text-muted"))
            return
        right = event.result.verdict is Verdict.RIGHT
        self.serial(
            lambda: self.log_answer(right, event.result.proposed_grade if event.result else 1)
        )
        self.query_one("#next").display = True
        self.set_hint("")

    async def log_answer(self, right: bool, grade: int) -> None:
        if self.item is None or self.view is None:
            return
        app = self.quiz_app
        candidate = self.items[self.index]
        result = self.view.result
        record = await app.backend.record(
            candidate,
            grade=grade,
            typed=self.view.typed,
            correct=right,
            duration_ms=max(0, round((self.answered_at - self.shown_at) * 1000)),
            now=app.now(),
            today=app.today,
            session_kind="quiz",
        )
        self.logged_review = record.review_id
        self.answers.append(
            QuizAnswer(self.item, self.view.typed, right, result.verdict if result else None)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_answer" and self.in_answer_box:
            return False  # typed into the answer there
        if action == "next":
            return self.answered and (not isinstance(self.view, BasicView) or self.self_graded)
        if action == "self_grade":
            return self.answered and isinstance(self.view, BasicView) and not self.self_graded
        if action == "undo_answer":
            return self.answered
        return super().check_action(action, parameters)

    def on_key_bar_picked(self, event: KeyBar.Picked) -> None:
        if event.bar == "next":
            self.action_next()
        else:
            self.action_self_grade(event.value)

    def action_self_grade(self, right: int) -> None:
        async def grade() -> None:
            if not self.answered or not isinstance(self.view, BasicView) or self.self_graded:
                return
            await self.log_answer(bool(right), 4 if right else 1)
            self.self_graded = True
            self.query_one("#self-grade").display = False
            self.query_one("#next").display = True
            verdict = Verdict.RIGHT if right else Verdict.WRONG
            self.set_hint(
                join([verdict_content(verdict), Content.styled("  enter: next", "$text-muted")])
            )
            self.refresh_bindings()

        self.serial(grade)

    def action_next(self) -> None:
        async def advance() -> None:
            if not self.answered:
                return
            if isinstance(self.view, BasicView) and not self.self_graded:
                return
            self.index += 1
            await self.show_next()

        self.serial(advance)

    def action_undo_answer(self) -> None:
        """`u` on an answered card: its log row and score go, and the card is asked again."""

        async def again() -> None:
            if not self.answered:
                return
            if self.logged_review is not None:
                await self.quiz_app.backend.undo(self.logged_review)
                self.answers.pop()
            await self.show_next()

        self.serial(again)

    def leave(self) -> None:
        """Stopping early: the score of what was answered, if anything was."""
        if self.answers:
            self.done = True
            self.app.switch_screen(
                QuizResultScreen(self.plan, self.answers, planned=len(self.items))
            )
        else:
            self.app.pop_screen()

    async def finish(self) -> None:
        if self.done:
            return
        self.done = True
        await self.clear_panel()
        self.app.switch_screen(QuizResultScreen(self.plan, self.answers))


def results_content(answers: list[QuizAnswer], planned: int | None = None) -> Content:
    """The score, then each missed card with what was typed and the right answer.

    `planned`: the quiz's card count when it was stopped early (the score is then partial).
    """
    right = sum(1 for answer in answers if answer.right)
    total = len(answers)
    share = round(100 * right / total) if total else 0
    lines = [
        Content.assemble(
            ("Score ", "bold"), (f"{right} / {total}", "bold $text-primary"), f"  ({share}%)"
        )
    ]
    if planned is not None:
        lines.append(
            Content.styled(f"Stopped early: {total} of {planned} cards answered.", "$text-muted")
        )
    missed = [answer for answer in answers if not answer.right]
    if not total:
        lines.append(Content.styled("No cards to ask.", "$text-muted"))
    elif not missed:
        lines.append(Content.styled("Nothing missed.", "bold $text-success"))
    else:
        lines += [Content(""), Content.styled(f"Missed ({len(missed)})", "bold")]
    for answer in missed:
        item = answer.item
        lines.append(Content(""))
        lines.append(question_content(item.card, item.cloze_number))
        if answer.verdict is not None:
            typed = code_text(answer.typed) if answer.typed else Content.styled("—", "$text-muted")
            lines.append(
                join(
                    [
                        Content.styled("  you    ", "$text-muted"),
                        typed,
                        "  ",
                        verdict_content(answer.verdict),
                    ]
                )
            )
        lines.append(
            join(
                [
                    Content.styled("  answer ", "$text-muted"),
                    answer_content(item.card, item.cloze_number),
                ]
            )
        )
    return Content("\n").join(lines)


class QuizResultScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "home", "Home", id="quiz-result.home"),
        Binding("q", "app.quit", "Quit", id="quiz-result.quit"),
    ]

    def __init__(
        self, plan: QuizPlan, answers: list[QuizAnswer], *, planned: int | None = None
    ) -> None:
        super().__init__()
        self.plan = plan
        self.answers = answers
        self.planned = planned
        """The quiz's card count when it was stopped early; None when it ran to the end."""
        self.shown_at = 0.0

    def on_mount(self) -> None:
        self.shown_at = self.quiz_app.clock()

    def refuses_key(self, key: str) -> bool:
        """An extra `enter` for the last card does not leave the score before it is read."""
        return key == "enter" and self.quiz_app.clock() - self.shown_at < NEW_CARD_GUARD

    def compose(self) -> ComposeResult:
        yield Header()
        with (
            Center(id="quiz-result-wrap"),
            VerticalScroll(id="quiz-result", classes="panel") as panel,
        ):
            panel.border_title = plain(f"Quiz · {self.plan.title}")
            yield Static(results_content(self.answers, self.planned), id="quiz-score")
        yield KeyFooter()

    def action_home(self) -> None:
        self.app.pop_screen()
