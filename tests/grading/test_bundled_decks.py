"""Every command card of the bundled decks grades its own answer and each accept as right."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.deck.loader import load_deck
from quizapp.deck.model import CommandCard
from quizapp.grading import Verdict, grade_command, unknown_docker_command

DECKS = Path(__file__).resolve().parents[2] / "decks"


def _answers() -> list[tuple[str, CommandCard, str]]:
    found: list[tuple[str, CommandCard, str]] = []
    for path in sorted(DECKS.glob("*.yaml")):
        deck = load_deck(path).deck
        if deck is None:
            continue
        for card in deck.cards:
            if isinstance(card, CommandCard):
                found += [(path.name, card, answer) for answer in card.answers]
    return found


ANSWERS = _answers()


def test_the_bundled_decks_load_and_have_command_cards() -> None:
    paths = sorted(DECKS.glob("*.yaml"))
    assert paths, "no bundled decks"
    assert [p.name for p in paths if load_deck(p).deck is None] == []
    assert len(ANSWERS) >= 10


@pytest.mark.parametrize(
    ("deck", "card", "answer"),
    ANSWERS,
    ids=[f"{deck}:{card.id}:{card.answers.index(answer)}" for deck, card, answer in ANSWERS],
)
def test_each_accepted_answer_is_right(deck: str, card: CommandCard, answer: str) -> None:
    result = grade_command(answer, card.answers, card.prefix)
    assert result.verdict is Verdict.RIGHT, (deck, card.id, result.explanations)
    assert unknown_docker_command(answer) is None
    if card.prefix and answer.startswith(card.prefix):
        rest = answer[len(card.prefix) :].strip()
        assert grade_command(rest, card.answers, card.prefix).verdict is Verdict.RIGHT
