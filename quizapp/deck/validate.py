"""`quizapp validate`: print every problem of deck files, then a one-line summary.

With no paths it checks every deck the app would load, so a user can see why a deck is
missing from the study screen.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from quizapp.deck.sources import inspect_decks


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def run_validate(paths: list[Path], deck_dirs: list[Path], out: TextIO) -> int:
    """Exit status: 0 no errors, 1 any error, 2 a path that does not exist."""
    missing = [path for path in paths if not path.exists()]
    if missing:
        for path in missing:
            print(f"quizapp: error: no such file or folder: {path}", file=sys.stderr)
        return 2
    reports = inspect_decks(paths or deck_dirs)
    errors = warnings = cards = 0
    for report in reports:
        for problem in report.result.problems:
            print(problem, file=out)
        errors += len(report.result.errors)
        warnings += len(report.result.warnings)
        cards += report.card_count
    summary = (
        f"{_count(len(reports), 'deck')}, {_count(cards, 'card')}: "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    )
    print(summary, file=out)
    return 1 if errors else 0
