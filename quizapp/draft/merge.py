"""`quizapp draft --merge`: add cards for new material to a deck an author has already edited.

The deck file is kept byte for byte; only the YAML of new cards is inserted at the end of its
`cards:` list. A drafted card counts as already there when the deck has its id, its
`# from:` marker, or the same answer or text (so a card whose wording or id the author
changed is not drafted twice). A card whose statement changed in the notes is kept as the
author left it, and reported (`changes`), so a changed command never goes unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.deck.cloze import answer_text
from quizapp.deck.model import BasicCard, CardKind, ChoiceCard, ClozeCard, CommandCard, Deck
from quizapp.draft.cards import DraftCard
from quizapp.draft.emit import card_yaml
from quizapp.draft.ids import IdMaker, card_id_base
from quizapp.errors import QuizappError

_MARKER = re.compile(r"#\s*from:\s*([0-9a-f]{12})\b")
_CARDS_KEY = re.compile(r"^cards\s*:\s*(?:#.*)?$")
_TOP_LEVEL = re.compile(r"^(?:[^\s#-]|-(?:--|\S)|\.\.\.)")


@dataclass(frozen=True, slots=True)
class Change:
    """A deck card whose statement in the notes changed (or is gone) since it was drafted."""

    card_id: str
    message: str


@dataclass(frozen=True, slots=True)
class Merged:
    text: str
    added: tuple[DraftCard, ...]
    kept: int
    changed: tuple[Change, ...] = ()


_ID_LINE = re.compile(r"^\s*-\s+id\s*:\s*[\"']?([a-z0-9][a-z0-9_.-]*)")


def markers_by_id(text: str) -> dict[str, str]:
    """Card id -> the `# from:` hash in the comments right above its `- id:` line."""
    found: dict[str, str] = {}
    marker: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        seen = _MARKER.search(stripped) if stripped.startswith("#") else None
        if seen:
            marker = seen.group(1)
            continue
        if stripped.startswith("#") or not stripped:
            continue
        card = _ID_LINE.match(line)
        if card and marker is not None:
            found[card.group(1)] = marker
        marker = None
    return found


def _what(card: DraftCard) -> str:
    value = card.fields.get("answer") or card.fields.get("text") or card.fields.get("back", "")
    return " ".join(value.split())


def changes(existing_text: str, deck: Deck, drafted: list[DraftCard]) -> list[Change]:
    """Cards drafted before whose statement is not in the notes as it was: the notes now
    say something else under the same card (same id), or no longer say it at all."""
    by_id = markers_by_id(existing_text)
    drafted_hashes = {card.source_hash for card in drafted}
    found: list[Change] = []
    reported: set[str] = set()
    for card in drafted:
        marker = by_id.get(card.id)
        if marker is None or marker == card.source_hash or deck.card(card.id) is None:
            continue
        reported.add(card.id)
        found.append(
            Change(
                card.id,
                f"card '{card.id}': its statement changed in the notes (line {card.line}), "
                f"which now give `{_what(card)}`; the card was kept as it is: update it",
            )
        )
    for card_id, marker in by_id.items():
        if card_id in reported or marker in drafted_hashes or deck.card(card_id) is None:
            continue
        found.append(
            Change(
                card_id,
                f"card '{card_id}': the statement it was drafted from is no longer in the "
                "notes (changed or removed); the card was kept as it is",
            )
        )
    return found


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _known_texts(deck: Deck) -> set[str]:
    known: set[str] = set()
    for card in deck.cards:
        if isinstance(card, CommandCard):
            known.update(_norm(a) for a in card.answers)
            known.add(_norm(card.prompt))
        elif isinstance(card, BasicCard):
            known.update((_norm(card.front), _norm(card.back)))
        elif isinstance(card, ClozeCard):
            known.update((_norm(card.text), _norm(answer_text(card.text))))
        elif isinstance(card, ChoiceCard):
            known.add(_norm(card.question))
    return known


def _draft_texts(card: DraftCard) -> set[str]:
    texts = {_norm(v) for v in card.fields.values()}
    if card.kind is CardKind.CLOZE:
        texts.add(_norm(answer_text(card.fields["text"])))
    return texts


def is_known(card: DraftCard, deck: Deck, markers: set[str], known: set[str]) -> bool:
    return (
        deck.card(card.id) is not None
        or card.source_hash in markers
        or bool(_draft_texts(card) & known)
    )


def _insertion(lines: list[str]) -> tuple[int, str]:
    """Where the `cards:` block ends (a line index) and how its items are indented."""
    start = next((i for i, line in enumerate(lines) if _CARDS_KEY.match(line)), None)
    if start is None:
        raise QuizappError(
            "cannot merge: the deck's `cards:` is not a block list this tool can add to", 1
        )
    end = len(lines)
    indent = None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if _TOP_LEVEL.match(line):
            end = i
            break
        item = re.match(r"^(\s*)-(?:\s|$)", line)
        if item and indent is None:
            indent = item.group(1)
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end, indent if indent is not None else "  "


def merge(existing_text: str, deck: Deck, drafted: list[DraftCard]) -> Merged:
    """The deck text with cards for new material added, and those cards."""
    markers = set(_MARKER.findall(existing_text))
    known = _known_texts(deck)
    changed = tuple(changes(existing_text, deck, drafted))
    new = [card for card in drafted if not is_known(card, deck, markers, known)]
    if not new:
        return Merged(existing_text, (), len(deck.cards), changed)
    ids = IdMaker(card.id for card in deck.cards)
    for card in new:
        card.id = ids.make(card_id_base(card.section, card.key_text))
    newline = "\r\n" if "\r\n" in existing_text else "\n"
    lines = existing_text.splitlines(keepends=True)
    end, indent = _insertion([line.rstrip("\r\n") for line in lines])
    chunk = "".join("\n" + card_yaml(card, indent) for card in new)
    if newline != "\n":
        chunk = chunk.replace("\n", newline)
    before = "".join(lines[:end])
    if before and not before.endswith(("\n", "\r")):
        before += newline
    return Merged(before + chunk + "".join(lines[end:]), tuple(new), len(deck.cards), changed)
