"""Decks (and optionally their progress) as a genanki package plus the scheduling to apply.

`build_package` is pure apart from genanki objects: it reads no clock and no files; the time
stamps notes get and the learner's rollover hour are passed in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import genanki

from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard, Deck
from quizapp.export import notetypes
from quizapp.export.schedule import CardSchedule, RevlogRow, card_schedules, revlog_rows
from quizapp.export.text import (
    choices_html,
    cloze_html,
    literal_html,
    note_tags,
    text_html,
)

if TYPE_CHECKING:
    from quizapp.storage.repository import ItemProgress, ReviewRecord

DEFAULT_ROLLOVER_HOUR = 4


@dataclass(frozen=True, slots=True)
class ExportedDeck:
    deck_id: str
    name: str
    """The Anki deck name: the title (`Docker::Networking` nests)."""
    anki_id: int
    notes: int
    cards: int


@dataclass(frozen=True, slots=True)
class AnkiPackage:
    """Everything the writer needs: genanki's package, then what genanki cannot express."""

    package: genanki.Package
    decks: tuple[ExportedDeck, ...]
    schedules: tuple[CardSchedule, ...]
    revlog: tuple[RevlogRow, ...]
    now: datetime
    rollover_hour: int

    @property
    def notes(self) -> int:
        return sum(deck.notes for deck in self.decks)

    @property
    def cards(self) -> int:
        return sum(deck.cards for deck in self.decks)


def anki_deck_id(deck_id: str) -> int:
    """A stable Anki deck id for a quizapp deck id, in genanki's range [2**30, 2**31)."""
    digest = hashlib.sha256(f"quizapp-deck:{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(deck_id: str, card_id: str) -> str:
    """The note's GUID: the same deck id and card id give the same note in Anki, edits or not."""
    return genanki.guid_for(deck_id, card_id)


def choice_order(card_id: str, choices: Sequence[str]) -> list[str]:
    """The choices in a fixed, shuffled-looking order for Anki.

    Decks usually list the answer first and quizapp shuffles them when it asks, but an Anki
    note's field is fixed: in deck order the first choice would always be right. The order
    depends only on the card id and each choice's text, so exporting again gives the same
    field (no needless note update in Anki).
    """
    return sorted(
        choices, key=lambda choice: hashlib.sha256(f"{card_id}\0{choice}".encode()).digest()
    )


def deck_names(decks: Sequence[Deck]) -> list[str]:
    """Anki deck names: the titles, with the deck id added where two titles would clash."""
    counts: dict[str, int] = {}
    for deck in decks:
        key = _name_key(deck.title)
        counts[key] = counts.get(key, 0) + 1
    return [
        deck.title.strip()
        if counts[_name_key(deck.title)] == 1
        else f"{deck.title.strip()} ({deck.id})"
        for deck in decks
    ]


def build_package(
    decks: Sequence[Deck],
    progress: Sequence[ItemProgress] | None = None,
    reviews: Sequence[ReviewRecord] | None = None,
    *,
    now: datetime,
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
) -> AnkiPackage:
    """Notes for every card of `decks`; with `progress`/`reviews`, their Anki scheduling too."""
    models = _Models()
    anki_decks: list[genanki.Deck] = []
    exported: list[ExportedDeck] = []
    guids: dict[tuple[str, str], str] = {}
    position = 0
    for deck, name in zip(decks, deck_names(decks), strict=True):
        anki_deck = genanki.Deck(anki_deck_id(deck.id), name, text_html(deck.description or ""))
        cards = 0
        for card in deck.cards:
            position += 1
            guid = note_guid(deck.id, card.id)
            guids[(deck.id, card.id)] = guid
            model, fields = models.note_content(card)
            anki_deck.add_note(
                genanki.Note(
                    model=model,
                    fields=fields,
                    tags=note_tags(deck.tags, card.tags, card.section),
                    guid=guid,
                    due=position,
                )
            )
            cards += len(card.item_ids)
        anki_decks.append(anki_deck)
        exported.append(ExportedDeck(deck.id, name, anki_deck.deck_id, len(deck.cards), cards))
    return AnkiPackage(
        package=genanki.Package(anki_decks),
        decks=tuple(exported),
        schedules=tuple(card_schedules(progress or (), guids)),
        revlog=tuple(revlog_rows(reviews or (), guids)),
        now=now,
        rollover_hour=rollover_hour,
    )


class _Models:
    """One instance of each note type per package (genanki fills them in while writing)."""

    def __init__(self) -> None:
        self.basic = notetypes.basic_model()
        self.command = notetypes.command_model()
        self.cloze = notetypes.cloze_model()
        self.choice = notetypes.choice_model()

    def note_content(self, card: Card) -> tuple[genanki.Model, list[str]]:
        explain = text_html(card.explain or "")
        match card:
            case BasicCard():
                return self.basic, [text_html(card.front), text_html(card.back), explain]
            case CommandCard():
                prefix = literal_html(card.prefix or "")
                return self.command, [
                    text_html(card.prompt),
                    prefix,
                    literal_html(card.answer),
                    explain,
                ]
            case ClozeCard():
                return self.cloze, [cloze_html(card.text), explain]
            case ChoiceCard():
                choices = choices_html(choice_order(card.id, card.choices))
                fields = [text_html(card.question), choices]
                return self.choice, [*fields, text_html(card.answer), explain]
        raise TypeError(f"not a card: {card!r}")


def _name_key(title: str) -> str:
    return "::".join(level.strip() for level in title.split("::")).casefold()
