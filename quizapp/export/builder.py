"""Decks (and optionally their progress) as a genanki package, its note rows and scheduling.

genanki builds the package's note types, decks and collection. Its notes are written one
INSERT at a time (and a `genanki.Note` per card is costly to make), so the notes are kept here
as `NoteRow`s: exactly the `notes` row genanki would write and the ordinals of the cards it
would make, which the writer inserts in bulk (see `writer`).

`build_package` is pure apart from genanki objects: it reads no clock and no files; the time
stamps notes get and the learner's rollover hour are passed in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import genanki
from genanki.util import BASE91_TABLE

from quizapp.deck.model import BasicCard, Card, ChoiceCard, ClozeCard, CommandCard, Deck
from quizapp.export import notetypes
from quizapp.export.schedule import (
    AnswerRow,
    CardSchedule,
    FsrsCard,
    RevlogRow,
    card_schedules,
    iter_revlog_rows,
    revlog_rows,
)
from quizapp.export.text import (
    alternatives_html,
    choices_html,
    cloze_html,
    literal_html,
    note_tags,
    text_html,
)
from quizapp.scheduling.day import DEFAULT_ROLLOVER_HOUR
from quizapp.textsafe import without_controls

if TYPE_CHECKING:
    from quizapp.storage.repository import ItemProgress, ReviewRecord


@dataclass(frozen=True, slots=True)
class ExportedDeck:
    deck_id: str
    name: str
    """The Anki deck name: the title (`Docker::Networking` nests)."""
    anki_id: int
    notes: int
    cards: int


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One note as `genanki.Note.write_to_db` writes it, and the ordinals of its cards."""

    guid: str
    model_id: int
    tags: str
    """genanki's form: the tags joined by spaces, with a space before and after."""
    fields: str
    """The fields joined by U+001F."""
    sort_field: str
    due: int
    """The new-card position of the note's cards."""
    ords: tuple[int, ...]
    """Template ordinals of its cards, in genanki's order."""


@dataclass(frozen=True, slots=True)
class AnkiPackage:
    """Everything the writer needs: genanki's package, then what genanki cannot express.

    The genanki decks of `package` know their note types but hold no notes: the notes of
    `decks[i]` are `note_rows[i]`. `revlog` may be a lazy iterable (read while writing).
    """

    package: genanki.Package
    decks: tuple[ExportedDeck, ...]
    note_rows: tuple[tuple[NoteRow, ...], ...]
    schedules: tuple[CardSchedule, ...]
    revlog: Iterable[RevlogRow]
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
    """The note's GUID: the same deck id and card id give the same note in Anki, edits or not.

    The same value as `genanki.guid_for(deck_id, card_id)` (a test checks), in 60% of its time.
    """
    number = int.from_bytes(hashlib.sha256(f"{deck_id}__{card_id}".encode()).digest()[:8], "big")
    digits: list[str] = []
    while number:
        number, digit = divmod(number, 91)
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


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
    titles = [_title(deck.title) for deck in decks]
    counts: dict[str, int] = {}
    for title in titles:
        key = _name_key(title)
        counts[key] = counts.get(key, 0) + 1
    return [
        title if counts[_name_key(title)] == 1 else f"{title} ({deck.id})"
        for deck, title in zip(decks, titles, strict=True)
    ]


def _title(title: str) -> str:
    """A deck name Anki takes: no control characters (U+001F separates its name levels)."""
    return without_controls(title).replace("\n", " ").replace("\t", " ").strip()


