"""One view per card kind: it asks, takes the answer, grades it and shows what was right.

A view posts `CardView.Answered` once the learner has answered (revealed, typed, picked);
the screen then records a grade. Views never touch storage: they are tested on plain cards.
"""

from __future__ import annotations

import os
import random
import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Rule, Static
from textual.widgets.option_list import Option

from quizapp.deck.cloze import CLOZE_RE, answers_for, question_text
from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard
from quizapp.grading import GradeResult, Verdict, grade_card, grade_choice
from quizapp.grading.result import make_result
from quizapp.tui.text import code_text, deck_text, join, safe_part
from quizapp.tui.widgets.prompt import ShellPrompt

VERDICT_STYLES: dict[Verdict, tuple[str, str]] = {
    Verdict.RIGHT: ("✔ right", "bold $text-success"),
    Verdict.CLOSE: ("≈ close", "bold $text-warning"),
    Verdict.WRONG: ("✘ wrong", "bold $text-error"),
    Verdict.EMPTY: ("∅ no answer", "bold $text-error"),
}


def verdict_content(verdict: Verdict) -> Content:
    text, style = VERDICT_STYLES[verdict]
    return Content.styled(text, style)


def diff_content(result: GradeResult) -> Content:
    """The typed answer token by token: extra struck out in red, missing in green."""
    parts: list[Content | str | tuple[str, str]] = []
    for token in result.diff:
        if parts:
            parts.append(" ")
        if token.kind == "same":
            parts.append(token.typed or token.expected or "")
        elif token.kind == "missing":
            parts.append((f"+{token.expected}", "bold $text-success"))
        elif token.kind == "extra":
            parts.append((f"{token.typed}", "strike $text-error"))
        else:
            parts.append((f"{token.typed}", "strike $text-error"))
            parts.append(("→", "$text-muted"))
            parts.append((f"{token.expected}", "bold $text-success"))
    return Content.assemble(*map(safe_part, parts))


def cloze_answer_content(text: str, number: int | None) -> Content:
    """The full cloze text, the asked deletion's answer highlighted."""
    parts: list[Content | str | tuple[str, str]] = []
    position = 0
    for match in CLOZE_RE.finditer(text):
        parts.append(deck_text(text[position : match.start()]))
        style = "bold $text-success" if int(match.group(1)) == number else ""
        parts.append(deck_text(match.group(2), style))
        position = match.end()
    parts.append(deck_text(text[position:]))
    return Content.assemble(*parts)


def answer_content(card: Card, cloze_number: int | None = None) -> Content:
    """The right answer of any card, as shown after answering and in quiz results."""
    if isinstance(card, CommandCard):
        return code_text(card.answer)
    if isinstance(card, ClozeCard):
        return cloze_answer_content(card.text, cloze_number)
    if isinstance(card, ChoiceCard):
        return deck_text(card.answer)
    return deck_text(card.back)


def question_content(card: Card, cloze_number: int | None = None) -> Content:
    """What a card asks, in one piece of text (quiz results, the edit notice)."""
    if isinstance(card, CommandCard):
        return deck_text(card.prompt)
    if isinstance(card, ClozeCard):
        return deck_text(question_text(card.text, cloze_number or 1))
    if isinstance(card, ChoiceCard):
        return deck_text(card.question)
    return deck_text(card.front)


def outcome_content(card: Card, result: GradeResult, cloze_number: int | None = None) -> Content:
    """Verdict, diff, explanations, the canonical answer: everything shown after grading."""
    explanations = list(result.explanations)
    head = verdict_content(result.verdict)
    if result.verdict is Verdict.RIGHT and explanations and explanations[0].startswith("right: "):
        # right only after normalisation: the verdict line itself shows the canonical form
        note = explanations.pop(0).removeprefix("right")
        head = join([head, deck_text(note, "$text-success")])
    lines: list[Content] = [head]
    if result.diff and result.verdict is not Verdict.RIGHT and isinstance(card, CommandCard):
        lines.append(join([Content.styled("you   ", "$text-muted"), diff_content(result)]))
    for explanation in explanations:
        lines.append(join([Content.styled("  • ", "$text-muted"), deck_text(explanation)]))
    label = "text  " if isinstance(card, ClozeCard) else "answer "
    lines.append(join([Content.styled(label, "$text-muted"), answer_content(card, cloze_number)]))
    if isinstance(card, CommandCard) and result.closest and result.closest != card.answer:
        lines.append(join([Content.styled("closest ", "$text-muted"), code_text(result.closest)]))
    return Content("\n").join(lines)


def safe_grade(card: Card, typed: str, cloze_number: int | None) -> GradeResult:
    """The grader's verdict; if the grader itself fails, a plain comparison (never a crash)."""
    try:
        return grade_card(card, typed, cloze_number)
    except Exception:
        if os.environ.get("QUIZAPP_DEBUG"):
            raise
        if isinstance(card, CommandCard):
            expected: tuple[str, ...] = card.answers
        elif isinstance(card, ClozeCard):
            expected = (" ".join(answers_for(card.text, cloze_number or 1)),)
        else:
            expected = ()
        words = " ".join(typed.split())
        if not words:
            verdict = Verdict.EMPTY
        elif any(words == " ".join(answer.split()) for answer in expected):
            verdict = Verdict.RIGHT
        else:
            verdict = Verdict.WRONG
        return make_result(verdict, expected[0] if expected else "")


