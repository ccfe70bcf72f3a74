"""What the grader says about a corpus pair, and agreement figures per class."""

from __future__ import annotations

from collections import Counter

from quizapp.deck.model import ClozeCard
from quizapp.grading import Verdict, grade_card, grade_command
from tests.oracle.docker_corpus import CLASSES, Pair


def grader_says_same(pair: Pair) -> bool:
    if pair.cls == "cloze":
        card = ClozeCard(id="c", text=pair.answer)  # type: ignore[call-arg]
        return grade_card(card, pair.typed, 1).verdict is Verdict.RIGHT
    return grade_command(pair.typed, [pair.answer], pair.prefix).verdict is Verdict.RIGHT


def agreement(pairs: list[Pair]) -> tuple[dict[str, tuple[int, int]], list[Pair]]:
    """Per class (agreeing, total), and the pairs the grader gets wrong."""
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[Pair] = []
    for pair in pairs:
        total[pair.cls] += 1
        if grader_says_same(pair) == pair.same:
            agree[pair.cls] += 1
        else:
            wrong.append(pair)
    return {c: (agree[c], total[c]) for c in CLASSES if total[c]}, wrong
