"""`quizapp grade DECK_FILE CARD_ID ANSWER...`: how deck authors check their answers."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO


def run_grade(deck_file: Path, card_id: str, answer: str, out: TextIO) -> int:
    """Grade `answer` against a card of `deck_file`; exit 0 right, 1 close/wrong, 2 not found."""
    raise NotImplementedError
