"""One view per card kind: it asks, takes the answer, grades it and shows what was right.

A view posts `CardView.Answered` once the learner has answered (revealed, typed, picked);
the screen then records a grade. Views never touch storage: they are tested on plain cards.
"""

from __future__ import annotations

import functools
import os
import random
import re
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Rule, Static
from textual.widgets.option_list import Option

from quizapp.deck.cloze import CLOZE_RE, answers_for, question_text
from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard, Problem
from quizapp.grading import GradeResult, ModelSet, Verdict, grade_card, grade_choice
from quizapp.grading.result import make_result
from quizapp.tui.text import CODE_STYLE, code_pieces, code_text, deck_text, join, safe_part
from quizapp.tui.widgets.prompt import ShellPrompt

CHOICE_KEY_STYLE = "bold $text-primary"
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


_MARK_RE = re.compile("\ue000(\\d+)\ue001")


def cloze_answer_content(text: str, number: int | None) -> Content:
    """The full cloze text, the asked deletion's answer highlighted.

    Backtick code is found in the whole text with each deletion stood in by a mark, so a span
    around a deletion (`` `FROM {{c1::alpine}}` ``) is code from tick to tick, ticks dropped.
    """
    deletions: list[re.Match[str]] = []

    def mark(match: re.Match[str]) -> str:
        deletions.append(match)
        return f"\ue000{len(deletions) - 1}\ue001"

    parts: list[Content | str | tuple[str, str]] = []
    for piece, code in code_pieces(CLOZE_RE.sub(mark, text)):
        base = CODE_STYLE if code else ""
        position = 0
        for found in _MARK_RE.finditer(piece):
            if found.start() > position:
                parts.append((piece[position : found.start()], base))
            deletion = deletions[int(found.group(1))]
            asked = int(deletion.group(1)) == number
            style = f"{base} bold $text-success" if asked else base
            parts.append(deck_text(deletion.group(2), style.strip()))
            position = found.end()
        if position < len(piece):
            parts.append((piece[position:], base))
    return Content.assemble(*map(safe_part, parts))


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


@functools.cache
def _author_models(deck_dirs: tuple[Path, ...]) -> tuple[ModelSet | None, tuple[Problem, ...]]:
    """The CLI models authors put next to the decks (`*.cli.toml`), read once per session,
    and the problems of those left out."""
    from quizapp.deckfiles import load_cli_models

    models, reports = load_cli_models(list(deck_dirs))
    return models, tuple(problem for report in reports for problem in report.problems)


def author_model_problems(deck_dirs: tuple[Path, ...]) -> tuple[Problem, ...]:
    """Why authors' CLI models were left out (their programs' answers are then read by POSIX
    conventions): for the home screen, which lists them like broken decks."""
    return _author_models(deck_dirs)[1]


def safe_grade(
    card: Card, typed: str, cloze_number: int | None, deck_dirs: tuple[Path, ...] = ()
) -> GradeResult:
    """The grader's verdict; if the grader itself fails, a plain comparison (never a crash).

    Command answers are read with the CLI models found in `deck_dirs` too."""
    try:
        models = _author_models(deck_dirs)[0] if deck_dirs else None
        if models is None:
            return grade_card(card, typed, cloze_number)
        return grade_card(card, typed, cloze_number, models=models)
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
        self.shown_at = 0.0
        """When the screen put this card up (its clock), for the new-card key guard."""

    @property
    def draft(self) -> str:
        """An answer begun and not given yet (typed text); "" when there is none."""
        return ""

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


class TypedView(CardView):
    """Shared by command and cloze cards: an input, graded on Enter.

    An Enter pressed too soon after the card appeared never reaches the input: the screen
    refuses it (`CardScreen.refuses_key`), the same guard for every kind of card.
    """

    def focus_answer(self) -> None:
        if not self.answered:
            self.query_one(Input).focus()

    @property
    def draft(self) -> str:
        """What is typed in the answer box and not checked yet."""
        return "" if self.answered else self.query_one(Input).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.answered:
            return
        typed = event.value
        ctx = getattr(self.app, "ctx", None)
        deck_dirs = tuple(getattr(ctx, "deck_dirs", ()) or ())
        result = safe_grade(self.card, typed, self.cloze_number, deck_dirs)
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


def choice_key(number: int, style: str = CHOICE_KEY_STYLE) -> Content:
    """The key that picks a choice, `[2]`: bracketed and in key colours, so a choice whose own
    text is a number ("3") is never taken for its key."""
    return Content.styled(f"[{number}]", style)


class ChoiceView(CardView):
    """Choices shuffled anew at each showing, keyed `[1]`..`[9]`; a digit or arrows and Enter pick.

    `seed` decides the order: the screen passes a different one each time it shows a card, so
    a repeated card never comes back in the order that was just learned by position.
    """

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
                Option(join([choice_key(n), "  ", deck_text(choice)]), id=f"c{n}")
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
                    join(
                        [
                            choice_key(n, f"{CHOICE_KEY_STYLE} {style}"),
                            Content.styled(f" {mark} ", style),
                            deck_text(choice, style),
                        ]
                    ),
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
