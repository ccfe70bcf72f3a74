"""Studying with or without a tag: which items a queue, a count or a quiz may hold.

A learner narrows study to some tags (`--tag`) or leaves some out (`--without-tag`,
`[study] without_tags`), as Anki's `tag:` search does. A card's tags are its deck's tags
plus its own. The filter acts where items are picked (the queue, the home and `decks`
counts, the quiz draw), never at deck load: a card left out of study keeps its progress,
active, for the day it is studied again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.deck.model import Deck

ItemFilter = Callable[[str, str], bool]
"""`keep(deck_id, item_id)`: whether the item may be studied under the tag filter."""


@dataclass(frozen=True, slots=True)
class TagFilter:
    """Tags to study (a card needs one of them) and tags to leave out (a card has none)."""

    tags: tuple[str, ...] = ()
    without_tags: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.tags or self.without_tags)

    def admits(self, card_tags: Iterable[str]) -> bool:
        """Whether a card with these tags is studied (tags compare case-insensitively)."""
        folded = {tag.casefold() for tag in card_tags}
        if self.tags and not folded & {tag.casefold() for tag in self.tags}:
            return False
        return not folded & {tag.casefold() for tag in self.without_tags}

    def describe(self) -> str:
        """`tags: docker; without: beyond-notes`, for a line under a table."""
        parts = []
        if self.tags:
            parts.append("with tag " + " or ".join(self.tags))
        if self.without_tags:
            parts.append("without tag " + ", ".join(self.without_tags))
        return "; ".join(parts)


def item_filter(decks: Iterable[Deck], tag_filter: TagFilter) -> ItemFilter | None:
    """`keep(deck_id, item_id)` for the loaded decks, or None when no filter is set.

    An item is kept when its card (the first card of that id in its deck, as `Deck.card`)
    is admitted by `tag_filter`; an item whose card is not in the loaded decks is not.
    """
    if not tag_filter.active:
        return None
    admitted: set[tuple[str, str]] = set()
    for deck in decks:
        seen: set[str] = set()
        for card in deck.cards:
            if card.id in seen:
                continue
            seen.add(card.id)
            if tag_filter.admits((*deck.tags, *card.tags)):
                admitted.add((deck.id, card.id))

    def keep(deck_id: str, item_id: str) -> bool:
        return (deck_id, item_id.partition("#")[0]) in admitted

    return keep
