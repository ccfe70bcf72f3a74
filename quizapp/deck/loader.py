"""Turn one YAML deck file into a typed `Deck`, or into every problem it has, with positions.

Work in progress: the signatures below are the public API.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.deck.model import LoadResult


def load_deck(path: Path) -> LoadResult:
    """Load one deck file; the deck is None when the file has any error."""
    raise NotImplementedError


def load_deck_text(data: bytes | str, path: Path) -> LoadResult:
    """Load a deck from its bytes (or text); `path` names it in problems."""
    raise NotImplementedError