class CardView(Vertical):
    """The common part: a question, an outcome area, and the `Answered` message."""

    class Answered(Message):
        """The learner answered; `result` is None for a self-graded basic card."""

        def __init__(self, view: CardView, typed: str | None, result: GradeResult | None) -> None:
            super().__init__()
            self.view = view
            self.typed = typed
            self.result = result

    def __init__(self, card: Card, cloze_number: int | None = None, seed: int = 0) -> None:
        super().__init__(classes="card-view")
        self.card = card
        self.cloze_number = cloze_number
        self.seed = seed
        self.answered = False
        self.result: GradeResult | None = None
        self.typed: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.question(), classes="question")
        yield from self.compose_answer()
        yield Rule(line_style="dashed", classes="after")
        yield Static(classes="outcome after")
        if self.card.explain:
            yield Static(deck_text(self.card.explain), classes="explain after")

    def question(self) -> Content:
        return question_content(self.card, self.cloze_number)

    def compose_answer(self) -> ComposeResult:
        yield from ()

    def focus_answer(self) -> None:
        """Put the cursor where the learner answers (the input, the choices)."""

    def finish(self, typed: str | None, result: GradeResult | None) -> None:
        if self.answered:
            return
        self.answered = True
        self.typed = typed
        self.result = result
        self.add_class("-answered")
        outcome = self.query_one(".outcome", Static)
        outcome.update(self.outcome())
        self.post_message(self.Answered(self, typed, result))

    def outcome(self) -> Content:
        assert self.result is not None
        return outcome_content(self.card, self.result, self.cloze_number)


class BasicView(CardView):
    """Front first; space or Enter shows the back (and the explanation)."""

    card: BasicCard

    def reveal(self) -> None:
        self.finish(None, None)

    def on_click(self) -> None:
        self.reveal()

    def outcome(self) -> Content:
        return deck_text(self.card.back)


EMPTY_ENTER_GRACE = 0.4
"""Seconds after a card appears during which Enter on an empty input is ignored: it is the
learner's Enter for the previous card arriving late, not a wish to give up on this one."""


class TypedView(CardView):
    """Shared by command and cloze cards: an input, graded on Enter."""

    shown_at: float = 0.0

    def _clock(self) -> float:
        clock = getattr(self.app, "clock", None)
        return clock() if callable(clock) else time.monotonic()

    def on_mount(self) -> None:
        self.shown_at = self._clock()

    def focus_answer(self) -> None:
        if not self.answered:
            self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.answered:
            return
        typed = event.value
        if not typed.strip() and self._clock() - self.shown_at < EMPTY_ENTER_GRACE:
            return
        result = safe_grade(self.card, typed, self.cloze_number)
        event.input.disabled = True
        self.finish(typed, result)


class CommandView(TypedView):
    card: CommandCard

    def compose_answer(self) -> ComposeResult:
        yield ShellPrompt(self.card.prefix, classes="answer-row")


class ClozeView(TypedView):
    card: ClozeCard

    def compose_answer(self) -> ComposeResult:
        yield Input(
            placeholder="the missing words", compact=True, id="answer", classes="answer-row"
        )


class ChoiceView(CardView):
    """Choices shuffled with the session's seed, numbered; a digit or arrows and Enter pick."""

    card: ChoiceCard

    def __init__(self, card: Card, cloze_number: int | None = None, seed: int = 0) -> None:
        super().__init__(card, cloze_number, seed)
        assert isinstance(card, ChoiceCard)
        order = list(card.choices)
        random.Random(f"{seed}:{card.id}").shuffle(order)
        self.order: tuple[str, ...] = tuple(order)

    def compose_answer(self) -> ComposeResult:
        yield OptionList(
            *(
                Option(join([Content.styled(f"{n} ", "bold"), deck_text(choice)]), id=f"c{n}")
                for n, choice in enumerate(self.order, start=1)
            ),
            compact=True,
            classes="answer-row",
        )

    def focus_answer(self) -> None:
        if not self.answered:
            self.query_one(OptionList).focus()

    def pick(self, number: int) -> bool:
        """Pick choice `number` (1-based); False when there is no such choice."""
        if self.answered or not 1 <= number <= len(self.order):
            return False
        picked = self.order[number - 1]
        result = grade_choice(picked, self.card.answer)
        options = self.query_one(OptionList)
        options.clear_options()
        for n, choice in enumerate(self.order, start=1):
            if choice == self.card.answer:
                mark, style = "✔", "$text-success"
            elif n == number:
                mark, style = "✘", "$text-error"
            else:
                mark, style = " ", "$text-muted"
            options.add_option(
                Option(
                    join([Content.styled(f"{n} {mark} ", style), deck_text(choice, style)]),
                    id=f"c{n}",
                )
            )
        options.highlighted = number - 1
        options.disabled = True
        self.finish(picked, result)
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index is not None:
            self.pick(event.option_index + 1)

    def outcome(self) -> Content:
        assert self.result is not None
        return join(
            [
                verdict_content(self.result.verdict),
                Content.styled("   answer ", "$text-muted"),
                deck_text(self.card.answer),
            ]
        )


def view_for(card: Card, cloze_number: int | None = None, seed: int = 0) -> CardView:
    """The view that asks `card` (one deletion of a cloze)."""
    if isinstance(card, CommandCard):
        return CommandView(card, cloze_number, seed)
    if isinstance(card, ClozeCard):
        return ClozeView(card, cloze_number, seed)
    if isinstance(card, ChoiceCard):
        return ChoiceView(card, cloze_number, seed)
    return BasicView(card, cloze_number, seed)
