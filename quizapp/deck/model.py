"""Typed, immutable decks and cards: the shape every other package works with.

A deck file becomes one `Deck`; each card is one of four frozen dataclasses.
A card may yield several reviewable items (a cloze yields one per distinct cN);
`item_ids` names them, and `"card-id#c2"` is how an item is written everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from quizapp.deck.cloze import cloze_numbers
from quizapp.textsafe import visible


class CardKind(StrEnum):
    BASIC = "basic"
    COMMAND = "command"
    CLOZE = "cloze"
    CHOICE = "choice"


@dataclass(frozen=True, slots=True, kw_only=True)
class _CardCommon:
    id: str
    tags: tuple[str, ...] = ()
    section: str | None = None
    explain: str | None = None
    line: int = 0
    """1-based line of the card's mapping in its file (0 when not from a file)."""

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The reviewable items of this card: its id, or one `id#cN` per cloze deletion."""
        return (self.id,)


@dataclass(frozen=True, slots=True, kw_only=True)
class BasicCard(_CardCommon):
    front: str
    back: str
    kind: CardKind = field(default=CardKind.BASIC, init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandCard(_CardCommon):
    prompt: str
    answer: str
    accept: tuple[str, ...] = ()
    prefix: str | None = None
    kind: CardKind = field(default=CardKind.COMMAND, init=False)

    @property
    def answers(self) -> tuple[str, ...]:
        """Every answer that counts as right: the canonical one first."""
        return (self.answer, *self.accept)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClozeCard(_CardCommon):
    text: str
    alternatives: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """Other right answers per deletion, `((1, ("src",)), ...)`, ascending by number: the deck's
    `alternatives: {c1: [src]}` (see docs/deck-format.md). Tuples, so cards stay hashable and
    the deck cache can store them."""
    kind: CardKind = field(default=CardKind.CLOZE, init=False)

    def alternatives_for(self, number: int) -> tuple[str, ...]:
        """The other answers that count as right for deletion `number` (often none)."""
        for n, answers in self.alternatives:
            if n == number:
                return answers
        return ()

    @property
    def numbers(self) -> tuple[int, ...]:
        """The distinct deletion numbers, ascending (`{{c1::..}} {{c3::..}}` -> (1, 3))."""
        return cloze_numbers(self.text)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.id}#c{n}" for n in self.numbers)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceCard(_CardCommon):
    question: str
    choices: tuple[str, ...]
    answer: str
    kind: CardKind = field(default=CardKind.CHOICE, init=False)


Card = BasicCard | CommandCard | ClozeCard | ChoiceCard


@dataclass(frozen=True, slots=True, kw_only=True)
class Deck:
    id: str
    title: str
    cards: tuple[Card, ...]
    description: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    path: Path | None = None
    content_hash: str = ""
    """sha256 hex of the file's bytes; lets storage skip unchanged files."""

    def card(self, card_id: str) -> Card | None:
        for card in self.cards:
            if card.id == card_id:
                return card
        return None


def find_deck(decks: Iterable[Deck], name: str) -> Deck | None:
    """The deck a user named on the command line: by id, else by title (case-insensitive)."""
    decks = list(decks)
    for deck in decks:
        if deck.id == name:
            return deck
    folded = name.casefold()
    for deck in decks:
        if deck.title.casefold() == folded:
            return deck
    return None


def split_item_id(item_id: str) -> tuple[str, int | None]:
    """`"overlay#c2"` -> `("overlay", 2)`; `"bridge"` -> `("bridge", None)`."""
    card_id, sep, cloze = item_id.partition("#")
    if not sep:
        return card_id, None
    if not (cloze.startswith("c") and cloze[1:].isdigit()):
        raise ValueError(f"not an item id: {item_id!r}")
    return card_id, int(cloze[1:])


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a deck file, at the position of the offending key or value."""

    path: Path
    line: int
    column: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        # One line whatever the file name or the message quotes (a key name, a value).
        return visible(f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading one file gives: a deck when it has no errors, and every problem found."""

    path: Path
    deck: Deck | None
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)
