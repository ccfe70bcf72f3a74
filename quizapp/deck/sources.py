"""Find deck files in folders and load them together, catching deck ids used by two files.

Work in progress: the signatures below are the public API.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizapp.deck.model import LoadResult


def deck_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders give their *.yaml and *.yml files, recursively, sorted."""
    raise NotImplementedError


def load_decks(paths: Sequence[Path]) -> list[LoadResult]:
    """Load every deck file under `paths`; a deck id in two files is an error in both."""
    raise NotImplementedError
