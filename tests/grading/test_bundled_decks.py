"""The bundled decks' answers are graded right: every command card's answer and accepts, every
cloze deletion and its alternatives, and what a Docker expert types (expert_answers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.deck.cloze import answers_for
from quizapp.deck.model import ClozeCard, CommandCard, Deck, split_item_id
from quizapp.deckfiles import load_deck
from quizapp.grading import Verdict, grade_card, grade_command, unknown_docker_command
from tests.grading.expert_answers import EXPERT_ANSWERS, NOT_THE_SAME

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


# --- cloze cards: every deletion and each of its alternatives (issue 17) ----------------------

EXPERT_TARGET = 0.97
"""Share of EXPERT_ANSWERS that must be graded right (issue 17)."""


def _decks() -> dict[str, Deck]:
    found: dict[str, Deck] = {}
    for path in sorted(DECKS.glob("*.yaml")):
        deck = load_deck(path).deck
        if deck is not None:
            found[deck.id] = deck
    return found


DECK_BY_ID = _decks()


def _cloze_answers() -> list[tuple[str, ClozeCard, int, str]]:
    found: list[tuple[str, ClozeCard, int, str]] = []
    for deck_id, deck in DECK_BY_ID.items():
        for card in deck.cards:
            if isinstance(card, ClozeCard):
                for number in card.numbers:
                    typed = ", ".join(answers_for(card.text, number))
                    found.append((deck_id, card, number, typed))
                    found += [(deck_id, card, number, alt) for alt in card.alternatives_for(number)]
    return found


CLOZE_ANSWERS = _cloze_answers()


@pytest.mark.parametrize(
    ("deck", "card", "number", "typed"),
    CLOZE_ANSWERS,
    ids=[f"{deck}:{card.id}#c{number}:{typed}" for deck, card, number, typed in CLOZE_ANSWERS],
)
def test_each_cloze_answer_and_alternative_is_right(
    deck: str, card: ClozeCard, number: int, typed: str
) -> None:
    result = grade_card(card, typed, number)
    assert result.verdict is Verdict.RIGHT, (deck, card.id, number, typed, result.explanations)


def _grade(deck_id: str, item_id: str, typed: str) -> Verdict:
    card_id, number = split_item_id(item_id)
    deck = DECK_BY_ID[deck_id]
    card = deck.card(card_id)
    assert card is not None, (deck_id, item_id)
    return grade_card(card, typed, number).verdict


def test_what_a_docker_expert_types_is_graded_right_at_least_97_percent() -> None:
    graded = [(row, _grade(*row)) for row in EXPERT_ANSWERS]
    missed = [row for row, verdict in graded if verdict is not Verdict.RIGHT]
    rate = 1 - len(missed) / len(graded)
    assert len(graded) >= 250
    assert rate >= EXPERT_TARGET, (f"{rate:.1%} right", missed)


def test_the_expert_table_covers_every_deck_and_both_kinds() -> None:
    decks = {deck for deck, _, _ in EXPERT_ANSWERS}
    assert decks == set(DECK_BY_ID)
    assert sum("#c" in item for _, item, _ in EXPERT_ANSWERS) >= 90
    assert sum("#c" not in item for _, item, _ in EXPERT_ANSWERS) >= 120


@pytest.mark.parametrize(("deck", "item", "typed"), NOT_THE_SAME)
def test_an_extra_option_that_changes_the_command_is_not_right(
    deck: str, item: str, typed: str
) -> None:
    assert _grade(deck, item, typed) is not Verdict.RIGHT
