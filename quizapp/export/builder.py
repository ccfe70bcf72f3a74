"""Decks (and optionally their progress) as an Anki package: decks, note rows, scheduling.

Each card becomes a `NoteRow`: the `notes` row of its note (fields, tags, GUID) and the
ordinals of the cards Anki gives it (see `notetypes.NoteType.card_ords`); the writer inserts
them in bulk into the collection it creates (see `writer` and `collection`).

`build_package` is pure: it reads no clock and no files; the time stamps notes get and the
learner's rollover hour are passed in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

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
    description: str
    """The deck's description, as HTML."""
    notes: int
    cards: int


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One note's `notes` row, and the ordinals of its cards."""

    guid: str
    model_id: int
    tags: str
    """Anki's form: the tags joined by spaces, with a space before and after."""
    fields: str
    """The fields joined by U+001F."""
    sort_field: str
    due: int
    """The new-card position of the note's cards."""
    ords: tuple[int, ...]
    """Template ordinals of its cards, ascending."""


@dataclass(frozen=True, slots=True)
class AnkiPackage:
    """Everything the writer needs: decks, note types, notes, scheduling and the review log.

    The notes of `decks[i]` are `note_rows[i]`. `note_types` are the note types the notes use,
    each with the Anki id of the first deck using it. `revlog` may be a lazy iterable (read
    while writing).
    """

    decks: tuple[ExportedDeck, ...]
    note_types: tuple[tuple[notetypes.NoteType, int], ...]
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
    """A stable Anki deck id for a quizapp deck id, in [2**30, 2**31)."""
    digest = hashlib.sha256(f"quizapp-deck:{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(deck_id: str, card_id: str) -> str:
    """The note's GUID: the same deck id and card id give the same note in Anki, edits or not.

    The first 8 bytes of SHA-256 of `DECK__CARD` in base 91, the GUIDs quizapp has always
    given (a test pins them), so a package exported by any version updates the same notes.
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
    used: dict[int, tuple[notetypes.NoteType, int]] = {}
    exported: list[ExportedDeck] = []
    note_rows: list[tuple[NoteRow, ...]] = []
    guids: dict[tuple[str, str], str] = {}
    position = 0
    for deck, name in zip(decks, deck_names(decks), strict=True):
        anki_id = anki_deck_id(deck.id)
        rows: list[NoteRow] = []
        cards = 0
        for card in deck.cards:
            position += 1
            guid = note_guid(deck.id, card.id)
            guids[(deck.id, card.id)] = guid
            note_type, fields = note_content(card)
            used.setdefault(note_type.id, (note_type, anki_id))
            row = note_row(
                note_type, guid, fields, note_tags(deck.tags, card.tags, card.section), position
            )
            rows.append(row)
            cards += len(row.ords)
        note_rows.append(tuple(rows))
        description = text_html(deck.description or "")
        exported.append(ExportedDeck(deck.id, name, anki_id, description, len(rows), cards))
    revlog: Iterable[RevlogRow]
    if answers is not None:
        revlog = _LazyRevlog(answers, guids)
    else:
        revlog = tuple(revlog_rows(reviews or (), guids))
    return AnkiPackage(
        decks=tuple(exported),
        note_types=tuple(used.values()),
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


_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
"""The 91 digits of a note GUID."""


def note_row(
    note_type: notetypes.NoteType, guid: str, fields: list[str], tags: list[str], due: int
) -> NoteRow:
    """The note of `note_type` with these fields and tags, its cards at new position `due`."""
    if len(fields) != len(note_type.fields):
        raise ValueError(f"{note_type.name} has {len(note_type.fields)} fields, not {fields}")
    if any(" " in tag for tag in tags):
        raise ValueError(f"an Anki tag cannot hold a space: {tags}")
    return NoteRow(
        guid=guid,
        model_id=note_type.id,
        tags=f" {' '.join(tags)} ",
        fields="\x1f".join(fields),
        sort_field=fields[0],
        due=due,
        ords=note_type.card_ords(fields),
    )


def note_content(card: Card) -> tuple[notetypes.NoteType, list[str]]:
    """The note type of a card and its note's field values (HTML)."""
    explain = text_html(card.explain or "")
    match card:
        case BasicCard():
            return notetypes.BASIC, [text_html(card.front), text_html(card.back), explain]
        case CommandCard():
            prefix = literal_html(card.prefix or "")
            return notetypes.COMMAND, [
                text_html(card.prompt),
                prefix,
                literal_html(card.answer),
                explain,
            ]
        case ClozeCard():
            also = alternatives_html(card.text, card.alternatives)
            return notetypes.CLOZE, [cloze_html(card.text), explain + also]
        case ChoiceCard():
            shuffled = choice_order(card.id, card.choices)
            choices = choices_html(shuffled, map(card.choices.index, shuffled))
            fields = [text_html(card.question), choices]
            return notetypes.CHOICE, [*fields, text_html(card.answer), explain]
    raise TypeError(f"not a card: {card!r}")


def _name_key(title: str) -> str:
    return "::".join(level.strip() for level in title.split("::")).casefold()
