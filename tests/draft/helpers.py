"""Shared helpers for the draft tests: the notes fixtures and drafting them in memory."""

from __future__ import annotations

from pathlib import Path

from quizapp.deck.model import Deck
from quizapp.deckfiles import load_deck_text
from quizapp.draft.cards import DraftCard
from quizapp.draft.pipeline import draft_text

DATA = Path(__file__).resolve().parent.parent / "data" / "draft"


def draft_file(name: str) -> tuple[str, list[DraftCard], Deck]:
    """Draft `tests/data/draft/<name>`: the YAML, the drafted cards and the loaded deck."""
    path = DATA / name
    text, cards = draft_text(path.read_text(encoding="utf-8"), path.stem, None, path.name)
    result = load_deck_text(text, Path(f"{path.stem}.yaml"))
    assert result.problems == (), [str(p) for p in result.problems]
    assert result.deck is not None
    return text, cards, result.deck