def build_package(
    decks: Sequence[Deck],
    progress: Sequence[ItemProgress] | None = None,
    reviews: Iterable[ReviewRecord] | None = None,
    *,
    now: datetime,
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
    answers: Iterable[AnswerRow] | None = None,
    fsrs: Mapping[tuple[str, str], FsrsCard] | None = None,
) -> AnkiPackage:
    """Notes for every card of `decks`; with `progress`/`reviews`, their Anki scheduling too.

    `answers` is the review log in another form: the store's rows, oldest first (by answer
    time, then id), iterated only when the package is written, so a long history is never held
    in memory at once. Pass `reviews` or `answers`, not both.
    """
    if reviews is not None and answers is not None:
        raise ValueError("pass reviews or answers, not both")
    models = _Models()
    anki_decks: list[genanki.Deck] = []
    exported: list[ExportedDeck] = []
    note_rows: list[tuple[NoteRow, ...]] = []
    guids: dict[tuple[str, str], str] = {}
    position = 0
    for deck, name in zip(decks, deck_names(decks), strict=True):
        anki_deck = genanki.Deck(anki_deck_id(deck.id), name, text_html(deck.description or ""))
        rows: list[NoteRow] = []
        cards = 0
        for card in deck.cards:
            position += 1
            guid = note_guid(deck.id, card.id)
            guids[(deck.id, card.id)] = guid
            note_type, fields = models.note_content(card)
            # genanki registers a deck's note types in the order its notes first use them.
            if note_type.model.model_id not in anki_deck.models:
                anki_deck.add_model(note_type.model)
            row = note_type.note_row(
                guid, fields, note_tags(deck.tags, card.tags, card.section), position
            )
            rows.append(row)
            cards += len(row.ords)
        anki_decks.append(anki_deck)
        note_rows.append(tuple(rows))
        exported.append(ExportedDeck(deck.id, name, anki_deck.deck_id, len(rows), cards))
    revlog: Iterable[RevlogRow]
    if answers is not None:
        revlog = _LazyRevlog(answers, guids)
    else:
        revlog = tuple(revlog_rows(reviews or (), guids))
    return AnkiPackage(
        package=genanki.Package(anki_decks),
        decks=tuple(exported),
        note_rows=tuple(note_rows),
        schedules=tuple(card_schedules(progress or (), guids, fsrs)),
        revlog=revlog,
        now=now,
        rollover_hour=rollover_hour,
    )


class _LazyRevlog:
    """Revlog rows made from `answers` each time it is iterated (never all held at once)."""

    def __init__(self, answers: Iterable[AnswerRow], guids: dict[tuple[str, str], str]) -> None:
        self._answers = answers
        self._guids = guids

    def __iter__(self) -> Iterator[RevlogRow]:
        return iter_revlog_rows(self._answers, self._guids)


_BASE91 = "".join(BASE91_TABLE)
_CLOZE_CARD_RE = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)
"""genanki's: each `{{cN::...}}` with N > 0 of a cloze field makes the card of ordinal N-1."""
_CLOZE_FIELD_RE = re.compile(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}")


class _NoteType:
    """A genanki note type and genanki's rule for which cards a note of it gets.

    `note_row` gives the same row and cards as `genanki.Note(...).write_to_db` (genanki's
    `Note._front_back_cards` / `Note._cloze_cards`), without making a genanki.Note.
    """

    def __init__(self, model: genanki.Model) -> None:
        self.model = model
        self.cloze = model.model_type == genanki.Model.CLOZE
        names = [field["name"] for field in model.fields]
        if self.cloze:
            used = set(_CLOZE_FIELD_RE.findall(model.templates[0]["qfmt"]))
            self.cloze_fields = tuple(names.index(name) for name in used if name in names)
        else:
            self.required = tuple(
                (ord_, any if any_or_all == "any" else all, tuple(fields))
                for ord_, any_or_all, fields in model._req
            )

    def note_row(self, guid: str, fields: list[str], tags: list[str], due: int) -> NoteRow:
        if len(fields) != len(self.model.fields):
            raise ValueError(f"{self.model.name} has {len(self.model.fields)} fields, not {fields}")
        if any(" " in tag for tag in tags):
            raise ValueError(f"an Anki tag cannot hold a space: {tags}")
        if self.cloze:
            found: set[int] = set()
            for index in self.cloze_fields:
                numbers = (int(n) for n in _CLOZE_CARD_RE.findall(fields[index]))
                found.update(n - 1 for n in numbers if n > 0)
            ords = tuple(found)
        else:
            ords = tuple(
                ord_ for ord_, op, required in self.required if op(fields[i] for i in required)
            )
        return NoteRow(
            guid=guid,
            model_id=self.model.model_id,
            tags=f" {' '.join(tags)} ",
            fields="\x1f".join(fields),
            sort_field=fields[self.model.sort_field_index],
            due=due,
            ords=ords,
        )


class _Models:
    """One instance of each note type per package (genanki fills them in while writing)."""

    def __init__(self) -> None:
        self.basic = _NoteType(notetypes.basic_model())
        self.command = _NoteType(notetypes.command_model())
        self.cloze = _NoteType(notetypes.cloze_model())
        self.choice = _NoteType(notetypes.choice_model())

    def note_content(self, card: Card) -> tuple[_NoteType, list[str]]:
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
                also = alternatives_html(card.text, card.alternatives)
                return self.cloze, [cloze_html(card.text), explain + also]
            case ChoiceCard():
                shuffled = choice_order(card.id, card.choices)
                choices = choices_html(shuffled, map(card.choices.index, shuffled))
                fields = [text_html(card.question), choices]
                return self.choice, [*fields, text_html(card.answer), explain]
        raise TypeError(f"not a card: {card!r}")


def _name_key(title: str) -> str:
    return "::".join(level.strip() for level in title.split("::")).casefold()
