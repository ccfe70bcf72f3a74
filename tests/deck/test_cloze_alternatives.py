"""Cloze alternatives (`alternatives: {c1: [src]}`): read into the card, checked with positions,
graded as right answers of their deletion, and kept by the deck cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.deck.model import ClozeCard
from quizapp.deck_cache import DeckCache
from quizapp.deckfiles import load_deck_text
from quizapp.grading import Verdict, grade_card

HEAD = "deck: t\ntitle: T\ncards:\n"

GOOD = (
    HEAD
    + """\
  - id: mount
    type: cloze
    section: s
    text: "In --mount, {{c1::source}} is the volume and {{c2::target}} the path."
    alternatives:
      c1: [src]
      c2: [dst, destination]
"""
)


def _problems(text: str) -> list[str]:
    result = load_deck_text(text, Path("d.yaml"))
    return [f"{p.line}:{p.column}: {p.severity}: {p.message}" for p in result.problems]


def test_alternatives_are_read_per_deletion() -> None:
    deck = load_deck_text(GOOD, Path("d.yaml")).deck
    assert deck is not None
    card = deck.cards[0]
    assert isinstance(card, ClozeCard)
    assert card.alternatives == ((1, ("src",)), (2, ("dst", "destination")))
    assert card.alternatives_for(2) == ("dst", "destination")
    assert card.alternatives_for(3) == ()
    assert card.item_ids == ("mount#c1", "mount#c2")


@pytest.mark.parametrize(
    ("number", "typed", "verdict"),
    [
        (1, "source", Verdict.RIGHT),
        (1, "src", Verdict.RIGHT),
        (1, " SRC ", Verdict.RIGHT),
        (1, "dst", Verdict.WRONG),  # another deletion's alternative is not right here
        (2, "destination", Verdict.RIGHT),
        (2, "dst", Verdict.RIGHT),
        (2, "destinaton", Verdict.CLOSE),
        (2, "src", Verdict.WRONG),
        (2, "", Verdict.EMPTY),
    ],
)
def test_alternatives_grade_right_for_their_deletion_only(
    number: int, typed: str, verdict: Verdict
) -> None:
    deck = load_deck_text(GOOD, Path("d.yaml")).deck
    assert deck is not None
    assert grade_card(deck.cards[0], typed, number).verdict is verdict


def test_a_wrong_answer_is_told_the_alternatives_too() -> None:
    deck = load_deck_text(GOOD, Path("d.yaml")).deck
    assert deck is not None
    result = grade_card(deck.cards[0], "path", 2)
    assert result.verdict is Verdict.WRONG
    assert result.explanations == ("the answer is target", "also right: dst, destination")


def test_problems_with_positions() -> None:
    text = (
        HEAD
        + """\
  - id: a
    type: cloze
    section: s
    text: "{{c1::source}} and {{c2::target}}"
    alternatives:
      c1: [src, Source]
      c3: [x]
      foo: [y]
      c2: dst
  - id: b
    section: s
    front: f
    back: b
    alternatives: {c1: [x]}
  - id: c
    type: cloze
    section: s
    text: "{{c1::a}}"
    alternatives: [a]
  - id: d
    type: cloze
    section: s
    text: "{{c1::a}} {{c2::z}}"
    alternatives:
      c1: [b, B]
      c2: [""]
"""
    )
    assert _problems(text) == [
        "9:17: warning: the alternative 'Source' is the answer of c1 itself",
        "10:7: error: alternatives for c3, but the text has no deletion c3 (it has c1, c2)",
        "11:7: error: 'foo' in 'alternatives' is not a deletion: write c1, c2, ...",
        "12:11: error: the alternatives for c2 must be a list, like [src, source], not text",
        "17:5: error: unknown key 'alternatives' in a basic card "
        "('alternatives' belongs to cloze cards)",
        "22:19: error: 'alternatives' must be a mapping, like {c1: [src, source]}, not a list",
        "28:15: warning: the alternative 'B' is listed twice for c1",
        "29:12: error: an entry of 'c2' is empty",
    ]
    assert load_deck_text(text, Path("d.yaml")).deck is None


def test_an_empty_alternatives_field_is_none() -> None:
    text = HEAD + '  - id: a\n    type: cloze\n    section: s\n    text: "{{c1::x}}"\n'
    empty = load_deck_text(text + "    alternatives:\n", Path("d.yaml")).deck
    absent = load_deck_text(text, Path("d.yaml")).deck
    assert empty is not None and absent is not None
    assert empty.cards == absent.cards
    assert isinstance(empty.cards[0], ClozeCard) and empty.cards[0].alternatives == ()


def test_the_deck_cache_keeps_alternatives(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = DeckCache(tmp_path / "cache").inspect(path)  # parsed, stored, read back
    cached = DeckCache(tmp_path / "cache").inspect(path)  # read from the stored file
    assert first.result.deck is not None and cached.result.deck is not None
    assert list(first.result.deck.cards) == list(cached.result.deck.cards)
    card = cached.result.deck.cards[0]
    assert isinstance(card, ClozeCard)
    assert card.alternatives == ((1, ("src",)), (2, ("dst", "destination")))
