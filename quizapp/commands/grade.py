"""`quizapp grade DECK_FILE CARD_ID ANSWER...`: how deck authors check their answers.

Prints the verdict, the proposed grade, the accepted answer compared against, each
difference in words and a one-line diff. Exit 0 when right, 1 when close, wrong or empty,
2 when the file, the deck or the card cannot be used (with a message, never a traceback).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import TextIO

from quizapp.deck.model import BasicCard, Card, ClozeCard, split_item_id
from quizapp.deckfiles import load_deck
from quizapp.grading.grader import grade_card
from quizapp.grading.models import ModelSet
from quizapp.grading.result import DiffToken, GradeResult, Verdict

EXIT_RIGHT = 0
EXIT_NOT_RIGHT = 1
EXIT_UNUSABLE = 2


class _Unusable(Exception):
    """A reason `quizapp grade` cannot grade at all (exit 2), after the deck's own problems
    (FILE:LINE:COLUMN lines, as `quizapp validate` prints them) when there are any."""

    def __init__(self, reason: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.problems = problems


def render_diff(diff: tuple[DiffToken, ...]) -> str:
    """The token diff on one line: `same`, `[+missing]`, `[-extra]`, `[typed -> expected]`."""
    parts: list[str] = []
    for token in diff:
        if token.kind == "same":
            parts.append(token.typed or "")
        elif token.kind == "missing":
            parts.append(f"[+{token.expected}]")
        elif token.kind == "extra":
            parts.append(f"[-{token.typed}]")
        else:
            parts.append(f"[{token.typed} -> {token.expected}]")
    return " ".join(parts)


def render_result(result: GradeResult, typed: str) -> str:
    lines = [
        f"{result.verdict} (proposed grade {result.proposed_grade})",
        f"typed:   {typed}",
        f"answer:  {result.closest}",
    ]
    lines += [f"  - {explanation}" for explanation in result.explanations]
    if result.diff and result.verdict is not Verdict.RIGHT:
        lines.append(f"diff:    {render_diff(result.diff)}")
    return "\n".join(lines) + "\n"


def _find_card(deck_file: Path, item_id: str) -> tuple[Card, int | None]:
    if not deck_file.exists():
        raise _Unusable(f"{deck_file}: no such file")
    if deck_file.is_dir():
        raise _Unusable(f"{deck_file}: is a folder, not a deck file")
    result = load_deck(deck_file)
    if result.deck is None:
        raise _Unusable(
            f"{deck_file}: the deck has errors, so no card can be graded",
            tuple(str(p) for p in result.errors),
        )
    try:
        card_id, number = split_item_id(item_id)
    except ValueError:
        raise _Unusable(f"{item_id}: not a card id (write CARD_ID or CARD_ID#cN)") from None
    card = result.deck.card(card_id)
    if card is None:
        ids = [c.id for c in result.deck.cards]
        close = difflib.get_close_matches(card_id, ids, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise _Unusable(f"{deck_file}: no card {card_id}{hint}")
    if isinstance(card, BasicCard):
        raise _Unusable(
            f"{card_id} is a basic card: the learner grades it; quizapp grade checks "
            "command, cloze and choice cards"
        )
    if isinstance(card, ClozeCard):
        if number is None and len(card.numbers) > 1:
            items = ", ".join(card.item_ids)
            raise _Unusable(f"{card_id} has several deletions: name one of {items}")
        if number is not None and number not in card.numbers:
            items = ", ".join(card.item_ids)
            raise _Unusable(f"{card_id} has no deletion c{number} (it has {items})")
    elif number is not None:
        raise _Unusable(f"{card_id} is a {card.kind} card: #c{number} only names cloze deletions")
    return card, number


def run_grade(
    deck_file: Path,
    card_id: str,
    answer: str,
    out: TextIO,
    err: TextIO | None = None,
    models: ModelSet | None = None,
) -> int:
    """Grade `answer` against a card of `deck_file`; exit 0 right, 1 close/wrong, 2 not found.

    `models`: the CLI models to read command answers with (the caller reads an author's
    `*.cli.toml` next to the deck; default: the bundled models).

    The result goes to `out`; a reason it cannot grade to `err` (default stderr), as
    `quizapp: error: ...` like every other error.
    """
    try:
        card, number = _find_card(deck_file, card_id)
    except _Unusable as problem:
        stream = err or sys.stderr
        stream.writelines(f"{line}\n" for line in problem.problems)
        stream.write(f"quizapp: error: {problem}\n")
        return EXIT_UNUSABLE
    result = grade_card(card, answer, number, models)
    out.write(render_result(result, answer))
    return EXIT_RIGHT if result.verdict is Verdict.RIGHT else EXIT_NOT_RIGHT
