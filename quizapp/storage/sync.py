"""Deck sync: bring the cards table in line with the loaded decks, keeping all progress.

Runs at every start, so the common case (nothing changed) must cost one read and no writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.deck.model import Deck
    from quizapp.storage.engine import Store


@dataclass(frozen=True, slots=True)
class SyncReport:
    decks_added: int = 0
    decks_changed: int = 0
    decks_unchanged: int = 0
    decks_deactivated: int = 0
    """Decks in the database that were not among the decks synced (progress kept)."""
    items_added: int = 0
    items_updated: int = 0
    """Items whose card text, kind or position changed; their progress is kept."""
    items_deactivated: int = 0
    items_reactivated: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.decks_added,
                self.decks_changed,
                self.decks_deactivated,
                self.items_added,
                self.items_updated,
                self.items_deactivated,
                self.items_reactivated,
            )
        )


def sync_decks(store: Store, decks: Sequence[Deck]) -> SyncReport:
    """Add new items, update edited ones, deactivate removed ones; one transaction."""
    raise NotImplementedError
