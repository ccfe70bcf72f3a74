"""What every command gets from the global options: the database, the deck folders, overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class AppContext:
    db: str
    """A file path or a SQLAlchemy URL (already resolved from --db, QUIZAPP_DB or the default)."""
    deck_dirs: tuple[Path, ...]
    """Folders to load decks from, in order (bundled, user, QUIZAPP_DECKS, --decks)."""
    overrides: dict[str, int | tuple[str, ...]] = field(default_factory=dict)
    """Settings given on the command line; they beat the config file (new_per_day, ..., and
    tags / without_tags as tuples)."""
